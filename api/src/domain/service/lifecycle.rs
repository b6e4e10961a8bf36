//! Publication of a service: actions, never a writable status. The structure that offers a
//! service (its receivers) or an administrator publishes, suspends or archives it; only an
//! administrator brings an archived service back (publishing or suspending it again).
//!
//! ```text
//! draft ─publish→ published ─suspend→ suspended ─publish→ published
//! draft | published | suspended ─archive→ archived ─publish | suspend (admin)→ …
//! ```
use api_types::ServiceStatus::{self, Archived, Draft, Published, Suspended};

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Publish,
    Suspend,
    Archive,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Publish, Action::Suspend, Action::Archive];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Publish => "publish",
            Action::Suspend => "suspend",
            Action::Archive => "archive",
        }
    }

    /// The status the action leads to.
    pub fn target(self) -> ServiceStatus {
        match self {
            Action::Publish => Published,
            Action::Suspend => Suspended,
            Action::Archive => Archived,
        }
    }
}

/// In which capacity the caller acts on the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// A receiver of the structure that offers it.
    Owner,
    Admin,
}

/// Whether `by` may take `action` from `from`; `Err` carries the actions it may take.
pub fn apply(from: ServiceStatus, action: Action, by: By) -> Result<ServiceStatus, Vec<Action>> {
    if allowed(from, action, by) {
        Ok(action.target())
    } else {
        Err(allowed_actions(from, by))
    }
}

fn allowed(from: ServiceStatus, action: Action, by: By) -> bool {
    match (from, action) {
        (Draft | Suspended, Action::Publish) => true,
        (Published, Action::Suspend) => true,
        (Draft | Published | Suspended, Action::Archive) => true,
        (Archived, Action::Publish | Action::Suspend) => by == By::Admin,
        _ => false,
    }
}

/// The actions `by` may take from `from`, in a fixed order.
pub fn allowed_actions(from: ServiceStatus, by: By) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| allowed(from, *a, by))
        .collect()
}

/// Codes of actions, as the API lists them.
pub fn codes(actions: &[Action]) -> Vec<String> {
    actions.iter().map(|a| a.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (from, action, by), written out from DOMAIN.md and the issue.
    #[test]
    fn the_whole_table() {
        use Action::*;
        let table: [(ServiceStatus, Action, By, Option<ServiceStatus>); 24] = [
            (Draft, Publish, By::Owner, Some(Published)),
            (Draft, Publish, By::Admin, Some(Published)),
            (Draft, Suspend, By::Owner, None),
            (Draft, Suspend, By::Admin, None),
            (Draft, Archive, By::Owner, Some(Archived)),
            (Draft, Archive, By::Admin, Some(Archived)),
            (Published, Publish, By::Owner, None),
            (Published, Publish, By::Admin, None),
            (Published, Suspend, By::Owner, Some(Suspended)),
            (Published, Suspend, By::Admin, Some(Suspended)),
            (Published, Archive, By::Owner, Some(Archived)),
            (Published, Archive, By::Admin, Some(Archived)),
            (Suspended, Publish, By::Owner, Some(Published)),
            (Suspended, Publish, By::Admin, Some(Published)),
            (Suspended, Suspend, By::Owner, None),
            (Suspended, Suspend, By::Admin, None),
            (Suspended, Archive, By::Owner, Some(Archived)),
            (Suspended, Archive, By::Admin, Some(Archived)),
            (Archived, Publish, By::Owner, None),
            (Archived, Publish, By::Admin, Some(Published)),
            (Archived, Suspend, By::Owner, None),
            (Archived, Suspend, By::Admin, Some(Suspended)),
            (Archived, Archive, By::Owner, None),
            (Archived, Archive, By::Admin, None),
        ];
        for (from, action, by, to) in table {
            assert_eq!(
                apply(from, action, by).ok(),
                to,
                "{from:?} {action:?} {by:?}"
            );
        }
        for s in ServiceStatus::ALL {
            for by in [By::Owner, By::Admin] {
                for a in Action::ALL {
                    if let Err(allowed) = apply(*s, a, by) {
                        assert!(!allowed.contains(&a));
                        assert!(allowed.iter().all(|x| apply(*s, *x, by).is_ok()));
                    }
                }
            }
        }
    }

    #[test]
    fn an_owner_can_do_nothing_with_an_archived_service() {
        assert!(allowed_actions(Archived, By::Owner).is_empty());
        assert_eq!(
            codes(&allowed_actions(Archived, By::Admin)),
            vec!["publish", "suspend"]
        );
    }
}

//! What each role may open, and which role is active for a user holding several.
use api_types::Role;

/// Areas of the app, each reserved to some roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The prescriber's referrals and the "Signaler un jeune" form.
    Referrals,
    /// The counsellor's territory queue.
    Queue,
    /// One referral's page (its prescriber structure, or its territory's counsellors).
    Referral,
    /// Relay requests to a receiving structure.
    Relays,
    /// The receiving structure's services ("Mes services").
    Services,
    /// Aggregated figures: of a territory (pilots, counsellors, administrators), of one's
    /// structure (prescribers and receivers: « Mes chiffres »).
    Steering,
    /// Structures and accounts.
    Admin,
    /// What belongs to each signed-in person (their notifications): every role.
    Account,
}

pub fn allowed(role: Role, area: Area) -> bool {
    matches!(
        (role, area),
        (Role::Prescriber, Area::Referrals | Area::Referral)
            | (Role::Counsellor, Area::Queue | Area::Referral)
            | (Role::Receiver, Area::Relays | Area::Services)
            | (_, Area::Steering)
            | (Role::Admin, Area::Admin)
            | (_, Area::Account)
    )
}

/// Order in which a default active role is chosen: the daily work first.
const PREFERENCE: [Role; 5] = [
    Role::Counsellor,
    Role::Prescriber,
    Role::Receiver,
    Role::Pilot,
    Role::Admin,
];

/// The active role: the remembered one if the user still holds it, else the first by preference.
pub fn active_role(roles: &[Role], remembered: Option<&str>) -> Option<Role> {
    remembered
        .and_then(Role::parse)
        .filter(|r| roles.contains(r))
        .or_else(|| PREFERENCE.into_iter().find(|r| roles.contains(r)))
}

/// Path of a role's home page.
pub fn home_path(role: Role) -> &'static str {
    match role {
        Role::Prescriber => "/signalements",
        Role::Counsellor => "/file-attente",
        Role::Receiver => "/relais",
        Role::Pilot => "/pilotage",
        Role::Admin => "/admin/structures",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_reaches_only_its_areas() {
        assert!(allowed(Role::Prescriber, Area::Referrals));
        assert!(allowed(Role::Prescriber, Area::Referral));
        assert!(!allowed(Role::Prescriber, Area::Queue));
        assert!(!allowed(Role::Prescriber, Area::Admin));
        assert!(allowed(Role::Counsellor, Area::Queue));
        assert!(!allowed(Role::Counsellor, Area::Referrals));
        assert!(!allowed(Role::Pilot, Area::Referral));
        assert!(allowed(Role::Admin, Area::Admin));
        assert!(!allowed(Role::Receiver, Area::Referral));
        for r in [
            Role::Admin,
            Role::Prescriber,
            Role::Counsellor,
            Role::Receiver,
            Role::Pilot,
        ] {
            assert!(allowed(r, Area::Account), "{r:?}");
        }
        assert!(allowed(Role::Pilot, Area::Steering));
        assert!(allowed(Role::Counsellor, Area::Steering));
        assert!(allowed(Role::Admin, Area::Steering));
        // « Mes chiffres »: their structure's figures.
        assert!(allowed(Role::Prescriber, Area::Steering));
        assert!(allowed(Role::Receiver, Area::Steering));
        assert!(allowed(Role::Receiver, Area::Services));
        assert!(!allowed(Role::Prescriber, Area::Services));
        assert!(!allowed(Role::Admin, Area::Services));
    }

    #[test]
    fn the_remembered_role_wins_while_held() {
        let both = [Role::Prescriber, Role::Receiver];
        assert_eq!(active_role(&both, None), Some(Role::Prescriber));
        assert_eq!(active_role(&both, Some("receiver")), Some(Role::Receiver));
        assert_eq!(active_role(&both, Some("admin")), Some(Role::Prescriber));
        assert_eq!(active_role(&both, Some("garbage")), Some(Role::Prescriber));
        assert_eq!(active_role(&[], None), None);
        assert_eq!(home_path(Role::Counsellor), "/file-attente");
    }
}

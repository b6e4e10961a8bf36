//! What each viewer may read of a referral (DOMAIN.md, "Who sees what"). A prescriber sees
//! its own structure's referrals: the status (on hold without its reason), the outcome
//! (`duplicate` as `closed_by_sas`), never SAS-side reasons, notes, the counsellor's name or a
//! possible duplicate. Every route renders through these rules, so no route can leak more.
use api_types::{EventKind, HoldReason, Outcome, Role, Status};

use crate::ids::StructureId;

/// Whose eyes a referral is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// A counsellor of the referral's territory: everything.
    Counsellor,
    /// A person or partner system of the prescriber structure.
    Prescriber { structure: Option<StructureId> },
    /// An administrator acting with a logged reason (`entered_in_error`): what the SAS team
    /// sees, without the duplicate links (those are the counsellors' work).
    Admin,
}

impl Viewer {
    /// How a caller sees a referral of `territory_matches` (its own territory) — a person who
    /// is both prescriber and counsellor sees its territory's referrals as a counsellor.
    pub fn of(roles: &[Role], in_own_territory: bool, structure: Option<StructureId>) -> Viewer {
        if roles.contains(&Role::Counsellor) && in_own_territory {
            Viewer::Counsellor
        } else if roles.contains(&Role::Prescriber) {
            Viewer::Prescriber { structure }
        } else if roles.contains(&Role::Admin) {
            Viewer::Admin
        } else {
            // Nobody else reaches a referral; render the least.
            Viewer::Prescriber { structure: None }
        }
    }

    pub fn is_sas(self) -> bool {
        matches!(self, Viewer::Counsellor | Viewer::Admin)
    }
}

/// The outcome as `viewer` reads it.
pub fn outcome(viewer: Viewer, outcome: Outcome) -> Outcome {
    match (viewer, outcome) {
        (Viewer::Prescriber { .. }, Outcome::Duplicate) => Outcome::ClosedBySas,
        _ => outcome,
    }
}

/// The hold reason, for the SAS team only.
pub fn hold_reason(viewer: Viewer, reason: Option<HoldReason>) -> Option<HoldReason> {
    reason.filter(|_| viewer.is_sas())
}

/// Whether the viewer learns who acted and what they wrote: the SAS team always; a prescriber
/// only for its own structure's actions.
pub fn sees_actor(viewer: Viewer, actor_structure: Option<StructureId>) -> bool {
    match viewer {
        Viewer::Counsellor | Viewer::Admin => true,
        Viewer::Prescriber { structure } => structure.is_some() && structure == actor_structure,
    }
}

/// The code of a timeline event as the viewer reads it: a prescriber reads a closing outcome
/// as above and never a hold reason.
pub fn event_code(
    viewer: Viewer,
    kind: EventKind,
    to_status: Option<Status>,
    code: Option<&str>,
) -> Option<String> {
    let code = code?;
    if viewer.is_sas() {
        return Some(code.to_string());
    }
    match (kind, to_status) {
        (EventKind::StatusChanged, Some(Status::Closed)) => {
            Outcome::parse(code).map(|o| outcome(viewer, o).as_str().to_string())
        }
        (EventKind::StatusChanged, _) => None,
        (EventKind::Created | EventKind::Resumed, _) => Some(code.to_string()),
        // The closed loop: checkpoint answers and relay outcomes (never refusal or failure
        // reasons, nor the causes of cancellations).
        (EventKind::CheckpointAnswered | EventKind::RelayCompleted, _) => Some(code.to_string()),
        _ => None,
    }
}

/// Whether the viewer sees an event of this kind at all. A prescriber follows the progress
/// (status changes, corrections, consent, the diagnosis being done, a transfer, a resumed
/// journey, the requests addressed to it) but never the SAS team's own work: the attempts
/// themselves, the hand-overs between counsellors and the services set aside from the matches.
pub fn event_visible(viewer: Viewer, kind: EventKind) -> bool {
    viewer.is_sas()
        || !matches!(
            kind,
            EventKind::ContactAttempt
                | EventKind::Assigned
                | EventKind::MatchExcluded
                | EventKind::MatchExclusionRemoved
        )
}

/// Whether the viewer may read contact attempts, their notes, the contact progress and the
/// diagnostic: the SAS team only.
pub fn sees_orientation_work(viewer: Viewer) -> bool {
    viewer.is_sas()
}

/// A note written with an event, if the viewer may read it.
pub fn note(
    viewer: Viewer,
    actor_structure: Option<StructureId>,
    note: Option<String>,
) -> Option<String> {
    note.filter(|_| sees_actor(viewer, actor_structure))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u128) -> Option<StructureId> {
        Some(StructureId(uuid::Uuid::from_u128(n)))
    }

    const VIEWERS: [Viewer; 4] = [
        Viewer::Counsellor,
        Viewer::Admin,
        Viewer::Prescriber { structure: None },
        Viewer::Prescriber {
            structure: Some(StructureId(uuid::Uuid::from_u128(1))),
        },
    ];

    #[test]
    fn a_prescriber_reads_duplicate_as_closed_by_sas_and_every_other_outcome_as_is() {
        for v in VIEWERS {
            for o in Outcome::ALL {
                let expected = if matches!(v, Viewer::Prescriber { .. }) && *o == Outcome::Duplicate
                {
                    Outcome::ClosedBySas
                } else {
                    *o
                };
                assert_eq!(outcome(v, *o), expected, "{v:?} {o}");
            }
        }
    }

    #[test]
    fn hold_reasons_stay_on_the_sas_side() {
        for v in VIEWERS {
            for r in HoldReason::ALL {
                assert_eq!(hold_reason(v, Some(*r)).is_some(), v.is_sas(), "{v:?} {r}");
            }
        }
    }

    #[test]
    fn timeline_codes_as_each_viewer_reads_them() {
        let p = Viewer::Prescriber { structure: s(1) };
        for kind in EventKind::ALL {
            for to in Status::ALL {
                for code in ["duplicate", "declined", "waiting_list", "ase_exit"] {
                    let got = event_code(p, *kind, Some(*to), Some(code));
                    let expected = match (kind, to) {
                        (EventKind::StatusChanged, Status::Closed) => match code {
                            "duplicate" => Some("closed_by_sas"),
                            "declined" => Some("declined"),
                            _ => None,
                        },
                        (EventKind::Created | EventKind::Resumed, _) => Some(code),
                        // The closed loop: checkpoint answers and relay outcomes.
                        (EventKind::CheckpointAnswered | EventKind::RelayCompleted, _) => {
                            Some(code)
                        }
                        _ => None,
                    };
                    assert_eq!(got.as_deref(), expected, "{kind} → {to} {code}");
                    assert_eq!(
                        event_code(Viewer::Counsellor, *kind, Some(*to), Some(code)).as_deref(),
                        Some(code)
                    );
                }
            }
        }
    }

    #[test]
    fn a_prescriber_sees_who_acted_and_what_they_wrote_only_in_its_own_structure() {
        let mine = Viewer::Prescriber { structure: s(1) };
        assert!(sees_actor(mine, s(1)));
        assert!(!sees_actor(mine, s(2)));
        assert!(!sees_actor(mine, None), "SAS-side or system actions");
        assert!(!sees_actor(Viewer::Prescriber { structure: None }, None));
        assert!(sees_actor(Viewer::Counsellor, None));
        assert_eq!(note(mine, s(2), Some("x".into())), None);
        assert_eq!(note(mine, s(1), Some("x".into())).as_deref(), Some("x"));
        assert_eq!(
            note(Viewer::Counsellor, None, Some("x".into())).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn a_prescriber_never_sees_the_attempts_nor_who_took_over() {
        for v in VIEWERS {
            for kind in EventKind::ALL {
                let expected = v.is_sas()
                    || !matches!(
                        kind,
                        EventKind::ContactAttempt
                            | EventKind::Assigned
                            | EventKind::MatchExcluded
                            | EventKind::MatchExclusionRemoved
                    );
                assert_eq!(event_visible(v, *kind), expected, "{v:?} {kind}");
            }
            assert_eq!(sees_orientation_work(v), v.is_sas());
        }
    }

    #[test]
    fn roles_decide_the_view() {
        let st = s(1);
        assert_eq!(
            Viewer::of(&[Role::Counsellor], true, st),
            Viewer::Counsellor
        );
        assert_eq!(
            Viewer::of(&[Role::Counsellor, Role::Prescriber], false, st),
            Viewer::Prescriber { structure: st }
        );
        assert_eq!(Viewer::of(&[Role::Admin], false, None), Viewer::Admin);
        assert_eq!(
            Viewer::of(&[Role::Prescriber, Role::Admin], false, st),
            Viewer::Prescriber { structure: st },
            "a prescriber-admin reads its structure's referrals as their prescriber"
        );
    }
}

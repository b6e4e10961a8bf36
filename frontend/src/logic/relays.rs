//! Relay's French words, what each reader may do and what each action sends, tested on the
//! host.
use api_types::{CheckpointAnswer, RelayOutcome, RelayReason, RelayStatus};

/// What an action carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    Accept,
    Refuse(RelayReason, Option<String>),
    Start,
    Fail(RelayReason, Option<String>),
    Complete(RelayOutcome),
    Cancel,
}

impl Act {
    /// The action's path segment and its body.
    pub fn request(&self) -> (&'static str, serde_json::Value) {
        use serde_json::json;
        match self {
            Act::Accept => ("accept", json!({})),
            Act::Refuse(r, t) => ("refuse", json!({"reason": r, "reason_text": t})),
            Act::Start => ("start", json!({})),
            Act::Fail(r, t) => ("fail", json!({"reason": r, "reason_text": t})),
            Act::Complete(o) => ("complete", json!({ "outcome": o })),
            Act::Cancel => ("cancel", json!({})),
        }
    }
}

pub fn status(s: RelayStatus) -> &'static str {
    match s {
        RelayStatus::Requested => "En attente de réponse",
        RelayStatus::Accepted => "Acceptée",
        RelayStatus::Refused => "Refusée",
        RelayStatus::Expired => "Expirée sans réponse",
        RelayStatus::Cancelled => "Annulée",
        RelayStatus::Started => "Pris en charge",
        RelayStatus::Completed => "Terminée",
        RelayStatus::Failed => "Interrompue",
    }
}

pub fn reason(r: RelayReason) -> &'static str {
    match r {
        RelayReason::Unreachable => "Injoignable",
        RelayReason::DidNotCome => "Ne s’est pas présenté",
        RelayReason::DroppedOut => "Abandon",
        RelayReason::AlreadyEmployed => "Déjà en emploi",
        RelayReason::AlreadyInTraining => "Déjà en formation",
        RelayReason::NotEligible => "Non éligible",
        RelayReason::NotMobile => "Pas mobile",
        RelayReason::NotInterested => "Pas intéressé",
        RelayReason::PeripheralBarriers => "Freins périphériques",
        RelayReason::NoCapacity => "Plus de place",
        RelayReason::Duplicate => "Doublon",
        RelayReason::Other => "Autre (préciser)",
    }
}

pub fn outcome(o: RelayOutcome) -> &'static str {
    match o {
        RelayOutcome::PositiveExit => "Sortie positive",
        RelayOutcome::ProgrammeEnded => "Fin du programme",
    }
}

pub fn answer(a: CheckpointAnswer) -> &'static str {
    match a {
        CheckpointAnswer::StillAccompanied => "Toujours accompagné",
        CheckpointAnswer::PositiveExit => "Sortie positive",
        CheckpointAnswer::DroppedOut => "Abandon",
        CheckpointAnswer::LostContact => "Contact perdu",
    }
}

/// The receiver's actions from a status, with their button labels.
pub fn receiver_actions(s: RelayStatus) -> &'static [(&'static str, &'static str)] {
    match s {
        RelayStatus::Requested => &[("accept", "Accepter"), ("refuse", "Refuser")],
        RelayStatus::Accepted => &[
            ("start", "Confirmer le premier rendez-vous"),
            ("fail", "Signaler un échec"),
        ],
        RelayStatus::Started => &[
            ("complete", "Terminer l’accompagnement"),
            ("fail", "Signaler un abandon"),
        ],
        _ => &[],
    }
}

/// Whether the SAS team may still cancel.
pub fn cancellable(s: RelayStatus) -> bool {
    matches!(s, RelayStatus::Requested | RelayStatus::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_words_and_the_actions_follow_the_table() {
        for s in RelayStatus::ALL {
            assert!(!status(*s).is_empty());
            let codes: Vec<&str> = receiver_actions(*s).iter().map(|(c, _)| *c).collect();
            let expected: &[&str] = match s {
                RelayStatus::Requested => &["accept", "refuse"],
                RelayStatus::Accepted => &["start", "fail"],
                RelayStatus::Started => &["complete", "fail"],
                _ => &[],
            };
            assert_eq!(codes, expected, "{s}");
            assert_eq!(
                cancellable(*s),
                matches!(s, RelayStatus::Requested | RelayStatus::Accepted)
            );
        }
        for r in RelayReason::ALL {
            assert!(!reason(*r).is_empty());
        }
        for a in CheckpointAnswer::ALL {
            assert!(!answer(*a).is_empty());
        }
        assert_eq!(outcome(RelayOutcome::ProgrammeEnded), "Fin du programme");
    }

    #[test]
    fn each_action_posts_its_segment_and_body() {
        let (a, b) = Act::Refuse(RelayReason::Other, Some("Hors public".into())).request();
        assert_eq!(a, "refuse");
        assert_eq!(
            b,
            serde_json::json!({"reason": "other", "reason_text": "Hors public"})
        );
        assert_eq!(
            Act::Complete(RelayOutcome::PositiveExit).request().1["outcome"],
            "positive_exit"
        );
        assert_eq!(Act::Cancel.request().0, "cancel");
    }
}

//! What the counsellor records for a relay "sans compte SAS" (`off_platform`): the structure
//! has no account, so the counsellor answers in its name, as the API allows (the receiver's
//! moves of `domain::relay`, and the follow-up checkpoints once due). Tested on the host.
//!
//! | status      | answers                                                        |
//! |-------------|----------------------------------------------------------------|
//! | `requested` | accepted; refused (coded reason, `other` needs a text)          |
//! | `accepted`  | first appointment held (start); failed (reason)                 |
//! | `started`   | the checkpoint due; ended (`positive_exit`, `programme_ended`); failed (reason) |
use api_types::{
    Checkpoint, CheckpointAnswer, FieldError, Relay, RelayOutcome, RelayReason, RelayStatus,
};

use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel, IdScope};
use super::relays::Act;

/// Longest precision of a reason (the API's `domain::relay::MAX_REASON_CHARS`).
pub const REASON_TEXT_MAX_CHARS: usize = 500;

/// One answer the counsellor may record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Accept,
    Refuse,
    Start,
    Fail,
    Complete,
    /// The answer to the open checkpoint.
    Checkpoint,
}

impl Choice {
    pub fn code(self) -> &'static str {
        match self {
            Choice::Accept => "accept",
            Choice::Refuse => "refuse",
            Choice::Start => "start",
            Choice::Fail => "fail",
            Choice::Complete => "complete",
            Choice::Checkpoint => "checkpoint",
        }
    }

    /// Whether the choice needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Choice::Refuse | Choice::Fail)
    }
}

/// The checkpoint that can be answered now: the first unanswered one, when it is due (the API
/// refuses the others: `checkpoint_not_due`, `earlier_checkpoint_open`).
pub fn open_checkpoint(r: &Relay) -> Option<i32> {
    next_checkpoint(r).filter(|c| c.overdue).map(|c| c.n)
}

/// The first unanswered checkpoint of a started relay (due or not).
pub fn next_checkpoint(r: &Relay) -> Option<&Checkpoint> {
    if r.status != RelayStatus::Started {
        return None;
    }
    r.checkpoints
        .iter()
        .filter(|c| c.answer.is_none())
        .min_by_key(|c| c.n)
}

/// The answers the counsellor may record for an off-platform relay in `status`, the open
/// checkpoint first.
pub fn choices(status: RelayStatus, checkpoint: Option<i32>) -> Vec<Choice> {
    match status {
        RelayStatus::Requested => vec![Choice::Accept, Choice::Refuse],
        RelayStatus::Accepted => vec![Choice::Start, Choice::Fail],
        RelayStatus::Started => {
            let mut v = Vec::new();
            if checkpoint.is_some() {
                v.push(Choice::Checkpoint);
            }
            v.extend([Choice::Complete, Choice::Fail]);
            v
        }
        _ => Vec::new(),
    }
}

/// The words of a choice, as what the structure said.
pub fn choice_label(c: Choice, status: RelayStatus, checkpoint: Option<i32>) -> String {
    match c {
        Choice::Accept => "La structure a accepté le jeune".into(),
        Choice::Refuse => "La structure a refusé".into(),
        Choice::Start => "Le premier rendez-vous a eu lieu : le jeune est pris en charge".into(),
        Choice::Fail if status == RelayStatus::Started => {
            "L’accompagnement s’est arrêté avant son terme".into()
        }
        Choice::Fail => "Le relais n’a pas abouti (rendez-vous manqué…)".into(),
        Choice::Complete => "L’accompagnement est terminé".into(),
        Choice::Checkpoint => match checkpoint {
            Some(n) => format!("Point de suivi à {n} jours"),
            None => "Point de suivi".into(),
        },
    }
}

/// What the success message says.
pub fn done_message(r: &Recorded) -> String {
    match r {
        Recorded::Act(Act::Accept) => "Acceptation enregistrée.".into(),
        Recorded::Act(Act::Refuse(..)) => "Refus enregistré.".into(),
        Recorded::Act(Act::Start) => "Prise en charge enregistrée.".into(),
        Recorded::Act(Act::Fail(..)) => "Échec du relais enregistré.".into(),
        Recorded::Act(Act::Complete(_)) => "Fin de l’accompagnement enregistrée.".into(),
        Recorded::Act(Act::Cancel) => "Relais annulé.".into(),
        Recorded::Checkpoint(n, _) => format!("Point de suivi à {n} jours enregistré."),
    }
}

/// The fields of the form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Choice,
    Reason,
    ReasonText,
    Outcome,
    Answer,
    Form,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::Choice => "reponse",
            Field::Reason => "motif",
            Field::ReasonText => "precision",
            Field::Outcome => "issue",
            Field::Answer => "suivi",
            Field::Form => "formulaire",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Choice => "Réponse de la structure",
            Field::Reason => "Motif",
            Field::ReasonText => "Précision",
            Field::Outcome => "Issue",
            Field::Answer => "Réponse au point de suivi",
            Field::Form => "Réponse de la structure",
        }
    }
}

/// The ids of one relay's form: several off-platform relays can be listed at once.
pub fn ids(relay: &Relay) -> IdScope {
    IdScope::new(format!("hors-sas-{}", relay.id))
}

/// The answer as typed. The relay's status and open checkpoint are part of it (the form is
/// made again when the relay changes).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerForm {
    pub status: RelayStatus,
    pub checkpoint: Option<i32>,
    pub choice: Option<Choice>,
    pub reason: Option<RelayReason>,
    pub reason_text: String,
    pub outcome: Option<RelayOutcome>,
    pub answer: Option<CheckpointAnswer>,
}

/// What is sent: an action, or a checkpoint's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Act(Act),
    Checkpoint(i32, CheckpointAnswer),
}

impl AnswerForm {
    pub fn for_relay(r: &Relay) -> AnswerForm {
        AnswerForm {
            status: r.status,
            checkpoint: open_checkpoint(r),
            choice: None,
            reason: None,
            reason_text: String::new(),
            outcome: None,
            answer: None,
        }
    }

    pub fn choices(&self) -> Vec<Choice> {
        choices(self.status, self.checkpoint)
    }

    /// The request, when the form is valid.
    pub fn to_request(&self) -> Result<Recorded, Errors<Field>> {
        let e = self.validate(&());
        if !e.is_empty() {
            return Err(e);
        }
        let text = Some(self.reason_text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        let reason = self.reason.unwrap_or(RelayReason::Other);
        Ok(match self.choice {
            Some(Choice::Accept) => Recorded::Act(Act::Accept),
            Some(Choice::Refuse) => Recorded::Act(Act::Refuse(reason, text)),
            Some(Choice::Start) => Recorded::Act(Act::Start),
            Some(Choice::Fail) => Recorded::Act(Act::Fail(reason, text)),
            Some(Choice::Complete) => Recorded::Act(Act::Complete(
                self.outcome.unwrap_or(RelayOutcome::PositiveExit),
            )),
            Some(Choice::Checkpoint) | None => Recorded::Checkpoint(
                self.checkpoint.unwrap_or_default(),
                self.answer.unwrap_or(CheckpointAnswer::StillAccompanied),
            ),
        })
    }
}

impl FormModel for AnswerForm {
    type Field = Field;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<Field> {
        let mut e = Errors::new();
        let Some(choice) = self.choice.filter(|c| self.choices().contains(c)) else {
            e.add(Field::Choice, "Choisissez ce que la structure a répondu.");
            return e;
        };
        if choice.needs_reason() {
            match self.reason {
                None => e.add(Field::Reason, field_message("reason_required")),
                Some(RelayReason::Other) if self.reason_text.trim().is_empty() => {
                    e.add(Field::ReasonText, field_message("reason_text_required"))
                }
                _ => {}
            }
            if self.reason_text.trim().chars().count() > REASON_TEXT_MAX_CHARS {
                e.add(Field::ReasonText, too_long(REASON_TEXT_MAX_CHARS));
            }
        }
        if choice == Choice::Complete && self.outcome.is_none() {
            e.add(Field::Outcome, "Choisissez l’issue de l’accompagnement.");
        }
        if choice == Choice::Checkpoint && self.answer.is_none() {
            e.add(Field::Answer, "Choisissez la réponse au point de suivi.");
        }
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        let field = match e.field.as_str() {
            "reason" => Field::Reason,
            "reason_text" => Field::ReasonText,
            "outcome" => Field::Outcome,
            "answer" => Field::Answer,
            _ => Field::Form,
        };
        let message = match e.code.as_str() {
            "too_long" if field == Field::ReasonText => too_long(REASON_TEXT_MAX_CHARS),
            "required" if field == Field::Outcome => {
                "Choisissez l’issue de l’accompagnement.".into()
            }
            code => field_message(code),
        };
        (field, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::{NamedStructure, RelayStatus as S};
    use chrono::{NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn checkpoint(n: i32, overdue: bool, answer: Option<CheckpointAnswer>) -> Checkpoint {
        Checkpoint {
            n,
            due_on: day(1),
            overdue,
            answer,
            answered_at: None,
        }
    }

    fn relay(status: RelayStatus, checkpoints: Vec<Checkpoint>) -> Relay {
        Relay {
            id: Uuid::nil(),
            referral_id: Uuid::nil(),
            status,
            off_platform: true,
            structure: NamedStructure {
                id: None,
                name: "Prado".into(),
            },
            service_id: None,
            service_name: None,
            reason: None,
            reason_text: None,
            outcome: None,
            requested_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
            answered_at: None,
            started_at: None,
            ended_at: None,
            expires_on: None,
            overdue: false,
            checkpoints,
            youth: None,
            needs: None,
            shared_summary: None,
            prescriber: None,
            version: 1,
        }
    }

    fn form(status: RelayStatus, checkpoint: Option<i32>, choice: Choice) -> AnswerForm {
        AnswerForm {
            checkpoint,
            choice: Some(choice),
            ..AnswerForm::for_relay(&relay(status, Vec::new()))
        }
    }

    #[test]
    fn the_choices_follow_the_receivers_moves_of_the_api() {
        for s in RelayStatus::ALL {
            let expected: &[Choice] = match s {
                S::Requested => &[Choice::Accept, Choice::Refuse],
                S::Accepted => &[Choice::Start, Choice::Fail],
                S::Started => &[Choice::Complete, Choice::Fail],
                _ => &[],
            };
            assert_eq!(choices(*s, None), expected, "{s}");
            assert!(!choices(*s, None).contains(&Choice::Checkpoint));
            for c in choices(*s, Some(30)) {
                assert!(!choice_label(c, *s, Some(30)).is_empty());
            }
        }
        assert_eq!(
            choices(S::Started, Some(90)),
            vec![Choice::Checkpoint, Choice::Complete, Choice::Fail]
        );
        assert_eq!(
            choice_label(Choice::Checkpoint, S::Started, Some(90)),
            "Point de suivi à 90 jours"
        );
        assert_ne!(
            choice_label(Choice::Fail, S::Started, None),
            choice_label(Choice::Fail, S::Accepted, None)
        );
    }

    #[test]
    fn only_the_first_unanswered_checkpoint_once_due_is_open() {
        let a = Some(CheckpointAnswer::StillAccompanied);
        // Not due yet: shown as coming, not answerable.
        let r = relay(
            S::Started,
            vec![
                checkpoint(30, false, None),
                checkpoint(90, false, None),
                checkpoint(180, false, None),
            ],
        );
        assert_eq!(next_checkpoint(&r).map(|c| c.n), Some(30));
        assert_eq!(open_checkpoint(&r), None);
        // J+30 answered, J+90 due (listed out of order on purpose).
        let r = relay(
            S::Started,
            vec![
                checkpoint(180, false, None),
                checkpoint(90, true, None),
                checkpoint(30, false, a),
            ],
        );
        assert_eq!(open_checkpoint(&r), Some(90));
        assert_eq!(AnswerForm::for_relay(&r).checkpoint, Some(90));
        // A relay no longer started has none.
        let r = relay(S::Completed, vec![checkpoint(30, true, None)]);
        assert_eq!(open_checkpoint(&r), None);
        assert!(next_checkpoint(&r).is_none());
    }

    #[test]
    fn a_choice_is_required_and_must_be_one_of_the_status() {
        let mut f = AnswerForm::for_relay(&relay(S::Requested, Vec::new()));
        let e = f.to_request().unwrap_err();
        assert!(e.get(Field::Choice).is_some());
        // Not from this status.
        f.choice = Some(Choice::Start);
        assert!(f.validate(&()).get(Field::Choice).is_some());
        f.choice = Some(Choice::Accept);
        assert_eq!(f.to_request(), Ok(Recorded::Act(Act::Accept)));
        let f = form(S::Accepted, None, Choice::Start);
        assert_eq!(f.to_request(), Ok(Recorded::Act(Act::Start)));
    }

    #[test]
    fn refusing_and_failing_need_a_reason_and_other_needs_a_text() {
        for (status, choice) in [(S::Requested, Choice::Refuse), (S::Started, Choice::Fail)] {
            let mut f = form(status, None, choice);
            assert!(f.validate(&()).get(Field::Reason).is_some());
            f.reason = Some(RelayReason::Other);
            f.reason_text = "   ".into();
            let e = f.validate(&());
            assert_eq!(e.len(), 1);
            assert_eq!(e.get(Field::ReasonText), Some("Précisez le motif."));
            f.reason_text = "x".repeat(REASON_TEXT_MAX_CHARS + 1);
            assert!(f.validate(&()).get(Field::ReasonText).is_some());
            f.reason_text = "  Déménagé à Lille ".into();
            let want = Some("Déménagé à Lille".to_string());
            assert_eq!(
                f.to_request(),
                Ok(Recorded::Act(if choice == Choice::Refuse {
                    Act::Refuse(RelayReason::Other, want)
                } else {
                    Act::Fail(RelayReason::Other, want)
                }))
            );
            // A coded reason alone is enough.
            f.reason = Some(RelayReason::NoCapacity);
            f.reason_text.clear();
            assert!(f.validate(&()).is_empty());
        }
    }

    #[test]
    fn completing_needs_an_outcome_and_a_checkpoint_an_answer() {
        let mut f = form(S::Started, None, Choice::Complete);
        assert!(f.validate(&()).get(Field::Outcome).is_some());
        f.outcome = Some(RelayOutcome::ProgrammeEnded);
        assert_eq!(
            f.to_request(),
            Ok(Recorded::Act(Act::Complete(RelayOutcome::ProgrammeEnded)))
        );
        // No checkpoint open: not a choice.
        let f = form(S::Started, None, Choice::Checkpoint);
        assert!(f.validate(&()).get(Field::Choice).is_some());
        let mut f = form(S::Started, Some(30), Choice::Checkpoint);
        assert!(f.validate(&()).get(Field::Answer).is_some());
        f.answer = Some(CheckpointAnswer::DroppedOut);
        assert_eq!(
            f.to_request(),
            Ok(Recorded::Checkpoint(30, CheckpointAnswer::DroppedOut))
        );
        assert_eq!(
            done_message(&f.to_request().unwrap()),
            "Point de suivi à 30 jours enregistré."
        );
    }

    #[test]
    fn api_errors_go_to_their_fields_and_each_relay_has_its_ids() {
        let err = |field: &str, code: &str| FieldError {
            field: field.into(),
            code: code.into(),
            message: String::new(),
        };
        assert_eq!(
            AnswerForm::api_error(&err("reason", "reason_required")),
            (Field::Reason, "Indiquez un motif.".to_string())
        );
        assert_eq!(
            AnswerForm::api_error(&err("reason_text", "too_long")).1,
            "500 caractères au plus."
        );
        assert_eq!(
            AnswerForm::api_error(&err("outcome", "required")).0,
            Field::Outcome
        );
        assert_eq!(AnswerForm::api_error(&err("x", "y")).0, Field::Form);
        let (mut a, mut b) = (relay(S::Started, vec![]), relay(S::Started, vec![]));
        a.id = Uuid::from_u128(1);
        b.id = Uuid::from_u128(2);
        assert_ne!(ids(&a).field(Field::Reason), ids(&b).field(Field::Reason));
        assert!(ids(&a).field(Field::Reason).starts_with("hors-sas-"));
    }
}

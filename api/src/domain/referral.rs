//! The referral lifecycle: which (from, to, role) transitions are allowed, urgency, ages.
use api_types::{Outcome, Role, Status};
use chrono::{Datelike, NaiveDate};

/// Who asks for a transition. `System` transitions follow from other actions (a contact
/// attempt that reaches the youth, a relay requested or started) and cannot be requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Role(Role),
    System,
}

use Status::*;

/// The allow-list of DOMAIN.md: (from, to, who). `on_hold` returns to the state it left, and
/// any non-closed state may close (with an outcome), checked separately below.
const ALLOWED: &[(Status, Status, Actor)] = &[
    (PendingModeration, Submitted, Actor::Role(Role::Counsellor)),
    (Submitted, Contacting, Actor::Role(Role::Counsellor)),
    // A counsellor releases a referral they took and have not reached yet.
    (Contacting, Submitted, Actor::Role(Role::Counsellor)),
    (Contacting, Diagnosis, Actor::System),
    (Contacting, Unreachable, Actor::Role(Role::Counsellor)),
    (Contacting, Unreachable, Actor::System),
    (Unreachable, Contacting, Actor::Role(Role::Counsellor)),
    (Diagnosis, Relaying, Actor::System),
    (Relaying, Followed, Actor::System),
    (Followed, Relaying, Actor::System),
];

/// States from which `on_hold` may be entered (and to which it returns).
pub const HOLDABLE: [Status; 4] = [Contacting, Diagnosis, Relaying, Followed];

/// Outcomes a counsellor may record; `withdrawn` is the prescriber's, `entered_in_error` the admin's.
fn may_close_with(actor: Actor, from: Status, outcome: Outcome) -> bool {
    match actor {
        Actor::Role(Role::Counsellor) => {
            !matches!(outcome, Outcome::Withdrawn | Outcome::EnteredInError)
        }
        // A prescriber withdraws a referral nobody has taken yet.
        Actor::Role(Role::Prescriber) => {
            outcome == Outcome::Withdrawn && matches!(from, Submitted | PendingModeration)
        }
        Actor::Role(Role::Admin) => outcome == Outcome::EnteredInError,
        Actor::System => matches!(outcome, Outcome::TakenInCharge | Outcome::PositiveExit),
        Actor::Role(_) => false,
    }
}

/// Whether `actor` may move a referral from `from` (with `hold_from`, the state on_hold left)
/// to `to`. `outcome` matters for `closed`.
pub fn allowed(
    from: Status,
    hold_from: Option<Status>,
    to: Status,
    actor: Actor,
    outcome: Option<Outcome>,
) -> bool {
    if from == Closed {
        return false;
    }
    if to == Closed {
        return outcome.is_some_and(|o| may_close_with(actor, from, o));
    }
    let counsellor = actor == Actor::Role(Role::Counsellor);
    if to == OnHold {
        return counsellor && HOLDABLE.contains(&from);
    }
    if from == OnHold {
        return counsellor && hold_from == Some(to);
    }
    ALLOWED
        .iter()
        .any(|&(f, t, a)| f == from && t == to && a == actor)
}

/// Targets `actor` may request from this state (for the 409 answer).
pub fn targets(from: Status, hold_from: Option<Status>, actor: Actor) -> Vec<Status> {
    const ALL: [Status; 9] = [
        PendingModeration,
        Submitted,
        Contacting,
        Unreachable,
        Diagnosis,
        Relaying,
        Followed,
        OnHold,
        Closed,
    ];
    const OUTCOMES: [Outcome; 8] = [
        Outcome::TakenInCharge,
        Outcome::PositiveExit,
        Outcome::Declined,
        Outcome::Unreachable,
        Outcome::MovedAway,
        Outcome::Duplicate,
        Outcome::Withdrawn,
        Outcome::EnteredInError,
    ];
    ALL.into_iter()
        .filter(|&to| {
            if to == Closed {
                OUTCOMES
                    .iter()
                    .any(|&o| allowed(from, hold_from, to, actor, Some(o)))
            } else {
                allowed(from, hold_from, to, actor, None)
            }
        })
        .collect()
}

/// Outcomes and states that need a reason (DOMAIN.md: negative states and outcomes).
pub fn needs_reason(to: Status, outcome: Option<Outcome>) -> bool {
    matches!(to, Unreachable | OnHold)
        || matches!(
            outcome,
            Some(
                Outcome::Declined
                    | Outcome::Unreachable
                    | Outcome::MovedAway
                    | Outcome::Duplicate
                    | Outcome::Withdrawn
                    | Outcome::EnteredInError
            )
        )
}

pub const URGENT_WITHIN_DAYS: i64 = 30;

/// A referral whose exit date is within 30 days (or past) and which has not reached
/// diagnosis yet is urgent. `on_hold` counts by the state it left.
pub fn is_urgent(
    status: Status,
    hold_from: Option<Status>,
    exit_date: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let effective = if status == OnHold {
        hold_from.unwrap_or(status)
    } else {
        status
    };
    let early = matches!(
        effective,
        PendingModeration | Submitted | Contacting | Unreachable
    );
    early && exit_date.is_some_and(|d| (d - today).num_days() <= URGENT_WITHIN_DAYS)
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

pub use api_types::rules::{ADULT_AGE, MAX_AGE, MIN_AGE};

pub fn status_str(s: Status) -> &'static str {
    match s {
        PendingModeration => "pending_moderation",
        Submitted => "submitted",
        Contacting => "contacting",
        Unreachable => "unreachable",
        Diagnosis => "diagnosis",
        Relaying => "relaying",
        Followed => "followed",
        OnHold => "on_hold",
        Closed => "closed",
    }
}

pub fn parse_status(s: &str) -> Option<Status> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// The snake_case code of any unit enum of api-types (outcomes, reasons, channels…).
pub fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn parse_code<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Actor = Actor::Role(Role::Counsellor);
    const P: Actor = Actor::Role(Role::Prescriber);

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_counsellor_takes_and_releases_but_cannot_jump_to_diagnosis() {
        assert!(allowed(Submitted, None, Contacting, C, None));
        assert!(allowed(Contacting, None, Submitted, C, None));
        assert!(
            !allowed(Contacting, None, Diagnosis, C, None),
            "diagnosis follows a contact"
        );
        assert!(allowed(Contacting, None, Diagnosis, Actor::System, None));
        assert!(
            !allowed(Submitted, None, Contacting, P, None),
            "prescribers do not take"
        );
    }

    #[test]
    fn on_hold_returns_to_the_state_it_left() {
        assert!(allowed(Diagnosis, None, OnHold, C, None));
        assert!(!allowed(Submitted, None, OnHold, C, None));
        assert!(allowed(OnHold, Some(Diagnosis), Diagnosis, C, None));
        assert!(!allowed(OnHold, Some(Diagnosis), Contacting, C, None));
    }

    #[test]
    fn closing_needs_an_outcome_the_actor_may_record() {
        assert!(!allowed(Contacting, None, Closed, C, None));
        assert!(allowed(
            Contacting,
            None,
            Closed,
            C,
            Some(Outcome::Declined)
        ));
        assert!(!allowed(
            Contacting,
            None,
            Closed,
            C,
            Some(Outcome::Withdrawn)
        ));
        assert!(allowed(
            Submitted,
            None,
            Closed,
            P,
            Some(Outcome::Withdrawn)
        ));
        assert!(
            !allowed(Contacting, None, Closed, P, Some(Outcome::Withdrawn)),
            "too late once taken"
        );
        assert!(allowed(
            Diagnosis,
            None,
            Closed,
            Actor::Role(Role::Admin),
            Some(Outcome::EnteredInError)
        ));
        assert!(
            !allowed(Closed, None, Submitted, C, None),
            "closed is final"
        );
    }

    #[test]
    fn targets_name_what_is_possible() {
        assert_eq!(targets(Submitted, None, C), vec![Contacting, Closed]);
        assert_eq!(targets(Submitted, None, P), vec![Closed]);
        assert_eq!(targets(Contacting, None, P), Vec::<Status>::new());
        assert_eq!(targets(Closed, None, C), Vec::<Status>::new());
    }

    #[test]
    fn negative_states_and_outcomes_need_a_reason() {
        assert!(needs_reason(OnHold, None));
        assert!(needs_reason(Closed, Some(Outcome::Withdrawn)));
        assert!(!needs_reason(Closed, Some(Outcome::TakenInCharge)));
        assert!(!needs_reason(Contacting, None));
    }

    #[test]
    fn urgency_counts_calendar_days_until_diagnosis() {
        let today = d("2026-03-02");
        assert!(
            is_urgent(Submitted, None, Some(d("2026-04-01")), today),
            "30 days"
        );
        assert!(
            !is_urgent(Submitted, None, Some(d("2026-04-02")), today),
            "31 days"
        );
        assert!(
            is_urgent(Contacting, None, Some(d("2025-12-01")), today),
            "past"
        );
        assert!(
            !is_urgent(Diagnosis, None, Some(d("2026-03-03")), today),
            "already diagnosed"
        );
        assert!(!is_urgent(Submitted, None, None, today), "no date");
        assert!(is_urgent(
            OnHold,
            Some(Contacting),
            Some(d("2026-03-03")),
            today
        ));
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(d("2008-03-02"), d("2026-03-02")), 18);
        assert_eq!(age_on(d("2008-03-03"), d("2026-03-02")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(status_str(OnHold), "on_hold");
        assert_eq!(parse_status("on_hold"), Some(OnHold));
        assert_eq!(code(&Outcome::MovedAway), "moved_away");
        assert_eq!(
            parse_code::<Outcome>("moved_away"),
            Some(Outcome::MovedAway)
        );
    }
}

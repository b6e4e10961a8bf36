//! The referral lifecycle of DOMAIN.md as one pure function: [`apply`] takes the lifecycle
//! state, the requested transition, who asks and the time, and returns the new state with the
//! event to record, or a typed [`Refusal`]. Handlers load, call it, save and journal; contact
//! attempts, relays and jobs trigger their transitions through it too, as [`Capacity::System`].
use api_types::{AttemptChannel, EventKind, HoldReason, Outcome, Status};
use chrono::{DateTime, Utc};

use crate::ids::UserId;

use Status::*;

/// In which capacity a transition is asked for. `System` transitions follow from other actions
/// (a contact attempt that reaches the youth, a relay requested or started, a counsellor
/// deactivated, the last checkpoint answered) and cannot be requested over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capacity {
    Prescriber,
    Counsellor,
    Admin,
    System,
}

impl Capacity {
    pub const ALL: [Capacity; 4] = [
        Capacity::Prescriber,
        Capacity::Counsellor,
        Capacity::Admin,
        Capacity::System,
    ];
}

/// Who asks: the capacity, and the person when there is one (a counsellor taking a referral
/// is assigned to it unless they name a colleague).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct By {
    pub capacity: Capacity,
    pub user: Option<UserId>,
}

impl By {
    pub const SYSTEM: By = By {
        capacity: Capacity::System,
        user: None,
    };
}

/// Why a referral is on hold, and the state it returns to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub from: Status,
    pub reason: HoldReason,
}

/// The part of a referral the lifecycle reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    pub status: Status,
    pub hold: Option<Hold>,
    pub outcome: Option<Outcome>,
    pub assigned: Option<UserId>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The cause of the system's `contacting → submitted` when the assigned counsellor's account
/// is deactivated.
pub const COUNSELLOR_DEACTIVATED: &str = "counsellor_deactivated";

/// A requested transition (`POST /referrals/{id}/transitions`, or a system action).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub to: Option<Status>,
    pub outcome: Option<Outcome>,
    /// A hold reason code for `on_hold`; a free-text reason for `unreachable` and the negative
    /// outcomes.
    pub reason: Option<String>,
    /// With `submitted → contacting`: the counsellor to assign (default: the one asking).
    pub counsellor: Option<UserId>,
    /// Why the system makes this change (an event code such as `counsellor_deactivated`),
    /// recorded as the event's code when the change has no outcome or hold reason of its own.
    /// Only the system gives causes (ignored for people, who give reasons).
    pub cause: Option<&'static str>,
}

impl Request {
    pub fn to(to: Status) -> Request {
        Request {
            to: Some(to),
            ..Request::default()
        }
    }

    pub fn close(outcome: Outcome) -> Request {
        Request {
            to: Some(Closed),
            outcome: Some(outcome),
            ..Request::default()
        }
    }
}

/// An event to append to the timeline: codes only. The free-text `note` goes to a separate
/// row that anonymisation can blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub kind: EventKind,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// The outcome or hold reason code (or the reason code of a new referral).
    pub code: Option<String>,
    /// The counsellor assigned by this change.
    pub counsellor: Option<UserId>,
    /// The fields a correction changed (names, never values).
    pub fields: Vec<String>,
    pub note: Option<String>,
    /// The channel of a contact attempt.
    pub attempt_channel: Option<AttemptChannel>,
    /// The territory a transfer goes to.
    pub to_territory: Option<uuid::Uuid>,
    /// The relay this event is about.
    pub relay: Option<uuid::Uuid>,
}

impl EventDraft {
    pub fn new(kind: EventKind) -> EventDraft {
        EventDraft {
            kind,
            from_status: None,
            to_status: None,
            code: None,
            counsellor: None,
            fields: Vec::new(),
            note: None,
            attempt_channel: None,
            to_territory: None,
            relay: None,
        }
    }
}

/// A transition that is allowed: the state to save and the event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub state: Lifecycle,
    pub event: EventDraft,
}

/// A field of the request a refusal points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    To,
    Outcome,
    Reason,
    CounsellorId,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::To => "to",
            Field::Outcome => "outcome",
            Field::Reason => "reason",
            Field::CounsellorId => "counsellor_id",
        }
    }
}

/// Why an outcome does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeRule {
    /// `entered_in_error` is recorded by an administrator only.
    AdminOnly,
    /// `withdrawn` is the prescriber's.
    PrescriberOnly,
    /// The other outcomes are the SAS team's.
    SasOnly,
    /// `closed_by_sas` is how prescribers read `duplicate`: never recorded.
    ReadOnly,
    /// This outcome cannot follow the current state.
    NotFromThisState,
}

/// A refused transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No outcome lets this capacity reach `to` from here (409, with the allowed targets).
    /// `already_taken`: someone holds the referral and this was a take.
    Illegal {
        from: Status,
        to: Status,
        allowed: Vec<Status>,
        already_taken: bool,
    },
    /// A required field is missing (422): a reason, an outcome (with the outcomes allowed).
    Missing {
        field: Field,
        allowed_outcomes: Vec<Outcome>,
    },
    /// The outcome does not fit the state or the capacity (422 `outcome_not_allowed`).
    OutcomeNotAllowed {
        outcome: Outcome,
        allowed: Vec<Outcome>,
        rule: OutcomeRule,
    },
    /// A field that this transition does not take (422).
    NotApplicable { field: Field },
    /// `on_hold` needs a hold reason code (422).
    InvalidHoldReason,
    /// The free-text reason is longer than [`MAX_REASON_CHARS`] (422).
    ReasonTooLong,
}

pub const MAX_REASON_CHARS: usize = 500;

/// States from which `on_hold` may be entered (and to which it returns).
pub const HOLDABLE: [Status; 4] = [Contacting, Diagnosis, Relaying, Followed];

/// Every state but `closed`.
pub const OPEN: [Status; 8] = [
    PendingModeration,
    Submitted,
    Contacting,
    Unreachable,
    Diagnosis,
    Relaying,
    Followed,
    OnHold,
];

/// The allow-list of DOMAIN.md for every move but holds and closing: (from, to, who).
const MOVES: &[(Status, Status, Capacity)] = &[
    (PendingModeration, Submitted, Capacity::Counsellor),
    (Submitted, Contacting, Capacity::Counsellor),
    // A counsellor releases a referral back to the queue; the system does it for them when
    // their account is deactivated.
    (Contacting, Submitted, Capacity::Counsellor),
    (Contacting, Submitted, Capacity::System),
    // A contact (attempt reached or appointment_set) starts the diagnosis.
    (Contacting, Diagnosis, Capacity::System),
    // Only a counsellor moves a referral to unreachable (typically once the rule is met).
    (Contacting, Unreachable, Capacity::Counsellor),
    // New contact information or the youth calls back; a contact recorded there.
    (Unreachable, Contacting, Capacity::Counsellor),
    (Unreachable, Contacting, Capacity::System),
    (Diagnosis, Relaying, Capacity::System),
    (Relaying, Followed, Capacity::System),
    (Followed, Relaying, Capacity::System),
];

/// DOMAIN.md's outcome table: the states each outcome may follow, and who records it.
pub fn outcome_rule(outcome: Outcome) -> (&'static [Status], &'static [Capacity]) {
    const WORKED: &[Status] = &[Contacting, Diagnosis, Relaying, Followed, OnHold];
    match outcome {
        Outcome::TakenInCharge => (&[Followed], &[Capacity::Counsellor, Capacity::System]),
        Outcome::PositiveExit => (WORKED, &[Capacity::Counsellor, Capacity::System]),
        Outcome::Declined => (WORKED, &[Capacity::Counsellor]),
        Outcome::Unreachable => (&[Unreachable], &[Capacity::Counsellor]),
        Outcome::MovedAway | Outcome::Duplicate => (&OPEN, &[Capacity::Counsellor]),
        Outcome::Withdrawn => (&[Submitted, Contacting], &[Capacity::Prescriber]),
        Outcome::EnteredInError => (&OPEN, &[Capacity::Admin]),
        Outcome::ClosedBySas => (&[], &[]),
    }
}

/// Whether `who` may close a referral in `from` with `outcome`. The system closes a followed
/// referral by itself once its last checkpoint is answered, never earlier.
pub fn may_close(from: Status, outcome: Outcome, who: Capacity) -> bool {
    let (states, capacities) = outcome_rule(outcome);
    let from_ok = if who == Capacity::System {
        from == Followed
    } else {
        states.contains(&from)
    };
    from_ok && capacities.contains(&who)
}

/// The outcomes `who` may close a referral in `from` with, in the order of the table.
pub fn allowed_outcomes(from: Status, who: Capacity) -> Vec<Outcome> {
    Outcome::ALL
        .iter()
        .copied()
        .filter(|&o| may_close(from, o, who))
        .collect()
}

/// Whether `who` may move a referral in `state` to `to` (for `closed`: with some outcome).
pub fn may_move(state: &Lifecycle, to: Status, who: Capacity) -> bool {
    let from = state.status;
    if from == Closed {
        return false;
    }
    if to == Closed {
        return !allowed_outcomes(from, who).is_empty();
    }
    let counsellor = who == Capacity::Counsellor;
    if to == OnHold {
        return counsellor && HOLDABLE.contains(&from);
    }
    if from == OnHold {
        return counsellor && state.hold.map(|h| h.from) == Some(to);
    }
    MOVES
        .iter()
        .any(|&(f, t, c)| f == from && t == to && c == who)
}

/// The states `who` may move a referral in `state` to (named by a 409).
pub fn targets(state: &Lifecycle, who: Capacity) -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|&to| may_move(state, to, who))
        .collect()
}

/// Whether a referral in `status` is held by a counsellor and may be handed over to another
/// (`POST /referrals/{id}/assign`): taken, and not closed.
pub fn may_reassign(status: Status) -> bool {
    !matches!(status, PendingModeration | Submitted | Closed)
}

/// Moves and outcomes that need a free-text reason (DOMAIN.md: negative states and outcomes).
pub fn needs_reason(to: Status, outcome: Option<Outcome>) -> bool {
    to == Unreachable
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

fn clean(reason: Option<&str>) -> Option<String> {
    reason.and_then(crate::domain::text::clean)
}

/// Applies `req` to `state`. Refusals come in this order: the move itself (409), then the
/// outcome (422), then the reason and the other fields (422).
pub fn apply(
    state: &Lifecycle,
    req: &Request,
    by: By,
    now: DateTime<Utc>,
) -> Result<Applied, Refusal> {
    let from = state.status;
    let Some(to) = req.to else {
        return Err(Refusal::Missing {
            field: Field::To,
            allowed_outcomes: Vec::new(),
        });
    };
    if !may_move(state, to, by.capacity) {
        return Err(Refusal::Illegal {
            from,
            to,
            allowed: targets(state, by.capacity),
            already_taken: to == Contacting && from != Closed && state.assigned.is_some(),
        });
    }
    let mut next = state.clone();
    let mut event = EventDraft::new(EventKind::StatusChanged);
    event.from_status = Some(from);
    event.to_status = Some(to);
    if to == Closed {
        let allowed = allowed_outcomes(from, by.capacity);
        let Some(outcome) = req.outcome else {
            return Err(Refusal::Missing {
                field: Field::Outcome,
                allowed_outcomes: allowed,
            });
        };
        if !allowed.contains(&outcome) {
            let (states, capacities) = outcome_rule(outcome);
            let rule = if outcome == Outcome::ClosedBySas {
                OutcomeRule::ReadOnly
            } else if capacities.contains(&by.capacity) || states.is_empty() {
                OutcomeRule::NotFromThisState
            } else if capacities == [Capacity::Admin] {
                OutcomeRule::AdminOnly
            } else if capacities == [Capacity::Prescriber] {
                OutcomeRule::PrescriberOnly
            } else {
                OutcomeRule::SasOnly
            };
            return Err(Refusal::OutcomeNotAllowed {
                outcome,
                allowed,
                rule,
            });
        }
        next.outcome = Some(outcome);
        next.closed_at = Some(now);
        next.hold = None;
        event.code = Some(outcome.as_str().to_string());
    } else if req.outcome.is_some() {
        return Err(Refusal::NotApplicable {
            field: Field::Outcome,
        });
    }
    if to == OnHold {
        let reason = req
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let Some(code) = reason else {
            return Err(Refusal::Missing {
                field: Field::Reason,
                allowed_outcomes: Vec::new(),
            });
        };
        let reason = HoldReason::parse(code).ok_or(Refusal::InvalidHoldReason)?;
        next.hold = Some(Hold { from, reason });
        event.code = Some(reason.as_str().to_string());
    } else {
        let note = clean(req.reason.as_deref());
        if needs_reason(to, req.outcome) && note.is_none() {
            return Err(Refusal::Missing {
                field: Field::Reason,
                allowed_outcomes: Vec::new(),
            });
        }
        if note
            .as_deref()
            .is_some_and(|n| n.chars().count() > MAX_REASON_CHARS)
        {
            return Err(Refusal::ReasonTooLong);
        }
        event.note = note;
    }
    let taking = from == Submitted && to == Contacting;
    if req.counsellor.is_some() && !taking {
        return Err(Refusal::NotApplicable {
            field: Field::CounsellorId,
        });
    }
    match (from, to) {
        (Submitted, Contacting) => {
            let who = req.counsellor.or(by.user).ok_or(Refusal::Missing {
                field: Field::CounsellorId,
                allowed_outcomes: Vec::new(),
            })?;
            next.assigned = Some(who);
            event.counsellor = Some(who);
        }
        (Contacting, Submitted) => next.assigned = None,
        (PendingModeration, Submitted) => next.submitted_at = Some(now),
        (OnHold, _) if to != Closed => next.hold = None,
        _ => {}
    }
    if let Some(cause) = req.cause.filter(|_| by.capacity == Capacity::System) {
        event.code.get_or_insert_with(|| cause.to_string());
    }
    next.status = to;
    Ok(Applied { state: next, event })
}

/// While a referral is on hold, a relay that is requested, starts or fails changes the state
/// it will return to (`Hold.from`, DOMAIN.md: "while it is on hold, the state it returns to
/// follows the same rule"). Not a transition: the status stays `on_hold`. Only between the
/// states relays move (diagnosis, relaying, followed); `None` when nothing changes.
pub fn retarget_hold(state: &Lifecycle, to: Status) -> Option<Lifecycle> {
    const RELAY_STATES: [Status; 3] = [Diagnosis, Relaying, Followed];
    let hold = state.hold.filter(|_| state.status == OnHold)?;
    if hold.from == to || !RELAY_STATES.contains(&hold.from) || !RELAY_STATES.contains(&to) {
        return None;
    }
    let mut next = state.clone();
    next.hold = Some(Hold { from: to, ..hold });
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capacity::{Admin as A, Counsellor as C, Prescriber as P, System as S};

    fn now() -> DateTime<Utc> {
        "2026-03-02T09:00:00Z".parse().expect("time")
    }

    fn state(status: Status, hold_from: Option<Status>) -> Lifecycle {
        Lifecycle {
            status,
            hold: hold_from.map(|from| Hold {
                from,
                reason: HoldReason::WaitingList,
            }),
            outcome: (status == Closed).then_some(Outcome::Declined),
            assigned: (!matches!(status, PendingModeration | Submitted))
                .then(|| UserId(uuid::Uuid::from_u128(7))),
            submitted_at: None,
            closed_at: None,
        }
    }

    /// Every state a referral can be in: on_hold once per state it may return to.
    fn all_states() -> Vec<Lifecycle> {
        let mut v: Vec<Lifecycle> = Status::ALL
            .iter()
            .filter(|s| **s != OnHold)
            .map(|s| state(*s, None))
            .collect();
        v.extend(HOLDABLE.iter().map(|h| state(OnHold, Some(*h))));
        v
    }

    fn by(c: Capacity) -> By {
        By {
            capacity: c,
            user: Some(UserId(uuid::Uuid::from_u128(42))),
        }
    }

    /// DOMAIN.md's allow-list written out by hand: (from, hold_from, to, who) for every move
    /// that is not a closing. Anything absent must be refused.
    const EXPECTED_MOVES: &[(Status, Option<Status>, Status, Capacity)] = &[
        (PendingModeration, None, Submitted, C),
        (Submitted, None, Contacting, C),
        (Contacting, None, Submitted, C),
        (Contacting, None, Submitted, S),
        (Contacting, None, Diagnosis, S),
        (Contacting, None, Unreachable, C),
        (Unreachable, None, Contacting, C),
        (Unreachable, None, Contacting, S),
        (Diagnosis, None, Relaying, S),
        (Relaying, None, Followed, S),
        (Followed, None, Relaying, S),
        (Contacting, None, OnHold, C),
        (Diagnosis, None, OnHold, C),
        (Relaying, None, OnHold, C),
        (Followed, None, OnHold, C),
        (OnHold, Some(Contacting), Contacting, C),
        (OnHold, Some(Diagnosis), Diagnosis, C),
        (OnHold, Some(Relaying), Relaying, C),
        (OnHold, Some(Followed), Followed, C),
    ];

    /// DOMAIN.md's outcome table written out by hand: (outcome, states, who).
    fn expected_closings() -> Vec<(Outcome, Vec<Status>, Vec<Capacity>)> {
        let worked = vec![Contacting, Diagnosis, Relaying, Followed, OnHold];
        let open = vec![
            PendingModeration,
            Submitted,
            Contacting,
            Unreachable,
            Diagnosis,
            Relaying,
            Followed,
            OnHold,
        ];
        vec![
            (Outcome::TakenInCharge, vec![Followed], vec![C, S]),
            (Outcome::PositiveExit, worked.clone(), vec![C]),
            (Outcome::PositiveExit, vec![Followed], vec![S]),
            (Outcome::Declined, worked, vec![C]),
            (Outcome::Unreachable, vec![Unreachable], vec![C]),
            (Outcome::MovedAway, open.clone(), vec![C]),
            (Outcome::Duplicate, open.clone(), vec![C]),
            (Outcome::Withdrawn, vec![Submitted, Contacting], vec![P]),
            (Outcome::EnteredInError, open, vec![A]),
        ]
    }

    fn closing_expected(from: Status, outcome: Outcome, who: Capacity) -> bool {
        expected_closings()
            .iter()
            .any(|(o, states, caps)| *o == outcome && states.contains(&from) && caps.contains(&who))
    }

    /// A request that satisfies every field rule, so only the allow-list decides.
    fn complete(to: Status, outcome: Option<Outcome>) -> Request {
        Request {
            to: Some(to),
            outcome,
            reason: Some(
                if to == OnHold {
                    "waiting_list"
                } else {
                    "Parce que."
                }
                .into(),
            ),
            counsellor: None,
            cause: None,
        }
    }

    #[test]
    fn a_cause_codes_the_systems_change_and_is_ignored_for_people() {
        let taken = apply(
            &state(Submitted, None),
            &Request::to(Contacting),
            by(C),
            now(),
        )
        .expect("take");
        let release = Request {
            cause: Some(COUNSELLOR_DEACTIVATED),
            ..Request::to(Submitted)
        };
        let by_system = apply(&taken.state, &release, By::SYSTEM, now()).expect("system");
        assert_eq!(
            by_system.event.code.as_deref(),
            Some(COUNSELLOR_DEACTIVATED)
        );
        assert_eq!(by_system.state.assigned, None);
        let by_person = apply(&taken.state, &release, by(C), now()).expect("counsellor");
        assert_eq!(
            by_person.event.code, None,
            "people give reasons, not causes"
        );
    }

    #[test]
    fn every_from_to_capacity_triple_follows_the_allow_list() {
        let mut allowed = 0;
        for s in all_states() {
            let hold_from = s.hold.map(|h| h.from);
            for to in Status::ALL.iter().copied().filter(|t| *t != Closed) {
                for who in Capacity::ALL {
                    let expected = EXPECTED_MOVES.iter().any(|&(f, h, t, c)| {
                        f == s.status && h == hold_from && t == to && c == who
                    });
                    let got = apply(&s, &complete(to, None), by(who), now());
                    assert_eq!(
                        got.is_ok(),
                        expected,
                        "{} (from {hold_from:?}) → {to} by {who:?}: {got:?}",
                        s.status
                    );
                    allowed += usize::from(expected);
                    if let Ok(a) = got {
                        assert_eq!(a.state.status, to);
                        assert_eq!(a.event.kind, EventKind::StatusChanged);
                        assert_eq!(
                            (a.event.from_status, a.event.to_status),
                            (Some(s.status), Some(to))
                        );
                    } else if let Err(Refusal::Illegal { allowed, .. }) = &got {
                        assert_eq!(allowed, &targets(&s, who));
                        assert!(!allowed.contains(&to));
                    } else {
                        panic!("{} → {to} by {who:?}: {got:?}", s.status);
                    }
                }
            }
        }
        assert_eq!(allowed, EXPECTED_MOVES.len());
    }

    #[test]
    fn every_state_outcome_capacity_triple_follows_the_outcome_table() {
        for s in all_states() {
            for outcome in Outcome::ALL.iter().copied() {
                for who in Capacity::ALL {
                    let expected = s.status != Closed && closing_expected(s.status, outcome, who);
                    let got = apply(&s, &complete(Closed, Some(outcome)), by(who), now());
                    assert_eq!(
                        got.is_ok(),
                        expected,
                        "close {} with {outcome} by {who:?}: {got:?}",
                        s.status
                    );
                    assert_eq!(
                        may_close(s.status, outcome, who),
                        closing_expected(s.status, outcome, who)
                    );
                    match got {
                        Ok(a) => {
                            assert_eq!(a.state.status, Closed);
                            assert_eq!(a.state.outcome, Some(outcome));
                            assert_eq!(a.state.closed_at, Some(now()));
                            assert_eq!(a.state.hold, None);
                            assert_eq!(a.event.code.as_deref(), Some(outcome.as_str()));
                        }
                        Err(Refusal::Illegal { allowed, .. }) => {
                            // No outcome at all lets this capacity close from here.
                            assert!(
                                Outcome::ALL
                                    .iter()
                                    .all(|o| !closing_expected(s.status, *o, who))
                                    || s.status == Closed
                            );
                            assert!(!allowed.contains(&Closed));
                        }
                        Err(Refusal::OutcomeNotAllowed { allowed, .. }) => {
                            assert!(!allowed.is_empty());
                            assert!(!allowed.contains(&outcome));
                            assert_eq!(allowed, allowed_outcomes(s.status, who));
                        }
                        Err(other) => {
                            panic!("close {} with {outcome} by {who:?}: {other:?}", s.status)
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_closed_referral_refuses_everything_and_names_no_target() {
        let closed = state(Closed, None);
        for to in Status::ALL {
            for who in Capacity::ALL {
                assert_eq!(
                    apply(
                        &closed,
                        &complete(*to, Some(Outcome::Declined)),
                        by(who),
                        now()
                    ),
                    Err(Refusal::Illegal {
                        from: Closed,
                        to: *to,
                        allowed: vec![],
                        already_taken: false
                    })
                );
            }
        }
    }

    #[test]
    fn closing_without_an_outcome_is_a_missing_field_naming_the_outcomes_allowed() {
        let s = state(Contacting, None);
        assert_eq!(
            apply(&s, &Request::to(Closed), by(C), now()),
            Err(Refusal::Missing {
                field: Field::Outcome,
                allowed_outcomes: vec![
                    Outcome::PositiveExit,
                    Outcome::Declined,
                    Outcome::MovedAway,
                    Outcome::Duplicate
                ]
            })
        );
        // A prescriber cannot close a diagnosis at all: 409, not 422.
        assert!(matches!(
            apply(&state(Diagnosis, None), &Request::to(Closed), by(P), now()),
            Err(Refusal::Illegal { .. })
        ));
    }

    #[test]
    fn an_outcome_refusal_says_why() {
        let rule = |from: Status, o: Outcome, who: Capacity| match apply(
            &state(from, None),
            &complete(Closed, Some(o)),
            by(who),
            now(),
        ) {
            Err(Refusal::OutcomeNotAllowed { rule, .. }) => Some(rule),
            _ => None,
        };
        assert_eq!(
            rule(Contacting, Outcome::EnteredInError, C),
            Some(OutcomeRule::AdminOnly)
        );
        assert_eq!(
            rule(Contacting, Outcome::Withdrawn, C),
            Some(OutcomeRule::PrescriberOnly)
        );
        assert_eq!(
            rule(Submitted, Outcome::Duplicate, P),
            Some(OutcomeRule::SasOnly)
        );
        assert_eq!(
            rule(Submitted, Outcome::TakenInCharge, C),
            Some(OutcomeRule::NotFromThisState),
            "H3 counts only what was really taken in charge"
        );
        assert_eq!(
            rule(Contacting, Outcome::ClosedBySas, C),
            Some(OutcomeRule::ReadOnly)
        );
    }

    #[test]
    fn negative_states_and_outcomes_need_a_reason_and_keep_it_as_a_note() {
        for (from, req, who) in [
            (Contacting, Request::to(Unreachable), C),
            (Contacting, Request::close(Outcome::Declined), C),
            (Unreachable, Request::close(Outcome::Unreachable), C),
            (Submitted, Request::close(Outcome::MovedAway), C),
            (Submitted, Request::close(Outcome::Duplicate), C),
            (Submitted, Request::close(Outcome::Withdrawn), P),
            (Diagnosis, Request::close(Outcome::EnteredInError), A),
            (Contacting, Request::to(OnHold), C),
        ] {
            assert_eq!(
                apply(&state(from, None), &req, by(who), now()),
                Err(Refusal::Missing {
                    field: Field::Reason,
                    allowed_outcomes: vec![]
                }),
                "{from} {req:?}"
            );
            let mut with = req.clone();
            with.reason = Some("  Le jeune a déménagé.  ".into());
            if req.to == Some(OnHold) {
                assert_eq!(
                    apply(&state(from, None), &with, by(who), now()),
                    Err(Refusal::InvalidHoldReason)
                );
            } else {
                let a = apply(&state(from, None), &with, by(who), now()).expect("allowed");
                assert_eq!(a.event.note.as_deref(), Some("Le jeune a déménagé."));
                assert_ne!(
                    a.event.code.as_deref(),
                    Some("Le jeune a déménagé."),
                    "codes only"
                );
            }
        }
        let mut long = Request::to(Unreachable);
        long.reason = Some("x".repeat(501));
        assert_eq!(
            apply(&state(Contacting, None), &long, by(C), now()),
            Err(Refusal::ReasonTooLong)
        );
        for (from, req) in [
            (Followed, Request::close(Outcome::TakenInCharge)),
            (Diagnosis, Request::close(Outcome::PositiveExit)),
        ] {
            assert!(apply(&state(from, None), &req, by(C), now()).is_ok());
        }
    }

    #[test]
    fn on_hold_keeps_its_reason_code_and_returns_to_the_state_it_left() {
        let mut req = Request::to(OnHold);
        req.reason = Some("youth_request".into());
        let held = apply(&state(Diagnosis, None), &req, by(C), now()).expect("hold");
        assert_eq!(
            held.state.hold,
            Some(Hold {
                from: Diagnosis,
                reason: HoldReason::YouthRequest
            })
        );
        assert_eq!(held.event.code.as_deref(), Some("youth_request"));
        assert_eq!(held.event.note, None);
        let back = apply(&held.state, &Request::to(Diagnosis), by(C), now()).expect("back");
        assert_eq!((back.state.status, back.state.hold), (Diagnosis, None));
        assert!(matches!(
            apply(&held.state, &Request::to(Contacting), by(C), now()),
            Err(Refusal::Illegal { allowed, .. }) if allowed == vec![Diagnosis, Closed]
        ));
        let mut closing = Request::close(Outcome::Declined);
        closing.reason = Some("Ne souhaite plus.".into());
        let closed = apply(&held.state, &closing, by(C), now()).expect("close from hold");
        assert_eq!(closed.state.hold, None);
    }

    #[test]
    fn taking_assigns_the_taker_or_the_colleague_named_and_releasing_unassigns() {
        let me = UserId(uuid::Uuid::from_u128(42));
        let colleague = UserId(uuid::Uuid::from_u128(43));
        let s = state(Submitted, None);
        let taken = apply(&s, &Request::to(Contacting), by(C), now()).expect("take");
        assert_eq!(taken.state.assigned, Some(me));
        assert_eq!(taken.event.counsellor, Some(me));
        let mut handed = Request::to(Contacting);
        handed.counsellor = Some(colleague);
        assert_eq!(
            apply(&s, &handed, by(C), now())
                .expect("take for")
                .state
                .assigned,
            Some(colleague)
        );
        let released = apply(&taken.state, &Request::to(Submitted), by(C), now()).expect("release");
        assert_eq!(released.state.assigned, None);
        let by_system =
            apply(&taken.state, &Request::to(Submitted), By::SYSTEM, now()).expect("system");
        assert_eq!(by_system.state.assigned, None);
        let mut misplaced = Request::to(Unreachable);
        misplaced.reason = Some("Injoignable.".into());
        misplaced.counsellor = Some(colleague);
        assert_eq!(
            apply(&taken.state, &misplaced, by(C), now()),
            Err(Refusal::NotApplicable {
                field: Field::CounsellorId
            })
        );
    }

    #[test]
    fn taking_a_referral_someone_holds_is_already_taken() {
        let taken = state(Contacting, None);
        assert!(matches!(
            apply(&taken, &Request::to(Contacting), by(C), now()),
            Err(Refusal::Illegal {
                already_taken: true,
                ..
            })
        ));
        assert!(matches!(
            apply(&state(Closed, None), &Request::to(Contacting), by(C), now()),
            Err(Refusal::Illegal {
                already_taken: false,
                ..
            })
        ));
        assert!(matches!(
            apply(
                &state(PendingModeration, None),
                &Request::to(Contacting),
                by(C),
                now()
            ),
            Err(Refusal::Illegal {
                already_taken: false,
                ..
            })
        ));
    }

    #[test]
    fn an_outcome_with_another_target_or_no_target_is_refused() {
        let mut req = Request::to(Submitted);
        req.outcome = Some(Outcome::Declined);
        assert_eq!(
            apply(&state(Contacting, None), &req, by(C), now()),
            Err(Refusal::NotApplicable {
                field: Field::Outcome
            })
        );
        assert!(matches!(
            apply(&state(Contacting, None), &Request::default(), by(C), now()),
            Err(Refusal::Missing {
                field: Field::To,
                ..
            })
        ));
    }

    #[test]
    fn only_a_taken_open_referral_is_handed_over() {
        for s in Status::ALL {
            let expected = matches!(
                s,
                Contacting | Unreachable | Diagnosis | Relaying | Followed | OnHold
            );
            assert_eq!(may_reassign(*s), expected, "{s}");
        }
    }

    #[test]
    fn moderation_sets_the_submission_time() {
        let a = apply(
            &state(PendingModeration, None),
            &Request::to(Submitted),
            by(C),
            now(),
        )
        .expect("accept");
        assert_eq!(a.state.submitted_at, Some(now()));
    }

    #[test]
    fn retarget_hold_moves_only_the_state_a_hold_returns_to_between_relay_states() {
        let relay_states = [Diagnosis, Relaying, Followed];
        for from in HOLDABLE {
            for to in Status::ALL {
                let held = state(OnHold, Some(from));
                let got = retarget_hold(&held, *to);
                let expected =
                    relay_states.contains(&from) && relay_states.contains(to) && from != *to;
                assert_eq!(got.is_some(), expected, "on hold from {from} to {to}");
                if let Some(next) = got {
                    assert_eq!(next.status, OnHold);
                    assert_eq!(
                        next.hold.map(|h| (h.from, h.reason)),
                        Some((*to, HoldReason::WaitingList))
                    );
                }
            }
        }
        for s in Status::ALL.iter().filter(|s| **s != OnHold) {
            assert_eq!(retarget_hold(&state(*s, None), Followed), None, "{s}");
        }
    }
}

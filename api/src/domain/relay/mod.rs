//! Relay rules of DOMAIN.md, pure: the relay state machine ([`apply`]: who may do what from
//! which state, reasons and outcomes), the follow-up checkpoints ([`checkpoint_due`],
//! [`answer_effect`]), the reminders and expiry ([`age_days`], [`reminder_due`]) and how the
//! referral's status follows its relays ([`follow`]). No HTTP, no SQL.
use api_types::{CheckpointAnswer, Outcome, RelayOutcome, RelayReason, RelayStatus, Status};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use RelayStatus::*;

pub mod visibility;

/// Checkpoints after the start, in days.
pub const CHECKPOINTS: [i32; 3] = [30, 90, 180];
/// The last checkpoint: its answer settles the referral.
pub const LAST_CHECKPOINT: i32 = 180;
/// Reminders to the receiving structure, in days after the request.
pub const REMINDERS: [i64; 2] = [10, 20];
/// A request left this many days without an answer expires.
pub const EXPIRES_AFTER_DAYS: i64 = 30;
/// The longest free-text reason.
pub const MAX_REASON_CHARS: usize = 500;
/// The longest shared summary.
pub const MAX_SUMMARY_CHARS: usize = 2000;

/// A relay that still counts: at most one per service and referral.
pub fn is_active(s: RelayStatus) -> bool {
    matches!(s, Requested | Accepted | Started)
}

/// Not started yet: what an earlier close or a consent withdrawal cancels.
pub fn is_pending(s: RelayStatus) -> bool {
    matches!(s, Requested | Accepted)
}

/// What is asked of a relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    Refuse,
    Start,
    Fail,
    Complete,
    Cancel,
    Expire,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::Refuse,
        Action::Start,
        Action::Fail,
        Action::Complete,
        Action::Cancel,
        Action::Expire,
    ];

    /// The action's name in the API (`POST /relays/{id}/<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::Start => "start",
            Action::Fail => "fail",
            Action::Complete => "complete",
            Action::Cancel => "cancel",
            Action::Expire => "expire",
        }
    }

    /// The state it leads to.
    pub fn target(self) -> RelayStatus {
        match self {
            Action::Accept => Accepted,
            Action::Refuse => Refused,
            Action::Start => Started,
            Action::Fail => Failed,
            Action::Complete => Completed,
            Action::Cancel => Cancelled,
            Action::Expire => Expired,
        }
    }
}

/// In which capacity an action is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capacity {
    /// An agent or the API client of the receiving structure (relays through SAS).
    Receiver,
    /// A counsellor of the referral's territory: cancels; records the answers of an
    /// off-platform relay in the receiver's place.
    Counsellor,
    /// Jobs and consequences of other actions (expiry, referral closed, consent withdrawn).
    System,
}

impl Capacity {
    pub const ALL: [Capacity; 3] = [Capacity::Receiver, Capacity::Counsellor, Capacity::System];
}

/// DOMAIN.md's relay allow-list: (from, action, who). `off_platform` relays have their
/// receiver's answers recorded by the counsellor, see [`effective`].
const MOVES: &[(RelayStatus, Action, Capacity)] = &[
    (Requested, Action::Accept, Capacity::Receiver),
    (Requested, Action::Refuse, Capacity::Receiver),
    (Requested, Action::Expire, Capacity::System),
    (Requested, Action::Cancel, Capacity::Counsellor),
    (Requested, Action::Cancel, Capacity::System),
    (Accepted, Action::Start, Capacity::Receiver),
    (Accepted, Action::Fail, Capacity::Receiver),
    (Accepted, Action::Cancel, Capacity::Counsellor),
    (Accepted, Action::Cancel, Capacity::System),
    (Started, Action::Complete, Capacity::Receiver),
    (Started, Action::Fail, Capacity::Receiver),
    // A checkpoint answer completes or fails a started relay in the receiver's name.
];

/// For an off-platform relay the counsellor acts as the receiver (it records what the
/// structure without an account said); the receiver has no access to it.
pub fn effective(who: Capacity, off_platform: bool) -> Option<Capacity> {
    match (who, off_platform) {
        (Capacity::Counsellor, true) => Some(Capacity::Receiver),
        (Capacity::Receiver, true) => None,
        (c, _) => Some(c),
    }
}

/// Whether `who` may do `action` on a relay in `from`.
pub fn may(from: RelayStatus, action: Action, who: Capacity, off_platform: bool) -> bool {
    let Some(as_) = effective(who, off_platform) else {
        return false;
    };
    // Cancelling stays the counsellor's on an off-platform relay too.
    let as_ = if who == Capacity::Counsellor && action == Action::Cancel {
        Capacity::Counsellor
    } else {
        as_
    };
    MOVES
        .iter()
        .any(|&(f, a, c)| f == from && a == action && c == as_)
}

/// The actions `who` may take now (named by a 409).
pub fn allowed(from: RelayStatus, who: Capacity, off_platform: bool) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|&a| may(from, a, who, off_platform))
        .collect()
}

/// What an action carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub reason: Option<RelayReason>,
    pub reason_text: Option<String>,
    pub outcome: Option<RelayOutcome>,
    /// Why the system cancels (an event code: `referral_closed`, `consent_withdrawn`).
    pub cause: Option<&'static str>,
}

/// A refused action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not from this state, or not yours (409 `illegal_transition` with the allowed actions).
    Illegal {
        from: RelayStatus,
        allowed: Vec<Action>,
    },
    /// `refuse` and `fail` need a reason (422 `reason_required`).
    ReasonRequired,
    /// `other` needs a text (422 `reason_text_required`).
    ReasonTextRequired,
    /// The text is over [`MAX_REASON_CHARS`] (422 `too_long`).
    ReasonTooLong,
    /// `complete` needs an outcome (422).
    OutcomeRequired,
}

/// The result of an allowed action: the new state, the reason or outcome to store, and the
/// event code (the reason, the outcome or the system's cause).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub to: RelayStatus,
    pub reason: Option<RelayReason>,
    pub reason_text: Option<String>,
    pub outcome: Option<RelayOutcome>,
    pub code: Option<String>,
}

/// Applies `action` to a relay in `from`. The move is checked first (409), then its details
/// (422). Details an action does not take are ignored (the routes' bodies cannot carry them).
pub fn apply(
    from: RelayStatus,
    action: Action,
    who: Capacity,
    off_platform: bool,
    d: &Details,
) -> Result<Applied, Refusal> {
    if !may(from, action, who, off_platform) {
        return Err(Refusal::Illegal {
            from,
            allowed: allowed(from, who, off_platform),
        });
    }
    let mut out = Applied {
        to: action.target(),
        reason: None,
        reason_text: None,
        outcome: None,
        code: None,
    };
    match action {
        Action::Refuse | Action::Fail => {
            let reason = d.reason.ok_or(Refusal::ReasonRequired)?;
            let text = d
                .reason_text
                .as_deref()
                .and_then(crate::domain::text::clean);
            if reason == RelayReason::Other && text.is_none() {
                return Err(Refusal::ReasonTextRequired);
            }
            if text
                .as_deref()
                .is_some_and(|t| t.chars().count() > MAX_REASON_CHARS)
            {
                return Err(Refusal::ReasonTooLong);
            }
            out.reason = Some(reason);
            out.reason_text = text;
            out.code = Some(reason.as_str().to_string());
        }
        Action::Complete => {
            let outcome = d.outcome.ok_or(Refusal::OutcomeRequired)?;
            out.outcome = Some(outcome);
            out.code = Some(outcome.as_str().to_string());
        }
        Action::Cancel if who == Capacity::System => {
            out.code = d.cause.map(str::to_string);
        }
        _ => {}
    }
    Ok(out)
}

/// The system's causes for cancelling.
pub const REFERRAL_CLOSED: &str = "referral_closed";
pub const CONSENT_WITHDRAWN: &str = "consent_withdrawn";

// ---------------------------------------------------------------------------------------
// Time: reminders, expiry, checkpoints (calendar days in the territory's time zone).

/// Whole calendar days since `at`, in `tz`, on `now`.
pub fn age_days(at: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> i64 {
    let start = at.with_timezone(&tz).date_naive();
    let today = now.with_timezone(&tz).date_naive();
    (today - start).num_days()
}

/// The last day a request may be answered on; the day after, it expires.
pub fn expires_on(requested_at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    requested_at.with_timezone(&tz).date_naive() + Duration::days(EXPIRES_AFTER_DAYS - 1)
}

/// Whether a request left unanswered expires now (30 calendar days or more).
pub fn is_expired(
    status: RelayStatus,
    requested_at: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> bool {
    status == Requested && age_days(requested_at, tz, now) >= EXPIRES_AFTER_DAYS
}

/// The reminder (10 or 20) a request waiting since `requested_at` is due for now, the latest
/// one reached; none once it is old enough to expire. A sweep keys each reminder per relay so
/// each is sent once, ever.
pub fn reminder_due(
    status: RelayStatus,
    requested_at: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Option<i64> {
    let age = age_days(requested_at, tz, now);
    if status != Requested || age >= EXPIRES_AFTER_DAYS {
        return None;
    }
    REMINDERS.iter().rev().copied().find(|&r| age >= r)
}

/// Who is reminded of a request still waiting for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminded {
    /// The receiving structure's agents: a relay through SAS.
    ReceivingStructure,
    /// The referral's counsellor: an off-platform relay, whose structure has no SAS account
    /// to be reminded through; the counsellor records its answer.
    Counsellor,
}

/// What a request waiting for an answer calls for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Reminder `day` (10 or 20, the latest reached), to `to`. A sweep keys each reminder per
    /// relay and person, so each goes out once, ever.
    Remind { day: i64, to: Reminded },
    /// 30 calendar days without an answer: the request expires.
    Expire,
}

/// Whether a request left unanswered expires. An off-platform request does not: its
/// structure was never asked through SAS, so no SAS deadline runs against it; the counsellor
/// records the answer, or cancels.
pub fn expires(off_platform: bool) -> bool {
    !off_platform
}

/// What a request in `status`, sent at `requested_at`, calls for on `now` (calendar days in
/// `tz`). Through SAS: reminders to the receiving structure at 10 and 20 days, expiry at 30.
/// Off the platform: no expiry; the same two reminders go to the counsellor, and none from
/// day 30 on (when a request through SAS would have expired), so they stay capped at two.
pub fn waiting(
    status: RelayStatus,
    off_platform: bool,
    requested_at: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Option<Waiting> {
    if expires(off_platform) && is_expired(status, requested_at, tz, now) {
        return Some(Waiting::Expire);
    }
    let to = if off_platform {
        Reminded::Counsellor
    } else {
        Reminded::ReceivingStructure
    };
    reminder_due(status, requested_at, tz, now).map(|day| Waiting::Remind { day, to })
}

/// The last day a request may be answered on, for those that expire ([`expires`]).
pub fn expiry_date(off_platform: bool, requested_at: DateTime<Utc>, tz: Tz) -> Option<NaiveDate> {
    expires(off_platform).then(|| expires_on(requested_at, tz))
}

/// A request waiting past its first reminder is overdue (highlighted in the inbox).
pub fn request_overdue(
    status: RelayStatus,
    requested_at: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> bool {
    status == Requested && age_days(requested_at, tz, now) >= REMINDERS[0]
}

/// The day checkpoint `n` is due: `n` calendar days after the start, in the territory's
/// time zone.
pub fn checkpoint_due(started_at: DateTime<Utc>, tz: Tz, n: i32) -> NaiveDate {
    started_at.with_timezone(&tz).date_naive() + Duration::days(i64::from(n))
}

/// A checkpoint due and not answered, on a relay still started.
pub fn checkpoint_overdue(
    status: RelayStatus,
    due_on: NaiveDate,
    answered: bool,
    today: NaiveDate,
) -> bool {
    status == Started && !answered && today >= due_on
}

/// Why a checkpoint cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointRefusal {
    /// Not 30, 90 or 180 (404).
    Unknown,
    /// The relay is not started (409 `illegal_transition`).
    NotStarted,
    /// Before its due date (409 `checkpoint_not_due`).
    NotDue,
    /// Answered already (409 `already_answered`).
    AlreadyAnswered,
    /// An earlier checkpoint is still unanswered (409 `earlier_checkpoint_open`).
    EarlierOpen,
}

/// Whether checkpoint `n` of a relay in `status` may be answered on `today`, given the
/// checkpoints' (n, due_on, answered).
pub fn may_answer(
    status: RelayStatus,
    n: i32,
    checkpoints: &[(i32, NaiveDate, bool)],
    today: NaiveDate,
) -> Result<(), CheckpointRefusal> {
    if !CHECKPOINTS.contains(&n) {
        return Err(CheckpointRefusal::Unknown);
    }
    if status != Started {
        return Err(CheckpointRefusal::NotStarted);
    }
    let Some(&(_, due, answered)) = checkpoints.iter().find(|c| c.0 == n) else {
        return Err(CheckpointRefusal::Unknown);
    };
    if answered {
        return Err(CheckpointRefusal::AlreadyAnswered);
    }
    if today < due {
        return Err(CheckpointRefusal::NotDue);
    }
    if checkpoints.iter().any(|c| c.0 < n && !c.2) {
        return Err(CheckpointRefusal::EarlierOpen);
    }
    Ok(())
}

/// What an answer does to the relay: `positive_exit` completes it, `dropped_out` and
/// `lost_contact` fail it, `still_accompanied` leaves it started.
pub fn answer_effect(a: CheckpointAnswer) -> Option<(Action, Details)> {
    match a {
        CheckpointAnswer::StillAccompanied => None,
        CheckpointAnswer::PositiveExit => Some((
            Action::Complete,
            Details {
                outcome: Some(RelayOutcome::PositiveExit),
                ..Details::default()
            },
        )),
        CheckpointAnswer::DroppedOut => Some((
            Action::Fail,
            Details {
                reason: Some(RelayReason::DroppedOut),
                ..Details::default()
            },
        )),
        CheckpointAnswer::LostContact => Some((
            Action::Fail,
            Details {
                reason: Some(RelayReason::Unreachable),
                ..Details::default()
            },
        )),
    }
}

// ---------------------------------------------------------------------------------------
// The referral follows its relays.

/// What the referral's status rule reads of one relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayState {
    pub status: RelayStatus,
    pub outcome: Option<RelayOutcome>,
    /// The answer to its J+180 checkpoint, once given.
    pub last_answer: Option<CheckpointAnswer>,
}

/// What becomes of the referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Nothing changes.
    Stay,
    /// The system moves it (or, on hold, the state it returns to) to this status.
    MoveTo(Status),
    /// The system closes it with this outcome.
    Close(Outcome),
}

/// The referral's status given its relays (DOMAIN.md): `followed` while one of its relays is
/// started and still followed (J+180 not answered), otherwise `relaying` while one is
/// requested or accepted, and back to `relaying` after a failure. Once nothing is left to
/// follow and a relay took the young person in charge until its end, it closes by itself:
/// `positive_exit` when one ended so, else `taken_in_charge`. `base` is the status, or the
/// state an on-hold referral returns to; a referral neither in diagnosis, relaying nor
/// followed stays as it is.
pub fn follow(base: Status, relays: &[RelayState]) -> Follow {
    if !matches!(
        base,
        Status::Diagnosis | Status::Relaying | Status::Followed
    ) {
        return Follow::Stay;
    }
    let followed = |r: &RelayState| r.status == Started && r.last_answer.is_none();
    let pending = |r: &RelayState| is_pending(r.status);
    let target = if relays.iter().any(followed) {
        Status::Followed
    } else if relays.iter().any(pending) {
        Status::Relaying
    } else if base == Status::Followed {
        // Nothing left to follow: a relay that held to its end closes the referral.
        let positive = relays.iter().any(|r| {
            r.outcome == Some(RelayOutcome::PositiveExit)
                || r.last_answer == Some(CheckpointAnswer::PositiveExit)
        });
        let held = relays.iter().any(|r| {
            r.outcome == Some(RelayOutcome::ProgrammeEnded)
                || (r.status == Started
                    && r.last_answer == Some(CheckpointAnswer::StillAccompanied))
        });
        if positive {
            return Follow::Close(Outcome::PositiveExit);
        }
        if held {
            return Follow::Close(Outcome::TakenInCharge);
        }
        Status::Relaying
    } else {
        base
    };
    if target == base {
        Follow::Stay
    } else {
        Follow::MoveTo(target)
    }
}

/// Whether a counsellor may send a relay for a referral in `status` (on hold: by the state
/// it left).
pub fn may_request(status: Status, hold_from: Option<Status>) -> bool {
    let s = if status == Status::OnHold {
        hold_from.unwrap_or(status)
    } else {
        status
    };
    matches!(s, Status::Diagnosis | Status::Relaying | Status::Followed)
}

#[cfg(test)]
mod tests;

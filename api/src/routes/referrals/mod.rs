//! Identify: prescribers refer young people; counsellors of the territory work the queue.
//! One file per action; [`view`] renders a referral for the eyes that read it. Scope lives in
//! the queries (prescriber: its structure; counsellor: its territory), every read of youth
//! data is logged, every change leaves an event — through `db::journal`, the one journal.
use api_types::{AccessAction, Referral, Role, Status};
use chrono::{DateTime, Utc};

use crate::auth::{allow, Actor, Authorized, Caller};
use crate::db::journal::{Journal, Who};
use crate::db::referrals::{self, Reading, ReferralRow, Scope, TransitionError};
use crate::domain::referral::lifecycle::{By, Capacity, Field, OutcomeRule, Refusal};
use crate::domain::referral::visibility::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ClientId, ReferralId, StructureId, TerritoryId, UserId};

pub mod assign;
pub mod attempt_create;
pub mod attempt_get;
pub mod attempt_list;
pub mod consent_create;
pub mod consent_get;
pub mod consent_list;
pub mod create;
pub mod diagnostic_get;
pub mod diagnostic_put;
pub mod diagnostic_versions;
pub mod get;
pub mod list;
pub mod match_exclusion_create;
pub mod match_exclusion_delete;
pub mod match_exclusion_list;
pub mod matches;
pub mod request_answer;
pub mod request_list;
pub mod resume;
pub mod timeline;
pub mod transfer;
pub mod transition;
pub mod update;
pub mod view;
pub mod youth_contact;
pub mod youth_correct;

type Staff = Authorized<{ allow::PRESCRIBER | allow::COUNSELLOR }>;
type Prescriber = Authorized<{ allow::PRESCRIBER }>;
type Counsellor = Authorized<{ allow::COUNSELLOR }>;
/// Transitions: staff, and administrators for `entered_in_error` only.
type StaffOrAdmin = Authorized<{ allow::PRESCRIBER | allow::COUNSELLOR | allow::ADMIN }>;

/// The referrals a caller may reach: its structure's as a prescriber, its territory's as a
/// counsellor.
fn scope_of(c: &Caller) -> Scope {
    Scope {
        prescriber_structure: c
            .has(Role::Prescriber)
            .then_some(c.structure_id)
            .flatten()
            .map(StructureId),
        territory: c
            .has(Role::Counsellor)
            .then_some(c.territory_id)
            .flatten()
            .map(TerritoryId),
        all: false,
    }
}

fn who(c: &Caller) -> Who {
    match c.actor {
        Actor::User(u) => Who::User(UserId(u)),
        Actor::Client(id) => Who::Client(ClientId(id)),
    }
}

/// The journal of what `c` does through `route` (also used by other routes that change
/// referrals).
pub fn journal(c: &Caller, route: &str, now: DateTime<Utc>) -> Journal {
    Journal::new(who(c), c.structure_id.map(StructureId), route, now)
}

/// The referrals a counsellor works on: its territory's only (a prescriber-counsellor's own
/// structure's referrals elsewhere are not its SAS work).
fn team_scope(c: &Caller) -> Scope {
    Scope {
        territory: c.territory_id.map(TerritoryId),
        ..Scope::default()
    }
}

/// A referral's territory's time zone.
fn time_zone(conn: &mut diesel::PgConnection, t: TerritoryId) -> ApiResult<chrono_tz::Tz> {
    let row = crate::db::territories::get(conn, t.uuid())?
        .ok_or_else(|| ApiError::internal("a referral without its territory"))?;
    row.time_zone
        .parse()
        .map_err(|_| ApiError::internal(format!("unknown stored time zone {:?}", row.time_zone)))
}

/// How `c` sees a referral of `territory`.
fn viewer(c: &Caller, territory: TerritoryId) -> Viewer {
    Viewer::of(
        &c.roles,
        c.territory_id == Some(territory.uuid()),
        c.structure_id.map(StructureId),
    )
}

/// In which capacity `c` acts on `r`: a counsellor of its territory, its prescriber, or an
/// administrator.
fn capacity(c: &Caller, r: &ReferralRow) -> By {
    let capacity = if c.has(Role::Counsellor) && c.territory_id == Some(r.territory_id.uuid()) {
        Capacity::Counsellor
    } else if c.has(Role::Prescriber)
        && c.structure_id.is_some()
        && c.structure_id.map(StructureId) == r.prescriber_structure_id
    {
        Capacity::Prescriber
    } else {
        Capacity::Admin
    };
    By {
        capacity,
        user: c.actor.user_id().map(UserId),
    }
}

const MSG_ILLEGAL: &str =
    "This change is not allowed for you from the current state; see allowed_transitions.";
const MSG_TAKEN: &str = "Another counsellor has already taken this referral.";
const MSG_OUTCOME_REQUIRED: &str = "Closing needs an outcome; see allowed_outcomes.";
const MSG_REASON_REQUIRED: &str = "This change needs a reason.";
const MSG_COUNSELLOR_REQUIRED: &str = "Say which counsellor takes the referral.";
const MSG_NOT_APPLICABLE: &str = "This field does not apply to this change.";
const MSG_HOLD_REASON: &str =
    "Use a hold reason: temporarily_unavailable, waiting_list, youth_request, other.";
const MSG_TOO_LONG: &str = "At most 500 characters.";
const MSG_UNKNOWN_COUNSELLOR: &str = "Not an active counsellor of this territory.";
const MSG_ADMIN_ONLY: &str = "entered_in_error is recorded by an administrator only.";
const MSG_PRESCRIBER_ONLY: &str = "withdrawn is recorded by the prescriber only.";
const MSG_SAS_ONLY: &str = "This outcome is recorded by the SAS team.";
const MSG_READ_ONLY: &str =
    "closed_by_sas is how prescribers read an outcome; it is never recorded.";
const MSG_NOT_FROM_STATE: &str =
    "This outcome cannot follow the current state; see allowed_outcomes.";

/// How `caller` reads referrals: in its scope, with possible duplicates when it is a
/// counsellor (never for a prescriber's view), logged as `log`.
fn reading<'a>(caller: &Caller, j: &'a Journal, log: Option<AccessAction>) -> Reading<'a> {
    Reading {
        scope: scope_of(caller),
        duplicates: caller.has(Role::Counsellor),
        journal: j,
        log,
    }
}

/// The referral as `caller` sees it, read in `scope` (logged as `log`, or not when the
/// caller's write logged it already).
fn show(
    conn: &mut diesel::PgConnection,
    caller: &Caller,
    j: &Journal,
    id: ReferralId,
    scope: Scope,
    log: Option<AccessAction>,
) -> ApiResult<Referral> {
    let mut how = reading(caller, j, log);
    how.scope = scope;
    let v = referrals::read(conn, id, &how)?.ok_or_else(ApiError::not_found)?;
    let territory = v.territory_id;
    view::referral(v, viewer(caller, territory), j.now)
}

fn codes(statuses: &[Status]) -> Vec<String> {
    statuses.iter().map(|s| s.as_str().to_string()).collect()
}

/// The answer to a refused or failed transition.
/// The answer to a refused or failed [`referrals::transition`] (also used by other routes that
/// trigger transitions).
pub fn transition_error(e: TransitionError) -> ApiError {
    match e {
        TransitionError::NotFound => ApiError::not_found(),
        TransitionError::Stale => ApiError::precondition_failed(),
        TransitionError::UnknownCounsellor => ApiError::field(
            "counsellor_id",
            "unknown_counsellor",
            MSG_UNKNOWN_COUNSELLOR,
        ),
        TransitionError::Db(e) => e.into(),
        TransitionError::Refused(r) => refusal(r),
    }
}

fn refusal(r: Refusal) -> ApiError {
    let outcome_codes = |o: &[api_types::Outcome]| -> Vec<String> {
        o.iter().map(|o| o.as_str().to_string()).collect()
    };
    match r {
        Refusal::Illegal {
            allowed,
            already_taken,
            ..
        } => {
            let mut e = if already_taken {
                ApiError::conflict("already_taken", MSG_TAKEN)
            } else {
                ApiError::conflict("illegal_transition", MSG_ILLEGAL)
            };
            e.allowed_transitions = Some(codes(&allowed));
            e
        }
        Refusal::Missing {
            field,
            allowed_outcomes,
        } => {
            let (code, msg) = match field {
                Field::Outcome => ("required", MSG_OUTCOME_REQUIRED),
                Field::Reason => ("reason_required", MSG_REASON_REQUIRED),
                Field::CounsellorId => ("required", MSG_COUNSELLOR_REQUIRED),
                Field::To => ("required", MSG_ILLEGAL),
            };
            let mut e = ApiError::field(field.as_str(), code, msg);
            if field == Field::Outcome {
                e.allowed_outcomes = Some(outcome_codes(&allowed_outcomes));
            }
            e
        }
        Refusal::OutcomeNotAllowed { allowed, rule, .. } => {
            let msg = match rule {
                OutcomeRule::AdminOnly => MSG_ADMIN_ONLY,
                OutcomeRule::PrescriberOnly => MSG_PRESCRIBER_ONLY,
                OutcomeRule::SasOnly => MSG_SAS_ONLY,
                OutcomeRule::ReadOnly => MSG_READ_ONLY,
                OutcomeRule::NotFromThisState => MSG_NOT_FROM_STATE,
            };
            let mut e = ApiError::field("outcome", "outcome_not_allowed", msg);
            e.code = "outcome_not_allowed";
            e.detail = msg.to_string();
            e.allowed_outcomes = Some(outcome_codes(&allowed));
            e
        }
        Refusal::NotApplicable { field } => {
            ApiError::field(field.as_str(), "not_applicable", MSG_NOT_APPLICABLE)
        }
        Refusal::InvalidHoldReason => ApiError::field("reason", "invalid_reason", MSG_HOLD_REASON),
        Refusal::ReasonTooLong => ApiError::field("reason", "too_long", MSG_TOO_LONG),
    }
}

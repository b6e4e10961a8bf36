//! Relay: counsellors send a referral to services; the receiving structure (an agent or its
//! API client) answers, confirms the start and the follow-up checkpoints; the prescriber
//! reads the closed loop. One file per action; [`view`] renders a relay for its reader. The
//! rules are `domain::relay`, the writing `db::relays::act`.
use actix_web::{web, HttpRequest, HttpResponse};
use api_types::{AccessAction, Relay, Role};

use crate::auth::{allow, Authorized, Caller};
use crate::db;
use crate::db::relays::{ActError, Found, RelayRow, RelayScope};
use crate::domain::relay::visibility::Reader;
use crate::domain::relay::{Action, Capacity, CheckpointRefusal, Details, Refusal};
use crate::error::{ApiError, ApiResult};
use crate::ids::{RelayId, StructureId, TerritoryId};
use crate::routes::referrals::{journal, transition_error};
use crate::routes::support::{if_match, ok_versioned, Precondition};
use crate::state::AppState;

pub mod accept;
pub mod cancel;
pub mod checkpoint_answer;
pub mod complete;
pub mod create;
pub mod fail;
pub mod get;
pub mod inbox;
pub mod of_referral;
pub mod refuse;
pub mod start;
pub mod view;

/// Who acts on relays: the receiving structure's agents and API clients, and the SAS team.
type RelayActor = Authorized<{ allow::RECEIVER | allow::COUNSELLOR }>;
type Receiver = Authorized<{ allow::RECEIVER }>;
type Counsellor = Authorized<{ allow::COUNSELLOR }>;

/// The relays a caller reaches: its structure's as a receiver (relays through SAS), its
/// territory's as a counsellor.
pub fn scope_of(c: &Caller) -> RelayScope {
    RelayScope {
        receiver: c
            .has(Role::Receiver)
            .then_some(c.structure_id)
            .flatten()
            .map(StructureId),
        territory: c
            .has(Role::Counsellor)
            .then_some(c.territory_id)
            .flatten()
            .map(TerritoryId),
    }
}

/// In which capacity the caller does `action` on a relay it reaches: cancelling is the SAS
/// team's; answering is the receiving structure's (the counsellor's on an off-platform relay).
fn capacity(f: &Found, action: Action) -> Capacity {
    let prefer_counsellor = action == Action::Cancel || f.row.off_platform;
    if (prefer_counsellor && f.as_counsellor) || !f.as_receiver {
        Capacity::Counsellor
    } else {
        Capacity::Receiver
    }
}

/// How the caller reads a relay it reached.
fn reader(f: &Found) -> Reader {
    if f.as_counsellor {
        Reader::Counsellor
    } else {
        Reader::Receiver
    }
}

const MSG_ILLEGAL: &str =
    "This action is not allowed for you from the relay's current state; see allowed_transitions.";
const MSG_EXISTS: &str = "This referral already has an active relay to this service.";
const MSG_REASON: &str = "Give a reason code (DOMAIN.md's list).";
const MSG_REASON_TEXT: &str = "The reason `other` needs a text.";
const MSG_TOO_LONG: &str = "At most 500 characters.";
const MSG_OUTCOME: &str = "Give an outcome: positive_exit or programme_ended.";
const MSG_NOT_DUE: &str = "This checkpoint is not due yet.";
const MSG_ANSWERED: &str = "This checkpoint is answered already.";
const MSG_EARLIER: &str = "Answer the earlier checkpoint first.";
const MSG_NOT_STARTED: &str = "Checkpoints follow a started relay.";

/// The answer to a refused or failed relay action.
pub fn act_error(e: ActError) -> ApiError {
    match e {
        ActError::NotFound => ApiError::not_found(),
        ActError::Exists => ApiError::conflict("relay_exists", MSG_EXISTS),
        ActError::Stale => ApiError::precondition_failed(),
        ActError::Db(e) => e.into(),
        ActError::Referral(e) => transition_error(e),
        ActError::Refused(Refusal::Illegal { allowed, .. }) => {
            let mut e = ApiError::conflict("illegal_transition", MSG_ILLEGAL);
            e.allowed_transitions = Some(allowed.iter().map(|a| a.as_str().to_string()).collect());
            e
        }
        ActError::Refused(Refusal::ReasonRequired) => {
            ApiError::field("reason", "reason_required", MSG_REASON)
        }
        ActError::Refused(Refusal::ReasonTextRequired) => {
            ApiError::field("reason_text", "reason_text_required", MSG_REASON_TEXT)
        }
        ActError::Refused(Refusal::ReasonTooLong) => {
            ApiError::field("reason_text", "too_long", MSG_TOO_LONG)
        }
        ActError::Refused(Refusal::OutcomeRequired) => {
            ApiError::field("outcome", "required", MSG_OUTCOME)
        }
        ActError::Checkpoint(CheckpointRefusal::Unknown) => ApiError::not_found(),
        ActError::Checkpoint(CheckpointRefusal::NotStarted) => {
            let mut e = ApiError::conflict("illegal_transition", MSG_NOT_STARTED);
            e.allowed_transitions = Some(Vec::new());
            e
        }
        ActError::Checkpoint(CheckpointRefusal::NotDue) => {
            ApiError::conflict("checkpoint_not_due", MSG_NOT_DUE)
        }
        ActError::Checkpoint(CheckpointRefusal::AlreadyAnswered) => {
            ApiError::conflict("already_answered", MSG_ANSWERED)
        }
        ActError::Checkpoint(CheckpointRefusal::EarlierOpen) => {
            ApiError::conflict("earlier_checkpoint_open", MSG_EARLIER)
        }
    }
}

/// Reads one relay for `reader` and logs the access to the young person's data.
pub fn show(
    conn: &mut diesel::PgConnection,
    row: RelayRow,
    reader: Reader,
    j: &db::journal::Journal,
    log: Option<AccessAction>,
) -> ApiResult<Relay> {
    let mut v = view::relays(conn, vec![row], reader, j.now)?;
    let (relay, youth) = v.pop().ok_or_else(ApiError::not_found)?;
    if let Some(action) = log.filter(|_| crate::domain::relay::visibility::shows_youth(reader)) {
        j.access(
            conn,
            action,
            &[(youth, crate::ids::ReferralId(relay.referral_id))],
            None,
        )?;
    }
    Ok(relay)
}

/// The body of every action (`accept`, `refuse`, …): find the relay in the caller's scope,
/// act with `If-Match`, answer the relay as the caller reads it (`ETag`: its version).
pub async fn act(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: uuid::Uuid,
    action: Action,
    d: Details,
) -> ApiResult<HttpResponse> {
    let expected = match if_match(&req)? {
        Precondition::Any => None,
        Precondition::Version(v) => Some(v),
    };
    let id = RelayId(id);
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = scope_of(&caller);
    let relay = db::tx(&state.pool, move |conn| {
        let f = db::relays::find(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let who = capacity(&f, action);
        let row = db::relays::act(conn, id, action, who, &d, expected, &j).map_err(act_error)?;
        show(conn, row, reader(&f), &j, Some(AccessAction::Update))
    })
    .await?;
    let v = relay.version;
    Ok(ok_versioned(&relay, v))
}

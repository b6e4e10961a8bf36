//! `POST /relays/{id}/checkpoints/{n}/answer`.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, CheckpointAnswerInput};
use uuid::Uuid;

use super::{act_error, capacity, reader, scope_of, show, RelayActor};
use crate::auth::Authorized;
use crate::db;
use crate::domain::relay::Action;
use crate::error::{ApiError, ApiResult};
use crate::ids::RelayId;
use crate::routes::referrals::journal;
use crate::routes::support::{if_match, ok_versioned, Precondition};
use crate::state::AppState;

/// Answer a follow-up checkpoint (`n`: 30, 90 or 180 days after the start) of a started
/// relay, once it is due and the earlier ones are answered: `still_accompanied`,
/// `positive_exit` (completes the relay), `dropped_out` or `lost_contact` (fail it). Every
/// answer is visible to the prescriber and the SAS team; after the J+180 answer the referral
/// closes by itself. The receiving structure answers (the counsellor for an off-platform
/// relay). `If-Match` required.
#[utoipa::path(
    tag = "relays",
    params(
        ("id" = Uuid, Path, description = "Relay id"),
        ("n" = i32, Path, description = "The checkpoint: 30, 90 or 180"),
        ("If-Match" = String, Header, description = "The relay's version read (`ETag`), or `*`."),
    ),
    request_body = CheckpointAnswerInput,
    responses(
        (status = 200, description = "Answered.", body = api_types::Relay, headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such relay in your scope, or no such checkpoint.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not yours or the relay is not started (`illegal_transition`), not due yet (`checkpoint_not_due`), answered already (`already_answered`), an earlier one open (`earlier_checkpoint_open`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The relay changed since you read it.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`answer` is missing (`required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is required.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/relays/{id}/checkpoints/{n}/answer")]
pub async fn answer_checkpoint(
    state: web::Data<AppState>,
    Authorized(caller): RelayActor,
    req: HttpRequest,
    path: web::Path<(Uuid, i32)>,
    body: web::Json<CheckpointAnswerInput>,
) -> ApiResult<HttpResponse> {
    let expected = match if_match(&req)? {
        Precondition::Any => None,
        Precondition::Version(v) => Some(v),
    };
    let (id, n) = path.into_inner();
    let id = RelayId(id);
    let answer = body.into_inner().answer;
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = scope_of(&caller);
    let relay = db::tx(&state.pool, move |conn| {
        let f = db::relays::find(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let who = capacity(&f, Action::Start);
        let row = db::relays::answer(conn, id, n, answer, who, expected, &j).map_err(act_error)?;
        show(conn, row, reader(&f), &j, Some(AccessAction::Update))
    })
    .await?;
    let v = relay.version;
    Ok(ok_versioned(&relay, v))
}

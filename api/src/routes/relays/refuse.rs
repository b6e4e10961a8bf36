//! `POST /relays/{id}/refuse`.
use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{act, RelayActor};
use crate::auth::Authorized;
use crate::domain::relay::{Action, Details};
use crate::error::ApiResult;
use crate::state::AppState;

/// Refuse a relay request with a coded reason (`other` needs `reason_text`). The assigned counsellor is told. `If-Match` required.
#[utoipa::path(
    tag = "relays",
    params(
        ("id" = Uuid, Path, description = "Relay id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`), or `*`."),
    ),
    request_body = api_types::RelayReasonInput,
    responses(
        (status = 200, description = "Refused.", body = api_types::Relay, headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such relay in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the relay's current state, or not yours (`illegal_transition`, with `allowed_transitions`: the actions you may take, `[]` when none).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The relay changed since you read it.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid field (`reason_required`, `reason_text_required`, `too_long`, `required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is required.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/relays/{id}/refuse")]
pub async fn refuse_relay(
    state: web::Data<AppState>,
    Authorized(caller): RelayActor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<api_types::RelayReasonInput>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let d = Details {
        reason: Some(b.reason),
        reason_text: b.reason_text,
        ..Details::default()
    };
    act(state, caller, req, id.into_inner(), Action::Refuse, d).await
}

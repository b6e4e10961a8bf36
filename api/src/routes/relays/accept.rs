//! `POST /relays/{id}/accept`.
use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{act, RelayActor};
use crate::auth::Authorized;
use crate::domain::relay::{Action, Details};
use crate::error::ApiResult;
use crate::state::AppState;

/// Accept a relay request (the receiving structure's agent or API client; the counsellor for an off-platform relay). `If-Match` required.
#[utoipa::path(
    tag = "relays",
    params(
        ("id" = Uuid, Path, description = "Relay id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`), or `*`."),
    ),
    responses(
        (status = 200, description = "Accepted.", body = api_types::Relay, headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such relay in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the relay's current state, or not yours (`illegal_transition`, with `allowed_transitions`: the actions you may take, `[]` when none).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The relay changed since you read it.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is required.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/relays/{id}/accept")]
pub async fn accept_relay(
    state: web::Data<AppState>,
    Authorized(caller): RelayActor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let d = Details::default();
    act(state, caller, req, id.into_inner(), Action::Accept, d).await
}

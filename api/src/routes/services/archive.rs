//! `POST /services/{id}/archive`: a publication action (`domain::service::lifecycle`).
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::Service;
use uuid::Uuid;

use super::{act, Editor};
use crate::auth::Authorized;
use crate::domain::service::lifecycle::Action;
use crate::error::ApiResult;
use crate::state::AppState;

/// Archive a service (from `draft`, `published` or `suspended`): only an administrator brings it back.
#[utoipa::path(
    tag = "services",
    params(
        ("id" = Uuid, Path, description = "Service id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    responses(
        (status = 200, description = "Now archived.", body = Service, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not allowed for you from the service's status (`illegal_transition`); `allowed_transitions` lists the actions you may take (`[]` when none).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{id}/archive")]
pub async fn archive(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, caller, &req, id.into_inner(), Action::Archive).await
}

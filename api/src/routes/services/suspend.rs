//! `POST /services/{id}/suspend`: a publication action (`domain::service::lifecycle`).
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::Service;
use uuid::Uuid;

use super::{act, Editor};
use crate::auth::Authorized;
use crate::domain::service::lifecycle::Action;
use crate::error::ApiResult;
use crate::state::AppState;

/// Suspend a published service: it leaves the public search and the export, and can be published again. From `archived`: administrators only.
#[utoipa::path(
    tag = "services",
    params(
        ("id" = Uuid, Path, description = "Service id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    responses(
        (status = 200, description = "Now suspended.", body = Service, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not allowed for you from the service's status (`illegal_transition`); `allowed_transitions` lists the actions you may take (`[]` when none).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, caller, &req, id.into_inner(), Action::Suspend).await
}

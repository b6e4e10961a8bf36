//! `POST /services/{id}/publish`: a publication action (`domain::service::lifecycle`).
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::Service;
use uuid::Uuid;

use super::{act, Editor};
use crate::auth::Authorized;
use crate::domain::service::lifecycle::Action;
use crate::error::ApiResult;
use crate::state::AppState;

/// Publish a service: it appears in the public search and the export. From `draft` or `suspended` (its structure's receivers, administrators), from `archived` (administrators only). It needs a reception mode and, in person, a place.
#[utoipa::path(
    tag = "services",
    params(
        ("id" = Uuid, Path, description = "Service id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    responses(
        (status = 200, description = "Now published.", body = Service, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not allowed for you from the service's status (`illegal_transition`); `allowed_transitions` lists the actions you may take (`[]` when none).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not complete enough to publish (`required_to_publish` on `modes_accueil` or `code_insee`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, caller, &req, id.into_inner(), Action::Publish).await
}

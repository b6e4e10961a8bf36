use actix_web::{get, web, HttpResponse};
use api_types::User;
use uuid::Uuid;

use super::to_api;
use crate::auth::AdminOnly;
use crate::db::{self, users};
use crate::error::{ApiError, ApiResult};
use crate::routes::support::ok_versioned;
use crate::state::AppState;

/// One user (admin).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user (`ETag` carries its version).", body = User),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(users::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

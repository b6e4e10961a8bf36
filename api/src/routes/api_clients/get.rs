use actix_web::{get, web, HttpResponse};
use api_types::ApiClient;
use uuid::Uuid;

use super::to_api;
use crate::auth::AdminOnly;
use crate::db::{self, api_clients};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One API client (admin).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "API client id")),
    responses(
        (status = 200, description = "The API client (never its secret).", body = ApiClient),
        (status = 404, description = "No such API client.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(api_clients::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}

//! `GET /services/imports/{id}`: where an import stands, then its report.
use actix_web::{get, web, HttpResponse};
use api_types::OfferImport;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, imports};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// An import (admin): its progress while `queued` or `running` (`bytes_read` of `bytes`, the
/// rows so far), then its report: exact counts of rows created, updated, unchanged and
/// rejected, services suspended, and the rejected rows with their reasons.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "Import id")),
    responses(
        (status = 200, description = "The import.", body = OfferImport),
        (status = 404, description = "No such import.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/imports/{id}")]
pub async fn get_import(
    state: web::Data<AppState>,
    Authorized(_admin): AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(imports::get(conn, id)?)).await?;
    let row = row.ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(super::to_api(row)))
}

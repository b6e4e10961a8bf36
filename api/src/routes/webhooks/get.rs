use actix_web::{get, web, HttpResponse};
use api_types::Webhook;
use uuid::Uuid;

use super::{scope, to_api};
use crate::auth::Caller;
use crate::db::{self, webhooks};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One subscription (never its secret).
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 200, description = "The subscription.", body = Webhook),
    )
)]
#[get("/webhooks/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let structure = scope(&caller)?;
    let id = path.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(webhooks::get(conn, id, structure)?)
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}

use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::ApiClient;
use uuid::Uuid;

use super::to_api;
use crate::auth::{Actor, AdminOnly, Authorized};
use crate::db::{self, api_clients};
use crate::error::{ApiError, ApiResult};
use crate::routes::admin_audit::{self, action_reason, Changes, Entry};
use crate::state::AppState;

/// Revoke an API client (admin): its secret stops working at once, and the access tokens it
/// holds within `SAS_SESSION_CHECK_SECONDS` (5 s) on every instance. Recorded in the
/// administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "API client id")),
    request_body = api_types::AdminAction,
    responses(
        (status = 200, description = "Revoked (or already was).", body = ApiClient),
        (status = 404, description = "No such API client.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long (`required`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let reason = action_reason(&req, &body)?;
    let id = id.into_inner();
    let now = state.clock.now();
    let row = db::tx(&state.pool, move |conn| {
        let before = api_clients::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let row = api_clients::revoke(conn, id, now)?.ok_or_else(ApiError::not_found)?;
        let mut changes = Changes::default();
        changes.field("revoked_at", &before.revoked_at, &row.revoked_at);
        admin_audit::record(
            conn,
            Entry {
                actor: caller.actor.user_id(),
                action: "api_client.revoke",
                target_type: "api_client",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(row)
    })
    .await?;
    state.accounts.forget(Actor::Client(id));
    Ok(HttpResponse::Ok().json(to_api(row)))
}

use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::User;
use serde_json::json;
use uuid::Uuid;

use super::to_api;
use crate::auth::{Actor, AdminOnly, Authorized, Caller};
use crate::db::{self, referrals, refresh_tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::ids::UserId;
use crate::routes::admin_audit::{self, action_reason, Changes, Entry};
use crate::routes::referrals::{journal, transition_error};
use crate::routes::support::ok_versioned;
use crate::state::AppState;

async fn set_active(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    active: bool,
    reason: String,
) -> ApiResult<HttpResponse> {
    if !active && caller.actor.user_id() == Some(id) {
        return Err(ApiError::conflict(
            "cannot_deactivate_self",
            "You cannot deactivate your own account.",
        ));
    }
    let now = state.clock.now();
    let admin = caller.actor;
    let caller = caller.clone();
    let row = db::tx(&state.pool, move |conn| {
        let mut row = users::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let mut changes = Changes::default();
        if row.active != active {
            changes.field("active", &row.active, &active);
            let expected = row.version;
            row.active = active;
            row.deactivated_at = if active { None } else { Some(now) };
            row.updated_at = now;
            row.version += 1;
            if !active {
                // Live access tokens stop at once, refresh tokens too.
                row.session_version += 1;
                refresh_tokens::revoke_user(conn, id, now)?;
                let journal = journal(&caller, "user.deactivate", now);
                let released = referrals::release_assigned(conn, UserId(id), &journal)
                    .map_err(transition_error)?;
                if released > 0 {
                    changes.set("referrals_returned_to_queue", &json!(released));
                }
            }
            row = users::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)?;
        }
        admin_audit::record(
            conn,
            Entry {
                actor: admin.user_id(),
                action: if active {
                    "user.reactivate"
                } else {
                    "user.deactivate"
                },
                target_type: "user",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(row)
    })
    .await?;
    state.accounts.forget(Actor::User(id));
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

/// Deactivate a user (admin): they can no longer log in, their refresh tokens are revoked and
/// their live access tokens refused. Referrals a counsellor was still contacting return to the
/// queue (`submitted`, with an event). Users are never deleted: events and logs keep pointing
/// at them. Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = api_types::AdminAction,
    responses(
        (status = 200, description = "Deactivated (or already was).", body = User),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An admin cannot deactivate themself (`cannot_deactivate_self`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long (`required`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let reason = action_reason(&req, &body)?;
    set_active(&state, &caller, id.into_inner(), false, reason).await
}

/// Reactivate a user (admin). Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = api_types::AdminAction,
    responses(
        (status = 200, description = "Active again (or already was).", body = User),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long (`required`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let reason = action_reason(&req, &body)?;
    set_active(&state, &caller, id.into_inner(), true, reason).await
}

use actix_web::{post, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, jobs};
use crate::error::{ApiError, ApiResult};
use crate::routes::admin_audit::{self, action_reason, Changes, Entry};
use crate::state::AppState;

/// Queue a parked job again (admin), with a fresh set of attempts, once its cause is fixed
/// (a mail server back, a partner's endpoint repaired). Recorded in the administrative audit.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "Job id")),
    request_body = api_types::AdminAction,
    responses(
        (status = 202, description = "Queued again."),
        (status = 409, description = "The job is not parked (`not_parked`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long (`required`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/jobs/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    Authorized(admin): AdminOnly,
    req: HttpRequest,
    path: web::Path<Uuid>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let reason = action_reason(&req, &body)?;
    let id = path.into_inner();
    let now = state.clock.now();
    let actor = admin.actor.user_id();
    db::tx(&state.pool, move |conn| {
        let Some((kind, payload)) = jobs::retry_parked(conn, id, now)? else {
            return Err(if jobs::exists(conn, id)? {
                ApiError::conflict("not_parked", "Only a parked job can be retried.")
            } else {
                ApiError::not_found()
            });
        };
        crate::jobs::reopened(conn, &kind, &payload)?;
        let mut changes = Changes::default();
        changes.field("state", &"parked", &"queued");
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "job.retry",
                target_type: "job",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, Erasure};
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, privacy};
use crate::domain::retention::{self, Skip};
use crate::error::{ApiError, ApiResult};
use crate::ids::YouthId;
use crate::routes::admin_audit::{self, action_reason, Changes, Entry};
use crate::routes::referrals::journal;
use crate::state::AppState;

const MSG_REASON: &str = "Say why (1 to 500 characters): an erasure is audited.";
const MSG_RELAY: &str = "A relay of this young person is in progress (requested, accepted or \
    started): cancel it, or record its end, before erasing.";
const MSG_OPEN: &str = "A referral of this young person is still open: close it first (erasure \
    closes nothing by itself).";
const MSG_ALREADY: &str = "This young person's data is already anonymised.";

/// Erase a young person on request (admin), with a reason: the same anonymisation as the
/// retention job, at once, whatever the delay — identity, contact, legal representative and
/// every free text about them are blanked; codes, dates and events stay, so the statistics do
/// not change. Refused while a relay is in progress or a referral is open. Recorded in the
/// administrative audit (`youth.erase`) and the access logs (`anonymise`).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "The youth (`Referral.youth.id`)")),
    request_body = api_types::AdminAction,
    responses(
        (status = 200, description = "Anonymised.", body = Erasure),
        (status = 401, description = "No valid token.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such youth (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`relay_in_progress` (a relay of the youth is requested, accepted or started), `referral_open` (close the referral first) or `already_anonymised`.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON (`unsupported_media_type`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or blank (`reason_required`) or too long (`validation_failed`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/youths/{id}/erase")]
pub async fn erase(
    state: web::Data<AppState>,
    Authorized(admin): AdminOnly,
    req: HttpRequest,
    path: web::Path<Uuid>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let reason = action_reason(&req, &body).map_err(reason_required)?;
    let youth = YouthId(path.into_inner());
    let now = state.clock.now();
    let j = journal(&admin, req.path(), now);
    let actor = admin.actor.user_id();
    let done = db::tx(&state.pool, move |conn| {
        let h = privacy::history(conn, youth)?.ok_or_else(ApiError::not_found)?;
        retention::may_erase(&h).map_err(refusal)?;
        let a = privacy::anonymise(conn, youth, now)?
            .ok_or_else(|| ApiError::conflict("already_anonymised", MSG_ALREADY))?;
        let rows: Vec<_> = a.referrals.iter().map(|r| (youth, *r)).collect();
        j.access(conn, AccessAction::Anonymise, &rows, Some(&reason))?;
        let mut changes = Changes::default();
        changes.set("anonymised_at", &now);
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "youth.erase",
                target_type: "youth",
                target_id: youth.uuid(),
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(a)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Erasure {
        youth_id: youth.uuid(),
        anonymised_at: now,
        referrals: u32::try_from(done.referrals.len()).unwrap_or(u32::MAX),
    }))
}

/// A missing or blank reason is `reason_required` (the field error stays in `errors`).
fn reason_required(mut e: ApiError) -> ApiError {
    if e.status == StatusCode::UNPROCESSABLE_ENTITY
        && e.errors
            .iter()
            .any(|f| f.field == "reason" && f.code == "required")
    {
        e.code = "reason_required";
        e.detail = MSG_REASON.into();
    }
    e
}

fn refusal(s: Skip) -> ApiError {
    match s {
        Skip::RelayInProgress => ApiError::conflict("relay_in_progress", MSG_RELAY),
        Skip::OpenReferral => ApiError::conflict("referral_open", MSG_OPEN),
        // may_erase refuses nothing else.
        Skip::AlreadyAnonymised | Skip::NoClosedReferral | Skip::NotDue => {
            ApiError::conflict("already_anonymised", MSG_ALREADY)
        }
    }
}

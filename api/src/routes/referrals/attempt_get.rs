//! `GET /referrals/{id}/contact-attempts/{attempt_id}`: one attempt (SAS team only, logged).
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::AccessAction;
use uuid::Uuid;

use super::{journal, team_scope, view, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, attempts, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::state::AppState;

/// One contact attempt of a referral (counsellors of its territory).
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("attempt_id" = Uuid, Path, description = "Attempt id"),
    ),
    responses((status = 200, description = "The attempt.", body = api_types::ContactAttempt))
)]
#[get("/referrals/{id}/contact-attempts/{attempt_id}")]
pub async fn get_attempt(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, attempt) = path.into_inner();
    let id = ReferralId(id);
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    let a = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let a = attempts::get(conn, id, attempt)?.ok_or_else(ApiError::not_found)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        Ok(view::attempt(a))
    })
    .await?;
    Ok(HttpResponse::Ok().json(a))
}

//! `GET /referrals/{id}/consent/{consent_id}`: one record of the consent history.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::AccessAction;
use uuid::Uuid;

use super::{journal, scope_of, view, Staff};
use crate::auth::Authorized;
use crate::db::{self, consent, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ConsentId, ReferralId};
use crate::state::AppState;

/// One record of a referral's consent history.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("consent_id" = Uuid, Path, description = "Consent record id"),
    ),
    responses(
        (status = 200, description = "The record.", body = api_types::ConsentRecord),
    )
)]
#[get("/referrals/{id}/consent/{consent_id}")]
pub async fn consent_record(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = path.into_inner();
    let (id, cid) = (ReferralId(id), ConsentId(cid));
    let j = journal(&caller, req.path(), state.clock.now());
    let record = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope_of(&caller))?.ok_or_else(ApiError::not_found)?;
        let c = consent::get(conn, id, cid)?.ok_or_else(ApiError::not_found)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        Ok(view::consent(c))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

//! `GET /referrals/{id}`: one referral in scope, read and logged in one statement; or, for an
//! administrator, any referral with a reason (`?reason=…`), logged with it and audited
//! (`domain::personal_data::referral_read` decides which).
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::AccessAction;
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, scope_of, show, view, StaffOrAdmin};
use crate::auth::Authorized;
use crate::db;
use crate::db::referrals::{self, Reading, Scope};
use crate::domain::personal_data::{referral_read, ReferralRead};
use crate::domain::referral::visibility::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::admin_audit::{self, read_reason, Changes, Entry};
use crate::routes::support::ok_versioned;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// Why an administrator reads this referral (1 to 500 characters; required for an
    /// administrator, logged with the read and kept in the admin audit). Prescribers and
    /// counsellors read their own scope without one.
    pub reason: Option<String>,
}

/// One referral: in scope for its prescriber structure or the counsellors of its territory;
/// any referral for an administrator giving a `reason` (the SAS team's view, logged with the
/// reason and recorded in the admin audit as `referral.read`).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), ReadQuery),
    responses(
        (status = 200, description = "The referral (`ETag` carries its version).", body = api_types::Referral, headers(("ETag" = String, description = "Its version"))),
        (status = 422, description = "An administrator without a `reason` (`reason_required`), or a `reason` `too_long`.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    Authorized(caller): StaffOrAdmin,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<ReadQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let id = ReferralId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let r = match referral_read(&caller.roles, q.reason.is_some()) {
        ReferralRead::Staff => {
            db::run(&state.pool, move |conn| {
                show(
                    conn,
                    &caller,
                    &j,
                    id,
                    scope_of(&caller),
                    Some(AccessAction::Read),
                )
            })
            .await?
        }
        ReferralRead::Admin | ReferralRead::ReasonRequired => {
            let reason = read_reason(q.reason.as_deref())?;
            let actor = caller.actor.user_id();
            db::tx(&state.pool, move |conn| {
                let how = Reading {
                    scope: Scope::ALL,
                    duplicates: false,
                    journal: &j,
                    log: None,
                };
                let v = referrals::read(conn, id, &how)?.ok_or_else(ApiError::not_found)?;
                j.access(
                    conn,
                    AccessAction::Read,
                    &[(v.youth_id, v.id)],
                    Some(&reason),
                )?;
                admin_audit::record(
                    conn,
                    Entry {
                        actor,
                        action: "referral.read",
                        target_type: "referral",
                        target_id: id.uuid(),
                        changes: Changes::default(),
                        reason: &reason,
                    },
                    now,
                )?;
                view::referral(v, Viewer::Admin, now)
            })
            .await?
        }
        ReferralRead::Forbidden => return Err(ApiError::forbidden()),
    };
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

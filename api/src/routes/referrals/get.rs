//! `GET /referrals/{id}`: one referral in scope, read and logged in one statement.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::AccessAction;
use uuid::Uuid;

use super::{journal, scope_of, show, Staff};
use crate::auth::Authorized;
use crate::db;
use crate::error::ApiResult;
use crate::ids::ReferralId;
use crate::routes::support::ok_versioned;
use crate::state::AppState;

/// One referral (in scope: the prescriber's structure or the counsellor's territory).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The referral (`ETag` carries its version).", body = api_types::Referral, headers(("ETag" = String, description = "Its version"))),
    )
)]
#[get("/referrals/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let r = db::run(&state.pool, move |conn| {
        show(
            conn,
            &caller,
            &j,
            id,
            scope_of(&caller),
            Some(AccessAction::Read),
        )
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

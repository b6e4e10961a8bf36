//! `GET /referrals/{id}/matches/exclusions`: the services set aside for a referral.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, MatchExclusionList};
use uuid::Uuid;

use super::match_exclusion_create::view;
use super::{journal, team_scope, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, matching, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::state::AppState;

/// The services set aside for this young person, latest first (counsellors of the
/// territory; a referral has few, so they come whole).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses((status = 200, description = "The exclusions.", body = MatchExclusionList))
)]
#[get("/referrals/{id}/matches/exclusions")]
pub async fn list_match_exclusions(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    let list = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let items = matching::exclusions(conn, id)?
            .into_iter()
            .map(view)
            .collect();
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        Ok(MatchExclusionList { items })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

//! `GET /referrals/{id}/relays`: a referral's relays, for the SAS team and the prescriber.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, RelayPage, Role};
use uuid::Uuid;

use super::view;
use crate::auth::{allow, Authorized};
use crate::db::{self, referrals};
use crate::domain::relay::visibility::Reader;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, StructureId, TerritoryId};
use crate::routes::referrals::journal;
use crate::state::AppState;

type Staff = Authorized<{ allow::PRESCRIBER | allow::COUNSELLOR }>;

/// The relays of a referral, oldest first (a referral has a handful: one page). The SAS team
/// sees everything. The prescriber sees the closed loop: where the young person was relayed
/// (a sensitive structure as "structure partenaire (confidentiel)"), each relay's status and
/// outcome and every checkpoint answer — never reasons, the summary or the needs.
#[utoipa::path(
    tag = "relays",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The relays.", body = RelayPage),
        (status = 404, description = "No such referral in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/relays")]
pub async fn list_referral_relays(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let page = db::run(&state.pool, move |conn| {
        let team = referrals::Scope {
            territory: caller
                .has(Role::Counsellor)
                .then_some(caller.territory_id)
                .flatten()
                .map(TerritoryId),
            ..referrals::Scope::default()
        };
        let own = referrals::Scope {
            prescriber_structure: caller
                .has(Role::Prescriber)
                .then_some(caller.structure_id)
                .flatten()
                .map(StructureId),
            ..referrals::Scope::default()
        };
        let reader = if referrals::exists(conn, id, team)?.is_some() {
            Reader::Counsellor
        } else if referrals::exists(conn, id, own)?.is_some() {
            Reader::Prescriber
        } else {
            return Err(ApiError::not_found());
        };
        let rows = db::relays::of_referral(conn, id)?;
        let items = view::relays(conn, rows, reader, now)?;
        if reader == Reader::Counsellor {
            if let Some((_, youth)) = items.first() {
                j.access(conn, AccessAction::Read, &[(*youth, id)], None)?;
            }
        }
        Ok(RelayPage {
            items: items.into_iter().map(|(r, _)| r).collect(),
            next_cursor: None,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

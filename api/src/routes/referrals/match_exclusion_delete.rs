//! `DELETE /referrals/{id}/matches/exclusions/{service_id}`: undoes an exclusion.
use actix_web::{delete, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventKind};
use uuid::Uuid;

use super::{journal, team_scope, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, matching, referrals};
use crate::domain::referral::lifecycle::EventDraft;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, ServiceId};
use crate::state::AppState;

/// Bring a service set aside back into the matches (counsellors of the territory). Recorded
/// on the timeline (`match_exclusion_removed`). 404 when it was not set aside.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("service_id" = Uuid, Path, description = "The service set aside"),
    ),
    responses((status = 204, description = "Back in the matches."))
)]
#[delete("/referrals/{id}/matches/exclusions/{service_id}")]
pub async fn delete_match_exclusion(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, service) = path.into_inner();
    let (id, service) = (ReferralId(id), ServiceId(service));
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    db::tx(&state.pool, move |conn| {
        let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if !matching::restore(conn, id, service)? {
            return Err(ApiError::not_found());
        }
        j.event(
            conn,
            r.id,
            &EventDraft::new(EventKind::MatchExclusionRemoved),
        )?;
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

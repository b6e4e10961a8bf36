//! `POST /referrals/{id}/matches/exclusions`: a counsellor sets a service aside for this
//! young person, with a reason. Idempotent: a second one for the same service answers the
//! standing exclusion (200), never a duplicate.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventKind, MatchExclusion, MatchExclusionInput};
use uuid::Uuid;

use super::{journal, team_scope, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, matching, referrals, services};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::service::matching::parse_exclusion;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, ServiceId, UserId};
use crate::state::AppState;

const MSG_UNKNOWN: &str = "No such service.";

pub(super) fn view(e: matching::Exclusion) -> MatchExclusion {
    MatchExclusion {
        service_id: e.service_id.uuid(),
        service_nom: e.service_nom,
        reason: e.reason,
        note: e.note,
        excluded_at: e.excluded_at,
        excluded_by: e.excluded_by.map(|u| u.uuid()),
    }
}

/// Set a service aside from the matches (counsellors of the territory): it leaves
/// `GET …/matches` and the relay step sees it. `reason` is a code; `other` takes a `note`.
/// Recorded on the timeline (`match_excluded`, SAS team only). A second exclusion of the same
/// service answers the standing one with 200.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    request_body = MatchExclusionInput,
    responses(
        (status = 201, description = "Set aside.", body = MatchExclusion),
        (status = 200, description = "Already set aside: the standing exclusion, unchanged.", body = MatchExclusion),
        (status = 422, description = "An unknown service (`unknown_service`), a note missing with `other` (`required`) or too long (`too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/matches/exclusions")]
pub async fn create_match_exclusion(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<MatchExclusionInput>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let note = parse_exclusion(b.reason, b.note).map_err(ApiError::validation)?;
    let id = ReferralId(id.into_inner());
    let service = ServiceId(b.service_id);
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let by = caller.actor.user_id().map(UserId);
    let (created, e) = db::tx(&state.pool, move |conn| {
        let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if services::get(conn, service)?.is_none() {
            return Err(ApiError::field(
                "service_id",
                "unknown_service",
                MSG_UNKNOWN,
            ));
        }
        let created = matching::exclude(conn, id, service, b.reason, note.as_deref(), by, now)?;
        if created {
            let mut ev = EventDraft::new(EventKind::MatchExcluded);
            ev.code = Some(b.reason.as_str().to_string());
            j.event(conn, r.id, &ev)?;
            j.access(conn, AccessAction::Create, &[(y.id, r.id)], None)?;
        }
        let e = matching::exclusion(conn, id, service)?
            .ok_or_else(|| ApiError::internal("an exclusion just written is missing"))?;
        Ok((created, view(e)))
    })
    .await?;
    Ok(if created {
        HttpResponse::Created().json(e)
    } else {
        HttpResponse::Ok().json(e)
    })
}

//! `GET /referrals/{id}/events`: the timeline, as the reader may see it.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventPage};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, scope_of, view, viewer, Staff};
use crate::auth::Authorized;
use crate::db::{self, cursor, events, referrals};
use crate::domain::referral::visibility;
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The timeline of a referral, oldest first. Prescribers see who acted, and what they wrote,
/// only for their own structure's actions; they never see hold reasons and read `duplicate`
/// as `closed_by_sas`.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), EventQuery),
    responses(
        (status = 200, description = "A page of events.", body = api_types::EventPage),
    )
)]
#[get("/referrals/{id}/events")]
pub async fn timeline(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = cursor::after::<(DateTime<Utc>, Uuid)>(q.cursor.as_deref())?;
    let j = journal(&caller, req.path(), state.clock.now());
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope_of(&caller))?.ok_or_else(ApiError::not_found)?;
        let who = viewer(&caller, r.territory_id);
        let rows = events::list(conn, id, after, limit + 1)?;
        // The notes are about the youth: reading them is logged.
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        let (rows, next) = cursor::page(rows, limit, |e| (e.occurred_at, e.id.uuid()));
        Ok(EventPage {
            items: rows
                .into_iter()
                .filter(|e| visibility::event_visible(who, e.kind))
                .map(|e| view::event(e, who))
                .collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

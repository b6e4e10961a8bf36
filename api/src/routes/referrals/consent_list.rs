//! `GET /referrals/{id}/consent`: the consent history, latest first.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, ConsentPage};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::timeline::EventQuery;
use super::{journal, scope_of, view, Staff};
use crate::auth::Authorized;
use crate::db::{self, consent, cursor, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ConsentId, ReferralId};
use crate::routes::support::limit;
use crate::state::AppState;

/// The consent history of a referral, latest first: every record as it was appended.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), EventQuery),
    responses(
        (status = 200, description = "A page of consent records.", body = api_types::ConsentPage),
    )
)]
#[get("/referrals/{id}/consent")]
pub async fn consent_history(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let before = cursor::after::<(DateTime<Utc>, Uuid)>(q.cursor.as_deref())?
        .map(|(t, id)| (t, ConsentId(id)));
    let j = journal(&caller, req.path(), state.clock.now());
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope_of(&caller))?.ok_or_else(ApiError::not_found)?;
        let rows = consent::history(conn, id, before, limit + 1)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        let (rows, next) = cursor::page(rows, limit, |c| (c.recorded_at, c.id.uuid()));
        Ok(ConsentPage {
            items: rows.into_iter().map(view::consent).collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

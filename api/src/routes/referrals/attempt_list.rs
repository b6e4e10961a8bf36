//! `GET /referrals/{id}/contact-attempts`: the attempts, for the SAS team only (logged).
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, ContactAttemptPage};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, team_scope, view, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, attempts, cursor, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AttemptQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The contact attempts of a referral, latest first (counsellors of its territory: a
/// prescriber never reads them, nor their notes).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), AttemptQuery),
    responses(
        (status = 200, description = "A page of attempts.", body = api_types::ContactAttemptPage),
    )
)]
#[get("/referrals/{id}/contact-attempts")]
pub async fn list_attempts(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<AttemptQuery>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let before = cursor::after::<(DateTime<Utc>, Uuid)>(q.cursor.as_deref())?;
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let rows = attempts::list(conn, id, before, limit + 1)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        let (rows, next) = cursor::page(rows, limit, |a| (a.attempted_at, a.id));
        Ok(ContactAttemptPage {
            items: rows.into_iter().map(view::attempt).collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

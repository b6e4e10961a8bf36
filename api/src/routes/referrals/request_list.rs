//! `GET /referrals/{id}/prescriber-requests`: what the SAS team asked the prescriber.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, PrescriberRequestPage};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, scope_of, view, Staff};
use crate::auth::Authorized;
use crate::db::{self, attempts, cursor, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The requests to the prescriber of a young person reached through them only, latest first
/// (the prescriber, and the counsellors of the territory). Never the attempts' notes.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), RequestQuery),
    responses(
        (status = 200, description = "A page of requests.", body = api_types::PrescriberRequestPage),
    )
)]
#[get("/referrals/{id}/prescriber-requests")]
pub async fn list_requests(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<RequestQuery>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let before = cursor::after::<(DateTime<Utc>, Uuid)>(q.cursor.as_deref())?;
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = scope_of(&caller);
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let rows = attempts::requests(conn, id, before, limit + 1)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        let (rows, next) = cursor::page(rows, limit, |r| (r.opened_at, r.id));
        Ok(PrescriberRequestPage {
            items: rows.into_iter().map(view::request).collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

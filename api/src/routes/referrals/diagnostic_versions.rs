//! `GET /referrals/{id}/diagnostic/versions`: every saved version, who and when (logged).
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, DiagnosticVersionPage};
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, team_scope, view, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, cursor, diagnostics, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The versions of a referral's diagnostic, latest first (counsellors of its territory).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), VersionQuery),
    responses(
        (status = 200, description = "A page of versions.", body = api_types::DiagnosticVersionPage),
    )
)]
#[get("/referrals/{id}/diagnostic/versions")]
pub async fn diagnostic_versions(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<VersionQuery>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let before = cursor::after::<i32>(q.cursor.as_deref())?;
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let rows = diagnostics::versions(conn, id, before, limit + 1)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        let (rows, next) = cursor::page(rows, limit, |v| v.version);
        Ok(DiagnosticVersionPage {
            items: rows
                .into_iter()
                .map(view::diagnostic_version)
                .collect::<ApiResult<Vec<_>>>()?,
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

use actix_web::{get, web, HttpResponse};
use api_types::{RetentionRun, RetentionRunPage, RetentionSkipped};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AdminOnly;
use crate::db::{self, cursor, privacy};
use crate::error::ApiResult;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The retention job's runs (admin), newest first: when each ran, the settings it ran with,
/// how many youths it anonymised, how many access logs it purged, and how many youths it
/// left as they were, by reason.
#[utoipa::path(
    tag = "administration",
    params(RunsQuery),
    responses(
        (status = 200, description = "A page of runs, newest first.", body = RetentionRunPage),
        (status = 400, description = "A bad `limit` or `cursor`.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator (`forbidden`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/retention-runs")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<RunsQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let before = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
        .transpose()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(privacy::runs(conn, before, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.started_at, r.id));
    let items = rows
        .into_iter()
        .map(|r| RetentionRun {
            id: r.id,
            started_at: r.started_at,
            finished_at: r.finished_at,
            retention_months: r.retention_months,
            access_log_retention_months: r.access_log_retention_months,
            anonymised: r.anonymised,
            access_logs_purged: r.access_logs_purged,
            skipped: skipped(&r.skipped),
        })
        .collect();
    Ok(HttpResponse::Ok().json(RetentionRunPage {
        items,
        next_cursor: next,
    }))
}

fn skipped(v: &serde_json::Value) -> RetentionSkipped {
    let n = |k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    };
    RetentionSkipped {
        open_referral: n("open_referral"),
        relay_in_progress: n("relay_in_progress"),
        not_due: n("not_due"),
        already_anonymised: n("already_anonymised"),
        no_closed_referral: n("no_closed_referral"),
    }
}

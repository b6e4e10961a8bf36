//! Steering (issue 14): `GET /stats/funnel`, `GET /stats/indicators` and `GET /stats/export`
//! for a period, as of a date, of a territory (administrators name one); the targets a pilot
//! sets (`GET`/`PUT /stats/targets`).
use api_types::{FunnelReport, IndicatorReport, StatTargets, StatTargetsInput};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::query::with_query;
use crate::logic::stats::StatsQuery;

pub async fn funnel(q: &StatsQuery) -> Result<FunnelReport, ApiError> {
    http::get(&q.path("/stats/funnel")).await
}

pub async fn indicators(q: &StatsQuery) -> Result<IndicatorReport, ApiError> {
    http::get(&q.path("/stats/indicators")).await
}

/// Every aggregated figure of the report as CSV (the API's file, as text).
pub async fn export(q: &StatsQuery) -> Result<String, ApiError> {
    Ok(
        http::request(Method::Get, &q.path("/stats/export"), None, None)
            .await?
            .body,
    )
}

pub async fn targets(territory: Option<Uuid>) -> Result<StatTargets, ApiError> {
    let t = territory.map(|t| t.to_string()).unwrap_or_default();
    http::get(&with_query("/stats/targets", &[("territory", &t)])).await
}

pub async fn set_targets(body: StatTargetsInput) -> Result<StatTargets, ApiError> {
    http::send(Method::Put, "/stats/targets", &body, None).await
}

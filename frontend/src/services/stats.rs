//! Steering (issue 14): `GET /stats/funnel` and `GET /stats/indicators` for a period, as of a
//! date, of a territory (administrators name one).
use api_types::{FunnelReport, IndicatorReport};

use super::http::{self, ApiError};
use crate::logic::stats::StatsQuery;

pub async fn funnel(q: &StatsQuery) -> Result<FunnelReport, ApiError> {
    http::get(&q.path("/stats/funnel")).await
}

pub async fn indicators(q: &StatsQuery) -> Result<IndicatorReport, ApiError> {
    http::get(&q.path("/stats/indicators")).await
}

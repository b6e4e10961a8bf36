//! `GET /stats/funnel`: the funnel of a territory for a month or a quarter.
use actix_web::{get, web, HttpResponse};
use api_types::{FunnelReport, FunnelStage, StatCount};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{allow, Authorized};
use crate::domain::stats::definitions::{COMMON, FUNNEL};
use crate::domain::stats::disclosure::Row;
use crate::domain::stats::indicators::Measure;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// A month (`2026-03`) or a quarter (`2026-Q1`).
    #[param(pattern = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2]|[Qq][1-4])$")]
    pub period: String,
    /// Today (the default) or the last day of a past month, in the territory's time zone.
    pub as_of: Option<NaiveDate>,
    /// Administrators name the territory; others may only name their own.
    pub territory: Option<Uuid>,
}

fn shown(v: Option<u64>) -> StatCount {
    StatCount {
        value: v,
        suppressed: v.is_none(),
    }
}

/// The funnel submitted → contacted → diagnosed (then the relay stages, not yet available)
/// of your territory (pilots, counsellors; administrators name one), counted on the cohort of
/// referrals submitted in the period, as of `as_of`. Counts from 1 to 4, and the cells that
/// would give them back, are suppressed. Definitions: `docs/STEERING.md`.
#[utoipa::path(
    tag = "stats",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The funnel.", body = api_types::FunnelReport),
        (status = 400, description = "A period that is not a month or a quarter between 1900 and 2100 (`invalid_period`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An `as_of` that is neither today nor a past month end, or before the period (`invalid_as_of`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your territory, or no such territory (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/funnel")]
pub async fn get_funnel(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<{ allow::PILOT | allow::COUNSELLOR | allow::ADMIN }>,
    query: web::Query<FunnelQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let s = super::scope(&state, &caller, q.territory, &q.period, q.as_of).await?;
    let (report, _) = super::report(&state, &s).await?;
    let sel = s.period.month();
    let months = s.period.months();
    let stages = FUNNEL
        .iter()
        .map(|d| {
            let measure = match d.code {
                "submitted" => Some(Measure::Submitted),
                "contacted" => Some(Measure::Contacted),
                "diagnosed" => Some(Measure::Diagnosed),
                _ => None,
            };
            FunnelStage {
                code: d.code.to_string(),
                label: d.label.to_string(),
                definition: d.definition.to_string(),
                available: d.available && measure.is_some(),
                total: measure.map(|m| shown(report.count(m, Row::All, sel))),
                by_month: measure.map_or_else(Vec::new, |m| {
                    months
                        .iter()
                        .map(|mo| shown(report.count(m, Row::All, Some(*mo))))
                        .collect()
                }),
                breakdown: Vec::new(),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(FunnelReport {
        territory_id: s.territory,
        scope: "territory".to_string(),
        period: s.period.code(),
        as_of: s.as_of,
        months: months.iter().map(|m| m.code()).collect(),
        rules: COMMON.to_string(),
        stages,
    }))
}

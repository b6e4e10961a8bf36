//! `GET /stats/indicators`: the H1, H2 (and, with the relays, H3) indicators of a territory.
use actix_web::{get, web, HttpResponse};
use api_types::{Indicator, IndicatorReport, StatValue};

use crate::auth::{allow, Authorized};
use crate::domain::stats::definitions::{Hypothesis, COMMON, INDICATORS};
use crate::domain::stats::disclosure::{self, Row};
use crate::domain::stats::indicators::{Measure, Report};
use crate::domain::stats::period::Month;
use crate::domain::stats::verdict::Better;
use crate::error::ApiResult;
use crate::routes::stats::funnel::FunnelQuery;
use crate::state::AppState;

fn value(v: Option<f64>) -> StatValue {
    StatValue {
        value: v,
        suppressed: v.is_none(),
    }
}

/// One figure of an indicator for a month (`Some`) or the whole period (`None`).
fn figure(code: &str, r: &Report, month: Option<Month>, registered: u64) -> Option<f64> {
    let rate = |num, den| r.rate(num, den, Row::All, month);
    match code {
        "h1_referrals" => r
            .count(Measure::Submitted, Row::All, month)
            .map(|n| n as f64),
        "h1_early_share" => rate(Measure::Early, Measure::WithExit),
        "h1_active_structures" => {
            disclosure::rate(r.active_structures(month), registered, true, true)
        }
        "h2_contact_rate" => rate(Measure::AgedContacted, Measure::Aged),
        "h2_median_days_to_contact" => r.median_days_to_contact(month),
        "h2_unreachable_rate" => rate(Measure::AgedUnreachable, Measure::Aged),
        "h2_attempts_per_contact" => r.attempts_per_contact(month),
        _ => None,
    }
}

fn unit(code: &str) -> &'static str {
    match code {
        "h1_referrals" => "count",
        "h2_median_days_to_contact" | "h3_median_days_to_start" => "days",
        "h2_attempts_per_contact" => "mean",
        _ => "rate",
    }
}

/// The indicators of DOMAIN.md for your territory (pilots, counsellors; administrators name
/// one), on the cohort of referrals submitted in the period, as of `as_of`: H1 (referrals,
/// early share, active prescriber structures over the registered ones) and H2 (contact rate,
/// median days to contact, unreachable rate, attempts per contact); H3 is listed, not yet
/// available. Rates and medians under 5, or over a numerator from 1 to 4, are suppressed.
/// Definitions: `docs/STEERING.md`.
#[utoipa::path(
    tag = "stats",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The indicators.", body = api_types::IndicatorReport),
        (status = 400, description = "A period that is not a month or a quarter between 1900 and 2100 (`invalid_period`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An `as_of` that is neither today nor a past month end, or before the period (`invalid_as_of`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your territory, or no such territory (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/indicators")]
pub async fn get_indicators(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<{ allow::PILOT | allow::COUNSELLOR | allow::ADMIN }>,
    query: web::Query<FunnelQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let s = super::scope(&state, &caller, q.territory, &q.period, q.as_of).await?;
    let (report, registered) = super::report(&state, &s).await?;
    let sel = s.period.month();
    let months = s.period.months();
    let registered = u64::try_from(registered).unwrap_or(0);
    let indicators = INDICATORS
        .iter()
        .map(|d| Indicator {
            code: d.code.to_string(),
            hypothesis: match d.hypothesis {
                Some(Hypothesis::H1) => "h1",
                Some(Hypothesis::H2) => "h2",
                _ => "h3",
            }
            .to_string(),
            label: d.label.to_string(),
            definition: d.definition.to_string(),
            available: d.available,
            unit: unit(d.code).to_string(),
            better: d.better.map(|b| match b {
                Better::Higher => "higher".to_string(),
                Better::Lower => "lower".to_string(),
            }),
            total: d
                .available
                .then(|| value(figure(d.code, &report, sel, registered))),
            by_month: if d.available {
                months
                    .iter()
                    .map(|m| value(figure(d.code, &report, Some(*m), registered)))
                    .collect()
            } else {
                Vec::new()
            },
            breakdown: Vec::new(),
            target: None,
            verdict: None,
        })
        .collect();
    Ok(HttpResponse::Ok().json(IndicatorReport {
        territory_id: s.territory,
        scope: "territory".to_string(),
        period: s.period.code(),
        as_of: s.as_of,
        months: months.iter().map(|m| m.code()).collect(),
        rules: COMMON.to_string(),
        indicators,
    }))
}

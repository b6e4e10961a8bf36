//! `GET /stats/indicators`: the H1, H2 and H3 indicators of a scope.
use actix_web::{get, web, HttpResponse};

use crate::auth::{allow, Authorized};
use crate::error::ApiResult;
use crate::routes::stats::FunnelQuery;
use crate::state::AppState;

/// The indicators of your scope (see `GET /stats/funnel` for the scopes), on the cohort of
/// the period, as of `as_of`. Territory: H1 (referrals, early share, active prescriber
/// structures over the registered ones), H2 (contact rate, median days to contact,
/// unreachable rate, attempts per contact), H3 (started rate, median days to start, J+90
/// retention, unanswered J+90 checkpoints, off-platform relays apart), each with its
/// territory's target and verdict (`met`, `not_met`, `too_few_data`) and, for counts and
/// rates, a breakdown by prescriber kind and by structure. A prescriber's structure:
/// `p_reached_rate`, `p_relayed_rate`, `p_started_rate`. A receiving structure:
/// `r_answered_10d`, `r_started_rate`, `r_retained_j90`. Rates and medians under 5, or over a
/// numerator from 1 to 4, are suppressed. Each carries its definition.
#[utoipa::path(
    tag = "stats",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The indicators.", body = api_types::IndicatorReport),
        (status = 400, description = "A period that is not a month or a quarter between 1900 and 2100 (`invalid_period`), or an unknown `scope` (`invalid_scope`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An `as_of` that is neither today nor a past month end, or before the period (`invalid_as_of`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your territory, no such territory, or a `scope` your roles do not give (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/indicators")]
pub async fn get_indicators(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<
        { allow::PILOT | allow::COUNSELLOR | allow::ADMIN | allow::PRESCRIBER | allow::RECEIVER },
    >,
    query: web::Query<FunnelQuery>,
) -> ApiResult<HttpResponse> {
    let s = super::scope(&state, &caller, &query).await?;
    let b = super::build(&state, &s).await?;
    Ok(HttpResponse::Ok().json(super::indicator_report(&b, &s)))
}

//! `GET /stats/funnel`: the funnel of a scope for a month or a quarter.
use actix_web::{get, web, HttpResponse};

use crate::auth::{allow, Authorized};
use crate::error::ApiResult;
use crate::routes::stats::FunnelQuery;
use crate::state::AppState;

/// The funnel of your scope, counted on the cohort of the period, as of `as_of`:
/// `territory` (pilots, counsellors; administrators name one): submitted → contacted →
/// diagnosed → relayed → accepted → started → retained at J+90, with a breakdown by
/// prescriber kind and by structure; `prescriber_structure` (a prescriber: its structure's
/// referrals as it may see them: `p_submitted`, `p_reached`, `p_relayed`, `p_started`);
/// `receiving_structure` (a receiver: the relays its structure got through SAS, by month of
/// the request: `r_requested`, `r_started`, `r_retained`, `r_j90_unanswered`). Counts from 1
/// to 4, and the cells that would give them back, are suppressed. Each stage carries its
/// definition (`domain::stats::definitions`, also `docs/STEERING.md`).
#[utoipa::path(
    tag = "stats",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The funnel.", body = api_types::FunnelReport),
        (status = 400, description = "A period that is not a month or a quarter between 1900 and 2100 (`invalid_period`), or an unknown `scope` (`invalid_scope`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An `as_of` that is neither today nor a past month end, or before the period (`invalid_as_of`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your territory, no such territory, or a `scope` your roles do not give (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/funnel")]
pub async fn get_funnel(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<
        { allow::PILOT | allow::COUNSELLOR | allow::ADMIN | allow::PRESCRIBER | allow::RECEIVER },
    >,
    query: web::Query<FunnelQuery>,
) -> ApiResult<HttpResponse> {
    let s = super::scope(&state, &caller, &query).await?;
    let b = super::build(&state, &s).await?;
    Ok(HttpResponse::Ok().json(super::funnel_report(&b, &s)))
}

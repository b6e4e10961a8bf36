//! Steering (issue 14): aggregated figures of one territory. The scope of a caller is its
//! territory (a pilot's, a counsellor's SAS team's); an administrator names one. Another
//! territory answers 404, like a territory that does not exist.
pub mod funnel;
pub mod indicators;

use actix_web::web;
use chrono::{Months, NaiveDate};
use chrono_tz::Tz;
use uuid::Uuid;

use api_types::Role;

use crate::auth::Caller;
use crate::db::{self, stats, territories};
use crate::domain::stats::indicators::{Fact, Report};
use crate::domain::stats::period::{self, Period};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What every statistics request resolves to.
pub struct Scope {
    pub territory: Uuid,
    pub tz: Tz,
    pub tz_name: String,
    pub period: Period,
    pub as_of: NaiveDate,
}

/// The caller's territory (or the one an administrator names), the period and `as_of`
/// checked against the territory's today.
pub async fn scope(
    state: &web::Data<AppState>,
    caller: &Caller,
    territory: Option<Uuid>,
    period_code: &str,
    as_of: Option<NaiveDate>,
) -> ApiResult<Scope> {
    let period = Period::parse(period_code).ok_or_else(|| {
        ApiError::bad_request(period::INVALID_PERIOD, period::INVALID_PERIOD_MESSAGE)
    })?;
    let own = caller.pilot_territory_id.or(caller.territory_id);
    let id = match (territory, own) {
        (Some(t), _) if caller.has(Role::Admin) => t,
        (Some(t), Some(o)) if t == o => t,
        (None, Some(o)) => o,
        _ => return Err(ApiError::not_found()),
    };
    let row = db::run(&state.pool, move |conn| Ok(territories::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let tz: Tz = row
        .time_zone
        .parse()
        .map_err(|_| ApiError::internal("a territory's time zone is not known"))?;
    let today = period::local_day(state.clock.now(), tz);
    let as_of = period::as_of(as_of, today, period).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            period::INVALID_AS_OF,
            period::INVALID_AS_OF_MESSAGE,
        )
    })?;
    Ok(Scope {
        territory: id,
        tz,
        tz_name: row.time_zone,
        period,
        as_of,
    })
}

/// The report the figures of `s` are read from: always its quarter's (a month is one of its
/// columns), with the facts as of `s.as_of`; and the registered prescriber structures.
pub async fn report(state: &web::Data<AppState>, s: &Scope) -> ApiResult<(Report, i64)> {
    let quarter = s.period.quarter();
    let (start, end) = quarter.bounds(s.tz);
    let until = period::local_midnight(s.as_of.succ_opt().unwrap_or(s.as_of), s.tz);
    let since_day = s
        .as_of
        .checked_sub_months(Months::new(period::REGISTERED_WITHIN_MONTHS))
        .unwrap_or(s.as_of);
    let since = period::local_midnight(since_day, s.tz);
    let (territory, tz_name) = (s.territory, s.tz_name.clone());
    let (facts, registered) = db::run(&state.pool, move |conn| {
        let facts = stats::cohort(conn, territory, &tz_name, start, end, until)?;
        let registered = stats::registered_prescribers(conn, territory, since, until)?;
        Ok((facts, registered))
    })
    .await?;
    let report = Report::new(
        quarter,
        s.as_of,
        facts.into_iter().map(Fact::from).collect(),
    );
    Ok((report, registered))
}

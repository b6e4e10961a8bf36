//! `GET /stats/targets`: the targets of a territory's indicators.
use actix_web::{get, web, HttpResponse};
use api_types::{StatTarget, StatTargets};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{allow, Authorized, Caller};
use crate::db::{self, stats};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use api_types::Role;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TargetsQuery {
    /// Administrators name the territory; others may only name their own.
    pub territory: Option<Uuid>,
}

/// The territory a targets request is about: the pilot's or counsellor's own (naming
/// another answers 404), or the one an administrator names (404 if none exists).
pub async fn territory_of(
    state: &web::Data<AppState>,
    caller: &Caller,
    named: Option<Uuid>,
) -> ApiResult<Uuid> {
    let own = caller.pilot_territory_id.or(caller.territory_id);
    let id = match (named, own) {
        (Some(t), _) if caller.has(Role::Admin) => t,
        (Some(t), Some(o)) if t == o => t,
        (None, Some(o)) => o,
        _ => return Err(ApiError::not_found()),
    };
    db::run(&state.pool, move |conn| Ok(db::territories::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(id)
}

/// The targets the territory's pilot set (pilots and counsellors of the territory;
/// administrators name one), sorted by indicator.
#[utoipa::path(
    tag = "stats",
    params(TargetsQuery),
    responses(
        (status = 200, description = "The targets.", body = api_types::StatTargets),
        (status = 404, description = "Not your territory, or no such territory (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/targets")]
pub async fn get_targets(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<{ allow::PILOT | allow::COUNSELLOR | allow::ADMIN }>,
    query: web::Query<TargetsQuery>,
) -> ApiResult<HttpResponse> {
    let id = territory_of(&state, &caller, query.territory).await?;
    let rows = db::run(&state.pool, move |conn| Ok(stats::targets(conn, id)?)).await?;
    Ok(HttpResponse::Ok().json(StatTargets {
        territory_id: id,
        targets: rows
            .into_iter()
            .map(|r| StatTarget {
                indicator: r.indicator,
                value: r.value,
                updated_at: r.updated_at,
            })
            .collect(),
    }))
}

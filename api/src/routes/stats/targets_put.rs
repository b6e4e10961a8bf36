//! `PUT /stats/targets`: a territory's pilot sets or removes targets, audited.
use actix_web::{put, web, HttpResponse};
use api_types::{StatTarget, StatTargets, StatTargetsInput};

use crate::auth::{allow, Authorized};
use crate::db::{self, stats};
use crate::domain::stats::definitions::INDICATORS;
use crate::error::{ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, Changes, Entry};
use crate::state::AppState;

/// The reason written in the audit: the body carries none, the action says it.
pub const TARGETS_REASON: &str = "Objectifs des indicateurs fixés par le pilotage du territoire.";
const NOT_A_TARGET: &str =
    "Not an indicator with a direction (see GET /stats/indicators: `better`).";
const OUT_OF_RANGE: &str = "A rate is from 0 to 1; a number of days or attempts is 0 or more.";
const REPEATED: &str = "The same indicator appears twice.";

/// The rules of a target value, by unit: a rate in [0, 1], anything else 0 or more, finite.
pub fn valid_value(unit: &str, v: f64) -> bool {
    v.is_finite() && v >= 0.0 && (unit != "rate" || v <= 1.0)
}

/// Sets (`value`) or removes (`value: null`) targets of your territory (its pilots;
/// administrators name one with `territory_id`). Only the indicators with a direction
/// (`better`) take one; a rate is from 0 to 1, a median or a mean 0 or more. Each change is
/// written in the administrative audit (`stats.targets_set`). Answers every target of the
/// territory.
#[utoipa::path(
    tag = "stats",
    request_body = api_types::StatTargetsInput,
    responses(
        (status = 200, description = "The territory's targets after the change.", body = api_types::StatTargets),
        (status = 404, description = "Not your territory, or no such territory (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An indicator without a direction or unknown (`targets[i].indicator`: `not_a_target`), repeated (`repeated`), or a value out of range (`targets[i].value`: `out_of_range`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/stats/targets")]
pub async fn put_targets(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<{ allow::PILOT | allow::ADMIN }>,
    body: web::Json<StatTargetsInput>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner();
    let mut errs = FieldErrors::default();
    let mut seen: Vec<&str> = Vec::new();
    for (i, t) in input.targets.iter().enumerate() {
        let def = INDICATORS
            .iter()
            .find(|d| d.code == t.indicator && d.better.is_some());
        match def {
            None => errs.add(
                format!("targets[{i}].indicator"),
                "not_a_target",
                NOT_A_TARGET,
            ),
            Some(_) if seen.contains(&t.indicator.as_str()) => {
                errs.add(format!("targets[{i}].indicator"), "repeated", REPEATED)
            }
            Some(d) => {
                seen.push(d.code);
                let unit =
                    crate::domain::stats::indicators::formula(d.code).map_or("rate", |f| f.unit());
                if t.value.is_some_and(|v| !valid_value(unit, v)) {
                    errs.add(format!("targets[{i}].value"), "out_of_range", OUT_OF_RANGE);
                }
            }
        }
    }
    let id = super::targets_get::territory_of(&state, &caller, input.territory_id).await?;
    errs.finish()?;
    let now = state.clock.now();
    let actor = caller.actor.user_id();
    let rows = db::tx(&state.pool, move |conn| {
        let mut changes = Changes::default();
        for t in &input.targets {
            let before = stats::set_target(conn, id, &t.indicator, t.value, actor, now)?;
            changes.field(&t.indicator, &before, &t.value);
        }
        if !changes.is_empty() {
            admin_audit::record(
                conn,
                Entry {
                    actor,
                    action: "stats.targets_set",
                    target_type: "territory",
                    target_id: id,
                    changes,
                    reason: TARGETS_REASON,
                },
                now,
            )?;
        }
        Ok(stats::targets(conn, id)?)
    })
    .await?;
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

#[cfg(test)]
mod tests {
    use super::valid_value;

    #[test]
    fn target_values_by_unit() {
        let cases = [
            ("rate", 0.0, true),
            ("rate", 1.0, true),
            ("rate", 1.01, false),
            ("rate", -0.1, false),
            ("rate", f64::NAN, false),
            ("days", 12.0, true),
            ("days", -1.0, false),
            ("days", f64::INFINITY, false),
            ("mean", 3.5, true),
        ];
        for (unit, v, ok) in cases {
            assert_eq!(valid_value(unit, v), ok, "{unit} {v}");
        }
    }
}

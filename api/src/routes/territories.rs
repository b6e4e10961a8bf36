use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use api_types::{Territory, TerritoryCreate, TerritoryPage, TerritoryUpdate, UnreachableRule};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized, Caller};
use crate::db::{self, communes, cursor, territories, territories::TerritoryRow};
use crate::domain::text::clean;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::routes::idempotency;
use crate::routes::support::{if_match, limit, ok_versioned};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TerritoryQuery {
    /// Part of the name.
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn rule_of(r: &TerritoryRow) -> UnreachableRule {
    UnreachableRule {
        min_attempts: r.unreachable_min_attempts,
        min_days: r.unreachable_min_days,
        min_channels: r.unreachable_min_channels,
    }
}

fn to_api(r: TerritoryRow, communes_count: i64) -> Territory {
    Territory {
        id: r.id,
        unreachable_rule: rule_of(&r),
        name: r.name,
        time_zone: r.time_zone,
        communes_count,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

fn check_rule(rule: &UnreachableRule, errs: &mut FieldErrors) {
    if !(1..=50).contains(&rule.min_attempts) {
        errs.add(
            "unreachable_rule.min_attempts",
            "out_of_range",
            "Between 1 and 50.",
        );
    }
    if !(0..=365).contains(&rule.min_days) {
        errs.add(
            "unreachable_rule.min_days",
            "out_of_range",
            "Between 0 and 365.",
        );
    }
    if !(1..=8).contains(&rule.min_channels) {
        errs.add(
            "unreachable_rule.min_channels",
            "out_of_range",
            "Between 1 and 8.",
        );
    }
}

fn check_name(name: &str, errs: &mut FieldErrors) -> Option<String> {
    match clean(name) {
        Some(n) if n.chars().count() <= 200 => Some(n),
        Some(_) => {
            errs.add("name", "too_long", "At most 200 characters.");
            None
        }
        None => {
            errs.add("name", "required", "A name is required.");
            None
        }
    }
}

fn check_tz(tz: &str, errs: &mut FieldErrors) {
    if tz.parse::<chrono_tz::Tz>().is_err() {
        errs.add(
            "time_zone",
            "invalid_time_zone",
            "Use an IANA time zone such as Europe/Paris.",
        );
    }
}

/// Serves `codes` from territory `id`; 409 when another territory already serves some.
fn assign(conn: &mut diesel::PgConnection, id: Uuid, codes: &[String]) -> ApiResult<()> {
    let taken = territories::taken_elsewhere(conn, id, codes)?;
    if !taken.is_empty() {
        let shown: Vec<&str> = taken.iter().take(20).map(String::as_str).collect();
        return Err(ApiError::conflict(
            "commune_already_served",
            format!(
                "{} commune(s) already belong to another territory: {}{}",
                taken.len(),
                shown.join(", "),
                if taken.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        ));
    }
    territories::add_communes(conn, id, codes)?;
    Ok(())
}

fn unknown_error(unknown: Vec<String>) -> ApiError {
    let mut errs = FieldErrors::default();
    for u in unknown.into_iter().take(50) {
        errs.add(
            "communes",
            "unknown_commune",
            format!("{u} is not a known commune, EPCI or département."),
        );
    }
    ApiError::validation(errs.0)
}

/// Create a territory (admin). Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    request_body = TerritoryCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h.")),
    responses(
        (status = 201, description = "Created.", body = Territory, headers(("Location" = String, description = "URL of the territory"))),
        (status = 409, description = "Name taken or a commune already served elsewhere (`territory_name_taken`, `commune_already_served`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/territories")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    body: web::Json<TerritoryCreate>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let idem = idempotency::key(&req, &caller, &b)?;
    let mut errs = FieldErrors::default();
    let name = check_name(&b.name, &mut errs);
    let tz = b.time_zone.unwrap_or_else(|| "Europe/Paris".into());
    check_tz(&tz, &mut errs);
    let rule = b.unreachable_rule.unwrap_or_default();
    check_rule(&rule, &mut errs);
    let reason = check_reason(&b.reason, &mut errs);
    errs.finish()?;
    let now = state.clock.now();
    let actor = caller.actor.user_id();
    let row = TerritoryRow {
        id: Uuid::now_v7(),
        name: name.unwrap_or_default(),
        time_zone: tz,
        unreachable_min_attempts: rule.min_attempts,
        unreachable_min_days: rule.min_days,
        unreachable_min_channels: rule.min_channels,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let (codes, unknown) = communes::expand(conn, &b.communes, &b.epcis, &b.departements)?;
            if !unknown.is_empty() {
                return Err(unknown_error(unknown));
            }
            let t = territories::insert(conn, &row).map_err(|e| {
                if db::is_unique_violation(&e, "territories_name") {
                    ApiError::conflict("territory_name_taken", "A territory already has this name.")
                } else {
                    e.into()
                }
            })?;
            assign(conn, t.id, &codes)?;
            let n = territories::communes_count(conn, t.id)?;
            let mut changes = Changes::default();
            changes.set("name", &t.name);
            changes.set("time_zone", &t.time_zone);
            changes.set("unreachable_rule", &rule);
            changes.set("communes", &codes);
            admin_audit::record(
                conn,
                Entry {
                    actor,
                    action: "territory.create",
                    target_type: "territory",
                    target_id: t.id,
                    changes,
                    reason: &reason,
                },
                now,
            )?;
            Ok((
                format!("/api/v1/territories/{}", t.id),
                idempotency::to_body(&to_api(t, n))?,
            ))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

/// List territories (any authenticated caller: territories are not personal data).
#[utoipa::path(
    tag = "administration",
    params(TerritoryQuery),
    responses(
        (status = 200, description = "A page of territories, by name.", body = TerritoryPage),
    )
)]
#[get("/territories")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<TerritoryQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode::<(String, Uuid)>)
        .transpose()?;
    let page = db::run(&state.pool, move |conn| {
        let rows = territories::list(conn, q.q.as_deref(), after, limit + 1)?;
        let (rows, next) = cursor::page(rows, limit, |r| (r.name.to_lowercase(), r.id));
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let n = territories::communes_count(conn, r.id)?;
            items.push(to_api(r, n));
        }
        Ok(TerritoryPage {
            items,
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One territory.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "Territory id")),
    responses(
        (status = 200, description = "The territory (`ETag` carries its version).", body = Territory),
        (status = 404, description = "No such territory.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/territories/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (t, n) = db::run(&state.pool, move |conn| {
        let t = territories::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let n = territories::communes_count(conn, id)?;
        Ok((t, n))
    })
    .await?;
    let v = t.version;
    Ok(ok_versioned(&to_api(t, n), v))
}

/// Change a territory: name, time zone, unreachable rule, communes added or removed (admin;
/// `If-Match` required). Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(
        ("id" = Uuid, Path, description = "Territory id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = TerritoryUpdate,
    responses(
        (status = 200, description = "Updated.", body = Territory),
        (status = 404, description = "No such territory.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken or commune served elsewhere.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/territories/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<TerritoryUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = id.into_inner();
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    let name = b.name.as_deref().and_then(|n| check_name(n, &mut errs));
    if let Some(tz) = &b.time_zone {
        check_tz(tz, &mut errs);
    }
    if let Some(rule) = &b.unreachable_rule {
        check_rule(rule, &mut errs);
    }
    let reason = check_reason(&b.reason, &mut errs);
    errs.finish()?;
    let now = state.clock.now();
    let actor = caller.actor.user_id();
    let (t, n) = db::tx(&state.pool, move |conn| {
        let mut row = territories::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let expected = expected.check(row.version)?;
        let old = row.clone();
        let mut changes = Changes::default();
        if let Some(n) = name {
            row.name = n;
        }
        if let Some(tz) = b.time_zone {
            row.time_zone = tz;
        }
        if let Some(r) = b.unreachable_rule {
            row.unreachable_min_attempts = r.min_attempts;
            row.unreachable_min_days = r.min_days;
            row.unreachable_min_channels = r.min_channels;
        }
        row.updated_at = now;
        row.version += 1;
        if !b.add_communes.is_empty() {
            let (codes, unknown) = communes::expand(conn, &b.add_communes, &[], &[])?;
            if !unknown.is_empty() {
                return Err(unknown_error(unknown));
            }
            assign(conn, id, &codes)?;
            changes.set("add_communes", &codes);
        }
        if !b.remove_communes.is_empty() {
            let (codes, _) = communes::expand(conn, &b.remove_communes, &[], &[])?;
            territories::remove_communes(conn, id, &codes)?;
            changes.set("remove_communes", &codes);
        }
        changes.field("name", &old.name, &row.name);
        changes.field("time_zone", &old.time_zone, &row.time_zone);
        changes.field("unreachable_rule", &rule_of(&old), &rule_of(&row));
        let t = territories::update(conn, &row, expected)
            .map_err(|e| {
                if db::is_unique_violation(&e, "territories_name") {
                    ApiError::conflict("territory_name_taken", "A territory already has this name.")
                } else {
                    e.into()
                }
            })?
            .ok_or_else(ApiError::precondition_failed)?;
        let n = territories::communes_count(conn, id)?;
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "territory.update",
                target_type: "territory",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok((t, n))
    })
    .await?;
    let v = t.version;
    Ok(ok_versioned(&to_api(t, n), v))
}

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use api_types::{Role, Structure, StructureInput, StructurePage};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Actor;
use crate::auth::{AdminOnly, Authorized, Caller};
use crate::db::schema::{api_clients, users};
use crate::db::{self, communes, cursor, structures, structures::StructureRow, territories};
use crate::domain::{directory, siret, text, vocab};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::routes::idempotency;
use crate::routes::support::{if_match, limit, ok_versioned, opt_text};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StructureQuery {
    /// Part of the name.
    pub q: Option<String>,
    /// Typology code.
    pub kind: Option<String>,
    pub territory_id: Option<Uuid>,
    pub prescriber: Option<bool>,
    pub receiver: Option<bool>,
    pub sas_team: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub fn to_api(r: StructureRow) -> Structure {
    Structure {
        id: r.id,
        name: r.name,
        kind: r.kind,
        siret: r.siret,
        address: r.address,
        postal_code: r.postal_code,
        commune_insee: r.commune_insee,
        latitude: r.latitude,
        longitude: r.longitude,
        phone: r.phone,
        email: r.email,
        website: r.website,
        opening_hours: r.opening_hours,
        reseaux_porteurs: r.reseaux_porteurs,
        prescriber: r.prescriber,
        receiver: r.receiver,
        sas_team: r.sas_team,
        sensitive: r.sensitive,
        territory_id: r.territory_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

/// Field checks that need no database. Returns the cleaned input.
pub fn parse_input(b: StructureInput) -> ApiResult<StructureInput> {
    let mut errs = FieldErrors::default();
    let name = match text::clean(&b.name) {
        Some(n) if n.chars().count() <= 200 => n,
        Some(_) => {
            errs.add("name", "too_long", "At most 200 characters.");
            String::new()
        }
        None => {
            errs.add("name", "required", "A name is required.");
            String::new()
        }
    };
    if !vocab::is_known("typologies-de-structures", &b.kind) {
        errs.add(
            "kind",
            "unknown_kind",
            "Use a code of the typologies-de-structures vocabulary.",
        );
    }
    let siret = opt_text(b.siret).map(|s| s.replace(' ', ""));
    match siret.as_deref().map(siret::check) {
        Some(Err(siret::SiretError::Format)) => {
            errs.add("siret", "invalid_format", "A SIRET is 14 digits.")
        }
        Some(Err(siret::SiretError::Key)) => errs.add(
            "siret",
            "invalid_siret",
            "The SIRET check key (Luhn) is wrong.",
        ),
        _ => {}
    }
    let postal_code = opt_text(b.postal_code);
    if postal_code
        .as_deref()
        .is_some_and(|p| p.len() != 5 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        errs.add(
            "postal_code",
            "invalid_postal_code",
            "A postal code is 5 digits.",
        );
    }
    match (b.latitude, b.longitude) {
        (Some(la), Some(lo)) => {
            if !(-90.0..=90.0).contains(&la) || la.is_nan() {
                errs.add("latitude", "out_of_range", "Between -90 and 90.");
            }
            if !(-180.0..=180.0).contains(&lo) || lo.is_nan() {
                errs.add("longitude", "out_of_range", "Between -180 and 180.");
            }
        }
        (None, None) => {}
        _ => errs.add(
            "longitude",
            "coordinates_pair",
            "Give both latitude and longitude, or neither.",
        ),
    }
    let phone = opt_text(b.phone);
    if phone.as_deref().is_some_and(|p| {
        p.len() > 30
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +.-()".contains(c))
    }) {
        errs.add(
            "phone",
            "invalid_phone",
            "Digits, spaces and + . - ( ) only, 30 characters at most.",
        );
    }
    let email = opt_text(b.email);
    if email.as_deref().is_some_and(|e| !text::is_email(e)) {
        errs.add("email", "invalid_email", "Not an email address.");
    }
    let website = opt_text(b.website);
    if website
        .as_deref()
        .is_some_and(|w| w.len() > 500 || !(w.starts_with("https://") || w.starts_with("http://")))
    {
        errs.add(
            "website",
            "invalid_url",
            "An http(s) URL of at most 500 characters.",
        );
    }
    let address = opt_text(b.address);
    if address.as_deref().is_some_and(|a| a.chars().count() > 500) {
        errs.add("address", "too_long", "At most 500 characters.");
    }
    let opening_hours = opt_text(b.opening_hours);
    if opening_hours
        .as_deref()
        .is_some_and(|a| a.chars().count() > 500)
    {
        errs.add("opening_hours", "too_long", "At most 500 characters.");
    }
    for (i, r) in b.reseaux_porteurs.iter().enumerate() {
        if !vocab::is_known("reseaux-porteurs", r) {
            errs.add(
                format!("reseaux_porteurs[{i}]"),
                "unknown_code",
                "Use a code of the reseaux-porteurs vocabulary.",
            );
        }
    }
    if b.sas_team && b.territory_id.is_none() {
        errs.add("territory_id", "required", "A SAS team serves a territory.");
    }
    let reason = check_reason(&b.reason, &mut errs);
    errs.finish()?;
    let mut reseaux = b.reseaux_porteurs;
    reseaux.sort();
    reseaux.dedup();
    Ok(StructureInput {
        name,
        // Some structures' names alone reveal a judicial or medical situation.
        sensitive: b.sensitive || vocab::SENSITIVE_KINDS.contains(&b.kind.as_str()),
        kind: b.kind,
        siret,
        address,
        postal_code,
        commune_insee: opt_text(b.commune_insee),
        latitude: b.latitude,
        longitude: b.longitude,
        phone,
        email: email.map(|e| e.to_lowercase()),
        website,
        opening_hours,
        reseaux_porteurs: reseaux,
        prescriber: b.prescriber,
        receiver: b.receiver,
        sas_team: b.sas_team,
        territory_id: b.territory_id,
        reason,
    })
}

/// The audited fields of a structure, as the API shows them.
fn audited(s: &Structure) -> serde_json::Map<String, serde_json::Value> {
    let mut v = match serde_json::to_value(s) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    for k in ["id", "created_at", "updated_at", "version"] {
        v.remove(k);
    }
    v
}

/// Checks that need the database (commune, territory), then builds the row.
fn build_row(
    conn: &mut PgConnection,
    b: StructureInput,
    id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    created_at: chrono::DateTime<chrono::Utc>,
    version: i32,
) -> ApiResult<StructureRow> {
    let mut errs = FieldErrors::default();
    let mut coords = b.latitude.zip(b.longitude);
    if let Some(insee) = &b.commune_insee {
        match communes::get(conn, insee)? {
            Some(c) => coords = coords.or(Some((c.latitude, c.longitude))),
            None => errs.add(
                "commune_insee",
                "unknown_commune",
                "Not a known INSEE code.",
            ),
        }
    }
    if let Some(t) = b.territory_id {
        if territories::get(conn, t)?.is_none() {
            errs.add("territory_id", "unknown_territory", "No such territory.");
        }
    }
    errs.finish()?;
    Ok(StructureRow {
        id,
        name: b.name,
        kind: b.kind,
        siret: b.siret,
        address: b.address,
        postal_code: b.postal_code,
        commune_insee: b.commune_insee,
        latitude: coords.map(|c| c.0),
        longitude: coords.map(|c| c.1),
        phone: b.phone,
        email: b.email,
        website: b.website,
        opening_hours: b.opening_hours,
        reseaux_porteurs: b.reseaux_porteurs,
        prescriber: b.prescriber,
        receiver: b.receiver,
        sas_team: b.sas_team,
        sensitive: b.sensitive,
        territory_id: b.territory_id,
        created_at,
        updated_at: now,
        version,
    })
}

/// Create a structure (admin). Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    request_body = StructureInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h.")),
    responses(
        (status = 201, description = "Created.", body = Structure, headers(("Location" = String, description = "URL of the structure"))),
        (status = 422, description = "Invalid fields (`unknown_kind`, `invalid_siret`, `unknown_commune`…).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/structures")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    body: web::Json<StructureInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let input = parse_input(body)?;
    let now = state.clock.now();
    let actor = caller.actor.user_id();
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let reason = input.reason.clone();
            let row = build_row(conn, input, Uuid::now_v7(), now, now, 1)?;
            let row = structures::insert(conn, &row)?;
            let mut changes = Changes::default();
            for (k, v) in audited(&to_api(row.clone())) {
                changes.set(&k, &v);
            }
            admin_audit::record(
                conn,
                Entry {
                    actor,
                    action: "structure.create",
                    target_type: "structure",
                    target_id: row.id,
                    changes,
                    reason: &reason,
                },
                now,
            )?;
            Ok((
                format!("/api/v1/structures/{}", row.id),
                idempotency::to_body(&to_api(row))?,
            ))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

/// List structures (any authenticated caller: the directory of organisations is not personal data).
#[utoipa::path(
    tag = "administration",
    params(StructureQuery),
    responses(
        (status = 200, description = "A page of structures, by name.", body = StructurePage),
    )
)]
#[get("/structures")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<StructureQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = structures::Filter {
        hide_sensitive: !directory::sees_sensitive_structures(&caller.roles),
        q: opt_text(q.q),
        kind: q.kind,
        territory_id: q.territory_id,
        prescriber: q.prescriber,
        receiver: q.receiver,
        sas_team: q.sas_team,
        after: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(structures::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.name.to_lowercase(), r.id));
    Ok(HttpResponse::Ok().json(StructurePage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

/// One structure.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses(
        (status = 200, description = "The structure (`ETag` carries its version).", body = Structure),
        (status = 404, description = "No such structure.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/structures/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(structures::get(conn, id)?))
        .await?
        // A sensitive structure does not exist for those who must never see one.
        .filter(|r| !r.sensitive || directory::sees_sensitive_structures(&caller.roles))
        .ok_or_else(ApiError::not_found)?;
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

/// Replace a structure (admin; `If-Match` required). A flag cannot be removed while accounts
/// of the structure hold the role it allows; a change of a SAS team's territory ends its
/// counsellors' live access tokens (a refresh gives the new scope). Recorded in the
/// administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(
        ("id" = Uuid, Path, description = "Structure id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = StructureInput,
    responses(
        (status = 200, description = "Replaced.", body = Structure),
        (status = 404, description = "No such structure.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A flag removed is still used by accounts (`flag_in_use`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/structures/{id}")]
pub async fn replace(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<StructureInput>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let input = parse_input(body.into_inner())?;
    let id = id.into_inner();
    let now = state.clock.now();
    let actor = caller.actor.user_id();
    let (row, ended) = db::tx(&state.pool, move |conn| {
        let old = structures::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let expected = expected.check(old.version)?;
        let reason = input.reason.clone();
        let row = build_row(conn, input, id, now, old.created_at, old.version + 1)?;
        for (flag, was, now_set, role) in [
            ("prescriber", old.prescriber, row.prescriber, Role::Prescriber),
            ("receiver", old.receiver, row.receiver, Role::Receiver),
            ("sas_team", old.sas_team, row.sas_team, Role::Counsellor),
        ] {
            if was && !now_set && role_in_use(conn, id, role)? {
                return Err(ApiError::conflict(
                    "flag_in_use",
                    format!("Accounts of this structure hold the {} role: change them before removing {flag}.", role.as_str()),
                ));
            }
        }
        let row =
            structures::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)?;
        let mut changes = Changes::default();
        let before = audited(&to_api(old.clone()));
        for (k, to) in audited(&to_api(row.clone())) {
            let from = before.get(&k).cloned().unwrap_or(serde_json::Value::Null);
            changes.field(&k, &from, &to);
        }
        // A SAS team's territory is its counsellors' scope: their tokens stop telling the truth.
        let ended = if old.territory_id != row.territory_id || old.sas_team != row.sas_team {
            let ids = crate::db::users::ids_of_structure(conn, id)?;
            crate::db::users::bump_sessions(conn, &ids)?;
            ids
        } else {
            Vec::new()
        };
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "structure.replace",
                target_type: "structure",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok((row, ended))
    })
    .await?;
    for u in ended {
        state.accounts.forget(Actor::User(u));
    }
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

fn role_in_use(conn: &mut PgConnection, structure: Uuid, role: Role) -> ApiResult<bool> {
    let r = vec![role.as_str().to_string()];
    let by_users: bool = diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::structure_id.eq(structure))
            .filter(users::active.eq(true))
            .filter(users::roles.contains(r.clone())),
    ))
    .get_result(conn)?;
    let by_clients: bool = diesel::select(diesel::dsl::exists(
        api_clients::table
            .filter(api_clients::structure_id.eq(structure))
            .filter(api_clients::revoked_at.is_null())
            .filter(api_clients::roles.contains(r)),
    ))
    .get_result(conn)?;
    Ok(by_users || by_clients)
}

//! Identify: prescribers refer young people; counsellors of the territory work the queue.
//! Scope lives in the queries (prescriber: its structure; counsellor: its territory), every
//! read of youth data is logged, every change leaves an event.
use std::collections::HashMap;

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use api_types::{
    AssignRequest, Consent, ConsentMethod, Event, EventPage, LegalRepresentative, PersonRef,
    Referral, ReferralCreate, ReferralPage, ReferralUpdate, Role, Status, StructureRef,
    TransitionRequest, Youth,
};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{allow, Actor, Authorized, Caller};
use crate::db::referrals::{QueueKey, ReferralRow, Scope, Search};
use crate::db::schema::{communes, structures, territories, users};
use crate::db::youths::YouthRow;
use crate::db::{self, access_logs, cursor, events, referrals, youths};
use crate::domain::referral::{self as rules, code, parse_code, parse_status, status_str};
use crate::domain::youth::{self, normalize_phone, ParsedReferral, ValidYouth};
use crate::error::{ApiError, ApiResult};
use crate::routes::idempotency;
use crate::routes::support::{if_match, limit, ok_versioned};
use crate::state::AppState;

type Staff = Authorized<{ allow::PRESCRIBER | allow::COUNSELLOR }>;
type Prescriber = Authorized<{ allow::PRESCRIBER }>;
type Counsellor = Authorized<{ allow::COUNSELLOR }>;

fn scope_of(c: &Caller) -> Scope {
    Scope {
        prescriber_structure: c.has(Role::Prescriber).then_some(c.structure_id).flatten(),
        territory: c.has(Role::Counsellor).then_some(c.territory_id).flatten(),
    }
}

/// Whether the caller sees this referral as a counsellor (everything) or as its prescriber.
fn sees_as_counsellor(c: &Caller, r: &ReferralRow) -> bool {
    c.has(Role::Counsellor) && c.territory_id == Some(r.territory_id)
}

fn today_in(tz: &str, now: DateTime<Utc>) -> NaiveDate {
    let tz: Tz = tz.parse().unwrap_or(chrono_tz::Europe::Paris);
    now.with_timezone(&tz).date_naive()
}

/// What rendering a page of referrals needs besides the rows.
struct Context {
    communes: HashMap<String, String>,
    structures: HashMap<Uuid, StructureRef>,
    people: HashMap<Uuid, String>,
    time_zones: HashMap<Uuid, String>,
}

fn context(conn: &mut PgConnection, rows: &[(ReferralRow, YouthRow)]) -> ApiResult<Context> {
    let codes: Vec<&str> = rows.iter().map(|(_, y)| y.commune_insee.as_str()).collect();
    let sids: Vec<Uuid> = rows
        .iter()
        .filter_map(|(r, _)| r.prescriber_structure_id)
        .collect();
    let uids: Vec<Uuid> = rows
        .iter()
        .filter_map(|(r, _)| r.assigned_counsellor_id)
        .collect();
    let tids: Vec<Uuid> = rows.iter().map(|(r, _)| r.territory_id).collect();
    Ok(Context {
        communes: communes::table
            .filter(communes::insee.eq_any(codes))
            .select((communes::insee, communes::name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect(),
        structures: structures::table
            .filter(structures::id.eq_any(sids))
            .select((structures::id, structures::name, structures::kind))
            .load::<(Uuid, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, kind)| (id, StructureRef { id, name, kind }))
            .collect(),
        people: users::table
            .filter(users::id.eq_any(uids))
            .select((users::id, users::first_name, users::last_name))
            .load::<(Uuid, String, String)>(conn)?
            .into_iter()
            .map(|(id, f, l)| (id, format!("{f} {l}")))
            .collect(),
        time_zones: territories::table
            .filter(territories::id.eq_any(tids))
            .select((territories::id, territories::time_zone))
            .load::<(Uuid, String)>(conn)?
            .into_iter()
            .collect(),
    })
}

fn render(
    r: ReferralRow,
    y: YouthRow,
    ctx: &Context,
    counsellor_view: bool,
    now: DateTime<Utc>,
) -> Referral {
    let today = today_in(
        ctx.time_zones
            .get(&r.territory_id)
            .map_or("Europe/Paris", String::as_str),
        now,
    );
    let status = parse_status(&r.status).unwrap_or(Status::Submitted);
    let hold_from = r.on_hold_from.as_deref().and_then(parse_status);
    Referral {
        id: r.id,
        status,
        channel: parse_code(&r.channel).unwrap_or(api_types::Channel::Institutional),
        territory_id: r.territory_id,
        prescriber_structure: r
            .prescriber_structure_id
            .and_then(|s| ctx.structures.get(&s).cloned()),
        youth: Youth {
            id: y.id,
            age: rules::age_on(y.birth_date, today),
            first_name: y.first_name,
            last_name: y.last_name,
            birth_date: y.birth_date,
            phone: y.phone,
            email: y.email,
            commune_name: ctx
                .communes
                .get(&y.commune_insee)
                .cloned()
                .unwrap_or_default(),
            commune_insee: y.commune_insee,
            contact_channels: y
                .contact_channels
                .iter()
                .filter_map(|c| parse_code(c))
                .collect(),
            contact_via_prescriber_only: y.contact_via_prescriber_only,
            legal_representative: y.legal_rep_name.map(|name| LegalRepresentative {
                name,
                phone: y.legal_rep_phone,
                email: y.legal_rep_email,
                informed_on: y.legal_rep_informed_on,
            }),
        },
        reason_code: parse_code(&r.reason_code).unwrap_or(api_types::ReasonCode::Other),
        reason_text: r.reason_text,
        exit_date: r.exit_date,
        days_to_exit: r.exit_date.map(|d| (d - today).num_days()),
        urgent: rules::is_urgent(status, hold_from, r.exit_date, today),
        needs: r.needs,
        consent: Consent {
            informed_at: r.consent_informed_at,
            informed_by: r.consent_informed_by,
            method: parse_code(&r.consent_method).unwrap_or(ConsentMethod::Oral),
            agreed: r
                .consent_agreed
                .iter()
                .filter_map(|c| parse_code(c))
                .collect(),
        },
        assigned_counsellor: if counsellor_view {
            r.assigned_counsellor_id.map(|id| PersonRef {
                id,
                name: ctx.people.get(&id).cloned().unwrap_or_default(),
            })
        } else {
            None
        },
        possible_duplicate: counsellor_view.then_some(r.possible_duplicate),
        on_hold_reason: r.on_hold_reason.as_deref().and_then(parse_code),
        outcome: r.outcome.as_deref().and_then(parse_code),
        previous_referral_id: r.previous_referral_id,
        submitted_at: r.submitted_at,
        closed_at: r.closed_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

fn render_one(
    conn: &mut PgConnection,
    caller: &Caller,
    r: ReferralRow,
    y: YouthRow,
    now: DateTime<Utc>,
) -> ApiResult<Referral> {
    let pair = vec![(r, y)];
    let ctx = context(conn, &pair)?;
    let Some((r, y)) = pair.into_iter().next() else {
        return Err(ApiError::internal("empty pair"));
    };
    let cv = sees_as_counsellor(caller, &r);
    Ok(render(r, y, &ctx, cv, now))
}

fn log_access(
    conn: &mut PgConnection,
    caller: &Caller,
    action: &str,
    route: &str,
    pairs: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let rows: Vec<access_logs::NewAccessLog> = pairs
        .iter()
        .map(|(youth_id, referral_id)| access_logs::NewAccessLog {
            occurred_at: now,
            actor_user_id: caller.actor.user_id(),
            actor_client_id: caller.actor.client_id(),
            structure_id: caller.structure_id,
            action: action.to_string(),
            youth_id: *youth_id,
            referral_id: Some(*referral_id),
            route: route.to_string(),
            reason: None,
        })
        .collect();
    access_logs::insert_many(conn, &rows)?;
    Ok(())
}

/// Appends an event with the snapshots statistics need (territory, prescriber kind).
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut PgConnection,
    r: &ReferralRow,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    event_code: Option<String>,
    actor: Option<Actor>,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let prescriber_kind = match r.prescriber_structure_id {
        Some(s) => structures::table
            .find(s)
            .select(structures::kind)
            .first::<String>(conn)
            .optional()?,
        None => None,
    };
    events::insert(
        conn,
        &events::EventRow {
            id: Uuid::now_v7(),
            referral_id: r.id,
            kind: kind.to_string(),
            from_status: from.map(str::to_string),
            to_status: to.map(str::to_string),
            code: event_code,
            relay_id: None,
            actor_user_id: actor.and_then(Actor::user_id),
            actor_client_id: actor.and_then(Actor::client_id),
            occurred_at: now,
            recorded_at: Utc::now(),
            territory_id: r.territory_id,
            prescriber_kind,
            data,
        },
    )?;
    Ok(())
}

fn youth_row(
    id: Uuid,
    y: &ValidYouth,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    version: i32,
) -> YouthRow {
    YouthRow {
        id,
        first_name: y.first_name.clone(),
        last_name: y.last_name.clone(),
        birth_date: y.birth_date,
        name_key: y.name_key.clone(),
        phone: y.phone.clone(),
        email: y.email.clone(),
        commune_insee: y.commune_insee.clone(),
        contact_channels: y.contact_channels.clone(),
        contact_via_prescriber_only: y.contact_via_prescriber_only,
        legal_rep_name: y.legal_rep.as_ref().map(|r| r.name.clone()),
        legal_rep_phone: y.legal_rep.as_ref().and_then(|r| r.phone.clone()),
        legal_rep_email: y.legal_rep.as_ref().and_then(|r| r.email.clone()),
        legal_rep_informed_on: y.legal_rep.as_ref().and_then(|r| r.informed_on),
        anonymised_at: None,
        created_at,
        updated_at: now,
        version,
    }
}

/// The territory serving the youth's commune, and today's date there; 422 otherwise.
fn territory_for(
    conn: &mut PgConnection,
    insee: &str,
    now: DateTime<Utc>,
) -> ApiResult<(Uuid, NaiveDate)> {
    if !db::communes::exists(conn, insee)? {
        return Err(ApiError::field(
            "youth.commune_insee",
            "unknown_commune",
            "Not a known INSEE commune code.",
        ));
    }
    let Some(t) = db::communes::territory_of(conn, insee)? else {
        return Err(ApiError::field(
            "youth.commune_insee",
            "commune_not_served",
            "No SAS team serves this commune yet.",
        ));
    };
    let tz: String = territories::table
        .find(t)
        .select(territories::time_zone)
        .first(conn)?;
    Ok((t, today_in(&tz, now)))
}

fn check_dates(y: &ValidYouth, exit: Option<NaiveDate>, today: NaiveDate) -> ApiResult<()> {
    let errs = youth::check_dates(y, exit, today);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errs))
    }
}

/// Refer a young person (prescriber, person or partner system).
///
/// Youth, referral, consent record and first event are written in one transaction. The
/// territory is the one serving the youth's commune. With `Idempotency-Key`, a retry with the
/// same body gets the same answer and never a second referral.
#[utoipa::path(
    tag = "referrals",
    request_body = ReferralCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h.")),
    responses(
        (status = 201, description = "Referred.", body = Referral, headers(("Location" = String, description = "URL of the referral"))),
        (status = 403, description = "Prescribers only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`age_out_of_range`, `legal_representative_required`, `invalid_phone`, `commune_not_served`, `unknown_thematique`, `consent_required`, `idempotency_key_reused`…).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(caller): Prescriber,
    req: HttpRequest,
    body: web::Json<ReferralCreate>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let now = state.clock.now();
    let parsed = youth::parse(body, now).map_err(ApiError::validation)?;
    let structure = caller.structure_id.ok_or_else(ApiError::forbidden)?;
    let route = req.path().to_string();
    let answer = db::tx(&state.pool, move |conn| {
        let (replay, replayed) = idempotency::once(conn, idem.as_ref(), now, |conn| {
            let (r, y) = insert_referral(conn, &caller, structure, parsed, now)?;
            log_access(conn, &caller, "create", &route, &[(y.id, r.id)], now)?;
            let location = format!("/api/v1/referrals/{}", r.id);
            Ok((
                location,
                idempotency::to_body(&render_one(conn, &caller, r, y, now)?)?,
            ))
        })?;
        if replayed {
            // A replay shows the youth's data again: that is a read.
            let ids = (
                replay.body["youth"]["id"].as_str(),
                replay.body["id"].as_str(),
            );
            if let (Some(Ok(y)), Some(Ok(r))) = (ids.0.map(str::parse), ids.1.map(str::parse)) {
                log_access(conn, &caller, "read", &route, &[(y, r)], now)?;
            }
        }
        Ok((replay, replayed))
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

fn insert_referral(
    conn: &mut PgConnection,
    caller: &Caller,
    structure: Uuid,
    p: ParsedReferral,
    now: DateTime<Utc>,
) -> ApiResult<(ReferralRow, YouthRow)> {
    let (territory, today) = territory_for(conn, &p.youth.commune_insee, now)?;
    check_dates(&p.youth, p.exit_date, today)?;
    let duplicate = referrals::open_duplicate_exists(
        conn,
        &p.youth.name_key,
        p.youth.birth_date,
        p.youth.phone.as_deref(),
        None,
    )?;
    let y = youths::insert(conn, &youth_row(Uuid::now_v7(), &p.youth, now, now, 1))?;
    let r = referrals::insert(
        conn,
        &ReferralRow {
            id: Uuid::now_v7(),
            youth_id: y.id,
            channel: "institutional".into(),
            territory_id: territory,
            prescriber_structure_id: Some(structure),
            created_by_user_id: caller.actor.user_id(),
            created_by_client_id: caller.actor.client_id(),
            reason_code: p.reason_code,
            reason_text: p.reason_text,
            exit_date: p.exit_date,
            needs: p.needs,
            consent_informed_at: p.consent_informed_at,
            consent_informed_by: p.consent_informed_by,
            consent_method: p.consent_method,
            consent_agreed: p.consent_agreed,
            status: "submitted".into(),
            on_hold_from: None,
            on_hold_reason: None,
            assigned_counsellor_id: None,
            outcome: None,
            outcome_reason: None,
            possible_duplicate: duplicate,
            previous_referral_id: None,
            submitted_at: Some(now),
            closed_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        },
    )?;
    record(
        conn,
        &r,
        "created",
        None,
        Some("submitted"),
        Some(r.reason_code.clone()),
        Some(caller.actor),
        serde_json::json!({}),
        now,
    )?;
    Ok((r, y))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// `true`: urgent only (exit within 30 days or past, not yet in diagnosis); `false`: the others.
    pub urgent: Option<bool>,
    /// Counsellors: only the referrals they took.
    pub assigned_to_me: Option<bool>,
    /// A name (part of it, accents ignored), a birth date (`2007-05-01` or `01/05/2007`) or a phone number.
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn parse_search(q: &str) -> Option<Search> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(q, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(q, "%d/%m/%Y"))
    {
        return Some(Search::BirthDate(d));
    }
    if q.chars().filter(char::is_ascii_digit).count() >= 8 {
        if let Some(p) = normalize_phone(q) {
            return Some(Search::Phone(p));
        }
    }
    let words: Vec<String> = crate::domain::text::search_key(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (!words.is_empty()).then_some(Search::Name(words))
}

/// List referrals: a prescriber's structure's, or a counsellor's territory queue — exit date
/// first (nulls last), then creation: urgent ones come first by construction, and the cursor
/// stays stable when new referrals arrive.
#[utoipa::path(
    tag = "referrals",
    params(ReferralQuery),
    responses(
        (status = 200, description = "A page of referrals in queue order.", body = ReferralPage),
        (status = 403, description = "Prescribers and counsellors only.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals")]
pub async fn list(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    query: web::Query<ReferralQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "q is limited to 100 characters.",
        ));
    }
    let now = state.clock.now();
    let route = req.path().to_string();
    let page = db::tx(&state.pool, move |conn| {
        let tz = match caller.territory_id {
            Some(t) => territories::table
                .find(t)
                .select(territories::time_zone)
                .first::<String>(conn)
                .optional()?,
            None => None,
        };
        let today = today_in(tz.as_deref().unwrap_or("Europe/Paris"), now);
        let filter = referrals::Filter {
            statuses: q
                .status
                .map(|s| vec![status_str(s).to_string()])
                .unwrap_or_default(),
            assigned_to: if q.assigned_to_me == Some(true) {
                Some(caller.actor.user_id().unwrap_or(Uuid::nil()))
            } else {
                None
            },
            urgent: q.urgent.map(|u| (u, today)),
            search: q.q.as_deref().and_then(parse_search),
            after: q
                .cursor
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(cursor::decode::<QueueKey>)
                .transpose()?,
        };
        let rows = referrals::list(conn, scope_of(&caller), &filter, limit + 1)?;
        let (rows, next) = cursor::page(rows, limit, |(r, _)| QueueKey::of(r));
        let pairs: Vec<(Uuid, Uuid)> = rows.iter().map(|(r, y)| (y.id, r.id)).collect();
        log_access(conn, &caller, "list", &route, &pairs, now)?;
        let ctx = context(conn, &rows)?;
        let items = rows
            .into_iter()
            .map(|(r, y)| {
                let cv = sees_as_counsellor(&caller, &r);
                render(r, y, &ctx, cv, now)
            })
            .collect();
        Ok(ReferralPage {
            items,
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One referral (in scope: the prescriber's structure or the counsellor's territory).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The referral (`ETag` carries its version).", body = Referral),
        (status = 403, description = "Prescribers and counsellors only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let route = req.path().to_string();
    let r = db::tx(&state.pool, move |conn| {
        let (r, y) =
            referrals::get(conn, id, scope_of(&caller), false)?.ok_or_else(ApiError::not_found)?;
        log_access(conn, &caller, "read", &route, &[(y.id, r.id)], now)?;
        render_one(conn, &caller, r, y, now)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

/// Correct a referral (its prescriber, while no counsellor has taken it; `If-Match` required).
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = ReferralUpdate,
    responses(
        (status = 200, description = "Corrected.", body = Referral),
        (status = 403, description = "Prescribers only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already taken by a counsellor (`not_editable`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/referrals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Authorized(caller): Prescriber,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ReferralUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = id.into_inner();
    let b = body.into_inner();
    let now = state.clock.now();
    let route = req.path().to_string();
    let scope = Scope {
        prescriber_structure: caller.structure_id,
        territory: None,
    };
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::get(conn, id, scope, true)?.ok_or_else(ApiError::not_found)?;
        expected.check(r.version)?;
        if !matches!(r.status.as_str(), "submitted" | "pending_moderation") {
            return Err(ApiError::conflict("not_editable", "A counsellor has taken this referral: ask them to correct it."));
        }
        // Re-validate the whole referral as it would become, with the creation rules.
        let merged = ReferralCreate {
            youth: b.youth.clone().unwrap_or_else(|| youth_input(&y)),
            reason_code: b.reason_code.unwrap_or_else(|| parse_code(&r.reason_code).unwrap_or(api_types::ReasonCode::Other)),
            reason_text: if b.reason_code.is_some() || b.reason_text.is_some() { b.reason_text.clone() } else { r.reason_text.clone() },
            exit_date: b.exit_date.or(r.exit_date),
            needs: b.needs.clone().unwrap_or_else(|| r.needs.clone()),
            consent: Consent {
                informed_at: r.consent_informed_at,
                informed_by: r.consent_informed_by.clone(),
                method: parse_code(&r.consent_method).unwrap_or(ConsentMethod::Oral),
                agreed: r.consent_agreed.iter().filter_map(|c| parse_code(c)).collect(),
            },
        };
        let p = youth::parse(merged, r.consent_informed_at).map_err(ApiError::validation)?;
        let (territory, today) = territory_for(conn, &p.youth.commune_insee, now)?;
        if territory != r.territory_id {
            return Err(ApiError::field(
                "youth.commune_insee",
                "commune_in_other_territory",
                "This commune is served by another territory: withdraw this referral and refer again.",
            ));
        }
        check_dates(&p.youth, p.exit_date, today)?;
        let mut changed = Vec::new();
        let new_youth = youth_row(y.id, &p.youth, y.created_at, now, y.version + 1);
        if b.youth.is_some() {
            changed.push("youth");
        }
        let y = youths::update(conn, &new_youth)?;
        for (field, differs) in [
            ("reason", r.reason_code != p.reason_code || r.reason_text != p.reason_text),
            ("exit_date", r.exit_date != p.exit_date),
            ("needs", r.needs != p.needs),
        ] {
            if differs {
                changed.push(field);
            }
        }
        r.reason_code = p.reason_code;
        r.reason_text = p.reason_text;
        r.exit_date = p.exit_date;
        r.needs = p.needs;
        r.possible_duplicate = referrals::open_duplicate_exists(conn, &y.name_key, y.birth_date, y.phone.as_deref(), Some(r.id))?;
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        // The event names what changed, never the values (they are personal data).
        record(conn, &r, "corrected", None, None, None, Some(caller.actor), serde_json::json!({ "fields": changed }), now)?;
        log_access(conn, &caller, "update", &route, &[(y.id, r.id)], now)?;
        render_one(conn, &caller, r, y, now)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

fn youth_input(y: &YouthRow) -> api_types::YouthInput {
    api_types::YouthInput {
        first_name: y.first_name.clone(),
        last_name: y.last_name.clone(),
        birth_date: y.birth_date,
        phone: y.phone.clone(),
        email: y.email.clone(),
        commune_insee: y.commune_insee.clone(),
        contact_channels: y
            .contact_channels
            .iter()
            .filter_map(|c| parse_code(c))
            .collect(),
        contact_via_prescriber_only: y.contact_via_prescriber_only,
        legal_representative: y.legal_rep_name.clone().map(|name| LegalRepresentative {
            name,
            phone: y.legal_rep_phone.clone(),
            email: y.legal_rep_email.clone(),
            informed_on: y.legal_rep_informed_on,
        }),
    }
}

/// An active counsellor of the SAS team serving `territory`.
fn is_counsellor_of(conn: &mut PgConnection, user: Uuid, territory: Uuid) -> ApiResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table
            .inner_join(structures::table)
            .filter(users::id.eq(user))
            .filter(users::active.eq(true))
            .filter(users::roles.contains(vec!["counsellor".to_string()]))
            .filter(structures::sas_team.eq(true))
            .filter(structures::territory_id.eq(territory)),
    ))
    .get_result(conn)?)
}

/// Change a referral's status: take it (`contacting`), release it (`submitted`), put it on
/// hold, close it with an outcome, withdraw it (prescriber)… Only the transitions of the
/// lifecycle's allow-list for your role are accepted; others answer 409 naming those allowed.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = Option<String>, Header, description = "Optional: the version read; a stale one answers 412."),
    ),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "Done.", body = Referral),
        (status = 403, description = "Prescribers and counsellors only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current state (`illegal_transition`, with `allowed_transitions`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing reason or outcome, unknown counsellor.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    let expected = match req.headers().get(actix_web::http::header::IF_MATCH) {
        Some(_) => Some(if_match(&req)?),
        None => None,
    };
    let id = id.into_inner();
    let t = body.into_inner();
    let now = state.clock.now();
    let route = req.path().to_string();
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::get(conn, id, scope_of(&caller), true)?.ok_or_else(ApiError::not_found)?;
        if let Some(p) = expected {
            p.check(r.version)?;
        }
        let role = if sees_as_counsellor(&caller, &r) { Role::Counsellor } else { Role::Prescriber };
        let actor = rules::Actor::Role(role);
        let from = parse_status(&r.status).unwrap_or(Status::Submitted);
        let hold_from = r.on_hold_from.as_deref().and_then(parse_status);
        if !rules::allowed(from, hold_from, t.to, actor, t.outcome) {
            let targets: Vec<String> = rules::targets(from, hold_from, actor).into_iter().map(|s| status_str(s).to_string()).collect();
            let mut e = ApiError::conflict(
                "illegal_transition",
                if t.to == Status::Closed && t.outcome.is_none() {
                    "Closing needs an outcome.".to_string()
                } else {
                    format!(
                        "{} → {} is not allowed for you now; allowed: {}.",
                        status_str(from),
                        status_str(t.to),
                        if targets.is_empty() { "none".to_string() } else { targets.join(", ") }
                    )
                },
            );
            e.allowed_transitions = targets;
            return Err(e);
        }
        let reason = t.reason.as_deref().and_then(crate::domain::text::clean);
        if rules::needs_reason(t.to, t.outcome) && reason.is_none() {
            return Err(ApiError::field("reason", "reason_required", "This change needs a reason."));
        }
        if reason.as_deref().is_some_and(|r| r.chars().count() > 500) {
            return Err(ApiError::field("reason", "too_long", "At most 500 characters."));
        }
        let mut event_code = reason.clone();
        match (from, t.to) {
            (Status::Submitted, Status::Contacting) => {
                let who = t.counsellor_id.or(caller.actor.user_id()).ok_or_else(ApiError::forbidden)?;
                if !is_counsellor_of(conn, who, r.territory_id)? {
                    return Err(ApiError::field("counsellor_id", "unknown_counsellor", "Not an active counsellor of this territory."));
                }
                r.assigned_counsellor_id = Some(who);
            }
            (Status::Contacting, Status::Submitted) => r.assigned_counsellor_id = None,
            (_, Status::OnHold) => {
                let Some(hr) = reason.as_deref().and_then(parse_code::<api_types::HoldReason>) else {
                    return Err(ApiError::field("reason", "invalid_reason", "Use a hold reason: temporarily_unavailable, waiting_list, youth_request, other."));
                };
                r.on_hold_from = Some(r.status.clone());
                r.on_hold_reason = Some(code(&hr));
            }
            (Status::OnHold, _) => {
                r.on_hold_from = None;
                r.on_hold_reason = None;
            }
            (_, Status::Closed) => {
                r.outcome = t.outcome.map(|o| code(&o));
                r.outcome_reason = reason.clone();
                r.closed_at = Some(now);
                r.on_hold_from = None;
                r.on_hold_reason = None;
                event_code = r.outcome.clone();
            }
            _ => {}
        }
        r.status = status_str(t.to).to_string();
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        let data = match (&reason, t.to) {
            (Some(text), Status::Closed) => serde_json::json!({ "reason": text }),
            _ => serde_json::json!({}),
        };
        record(conn, &r, "status_changed", Some(status_str(from)), Some(&r.status), event_code, Some(caller.actor), data, now)?;
        log_access(conn, &caller, "update", &route, &[(y.id, r.id)], now)?;
        render_one(conn, &caller, r, y, now)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

/// Hand a referral over to another counsellor of the territory.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Reassigned.", body = Referral),
        (status = 403, description = "Counsellors only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your territory.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not taken yet, or closed (`not_assignable`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a counsellor of this territory (`unknown_counsellor`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<AssignRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let to = body.into_inner().counsellor_id;
    let now = state.clock.now();
    let route = req.path().to_string();
    let scope = Scope {
        prescriber_structure: None,
        territory: caller.territory_id,
    };
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::get(conn, id, scope, true)?.ok_or_else(ApiError::not_found)?;
        if matches!(
            r.status.as_str(),
            "submitted" | "pending_moderation" | "closed"
        ) {
            return Err(ApiError::conflict(
                "not_assignable",
                "Take the referral first (a transition to contacting), or it is closed.",
            ));
        }
        if !is_counsellor_of(conn, to, r.territory_id)? {
            return Err(ApiError::field(
                "counsellor_id",
                "unknown_counsellor",
                "Not an active counsellor of this territory.",
            ));
        }
        r.assigned_counsellor_id = Some(to);
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        record(
            conn,
            &r,
            "assigned",
            None,
            None,
            None,
            Some(caller.actor),
            serde_json::json!({ "counsellor_id": to }),
            now,
        )?;
        log_access(conn, &caller, "update", &route, &[(y.id, r.id)], now)?;
        render_one(conn, &caller, r, y, now)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The timeline of a referral, oldest first. Prescribers see who acted only for their own
/// structure's actions.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), EventQuery),
    responses(
        (status = 200, description = "A page of events.", body = EventPage),
        (status = 403, description = "Prescribers and counsellors only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/events")]
pub async fn timeline(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    id: web::Path<Uuid>,
    query: web::Query<EventQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
        .transpose()?;
    let page = db::run(&state.pool, move |conn| {
        let (r, _) =
            referrals::get(conn, id, scope_of(&caller), false)?.ok_or_else(ApiError::not_found)?;
        let counsellor_view = sees_as_counsellor(&caller, &r);
        let rows = events::list(conn, id, after, limit + 1)?;
        let (rows, next) = cursor::page(rows, limit, |e| (e.occurred_at, e.id));
        let uids: Vec<Uuid> = rows.iter().filter_map(|e| e.actor_user_id).collect();
        let people: HashMap<Uuid, (String, Option<Uuid>)> = users::table
            .filter(users::id.eq_any(uids))
            .select((
                users::id,
                users::first_name,
                users::last_name,
                users::structure_id,
            ))
            .load::<(Uuid, String, String, Option<Uuid>)>(conn)?
            .into_iter()
            .map(|(id, f, l, s)| (id, (format!("{f} {l}"), s)))
            .collect();
        let items = rows
            .into_iter()
            .map(|e| Event {
                id: e.id,
                actor: e.actor_user_id.and_then(|u| {
                    let (name, structure) = people.get(&u)?;
                    (counsellor_view || (structure.is_some() && *structure == caller.structure_id))
                        .then(|| PersonRef {
                            id: u,
                            name: name.clone(),
                        })
                }),
                kind: e.kind,
                from_status: e.from_status.as_deref().and_then(parse_status),
                to_status: e.to_status.as_deref().and_then(parse_status),
                code: e.code,
                occurred_at: e.occurred_at,
            })
            .collect();
        Ok(EventPage {
            items,
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

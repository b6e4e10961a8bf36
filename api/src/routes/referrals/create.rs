//! `POST /referrals`: a prescriber (person or partner system) refers a young person.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, Channel, EventKind, ReferralCreate, Status};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::PgConnection;

use super::{journal, scope_of, show, Prescriber};
use crate::auth::Authorized;
use crate::db::journal::Journal;
use crate::db::referrals::{self, ReferralRow};
use crate::db::youths::{self, YouthRow};
use crate::db::{self, consent};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::referral::today_in;
use crate::domain::youth::{self, ParsedReferral, ValidYouth};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, StructureId, TerritoryId, YouthId};
use crate::routes::idempotency;
use crate::state::AppState;

/// Refer a young person (prescriber, person or partner system).
///
/// Youth, referral, first consent record and first event are written in one transaction. The
/// territory is the one serving the youth's commune. With `Idempotency-Key`, a retry with the
/// same body gets the same answer and never a second referral.
#[utoipa::path(
    tag = "referrals",
    request_body = ReferralCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h.")),
    responses(
        (status = 201, description = "Referred.", body = api_types::Referral, headers(("Location" = String, description = "URL of the referral"), ("ETag" = String, description = "Its version"))),
        (status = 422, description = "Invalid fields (`age_out_of_range`, `legal_representative_required`, `date_out_of_range`, `invalid_phone`, `unknown_commune`, `commune_not_served`, `unknown_thematique`, `consent_required`, `idempotency_key_reused`…).", body = api_types::Problem, content_type = "application/problem+json"),
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
    let structure = caller
        .structure_id
        .map(StructureId)
        .ok_or_else(ApiError::forbidden)?;
    let j = journal(&caller, req.path(), now);
    let answer = db::tx(&state.pool, move |conn| {
        let (replay, replayed) = idempotency::once(conn, idem.as_ref(), now, |conn| {
            let id = insert(conn, structure, parsed, &j)?;
            let body = show(conn, &caller, &j, id, scope_of(&caller), None)?;
            Ok((
                format!("/api/v1/referrals/{id}"),
                idempotency::to_body(&body)?,
            ))
        })?;
        if replayed {
            // A replay shows the youth's data again: that is a read.
            let ids = (
                replay.body["youth"]["id"].as_str(),
                replay.body["id"].as_str(),
            );
            if let (Some(Ok(y)), Some(Ok(r))) = (ids.0.map(str::parse), ids.1.map(str::parse)) {
                j.access(
                    conn,
                    AccessAction::Read,
                    &[(YouthId(y), ReferralId(r))],
                    None,
                )?;
            }
        }
        Ok((replay, replayed))
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

/// Records a parsed referral of `structure` (also the demo data's way, `seed.rs`).
pub(crate) fn insert(
    conn: &mut PgConnection,
    structure: StructureId,
    p: ParsedReferral,
    j: &Journal,
) -> ApiResult<ReferralId> {
    let now = j.now;
    let (territory, today) = territory_for(conn, &p.youth.commune_insee, now)?;
    check_dates(&p.youth, p.exit_date, today)?;
    let y = youths::insert(conn, &youth_row(YouthId::new(), &p.youth, now, now, 1))?;
    let r = referrals::insert(
        conn,
        &ReferralRow {
            id: ReferralId::new(),
            youth_id: y.id,
            channel: Channel::Institutional,
            territory_id: territory,
            prescriber_structure_id: Some(structure),
            created_by_user_id: j.who.user(),
            created_by_client_id: j.who.client(),
            reason_code: p.reason_code,
            reason_text: p.reason_text,
            exit_date: p.exit_date,
            needs: p.needs,
            status: Status::Submitted,
            on_hold_from: None,
            on_hold_reason: None,
            assigned_counsellor_id: None,
            outcome: None,
            previous_referral_id: None,
            submitted_at: Some(now),
            closed_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
            contacting_since: None,
            last_attempt_at: None,
            next_try_on: None,
        },
    )?;
    consent::append(conn, r.id, &p.consent, j)?;
    let mut event = EventDraft::new(EventKind::Created);
    event.to_status = Some(Status::Submitted);
    event.code = Some(r.reason_code.as_str().to_string());
    j.event(conn, r.id, &event)?;
    j.access(conn, AccessAction::Create, &[(y.id, r.id)], None)?;
    Ok(r.id)
}

pub(super) fn youth_row(
    id: YouthId,
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
pub(super) fn territory_for(
    conn: &mut PgConnection,
    insee: &str,
    now: DateTime<Utc>,
) -> ApiResult<(TerritoryId, NaiveDate)> {
    if !db::communes::exists(conn, insee)? {
        return Err(ApiError::field(
            "youth.commune_insee",
            "unknown_commune",
            "Not a known INSEE commune code.",
        ));
    }
    let Some((t, tz)) = db::communes::serving(conn, insee)? else {
        return Err(ApiError::field(
            "youth.commune_insee",
            "commune_not_served",
            "No SAS team serves this commune yet.",
        ));
    };
    let tz: Tz = tz
        .parse()
        .map_err(|_| ApiError::internal(format!("unknown stored time zone {tz:?}")))?;
    Ok((TerritoryId(t), today_in(tz, now)))
}

pub(super) fn check_dates(
    y: &ValidYouth,
    exit: Option<NaiveDate>,
    today: NaiveDate,
) -> ApiResult<()> {
    let errs = youth::check_dates(y, exit, today);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errs))
    }
}

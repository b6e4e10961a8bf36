//! `PATCH /referrals/{id}/youth`: the right of rectification — a counsellor of the territory
//! corrects the young person's identity, birth date or legal representative. The event
//! `corrected` names the fields changed; the old values are kept nowhere (DOMAIN.md: a wrong
//! value corrected is not history to keep). Contact details have their own route,
//! `youth_contact.rs`.
use actix_web::{patch, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventKind, YouthCorrection};
use uuid::Uuid;

use super::update::youth_input;
use super::{journal, show, team_scope, time_zone, Counsellor};
use crate::auth::Authorized;
use crate::db::referrals;
use crate::db::{self, youths};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::referral::today_in;
use crate::domain::youth;
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_ANONYMISED: &str = "This young person's data was anonymised: nothing is left to correct.";

/// Correct the young person's first or last name, birth date or legal representative (a
/// counsellor of the referral's territory; `If-Match`: the referral's version), checked with
/// the creation rules (the age and a minor's legal representative on the day of the
/// referral). Any status, closed included: the right of rectification has no end. The event
/// `corrected` lists the fields changed (`first_name`, `last_name`, `birth_date`,
/// `legal_representative`), never their values; nothing changed, nothing recorded.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = YouthCorrection,
    responses(
        (status = 200, description = "Corrected.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "The young person was anonymised (`youth_anonymised`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, the creation rules (`required`, `too_long`, `date_out_of_range`, `age_out_of_range`, `legal_representative_required`, `no_contact`, `invalid_phone`, `invalid_email`, `in_future`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/referrals/{id}/youth")]
pub async fn correct_youth(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<YouthCorrection>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let b = body.into_inner();
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if y.anonymised_at.is_some() {
            return Err(ApiError::conflict("youth_anonymised", MSG_ANONYMISED));
        }
        expected.check(r.version)?;
        let before = youth_input(&y);
        let mut input = before.clone();
        if let Some(v) = b.first_name {
            input.first_name = v;
        }
        if let Some(v) = b.last_name {
            input.last_name = v;
        }
        if let Some(v) = b.birth_date {
            input.birth_date = v;
        }
        if let Some(v) = b.legal_representative {
            input.legal_representative = v;
        }
        let v = youth::parse_youth(input).map_err(ApiError::validation)?;
        let tz = time_zone(conn, r.territory_id)?;
        let errs = youth::check_correction(&v, today_in(tz, r.created_at), today_in(tz, now));
        if !errs.is_empty() {
            return Err(ApiError::validation(errs));
        }
        let mut changed = Vec::new();
        for (field, differs) in [
            ("first_name", v.first_name != y.first_name),
            ("last_name", v.last_name != y.last_name),
            ("birth_date", v.birth_date != y.birth_date),
            (
                "legal_representative",
                v.legal_rep != before.legal_representative,
            ),
        ] {
            if differs {
                changed.push(field.to_string());
            }
        }
        if !changed.is_empty() {
            let mut row = y.clone();
            row.first_name = v.first_name;
            row.last_name = v.last_name;
            row.name_key = v.name_key;
            row.birth_date = v.birth_date;
            row.legal_rep_name = v.legal_rep.as_ref().map(|l| l.name.clone());
            row.legal_rep_phone = v.legal_rep.as_ref().and_then(|l| l.phone.clone());
            row.legal_rep_email = v.legal_rep.as_ref().and_then(|l| l.email.clone());
            row.legal_rep_informed_on = v.legal_rep.as_ref().and_then(|l| l.informed_on);
            row.updated_at = now;
            row.version += 1;
            youths::update(conn, &row)?;
            r.updated_at = now;
            r.version += 1;
            r = referrals::update(conn, &r)?;
            // The fact of the change, never the values (they are personal data, and the old
            // ones were wrong).
            let mut event = EventDraft::new(EventKind::Corrected);
            event.fields = changed;
            j.event(conn, r.id, &event)?;
        }
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        show(conn, &caller, &j, r.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

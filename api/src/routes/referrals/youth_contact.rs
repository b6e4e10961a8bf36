//! `PATCH /referrals/{id}/youth-contact`: the prescriber or a counsellor corrects the young
//! person's contact details after the referral was taken; the previous ones are kept.
use actix_web::{patch, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventKind, Status, YouthContactUpdate};
use diesel::prelude::*;
use uuid::Uuid;

use super::update::youth_input;
use super::{capacity, journal, scope_of, show, transition_error, Staff};
use crate::auth::Authorized;
use crate::db::journal::Journal;
use crate::db::referrals::{self, Scope};
use crate::db::schema::youth_contact_history as history;
use crate::db::{self, youths};
use crate::domain::referral::lifecycle::{By, Capacity, EventDraft, Request};
use crate::domain::youth;
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_CLOSED: &str = "This referral is closed: its contact details are final.";

/// The cause of the system's `unreachable → contacting` when new contact details arrive.
pub const NEW_CONTACT_DETAILS: &str = "new_contact_details";

/// Correct the young person's phone, email, accepted channels or "through the prescriber
/// only" (the prescriber, or a counsellor of the territory; `If-Match`: the referral's
/// version). The previous details are kept in the history and an event names the fields
/// changed, never their values. New details for a referral in `unreachable` return it to
/// `contacting` (DOMAIN.md: new contact info).
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = YouthContactUpdate,
    responses(
        (status = 200, description = "Corrected.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "The referral is closed (`referral_closed`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`invalid_phone`, `invalid_email`, `channel_without_contact`, `no_contact`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/referrals/{id}/youth-contact")]
pub async fn youth_contact(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<YouthContactUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let b = body.into_inner();
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = scope_of(&caller);
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if r.status == Status::Closed {
            return Err(ApiError::conflict("referral_closed", MSG_CLOSED));
        }
        expected.check(r.version)?;
        let mut input = youth_input(&y);
        if let Some(p) = b.phone.clone() {
            input.phone = p;
        }
        if let Some(e) = b.email.clone() {
            input.email = e;
        }
        if let Some(c) = b.contact_channels.clone() {
            input.contact_channels = c;
        }
        if let Some(v) = b.contact_via_prescriber_only {
            input.contact_via_prescriber_only = v;
        }
        let v = youth::parse_youth(input).map_err(ApiError::validation)?;
        let mut changed = Vec::new();
        for (field, differs) in [
            ("phone", v.phone != y.phone),
            ("email", v.email != y.email),
            ("contact_channels", v.contact_channels != y.contact_channels),
            (
                "contact_via_prescriber_only",
                v.contact_via_prescriber_only != y.contact_via_prescriber_only,
            ),
        ] {
            if differs {
                changed.push(field.to_string());
            }
        }
        if !changed.is_empty() {
            diesel::insert_into(history::table)
                .values((
                    history::id.eq(Uuid::now_v7()),
                    history::youth_id.eq(y.id),
                    history::referral_id.eq(r.id),
                    history::phone.eq(&y.phone),
                    history::email.eq(&y.email),
                    history::contact_channels.eq(&y.contact_channels),
                    history::contact_via_prescriber_only.eq(y.contact_via_prescriber_only),
                    history::replaced_at.eq(now),
                    history::replaced_by_user.eq(j.who.user()),
                    history::replaced_by_client.eq(j.who.client()),
                ))
                .execute(conn)?;
            let mut row = y.clone();
            row.phone = v.phone;
            row.email = v.email;
            row.contact_channels = v.contact_channels;
            row.contact_via_prescriber_only = v.contact_via_prescriber_only;
            row.updated_at = now;
            row.version += 1;
            youths::update(conn, &row)?;
            r.updated_at = now;
            r.version += 1;
            r = referrals::update(conn, &r)?;
            let mut event = EventDraft::new(EventKind::ContactCorrected);
            event.fields = changed;
            j.event(conn, r.id, &event)?;
            let new_details = r.status == Status::Unreachable
                && capacity(&caller, &r).capacity != Capacity::Admin;
            if new_details {
                let request = Request {
                    cause: Some(NEW_CONTACT_DETAILS),
                    ..Request::to(Status::Contacting)
                };
                let system = Journal::system("youth_contact", now);
                referrals::transition(
                    conn,
                    r.id,
                    Scope::ALL,
                    &request,
                    |_| By::SYSTEM,
                    None,
                    &system,
                )
                .map_err(transition_error)?;
            }
        }
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        show(conn, &caller, &j, r.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

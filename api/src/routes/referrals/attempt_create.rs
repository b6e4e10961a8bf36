//! `POST /referrals/{id}/contact-attempts`: a counsellor logs an attempt to reach the young
//! person. A contact moves the referral on, through the lifecycle, as the system.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::rules::ATTEMPT_NOTE_MAX_CHARS;
use api_types::{AccessAction, AttemptChannel, ContactAttemptCreate, EventKind};
use diesel::prelude::*;
use uuid::Uuid;

use super::{journal, team_scope, time_zone, transition_error, view, Counsellor};
use crate::auth::Authorized;
use crate::db::attempts::{self, AttemptRow, RequestRow};
use crate::db::journal::Journal;
use crate::db::referrals::{self, Scope};
use crate::db::schema::referrals as referrals_table;
use crate::db::{self};
use crate::domain::dates::{time_in_range, OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE};
use crate::domain::referral::contact::{self, TimeRefusal};
use crate::domain::referral::lifecycle::{By, EventDraft, Request};
use crate::domain::referral::today_in;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::ids::ReferralId;
use crate::routes::idempotency;
use crate::state::AppState;

const MSG_NOT_NOW: &str = "Attempts are recorded from contacting up to followed, and in \
    unreachable: not in this state.";
const MSG_VIA_PRESCRIBER_ONLY: &str =
    "This young person is reached through their prescriber only: use via_prescriber.";
const MSG_BEFORE: &str = "An attempt cannot predate the referral.";
const MSG_FUTURE: &str = "An attempt cannot lie in the future.";
const MSG_NEXT_PAST: &str = "The next try is today or later.";
const MSG_NEXT_FAR: &str = "The next try is within a year.";
const MSG_NOTE_LONG: &str = "At most 500 characters.";
const MSG_MESSAGE_ONLY: &str = "A request message goes with a via_prescriber attempt only.";

/// The cause of the system's move when an attempt reaches the young person.
pub const CONTACT_MADE: &str = "contact_made";

fn text(v: Option<String>, field: &str, errs: &mut FieldErrors) -> Option<String> {
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())?;
    if v.chars().count() > ATTEMPT_NOTE_MAX_CHARS {
        errs.add(field, "too_long", MSG_NOTE_LONG);
        return None;
    }
    Some(v)
}

/// Log a contact attempt (a counsellor of the territory). Allowed from `contacting` up to
/// `followed` and in `unreachable` (409 elsewhere); its time lies between the referral's
/// creation and now (422). A contact (`reached`, `appointment_set`) moves `contacting` to
/// `diagnosis` and `unreachable` back to `contacting`. A young person reached through the
/// prescriber only takes `via_prescriber` attempts, each opening a request the prescriber
/// answers in the app.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h."),
    ),
    request_body = ContactAttemptCreate,
    responses(
        (status = 201, description = "Recorded.", body = api_types::ContactAttempt, headers(("Location" = String, description = "URL of the attempt"))),
        (status = 409, description = "No attempt in this state (`attempt_not_allowed`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: `before_referral`, `in_future`, `date_out_of_range` (attempted_at), `in_past`, `too_far` (next_try_on), `channel_not_allowed`, `too_long`, `not_applicable`, `idempotency_key_reused`.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/contact-attempts")]
pub async fn create_attempt(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ContactAttemptCreate>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let now = state.clock.now();
    let mut errs = FieldErrors::default();
    let note = text(body.note.clone(), "note", &mut errs);
    let message = text(body.request_message.clone(), "request_message", &mut errs);
    if message.is_some() && body.channel != AttemptChannel::ViaPrescriber {
        errs.add("request_message", "not_applicable", MSG_MESSAGE_ONLY);
    }
    let at = body.attempted_at.unwrap_or(now);
    if !time_in_range(at) {
        errs.add("attempted_at", OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE);
    }
    errs.finish()?;
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let author = caller.actor.user_id().map(crate::ids::UserId);
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
            if !contact::may_record_attempt(r.status) {
                return Err(ApiError::conflict("attempt_not_allowed", MSG_NOT_NOW));
            }
            let mut errs = FieldErrors::default();
            if !contact::allowed_channels(y.contact_via_prescriber_only).contains(&body.channel) {
                errs.add("channel", "channel_not_allowed", MSG_VIA_PRESCRIBER_ONLY);
            }
            match contact::check_attempt_time(at, r.created_at, now) {
                Err(TimeRefusal::BeforeReferral) => {
                    errs.add("attempted_at", "before_referral", MSG_BEFORE);
                }
                Err(_) => errs.add("attempted_at", "in_future", MSG_FUTURE),
                Ok(()) => {}
            }
            let tz = time_zone(conn, r.territory_id)?;
            if let Some(next) = body.next_try_on {
                match contact::check_next_try(next, today_in(tz, now)) {
                    Err(TimeRefusal::NextTryInThePast) => {
                        errs.add("next_try_on", "in_past", MSG_NEXT_PAST);
                    }
                    Err(_) => errs.add("next_try_on", "too_far", MSG_NEXT_FAR),
                    Ok(()) => {}
                }
            }
            errs.finish()?;
            let row = attempts::insert(
                conn,
                &AttemptRow {
                    id: Uuid::now_v7(),
                    referral_id: r.id,
                    attempted_at: at,
                    channel: body.channel,
                    outcome: body.outcome,
                    note: note.clone(),
                    next_try_on: body.next_try_on,
                    author_user_id: author,
                    recorded_at: now,
                    blanked_at: None,
                },
            )?;
            // The latest attempt sets what the queue reads (an older one, logged late, does not).
            if r.last_attempt_at.is_none_or(|last| at >= last) {
                diesel::update(referrals_table::table.find(r.id))
                    .set((
                        referrals_table::last_attempt_at.eq(Some(at)),
                        referrals_table::next_try_on.eq(body.next_try_on),
                    ))
                    .execute(conn)?;
            }
            let mut event = EventDraft::new(EventKind::ContactAttempt);
            event.code = Some(body.outcome.as_str().to_string());
            event.attempt_channel = Some(body.channel);
            // The attempt happened at its own time: that is the event's business time.
            let at_time = Journal {
                now: at,
                ..j.clone()
            };
            at_time.event(conn, r.id, &event)?;
            if body.channel == AttemptChannel::ViaPrescriber {
                let request = attempts::open_request(
                    conn,
                    &RequestRow {
                        id: Uuid::now_v7(),
                        referral_id: r.id,
                        attempt_id: row.id,
                        message: message.clone(),
                        opened_at: now,
                        opened_by: author,
                        answer: None,
                        answered_at: None,
                        answered_by_user: None,
                        answered_by_client: None,
                    },
                )?;
                j.event(conn, r.id, &EventDraft::new(EventKind::PrescriberRequested))?;
                // The person who made the referral is told, in the app and by mail (the mail
                // names nobody: the request is read in the app). A partner system has no
                // mailbox: its requests are read through the API.
                if let Some(prescriber) = r.created_by_user_id {
                    crate::db::notifications::notify(
                        conn,
                        prescriber.uuid(),
                        api_types::NotificationKind::PrescriberRequest,
                        &format!("/dossiers/{}", r.id),
                        Some(r.id.uuid()),
                        &format!("prescriber_request:{}", request.id),
                        now,
                    )?;
                }
            }
            if let Some(to) = contact::attempt_moves_to(r.status, body.outcome) {
                let system = Journal::system("contact_attempts", now);
                let request = Request {
                    cause: Some(CONTACT_MADE),
                    ..Request::to(to)
                };
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
            j.access(conn, AccessAction::Create, &[(y.id, r.id)], None)?;
            let shown = attempts::get(conn, r.id, row.id)?
                .ok_or_else(|| ApiError::internal("the attempt just recorded is not found"))?;
            let location = format!("/api/v1/referrals/{}/contact-attempts/{}", r.id, row.id);
            Ok((location, idempotency::to_body(&view::attempt(shown))?))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

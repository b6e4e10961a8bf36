//! `POST /referrals/{id}/consent`: append a record to the consent history.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, Consent, ConsentScope, EventKind, Status};
use uuid::Uuid;

use super::{journal, scope_of, view, Staff};
use crate::auth::Authorized;
use crate::db::{self, consent, referrals};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::youth;
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::idempotency;
use crate::state::AppState;

const MSG_CLOSED: &str = "This referral is closed: its consent history is final.";

/// Record a new consent (or information) record: what the young person was told and agreed
/// to, when and by whom. The prescriber or a counsellor of the territory may do it; the latest
/// record is the one that counts (the relay step requires `share_with_receiver` in it). A
/// child row: no `If-Match`; `Idempotency-Key` makes retries safe.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h."),
    ),
    request_body = Consent,
    responses(
        (status = 201, description = "Recorded.", body = api_types::ConsentRecord, headers(("Location" = String, description = "URL of the record"))),
        (status = 409, description = "The referral is closed (`referral_closed`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`in_future`, `date_out_of_range`, `required`, `too_long`, `idempotency_key_reused`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/consent")]
pub async fn record_consent(
    state: web::Data<AppState>,
    Authorized(caller): Staff,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<Consent>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let now = state.clock.now();
    let valid = youth::parse_consent(body, now).map_err(ApiError::validation)?;
    let j = journal(&caller, req.path(), now);
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let (mut r, y) =
                referrals::lock(conn, id, scope_of(&caller))?.ok_or_else(ApiError::not_found)?;
            if r.status == Status::Closed {
                return Err(ApiError::conflict("referral_closed", MSG_CLOSED));
            }
            let record = consent::append(conn, r.id, &valid, &j)?;
            // The referral shows the latest record: its representation, hence its version,
            // changes.
            r.updated_at = now;
            r.version += 1;
            referrals::update(conn, &r)?;
            j.event(conn, r.id, &EventDraft::new(EventKind::ConsentRecorded))?;
            // A record without `share_with_receiver` withdraws it: the relays not started yet
            // are cancelled (started ones go on).
            if !valid.agreed.contains(&ConsentScope::ShareWithReceiver) {
                db::relays::cancel_pending(conn, r.id, crate::domain::relay::CONSENT_WITHDRAWN, &j)
                    .map_err(crate::routes::relays::act_error)?;
            }
            j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
            let location = format!("/api/v1/referrals/{}/consent/{}", r.id, record.id);
            Ok((location, idempotency::to_body(&view::consent(record))?))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

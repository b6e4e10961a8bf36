//! `POST /referrals/{id}/resume`: a closed journey starts again as a new referral.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, ConsentScope, EventKind, Outcome, Status};
use uuid::Uuid;

use super::{journal, show, team_scope, Counsellor};
use crate::auth::Authorized;
use crate::db::referrals::{self, ReferralRow};
use crate::db::{self, consent};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::youth::ValidConsent;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, UserId};
use crate::routes::support::created;
use crate::state::AppState;

const MSG_ANONYMISED: &str =
    "The young person's data was anonymised: this journey cannot be resumed.";
const MSG_NOT_CLOSED: &str = "Only a closed journey is resumed; this referral is still open.";
const MSG_IN_ERROR: &str = "A referral entered in error is not a journey to resume.";
const MSG_ALREADY: &str = "This journey has already been resumed.";

/// Resume a closed journey (a counsellor of its territory): a new referral of the same young
/// person, prescriber and channel, linked by `previous_referral_id`, taken by the caller
/// (`contacting`). The consent carried over keeps `sas_contact` only: `share_with_receiver`
/// is recorded again before any relay. Its first event is `resumed`, not `created`: a resumed
/// referral counts in H2 and H3, not in H1. A journey is resumed once (409 after).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "The closed referral")),
    responses(
        (status = 201, description = "The new referral.", body = api_types::Referral, headers(("Location" = String, description = "URL of the new referral"), ("ETag" = String, description = "Its version"))),
        (status = 409, description = "`not_closed`, `not_resumable` (entered in error), `already_resumed`, or `already_anonymised` (the young person's data was erased: nothing to resume).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let me = caller.actor.user_id().map(UserId);
    let r = db::tx(&state.pool, move |conn| {
        let (old, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if old.status != Status::Closed {
            return Err(ApiError::conflict("not_closed", MSG_NOT_CLOSED));
        }
        if y.anonymised_at.is_some() {
            return Err(ApiError::conflict("already_anonymised", MSG_ANONYMISED));
        }
        if old.outcome == Some(Outcome::EnteredInError) {
            return Err(ApiError::conflict("not_resumable", MSG_IN_ERROR));
        }
        if referrals::successor(conn, old.id)?.is_some() {
            return Err(ApiError::conflict("already_resumed", MSG_ALREADY));
        }
        let latest = consent::latest(conn, old.id)?
            .ok_or_else(|| ApiError::internal("a referral without a consent record"))?;
        let new = referrals::insert(
            conn,
            &ReferralRow {
                id: ReferralId::new(),
                youth_id: old.youth_id,
                channel: old.channel,
                territory_id: old.territory_id,
                prescriber_structure_id: old.prescriber_structure_id,
                created_by_user_id: old.created_by_user_id,
                created_by_client_id: old.created_by_client_id,
                reason_code: old.reason_code,
                reason_text: old.reason_text.clone(),
                exit_date: old.exit_date,
                needs: old.needs.clone(),
                status: Status::Contacting,
                on_hold_from: None,
                on_hold_reason: None,
                assigned_counsellor_id: me,
                outcome: None,
                previous_referral_id: Some(old.id),
                submitted_at: Some(now),
                closed_at: None,
                created_at: now,
                updated_at: now,
                version: 1,
                contacting_since: Some(now),
                last_attempt_at: None,
                next_try_on: None,
            },
        )?;
        consent::append(
            conn,
            new.id,
            &ValidConsent {
                informed_at: latest.informed_at,
                informed_by: latest.informed_by.clone(),
                method: latest.method,
                agreed: latest
                    .agreed
                    .iter()
                    .copied()
                    .filter(|s| *s == ConsentScope::SasContact)
                    .collect(),
            },
            &j,
        )?;
        let mut event = EventDraft::new(EventKind::Resumed);
        event.to_status = Some(Status::Contacting);
        event.code = Some(new.reason_code.as_str().to_string());
        event.counsellor = me;
        j.event(conn, new.id, &event)?;
        j.access(conn, AccessAction::Create, &[(y.id, new.id)], None)?;
        show(conn, &caller, &j, new.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(created(format!("/api/v1/referrals/{}", r.id), &r, Some(v)))
}

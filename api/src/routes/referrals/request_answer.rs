//! `POST /referrals/{id}/prescriber-requests/{request_id}/answer`: the prescriber answers.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::rules::REQUEST_ANSWER_MAX_CHARS;
use api_types::{AccessAction, EventKind, PrescriberRequestAnswer};
use uuid::Uuid;

use super::{journal, view, Prescriber};
use crate::auth::Authorized;
use crate::db::referrals::{self, Scope};
use crate::db::{self, attempts};
use crate::domain::referral::lifecycle::EventDraft;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, StructureId};
use crate::state::AppState;

const MSG_ANSWERED: &str = "This request has already been answered.";
const MSG_REQUIRED: &str = "Write an answer.";
const MSG_LONG: &str = "At most 1000 characters.";

/// Answer a request of the SAS team (the prescriber of the referral). Once.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("request_id" = Uuid, Path, description = "Request id"),
    ),
    request_body = PrescriberRequestAnswer,
    responses(
        (status = 200, description = "Answered.", body = api_types::PrescriberRequest),
        (status = 409, description = "Already answered (`already_answered`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`required` or `too_long` answer.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/prescriber-requests/{request_id}/answer")]
pub async fn answer_request(
    state: web::Data<AppState>,
    Authorized(caller): Prescriber,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<PrescriberRequestAnswer>,
) -> ApiResult<HttpResponse> {
    let (id, request) = path.into_inner();
    let id = ReferralId(id);
    let text = body.into_inner().answer.trim().to_string();
    if text.is_empty() {
        return Err(ApiError::field("answer", "required", MSG_REQUIRED));
    }
    if text.chars().count() > REQUEST_ANSWER_MAX_CHARS {
        return Err(ApiError::field("answer", "too_long", MSG_LONG));
    }
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = Scope {
        prescriber_structure: caller.structure_id.map(StructureId),
        ..Scope::default()
    };
    let answered = db::tx(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let mut row = attempts::lock_request(conn, id, request)?.ok_or_else(ApiError::not_found)?;
        if row.answered_at.is_some() {
            return Err(ApiError::conflict("already_answered", MSG_ANSWERED));
        }
        row.answer = Some(text);
        row.answered_at = Some(now);
        row.answered_by_user = j.who.user();
        row.answered_by_client = j.who.client();
        let row = attempts::answer(conn, &row)?;
        j.event(conn, r.id, &EventDraft::new(EventKind::PrescriberAnswered))?;
        j.access(conn, AccessAction::Update, &[(r.youth_id, r.id)], None)?;
        Ok(view::request(row))
    })
    .await?;
    Ok(HttpResponse::Ok().json(answered))
}

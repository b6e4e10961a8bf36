//! `PUT /referrals/{id}/diagnostic`: a counsellor saves the diagnostic; each save is a new
//! version (who, when), `If-Match` against the current one.
use actix_web::{put, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, DiagnosticInput, EventKind};
use uuid::Uuid;

use super::{journal, team_scope, Counsellor};
use crate::auth::Authorized;
use crate::db::diagnostics::{self, DiagnosticRow};
use crate::db::{self, referrals};
use crate::domain::diagnostic;
use crate::domain::referral::lifecycle::EventDraft;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, UserId};
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_NOT_NOW: &str =
    "A diagnostic is written once the young person is reached (diagnosis, relaying, followed).";

/// Save the diagnostic (counsellors of the territory, `If-Match`: the `ETag` of `GET`, `"0"`
/// or `*` for the first save). When two counsellors edit at once, the second save gets 412:
/// read it again, see what changed, and save again. Allowed in `diagnosis`, `relaying`,
/// `followed`, and on hold from them (409 elsewhere).
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`; `\"0\"` before the first save)."),
    ),
    request_body = DiagnosticInput,
    responses(
        (status = 200, description = "Saved as a new version.", body = api_types::Diagnostic, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not in a state where a diagnostic is written (`diagnostic_not_open`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`unknown_code`, `duplicate`, `too_many`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/referrals/{id}/diagnostic")]
pub async fn put_diagnostic(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<DiagnosticInput>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let d = diagnostic::parse(body.into_inner()).map_err(ApiError::validation)?;
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let author = caller.actor.user_id().map(UserId);
    let saved = db::tx(&state.pool, move |conn| {
        // The referral's lock serialises concurrent saves of its diagnostic.
        let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if !diagnostic::may_write(r.status, r.on_hold_from) {
            return Err(ApiError::conflict("diagnostic_not_open", MSG_NOT_NOW));
        }
        let current = diagnostics::current_version(conn, id)?;
        expected.check(current)?;
        let mut content = d.clone();
        let shared = content.shared_summary.take();
        let content = serde_json::to_value(&content)
            .map_err(|e| ApiError::internal(format!("a diagnostic does not encode: {e}")))?;
        diagnostics::insert(
            conn,
            &DiagnosticRow {
                referral_id: id,
                version: current + 1,
                content,
                shared_summary: shared,
                saved_at: now,
                saved_by: author,
                blanked_at: None,
            },
        )?;
        j.event(conn, r.id, &EventDraft::new(EventKind::DiagnosticSaved))?;
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        super::diagnostic_get::current(conn, id)
    })
    .await?;
    let v = saved.version;
    Ok(ok_versioned(&saved, v))
}

//! `GET /referrals/{id}/diagnostic`: the current diagnostic (SAS team only, logged).
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, Diagnostic, DiagnosticInput};
use uuid::Uuid;

use super::{journal, team_scope, view, Counsellor};
use crate::auth::Authorized;
use crate::db::{self, diagnostics, referrals};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::support::ok_versioned;
use crate::state::AppState;

/// The latest version of a referral's diagnostic, `version` 0 when none was saved yet; its
/// `ETag` is what `PUT` takes as `If-Match` (counsellors of the territory: a prescriber never
/// reads a diagnostic; a receiving structure will only ever see `shared_summary`).
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The diagnostic (`ETag`: its version).", body = api_types::Diagnostic, headers(("ETag" = String, description = "Its version"))),
    )
)]
#[get("/referrals/{id}/diagnostic")]
pub async fn get_diagnostic(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let j = journal(&caller, req.path(), state.clock.now());
    let scope = team_scope(&caller);
    let d = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let d = current(conn, id)?;
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        Ok(d)
    })
    .await?;
    let v = d.version;
    Ok(ok_versioned(&d, v))
}

/// The current diagnostic as the API shows it.
pub(super) fn current(conn: &mut diesel::PgConnection, id: ReferralId) -> ApiResult<Diagnostic> {
    Ok(match diagnostics::versions(conn, id, None, 1)?.pop() {
        Some(v) => {
            let v = view::diagnostic_version(v)?;
            Diagnostic {
                referral_id: id.uuid(),
                version: v.version,
                content: v.content,
                saved_at: Some(v.saved_at),
                saved_by: v.saved_by,
            }
        }
        None => Diagnostic {
            referral_id: id.uuid(),
            version: 0,
            content: DiagnosticInput::default(),
            saved_at: None,
            saved_by: None,
        },
    })
}

//! `POST /referrals/{id}/assign`: hand a referral over to another counsellor of the team.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, AssignRequest, EventKind};
use uuid::Uuid;

use super::{journal, show, Counsellor};
use crate::auth::Authorized;
use crate::db;
use crate::db::referrals::{self, Scope};
use crate::domain::referral::lifecycle::{may_reassign, EventDraft};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, TerritoryId, UserId};
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_NOT_ASSIGNABLE: &str =
    "Take the referral first (a transition to contacting), or it is closed.";
const MSG_UNKNOWN_COUNSELLOR: &str = "Not an active counsellor of this territory.";

/// Hand a referral being worked on over to another counsellor of the territory (`If-Match`
/// required; the state is checked before the version).
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Reassigned.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not taken yet, or closed (`not_assignable`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an active counsellor of this territory (`unknown_counsellor`).", body = api_types::Problem, content_type = "application/problem+json"),
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
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let to = UserId(body.into_inner().counsellor_id);
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = Scope {
        territory: caller.territory_id.map(TerritoryId),
        ..Scope::default()
    };
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if !may_reassign(r.status) {
            return Err(ApiError::conflict("not_assignable", MSG_NOT_ASSIGNABLE));
        }
        expected.check(r.version)?;
        if !referrals::is_counsellor_of(conn, to, r.territory_id)? {
            return Err(ApiError::field(
                "counsellor_id",
                "unknown_counsellor",
                MSG_UNKNOWN_COUNSELLOR,
            ));
        }
        r.assigned_counsellor_id = Some(to);
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        let mut event = EventDraft::new(EventKind::Assigned);
        event.counsellor = Some(to);
        j.event(conn, r.id, &event)?;
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        show(conn, &caller, &j, r.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

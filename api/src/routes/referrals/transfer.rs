//! `POST /referrals/{id}/transfer`: the young person moved; the referral goes to the territory
//! serving their new commune, whose team then sees it in its queue.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, EventKind, Status, TransferRequest};
use uuid::Uuid;

use super::{journal, team_scope, transition_error, view, Counsellor};
use crate::auth::Authorized;
use crate::db::journal::Journal;
use crate::db::referrals::{self, Reading, Scope};
use crate::db::{self, communes, youths};
use crate::domain::referral::lifecycle::{By, EventDraft, Request};
use crate::domain::referral::visibility::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, TerritoryId};
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_CLOSED: &str = "This referral is closed: resume it in the new territory instead.";
const MSG_UNKNOWN: &str = "Not a known INSEE commune code.";
const MSG_NOT_SERVED: &str = "No SAS team serves this commune yet.";
const MSG_SAME: &str = "This commune is served by the referral's own territory.";

/// The cause of the system's `contacting → submitted` when a referral leaves its territory.
pub const TRANSFERRED: &str = "transferred";

/// Transfer a referral to the territory serving the young person's new commune (a counsellor
/// of its current territory; `If-Match`). The youth's commune becomes the new one; the
/// referral leaves its counsellor (a referral being contacted returns to the queue, the others
/// keep their state for the receiving team to assign); one `transferred` event records both
/// territories. The answer shows the referral as it was handed over.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = TransferRequest,
    responses(
        (status = 200, description = "Transferred.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "The referral is closed (`referral_closed`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_commune`, `commune_not_served`, `same_territory` on `commune_insee`.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<TransferRequest>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let insee = body.into_inner().commune_insee.trim().to_uppercase();
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let r = db::tx(&state.pool, move |conn| {
        let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if r.status == Status::Closed {
            return Err(ApiError::conflict("referral_closed", MSG_CLOSED));
        }
        expected.check(r.version)?;
        if !communes::exists(conn, &insee)? {
            return Err(ApiError::field(
                "commune_insee",
                "unknown_commune",
                MSG_UNKNOWN,
            ));
        }
        let Some((to, _)) = communes::serving(conn, &insee)? else {
            return Err(ApiError::field(
                "commune_insee",
                "commune_not_served",
                MSG_NOT_SERVED,
            ));
        };
        let to = TerritoryId(to);
        if to == r.territory_id {
            return Err(ApiError::field("commune_insee", "same_territory", MSG_SAME));
        }
        if r.status == Status::Contacting {
            let request = Request {
                cause: Some(TRANSFERRED),
                ..Request::to(Status::Submitted)
            };
            let system = Journal::system("transfer", now);
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
        // Written before the move: the event's territory snapshot is the one it leaves.
        let mut event = EventDraft::new(EventKind::Transferred);
        event.to_territory = Some(to.uuid());
        j.event(conn, r.id, &event)?;
        let (mut r, y2) = referrals::lock(conn, id, Scope::ALL)?.ok_or_else(ApiError::not_found)?;
        r.territory_id = to;
        r.assigned_counsellor_id = None;
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        let mut youth = y2;
        youth.commune_insee = insee.clone();
        youth.updated_at = now;
        youth.version += 1;
        youths::update(conn, &youth)?;
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        let how = Reading {
            scope: Scope::ALL,
            duplicates: false,
            journal: &j,
            log: None,
        };
        let v = referrals::read(conn, r.id, &how)?.ok_or_else(ApiError::not_found)?;
        view::referral(v, Viewer::Counsellor, now)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

//! `GET /relays/{id}`: one relay, for its receiving structure or the SAS team.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::AccessAction;
use uuid::Uuid;

use super::{reader, scope_of, show, RelayActor};
use crate::auth::Authorized;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::ids::RelayId;
use crate::routes::referrals::journal;
use crate::routes::support::ok_versioned;
use crate::state::AppState;

/// One relay (in scope: the receiving structure's relays through SAS, the territory's for a
/// counsellor). The receiving structure reads the young person's identity, their contact
/// unless they are reached only through the prescriber, the needs, the `shared_summary` and
/// the prescriber ("confidentiel" when sensitive). The read is access-logged.
#[utoipa::path(
    tag = "relays",
    params(("id" = Uuid, Path, description = "Relay id")),
    responses(
        (status = 200, description = "The relay (`ETag` carries its version).", body = api_types::Relay, headers(("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such relay in your scope.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/relays/{id}")]
pub async fn get_relay(
    state: web::Data<AppState>,
    Authorized(caller): RelayActor,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = RelayId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = scope_of(&caller);
    let relay = db::run(&state.pool, move |conn| {
        let f = db::relays::find(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let r = reader(&f);
        show(conn, f.row, r, &j, Some(AccessAction::Read))
    })
    .await?;
    let v = relay.version;
    Ok(ok_versioned(&relay, v))
}

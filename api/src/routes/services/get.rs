//! `GET /services/{id}`: one service, for its structure and administrators.
use actix_web::{get, web, HttpResponse};
use api_types::Service;
use uuid::Uuid;

use super::{reachable, to_api, Editor};
use crate::auth::Authorized;
use crate::db::{self, services};
use crate::error::ApiResult;
use crate::ids::ServiceId;
use crate::routes::support::ok_versioned;
use crate::state::AppState;

/// One service, whatever its status (its structure's receivers, administrators; others: 404).
/// The public sees published services through `GET /services/search`.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Service id")),
    responses(
        (status = 200, description = "The service (`ETag` carries its version).", body = Service),
    )
)]
#[get("/services/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = ServiceId(id.into_inner());
    let row = db::run(&state.pool, move |conn| Ok(services::get(conn, id)?)).await?;
    let r = reachable(&caller, row)?;
    let v = r.service.version;
    Ok(ok_versioned(&to_api(r), v))
}

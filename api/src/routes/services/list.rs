//! `GET /services`: the services a caller edits (its structure's; any for an administrator).
use actix_web::{get, web, HttpResponse};
use api_types::{ServicePage, ServiceStatus};
use serde::Deserialize;
use uuid::Uuid;

use super::{scope, to_api, Editor};
use crate::auth::Authorized;
use crate::db::{self, cursor, services};
use crate::error::ApiResult;
use crate::ids::StructureId;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// Only this structure's (administrators; a receiver always sees its own).
    pub structure_id: Option<Uuid>,
    pub status: Option<ServiceStatus>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The services of your structure (receivers) or of any structure (administrators), by name,
/// every status.
#[utoipa::path(
    tag = "services",
    params(ServiceQuery),
    responses((status = 200, description = "A page of services, by name.", body = ServicePage))
)]
#[get("/services")]
pub async fn list(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    query: web::Query<ServiceQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = services::Filter {
        structure: scope(&caller).or(q.structure_id.map(StructureId)),
        status: q.status,
        after: cursor::after(q.cursor.as_deref())?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(services::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| {
        (r.service.nom.to_lowercase(), r.service.id.uuid())
    });
    Ok(HttpResponse::Ok().json(ServicePage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

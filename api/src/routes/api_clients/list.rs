use actix_web::{get, web, HttpResponse};
use api_types::ApiClientPage;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::to_api;
use crate::auth::AdminOnly;
use crate::db::{self, api_clients, cursor};
use crate::error::ApiResult;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApiClientQuery {
    pub structure_id: Option<Uuid>,
    /// `true`: revoked only; `false`: active only.
    pub revoked: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List API clients (admin).
#[utoipa::path(
    tag = "administration",
    params(ApiClientQuery),
    responses(
        (status = 200, description = "A page of API clients, oldest first.", body = ApiClientPage),
    )
)]
#[get("/api-clients")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<ApiClientQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = api_clients::Filter {
        structure_id: q.structure_id,
        revoked: q.revoked,
        after: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(api_clients::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.created_at, r.id));
    Ok(HttpResponse::Ok().json(ApiClientPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

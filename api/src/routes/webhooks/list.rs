use actix_web::{get, web, HttpResponse};
use api_types::WebhookPage;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{scope, to_api};
use crate::auth::Caller;
use crate::db::{self, cursor, webhooks};
use crate::error::ApiResult;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WebhookQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Webhook subscriptions, newest first, with their delivery counts: an API client's
/// structure's, or (administrators) every structure's.
#[utoipa::path(
    tag = "webhooks",
    params(WebhookQuery),
    responses(
        (status = 200, description = "A page of subscriptions.", body = WebhookPage),
    )
)]
#[get("/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<WebhookQuery>,
) -> ApiResult<HttpResponse> {
    let structure = scope(&caller)?;
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
        .transpose()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(webhooks::list(conn, structure, after, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.created_at, r.id));
    Ok(HttpResponse::Ok().json(WebhookPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

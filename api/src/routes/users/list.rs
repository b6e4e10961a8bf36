use actix_web::{get, web, HttpResponse};
use api_types::{Role, UserPage};
use serde::Deserialize;
use uuid::Uuid;

use super::to_api;
use crate::auth::AdminOnly;
use crate::db::{self, cursor, users};
use crate::error::ApiResult;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the email or name.
    pub q: Option<String>,
    pub structure_id: Option<Uuid>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List users (admin).
#[utoipa::path(
    tag = "administration",
    params(UserQuery),
    responses(
        (status = 200, description = "A page of users, by email.", body = UserPage),
    )
)]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<UserQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = users::Filter {
        q: crate::routes::support::opt_text(q.q),
        structure_id: q.structure_id,
        role: q.role.map(|r| r.as_str().to_string()),
        active: q.active,
        after: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(users::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.email.clone(), r.id));
    Ok(HttpResponse::Ok().json(UserPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

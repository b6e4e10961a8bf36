//! `GET /counsellors`: the colleagues a counsellor may hand a referral over to.
use actix_web::{get, web, HttpResponse};
use api_types::{PersonPage, PersonRef};
use serde::Deserialize;

use crate::auth::{allow, Authorized};
use crate::db::{self, cursor, users};
use crate::error::ApiResult;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CounsellorQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The active counsellors of your territory's SAS team, by email (counsellors only): whom a
/// referral may be reassigned to (`POST /referrals/{id}/assign`). Names only, no contact.
#[utoipa::path(
    tag = "referrals",
    params(CounsellorQuery),
    responses((status = 200, description = "A page of counsellors.", body = api_types::PersonPage))
)]
#[get("/counsellors")]
pub async fn list(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<{ allow::COUNSELLOR }>,
    query: web::Query<CounsellorQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = cursor::after::<(String, uuid::Uuid)>(q.cursor.as_deref())?;
    let Some(territory) = caller.territory_id else {
        return Ok(HttpResponse::Ok().json(PersonPage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(users::counsellors_of(conn, territory, after, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.1.clone(), r.0));
    Ok(HttpResponse::Ok().json(PersonPage {
        items: rows
            .into_iter()
            .map(|(id, _, first, last)| PersonRef {
                id,
                name: format!("{first} {last}"),
            })
            .collect(),
        next_cursor: next,
    }))
}

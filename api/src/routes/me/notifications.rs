use actix_web::{get, put, web, HttpResponse};
use api_types::{
    MailStatus, Notification, NotificationKind, NotificationPage, NotificationSettings,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::db::{self, cursor, notifications};
use crate::error::{ApiError, ApiResult};
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn user_of(caller: &Caller) -> ApiResult<Uuid> {
    match caller.actor {
        Actor::User(id) => Ok(id),
        // API clients have no mailbox.
        Actor::Client(_) => Err(ApiError::forbidden()),
    }
}

/// Your notifications, newest first, with the status of the mail that carried each one
/// (`null` while the daily digest is due). Names nobody: the link says where to look.
#[utoipa::path(
    tag = "notifications",
    params(NotificationQuery),
    responses(
        (status = 403, description = "API clients have no mailbox (`forbidden`); or your password must be replaced first (`password_change_required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 200, description = "A page of notifications, newest first.", body = NotificationPage),
    )
)]
#[get("/me/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<NotificationQuery>,
) -> ApiResult<HttpResponse> {
    let user = user_of(&caller)?;
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = q
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
        .transpose()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(notifications::list(conn, user, after, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.created_at, r.id));
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Notification {
                id: r.id,
                kind: NotificationKind::parse(&r.kind)?,
                link: r.link,
                referral_id: r.referral_id,
                created_at: r.created_at,
                mail_status: r.mail_status.as_deref().and_then(MailStatus::parse),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(NotificationPage {
        items,
        next_cursor: next,
    }))
}

/// How you are told of notifications by email: `immediate` (one mail each) or
/// `daily_digest` (one summary each morning).
#[utoipa::path(
    tag = "notifications",
    responses(
        (status = 403, description = "API clients have no mailbox (`forbidden`); or your password must be replaced first (`password_change_required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 200, description = "Your notification settings.", body = NotificationSettings),
    )
)]
#[get("/me/notification-settings")]
pub async fn get_settings(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let user = user_of(&caller)?;
    let pref = db::run(&state.pool, move |conn| {
        Ok(notifications::preference(conn, user)?)
    })
    .await?
    .ok_or_else(ApiError::token_revoked)?;
    Ok(HttpResponse::Ok().json(NotificationSettings { email: pref }))
}

/// Choose how you are told of notifications by email. Notifications not yet mailed follow
/// the new choice (switching to `immediate` leaves them for the next digest).
#[utoipa::path(
    tag = "notifications",
    request_body = NotificationSettings,
    responses(
        (status = 403, description = "API clients have no mailbox (`forbidden`); or your password must be replaced first (`password_change_required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`email` is missing (`required`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 200, description = "The settings as saved.", body = NotificationSettings),
    )
)]
#[put("/me/notification-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NotificationSettings>,
) -> ApiResult<HttpResponse> {
    let user = user_of(&caller)?;
    let pref = body.into_inner().email;
    db::run(&state.pool, move |conn| {
        Ok(notifications::set_preference(conn, user, pref)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(NotificationSettings { email: pref }))
}

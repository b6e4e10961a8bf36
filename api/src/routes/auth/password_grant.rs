//! `grant_type=password`: a person logs in.
use actix_web::{web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{begin_attempt, new_refresh_row, subject_of, user_tokens};
use crate::auth::password;
use crate::db::{self, refresh_tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "Email or password is incorrect.")
}

pub async fn run(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    email: String,
    password: String,
    use_cookie: bool,
) -> ApiResult<HttpResponse> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(ApiError::field(
            if email.is_empty() {
                "email"
            } else {
                "password"
            },
            "required",
            "Email and password are required.",
        ));
    }
    let now = state.clock.now();
    // Counted before the password is checked: concurrent attempts cannot all get through.
    let attempt = begin_attempt(state, req, "acct", &email).await?;

    let lookup = email.clone();
    let user = db::run(&state.pool, move |conn| Ok(users::by_email(conn, &lookup)?)).await?;
    // The unknown-email path hashes too (same timing). At most a few checks run at once.
    let checked = state
        .passwords
        .run(move || match user {
            Some(u) => {
                let ok = password::verify(&u.password_hash, &password);
                (ok && u.active).then_some(u)
            }
            None => {
                password::verify_dummy(&password);
                None
            }
        })
        .await;
    let verified = match checked {
        Ok(v) => v,
        Err(e) => {
            state.throttle.abandon(&state.pool, attempt).await?;
            return Err(e);
        }
    };
    let Some(user) = verified else {
        return Err(invalid_credentials());
    };

    let (refresh, row) = new_refresh_row(state, user.id, Uuid::now_v7(), now, now);
    let expires_at = row.expires_at;
    let user_id = user.id;
    db::tx(&state.pool, move |conn| {
        attempt.succeeded(conn)?;
        refresh_tokens::insert(conn, &row)?;
        users::touch_login(conn, user_id, now)?;
        Ok(())
    })
    .await?;
    let subject = subject_of(state, user).await?;
    user_tokens(state, subject, (refresh, expires_at), use_cookie, now)
}

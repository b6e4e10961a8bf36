use actix_web::{post, web, HttpResponse};
use api_types::{PasswordChange, TokenResponse};
use uuid::Uuid;

use crate::auth::{password as argon, throttle, Actor, SelfService};
use crate::db::{self, refresh_tokens, users};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::auth::{new_refresh_row, user_subject, user_tokens};
use crate::routes::users::check_password;
use crate::state::AppState;

/// Replace your password. Required before anything else when an administrator set it (every
/// other call answers 403 `password_change_required` until then). Ends every other session of
/// the account and answers with the tokens of a new one (with `use_cookie`, as at login).
/// Wrong current passwords count as failed logins of the account.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Password replaced; the tokens of the new session.", body = TokenResponse),
        (status = 403, description = "API clients have no password (`forbidden`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account changed at the same time (`concurrent_update`); retry.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password (`invalid_password`), new one too short, too long or the same (`too_short`, `too_long`, `same_password`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts on this account; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/me/password")]
pub async fn password(
    state: web::Data<AppState>,
    SelfService(caller): SelfService,
    body: web::Json<PasswordChange>,
) -> ApiResult<HttpResponse> {
    let Actor::User(id) = caller.actor else {
        return Err(ApiError::forbidden());
    };
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    check_password("new_password", &b.new_password, &mut errs);
    if b.new_password == b.current_password {
        errs.add(
            "new_password",
            "same_password",
            "Choose a password different from the current one.",
        );
    }
    errs.finish()?;
    let now = state.clock.now();
    let user = db::run(&state.pool, move |conn| Ok(users::get(conn, id)?))
        .await?
        .filter(|u| u.active)
        .ok_or_else(ApiError::token_revoked)?;
    let t = &state.settings.throttle;
    let attempt = state
        .throttle
        .begin(
            &state.pool,
            (
                throttle::key("acct", &user.email),
                t.max_failures_per_account,
            ),
            Vec::new(),
            now,
        )
        .await?;
    let (stored, current, new) = (
        user.password_hash.clone(),
        b.current_password,
        b.new_password,
    );
    let checked = state
        .passwords
        .run(move || argon::verify(&stored, &current).then(|| argon::hash(&new)))
        .await;
    let hash = match checked {
        Ok(Some(h)) => h.map_err(ApiError::internal)?,
        Ok(None) => {
            return Err(ApiError::field(
                "current_password",
                "invalid_password",
                "The current password is not this one.",
            ))
        }
        Err(e) => {
            state.throttle.abandon(&state.pool, attempt).await?;
            return Err(e);
        }
    };
    let st = state.clone();
    let (subject, refresh, expires_at) = db::tx(&state.pool, move |conn| {
        attempt.succeeded(conn)?;
        let mut row = users::get(conn, id)?.ok_or_else(ApiError::token_revoked)?;
        let expected = row.version;
        row.password_hash = hash;
        row.password_change_required = false;
        row.session_version += 1;
        row.updated_at = now;
        row.version += 1;
        let row = users::update(conn, &row, expected)?.ok_or_else(|| {
            ApiError::conflict(
                "concurrent_update",
                "Your account changed at the same time; retry.",
            )
        })?;
        // Every other session ends; this one starts afresh.
        refresh_tokens::revoke_user(conn, id, now)?;
        let (refresh, new_row) = new_refresh_row(&st, id, Uuid::now_v7(), now, now);
        let expires_at = new_row.expires_at;
        refresh_tokens::insert(conn, &new_row)?;
        Ok((user_subject(conn, &row)?, refresh, expires_at))
    })
    .await?;
    state.accounts.forget(caller.actor);
    user_tokens(&state, subject, (refresh, expires_at), b.use_cookie, now)
}

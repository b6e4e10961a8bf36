use actix_web::{post, web, HttpResponse};
use api_types::PasswordSet;

use crate::auth::{password as argon, Actor};
use crate::db::{self, password_tokens, refresh_tokens, users};
use crate::domain::password_links::{self, Unusable};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::users::check_password;
use crate::state::AppState;

fn refused(why: Option<Unusable>) -> ApiError {
    let (code, msg) = match why {
        None => ("invalid_token", "This link is not valid."),
        Some(Unusable::Used) => ("link_used", "This link was already used."),
        Some(Unusable::Expired) => ("link_expired", "This link has expired: ask for a new one."),
        Some(Unusable::Superseded) => (
            "link_superseded",
            "A newer link was sent, or the account is closed.",
        ),
    };
    ApiError::field("token", code, msg)
}

/// Choose a password with the token of an invitation or reset link (single use, one hour).
/// Every session of the account ends; log in with the new password.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordSet,
    responses(
        (status = 204, description = "Password set; log in with it."),
        (status = 409, description = "The account changed at the same time (`concurrent_update`); retry.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The link is unknown, used, expired or replaced by a newer one (`invalid_token`, `link_used`, `link_expired`, `link_superseded` on `token`), or the password is too short or too long (`too_short`, `too_long`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords are being hashed at once (`server_busy`), or the database is unavailable; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/set-password")]
pub async fn set_password(
    state: web::Data<AppState>,
    body: web::Json<PasswordSet>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    if b.token.is_empty() || b.token.len() > 200 {
        errs.add("token", "invalid_token", "This link is not valid.");
    }
    check_password("new_password", &b.new_password, &mut errs);
    errs.finish()?;
    let now = state.clock.now();
    // Checked before hashing (a bad link costs no Argon2), and again under the lock below.
    let token = b.token.clone();
    let found = db::run(&state.pool, move |conn| {
        Ok(password_tokens::find_for_update(conn, &token)?)
    })
    .await?;
    let Some(f) = found else {
        return Err(refused(None));
    };
    password_links::check(f.expires_at, f.used_at, f.superseded, now)
        .map_err(|w| refused(Some(w)))?;
    let new = b.new_password;
    let hash = state
        .passwords
        .run(move || argon::hash(&new))
        .await?
        .map_err(ApiError::internal)?;
    let token = b.token;
    let user_id = db::tx(&state.pool, move |conn| {
        let f = password_tokens::find_for_update(conn, &token)?.ok_or_else(|| refused(None))?;
        password_links::check(f.expires_at, f.used_at, f.superseded, now)
            .map_err(|w| refused(Some(w)))?;
        let mut row = users::get(conn, f.user_id)?.ok_or_else(|| refused(None))?;
        let expected = row.version;
        row.password_hash = hash;
        row.password_change_required = false;
        row.session_version += 1;
        row.updated_at = now;
        row.version += 1;
        users::update(conn, &row, expected)?.ok_or_else(|| {
            ApiError::conflict(
                "concurrent_update",
                "The account changed at the same time; retry.",
            )
        })?;
        refresh_tokens::revoke_user(conn, f.user_id, now)?;
        password_tokens::mark_used(conn, f.id, now)?;
        Ok(f.user_id)
    })
    .await?;
    state.accounts.forget(Actor::User(user_id));
    Ok(HttpResponse::NoContent().finish())
}

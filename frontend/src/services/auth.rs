//! Sessions: `POST /auth/token` (password, refresh), `POST /auth/logout`, `GET /me`,
//! `POST /me/password` (the forced change of a password an administrator set).
use api_types::{LogoutRequest, Me, PasswordChange, TokenRequest, TokenResponse};

use super::http::{self, ApiError};
use crate::logic::password::SESSION_HINT_COOKIE;
use crate::platform;

const TOKEN: &str = "/auth/token";

/// Where a login or a session restore leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    SignedIn(Box<Me>),
    /// The password was set by an administrator: only its replacement is open.
    PasswordChangeRequired,
}

/// Logs in with email and password; the refresh token is set as the HttpOnly cookie.
pub async fn login(email: &str, password: &str) -> Result<Session, ApiError> {
    let body = TokenRequest::Password {
        email: email.trim().to_string(),
        password: password.to_string(),
        use_cookie: true,
    };
    let tokens: TokenResponse = http::request_anonymous(TOKEN, &body, false).await?.json()?;
    http::set_token(Some(tokens.access_token));
    if tokens.password_change_required {
        return Ok(Session::PasswordChangeRequired);
    }
    Ok(Session::SignedIn(Box::new(me().await?)))
}

/// The signed-in user (`GET /me`).
pub async fn me() -> Result<Me, ApiError> {
    http::get("/me").await
}

/// Renews the session from the cookie (page reload); `None` when there is none to renew.
/// Without the hint cookie there is no refresh cookie either: nothing is asked, so a first
/// visit is simply logged out (the API would answer 401 `no_session`).
pub async fn restore() -> Option<Session> {
    if !platform::has_cookie(SESSION_HINT_COOKIE) {
        return None;
    }
    match http::refresh().await? {
        true => Some(Session::PasswordChangeRequired),
        false => me().await.ok().map(|me| Session::SignedIn(Box::new(me))),
    }
}

/// Replaces a password an administrator set; the answer is a new session (cookie included).
pub async fn change_password(current: &str, new: &str) -> Result<Me, ApiError> {
    let body = PasswordChange {
        current_password: current.to_string(),
        new_password: new.to_string(),
        use_cookie: true,
    };
    let tokens: TokenResponse = http::request_anonymous("/me/password", &body, true)
        .await?
        .json()?;
    http::set_token(Some(tokens.access_token));
    me().await
}

/// Logs out: revokes the refresh token (cookie cleared by the server) and forgets the token.
pub async fn logout() {
    let _ = http::request_anonymous("/auth/logout", &LogoutRequest::default(), true).await;
    http::set_token(None);
}

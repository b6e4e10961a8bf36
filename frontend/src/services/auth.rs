//! Sessions: `POST /auth/token` (password, refresh), `POST /auth/logout`, `GET /me`.
use api_types::{LogoutRequest, Me, TokenRequest, TokenResponse};

use super::http::{self, ApiError};

const TOKEN: &str = "/auth/token";

/// Logs in with email and password; the refresh token is set as the HttpOnly cookie.
pub async fn login(email: &str, password: &str) -> Result<Me, ApiError> {
    let body = TokenRequest::Password {
        email: email.trim().to_string(),
        password: password.to_string(),
        use_cookie: true,
    };
    let tokens: TokenResponse = http::request_anonymous(TOKEN, &body, false).await?.json()?;
    http::set_token(Some(tokens.access_token));
    me().await
}

/// The signed-in user (`GET /me`).
pub async fn me() -> Result<Me, ApiError> {
    http::get("/me").await
}

/// Renews the session from the cookie (page reload); `None` when there is none to renew.
pub async fn restore() -> Option<Me> {
    if !http::refresh().await {
        return None;
    }
    me().await.ok()
}

/// Logs out: revokes the refresh token (cookie cleared by the server) and forgets the token.
pub async fn logout() {
    let _ = http::request_anonymous("/auth/logout", &LogoutRequest::default(), true).await;
    http::set_token(None);
}

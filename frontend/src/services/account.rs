//! Password links: `POST /auth/password-reset` (ask for a link) and `POST /auth/set-password`
//! (choose a password with the token of an invitation or reset link). No session needed.
use api_types::{PasswordResetRequest, PasswordSet};

use super::http::{self, ApiError};

/// Asks for a reset link; the answer is the same whether the address has an account or not.
pub async fn request_reset(email: &str) -> Result<(), ApiError> {
    let body = PasswordResetRequest {
        email: email.trim().to_string(),
    };
    http::request_anonymous("/auth/password-reset", &body, false).await?;
    Ok(())
}

/// Sets the password with a link's token; then the user logs in with it.
pub async fn set_password(token: &str, new_password: &str) -> Result<(), ApiError> {
    let body = PasswordSet {
        token: token.to_string(),
        new_password: new_password.to_string(),
    };
    http::request_anonymous("/auth/set-password", &body, false).await?;
    Ok(())
}

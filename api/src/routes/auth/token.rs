use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{TokenRequest, TokenResponse};

use super::{client_grant, password_grant, refresh_grant, refused_with_cookies, REFRESH_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const NO_SESSION: &str = "No session to renew: send refresh_token, or log in.";

/// Obtain tokens.
///
/// People log in with `password` and get a short-lived access token plus a refresh token
/// (rotated on every use; the previous one stays valid for 30 seconds so that two tabs may
/// refresh at once, after which presenting it again revokes the whole session). A session ends
/// after `SAS_REFRESH_TOKEN_TTL_SECONDS` without use (12 h) and `SAS_SESSION_MAX_SECONDS` after
/// the login (7 days) at the latest. With `use_cookie`, the refresh token is set as the
/// HttpOnly cookie `sas_refresh` instead (plus the readable hint `sas_session=1`); a refresh
/// with neither a body token nor the cookie is 401 `no_session`. Partner systems use
/// `client_credentials` and get an access token only. Attempts are counted per account,
/// client and address before the secret is checked; an unknown email and a wrong password get
/// the same answer.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Tokens issued (`password_change_required`: only `POST /api/v1/me/password` is open until the password is replaced).", body = TokenResponse),
        (status = 401, description = "Invalid credentials, refresh token or client (`invalid_credentials`, `invalid_grant`, `invalid_client`), or no session to renew (`no_session`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required field is missing or empty.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = 503, description = "Too many logins are being checked at once (`server_busy`), or the database is unavailable; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    match body.into_inner() {
        TokenRequest::Password {
            email,
            password,
            use_cookie,
        } => password_grant::run(&state, &req, email, password, use_cookie).await,
        TokenRequest::RefreshToken {
            refresh_token,
            use_cookie,
        } => {
            let in_body = refresh_token.filter(|t| !t.is_empty());
            let from_cookie = in_body.is_none();
            let presented = in_body
                .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()))
                .filter(|t| !t.is_empty());
            let Some(presented) = presented else {
                let e = ApiError::unauthorized("no_session", NO_SESSION);
                return Ok(refused_with_cookies(&state, e));
            };
            match refresh_grant::run(&state, presented, use_cookie).await {
                Err(e) if e.status.as_u16() == 401 && (from_cookie || use_cookie) => {
                    Ok(refused_with_cookies(&state, e))
                }
                other => other,
            }
        }
        TokenRequest::ClientCredentials {
            client_id,
            client_secret,
        } => client_grant::run(&state, &req, client_id, client_secret).await,
    }
}

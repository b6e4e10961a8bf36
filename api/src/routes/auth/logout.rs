use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::LogoutRequest;

use super::{clear_cookies, sha256_hex, REFRESH_COOKIE};
use crate::db::{self, refresh_tokens};
use crate::error::ApiResult;
use crate::state::AppState;

/// Log out: revokes the refresh token's session and clears the cookies. Always 204.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<LogoutRequest>, description = "Optional: the refresh token to revoke (else the `sas_refresh` cookie)."),
    responses((status = 204, description = "Logged out (also when the token was unknown)."))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let trimmed = body.trim_ascii();
    let parsed: LogoutRequest = if trimmed.is_empty() || trimmed == b"null" {
        LogoutRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| crate::startup::json_error_from_serde(&e))?
    };
    let presented = parsed
        .refresh_token
        .filter(|t| !t.is_empty())
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()));
    if let Some(tok) = presented {
        let hash = sha256_hex(&tok);
        let now = state.clock.now();
        db::tx(&state.pool, move |conn| {
            if let Some(row) = refresh_tokens::by_hash_for_update(conn, &hash)? {
                refresh_tokens::revoke_family(conn, row.family_id, now)?;
            }
            Ok(())
        })
        .await?;
    }
    let mut res = HttpResponse::NoContent().finish();
    clear_cookies(&state, &mut res);
    Ok(res)
}

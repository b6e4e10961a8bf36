use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{Accepted, PasswordResetRequest};
use chrono::Duration;

use crate::auth::{client_ip, throttle};
use crate::db::{self, password_tokens, users};
use crate::domain::password_links::{may_mail_reset, RESETS_PER_ADDRESS, RESET_WINDOW_MINUTES};
use crate::domain::text;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What every reset request is answered, whether the address has an account or not.
pub const RESET_ACCEPTED: &str = "If an active account uses this address, a link to choose a \
    new password has been sent to it; it works once, within one hour.";

/// Ask for a password-reset link by email. The answer is the same whether the address has an
/// account or not; an account gets at most 3 links an hour (further requests send nothing),
/// and a client address at most 20 requests per throttling window (then 429).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted (the same answer for every address).", body = Accepted),
        (status = 422, description = "Not an email address (`invalid_email`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`too_many_attempts`); see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.into_inner().email.trim().to_lowercase();
    if !text::is_email(&email) {
        return Err(ApiError::field(
            "email",
            "invalid_email",
            "Not an email address.",
        ));
    }
    let s = &state.settings;
    let ip = client_ip::of(&req, s.trust_proxy, s.trust_proxy_hops);
    let now = state.clock.now();
    // Every request counts against the address (never "forgiven"): enumeration and mail
    // floods are bounded.
    let _counted = state
        .throttle
        .begin(
            &state.pool,
            (throttle::key("reset-ip", &ip), RESETS_PER_ADDRESS),
            Vec::new(),
            now,
        )
        .await?;
    db::tx(&state.pool, move |conn| {
        if let Some(u) = users::by_email(conn, &email)?.filter(|u| u.active) {
            let since = now - Duration::minutes(RESET_WINDOW_MINUTES);
            if may_mail_reset(password_tokens::recent_resets(conn, u.id, since)?) {
                password_tokens::issue_and_mail(conn, u.id, "reset", now)?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        detail: RESET_ACCEPTED.into(),
    }))
}

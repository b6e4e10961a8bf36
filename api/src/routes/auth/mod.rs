//! `POST /auth/token` (password, refresh_token, client_credentials grants) and
//! `POST /auth/logout`, with what they share: the refresh token rows and cookies, and the
//! claims of a person's access token.
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, HttpResponse};
use api_types::{Role, TokenResponse};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::jwt::Subject;
use crate::auth::{client_ip, throttle};
use crate::config::Env;
use crate::db::{self, refresh_tokens, structures, users};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

mod client_grant;
pub mod logout;
mod password_grant;
pub mod password_reset;
mod refresh_grant;
pub mod set_password;
pub mod token;

/// The refresh token, HttpOnly: JavaScript never sees it.
pub const REFRESH_COOKIE: &str = "sas_refresh";
/// Readable by JavaScript and holding nothing secret: it only tells the SPA that a refresh
/// cookie was set, so that a first visit does not ask for a session it cannot have.
pub const SESSION_HINT_COOKIE: &str = "sas_session";
const COOKIE_PATH: &str = "/api/v1/auth";
/// A refresh token already rotated is still accepted this long after its rotation, as long
/// as no later rotation happened in its session: two tabs refreshing at once both succeed.
pub const REFRESH_GRACE_SECONDS: i64 = 30;

/// Counts a login attempt against `kind:id` (an account or an API client) and the client's
/// address, before its secret is checked (429 when one is at its limit).
async fn begin_attempt(
    state: &AppState,
    req: &actix_web::HttpRequest,
    kind: &str,
    id: &str,
) -> ApiResult<throttle::Attempt> {
    let s = &state.settings;
    let ip = client_ip::of(req, s.trust_proxy, s.trust_proxy_hops);
    state
        .throttle
        .begin(
            &state.pool,
            (throttle::key(kind, id), s.throttle.max_failures_per_account),
            vec![(throttle::key("ip", &ip), s.throttle.max_failures_per_ip)],
            state.clock.now(),
        )
        .await
}

fn invalid_grant() -> ApiError {
    ApiError::unauthorized(
        "invalid_grant",
        "The refresh token is invalid, expired or already used.",
    )
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A new refresh token of session `family`, begun at `started`: it expires after the idle
/// lifetime, and never after the session's absolute end.
pub fn new_refresh_row(
    state: &AppState,
    user_id: Uuid,
    family_id: Uuid,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (String, refresh_tokens::RefreshTokenRow) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let value = hex::encode(bytes);
    let s = &state.settings.sessions;
    let idle = chrono::Duration::from_std(s.refresh_idle).unwrap_or(chrono::Duration::hours(12));
    let max = chrono::Duration::from_std(s.max_age).unwrap_or(chrono::Duration::days(7));
    let row = refresh_tokens::RefreshTokenRow {
        id: Uuid::now_v7(),
        family_id,
        user_id,
        token_hash: sha256_hex(&value),
        issued_at: now,
        expires_at: (now + idle).min(started + max),
        used_at: None,
        revoked_at: None,
        session_started_at: started,
    };
    (value, row)
}

/// What a person's access token says: roles, structure, a counsellor's territory (its SAS
/// team's) and a pilot's territory, kept apart; session version; temporary password.
pub fn user_subject(conn: &mut diesel::PgConnection, user: &users::UserRow) -> ApiResult<Subject> {
    let has = |r: Role| user.roles.iter().any(|s| s == r.as_str());
    let counsellor_territory = match (has(Role::Counsellor), user.structure_id) {
        (true, Some(sid)) => structures::get(conn, sid)?
            .filter(|s| s.sas_team)
            .and_then(|s| s.territory_id),
        _ => None,
    };
    Ok(Subject {
        id: user.id,
        act: "user",
        roles: user.roles.clone(),
        structure_id: user.structure_id,
        territory_id: counsellor_territory,
        pilot_territory_id: if has(Role::Pilot) {
            user.territory_id
        } else {
            None
        },
        session_version: user.session_version,
        password_change_required: user.password_change_required,
    })
}

/// Reads the claims of `user` (the structure's territory needs the database).
pub async fn subject_of(state: &AppState, user: users::UserRow) -> ApiResult<Subject> {
    db::run(&state.pool, move |conn| user_subject(conn, &user)).await
}

/// The token answer of a person: access token, and the refresh token in the body or as the
/// HttpOnly cookie (with the session hint cookie).
pub fn user_tokens(
    state: &AppState,
    subject: Subject,
    refresh: (String, DateTime<Utc>),
    use_cookie: bool,
    now: DateTime<Utc>,
) -> ApiResult<HttpResponse> {
    let password_change_required = subject.password_change_required;
    let access = state.keys.issue(now, subject).map_err(ApiError::internal)?;
    let mut res = HttpResponse::Ok();
    res.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    let (value, expires_at) = refresh;
    let body_refresh = if use_cookie {
        let max_age = (expires_at - now).num_seconds().max(0);
        res.cookie(refresh_cookie(state, value, max_age));
        res.cookie(hint_cookie(state, max_age));
        None
    } else {
        Some(value)
    };
    Ok(res.json(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: state.keys.access_ttl_secs,
        refresh_token: body_refresh,
        password_change_required,
    }))
}

fn refresh_cookie(state: &AppState, value: String, max_age: i64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.env != Env::Dev)
        .max_age(CookieDuration::seconds(max_age))
        .finish()
}

fn hint_cookie(state: &AppState, max_age: i64) -> Cookie<'static> {
    Cookie::build(SESSION_HINT_COOKIE, "1")
        .path("/")
        .same_site(SameSite::Strict)
        .secure(state.settings.env != Env::Dev)
        .max_age(CookieDuration::seconds(max_age))
        .finish()
}

/// Removal of both cookies (logout, a refresh refused).
pub fn clear_cookies(state: &AppState, res: &mut HttpResponse) {
    for mut c in [
        refresh_cookie(state, String::new(), 0),
        hint_cookie(state, 0),
    ] {
        c.make_removal();
        let _ = res.add_cookie(&c);
    }
}

/// An error answer that also forgets the cookies, so the browser stops presenting them.
fn refused_with_cookies(state: &web::Data<AppState>, e: ApiError) -> HttpResponse {
    use actix_web::ResponseError;
    let mut res = e.error_response();
    clear_cookies(state, &mut res);
    res
}

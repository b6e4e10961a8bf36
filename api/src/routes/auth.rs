//! `POST /auth/token` (password, refresh_token, client_credentials grants) and `POST /auth/logout`.
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{LogoutRequest, Role, TokenRequest, TokenResponse};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::auth::password;
use crate::config::Env;
use crate::db::{self, api_clients, refresh_tokens, structures, users};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const REFRESH_COOKIE: &str = "sas_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

/// Obtain tokens.
///
/// People log in with `password` and get a short-lived access token plus a refresh token
/// (rotated on every use; a reused one revokes its whole family). With `use_cookie`, the
/// refresh token is set as the HttpOnly cookie `sas_refresh` instead. Partner systems use
/// `client_credentials` and get an access token only. Failed attempts are throttled per
/// account, client and IP address; an unknown email and a wrong password get the same answer.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Tokens issued.", body = TokenResponse),
        (status = 401, description = "Invalid credentials or refresh token (`invalid_credentials`, `invalid_grant`, `invalid_client`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A required field is missing or empty.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
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
        } => password_grant(&state, &req, email, password, use_cookie).await,
        TokenRequest::RefreshToken {
            refresh_token,
            use_cookie,
        } => {
            let presented = refresh_token
                .filter(|t| !t.is_empty())
                .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()))
                .ok_or_else(|| {
                    ApiError::field(
                        "refresh_token",
                        "required",
                        "Send refresh_token or the sas_refresh cookie.",
                    )
                })?;
            refresh_grant(&state, presented, use_cookie).await
        }
        TokenRequest::ClientCredentials {
            client_id,
            client_secret,
        } => client_grant(&state, &req, client_id, client_secret).await,
    }
}

/// Log out: revokes the refresh token's family and clears the cookie. Always 204.
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
    let mut res = HttpResponse::NoContent();
    res.cookie(clear_cookie(&state));
    Ok(res.finish())
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "Email or password is incorrect.")
}

fn client_ip(state: &AppState, req: &HttpRequest) -> String {
    let info = req.connection_info();
    let ip = if state.settings.trust_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    ip.unwrap_or("unknown").to_string()
}

fn throttle_check(state: &AppState, keys: &[(&str, u32)], now: DateTime<Utc>) -> ApiResult<()> {
    for (key, max) in keys {
        state
            .throttle
            .check(key, *max, now)
            .map_err(ApiError::too_many)?;
    }
    Ok(())
}

async fn password_grant(
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
    let t = &state.settings.throttle;
    let acct_key = format!("acct:{email}");
    let ip_key = format!("ip:{}", client_ip(state, req));
    throttle_check(
        state,
        &[
            (&acct_key, t.max_failures_per_account),
            (&ip_key, t.max_failures_per_ip),
        ],
        now,
    )?;

    let lookup = email.clone();
    let user = db::run(&state.pool, move |conn| Ok(users::by_email(conn, &lookup)?)).await?;
    // Argon2 runs on the blocking pool; the unknown-email path hashes too (same timing).
    let verified = web::block(move || match user {
        Some(u) => {
            let ok = password::verify(&u.password_hash, &password);
            (ok && u.active).then_some(u)
        }
        None => {
            password::verify_dummy(&password);
            None
        }
    })
    .await?;
    let Some(user) = verified else {
        state.throttle.fail(&acct_key, now);
        state.throttle.fail(&ip_key, now);
        return Err(invalid_credentials());
    };
    state.throttle.clear(&acct_key);

    let family = Uuid::new_v4();
    let (refresh, row) = new_refresh_row(state, user.id, family, now);
    let territory = user_territory(state, &user).await?;
    let user_id = user.id;
    db::tx(&state.pool, move |conn| {
        refresh_tokens::insert(conn, &row)?;
        users::touch_login(conn, user_id, now)?;
        Ok(())
    })
    .await?;
    issue_user_tokens(state, &user, territory, refresh, use_cookie, now)
}

async fn refresh_grant(
    state: &web::Data<AppState>,
    presented: String,
    use_cookie: bool,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let hash = sha256_hex(&presented);
    let st = state.clone();
    let outcome = db::tx(&state.pool, move |conn| {
        let invalid = || {
            ApiError::unauthorized(
                "invalid_grant",
                "The refresh token is invalid, expired or already used.",
            )
        };
        let Some(row) = refresh_tokens::by_hash_for_update(conn, &hash)? else {
            return Ok(Err(invalid()));
        };
        if row.used_at.is_some() {
            // Reuse of a rotated token: someone else may hold the family. Revoke it all.
            refresh_tokens::revoke_family(conn, row.family_id, now)?;
            return Ok(Err(invalid()));
        }
        if row.revoked_at.is_some() || row.expires_at <= now {
            return Ok(Err(invalid()));
        }
        let user = match users::get(conn, row.user_id)? {
            Some(u) if u.active => u,
            _ => return Ok(Err(invalid())),
        };
        refresh_tokens::mark_used(conn, row.id, now)?;
        let (refresh, new_row) = new_refresh_row(&st, user.id, row.family_id, now);
        refresh_tokens::insert(conn, &new_row)?;
        Ok(Ok((user, refresh)))
    })
    .await?;
    let (user, refresh) = outcome?;
    let territory = user_territory(state, &user).await?;
    issue_user_tokens(state, &user, territory, refresh, use_cookie, now)
}

async fn client_grant(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    client_id: String,
    secret: String,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let t = &state.settings.throttle;
    let key = format!("client:{client_id}");
    let ip_key = format!("ip:{}", client_ip(state, req));
    throttle_check(
        state,
        &[
            (&key, t.max_failures_per_account),
            (&ip_key, t.max_failures_per_ip),
        ],
        now,
    )?;
    let lookup = client_id.clone();
    let client = db::run(&state.pool, move |conn| {
        Ok(api_clients::by_client_id(conn, &lookup)?)
    })
    .await?;
    let presented = sha256_hex(&secret);
    let valid = client.filter(|c| {
        c.revoked_at.is_none() && bool::from(c.secret_hash.as_bytes().ct_eq(presented.as_bytes()))
    });
    let Some(client) = valid else {
        state.throttle.fail(&key, now);
        state.throttle.fail(&ip_key, now);
        return Err(ApiError::unauthorized(
            "invalid_client",
            "Unknown client or wrong secret.",
        ));
    };
    let (id, structure_id) = (client.id, client.structure_id);
    db::run(&state.pool, move |conn| {
        Ok(api_clients::touch(conn, id, now)?)
    })
    .await?;
    let access = state
        .keys
        .issue(
            now,
            id,
            "api_client",
            client.roles,
            Some(structure_id),
            None,
        )
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: access,
            token_type: "Bearer".into(),
            expires_in: state.keys.access_ttl_secs,
            refresh_token: None,
        }))
}

/// Territory carried in a user's token: a pilot's own, or a counsellor's SAS team's.
async fn user_territory(state: &AppState, user: &users::UserRow) -> ApiResult<Option<Uuid>> {
    if user.roles.iter().any(|r| r == Role::Pilot.as_str()) && user.territory_id.is_some() {
        return Ok(user.territory_id);
    }
    let Some(sid) = user.structure_id else {
        return Ok(user.territory_id);
    };
    let s = db::run(&state.pool, move |conn| Ok(structures::get(conn, sid)?)).await?;
    Ok(
        s.and_then(|s| if s.sas_team { s.territory_id } else { None })
            .or(user.territory_id),
    )
}

fn new_refresh_row(
    state: &AppState,
    user_id: Uuid,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> (String, refresh_tokens::RefreshTokenRow) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let value = hex::encode(bytes);
    let ttl = chrono::Duration::from_std(state.settings.jwt.refresh_ttl)
        .unwrap_or(chrono::Duration::days(14));
    let row = refresh_tokens::RefreshTokenRow {
        id: Uuid::now_v7(),
        family_id,
        user_id,
        token_hash: sha256_hex(&value),
        issued_at: now,
        expires_at: now + ttl,
        used_at: None,
        revoked_at: None,
    };
    (value, row)
}

fn issue_user_tokens(
    state: &AppState,
    user: &users::UserRow,
    territory: Option<Uuid>,
    refresh: String,
    use_cookie: bool,
    now: DateTime<Utc>,
) -> ApiResult<HttpResponse> {
    let access = state
        .keys
        .issue(
            now,
            user.id,
            "user",
            user.roles.clone(),
            user.structure_id,
            territory,
        )
        .map_err(ApiError::internal)?;
    let mut res = HttpResponse::Ok();
    res.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    let body_refresh = if use_cookie {
        res.cookie(refresh_cookie(state, refresh));
        None
    } else {
        Some(refresh)
    };
    Ok(res.json(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: state.keys.access_ttl_secs,
        refresh_token: body_refresh,
    }))
}

fn refresh_cookie(state: &AppState, value: String) -> Cookie<'static> {
    let max_age = i64::try_from(state.settings.jwt.refresh_ttl.as_secs()).unwrap_or(0);
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.env != Env::Dev)
        .max_age(CookieDuration::seconds(max_age))
        .finish()
}

fn clear_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, String::new());
    c.make_removal();
    c
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

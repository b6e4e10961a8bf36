//! The transport under every service call: [`request`] adds the access token, renews the
//! session once on a 401 (the refresh token is the HttpOnly cookie `sas_refresh`, never seen
//! here), and turns failures into one [`ApiError`] with a French message.
//!
//! The access token lives in memory only (never in `localStorage`): a reload renews it from
//! the cookie. Pages never call this module: they call the typed functions of the sibling
//! modules (`services::referrals::list`, …), one per endpoint. Paths given here are relative
//! to [`API`].
use std::cell::RefCell;

use api_types::{TokenRequest, TokenResponse};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use serde::de::DeserializeOwned;
use serde::Serialize;
use yew::Callback;

pub use crate::logic::error::ApiError;

/// Where the API lives (same origin as the SPA).
pub const API: &str = "/api/v1";
const TOKEN_PATH: &str = "/auth/token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.body).map_err(|_| ApiError::Decode)
    }
}

/// What the transport saw, before error mapping.
struct RawReply {
    status: u16,
    body: String,
    retry_after: Option<u64>,
}

/// A renewed token: `Some(password_change_required)`, or `None` when refused.
type RefreshFuture = Shared<LocalBoxFuture<'static, Option<bool>>>;

thread_local! {
    static ACCESS_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
    static ON_EXPIRED: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

fn token() -> Option<String> {
    ACCESS_TOKEN.with(|t| t.borrow().clone())
}

pub(super) fn set_token(v: Option<String>) {
    ACCESS_TOKEN.with(|t| *t.borrow_mut() = v);
}

/// Called when the session is lost (refresh refused): the app then shows the login page.
pub fn on_session_expired(cb: Callback<()>) {
    ON_EXPIRED.with(|c| *c.borrow_mut() = Some(cb));
}

/// The one request helper. `body` is JSON; `if_match` is the version read (`ETag`).
pub(super) async fn request(
    method: Method,
    path: &str,
    body: Option<String>,
    if_match: Option<i32>,
) -> Result<Reply, ApiError> {
    let first = transport(method, path, body.clone(), if_match, token()).await?;
    let raw = if first.status == 401 {
        // Renew once (shared by concurrent callers: the refresh token rotates).
        if refresh().await.is_some() {
            transport(method, path, body, if_match, token()).await?
        } else {
            expire();
            return Err(ApiError::SessionExpired);
        }
    } else {
        first
    };
    if raw.status == 401 {
        expire();
        return Err(ApiError::SessionExpired);
    }
    finish(raw)
}

/// A request without the session (login, logout): no renewal on a 401.
pub(super) async fn request_anonymous<B: Serialize>(
    path: &str,
    body: &B,
    with_token: bool,
) -> Result<Reply, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    let bearer = if with_token { token() } else { None };
    finish(transport(Method::Post, path, Some(json), None, bearer).await?)
}

fn finish(raw: RawReply) -> Result<Reply, ApiError> {
    if raw.status >= 400 {
        Err(ApiError::from_response(
            raw.status,
            &raw.body,
            raw.retry_after,
        ))
    } else {
        Ok(Reply {
            status: raw.status,
            body: raw.body,
        })
    }
}

fn expire() {
    set_token(None);
    if let Some(cb) = ON_EXPIRED.with(|c| c.borrow().clone()) {
        cb.emit(());
    }
}

pub(super) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    request(Method::Get, path, None, None).await?.json()
}

pub(super) async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
    if_match: Option<i32>,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    request(method, path, Some(json), if_match).await?.json()
}

/// A POST whose answer body is not needed (administrative actions such as deactivate).
pub(super) async fn post<B: Serialize>(path: &str, body: &B) -> Result<Reply, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Decode)?;
    request(Method::Post, path, Some(json), None).await
}

/// Asks for a new access token with the `sas_refresh` cookie; one request at a time.
/// `Some(password_change_required)` when renewed, `None` when refused.
pub(super) async fn refresh() -> Option<bool> {
    let fut = REFRESHING.with(|r| {
        r.borrow_mut()
            .get_or_insert_with(|| {
                async {
                    let ok = refresh_once().await;
                    REFRESHING.with(|r| *r.borrow_mut() = None);
                    ok
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    fut.await
}

/// A 401 (`no_session`, `invalid_grant`) is the ordinary logged-out state, not an error.
async fn refresh_once() -> Option<bool> {
    let body = TokenRequest::RefreshToken {
        refresh_token: None,
        use_cookie: true,
    };
    match request_anonymous(TOKEN_PATH, &body, false).await {
        Ok(reply) if reply.status == 200 => {
            let t = reply.json::<TokenResponse>().ok()?;
            set_token(Some(t.access_token));
            Some(t.password_change_required)
        }
        _ => None,
    }
}

#[cfg(target_arch = "wasm32")]
async fn transport(
    method: Method,
    path: &str,
    body: Option<String>,
    if_match: Option<i32>,
    bearer: Option<String>,
) -> Result<RawReply, ApiError> {
    use gloo_net::http::Request;
    let url = format!("{API}{path}");
    let mut b = match method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Put => Request::put(&url),
        Method::Patch => Request::patch(&url),
        Method::Delete => Request::delete(&url),
    }
    .header("Accept", "application/json, application/problem+json");
    if let Some(t) = bearer {
        b = b.header("Authorization", &format!("Bearer {t}"));
    }
    if let Some(v) = if_match {
        b = b.header("If-Match", &format!("\"{v}\""));
    }
    let req = match body {
        Some(json) => b
            .header("Content-Type", "application/json")
            .body(json)
            .map_err(|_| ApiError::Network)?,
        None => b.build().map_err(|_| ApiError::Network)?,
    };
    let res = req.send().await.map_err(|_| ApiError::Network)?;
    let status = res.status();
    let retry_after = res
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let body = res.text().await.unwrap_or_default();
    Ok(RawReply {
        status,
        body,
        retry_after,
    })
}

/// On the host there is no browser: every call fails as if offline.
#[cfg(not(target_arch = "wasm32"))]
async fn transport(
    _method: Method,
    _path: &str,
    _body: Option<String>,
    _if_match: Option<i32>,
    _bearer: Option<String>,
) -> Result<RawReply, ApiError> {
    Err(ApiError::Network)
}

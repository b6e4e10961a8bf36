//! `Idempotency-Key` on creating POSTs (API.md): same key and body → the same stored answer,
//! no second row; same key with another body → 422; kept 24 hours. The key is claimed in the
//! write's own transaction, so concurrent retries wait for the first and then replay it.
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::db::idempotency;
use crate::error::{ApiError, ApiResult};

pub const HEADER: &str = "Idempotency-Key";
/// What a key may be (OpenAPI `pattern`): visible ASCII, spaces inside only, 1 to 255.
pub const KEY_PATTERN: &str = "^[!-~]([ -~]*[!-~])?$";
pub const KEY_MAX_LENGTH: usize = 255;

#[derive(Debug, Clone)]
pub struct IdemKey {
    caller: String,
    key: String,
    hash: String,
}

/// A stored answer to replay.
#[derive(Debug, Clone)]
pub struct Replay {
    pub status: u16,
    pub location: Option<String>,
    pub body: serde_json::Value,
}

/// Reads the header (if any) and fingerprints the parsed request body.
pub fn key<B: Serialize>(
    req: &HttpRequest,
    caller: &Caller,
    body: &B,
) -> ApiResult<Option<IdemKey>> {
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = raw
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 visible characters.",
            )
        })?;
    let canonical = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let mut h = Sha256::new();
    h.update(req.method().as_str().as_bytes());
    h.update(req.path().as_bytes());
    h.update(&canonical);
    Ok(Some(IdemKey {
        caller: caller.actor.key(),
        key: key.to_string(),
        hash: hex::encode(h.finalize()),
    }))
}

/// Claims the key inside the write's transaction. `Ok(Some(replay))` when it was used before
/// with the same body.
fn claim(conn: &mut PgConnection, k: &IdemKey, now: DateTime<Utc>) -> ApiResult<Option<Replay>> {
    let Some(stored) = idempotency::claim(conn, &k.caller, &k.key, &k.hash, now)? else {
        return Ok(None);
    };
    if stored.request_hash != k.hash {
        return Err(ApiError::field(
            HEADER,
            "idempotency_key_reused",
            "This Idempotency-Key was used with another request body.",
        ));
    }
    match (stored.status_code, stored.response_body) {
        (Some(status), Some(body)) => Ok(Some(Replay {
            status: u16::try_from(status).unwrap_or(200),
            location: stored.location,
            body,
        })),
        _ => Err(ApiError::internal(
            "idempotency key claimed without a stored answer",
        )),
    }
}

fn complete(
    conn: &mut PgConnection,
    k: &IdemKey,
    status: u16,
    location: Option<&str>,
    body: &serde_json::Value,
) -> ApiResult<()> {
    idempotency::complete(conn, &k.caller, &k.key, i32::from(status), location, body)?;
    Ok(())
}

fn respond(r: Replay, replayed: bool) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK));
    if let Some(l) = r.location {
        res.insert_header((header::LOCATION, l));
    }
    if replayed {
        res.insert_header(("Idempotent-Replayed", "true"));
    }
    res.json(r.body)
}

/// Runs `create` (returning the new resource's location and body) at most once per key, in
/// the caller's transaction. Returns the answer and whether it is a replay.
pub fn once(
    conn: &mut PgConnection,
    idem: Option<&IdemKey>,
    now: DateTime<Utc>,
    create: impl FnOnce(&mut PgConnection) -> ApiResult<(String, serde_json::Value)>,
) -> ApiResult<(Replay, bool)> {
    if let Some(k) = idem {
        if let Some(r) = claim(conn, k, now)? {
            return Ok((r, true));
        }
    }
    let (location, body) = create(conn)?;
    if let Some(k) = idem {
        complete(conn, k, 201, Some(&location), &body)?;
    }
    Ok((
        Replay {
            status: 201,
            location: Some(location),
            body,
        },
        false,
    ))
}

/// 201 (or the replayed status) with `Location`, and `ETag` when the body carries a version.
pub fn created_response((r, replayed): (Replay, bool)) -> HttpResponse {
    let version = r.body["version"]
        .as_i64()
        .and_then(|v| i32::try_from(v).ok());
    let mut res = respond(r, replayed);
    if let Some(v) = version {
        if let Ok(h) = header::HeaderValue::from_str(&crate::routes::support::etag(v)) {
            res.headers_mut().insert(header::ETAG, h);
        }
    }
    res
}

pub fn to_body<T: Serialize>(v: &T) -> ApiResult<serde_json::Value> {
    serde_json::to_value(v).map_err(ApiError::internal)
}

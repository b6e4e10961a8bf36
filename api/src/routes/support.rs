//! Small helpers shared by the handlers: paging, versions (ETag / If-Match), created answers.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// `limit` query parameter: default 20, 1 to 100.
pub fn limit(l: Option<i64>) -> ApiResult<i64> {
    match l {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => {
            let mut e = ApiError::bad_request("invalid_limit", "limit must be between 1 and 100.");
            e.errors = vec![api_types::FieldError::new(
                "limit",
                "out_of_range",
                "limit must be between 1 and 100.",
            )];
            Err(e)
        }
    }
}

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// `If-Match`: the version a client read, or `*` (any current version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    Any,
    Version(i32),
}

impl Precondition {
    /// The version to write against: 412 when the client's is not `current`.
    pub fn check(self, current: i32) -> ApiResult<i32> {
        match self {
            Precondition::Any => Ok(current),
            Precondition::Version(v) if v == current => Ok(v),
            Precondition::Version(_) => Err(ApiError::precondition_failed()),
        }
    }
}

/// The `If-Match` values this API accepts (OpenAPI `pattern`): `*`, or a version as its ETag
/// gives it (`"3"`, weak `W/"3"` too).
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,9}")$"#;

const MSG_IF_MATCH: &str = r#"If-Match is the ETag you read ("3") or *."#;

/// Reads `If-Match`: 428 when absent, 400 when it is not of the declared format.
pub fn if_match(req: &HttpRequest) -> ApiResult<Precondition> {
    let invalid = || ApiError::bad_request("invalid_if_match", MSG_IF_MATCH);
    let raw = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or_else(ApiError::precondition_required)?
        .to_str()
        .map_err(|_| invalid())?
        .trim();
    if raw == "*" {
        return Ok(Precondition::Any);
    }
    let raw = raw.strip_prefix("W/").unwrap_or(raw);
    let digits = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|d| (1..=9).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(invalid)?;
    digits
        .parse()
        .map(Precondition::Version)
        .map_err(|_| invalid())
}

pub fn ok_versioned<T: Serialize>(body: &T, version: i32) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

pub fn created<T: Serialize>(location: String, body: &T, version: Option<i32>) -> HttpResponse {
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, location));
    if let Some(v) = version {
        res.insert_header((header::ETAG, etag(v)));
    }
    res.json(body)
}

/// Trims an optional text field; empty becomes `None`.
pub fn opt_text(v: Option<String>) -> Option<String> {
    v.and_then(|s| crate::domain::text::clean(&s))
}

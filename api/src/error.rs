//! The one error type of the API: every 4xx/5xx leaves as `application/problem+json` with a
//! stable `code`. Causes of 5xx are logged with their chain and never returned.
use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use api_types::{FieldError, Problem};

pub const PROBLEM_JSON: &str = "application/problem+json";

const PASSWORD_CHANGE_REQUIRED: &str = "Your password was set by an administrator: \
    choose your own with POST /api/v1/me/password.";
const TOKEN_REVOKED: &str = "This session has ended (account deactivated, access changed or \
    password reset): refresh or log in again.";

/// Boxed so that `Result<_, ApiError>` stays one pointer wide on the happy path.
#[derive(Debug)]
pub struct ApiError(Box<ApiErrorInner>);

#[derive(Debug)]
pub struct ApiErrorInner {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
    pub allow: Option<String>,
    /// Sent (even empty) with `illegal_transition` and `already_taken`.
    pub allowed_transitions: Option<Vec<String>>,
    /// Sent with `outcome_not_allowed` and a missing outcome.
    pub allowed_outcomes: Option<Vec<String>>,
    /// Internal cause, logged for 5xx, never sent.
    pub cause: Option<String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError(Box::new(ApiErrorInner {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            allow: None,
            allowed_transitions: None,
            allowed_outcomes: None,
            cause: None,
        }))
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this action.",
        )
    }

    /// The caller's password was set by an administrator: only `POST /api/v1/me/password`.
    pub fn password_change_required() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            PASSWORD_CHANGE_REQUIRED,
        )
    }

    /// The token's session ended (account deactivated or revoked, roles or password changed).
    pub fn token_revoked() -> ApiError {
        ApiError::unauthorized("token_revoked", TOKEN_REVOKED)
    }

    /// Too many password checks are waiting: 503 with `Retry-After`.
    pub fn busy() -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_busy",
            "Too many logins are being checked right now; try again in a moment.",
        );
        e.retry_after = Some(1);
        e
    }

    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such resource, or it is outside your scope.",
        )
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, detail)
    }

    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "The request is well-formed but some fields are invalid.",
        );
        e.errors = errors;
        e
    }

    pub fn field(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::validation(vec![FieldError::new(field, code, message)])
    }

    pub fn precondition_failed() -> ApiError {
        ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            "The resource changed since you read it: reload it and apply your change again.",
        )
    }

    pub fn precondition_required() -> ApiError {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "This resource is edited by several people: send its version in If-Match.",
        )
    }

    pub fn too_many(retry_after: u64) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "Too many failed attempts; try again later.",
        );
        e.retry_after = Some(retry_after.max(1));
        e
    }

    /// Too many requests from this client address on the public endpoints.
    pub fn rate_limited(retry_after: u64) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests from your address; try again after Retry-After seconds.",
        );
        e.retry_after = Some(retry_after.max(1));
        e
    }

    pub fn unavailable(cause: impl fmt::Display) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "The database is unavailable; try again shortly.",
        );
        e.retry_after = Some(5);
        e.cause = Some(cause.to_string());
        e
    }

    pub fn internal(cause: impl fmt::Display) -> ApiError {
        let mut e = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "An unexpected error occurred; it has been logged.",
        );
        e.cause = Some(cause.to_string());
        e
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("urn:sas:problem:{}", self.code),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
            errors: self.errors.clone(),
            allowed_transitions: self.allowed_transitions.clone(),
            allowed_outcomes: self.allowed_outcomes.clone(),
        }
    }
}

impl std::ops::Deref for ApiError {
    type Target = ApiErrorInner;
    fn deref(&self) -> &ApiErrorInner {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorInner {
        &mut self.0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)?;
        if let Some(c) = &self.cause {
            write!(f, " (cause: {c})")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.status.is_server_error() {
            log::error!("{self}");
        }
        let mut res = HttpResponse::build(self.status);
        res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, s.to_string()));
        }
        if let Some(a) = &self.allow {
            res.insert_header((header::ALLOW, a.clone()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"sas\""));
        }
        res.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match e {
            E::NotFound => ApiError::not_found(),
            // Postgres refuses NUL characters in text: the client's input, not our fault.
            E::DatabaseError(_, info)
                if info.message().contains("invalid byte sequence")
                    || info.message().contains("character not in repertoire") =>
            {
                ApiError::bad_request(
                    "invalid_character",
                    "A text contains a character that cannot be stored (NUL).",
                )
            }
            E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, info) => {
                ApiError::unavailable(info.message())
            }
            E::DatabaseError(K::SerializationFailure, _) => {
                let mut e = ApiError::conflict(
                    "concurrent_update",
                    "Another change happened at the same time; retry.",
                );
                e.retry_after = Some(1);
                e
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> ApiError {
        ApiError::unavailable(e)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> ApiError {
        ApiError::internal(e)
    }
}

/// Collects field errors while parsing a request, then fails once with all of them.
#[derive(Debug, Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errs: validator::ValidationErrors) -> ApiError {
        let mut out = FieldErrors::default();
        for (field, list) in errs.field_errors() {
            for e in list {
                out.add(
                    field.to_string(),
                    &e.code,
                    e.message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("{field} is invalid ({})", e.code)),
                );
            }
        }
        ApiError::validation(out.0)
    }
}

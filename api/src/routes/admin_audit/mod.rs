//! The administrative audit: every administrative write records who did what, on what, what
//! changed and why, in its own transaction (`record`), and admins read it at
//! `GET /api/v1/admin-audit`. The `reason` is required on every administrative write (422
//! `required` without it); see docs/API-DESIGN.md.
use actix_web::http::header;
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::Serialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::db::admin_audit::{self, NewAuditRow};
use crate::domain::text;
use crate::error::{ApiError, ApiResult, FieldErrors};

pub mod list;

pub const MAX_REASON: usize = 500;

/// Checks a `reason` (trimmed, 1 to 500 characters), adding the field error to `errs`.
pub fn check_reason(raw: &str, errs: &mut FieldErrors) -> String {
    match text::clean(raw) {
        Some(r) if r.chars().count() <= MAX_REASON => r,
        Some(_) => {
            errs.add("reason", "too_long", "At most 500 characters.");
            String::new()
        }
        None => {
            errs.add(
                "reason",
                "required",
                "Say why: administrative actions are audited.",
            );
            String::new()
        }
    }
}

const MSG_READ_REASON: &str =
    "Say why you read this young person's data: pass `reason` (1 to 500 characters).";

/// The `reason` query parameter of an administrator's read of personal data (a referral, an
/// export): 422 `reason_required` when absent or blank, `too_long` past 500 characters.
pub fn read_reason(raw: Option<&str>) -> ApiResult<String> {
    use crate::domain::personal_data::{reason, ReasonRefusal};
    match reason(raw) {
        Ok(r) => Ok(r),
        Err(ReasonRefusal::Missing) => {
            let mut e = ApiError::field("reason", "reason_required", MSG_READ_REASON);
            e.code = "reason_required";
            e.detail = MSG_READ_REASON.to_string();
            Err(e)
        }
        Err(ReasonRefusal::TooLong) => Err(ApiError::field(
            "reason",
            "too_long",
            "At most 500 characters.",
        )),
    }
}

/// The body of an action without other fields (deactivate, reactivate, revoke): an empty body
/// is a missing `reason` (422), like `{}`.
pub fn action_reason(req: &HttpRequest, body: &[u8]) -> ApiResult<String> {
    let trimmed = body.trim_ascii();
    let parsed: api_types::AdminAction = if trimmed.is_empty() {
        api_types::AdminAction::default()
    } else {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || m.ends_with("+json")
            });
        if !json {
            return Err(ApiError::new(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json.",
            ));
        }
        serde_json::from_slice(trimmed).map_err(|e| crate::startup::json_error_from_serde(&e))?
    };
    let mut errs = FieldErrors::default();
    let reason = check_reason(&parsed.reason, &mut errs);
    errs.finish()?;
    Ok(reason)
}

/// `{field: {"from": …, "to": …}}`, only for fields that changed.
#[derive(Debug, Default)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn field<T: Serialize + PartialEq>(&mut self, name: &str, from: &T, to: &T) {
        if from != to {
            self.0
                .insert(name.to_string(), json!({ "from": from, "to": to }));
        }
    }

    /// A creation: the initial value.
    pub fn set<T: Serialize>(&mut self, name: &str, to: &T) {
        self.0.insert(name.to_string(), json!({ "to": to }));
    }

    /// A secret changed: only that it did.
    pub fn secret(&mut self, name: &str, what: &str) {
        self.0.insert(name.to_string(), json!(what));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// What `record` needs to know about one action.
pub struct Entry<'a> {
    /// The administrator; `None` for the system itself.
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Uuid,
    pub changes: Changes,
    pub reason: &'a str,
}

/// Appends the audit row, in the transaction of the action.
pub fn record(conn: &mut PgConnection, e: Entry<'_>, now: DateTime<Utc>) -> ApiResult<()> {
    admin_audit::insert(
        conn,
        &NewAuditRow {
            id: Uuid::now_v7(),
            occurred_at: now,
            actor_user_id: e.actor,
            action: e.action.to_string(),
            target_type: e.target_type.to_string(),
            target_id: e.target_id,
            changes: e.changes.into_value(),
            reason: e.reason.to_string(),
        },
    )?;
    Ok(())
}

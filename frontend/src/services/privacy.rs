//! Privacy operations (issue 15), administrators only: the read of a referral with a motif
//! (`GET /referrals/{id}?reason=`), the export of everything SAS holds about a young person
//! (`GET /youths/{id}/export?reason=`, JSON or `&format=html`), their erasure
//! (`POST /youths/{id}/erase`) and the retention runs (`GET /admin/retention-runs`, newest first, `cursor` paged).
//!
//! The answers are read into the types below, which hold only what the pages show (serde
//! ignores the rest): the administrator's page does not depend on the whole `Referral`.
use std::collections::BTreeMap;

use api_types::{Outcome, Status, StructureRef};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;
use crate::logic::query::with_query;

/// The young person of a referral read by an administrator.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReadYouth {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// A placeholder once anonymised: not shown then.
    pub birth_date: NaiveDate,
    #[serde(default)]
    pub commune_name: String,
    /// Set once the youth is anonymised (retention or erasure).
    #[serde(default)]
    pub anonymised_at: Option<DateTime<Utc>>,
}

/// A referral read by an administrator (the fields the page shows).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReadReferral {
    pub id: Uuid,
    pub status: Status,
    pub youth: ReadYouth,
    pub prescriber_structure: Option<StructureRef>,
    pub outcome: Option<Outcome>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What an erasure answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Erasure {
    pub youth_id: Uuid,
    pub anonymised_at: DateTime<Utc>,
    /// Referrals of the youth anonymised.
    pub referrals: i64,
}

#[derive(Serialize)]
struct EraseBody<'a> {
    reason: &'a str,
}

/// One run of the retention job.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RetentionRun {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub retention_months: i32,
    pub access_log_retention_months: i32,
    pub anonymised: i64,
    pub access_logs_purged: i64,
    /// Youths left as they were, by reason code (the API's `RetentionSkipped`, an object of
    /// counts: read as a map so that a new reason still shows).
    #[serde(default)]
    pub skipped: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RetentionRunPage {
    items: Vec<RetentionRun>,
    next_cursor: Option<String>,
}

/// Rows per page of the retention runs.
pub const RUNS_PAGE_SIZE: &str = "20";

pub fn referral_path(id: Uuid, reason: &str) -> String {
    with_query(&format!("/referrals/{id}"), &[("reason", reason)])
}

pub fn export_path(youth: Uuid, reason: &str, html: bool) -> String {
    with_query(
        &format!("/youths/{youth}/export"),
        &[
            ("reason", reason),
            ("format", if html { "html" } else { "" }),
        ],
    )
}

pub fn runs_path(cursor: Option<&str>) -> String {
    with_query(
        "/admin/retention-runs",
        &[
            ("limit", RUNS_PAGE_SIZE),
            ("cursor", cursor.unwrap_or_default()),
        ],
    )
}

/// Reads a referral's personal data, giving why (access-logged with the motif).
pub async fn read_referral(id: Uuid, reason: &str) -> Result<ReadReferral, ApiError> {
    http::get(&referral_path(id, reason)).await
}

/// Everything SAS holds about the young person, as the API's text (JSON, or the readable
/// HTML document): the page saves it as a file.
pub async fn export(youth: Uuid, reason: &str, html: bool) -> Result<String, ApiError> {
    Ok(
        http::request(Method::Get, &export_path(youth, reason, html), None, None)
            .await?
            .body,
    )
}

/// Anonymises the young person at once, giving why.
pub async fn erase(youth: Uuid, reason: String) -> Result<Erasure, ApiError> {
    http::send(
        Method::Post,
        &format!("/youths/{youth}/erase"),
        &EraseBody { reason: &reason },
        None,
    )
    .await
}

/// A page of retention runs, newest first.
pub async fn runs(_: (), cursor: Option<String>) -> Result<Paged<RetentionRun>, ApiError> {
    let page: RetentionRunPage = http::get(&runs_path(cursor.as_deref())).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b7c3e1a-4f2d-4c8e-9a51-2d3f6e7a8b90";

    #[test]
    fn the_motif_travels_in_the_query() {
        let id = Uuid::parse_str(ID).unwrap();
        assert_eq!(
            referral_path(id, "Demande d’accès"),
            format!("/referrals/{ID}?reason=Demande%20d%E2%80%99acc%C3%A8s")
        );
        assert_eq!(
            export_path(id, "droit d'accès", false),
            format!("/youths/{ID}/export?reason=droit%20d%27acc%C3%A8s")
        );
        assert_eq!(
            export_path(id, "x", true),
            format!("/youths/{ID}/export?reason=x&format=html")
        );
        assert_eq!(runs_path(None), "/admin/retention-runs?limit=20");
        assert_eq!(
            runs_path(Some("abc")),
            "/admin/retention-runs?limit=20&cursor=abc"
        );
    }

    #[test]
    fn an_anonymised_youth_and_a_run_are_read_from_the_apis_shapes() {
        let y: ReadYouth = serde_json::from_str(&format!(
            r#"{{"id":"{ID}","anonymised_at":"2028-03-01T02:00:00Z","first_name":"","last_name":"",
            "birth_date":"1900-01-01","age":0,"phone":null,"email":null,"commune_insee":"69123",
            "commune_name":"Lyon","contact_channels":[],"contact_via_prescriber_only":false,
            "legal_representative":null}}"#
        ))
        .unwrap();
        assert!(y.anonymised_at.is_some());
        let run: RetentionRun = serde_json::from_str(&format!(
            r#"{{"id":"{ID}","started_at":"2028-03-01T02:00:00Z","finished_at":null,
            "retention_months":24,"access_log_retention_months":12,"anonymised":17,
            "access_logs_purged":5230,"skipped":{{"open_referral":3,"relay_in_progress":1}}}}"#
        ))
        .unwrap();
        assert_eq!(run.skipped.get("open_referral"), Some(&3));
    }
}

//! Diagnostic versions: each save appends one (the latest counts); never updated.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::schema::diagnostics;
use crate::db::sql::Sql;
use crate::ids::{ReferralId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = diagnostics, check_for_backend(diesel::pg::Pg))]
pub struct DiagnosticRow {
    pub referral_id: ReferralId,
    pub version: i32,
    pub content: serde_json::Value,
    pub shared_summary: Option<String>,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<UserId>,
    pub blanked_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, row: &DiagnosticRow) -> QueryResult<DiagnosticRow> {
    diesel::insert_into(diagnostics::table)
        .values(row)
        .returning(DiagnosticRow::as_returning())
        .get_result(conn)
}

/// The current version number (0: nothing saved).
pub fn current_version(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<i32> {
    diagnostics::table
        .filter(diagnostics::referral_id.eq(referral))
        .select(diesel::dsl::max(diagnostics::version))
        .first::<Option<i32>>(conn)
        .map(|v| v.unwrap_or(0))
}

/// A version with its author's name.
#[derive(Debug, Clone, QueryableByName)]
pub struct VersionView {
    #[diesel(sql_type = Int4)]
    pub version: i32,
    #[diesel(sql_type = Jsonb)]
    pub content: serde_json::Value,
    #[diesel(sql_type = Nullable<Text>)]
    pub shared_summary: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub saved_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub saved_by: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub saved_by_name: Option<String>,
}

/// Versions latest first, below `before` (keyset on the version).
pub fn versions(
    conn: &mut PgConnection,
    referral: ReferralId,
    before: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<VersionView>> {
    let mut q = Sql::default();
    let rid = q.uuid(referral);
    let before = match before {
        Some(v) => format!("AND d.version < {}", q.int(i64::from(v))),
        None => String::new(),
    };
    let limit = q.int(limit);
    q.push(&format!(
        "SELECT d.version, CASE WHEN d.blanked_at IS NULL THEN d.content ELSE '{{}}'::jsonb END AS content, \
           CASE WHEN d.blanked_at IS NULL THEN d.shared_summary END AS shared_summary, \
           d.saved_at, d.saved_by, u.first_name || ' ' || u.last_name AS saved_by_name \
         FROM diagnostics d LEFT JOIN users u ON u.id = d.saved_by \
         WHERE d.referral_id = {rid} {before} ORDER BY d.version DESC LIMIT {limit}"
    ));
    q.load(conn)
}

/// The latest version, if any (what a relay shares: `domain::diagnostic::for_receiver`).
pub fn latest(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Option<DiagnosticRow>> {
    diagnostics::table
        .filter(diagnostics::referral_id.eq(referral))
        .order(diagnostics::version.desc())
        .select(DiagnosticRow::as_select())
        .first(conn)
        .optional()
}

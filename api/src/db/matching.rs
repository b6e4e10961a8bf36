//! Matching: the candidates (the search's own statement, with the matching's extra filters)
//! and the services a counsellor set aside for a referral (`match_exclusions`), which the
//! relay step reads through [`exclusions`].
use api_types::ExclusionReason;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};

use crate::db::services::{self, Hit, Search};
use crate::ids::{ReferralId, ServiceId, UserId};

/// A service set aside for a referral, with its name.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct Exclusion {
    #[diesel(sql_type = SqlUuid)]
    pub referral_id: ReferralId,
    #[diesel(sql_type = SqlUuid)]
    pub service_id: ServiceId,
    #[diesel(sql_type = Text)]
    pub service_nom: String,
    #[diesel(sql_type = Text)]
    pub reason: ExclusionReason,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub excluded_by: Option<UserId>,
    #[diesel(sql_type = Timestamptz)]
    pub excluded_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT e.referral_id, e.service_id, s.nom AS service_nom, e.reason, \
    e.note, e.excluded_by, e.excluded_at FROM match_exclusions e JOIN services s ON s.id = e.service_id";

/// The services set aside for `referral`, latest first (what the relay step reads).
pub fn exclusions(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Vec<Exclusion>> {
    diesel::sql_query(format!(
        "{SELECT} WHERE e.referral_id = $1 ORDER BY e.excluded_at DESC, e.service_id"
    ))
    .bind::<SqlUuid, _>(referral)
    .load(conn)
}

/// One exclusion.
pub fn exclusion(
    conn: &mut PgConnection,
    referral: ReferralId,
    service: ServiceId,
) -> QueryResult<Option<Exclusion>> {
    diesel::sql_query(format!(
        "{SELECT} WHERE e.referral_id = $1 AND e.service_id = $2"
    ))
    .bind::<SqlUuid, _>(referral)
    .bind::<SqlUuid, _>(service)
    .get_result(conn)
    .optional()
}

/// Records an exclusion unless one stands for the same service: `true` when this call
/// created it (a retry or a second click answers the existing one).
pub fn exclude(
    conn: &mut PgConnection,
    referral: ReferralId,
    service: ServiceId,
    reason: ExclusionReason,
    note: Option<&str>,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::sql_query(
        "INSERT INTO match_exclusions (referral_id, service_id, reason, note, excluded_by, excluded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (referral_id, service_id) DO NOTHING",
    )
    .bind::<SqlUuid, _>(referral)
    .bind::<SqlUuid, _>(service)
    .bind::<Text, _>(reason)
    .bind::<Nullable<Text>, _>(note)
    .bind::<Nullable<SqlUuid>, _>(by)
    .bind::<Timestamptz, _>(at)
    .execute(conn)
    .map(|n| n == 1)
}

/// Undoes an exclusion: `true` when there was one.
pub fn restore(
    conn: &mut PgConnection,
    referral: ReferralId,
    service: ServiceId,
) -> QueryResult<bool> {
    diesel::sql_query("DELETE FROM match_exclusions WHERE referral_id = $1 AND service_id = $2")
        .bind::<SqlUuid, _>(referral)
        .bind::<SqlUuid, _>(service)
        .execute(conn)
        .map(|n| n == 1)
}

/// The candidates of a matching: the search's statement (zone, age, published, the box and
/// the remote services of the zone, any of the needs' thematiques), not full, without the
/// services in `exclude`, nearest first, at most `p.limit`.
pub fn candidates(conn: &mut PgConnection, p: &Search) -> QueryResult<Vec<Hit>> {
    services::search(conn, p)
}

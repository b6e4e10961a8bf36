//! Access logs are written by [`crate::db::journal`]; they are append-only, and only the
//! retention job removes old ones, through the database function below.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};

#[derive(QueryableByName)]
struct Purged {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Deletes the access logs older than `cutoff` — never those of the last 12 months, whatever
/// `cutoff` says (the database function `sas_purge_access_logs` enforces it; it is the only
/// way an access log is ever deleted). Returns how many were removed.
pub fn purge_older_than(conn: &mut PgConnection, cutoff: DateTime<Utc>) -> QueryResult<i64> {
    diesel::sql_query("SELECT sas_purge_access_logs($1) AS n")
        .bind::<Timestamptz, _>(cutoff)
        .get_result::<Purged>(conn)
        .map(|p| p.n)
}

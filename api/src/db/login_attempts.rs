//! Login attempts per throttling key over a sliding window, shared by every instance. An
//! attempt is reserved (counted) before the password is checked, under a transaction-scoped
//! advisory lock per key, so concurrent attempts cannot all pass the check.
use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::schema::login_attempts;

pub enum Reservation {
    /// Counted: the ids of the rows written, one per key.
    Granted(Vec<i64>),
    /// A key is at its limit; the earliest of its attempts leaves the window then.
    Refused { until: DateTime<Utc> },
}

/// Advisory lock id of a key (a SHA-256 hex digest): its first 64 bits.
fn lock_id(key: &str) -> i64 {
    let head = key.get(..16).unwrap_or("0");
    u64::from_str_radix(head, 16).map_or(0, |v| i64::from_ne_bytes(v.to_ne_bytes()))
}

/// In the caller's transaction: locks every key (in a fixed order, so two requests never wait
/// on each other crosswise), refuses when one has `max` attempts since `since`, else writes
/// one attempt per key at `now`.
pub fn reserve(
    conn: &mut PgConnection,
    keys: &[(String, u32)],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Reservation> {
    let mut sorted: Vec<&(String, u32)> = keys.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.dedup_by(|a, b| a.0 == b.0);
    for (key, _) in &sorted {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(lock_id(key))
            .execute(conn)?;
    }
    for (key, max) in &sorted {
        let (n, oldest): (i64, Option<DateTime<Utc>>) = login_attempts::table
            .filter(login_attempts::key.eq(key))
            .filter(login_attempts::at.gt(since))
            .select((count_star(), min(login_attempts::at)))
            .first(conn)?;
        if n >= i64::from(*max) {
            return Ok(Reservation::Refused {
                until: oldest.unwrap_or(now),
            });
        }
    }
    let rows: Vec<_> = sorted
        .iter()
        .map(|(key, _)| (login_attempts::key.eq(key), login_attempts::at.eq(now)))
        .collect();
    let ids = diesel::insert_into(login_attempts::table)
        .values(&rows)
        .returning(login_attempts::id)
        .get_results(conn)?;
    Ok(Reservation::Granted(ids))
}

/// Takes back reserved attempts (a success does not count against an address; a request
/// turned away before its password was checked does not count at all).
pub fn forgive(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(login_attempts::table.filter(login_attempts::id.eq_any(ids))).execute(conn)
}

/// A success clears the account's failures.
pub fn clear(conn: &mut PgConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_attempts::table.filter(login_attempts::key.eq(key))).execute(conn)
}

/// Forgets attempts that left the window.
pub fn sweep(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(login_attempts::table.filter(login_attempts::at.le(before))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_ids_come_from_the_digest() {
        let k = "ffffffffffffffff0000000000000000ffffffffffffffff0000000000000000";
        assert_eq!(lock_id(k), -1);
        assert_eq!(lock_id(&"0".repeat(64)), 0);
        assert_ne!(lock_id(&"a".repeat(64)), lock_id(&"b".repeat(64)));
    }
}

//! `Idempotency-Key`: the first response to (caller, key) is stored in the same transaction as
//! the write it answers, and replayed for a retry with the same body.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::schema::idempotency_keys;

pub const KEEP_HOURS: i64 = 24;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct StoredKey {
    pub request_hash: String,
    pub status_code: Option<i32>,
    pub location: Option<String>,
    pub response_body: Option<serde_json::Value>,
}

/// Claims (caller, key). `Ok(None)`: claimed, go on with the write. `Ok(Some(stored))`: the
/// key was used before (a concurrent holder of the key is waited for by the unique index).
pub fn claim(
    conn: &mut PgConnection,
    caller: &str,
    key: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<StoredKey>> {
    // Expired keys go (their stored answers may hold personal data).
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::created_at.lt(now - Duration::hours(KEEP_HOURS))),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::caller.eq(caller),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    if inserted == 1 {
        return Ok(None);
    }
    idempotency_keys::table
        .filter(idempotency_keys::caller.eq(caller))
        .filter(idempotency_keys::key.eq(key))
        .select(StoredKey::as_select())
        .first(conn)
        .map(Some)
}

pub fn complete(
    conn: &mut PgConnection,
    caller: &str,
    key: &str,
    status: i32,
    location: Option<&str>,
    body: &serde_json::Value,
) -> QueryResult<usize> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::key.eq(key)),
    )
    .set((
        idempotency_keys::status_code.eq(status),
        idempotency_keys::location.eq(location),
        idempotency_keys::response_body.eq(body),
    ))
    .execute(conn)
}

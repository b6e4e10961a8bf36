use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::refresh_tokens;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub token_hash: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the session (the family) began: the login.
    pub session_started_at: DateTime<Utc>,
}

pub fn insert(conn: &mut PgConnection, row: &RefreshTokenRow) -> QueryResult<usize> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)
}

/// Locks the row: two concurrent refreshes with the same token cannot both succeed.
pub fn by_hash_for_update(
    conn: &mut PgConnection,
    hash: &str,
) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// The last time any token of the family was rotated.
pub fn last_use_in_family(
    conn: &mut PgConnection,
    family: Uuid,
) -> QueryResult<Option<DateTime<Utc>>> {
    refresh_tokens::table
        .filter(refresh_tokens::family_id.eq(family))
        .select(diesel::dsl::max(refresh_tokens::used_at))
        .first(conn)
}

pub fn mark_used(conn: &mut PgConnection, id: Uuid, at: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::used_at.eq(at))
        .execute(conn)
}

pub fn revoke_family(
    conn: &mut PgConnection,
    family: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

pub fn revoke_user(conn: &mut PgConnection, user: Uuid, at: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}

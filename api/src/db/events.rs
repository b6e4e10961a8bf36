//! The append-only timeline of referrals.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::events;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub code: Option<String>,
    pub relay_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    pub actor_client_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub territory_id: Uuid,
    pub prescriber_kind: Option<String>,
    pub data: serde_json::Value,
}

pub fn insert(conn: &mut PgConnection, row: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(events::table).values(row).execute(conn)
}

/// Oldest first, keyset on (occurred_at, id).
pub fn list(
    conn: &mut PgConnection,
    referral: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut q = events::table
        .filter(events::referral_id.eq(referral))
        .select(EventRow::as_select())
        .order((events::occurred_at, events::id))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = after {
        q = q.filter(
            events::occurred_at
                .gt(at)
                .or(events::occurred_at.eq(at).and(events::id.gt(id))),
        );
    }
    q.load(conn)
}

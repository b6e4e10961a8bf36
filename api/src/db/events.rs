//! Reading a referral's timeline (events are written by [`crate::db::journal`] only).
use api_types::{EventKind, Status};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};

use crate::db::sql::Sql;
use crate::ids::{EventId, ReferralId, StructureId};

/// An event with who acted (name and structure) and its note, for rendering.
#[derive(Debug, Clone, QueryableByName)]
pub struct EventView {
    #[diesel(sql_type = SqlUuid)]
    pub id: EventId,
    #[diesel(sql_type = Text)]
    pub kind: EventKind,
    #[diesel(sql_type = Nullable<Text>)]
    pub from_status: Option<Status>,
    #[diesel(sql_type = Nullable<Text>)]
    pub to_status: Option<Status>,
    #[diesel(sql_type = Nullable<Text>)]
    pub code: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    /// The person or partner system who acted (none: the system).
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub actor_id: Option<uuid::Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub actor_name: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub actor_structure_id: Option<StructureId>,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub relay_id: Option<uuid::Uuid>,
}

/// Oldest first, keyset on (occurred_at, id).
pub fn list(
    conn: &mut PgConnection,
    referral: ReferralId,
    after: Option<(DateTime<Utc>, uuid::Uuid)>,
    limit: i64,
) -> QueryResult<Vec<EventView>> {
    let mut q = Sql::default();
    let rid = q.uuid(referral);
    let after = match after {
        Some((at, id)) => format!(
            "AND (e.occurred_at, e.id) > ({}, {})",
            q.time(at),
            q.uuid(id)
        ),
        None => String::new(),
    };
    let limit = q.int(limit);
    q.push(&format!(
        "SELECT e.id, e.kind, e.from_status, e.to_status, e.code, e.occurred_at, \
           coalesce(e.actor_user_id, e.actor_client_id) AS actor_id, \
           coalesce(u.first_name || ' ' || u.last_name, ac.name) AS actor_name, \
           coalesce(u.structure_id, ac.structure_id) AS actor_structure_id, \
           CASE WHEN n.blanked_at IS NULL THEN n.note END AS note, e.relay_id \
         FROM events e \
         LEFT JOIN users u ON u.id = e.actor_user_id \
         LEFT JOIN api_clients ac ON ac.id = e.actor_client_id \
         LEFT JOIN event_notes n ON n.event_id = e.id \
         WHERE e.referral_id = {rid} {after} ORDER BY e.occurred_at, e.id LIMIT {limit}"
    ));
    q.load(conn)
}

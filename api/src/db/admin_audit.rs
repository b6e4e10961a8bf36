//! The append-only audit of administrative actions (the database refuses UPDATE, DELETE and
//! TRUNCATE). Rows are written in the transaction of the action they record.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{admin_audit, users};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = admin_audit)]
pub struct NewAuditRow {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Uuid,
    pub changes: serde_json::Value,
    pub reason: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admin_audit)]
pub struct AuditRow {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Uuid,
    pub changes: serde_json::Value,
    pub reason: String,
}

pub fn insert(conn: &mut PgConnection, row: &NewAuditRow) -> QueryResult<usize> {
    diesel::insert_into(admin_audit::table)
        .values(row)
        .execute(conn)
}

/// The actor's email, first and last names.
pub type ActorNames = (String, String, String);

#[derive(Debug, Default)]
pub struct Filter {
    pub actor_user_id: Option<Uuid>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Keyset: the last row of the previous page, newest first.
    pub before: Option<(DateTime<Utc>, Uuid)>,
}

/// Newest first, keyset on (occurred_at, id) descending; with the actor's email and name.
pub fn list(
    conn: &mut PgConnection,
    f: &Filter,
    limit: i64,
) -> QueryResult<Vec<(AuditRow, Option<ActorNames>)>> {
    let mut q = admin_audit::table
        .left_join(users::table)
        .select((
            AuditRow::as_select(),
            (users::email, users::first_name, users::last_name).nullable(),
        ))
        .order((admin_audit::occurred_at.desc(), admin_audit::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(a) = f.actor_user_id {
        q = q.filter(admin_audit::actor_user_id.eq(a));
    }
    if let Some(a) = &f.action {
        q = q.filter(admin_audit::action.eq(a.clone()));
    }
    if let Some(t) = &f.target_type {
        q = q.filter(admin_audit::target_type.eq(t.clone()));
    }
    if let Some(t) = f.target_id {
        q = q.filter(admin_audit::target_id.eq(t));
    }
    if let Some(s) = f.since {
        q = q.filter(admin_audit::occurred_at.ge(s));
    }
    if let Some(u) = f.until {
        q = q.filter(admin_audit::occurred_at.lt(u));
    }
    if let Some((at, id)) = f.before {
        q = q.filter(
            admin_audit::occurred_at
                .lt(at)
                .or(admin_audit::occurred_at.eq(at).and(admin_audit::id.lt(id))),
        );
    }
    q.load(conn)
}

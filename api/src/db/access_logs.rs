//! Every read or change of a youth's personal data leaves one row per youth per request.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::access_logs;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = access_logs)]
pub struct NewAccessLog {
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub actor_client_id: Option<Uuid>,
    pub structure_id: Option<Uuid>,
    pub action: String,
    pub youth_id: Uuid,
    pub referral_id: Option<Uuid>,
    pub route: String,
    pub reason: Option<String>,
}

pub fn insert_many(conn: &mut PgConnection, rows: &[NewAccessLog]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(access_logs::table)
        .values(rows)
        .execute(conn)
}

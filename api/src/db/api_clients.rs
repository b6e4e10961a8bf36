use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::api_clients;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: Uuid,
    pub client_id: String,
    pub name: String,
    pub structure_id: Uuid,
    pub roles: Vec<String>,
    pub secret_hash: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, row: &ApiClientRow) -> QueryResult<ApiClientRow> {
    diesel::insert_into(api_clients::table)
        .values(row)
        .returning(ApiClientRow::as_returning())
        .get_result(conn)
}

pub fn get(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table
        .find(id)
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_client_id(conn: &mut PgConnection, client_id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()
}

pub fn revoke(
    conn: &mut PgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<Option<ApiClientRow>> {
    diesel::update(api_clients::table.find(id))
        .set(
            api_clients::revoked_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("coalesce(revoked_at, ")
            .bind::<diesel::sql_types::Timestamptz, _>(at)
            .sql(")")),
        )
        .returning(ApiClientRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn touch(conn: &mut PgConnection, id: Uuid, at: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(api_clients::table.find(id))
        .set(api_clients::last_used_at.eq(at))
        .execute(conn)
}

#[derive(Debug, Default)]
pub struct Filter {
    pub structure_id: Option<Uuid>,
    pub revoked: Option<bool>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
}

/// Keyset by (created_at, id).
pub fn list(conn: &mut PgConnection, f: &Filter, limit: i64) -> QueryResult<Vec<ApiClientRow>> {
    let mut query = api_clients::table
        .select(ApiClientRow::as_select())
        .order((api_clients::created_at, api_clients::id))
        .limit(limit)
        .into_boxed();
    if let Some(s) = f.structure_id {
        query = query.filter(api_clients::structure_id.eq(s));
    }
    match f.revoked {
        Some(true) => query = query.filter(api_clients::revoked_at.is_not_null()),
        Some(false) => query = query.filter(api_clients::revoked_at.is_null()),
        None => {}
    }
    if let Some((at, id)) = f.after {
        query = query.filter(
            api_clients::created_at
                .gt(at)
                .or(api_clients::created_at.eq(at).and(api_clients::id.gt(id))),
        );
    }
    query.load(conn)
}

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{territories, territory_communes};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub id: Uuid,
    pub name: String,
    pub time_zone: String,
    pub unreachable_min_attempts: i32,
    pub unreachable_min_days: i32,
    pub unreachable_min_channels: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub fn insert(conn: &mut PgConnection, row: &TerritoryRow) -> QueryResult<TerritoryRow> {
    diesel::insert_into(territories::table)
        .values(row)
        .returning(TerritoryRow::as_returning())
        .get_result(conn)
}

pub fn get(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<TerritoryRow>> {
    territories::table
        .find(id)
        .select(TerritoryRow::as_select())
        .first(conn)
        .optional()
}

/// Writes `row` if its stored version is `expected`; `None` when the version moved.
pub fn update(
    conn: &mut PgConnection,
    row: &TerritoryRow,
    expected: i32,
) -> QueryResult<Option<TerritoryRow>> {
    diesel::update(
        territories::table
            .filter(territories::id.eq(row.id))
            .filter(territories::version.eq(expected)),
    )
    .set(row)
    .returning(TerritoryRow::as_returning())
    .get_result(conn)
    .optional()
}

/// Keyset by (lower(name), id).
pub fn list(
    conn: &mut PgConnection,
    q: Option<&str>,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<TerritoryRow>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    let mut query = territories::table
        .select(TerritoryRow::as_select())
        .order((sql::<Text>("lower(name)"), territories::id))
        .limit(limit)
        .into_boxed();
    if let Some(q) = q {
        query = query.filter(territories::name.ilike(format!("%{}%", escape_like(q))));
    }
    if let Some((name, id)) = after {
        query = query.filter(
            sql::<Bool>("(lower(name), id) > (")
                .bind::<Text, _>(name)
                .sql(", ")
                .bind::<diesel::sql_types::Uuid, _>(id)
                .sql(")"),
        );
    }
    query.load(conn)
}

pub fn communes_count(conn: &mut PgConnection, id: Uuid) -> QueryResult<i64> {
    territory_communes::table
        .filter(territory_communes::territory_id.eq(id))
        .count()
        .get_result(conn)
}

/// Codes among `codes` already served by a territory other than `id`.
pub fn taken_elsewhere(
    conn: &mut PgConnection,
    id: Uuid,
    codes: &[String],
) -> QueryResult<Vec<String>> {
    territory_communes::table
        .filter(territory_communes::commune_insee.eq_any(codes))
        .filter(territory_communes::territory_id.ne(id))
        .select(territory_communes::commune_insee)
        .order(territory_communes::commune_insee)
        .load(conn)
}

pub fn add_communes(conn: &mut PgConnection, id: Uuid, codes: &[String]) -> QueryResult<usize> {
    let rows: Vec<_> = codes
        .iter()
        .map(|c| {
            (
                territory_communes::commune_insee.eq(c),
                territory_communes::territory_id.eq(id),
            )
        })
        .collect();
    diesel::insert_into(territory_communes::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(conn)
}

pub fn remove_communes(conn: &mut PgConnection, id: Uuid, codes: &[String]) -> QueryResult<usize> {
    diesel::delete(
        territory_communes::table
            .filter(territory_communes::territory_id.eq(id))
            .filter(territory_communes::commune_insee.eq_any(codes)),
    )
    .execute(conn)
}

pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

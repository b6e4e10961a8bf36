use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::structures;
use crate::db::territories::escape_like;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = structures, treat_none_as_null = true)]
pub struct StructureRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub commune_insee: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub reseaux_porteurs: Vec<String>,
    pub prescriber: bool,
    pub receiver: bool,
    pub sas_team: bool,
    pub sensitive: bool,
    pub territory_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub fn insert(conn: &mut PgConnection, row: &StructureRow) -> QueryResult<StructureRow> {
    diesel::insert_into(structures::table)
        .values(row)
        .returning(StructureRow::as_returning())
        .get_result(conn)
}

pub fn get(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<StructureRow>> {
    structures::table
        .find(id)
        .select(StructureRow::as_select())
        .first(conn)
        .optional()
}

/// The structures of `ids`, by id (the export's page).
pub fn by_ids(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<StructureRow>> {
    structures::table
        .filter(structures::id.eq_any(ids))
        .order(structures::id)
        .select(StructureRow::as_select())
        .load(conn)
}

pub fn update(
    conn: &mut PgConnection,
    row: &StructureRow,
    expected: i32,
) -> QueryResult<Option<StructureRow>> {
    diesel::update(
        structures::table
            .filter(structures::id.eq(row.id))
            .filter(structures::version.eq(expected)),
    )
    .set(row)
    .returning(StructureRow::as_returning())
    .get_result(conn)
    .optional()
}

#[derive(Debug, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub territory_id: Option<Uuid>,
    pub prescriber: Option<bool>,
    pub receiver: Option<bool>,
    pub sas_team: Option<bool>,
    /// Leave out sensitive structures (`domain::directory`).
    pub hide_sensitive: bool,
    pub after: Option<(String, Uuid)>,
}

/// Keyset by (lower(name), id); filters combine with AND.
pub fn list(conn: &mut PgConnection, f: &Filter, limit: i64) -> QueryResult<Vec<StructureRow>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    let mut query = structures::table
        .select(StructureRow::as_select())
        .order((sql::<Text>("lower(name)"), structures::id))
        .limit(limit)
        .into_boxed();
    if let Some(q) = &f.q {
        query = query.filter(structures::name.ilike(format!("%{}%", escape_like(q))));
    }
    if let Some(k) = &f.kind {
        query = query.filter(structures::kind.eq(k.clone()));
    }
    if let Some(t) = f.territory_id {
        query = query.filter(structures::territory_id.eq(t));
    }
    if let Some(b) = f.prescriber {
        query = query.filter(structures::prescriber.eq(b));
    }
    if let Some(b) = f.receiver {
        query = query.filter(structures::receiver.eq(b));
    }
    if let Some(b) = f.sas_team {
        query = query.filter(structures::sas_team.eq(b));
    }
    if f.hide_sensitive {
        query = query.filter(structures::sensitive.eq(false));
    }
    if let Some((name, id)) = &f.after {
        query = query.filter(
            sql::<Bool>("(lower(name), id) > (")
                .bind::<Text, _>(name.clone())
                .sql(", ")
                .bind::<diesel::sql_types::Uuid, _>(*id)
                .sql(")"),
        );
    }
    query.load(conn)
}

//! What an import of the data·inclusion offer reads and writes besides services: the
//! reference sets it checks rows against (loaded once per import), structures matched by
//! (source, id) then SIRET, and the `offer_imports` rows that report on each import.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::schema::structures;
use crate::db::structures::StructureRow;

#[derive(QueryableByName)]
struct Code {
    #[diesel(sql_type = Text)]
    code: String,
}

/// Every zone code a service may name: communes, EPCIs, départements, `R` + région, france.
pub fn known_zone_codes(conn: &mut PgConnection) -> QueryResult<HashSet<String>> {
    let rows: Vec<Code> = diesel::sql_query(
        "SELECT insee AS code FROM communes WHERE retired_at IS NULL \
         UNION SELECT epci FROM communes WHERE retired_at IS NULL AND epci IS NOT NULL \
         UNION SELECT departement FROM communes WHERE retired_at IS NULL \
         UNION SELECT 'R' || region FROM communes WHERE retired_at IS NULL \
         UNION SELECT 'france'",
    )
    .load(conn)?;
    Ok(rows.into_iter().map(|c| c.code).collect())
}

#[derive(QueryableByName)]
struct Position {
    #[diesel(sql_type = Text)]
    insee: String,
    #[diesel(sql_type = Double)]
    latitude: f64,
    #[diesel(sql_type = Double)]
    longitude: f64,
}

/// The position of every current commune.
pub fn commune_positions(conn: &mut PgConnection) -> QueryResult<HashMap<String, (f64, f64)>> {
    let rows: Vec<Position> = diesel::sql_query(
        "SELECT insee, latitude, longitude FROM communes WHERE retired_at IS NULL",
    )
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|p| (p.insee, (p.latitude, p.longitude)))
        .collect())
}

#[derive(QueryableByName)]
struct Sourced {
    #[diesel(sql_type = Text)]
    source: String,
    #[diesel(sql_type = Text)]
    source_id: String,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Nullable<Double>)]
    latitude: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    longitude: Option<f64>,
}

/// A structure known to an import: its id and position.
pub type Known = (Uuid, Option<(f64, f64)>);

/// Every structure that came from a source, by (source, id there).
pub fn sourced_structures(
    conn: &mut PgConnection,
) -> QueryResult<HashMap<(String, String), Known>> {
    let rows: Vec<Sourced> = diesel::sql_query(
        "SELECT source, source_id, id, latitude, longitude FROM structures \
         WHERE source_id IS NOT NULL",
    )
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|s| ((s.source, s.source_id), (s.id, s.latitude.zip(s.longitude))))
        .collect())
}

pub fn structure_by_source(
    conn: &mut PgConnection,
    source: &str,
    id: &str,
) -> QueryResult<Option<StructureRow>> {
    structures::table
        .filter(structures::source.eq(source))
        .filter(structures::source_id.eq(id))
        .select(StructureRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// The oldest structure with this SIRET and no source yet, or any with it.
pub fn structure_by_siret(
    conn: &mut PgConnection,
    siret: &str,
) -> QueryResult<Option<(StructureRow, Option<String>)>> {
    structures::table
        .filter(structures::siret.eq(siret))
        .order((
            structures::source.is_not_null(),
            structures::created_at,
            structures::id,
        ))
        .select((StructureRow::as_select(), structures::source))
        .first(conn)
        .optional()
}

pub fn set_source(
    conn: &mut PgConnection,
    id: Uuid,
    source: &str,
    source_id: &str,
) -> QueryResult<usize> {
    diesel::update(structures::table.find(id))
        .set((
            structures::source.eq(source),
            structures::source_id.eq(source_id),
        ))
        .execute(conn)
}

/// An import's row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::offer_imports)]
pub struct ImportRow {
    pub id: Uuid,
    pub status: String,
    pub file_name: String,
    pub file_path: Option<String>,
    pub bytes: i64,
    pub requested_by: Option<Uuid>,
    pub rows_read: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub suspended: i64,
    pub report: serde_json::Value,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

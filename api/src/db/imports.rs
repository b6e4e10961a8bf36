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

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// The structures of `source` among `ids` (an import's batch), locked for its transaction.
/// Found by one look-up of `structures_source` per id (as `services::by_source_ids`: with
/// `source_id = ANY`, the planner without statistics filtered every structure of the
/// source), then read by id.
pub fn structures_by_source(
    conn: &mut PgConnection,
    source: &str,
    ids: &[String],
) -> QueryResult<Vec<(StructureRow, Option<String>)>> {
    let found: Vec<Id> = diesel::sql_query(
        "SELECT s.id FROM unnest($2::text[]) AS k(source_id) CROSS JOIN LATERAL \
         (SELECT id FROM structures WHERE source = $1 AND source_id = k.source_id FOR UPDATE) s",
    )
    .bind::<Text, _>(source)
    .bind::<diesel::sql_types::Array<Text>, _>(ids)
    .load(conn)?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    structures::table
        .filter(structures::id.eq_any(found.into_iter().map(|f| f.id).collect::<Vec<_>>()))
        .select((StructureRow::as_select(), structures::source_id))
        .for_update()
        .load(conn)
}

/// Every structure with one of `sirets`, with its source (an import's batch matches the
/// rows it does not know by source on them, as [`structure_by_siret`] orders them).
pub fn structures_by_sirets(
    conn: &mut PgConnection,
    sirets: &[String],
) -> QueryResult<Vec<(StructureRow, Option<String>)>> {
    structures::table
        .filter(structures::siret.eq_any(sirets))
        .select((StructureRow::as_select(), structures::source))
        .load(conn)
}

/// Inserts new structures with their (source, id there) in one statement (24 parameters a
/// row: an import's batch of 500 fits).
pub fn insert_sourced(
    conn: &mut PgConnection,
    rows: &[(StructureRow, String, String)],
) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(row, source, id)| {
            (
                row,
                structures::source.eq(source),
                structures::source_id.eq(id),
            )
        })
        .collect();
    diesel::insert_into(structures::table)
        .values(values)
        .execute(conn)
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
    pub bytes_read: i64,
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

use crate::db::schema::offer_imports;

/// The kind of the job that runs an uploaded import.
pub const RUN: &str = "offer.import";

/// Whether an import is queued or running (one at a time).
pub fn busy(conn: &mut PgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        offer_imports::table.filter(offer_imports::status.eq_any(["queued", "running"])),
    ))
    .get_result(conn)
}

/// Records a queued import; `None` when another one is queued or running.
pub fn create(
    conn: &mut PgConnection,
    id: Uuid,
    file_name: &str,
    file_path: &str,
    bytes: i64,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<Option<ImportRow>> {
    diesel::insert_into(offer_imports::table)
        .values((
            offer_imports::id.eq(id),
            offer_imports::status.eq("queued"),
            offer_imports::file_name.eq(file_name),
            offer_imports::file_path.eq(file_path),
            offer_imports::bytes.eq(bytes),
            offer_imports::requested_by.eq(by),
            offer_imports::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(ImportRow::as_returning())
        .get_result(conn)
        .optional()
}

pub fn get(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ImportRow>> {
    offer_imports::table
        .find(id)
        .select(ImportRow::as_select())
        .first(conn)
        .optional()
}

/// Starts a queued import (or takes over a running one whose runner died); `None` when it
/// is already settled.
pub fn start(
    conn: &mut PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<ImportRow>> {
    diesel::update(
        offer_imports::table
            .find(id)
            .filter(offer_imports::status.eq_any(["queued", "running"])),
    )
    .set((
        offer_imports::status.eq("running"),
        offer_imports::started_at.eq(now),
    ))
    .returning(ImportRow::as_returning())
    .get_result(conn)
    .optional()
}

/// The figures so far (`report`: the rejected rows listed).
#[allow(clippy::too_many_arguments)]
pub fn progress(
    conn: &mut PgConnection,
    id: Uuid,
    bytes_read: i64,
    counts: [i64; 6],
    report: &serde_json::Value,
) -> QueryResult<usize> {
    let [rows, created, updated, unchanged, rejected, suspended] = counts;
    diesel::update(offer_imports::table.find(id))
        .set((
            offer_imports::bytes_read.eq(bytes_read),
            offer_imports::rows_read.eq(rows),
            offer_imports::created.eq(created),
            offer_imports::updated.eq(updated),
            offer_imports::unchanged.eq(unchanged),
            offer_imports::rejected.eq(rejected),
            offer_imports::suspended.eq(suspended),
            offer_imports::report.eq(report),
        ))
        .execute(conn)
}

/// Settles an import: `done`, or `failed` with its error; the file is no longer kept.
pub fn finish(
    conn: &mut PgConnection,
    id: Uuid,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(offer_imports::table.find(id))
        .set((
            offer_imports::status.eq(if error.is_some() { "failed" } else { "done" }),
            offer_imports::error.eq(error),
            offer_imports::file_path.eq(None::<String>),
            offer_imports::finished_at.eq(now),
        ))
        .execute(conn)
}

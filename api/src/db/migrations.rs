//! Migrations: the SQL files of `migrations/`, plus the communes reference data loaded from
//! the committed `data/communes.csv` (a Rust migration, so the data is never typed by hand and
//! every database — test templates included — has it).
use std::fmt;

use diesel::backend::Backend;
use diesel::connection::BoxableConnection;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
    Result as MigResult,
};
use diesel::pg::{Pg, PgConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::domain::text::search_key;

const SQL: EmbeddedMigrations = embed_migrations!("../migrations");
const COMMUNES_CSV: &str = include_str!("../../../data/communes.csv");

/// Fingerprint of every migration and of the communes file (computed by build.rs): test
/// templates are keyed on it, so a changed migration gets a fresh template.
pub const FINGERPRINT: &str = env!("SAS_MIGRATIONS_FINGERPRINT");

pub struct AllMigrations;

impl MigrationSource<Pg> for AllMigrations {
    fn migrations(&self) -> MigResult<Vec<Box<dyn Migration<Pg>>>> {
        let mut all = MigrationSource::<Pg>::migrations(&SQL)?;
        all.push(Box::new(CommunesData));
        all.sort_by(|a, b| a.name().version().cmp(&b.name().version()));
        Ok(all)
    }
}

/// Applies pending migrations, then brings the communes to the committed edition of
/// `data/communes.csv` (see [`reload_communes`]); returns the names of what was applied.
pub fn run_pending(conn: &mut PgConnection) -> MigResult<Vec<String>> {
    let done = conn.run_pending_migrations(AllMigrations)?;
    let mut applied: Vec<String> = done.iter().map(|v| v.to_string()).collect();
    if let Some(version) = reload_communes(conn, COMMUNES_CSV, chrono::Utc::now())? {
        applied.push(format!("communes edition {version}"));
    }
    Ok(applied)
}

/// Versioned, idempotent reload of the communes reference data: when `csv` (an edition of
/// `data/communes.csv`) is not the one this database holds, its communes are upserted and
/// those that left the file are retired (`retired_at`), never deleted, so youths, structures
/// and territories pointing at a merged commune keep working; retired communes are no longer
/// offered or accepted for new data. Returns the new version, or `None` when already loaded.
pub fn reload_communes(
    conn: &mut PgConnection,
    csv: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> MigResult<Option<String>> {
    use diesel::connection::Connection;
    use sha2::{Digest, Sha256};
    let version = hex::encode(Sha256::digest(csv.as_bytes()));
    conn.transaction(|conn| {
        use diesel::prelude::*;
        use crate::db::schema::reference_data as rd;
        let current: Option<String> = rd::table
            .filter(rd::name.eq("communes"))
            .select(rd::version)
            .for_update()
            .first(conn)
            .optional()?;
        if current.as_deref() == Some(version.as_str()) {
            return Ok(None);
        }
        let (communes, arrondissements) = commune_rows(csv)?;
        let head = "INSERT INTO communes AS c (insee, name, search_name, kind, parent_insee, \
            postal_codes, departement, epci, region, population, latitude, longitude, coord_source) VALUES ";
        let tail = " ON CONFLICT (insee) DO UPDATE SET name = EXCLUDED.name, \
            search_name = EXCLUDED.search_name, kind = EXCLUDED.kind, \
            parent_insee = EXCLUDED.parent_insee, postal_codes = EXCLUDED.postal_codes, \
            departement = EXCLUDED.departement, epci = EXCLUDED.epci, region = EXCLUDED.region, \
            population = EXCLUDED.population, latitude = EXCLUDED.latitude, \
            longitude = EXCLUDED.longitude, coord_source = EXCLUDED.coord_source, retired_at = NULL \
            WHERE c.retired_at IS NOT NULL OR (c.name, c.kind, c.parent_insee, c.postal_codes, \
              c.departement, c.epci, c.region, c.population, c.latitude, c.longitude, c.coord_source) \
              IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.parent_insee, \
              EXCLUDED.postal_codes, EXCLUDED.departement, EXCLUDED.epci, EXCLUDED.region, \
              EXCLUDED.population, EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.coord_source)";
        let mut codes = Vec::new();
        for rows in [&communes, &arrondissements] {
            for chunk in rows.chunks(2000) {
                let values: Vec<&str> = chunk.iter().map(|(_, v)| v.as_str()).collect();
                diesel::sql_query(format!("{head}{}{tail}", values.join(","))).execute(conn)?;
                codes.extend(chunk.iter().map(|(c, _)| c.clone()));
            }
        }
        diesel::sql_query(
            "UPDATE communes SET retired_at = $1 WHERE retired_at IS NULL AND insee <> ALL($2)",
        )
        .bind::<diesel::sql_types::Timestamptz, _>(now)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&codes)
        .execute(conn)?;
        diesel::insert_into(rd::table)
            .values((rd::name.eq("communes"), rd::version.eq(&version), rd::loaded_at.eq(now)))
            .on_conflict(rd::name)
            .do_update()
            .set((rd::version.eq(&version), rd::loaded_at.eq(now)))
            .execute(conn)?;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(Some(version.clone()))
    })
}

struct CommunesData;
struct CommunesName;
struct InTransaction;

impl fmt::Display for CommunesName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("2026-11-26-000002_communes_data")
    }
}

impl MigrationName for CommunesName {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from("20261126000002")
    }
}

impl MigrationMetadata for InTransaction {
    fn run_in_transaction(&self) -> bool {
        true
    }
}

impl<DB: Backend> Migration<DB> for CommunesData {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> MigResult<()> {
        for chunk in communes_insert_sql()?.iter() {
            conn.batch_execute(chunk)?;
        }
        Ok(())
    }

    fn revert(&self, conn: &mut dyn BoxableConnection<DB>) -> MigResult<()> {
        conn.batch_execute("DELETE FROM territory_communes; DELETE FROM communes;")?;
        Ok(())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        &InTransaction
    }

    fn name(&self) -> &dyn MigrationName {
        &CommunesName
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt(s: &str) -> String {
    if s.is_empty() {
        "NULL".into()
    } else {
        quote(s)
    }
}

fn number(s: &str, what: &str) -> MigResult<String> {
    if s.is_empty() {
        return Ok("NULL".into());
    }
    let v: f64 = s
        .parse()
        .map_err(|e| format!("communes.csv: bad {what} {s:?}: {e}"))?;
    Ok(v.to_string())
}

/// Builds INSERT statements (communes first, arrondissements after their parent).
fn communes_insert_sql() -> MigResult<Vec<String>> {
    let (communes, arrondissements) = commune_rows(COMMUNES_CSV)?;
    let head = "INSERT INTO communes (insee, name, search_name, kind, parent_insee, postal_codes, \
                departement, epci, region, population, latitude, longitude, coord_source) VALUES ";
    let values = |c: &[(String, String)]| {
        c.iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    Ok(communes
        .chunks(2000)
        .chain(arrondissements.chunks(2000))
        .map(|c| format!("{head}{};", values(c)))
        .collect())
}

type Rows = Vec<(String, String)>;

/// The `(insee, SQL values tuple)` of every commune of a communes file, then of every
/// arrondissement (after their parent).
fn commune_rows(csv: &str) -> MigResult<(Rows, Rows)> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut communes = Vec::new();
    let mut arrondissements = Vec::new();
    for rec in reader.records() {
        let r = rec?;
        let get = |i: usize| r.get(i).unwrap_or("");
        let postal: Vec<String> = get(4).split_whitespace().map(quote).collect();
        let row = format!(
            "({},{},{},{},{},ARRAY[{}]::text[],{},{},{},{},{},{},{})",
            quote(get(0)),
            quote(get(1)),
            quote(&search_key(get(1))),
            quote(get(2)),
            opt(get(3)),
            postal.join(","),
            quote(get(5)),
            opt(get(6)),
            opt(get(7)),
            number(get(8), "population")?,
            number(get(9), "latitude")?,
            number(get(10), "longitude")?,
            quote(get(11)),
        );
        let code = get(0).to_string();
        if get(2) == "arrondissement" {
            arrondissements.push((code, row));
        } else {
            communes.push((code, row));
        }
    }
    Ok((communes, arrondissements))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_communes_file_parses_into_statements() {
        let sql = communes_insert_sql().expect("communes.csv parses");
        assert!(sql.len() > 10, "about 35,000 communes in chunks of 2,000");
        assert!(
            sql.iter().any(|s| s.contains("'69381'")),
            "Lyon 1er is there"
        );
    }

    #[test]
    fn sql_literals_are_escaped() {
        assert_eq!(quote("L'Haÿ-les-Roses"), "'L''Haÿ-les-Roses'");
        assert_eq!(opt(""), "NULL");
    }
}

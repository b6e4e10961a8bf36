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

/// Applies pending migrations; returns the names of those applied.
pub fn run_pending(conn: &mut PgConnection) -> MigResult<Vec<String>> {
    let done = conn.run_pending_migrations(AllMigrations)?;
    Ok(done.iter().map(|v| v.to_string()).collect())
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
    let mut reader = csv::Reader::from_reader(COMMUNES_CSV.as_bytes());
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
        if get(2) == "arrondissement" {
            arrondissements.push(row);
        } else {
            communes.push(row);
        }
    }
    let head = "INSERT INTO communes (insee, name, search_name, kind, parent_insee, postal_codes, \
                departement, epci, region, population, latitude, longitude, coord_source) VALUES ";
    Ok(communes
        .chunks(2000)
        .chain(arrondissements.chunks(2000))
        .map(|c| format!("{head}{};", c.join(",")))
        .collect())
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

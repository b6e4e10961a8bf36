//! Commune look-ups: autocomplete by name or postal code, listing by area.
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::schema::{communes, territory_communes};
use crate::error::ApiResult;

#[derive(Debug, Clone, QueryableByName, Queryable, Selectable)]
#[diesel(table_name = communes)]
pub struct CommuneRow {
    pub insee: String,
    pub name: String,
    pub kind: String,
    pub parent_insee: Option<String>,
    pub postal_codes: Vec<String>,
    pub departement: String,
    pub epci: Option<String>,
    pub region: Option<String>,
    pub population: Option<i32>,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, QueryableByName)]
pub struct CommuneWithTerritory {
    #[diesel(embed)]
    pub commune: CommuneRow,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub territory_id: Option<Uuid>,
}

const SELECT: &str = "SELECT c.insee, c.name, c.kind, c.parent_insee, c.postal_codes, \
    c.departement, c.epci, c.region, c.population, c.latitude, c.longitude, tc.territory_id \
    FROM communes c LEFT JOIN territory_communes tc ON tc.commune_insee = c.insee \
    WHERE c.retired_at IS NULL";

/// Ranked autocomplete. Digits search postal codes, then INSEE codes (exact first; for a postal
/// code, the arrondissement before its city); words search
/// names without accents: exact name, then name prefix, then word prefix, then anywhere —
/// larger communes first within a rank.
pub fn search(
    conn: &mut PgConnection,
    key: &str,
    digits: bool,
    limit: i64,
) -> ApiResult<Vec<CommuneWithTerritory>> {
    let rows = if digits {
        diesel::sql_query(format!(
            "{SELECT} AND (c.insee LIKE $1 || '%' \
               OR EXISTS (SELECT 1 FROM unnest(c.postal_codes) p WHERE p LIKE $1 || '%')) \
             ORDER BY CASE WHEN $1 = ANY (c.postal_codes) THEN 0 WHEN c.insee = $1 THEN 1 ELSE 2 END, \
               c.kind = 'arrondissement' DESC, c.population DESC NULLS LAST, c.insee LIMIT $2"
        ))
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(limit)
        .load(conn)?
    } else {
        diesel::sql_query(format!(
            "{SELECT} AND c.search_name LIKE '%' || $1 || '%' \
             ORDER BY CASE WHEN c.search_name = $1 THEN 0 \
                           WHEN c.search_name LIKE $1 || '%' THEN 1 \
                           WHEN c.search_name LIKE '% ' || $1 || '%' THEN 2 ELSE 3 END, \
               c.population DESC NULLS LAST, c.insee LIMIT $2"
        ))
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(limit)
        .load(conn)?
    };
    Ok(rows)
}

#[derive(Debug, Default)]
pub struct Filter {
    pub departement: Option<String>,
    pub epci: Option<String>,
    pub territory_id: Option<Uuid>,
    pub after_insee: Option<String>,
}

/// Keyset listing by INSEE code, filtered by area.
pub fn list(
    conn: &mut PgConnection,
    f: &Filter,
    limit: i64,
) -> ApiResult<Vec<CommuneWithTerritory>> {
    Ok(diesel::sql_query(format!(
        "{SELECT} AND ($1::text IS NULL OR c.departement = $1) \
           AND ($2::text IS NULL OR c.epci = $2) \
           AND ($3::uuid IS NULL OR tc.territory_id = $3) \
           AND ($4::text IS NULL OR c.insee > $4) \
         ORDER BY c.insee LIMIT $5"
    ))
    .bind::<Nullable<Text>, _>(f.departement.as_deref())
    .bind::<Nullable<Text>, _>(f.epci.as_deref())
    .bind::<Nullable<SqlUuid>, _>(f.territory_id)
    .bind::<Nullable<Text>, _>(f.after_insee.as_deref())
    .bind::<BigInt, _>(limit)
    .load(conn)?)
}

/// The territory serving a commune and its time zone, in one look-up.
pub fn serving(conn: &mut PgConnection, insee: &str) -> QueryResult<Option<(Uuid, String)>> {
    use crate::db::schema::territories;
    territory_communes::table
        .inner_join(territories::table)
        .filter(territory_communes::commune_insee.eq(insee))
        .select((territories::id, territories::time_zone))
        .first(conn)
        .optional()
}

/// The territory serving a commune (an arrondissement is served with its parent commune).
pub fn territory_of(conn: &mut PgConnection, insee: &str) -> QueryResult<Option<Uuid>> {
    territory_communes::table
        .filter(territory_communes::commune_insee.eq(insee))
        .select(territory_communes::territory_id)
        .first(conn)
        .optional()
}

/// A commune of the current edition (a retired one is refused for new data).
pub fn exists(conn: &mut PgConnection, insee: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        communes::table
            .filter(communes::insee.eq(insee))
            .filter(communes::retired_at.is_null()),
    ))
    .get_result(conn)
}

pub fn get(conn: &mut PgConnection, insee: &str) -> QueryResult<Option<CommuneRow>> {
    communes::table
        .filter(communes::insee.eq(insee))
        .select(CommuneRow::as_select())
        .first(conn)
        .optional()
}

/// Expands INSEE codes, EPCIs and départements into the set of codes to serve: every listed
/// commune plus the arrondissements of listed communes. Returns (codes, unknown inputs).
pub fn expand(
    conn: &mut PgConnection,
    insee: &[String],
    epcis: &[String],
    departements: &[String],
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let mut found: Vec<String> = communes::table
        .filter(
            communes::insee
                .eq_any(insee)
                .or(communes::epci.eq_any(epcis))
                .or(communes::departement.eq_any(departements)),
        )
        .select(communes::insee)
        .load(conn)?;
    let known_epcis: Vec<Option<String>> = communes::table
        .filter(communes::epci.eq_any(epcis))
        .select(communes::epci)
        .distinct()
        .load(conn)?;
    let known_deps: Vec<String> = communes::table
        .filter(communes::departement.eq_any(departements))
        .select(communes::departement)
        .distinct()
        .load(conn)?;
    let children: Vec<String> = communes::table
        .filter(communes::parent_insee.eq_any(&found))
        .select(communes::insee)
        .load(conn)?;
    found.extend(children);
    found.sort();
    found.dedup();
    let mut unknown: Vec<String> = insee
        .iter()
        .filter(|c| found.binary_search(c).is_err())
        .cloned()
        .collect();
    unknown.extend(
        epcis
            .iter()
            .filter(|e| !known_epcis.iter().any(|k| k.as_deref() == Some(e.as_str())))
            .cloned(),
    );
    unknown.extend(
        departements
            .iter()
            .filter(|d| !known_deps.contains(d))
            .cloned(),
    );
    Ok((found, unknown))
}

/// The names of the communes of `codes` (retired ones included: data already points at them).
pub fn names(
    conn: &mut PgConnection,
    codes: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(communes::table
        .filter(communes::insee.eq_any(codes))
        .select((communes::insee, communes::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

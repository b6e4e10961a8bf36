//! Services of the offer: the rows structures write, the public search (hand-written SQL:
//! a union of index ranges, then the exact filters) and the export.
use api_types::{Frais, ServiceStatus, ServiceType};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{
    Array, Date, Double, Float, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};

use crate::db::schema::service_events;
use crate::db::sql::Sql;
use crate::ids::{ServiceId, StructureId};

#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct ServiceRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: ServiceId,
    #[diesel(sql_type = SqlUuid)]
    pub structure_id: StructureId,
    #[diesel(sql_type = Text)]
    pub source: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub source_id: Option<String>,
    #[diesel(sql_type = Text)]
    pub nom: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub lien_source: Option<String>,
    #[diesel(column_name = "type")]
    #[diesel(sql_type = Nullable<Text>)]
    pub type_: Option<ServiceType>,
    #[diesel(sql_type = Array<Text>)]
    pub thematiques: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub frais: Option<Frais>,
    #[diesel(sql_type = Nullable<Text>)]
    pub frais_precisions: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub publics: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub publics_precisions: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub conditions_acces: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub adresse: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub complement_adresse: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub code_postal: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub commune_insee: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub telephone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub courriel: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub modes_accueil: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    pub zone_eligibilite: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub contact_nom_prenom: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub lien_mobilisation: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub modes_mobilisation: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    pub mobilisable_par: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub mobilisation_precisions: Option<String>,
    #[diesel(sql_type = Nullable<Double>)]
    pub volume_horaire_hebdomadaire: Option<f64>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub nombre_semaines: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub horaires_accueil: Option<String>,
    #[diesel(sql_type = Nullable<Double>)]
    pub latitude: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub longitude: Option<f64>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub age_min: Option<i32>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub age_max: Option<i32>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub places_available: Option<i32>,
    #[diesel(sql_type = Nullable<Int4>)]
    pub places_maximum: Option<i32>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub places_updated_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub status: ServiceStatus,
    #[diesel(sql_type = Date)]
    pub date_maj: NaiveDate,
    #[diesel(sql_type = Nullable<Jsonb>)]
    pub source_values: Option<serde_json::Value>,
    #[diesel(sql_type = Array<Text>)]
    pub locally_edited: Vec<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub source_seen_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Int4)]
    pub version: i32,
}

impl ServiceRow {
    /// A new draft of `b` for `structure` at `position` (the one constructor: the editor's
    /// writes and the import start from it and keep what they carry over).
    pub fn from_input(
        b: api_types::ServiceInput,
        structure: StructureId,
        position: Option<(f64, f64)>,
        now: DateTime<Utc>,
    ) -> ServiceRow {
        ServiceRow {
            id: ServiceId::new(),
            structure_id: structure,
            source: String::new(),
            source_id: None,
            nom: b.nom,
            description: b.description,
            lien_source: b.lien_source,
            type_: b.type_,
            thematiques: b.thematiques,
            frais: b.frais,
            frais_precisions: b.frais_precisions,
            publics: b.publics,
            publics_precisions: b.publics_precisions,
            conditions_acces: b.conditions_acces,
            adresse: b.adresse,
            complement_adresse: b.complement_adresse,
            code_postal: b.code_postal,
            commune_insee: b.code_insee,
            telephone: b.telephone,
            courriel: b.courriel,
            modes_accueil: b
                .modes_accueil
                .iter()
                .map(|m| m.as_str().to_string())
                .collect(),
            zone_eligibilite: b.zone_eligibilite,
            contact_nom_prenom: b.contact_nom_prenom,
            lien_mobilisation: b.lien_mobilisation,
            modes_mobilisation: b.modes_mobilisation,
            mobilisable_par: b.mobilisable_par,
            mobilisation_precisions: b.mobilisation_precisions,
            volume_horaire_hebdomadaire: b.volume_horaire_hebdomadaire,
            nombre_semaines: b.nombre_semaines,
            horaires_accueil: b.horaires_accueil,
            latitude: position.map(|p| p.0),
            longitude: position.map(|p| p.1),
            age_min: b.age_min,
            age_max: b.age_max,
            places_available: None,
            places_maximum: None,
            places_updated_at: None,
            status: ServiceStatus::Draft,
            date_maj: now.date_naive(),
            source_values: None,
            locally_edited: Vec::new(),
            source_seen_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }
}

/// A service with the name of its structure.
#[derive(Debug, Clone, QueryableByName)]
pub struct WithStructure {
    #[diesel(embed)]
    pub service: ServiceRow,
    #[diesel(sql_type = Text)]
    pub structure_name: String,
}

/// The columns of a service row (the table has more than Diesel's 32-column `table!`, so its
/// statements are written here).
const COLUMNS: &str = "id, structure_id, source, source_id, nom, description, lien_source, type, thematiques, frais, frais_precisions, publics, publics_precisions, conditions_acces, adresse, complement_adresse, code_postal, commune_insee, telephone, courriel, modes_accueil, zone_eligibilite, contact_nom_prenom, lien_mobilisation, modes_mobilisation, mobilisable_par, mobilisation_precisions, volume_horaire_hebdomadaire, nombre_semaines, horaires_accueil, latitude, longitude, age_min, age_max, places_available, places_maximum, places_updated_at, status, date_maj, source_values, locally_edited, source_seen_at, created_at, updated_at, version";

fn bind_row<'a>(
    q: BoxedSqlQuery<'a, Pg, SqlQuery>,
    r: &'a ServiceRow,
) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
    q.bind::<SqlUuid, _>(&r.id)
        .bind::<SqlUuid, _>(&r.structure_id)
        .bind::<Text, _>(&r.source)
        .bind::<Nullable<Text>, _>(&r.source_id)
        .bind::<Text, _>(&r.nom)
        .bind::<Text, _>(&r.description)
        .bind::<Nullable<Text>, _>(&r.lien_source)
        .bind::<Nullable<Text>, _>(&r.type_)
        .bind::<Array<Text>, _>(&r.thematiques)
        .bind::<Nullable<Text>, _>(&r.frais)
        .bind::<Nullable<Text>, _>(&r.frais_precisions)
        .bind::<Array<Text>, _>(&r.publics)
        .bind::<Nullable<Text>, _>(&r.publics_precisions)
        .bind::<Nullable<Text>, _>(&r.conditions_acces)
        .bind::<Nullable<Text>, _>(&r.adresse)
        .bind::<Nullable<Text>, _>(&r.complement_adresse)
        .bind::<Nullable<Text>, _>(&r.code_postal)
        .bind::<Nullable<Text>, _>(&r.commune_insee)
        .bind::<Nullable<Text>, _>(&r.telephone)
        .bind::<Nullable<Text>, _>(&r.courriel)
        .bind::<Array<Text>, _>(&r.modes_accueil)
        .bind::<Array<Text>, _>(&r.zone_eligibilite)
        .bind::<Nullable<Text>, _>(&r.contact_nom_prenom)
        .bind::<Nullable<Text>, _>(&r.lien_mobilisation)
        .bind::<Array<Text>, _>(&r.modes_mobilisation)
        .bind::<Array<Text>, _>(&r.mobilisable_par)
        .bind::<Nullable<Text>, _>(&r.mobilisation_precisions)
        .bind::<Nullable<Double>, _>(&r.volume_horaire_hebdomadaire)
        .bind::<Nullable<Int4>, _>(&r.nombre_semaines)
        .bind::<Nullable<Text>, _>(&r.horaires_accueil)
        .bind::<Nullable<Double>, _>(&r.latitude)
        .bind::<Nullable<Double>, _>(&r.longitude)
        .bind::<Nullable<Int4>, _>(&r.age_min)
        .bind::<Nullable<Int4>, _>(&r.age_max)
        .bind::<Nullable<Int4>, _>(&r.places_available)
        .bind::<Nullable<Int4>, _>(&r.places_maximum)
        .bind::<Nullable<Timestamptz>, _>(&r.places_updated_at)
        .bind::<Text, _>(&r.status)
        .bind::<Date, _>(&r.date_maj)
        .bind::<Nullable<Jsonb>, _>(&r.source_values)
        .bind::<Array<Text>, _>(&r.locally_edited)
        .bind::<Nullable<Timestamptz>, _>(&r.source_seen_at)
        .bind::<Timestamptz, _>(&r.created_at)
        .bind::<Timestamptz, _>(&r.updated_at)
        .bind::<Int4, _>(&r.version)
}

/// Inserts `rows` in one statement (an import's new services of a batch): 45 parameters a
/// row, so up to 1,400 rows fit Postgres's 65,535.
pub fn insert_many(conn: &mut PgConnection, rows: &[ServiceRow]) -> QueryResult<usize> {
    use std::fmt::Write as _;
    if rows.is_empty() {
        return Ok(0);
    }
    let n = COLUMNS.split(',').count();
    let mut sql = format!("INSERT INTO services ({COLUMNS}) VALUES ");
    for i in 0..rows.len() {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for k in 1..=n {
            let sep = if k == 1 { "" } else { ", " };
            let _ = write!(sql, "{sep}${}", i * n + k);
        }
        sql.push(')');
    }
    let mut q = diesel::sql_query(sql).into_boxed();
    for r in rows {
        q = bind_row(q, r);
    }
    q.execute(conn)
}

pub fn insert(conn: &mut PgConnection, row: &ServiceRow) -> QueryResult<ServiceRow> {
    let q = diesel::sql_query(format!(
        "INSERT INTO services ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45) RETURNING {COLUMNS}"
    ))
    .into_boxed();
    bind_row(q, row).get_result(conn)
}

/// Saves `row` if its version is still `expected` (the row carries the next version). Any
/// such write ends a suspension by an import (`suspended_missing`): the status is then the
/// writer's.
pub fn update(
    conn: &mut PgConnection,
    row: &ServiceRow,
    expected: i32,
) -> QueryResult<Option<ServiceRow>> {
    let q = diesel::sql_query(format!(
        "UPDATE services SET structure_id = $2, source = $3, source_id = $4, nom = $5, description = $6, lien_source = $7, type = $8, thematiques = $9, frais = $10, frais_precisions = $11, publics = $12, publics_precisions = $13, conditions_acces = $14, adresse = $15, complement_adresse = $16, code_postal = $17, commune_insee = $18, telephone = $19, courriel = $20, modes_accueil = $21, zone_eligibilite = $22, contact_nom_prenom = $23, lien_mobilisation = $24, modes_mobilisation = $25, mobilisable_par = $26, mobilisation_precisions = $27, volume_horaire_hebdomadaire = $28, nombre_semaines = $29, horaires_accueil = $30, latitude = $31, longitude = $32, age_min = $33, age_max = $34, places_available = $35, places_maximum = $36, places_updated_at = $37, status = $38, date_maj = $39, source_values = $40, locally_edited = $41, source_seen_at = $42, created_at = $43, updated_at = $44, version = $45, suspended_missing = false WHERE id = $1 AND version = $46 RETURNING {COLUMNS}"
    ))
    .into_boxed();
    bind_row(q, row)
        .bind::<Int4, _>(expected)
        .get_result(conn)
        .optional()
}

/// A service, locked for an update in this transaction.
pub fn get_for_update(conn: &mut PgConnection, id: ServiceId) -> QueryResult<Option<ServiceRow>> {
    diesel::sql_query(format!(
        "SELECT {COLUMNS} FROM services WHERE id = $1 FOR UPDATE"
    ))
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .optional()
}

pub fn get(conn: &mut PgConnection, id: ServiceId) -> QueryResult<Option<WithStructure>> {
    let mut s = Sql::new("SELECT ");
    s.push(SERVICE_COLUMNS).push(", st.name AS structure_name FROM services s JOIN structures st ON st.id = s.structure_id WHERE s.id = ");
    let i = s.uuid(id);
    s.push(&i);
    Ok(s.load::<WithStructure>(conn)?.pop())
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Only this structure's (a receiver's own; an administrator's choice).
    pub structure: Option<StructureId>,
    pub status: Option<ServiceStatus>,
    pub after: Option<(String, uuid::Uuid)>,
}

/// Keyset by (lower(nom), id); filters combine with AND.
pub fn list(conn: &mut PgConnection, f: &Filter, limit: i64) -> QueryResult<Vec<WithStructure>> {
    let mut s = Sql::new("SELECT ");
    s.push(SERVICE_COLUMNS)
        .push(", st.name AS structure_name FROM services s JOIN structures st ON st.id = s.structure_id WHERE true");
    if let Some(st) = f.structure {
        let b = s.uuid(st.uuid());
        s.push(&format!(" AND s.structure_id = {b}"));
    }
    if let Some(status) = f.status {
        let b = s.text(status.as_str());
        s.push(&format!(" AND s.status = {b}"));
    }
    if let Some((nom, id)) = &f.after {
        let (n, i) = (s.text(nom), s.uuid(*id));
        s.push(&format!(" AND (lower(s.nom), s.id) > ({n}, {i})"));
    }
    let l = s.int(limit);
    s.push(&format!(" ORDER BY lower(s.nom), s.id LIMIT {l}"));
    s.load(conn)
}

/// One line of a service's history.
pub struct EventDraft<'a> {
    pub service: ServiceId,
    pub kind: &'a str,
    pub from: Option<ServiceStatus>,
    pub to: ServiceStatus,
    pub user: Option<uuid::Uuid>,
    pub client: Option<uuid::Uuid>,
    pub at: DateTime<Utc>,
    pub version: i32,
}

pub fn record(conn: &mut PgConnection, e: &EventDraft) -> QueryResult<()> {
    diesel::insert_into(service_events::table)
        .values((
            service_events::service_id.eq(e.service),
            service_events::kind.eq(e.kind),
            service_events::from_status.eq(e.from.map(|s| s.as_str())),
            service_events::to_status.eq(e.to.as_str()),
            service_events::actor_user_id.eq(e.user),
            service_events::actor_client_id.eq(e.client),
            service_events::occurred_at.eq(e.at),
            service_events::version.eq(e.version),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records `events` in one statement.
pub fn record_many(conn: &mut PgConnection, events: &[EventDraft]) -> QueryResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let values: Vec<_> = events
        .iter()
        .map(|e| {
            (
                service_events::service_id.eq(e.service),
                service_events::kind.eq(e.kind),
                service_events::from_status.eq(e.from.map(|s| s.as_str())),
                service_events::to_status.eq(e.to.as_str()),
                service_events::actor_user_id.eq(e.user),
                service_events::actor_client_id.eq(e.client),
                service_events::occurred_at.eq(e.at),
                service_events::version.eq(e.version),
            )
        })
        .collect();
    diesel::insert_into(service_events::table)
        .values(values)
        .execute(conn)
}

/// What the public search asks (already checked by the route).
#[derive(Debug, Clone)]
pub struct Search {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    pub bbox: crate::domain::service::geo::BoundingBox,
    /// Zone codes covering the place searched (`domain::service::zone::keys`).
    pub zone_keys: Vec<String>,
    pub thematiques: Vec<String>,
    pub publics: Vec<String>,
    pub types: Vec<String>,
    pub frais: Vec<String>,
    pub modes: Vec<String>,
    pub age: Option<i32>,
    pub q: Option<String>,
    /// Leave out the services that say they have no place left (the matching).
    pub not_full: bool,
    /// Leave out these services (the matching's exclusions).
    pub exclude: Vec<uuid::Uuid>,
    pub after: Option<SearchKey>,
    pub limit: i64,
}

/// The sort key of a result: text rank (with `q`; 0 otherwise), distance (a large number
/// when unknown), id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchKey {
    pub rank: f32,
    pub distance: f64,
    pub id: uuid::Uuid,
}

/// Distances sort unknown positions last.
pub const NO_DISTANCE: f64 = 1.0e9;

#[derive(Debug, Clone, QueryableByName)]
pub struct Hit {
    #[diesel(embed)]
    pub service: ServiceRow,
    #[diesel(sql_type = Text)]
    pub structure_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub structure_commune: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub structure_site_web: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub commune_name: Option<String>,
    #[diesel(sql_type = Double)]
    pub sort_distance: f64,
    #[diesel(sql_type = Float)]
    pub rank: f32,
}

const SERVICE_COLUMNS: &str = "s.id, s.structure_id, s.source, s.source_id, s.nom, s.description, \
    s.lien_source, s.type, s.thematiques, s.frais, s.frais_precisions, s.publics, \
    s.publics_precisions, s.conditions_acces, s.adresse, s.complement_adresse, s.code_postal, \
    s.commune_insee, s.telephone, s.courriel, s.modes_accueil, s.zone_eligibilite, \
    s.contact_nom_prenom, s.lien_mobilisation, s.modes_mobilisation, s.mobilisable_par, \
    s.mobilisation_precisions, s.volume_horaire_hebdomadaire, s.nombre_semaines, \
    s.horaires_accueil, s.latitude, s.longitude, s.age_min, s.age_max, s.places_available, \
    s.places_maximum, s.places_updated_at, s.status, s.date_maj, s.source_values, \
    s.locally_edited, s.source_seen_at, s.created_at, s.updated_at, s.version";

/// The statement of a search. Candidates come from index ranges — the box around the
/// point (per thematique when thematiques are asked, from `service_thematiques`), and the
/// remote services of the zone — then every filter applies to them exactly.
pub fn search_sql(p: &Search) -> Sql {
    if is_common(p) {
        common_search_sql(p)
    } else {
        general_search_sql(p)
    }
}

/// The statement of any search (the common one too, when asked: the benchmark compares
/// them).
pub fn general_search_sql(p: &Search) -> Sql {
    let mut s = Sql::new("");
    let (lat, lon) = (s.float(p.lat), s.float(p.lon));
    let b = &p.bbox;
    let (la0, la1, lo0, lo1) = (
        s.float(b.min_lat),
        s.float(b.max_lat),
        s.float(b.min_lon),
        s.float(b.max_lon),
    );
    let keys = s.texts(p.zone_keys.clone());
    // Remote services of the zone (whatever the distance). Most are national, so the zone
    // alone selects thousands: with thematiques, `service_remote_thematiques` answers from its
    // index alone (docs/PERFORMANCE.md).
    let remote = if p.thematiques.is_empty() {
        format!(
            "SELECT id FROM services WHERE status = 'published' AND 'a-distance' = ANY (modes_accueil) \
             AND (zone_eligibilite && {keys} OR zone_eligibilite = '{{}}')"
        )
    } else {
        let th = s.texts(p.thematiques.clone());
        format!(
            "SELECT service_id FROM service_remote_thematiques WHERE thematique = ANY ({th}) \
             AND (zone_eligibilite && {keys} OR zone_eligibilite = '{{}}')"
        )
    };
    let near = if p.thematiques.is_empty() {
        format!(
            "SELECT id FROM services WHERE status = 'published' AND latitude BETWEEN {la0} AND {la1} \
             AND longitude BETWEEN {lo0} AND {lo1}"
        )
    } else {
        let th = s.texts(p.thematiques.clone());
        format!(
            "SELECT service_id AS id FROM service_thematiques WHERE thematique = ANY ({th}) \
             AND latitude BETWEEN {la0} AND {la1} AND longitude BETWEEN {lo0} AND {lo1}"
        )
    };
    let query = p.q.as_deref().map(|q| s.text(q));
    let tsq = query
        .as_deref()
        .map(|q| format!("websearch_to_tsquery('sas_french', {q})"));
    s.push("WITH cand AS (")
        .push(&near)
        .push(" UNION ")
        .push(&remote)
        // The page is chosen on the services' own columns; its structures and communes are
        // joined for the rows shown only.
        .push("), hit AS (SELECT s.id, s.modes_accueil, coalesce(sas_distance_km(")
        .push(&lat)
        .push(", ")
        .push(&lon)
        .push(", s.latitude, s.longitude), ")
        .push(&NO_DISTANCE.to_string())
        .push("::float8) AS sort_distance, ")
        .push(&match &tsq {
            Some(t) => format!("ts_rank(s.search_vector, {t})"),
            None => "0::real".to_string(),
        })
        .push(
            " AS rank FROM cand JOIN services s ON s.id = cand.id \
             WHERE s.status = 'published' AND (s.zone_eligibilite && ",
        )
        .push(&keys)
        .push(" OR s.zone_eligibilite = '{}')");
    for (list, col) in [
        (&p.thematiques, "s.thematiques"),
        (&p.publics, "s.publics"),
        (&p.modes, "s.modes_accueil"),
    ] {
        if !list.is_empty() {
            let b = s.texts(list.clone());
            s.push(&format!(" AND {col} && {b}"));
        }
    }
    for (list, col) in [(&p.types, "s.type"), (&p.frais, "s.frais")] {
        if !list.is_empty() {
            let b = s.texts(list.clone());
            s.push(&format!(" AND {col} = ANY ({b})"));
        }
    }
    if let Some(age) = p.age {
        let a = s.int(i64::from(age));
        s.push(&format!(
            " AND (s.age_min IS NULL OR s.age_min <= {a}) AND (s.age_max IS NULL OR s.age_max >= {a})"
        ));
    }
    if let Some(t) = &tsq {
        s.push(&format!(" AND s.search_vector @@ {t}"));
    }
    if p.not_full {
        s.push(" AND (s.places_available IS NULL OR s.places_available > 0)");
    }
    if !p.exclude.is_empty() {
        let e = s.texts(p.exclude.iter().map(|u| u.to_string()).collect());
        s.push(&format!(" AND NOT (s.id = ANY ({e}::uuid[]))"));
    }
    let radius = s.float(p.radius_km);
    s.push(&format!(
        "), pg AS (SELECT id, sort_distance, rank FROM hit \
         WHERE ('a-distance' = ANY (modes_accueil) OR sort_distance <= {radius})"
    ));
    push_after(&mut s, p.after, "AND", "-rank");
    let limit = s.int(p.limit);
    s.push(&format!(
        " ORDER BY rank DESC, sort_distance, id LIMIT {limit}) SELECT "
    ));
    push_page(&mut s);
    s
}

/// The keyset condition of both search statements: the rows after `after` in the order
/// (rank descending, distance, id), `rank` being the statement's negated rank (`-rank`, or
/// `0::real` without a text rank), after `keyword` (`AND` or `WHERE`).
fn push_after(s: &mut Sql, after: Option<SearchKey>, keyword: &str, rank: &str) {
    if let Some(k) = after {
        let (r, d, id) = (
            s.float(f64::from(-k.rank)),
            s.float(k.distance),
            s.uuid(k.id),
        );
        s.push(&format!(
            " {keyword} ({rank}, sort_distance, id) > ({r}::real, {d}, {id})"
        ));
    }
}

/// The page's rows (`pg`: id, sort_distance, rank) with their services, structures and
/// communes.
fn push_page(s: &mut Sql) {
    s.push(SERVICE_COLUMNS).push(
        ", st.name AS structure_name, sc.name AS structure_commune, \
         st.website AS structure_site_web, c.name AS commune_name, pg.sort_distance, pg.rank \
         FROM pg JOIN services s ON s.id = pg.id JOIN structures st ON st.id = s.structure_id \
         LEFT JOIN communes sc ON sc.insee = st.commune_insee \
         LEFT JOIN communes c ON c.insee = s.commune_insee \
         ORDER BY pg.rank DESC, pg.sort_distance, pg.id",
    );
}

/// The common search — a place and thematiques, nothing else (the targets' "commune + 2
/// thematiques"): everything its page is chosen by (published, thematique, zone, position)
/// is in the search tables, so no other column of `services` is needed before the page.
fn is_common(p: &Search) -> bool {
    !p.thematiques.is_empty()
        && p.publics.is_empty()
        && p.types.is_empty()
        && p.frais.is_empty()
        && p.modes.is_empty()
        && p.age.is_none()
        && p.q.is_none()
        && !p.not_full
        && p.exclude.is_empty()
}

/// The statement of a common search: the in-person candidates within the radius and the
/// remote ones of the zone, filtered and ordered from index-only scans of
/// `service_thematiques` and `service_remote_thematiques` (their rows carry the zone and the
/// position), then `services` and the rest joined for the page's rows only. Same result as
/// the general statement: a service in both tables has the same position in each, so UNION
/// keeps it once; in-person rows beyond the radius are left out, remote ones never.
pub fn common_search_sql(p: &Search) -> Sql {
    let mut s = Sql::new("");
    let (lat, lon) = (s.float(p.lat), s.float(p.lon));
    let b = &p.bbox;
    let (la0, la1, lo0, lo1) = (
        s.float(b.min_lat),
        s.float(b.max_lat),
        s.float(b.min_lon),
        s.float(b.max_lon),
    );
    let keys = s.texts(p.zone_keys.clone());
    let th = s.texts(p.thematiques.clone());
    let radius = s.float(p.radius_km);
    let dist = format!("sas_distance_km({lat}, {lon}, latitude, longitude)");
    let zone = format!("(zone_eligibilite && {keys} OR zone_eligibilite = '{{}}')");
    s.push(&format!(
        "WITH cand AS (SELECT service_id AS id, {dist} AS sort_distance \
         FROM service_thematiques WHERE thematique = ANY ({th}) \
         AND latitude BETWEEN {la0} AND {la1} AND longitude BETWEEN {lo0} AND {lo1} \
         AND {zone} AND {dist} <= {radius} \
         UNION SELECT service_id, coalesce({dist}, {NO_DISTANCE}::float8) \
         FROM service_remote_thematiques WHERE thematique = ANY ({th}) AND {zone}), \
         pg AS (SELECT id, sort_distance, 0::real AS rank FROM cand"
    ));
    push_after(&mut s, p.after, "WHERE", "0::real");
    let limit = s.int(p.limit);
    s.push(&format!(
        " ORDER BY sort_distance, id LIMIT {limit}) SELECT "
    ));
    push_page(&mut s);
    s
}

pub fn search(conn: &mut PgConnection, p: &Search) -> QueryResult<Vec<Hit>> {
    search_sql(p).load(conn)
}

/// The commune nearest to a point (a search from a point checks eligibility against it).
pub fn nearest_commune(conn: &mut PgConnection, lat: f64, lon: f64) -> QueryResult<Option<String>> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = Text)]
        insee: String,
    }
    // Widen the box until it holds a commune (a few km on the mainland, more at sea).
    for km in [10.0, 40.0, 200.0, 1000.0] {
        let b = crate::domain::service::geo::bounding_box(lat, lon, km);
        let mut s =
            Sql::new("SELECT insee FROM communes WHERE retired_at IS NULL AND latitude BETWEEN ");
        let (la0, la1, lo0, lo1) = (
            s.float(b.min_lat),
            s.float(b.max_lat),
            s.float(b.min_lon),
            s.float(b.max_lon),
        );
        let (pla, plo) = (s.float(lat), s.float(lon));
        s.push(&format!(
            "{la0} AND {la1} AND longitude BETWEEN {lo0} AND {lo1} \
             ORDER BY sas_distance_km({pla}, {plo}, latitude, longitude), insee LIMIT 1"
        ));
        if let Some(f) = s.load::<Found>(conn)?.pop() {
            return Ok(Some(f.insee));
        }
    }
    Ok(None)
}

/// A published service for the export, with what v1 wants of its structure.
#[derive(Debug, Clone, QueryableByName)]
pub struct ExportRow {
    #[diesel(embed)]
    pub service: ServiceRow,
    #[diesel(sql_type = Nullable<Text>)]
    pub commune_name: Option<String>,
}

/// A page of published services by id.
pub fn export_page(
    conn: &mut PgConnection,
    after: Option<uuid::Uuid>,
    limit: i64,
) -> QueryResult<Vec<ExportRow>> {
    let mut s = Sql::new("SELECT ");
    s.push(SERVICE_COLUMNS)
        .push(", c.name AS commune_name FROM services s LEFT JOIN communes c ON c.insee = s.commune_insee WHERE s.status = 'published'");
    if let Some(a) = after {
        let a = s.uuid(a);
        s.push(&format!(" AND s.id > {a}"));
    }
    let l = s.int(limit);
    s.push(&format!(" ORDER BY s.id LIMIT {l}"));
    s.load(conn)
}

/// The départements of each région (the export writes a région as its départements).
pub fn region_departements(
    conn: &mut PgConnection,
    regions: Vec<String>,
) -> QueryResult<Vec<(String, String)>> {
    #[derive(QueryableByName)]
    struct P {
        #[diesel(sql_type = Text)]
        region: String,
        #[diesel(sql_type = Text)]
        departement: String,
    }
    let mut s = Sql::new("SELECT DISTINCT region, departement FROM communes WHERE retired_at IS NULL AND region = ANY (");
    let r = s.texts(regions);
    s.push(&r).push(") ORDER BY region, departement");
    Ok(s.load::<P>(conn)?
        .into_iter()
        .map(|p| (p.region, p.departement))
        .collect())
}

/// Zone codes (already of a known shape) that name no commune, EPCI, département or région.
pub fn unknown_zone_codes(conn: &mut PgConnection, codes: Vec<String>) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct U {
        #[diesel(sql_type = Text)]
        code: String,
    }
    let mut s = Sql::new("SELECT z AS code FROM unnest(");
    let c = s.texts(codes);
    // One index look-up per kind of code (an OR over the columns would scan the table).
    s.push(&c).push(
        ") z WHERE z <> 'france' \
         AND NOT EXISTS (SELECT 1 FROM communes WHERE insee = z AND retired_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM communes WHERE epci = z AND retired_at IS NULL) \
         AND NOT EXISTS (SELECT 1 FROM communes WHERE departement = z AND retired_at IS NULL) \
         AND NOT (z LIKE 'R%' AND EXISTS (SELECT 1 FROM communes WHERE region = substr(z, 2) AND retired_at IS NULL))",
    );
    Ok(s.load::<U>(conn)?.into_iter().map(|u| u.code).collect())
}

/// The services of `source` among `ids` (an import's batch), locked for its transaction:
/// one look-up of `services_source` per id. (`source_id = ANY($2)` let the planner, without
/// statistics on a table the import is filling, read the index on `source` alone and filter
/// every service of the source, once per batch: 27 of the 77 s of a first import,
/// docs/PERFORMANCE.md.)
pub fn by_source_ids(
    conn: &mut PgConnection,
    source: &str,
    ids: Vec<String>,
) -> QueryResult<Vec<ServiceRow>> {
    diesel::sql_query(format!(
        "SELECT s.* FROM unnest($2::text[]) AS k(source_id) CROSS JOIN LATERAL \
         (SELECT {COLUMNS} FROM services WHERE source = $1 AND source_id = k.source_id FOR UPDATE) s"
    ))
    .bind::<Text, _>(source)
    .bind::<Array<Text>, _>(ids)
    .load(conn)
}

/// Among `ids`, the services an import suspended because their source stopped listing them
/// (and nobody changed since): those a later edition that lists them again publishes again.
pub fn suspended_missing(
    conn: &mut PgConnection,
    ids: Vec<uuid::Uuid>,
) -> QueryResult<Vec<uuid::Uuid>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: uuid::Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "SELECT id FROM services WHERE id = ANY($1) AND status = 'suspended' AND suspended_missing",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Marks the services of `ids` as listed by their source at `at` (an import that found
/// nothing to change).
pub fn touch_seen(
    conn: &mut PgConnection,
    ids: Vec<uuid::Uuid>,
    at: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query("UPDATE services SET source_seen_at = $2 WHERE id = ANY($1)")
        .bind::<Array<SqlUuid>, _>(ids)
        .bind::<Timestamptz, _>(at)
        .execute(conn)
}

#[derive(QueryableByName)]
pub struct Suspended {
    #[diesel(sql_type = SqlUuid)]
    pub id: ServiceId,
    #[diesel(sql_type = Int4)]
    pub version: i32,
}

/// Suspends the published services of `sources` that the edition imported since `since`
/// did not list (a service missing from a later edition of its source).
pub fn suspend_missing(
    conn: &mut PgConnection,
    sources: Vec<String>,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Suspended>> {
    diesel::sql_query(
        "UPDATE services SET status = 'suspended', suspended_missing = true, \
         version = version + 1, updated_at = $3 \
         WHERE source = ANY($1) AND status = 'published' \
         AND (source_seen_at IS NULL OR source_seen_at < $2) RETURNING id, version",
    )
    .bind::<Array<Text>, _>(sources)
    .bind::<Timestamptz, _>(since)
    .bind::<Timestamptz, _>(now)
    .load(conn)
}

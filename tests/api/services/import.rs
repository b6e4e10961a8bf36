//! The import of data·inclusion files (`tests/fixtures/offer/`, with bad rows): run twice,
//! it creates nothing more; a later edition updates what its source changed, keeps what
//! was edited here and suspends what it no longer lists.
use std::path::PathBuf;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sas_api::jobs::import::{import_files, Report};

use super::*;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/offer")).join(name)
}

pub const EDITION_1: [&str; 4] = [
    // Services first on purpose: structures files are imported before the others.
    "services-inclusion-2026-11-24.json",
    "services-inclusion-2026-11-24.csv",
    "structures-inclusion-2026-11-24.json",
    "structures-inclusion-2026-11-24.csv",
];

fn run(app: &TestApp, files: &[&str]) -> Report {
    let mut conn = app.db();
    let files: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    import_files(
        &mut conn,
        &files,
        sas_api::clock::Clock::now(&app.clock),
        None,
        Arc::new(|_: &str, _: u64, _: u64| {}),
        &mut |_, _| Ok(()),
    )
    .expect("import")
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    source_id: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    nom: String,
}

fn services_of(app: &TestApp) -> Vec<(String, String)> {
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT source_id, status, nom FROM services WHERE source <> 'sas' ORDER BY source_id",
    )
    .load(&mut app.db())
    .expect("services");
    rows.into_iter().map(|r| (r.source_id, r.status)).collect()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(app: &TestApp, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut app.db())
        .expect("count")
        .n
}

fn counts(r: &Report) -> [u64; 6] {
    [
        r.rows,
        r.created,
        r.updated,
        r.unchanged,
        r.rejected,
        r.suspended,
    ]
}

#[actix_web::test]
async fn importing_the_same_edition_twice_creates_nothing_more_and_reports_each_bad_row() {
    let app = TestApp::spawn().await;
    let first = run(&app, &EDITION_1);
    // 20 rows: 9 good (4 structures, 5 services), 11 bad.
    assert_eq!(counts(&first), [20, 9, 0, 0, 11, 0], "{first:#?}");
    let reasons: Vec<(String, u64, String)> = first
        .rejected_rows
        .iter()
        .map(|r| (r.file.clone(), r.row, r.reason.clone()))
        .collect();
    let s_json = "structures-inclusion-2026-11-24.json".to_string();
    let s_csv = "structures-inclusion-2026-11-24.csv".to_string();
    let v_json = "services-inclusion-2026-11-24.json".to_string();
    let v_csv = "services-inclusion-2026-11-24.csv".to_string();
    assert_eq!(
        reasons,
        vec![
            (s_json.clone(), 3, "nom: required".into()),
            (s_json.clone(), 4, "siret: invalid_siret".into()),
            (s_json, 5, "row: not_an_object".into()),
            (s_csv, 3, "source: required".into()),
            (v_json.clone(), 4, "thematiques[0]: unknown_code".into()),
            (v_json.clone(), 5, "structure_id: unknown_structure".into()),
            (v_json.clone(), 6, "date_maj: invalid_date".into()),
            (
                v_json.clone(),
                7,
                "zone_eligibilite[0]: unknown_zone".into()
            ),
            (v_json, 8, "row: not_an_object".into()),
            (v_csv.clone(), 3, "modes_accueil: unknown_code".into()),
            (v_csv, 4, "volume_horaire_hebdomadaire: not_a_number".into()),
        ]
    );
    let published = |id: &str| (id.to_string(), "published".to_string());
    assert_eq!(
        services_of(&app),
        vec![
            published("dora-v1"),
            published("dora-v2"),
            published("dora-v3"),
            published("sol-v1"),
            published("sol-v2"),
        ]
    );
    // Quirks read: epoch milliseconds, Python lists in CSV cells; unknown kind → INCONNU.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM services WHERE source_id = 'dora-v1' AND date_maj = '2024-11-24'"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM services WHERE source_id = 'sol-v1' \
             AND modes_accueil = ARRAY['a-distance', 'en-presentiel'] AND cardinality(thematiques) = 2"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM structures WHERE source_id IN ('dora-s2', 'sol-2') AND kind = 'INCONNU'"
        ),
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM structures WHERE source_id = 'sol-1' AND kind = 'ML'"
        ),
        1
    );

    let again = run(&app, &EDITION_1);
    assert_eq!(counts(&again), [20, 0, 0, 9, 11, 0], "{again:#?}");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM services"), 5);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM structures WHERE source IS NOT NULL"
        ),
        4
    );
}

#[actix_web::test]
async fn a_structure_is_matched_by_siret_when_its_source_id_is_new() {
    let app = TestApp::spawn().await;
    let known = app
        .structure(json!({"name": "E2C déjà connue", "kind": "E2C", "siret": "12345678901237", "receiver": true}))
        .await;
    run(&app, &["structures-inclusion-2026-11-24.json"]);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM structures WHERE siret = '12345678901237' \
                 AND source_id = 'dora-s1' AND id = '{}'",
                known["id"].as_str().expect("id")
            )
        ),
        1
    );
}

#[actix_web::test]
async fn a_later_edition_updates_what_changed_keeps_local_edits_and_suspends_the_missing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    run(&app, &EDITION_1);
    let id: String = {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = Text)]
            id: String,
        }
        diesel::sql_query("SELECT id::text AS id FROM services WHERE source_id = 'dora-v1'")
            .get_result::<Id>(&mut app.db())
            .expect("id")
            .id
    };
    // An administrator renames the service here.
    let path = format!("/api/v1/services/{id}");
    let s = json_of(app.get(&path, &admin).await, StatusCode::OK).await;
    let mut body = json!({});
    for k in [
        "structure_id",
        "nom",
        "description",
        "lien_source",
        "type",
        "thematiques",
        "frais",
        "publics",
        "code_insee",
        "code_postal",
        "adresse",
        "modes_accueil",
        "zone_eligibilite",
        "volume_horaire_hebdomadaire",
        "nombre_semaines",
    ] {
        body[k] = s[k].clone();
    }
    body["nom"] = json!("Remobilisation (nom local)");
    let v = format!("\"{}\"", s["version"]);
    json_of(app.put_json(&path, &admin, &v, &body).await, StatusCode::OK).await;

    app.clock.advance(chrono::Duration::days(7));
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let second = run(&app, &["services-inclusion-2026-12-01.json"]);
    // v1 updated (its description), v2 unchanged, v3 missing: suspended. The other source's
    // services are not part of this edition.
    assert_eq!(counts(&second), [2, 0, 1, 1, 0, 1], "{second:#?}");
    let s = json_of(app.get(&path, &admin).await, StatusCode::OK).await;
    assert_eq!(
        s["nom"], "Remobilisation (nom local)",
        "the local edit is kept"
    );
    assert!(
        s["description"]
            .as_str()
            .is_some_and(|d| d.ends_with("renouvelé.")),
        "the source's change is taken: {s}"
    );
    assert_eq!(s["date_maj"], "2024-12-01");
    let statuses = services_of(&app);
    assert!(
        statuses.contains(&("dora-v3".into(), "suspended".into())),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("sol-v1".into(), "published".into())),
        "{statuses:?}"
    );

    // Run again: nothing changes, the suspended one stays suspended.
    app.clock.advance(chrono::Duration::days(1));
    let third = run(&app, &["services-inclusion-2026-12-01.json"]);
    assert_eq!(counts(&third), [2, 0, 0, 2, 0, 0], "{third:#?}");
}

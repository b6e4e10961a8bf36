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

async fn upload(app: &TestApp, token: &str, name: &str, query: &str) -> Response {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    app.req(
        Method::POST,
        &format!("/api/v1/services/imports?file_name={name}{query}"),
        Some(token),
    )
    .header("Content-Type", "application/octet-stream")
    .body(bytes)
    .send()
    .await
    .expect("request")
}

async fn settled(app: &TestApp, token: &str, location: &str) -> Value {
    eventually(30, "the import's report", || async {
        let v = json_of(app.get(location, token).await, StatusCode::OK).await;
        (v["status"] == "done" || v["status"] == "failed").then_some(v)
    })
    .await
}

#[actix_web::test]
async fn an_uploaded_file_is_imported_by_a_job_with_its_report_twice_without_duplicates() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Without a reason: refused, nothing queued.
    let p = problem(
        upload(&app, &admin, "structures-inclusion-2026-11-24.json", "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![("reason".to_string(), "required".to_string())]
    );
    problem(
        upload(
            &app,
            &admin,
            "structures-inclusion-2026-11-24.json",
            "&reason=x&status=done",
        )
        .await,
        StatusCode::BAD_REQUEST,
        "unknown_parameter",
    )
    .await;
    for round in 0..2 {
        let res = upload(
            &app,
            &admin,
            "structures-inclusion-2026-11-24.json",
            "&reason=Édition%20hebdomadaire",
        )
        .await;
        let location = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string)
            .expect("location");
        let queued = json_of(res, StatusCode::ACCEPTED).await;
        assert_eq!(queued["status"], "queued");
        let done = settled(&app, &admin, &location).await;
        assert_eq!(done["status"], "done", "{done}");
        let created = if round == 0 { 2 } else { 0 };
        assert_eq!(
            [
                &done["rows"],
                &done["created"],
                &done["unchanged"],
                &done["rejected"]
            ],
            [&json!(5), &json!(created), &json!(2 - created), &json!(3)],
            "{done}"
        );
        assert_eq!(done["bytes_read"], done["bytes"]);
        assert_eq!(
            done["rejected_rows"][1],
            json!({"file": "structures-inclusion-2026-11-24.json", "row": 4, "id": "dora-s4", "reason": "siret: invalid_siret"})
        );
    }
    let res = upload(
        &app,
        &admin,
        "services-inclusion-2026-11-24.json",
        "&reason=Services",
    )
    .await;
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let done = settled(&app, &admin, &location).await;
    assert_eq!(
        [&done["created"], &done["rejected"]],
        [&json!(3), &json!(5)],
        "{done}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM admin_audit WHERE action = 'offer.import'"
        ),
        3
    );
    // Only administrators import.
    let w = app.world().await;
    problem(
        upload(
            &app,
            &w.receiver,
            "services-inclusion-2026-11-24.json",
            "&reason=x",
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[actix_web::test]
async fn one_import_runs_at_a_time_and_a_file_too_large_is_refused() {
    let app = TestApp::spawn_with(&[("SAS_JOBS", "off"), ("SAS_IMPORT_MAX_BYTES", "700")]).await;
    let admin = app.admin().await;
    let first = upload(
        &app,
        &admin,
        "structures-inclusion-2026-11-24.csv",
        "&reason=Une",
    )
    .await;
    json_of(first, StatusCode::ACCEPTED).await;
    problem(
        upload(
            &app,
            &admin,
            "structures-inclusion-2026-11-24.csv",
            "&reason=Deux",
        )
        .await,
        StatusCode::CONFLICT,
        "import_running",
    )
    .await;
    // Larger than SAS_IMPORT_MAX_BYTES.
    problem(
        upload(
            &app,
            &admin,
            "structures-inclusion-2026-11-24.json",
            "&reason=Trop",
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM offer_imports"), 1);
    problem(
        app.get(
            &format!("/api/v1/services/imports/{}", uuid::Uuid::nil()),
            &admin,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

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
async fn rows_of_one_batch_match_the_structures_written_before_them_by_siret_and_by_id() {
    let app = TestApp::spawn().await;
    // One batch (the import reads a batch's structures up front): a second id with the same
    // SIRET is the organisation known twice; the first id again updates what the batch
    // wrote.
    let dir = std::env::temp_dir().join(format!("sas-import-batch-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("structures-inclusion-batch.json");
    let row = |id: &str, nom: &str| {
        json!({"id": id, "source": "dora", "siret": "12345678901237", "nom": nom,
               "code_insee": "69123", "date_maj": 1732406400000_i64})
    };
    let rows = json!([
        row("b-s1", "Mission locale"),
        row("b-s2", "Mission locale (antenne)"),
        row("b-s1", "Mission locale renommée"),
    ]);
    std::fs::write(&file, rows.to_string()).expect("write");
    let report = import_files(
        &mut app.db(),
        std::slice::from_ref(&file),
        sas_api::clock::Clock::now(&app.clock),
        None,
        Arc::new(|_: &str, _: u64, _: u64| {}),
        &mut |_, _| Ok(()),
    )
    .expect("import");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(counts(&report), [3, 1, 1, 1, 0, 0], "{report:#?}");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM structures WHERE siret = '12345678901237' \
             AND source_id = 'b-s1' AND name = 'Mission locale renommée' AND version = 2"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM structures WHERE siret = '12345678901237'"
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

fn service_id(app: &TestApp, source_id: &str) -> String {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Text)]
        id: String,
    }
    diesel::sql_query("SELECT id::text AS id FROM services WHERE source_id = $1")
        .bind::<Text, _>(source_id)
        .get_result::<Id>(&mut app.db())
        .expect("id")
        .id
}

#[actix_web::test]
async fn a_service_suspended_as_missing_is_published_again_when_listed_but_not_one_its_owner_suspended(
) {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    run(&app, &EDITION_1);
    // dora-v2 is suspended here (by an administrator: it stays so whatever the source says).
    let v2 = format!("/api/v1/services/{}", service_id(&app, "dora-v2"));
    let s = json_of(app.get(&v2, &admin).await, StatusCode::OK).await;
    let version = format!("\"{}\"", s["version"]);
    json_of(
        app.action(&format!("{v2}/suspend"), &admin, &version).await,
        StatusCode::OK,
    )
    .await;
    // The next edition does not list dora-v3: suspended as missing.
    app.clock.advance(chrono::Duration::days(7));
    let second = run(&app, &["services-inclusion-2026-12-01.json"]);
    assert_eq!(second.suspended, 1, "{second:#?}");
    let status = |id: &str| {
        services_of(&app)
            .into_iter()
            .find(|(s, _)| s == id)
            .map(|(_, st)| st)
            .unwrap_or_default()
    };
    assert_eq!(status("dora-v3"), "suspended");
    // A later edition lists dora-v3 again (unchanged since it was suspended): published
    // again; dora-v2, suspended by its owner, is not.
    app.clock.advance(chrono::Duration::days(7));
    let third = run(&app, &["services-inclusion-2026-11-24.json"]);
    assert_eq!(status("dora-v3"), "published", "{third:#?}");
    assert_eq!(status("dora-v2"), "suspended");
    assert_eq!(third.suspended, 0);
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let v3 = format!("/api/v1/services/{}", service_id(&app, "dora-v3"));
    let s = json_of(app.get(&v3, &admin).await, StatusCode::OK).await;
    assert_eq!(s["status"], "published", "{s}");
    // Suspended as missing once more, then changed by an administrator: the owner's word
    // wins, the next edition does not publish it.
    app.clock.advance(chrono::Duration::days(7));
    run(&app, &["services-inclusion-2026-12-01.json"]);
    assert_eq!(status("dora-v3"), "suspended");
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    for action in ["archive", "suspend"] {
        let s = json_of(app.get(&v3, &admin).await, StatusCode::OK).await;
        let version = format!("\"{}\"", s["version"]);
        json_of(
            app.action(&format!("{v3}/{action}"), &admin, &version)
                .await,
            StatusCode::OK,
        )
        .await;
    }
    app.clock.advance(chrono::Duration::days(7));
    run(&app, &["services-inclusion-2026-11-24.json"]);
    assert_eq!(status("dora-v3"), "suspended");
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
    // Without Content-Length (chunked), the size is counted as the stream arrives: refused
    // once past SAS_IMPORT_MAX_BYTES, nothing kept.
    let (status, body) = chunked_upload(&app, &admin, 3, 300).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    assert!(body.contains("\"payload_too_large\""), "{body}");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM offer_imports"), 0);
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

fn context(app: &TestApp) -> sas_api::jobs::Context {
    let settings =
        sas_api::config::Settings::from_lookup(|k| app.env.get(k).cloned()).expect("settings");
    sas_api::jobs::Context::new(settings, Arc::new(app.clock.clone())).expect("context")
}

fn sql_time(app: &TestApp, sql: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
        t: Option<chrono::DateTime<chrono::Utc>>,
    }
    diesel::sql_query(sql)
        .get_result::<T>(&mut app.db())
        .expect("time")
        .t
}

#[actix_web::test]
async fn an_import_longer_than_a_job_lease_is_not_taken_by_a_second_runner() {
    let app = TestApp::spawn_with(&[("SAS_JOBS", "off")]).await;
    let admin = app.admin().await;
    json_of(
        upload(
            &app,
            &admin,
            "structures-inclusion-2026-11-24.json",
            "&reason=Longue",
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let t0 = sas_api::clock::Clock::now(&app.clock);
    let mut conn = app.db();
    // Runner A claims the import (the test runs its handler below, later on the clock).
    let claimed = sas_api::db::jobs::claim(&mut conn, "runner-a", t0, 20).expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, "offer.import");
    let held = "SELECT locked_until AS t FROM jobs WHERE kind = 'offer.import' \
                AND state = 'running' AND locked_by = 'runner-a'";
    // Six minutes on, past the five-minute lease of other jobs: a second runner leaves it.
    app.clock.advance(chrono::Duration::minutes(6));
    let b = sas_api::jobs::Runner::new(context(&app));
    assert_eq!(b.pass().expect("pass").jobs, 0);
    assert_eq!(
        sql_time(&app, held),
        Some(t0 + chrono::Duration::minutes(30))
    );
    // A works at t0 + 20 min: each batch renews its lease from the clock.
    app.clock.advance(chrono::Duration::minutes(14));
    sas_api::jobs::run(
        &context(&app),
        &mut conn,
        &claimed[0].kind,
        &claimed[0].payload,
    )
    .expect("import");
    assert_eq!(
        sql_time(&app, held),
        Some(t0 + chrono::Duration::minutes(50))
    );
    // At t0 + 40 min, past its first lease: still A's.
    app.clock.advance(chrono::Duration::minutes(20));
    assert_eq!(b.pass().expect("pass").jobs, 0);
    assert!(sql_time(&app, held).is_some(), "runner B took the import");
}

#[actix_web::test]
async fn an_import_job_given_up_is_settled_at_the_clock_time() {
    let app = TestApp::spawn_with(&[("SAS_JOBS", "off")]).await;
    let admin = app.admin().await;
    let res = upload(
        &app,
        &admin,
        "structures-inclusion-2026-11-24.json",
        "&reason=Refus",
    )
    .await;
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    json_of(res, StatusCode::ACCEPTED).await;
    // The database refuses to start it: the attempt fails; with one attempt allowed, the job
    // is parked and its import settled as failed.
    let mut conn = app.db();
    for sql in [
        "CREATE FUNCTION refuse_start() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.status = 'running' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse_start BEFORE UPDATE ON offer_imports FOR EACH ROW \
         EXECUTE FUNCTION refuse_start()",
        "UPDATE jobs SET max_attempts = 1 WHERE kind = 'offer.import'",
    ] {
        diesel::sql_query(sql).execute(&mut conn).expect(sql);
    }
    app.clock.advance(chrono::Duration::hours(3));
    let runner = sas_api::jobs::Runner::new(context(&app));
    assert_eq!(runner.pass().expect("pass").jobs, 1);
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let v = json_of(app.get(&location, &admin).await, StatusCode::OK).await;
    assert_eq!(v["status"], "failed", "{v}");
    assert_eq!(v["error"], "the import job gave up");
    let finished =
        chrono::DateTime::parse_from_rfc3339(v["finished_at"].as_str().expect("finished_at"))
            .expect("date");
    assert_eq!(finished, sas_api::clock::Clock::now(&app.clock));
}

/// POSTs `chunks` chunks of `size` bytes with `Transfer-Encoding: chunked` (no
/// Content-Length) over a plain socket; the status line and the body of the answer.
async fn chunked_upload(
    app: &TestApp,
    token: &str,
    chunks: usize,
    size: usize,
) -> (String, String) {
    use std::io::{Read, Write};
    let addr = app.base.trim_start_matches("http://").to_string();
    let head = format!(
        "POST /api/v1/services/imports?reason=Flux&file_name=flux.json HTTP/1.1\r\n\
         Host: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\n"
    );
    actix_web::rt::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        let chunk = format!("{size:x}\r\n{}\r\n", " ".repeat(size));
        // One write: the server reads it whole, then answers (and closes).
        let request = format!("{head}{}0\r\n\r\n", chunk.repeat(chunks));
        s.write_all(request.as_bytes()).expect("request");
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.lines().next().unwrap_or_default().to_string();
        let body = answer
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        (status, body)
    })
    .await
    .expect("upload")
}

/// 1,300 services of `sol-1` (three batches): rows 650, 750… 1250 bad (an unknown mode),
/// `w-dup` at rows 500 and 501 — the last row of the first batch and the first of the
/// second, renamed — so two batches that could be written at once name the same service.
fn writers_edition(dir: &std::path::Path) -> PathBuf {
    use std::fmt::Write as _;
    let mut csv =
        String::from("id,structure_id,source,nom,description,date_maj,modes_accueil,code_insee\n");
    for i in 1..=1300 {
        let (id, nom) = match i {
            500 | 501 => ("w-dup".to_string(), format!("Doublon {i}")),
            _ => (format!("w-{i}"), format!("Service {i}")),
        };
        let modes = if i > 600 && i % 100 == 50 {
            "['a-pied']"
        } else {
            "['en-presentiel']"
        };
        let _ = writeln!(
            csv,
            "{id},sol-1,soliguide,{nom},Un accompagnement.,2024-11-20,\"{modes}\",69266"
        );
    }
    let file = dir.join("services-inclusion-writers.csv");
    std::fs::write(&file, csv).expect("write");
    file
}

#[actix_web::test]
async fn batches_written_by_two_writer_connections_report_and_store_what_one_connection_does() {
    for writers in [0, 2] {
        let app = TestApp::spawn().await;
        run(&app, &["structures-inclusion-2026-11-24.csv"]);
        let dir = std::env::temp_dir().join(format!("sas-import-writers-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = writers_edition(&dir);
        let import = || {
            let mut extra: Vec<PgConnection> = (0..writers).map(|_| app.db()).collect();
            let mut extra: Vec<&mut PgConnection> = extra.iter_mut().collect();
            sas_api::jobs::import::import_files_with(
                &mut app.db(),
                &mut extra,
                std::slice::from_ref(&file),
                sas_api::clock::Clock::now(&app.clock),
                None,
                Arc::new(|_: &str, _: u64, _: u64| {}),
                &mut |_, _| Ok(()),
            )
            .expect("import")
        };
        let first = import();
        // 1,293 good rows, 1,292 services: the second `w-dup` updates the first.
        assert_eq!(
            counts(&first),
            [1300, 1292, 1, 0, 7, 0],
            "{writers} writers"
        );
        let rows: Vec<u64> = first.rejected_rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![650, 750, 850, 950, 1050, 1150, 1250]);
        assert_eq!(
            count(
                &app,
                "SELECT count(*) AS n FROM services WHERE source = 'soliguide'"
            ),
            1292
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) AS n FROM services WHERE source_id = 'w-dup' AND nom = 'Doublon 501'"
            ),
            1
        );
        app.clock.advance(chrono::Duration::days(1));
        let again = import();
        // Each `w-dup` row changes it back and forth; every other service is unchanged.
        assert_eq!(
            counts(&again),
            [1300, 0, 2, 1291, 7, 0],
            "{writers} writers"
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) AS n FROM services WHERE source = 'soliguide'"
            ),
            1292
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

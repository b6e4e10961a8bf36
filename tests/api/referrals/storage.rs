//! What the database itself guarantees: append-only tables (TRUNCATE included) with one narrow
//! purge path, event snapshots, and communes reloaded from a new edition.
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::json;

use super::*;

fn refused(conn: &mut PgConnection, sql: &str) -> String {
    // Each attempt in its own transaction, rolled back: a refusal must not depend on order.
    let r = conn.transaction::<(), diesel::result::Error, _>(|c| {
        diesel::sql_query(sql).execute(c)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    match r {
        Err(diesel::result::Error::DatabaseError(_, info)) => info.message().to_string(),
        other => panic!("{sql} was not refused: {other:?}"),
    }
}

#[actix_web::test]
async fn events_access_logs_and_consent_records_refuse_update_delete_and_truncate() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    let mut conn = app.db();
    for (table, set) in [
        ("events", "code = 'x'"),
        ("access_logs", "route = 'x'"),
        ("consent_records", "informed_by = 'x'"),
    ] {
        for (op, sql) in [
            ("UPDATE", format!("UPDATE {table} SET {set}")),
            ("DELETE", format!("DELETE FROM {table}")),
            ("TRUNCATE", format!("TRUNCATE {table} CASCADE")),
        ] {
            let msg = refused(&mut conn, &sql);
            assert_eq!(
                msg,
                format!("{table} is append-only ({op} refused)"),
                "{sql}"
            );
        }
        assert!(count(&app, &format!("SELECT count(*) AS n FROM {table}")) >= 1);
    }
    // The foundation's escape hatch is closed: a session flag no longer allows a DELETE of
    // anything younger than 12 months.
    let r = conn.transaction::<(), diesel::result::Error, _>(|c| {
        c.batch_execute("SET LOCAL sas.purge = 'on'; SET LOCAL sas.purging_access_logs = 'on'")?;
        diesel::sql_query("DELETE FROM access_logs").execute(c)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(
        matches!(&r, Err(diesel::result::Error::DatabaseError(_, i)) if i.message() == "access_logs is append-only (DELETE refused)"),
        "{r:?}"
    );
}

#[actix_web::test]
async fn the_retention_purge_removes_only_access_logs_older_than_twelve_months() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let mut conn = app.db();
    // Logs of 13 and 11 months ago (inserting is what the append-only tables allow).
    diesel::sql_query(format!(
        "INSERT INTO access_logs (occurred_at, actor_user_id, action, youth_id, referral_id, route) \
         SELECT now() - interval '13 months', actor_user_id, 'read', youth_id, referral_id, 'old' \
           FROM access_logs WHERE referral_id = '{rid}' \
         UNION ALL \
         SELECT now() - interval '11 months', actor_user_id, 'read', youth_id, referral_id, 'recent' \
           FROM access_logs WHERE referral_id = '{rid}'"
    ))
    .execute(&mut conn)
    .unwrap();
    // Whatever cutoff the job passes, the last 12 months stay.
    let purged = sas_api::db::access_logs::purge_older_than(&mut conn, chrono::Utc::now()).unwrap();
    assert_eq!(purged, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE route = 'old'"
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE route = 'recent'"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE route <> 'recent'"
        ),
        1
    );
}

#[actix_web::test]
async fn events_carry_the_snapshots_statistics_need_and_codes_only() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    take(&app, &w.counsellor, &rid).await;
    #[derive(diesel::QueryableByName)]
    struct Snap {
        #[diesel(sql_type = diesel::sql_types::Text)]
        s: String,
    }
    let snaps: Vec<String> = diesel::sql_query(
        "SELECT concat_ws('|', kind, territory_id, prescriber_structure_id, prescriber_kind, channel, exit_date, code) AS s \
         FROM events ORDER BY occurred_at, id",
    )
    .load::<Snap>(&mut app.db())
    .unwrap()
    .into_iter()
    .map(|s| s.s)
    .collect();
    let t = &w.territory_id;
    let p = &w.prescriber_id;
    assert_eq!(
        snaps,
        [
            format!("created|{t}|{p}|ASE|institutional|2026-05-30|ase_exit"),
            format!("status_changed|{t}|{p}|ASE|institutional|2026-05-30"),
        ]
    );
    // The exit date as it stood: a later correction does not rewrite history.
    set_state(&app, &rid, "submitted", None, None);
    let res = app
        .req(
            reqwest::Method::PATCH,
            &format!("/api/v1/referrals/{rid}"),
            Some(&w.prescriber),
        )
        .header("if-match", "*")
        .json(&json!({"exit_date": "2026-04-30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM events WHERE exit_date = '2026-05-30'"
        ),
        2
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM events WHERE kind = 'corrected' AND exit_date = '2026-04-30' AND fields = '{exit_date}'"),
        1
    );
}

#[actix_web::test]
async fn a_new_communes_edition_reaches_an_existing_database_without_breaking_merged_communes() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    // A youth of Lyon 3e (69383) is referred; then an edition arrives where 69383 no longer
    // exists (merged, say) and Lyon 2e (69382) is renamed.
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let csv = include_str!("../../../data/communes.csv");
    let edition: String = csv
        .lines()
        .filter(|l| !l.starts_with("69383,"))
        .map(|l| {
            if l.starts_with("69382,") {
                l.replacen("Lyon 2e Arrondissement", "Lyon Deuxième", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let now = chrono::Utc::now();
    let mut conn = app.db();
    let reload = sas_api::db::migrations::reload_communes;
    assert!(
        reload(&mut conn, csv, now).unwrap().is_none(),
        "this edition is already loaded"
    );
    let version = reload(&mut conn, &edition, now).unwrap();
    assert!(version.is_some());
    assert!(
        reload(&mut conn, &edition, now).unwrap().is_none(),
        "idempotent"
    );
    // The renamed commune has its new name; the retired one is no longer offered…
    let found = get(&app, &w.counsellor, "/api/v1/communes?q=lyon").await;
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Lyon Deuxième"), "{names:?}");
    assert!(!names.contains(&"Lyon 3e Arrondissement"), "{names:?}");
    let res = app.post("/api/v1/referrals", &w.prescriber, &adult()).await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("youth.commune_insee".into(), "unknown_commune".into())]
    );
    // …but what points at it keeps working.
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(r["youth"]["commune_name"], "Lyon 3e Arrondissement");
    // Back in a later edition, it is offered again.
    assert!(reload(&mut conn, csv, now).unwrap().is_some());
    let res = app.post("/api/v1/referrals", &w.prescriber, &adult()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

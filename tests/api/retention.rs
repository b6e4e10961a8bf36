//! Retention, anonymisation and erasure (issue 15): the daily job with the injectable clock
//! (the day boundary, a job down for a week, a second run, skips, the runs' record), the
//! access-log purge, the statistics that survive anonymisation, nothing personal left in any
//! table, and erasure with each refusal and a failure injected after the first write.
use chrono::{DateTime, Duration, Utc};
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::referrals::{count, get, id, refer, referral, take, transit};
use crate::relays::{diagnosed, ok as relay_ok, receiver, send};
use crate::support::*;
use sas_api::config::RetentionSettings;
use sas_api::jobs::retention::{self, RunReport};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A server without a job runner (the tests run the sweep themselves) whose tokens outlive
/// the years the clock is moved through.
async fn spawn() -> TestApp {
    TestApp::spawn_with(&[
        ("SAS_ACCESS_TOKEN_TTL_SECONDS", "200000000"),
        ("SAS_JOBS", "off"),
    ])
    .await
}

const SETTINGS: RetentionSettings = RetentionSettings {
    months: 24,
    access_log_months: 12,
};

fn run(app: &TestApp) -> RunReport {
    retention::run(&mut app.db(), &app.clock, SETTINGS).expect("retention run")
}

fn skipped(r: &RunReport, code: &str) -> u32 {
    r.skipped.get(code).copied().unwrap_or(0)
}

fn anonymised(app: &TestApp, youth: &str) -> bool {
    sql_text(
        app,
        &format!("SELECT (anonymised_at IS NOT NULL)::text AS v FROM youths WHERE id = '{youth}'"),
    )
    .as_deref()
        == Some("true")
}

async fn close(app: &TestApp, token: &str, rid: &str, outcome: &str) {
    let res = transit(
        app,
        token,
        rid,
        json!({"to": "closed", "outcome": outcome, "reason": "Clôture du parcours."}),
        Some("*"),
    )
    .await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{v}");
}

async fn erase(app: &TestApp, token: &str, youth: &str, body: Option<Value>) -> reqwest::Response {
    let mut r = app.req(
        Method::POST,
        &format!("/api/v1/youths/{youth}/erase"),
        Some(token),
    );
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

fn youth_of(r: &Value) -> String {
    r["youth"]["id"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn the_job_anonymises_on_the_day_never_a_day_early_and_catches_up() {
    let app = spawn().await;
    let w = app.world().await;
    let admin = app.admin().await;
    // A: closed on 10 March 2026, 10:00 in Paris: due on 10 March 2028, Paris time.
    app.clock.set(at("2026-03-10T09:00:00Z"));
    let a = refer(
        &app,
        &w.prescriber,
        &referral("Aline", "Un", "2004-05-01", "0611000001", None),
    )
    .await;
    close(&app, &w.counsellor, &id(&a), "moved_away").await;
    // B: still open (its last activity is as old): skipped, every day.
    let b = refer(
        &app,
        &w.prescriber,
        &referral("Bruno", "Deux", "2004-05-02", "0611000002", None),
    )
    .await;
    // C: closed 3 days after A.
    app.clock.set(at("2026-03-13T09:00:00Z"));
    let c = refer(
        &app,
        &w.prescriber,
        &referral("Chloé", "Trois", "2004-05-03", "0611000003", None),
    )
    .await;
    close(&app, &w.counsellor, &id(&c), "moved_away").await;
    let (ya, yb, yc) = (youth_of(&a), youth_of(&b), youth_of(&c));

    // The last second of 9 March in Paris (UTC+1 until the 26th): nothing.
    app.clock.set(at("2028-03-09T22:59:59Z"));
    let r = run(&app);
    assert_eq!(r.anonymised, 0);
    assert_eq!(
        skipped(&r, "not_due"),
        2,
        "A a day early, C four days early"
    );
    assert_eq!(skipped(&r, "open_referral"), 1, "B");
    assert!(!anonymised(&app, &ya));
    // Midnight of the 10th in Paris: A.
    app.clock.set(at("2028-03-09T23:00:00Z"));
    let r = run(&app);
    assert_eq!(r.anonymised, 1);
    assert!(anonymised(&app, &ya) && !anonymised(&app, &yb) && !anonymised(&app, &yc));
    // Again the same day: nothing more.
    let again = run(&app);
    assert_eq!((again.anonymised, skipped(&again, "open_referral")), (0, 1));
    // The job is down for a week past C's day (13 March): C on the first run back.
    app.clock.set(at("2028-03-20T09:00:00Z"));
    let r = run(&app);
    assert_eq!(r.anonymised, 1);
    assert!(anonymised(&app, &yc) && !anonymised(&app, &yb));
    assert_eq!(skipped(&r, "open_referral"), 1);

    // Every run is recorded, newest first.
    let page = get(&app, &admin, "/api/v1/admin/retention-runs?limit=2").await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], r.id.to_string());
    assert_eq!(items[0]["anonymised"], 1);
    assert_eq!(items[0]["started_at"], "2028-03-20T09:00:00Z");
    assert_eq!(items[0]["finished_at"], "2028-03-20T09:00:00Z");
    assert_eq!(items[0]["retention_months"], 24);
    assert_eq!(items[0]["access_log_retention_months"], 12);
    assert_eq!(
        items[0]["skipped"],
        json!({"open_referral": 1, "relay_in_progress": 0, "not_due": 0, "already_anonymised": 0, "no_closed_referral": 0})
    );
    assert_eq!(items[1]["id"], again.id.to_string());
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = get(
        &app,
        &admin,
        &format!("/api/v1/admin/retention-runs?cursor={cursor}"),
    )
    .await;
    let rest = rest["items"].as_array().unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[1]["skipped"]["not_due"], 2);
    assert_eq!(rest[1]["anonymised"], 0);
    // Administrators only.
    problem(
        app.get("/api/v1/admin/retention-runs", &w.counsellor).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // The schedule is daily.
    assert!(sas_api::jobs::SCHEDULES
        .iter()
        .any(|s| s.name == retention::ROUTE && s.every_seconds == 86_400));
}

#[actix_web::test]
async fn a_relay_in_progress_holds_a_closed_referral_back() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, agent, service) = receiver(&app, "Mission locale", "ml@sas.test", json!({})).await;
    let rid = diagnosed(
        &app,
        &w,
        &referral("Dora", "Quatre", "2004-05-04", "0611000004", None),
    )
    .await;
    let relay = send(&app, &w.counsellor, &rid, &service).await;
    relay_ok(&app, &agent, &id(&relay), "accept", None).await;
    relay_ok(&app, &agent, &id(&relay), "start", None).await;
    // The referral is followed; closing it keeps the started relay (its checkpoints go on).
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    close(&app, &w.counsellor, &rid, "declined").await;
    let youth = youth_of(&r);
    app.clock.set(at("2029-01-01T09:00:00Z"));
    let report = run(&app);
    assert_eq!(
        (report.anonymised, skipped(&report, "relay_in_progress")),
        (0, 1)
    );
    assert!(!anonymised(&app, &youth));
    // Erasure is refused for the same reason.
    let admin = app.admin().await;
    let p = problem(
        erase(
            &app,
            &admin,
            &youth,
            Some(json!({"reason": "Demande écrite"})),
        )
        .await,
        StatusCode::CONFLICT,
        "relay_in_progress",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("relay"), "{p}");
}

#[actix_web::test]
async fn access_logs_are_purged_after_12_months_not_before() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(
        &app,
        &w.prescriber,
        &referral("Emma", "Cinq", "2004-05-05", "0611000005", None),
    )
    .await;
    let youth = youth_of(&r);
    let prescriber = app.user_id("p@sas.test").await;
    // The database floors the purge at its own 12 months: the clock is the wall clock here.
    app.clock.set(Utc::now());
    for (age, route) in [
        ("interval '12 months 1 day'", "old"),
        ("interval '12 months' - interval '1 hour'", "boundary"),
        ("interval '11 months'", "young"),
    ] {
        app.db()
            .batch_execute(&format!(
                "INSERT INTO access_logs (occurred_at, actor_user_id, action, youth_id, route) \
                 VALUES (now() - ({age}), '{prescriber}', 'read', '{youth}', '{route}')"
            ))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let before = count(&app, "SELECT count(*) AS n FROM access_logs");
    let r18 = retention::run(
        &mut app.db(),
        &app.clock,
        RetentionSettings {
            months: 24,
            access_log_months: 18,
        },
    )
    .unwrap();
    assert_eq!(r18.access_logs_purged, 0, "18 months: none is that old");
    let r = run(&app);
    assert_eq!(r.access_logs_purged, 1, "only the log older than 12 months");
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM access_logs"),
        before - 1
    );
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
            "SELECT count(*) AS n FROM access_logs WHERE route IN ('boundary', 'young')"
        ),
        2
    );
    // Whatever the caller asks, the database keeps 12 months.
    let n =
        sas_api::db::access_logs::purge_older_than(&mut app.db(), Utc::now() + Duration::days(1))
            .unwrap();
    assert_eq!(n, 0);
}

/// The stats pages of the territory, the prescriber and the receiver, months and quarters.
async fn all_stats(app: &TestApp, w: &World, agent: &str) -> Vec<(String, u16, String)> {
    let mut out = Vec::new();
    let t = &w.territory_id;
    for period in ["2026-03", "2026-04", "2026-Q1", "2026-Q2"] {
        for (who, token, query) in [
            ("pilot", w.pilot.as_str(), String::new()),
            ("admin", w.admin.as_str(), format!("&territory={t}")),
            (
                "counsellor",
                w.counsellor.as_str(),
                "&scope=territory".to_string(),
            ),
            (
                "prescriber",
                w.prescriber.as_str(),
                "&scope=prescriber_structure".to_string(),
            ),
            ("receiver", agent, "&scope=receiving_structure".to_string()),
        ] {
            for page in ["funnel", "indicators", "export"] {
                let path = format!("/api/v1/stats/{page}?period={period}{query}");
                let res = app.get(&path, token).await;
                let status = res.status().as_u16();
                let body = res.text().await.unwrap();
                out.push((format!("{who} {path}"), status, body));
            }
        }
    }
    out
}

#[actix_web::test]
async fn statistics_survive_anonymising_a_whole_territory() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, agent, service) = receiver(&app, "Mission locale", "ml@sas.test", json!({})).await;
    let young = |n: u32| {
        referral(
            &format!("Stat{n}"),
            "Jeune",
            "2004-05-01",
            &format!("06110000{n:02}"),
            Some("2026-04-30"),
        )
    };
    let attempt = |rid: String, outcome: &'static str| {
        let app = &app;
        let token = w.counsellor.clone();
        async move {
            let res = app
                .post(
                    &format!("/api/v1/referrals/{rid}/contact-attempts"),
                    &token,
                    &json!({"channel": "phone", "outcome": outcome, "note": "Message laissé."}),
                )
                .await;
            assert_eq!(res.status(), StatusCode::CREATED);
        }
    };
    // March: two referrals, one reached, one unreachable then declined.
    app.clock.set(at("2026-03-20T09:00:00Z"));
    let a = id(&refer(&app, &w.prescriber, &young(1)).await);
    let b = id(&refer(&app, &w.prescriber, &young(2)).await);
    for r in [&a, &b] {
        assert_eq!(take(&app, &w.counsellor, r).await.status(), StatusCode::OK);
    }
    app.clock.set(at("2026-03-23T09:00:00Z"));
    attempt(a.clone(), "reached").await;
    attempt(b.clone(), "no_answer").await;
    close(&app, &w.counsellor, &b, "declined").await;
    // April: a diagnosed referral relayed to a started then completed relay, one resumed,
    // one closed as a duplicate, one in error, six more reached (so cells are not all hidden).
    app.clock.set(at("2026-04-02T09:00:00Z"));
    let c = diagnosed(&app, &w, &young(3)).await;
    let relay = send(&app, &w.counsellor, &c, &service).await;
    relay_ok(&app, &agent, &id(&relay), "accept", None).await;
    relay_ok(&app, &agent, &id(&relay), "start", None).await;
    app.clock.set(at("2026-04-20T09:00:00Z"));
    relay_ok(
        &app,
        &agent,
        &id(&relay),
        "complete",
        Some(json!({"outcome": "positive_exit"})),
    )
    .await;
    if get(&app, &w.counsellor, &format!("/api/v1/referrals/{c}")).await["status"] != "closed" {
        close(&app, &w.counsellor, &c, "positive_exit").await;
    }
    let d = id(&refer(&app, &w.prescriber, &young(4)).await);
    assert_eq!(take(&app, &w.counsellor, &d).await.status(), StatusCode::OK);
    close(&app, &w.counsellor, &d, "declined").await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{d}/resume"),
            &w.counsellor,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let d2 = id(&res.json::<Value>().await.unwrap());
    attempt(d2.clone(), "appointment_set").await;
    let e = id(&refer(&app, &w.prescriber, &young(5)).await);
    assert_eq!(take(&app, &w.counsellor, &e).await.status(), StatusCode::OK);
    close(&app, &w.counsellor, &e, "duplicate").await;
    let f = id(&refer(&app, &w.prescriber, &young(6)).await);
    close(&app, &w.admin, &f, "entered_in_error").await;
    let mut more = Vec::new();
    for n in 7..13 {
        let r = id(&refer(&app, &w.prescriber, &young(n)).await);
        assert_eq!(take(&app, &w.counsellor, &r).await.status(), StatusCode::OK);
        attempt(r.clone(), "reached").await;
        more.push(r);
    }
    // Everything closed (anonymisation needs it), then the figures are read.
    app.clock.set(at("2026-05-05T09:00:00Z"));
    for r in [&a, &d2].into_iter().chain(more.iter()) {
        close(&app, &w.counsellor, r, "moved_away").await;
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM referrals WHERE status <> 'closed'"
        ),
        0
    );
    let before = all_stats(&app, &w, &agent).await;
    assert!(
        before.iter().filter(|(_, s, _)| *s == 200).count() >= 30,
        "{:?}",
        before.iter().map(|(p, s, _)| (p, s)).collect::<Vec<_>>()
    );
    // Every youth of the territory erased (the same anonymisation as the job).
    let youths: Vec<String> = {
        #[derive(diesel::QueryableByName)]
        struct Y {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        diesel::sql_query("SELECT DISTINCT youth_id::text AS v FROM referrals")
            .load::<Y>(&mut app.db())
            .unwrap()
            .into_iter()
            .map(|y| y.v)
            .collect()
    };
    assert_eq!(youths.len(), 12);
    for y in &youths {
        let res = erase(
            &app,
            &w.admin,
            y,
            Some(json!({"reason": "Demande d'effacement"})),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap()
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM youths WHERE anonymised_at IS NULL"
        ),
        0
    );
    let after = all_stats(&app, &w, &agent).await;
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(after.iter()) {
        assert_eq!(b, a, "{} changed", b.0);
    }
}

#[actix_web::test]
async fn nothing_personal_survives_anonymisation_in_any_table() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, agent, service) = receiver(&app, "Mission locale", "ml@sas.test", json!({})).await;
    let (_, _, other_service) = receiver(&app, "Cap emploi", "ce@sas.test", json!({})).await;
    // A minor with everything a youth can have: email, legal representative, a correction of
    // their contact, attempts with notes, a request to the prescriber and its answer, a
    // diagnostic, an exclusion, a refused relay, a second consent record, a closing reason.
    let mut body = referral(
        "Zéphyrine",
        "Quasimodo-Vétiver",
        "2010-02-17",
        "06 98 76 54 32",
        Some("2026-04-30"),
    );
    body["youth"]["email"] = json!("zephyrine.quasimodo@exemple.fr");
    body["youth"]["legal_representative"] = json!({
        "name": "Ophélie Quasimodo-Vétiver", "phone": "07 55 44 33 22",
        "email": "ophelie.tutrice@exemple.fr", "informed_on": "2026-02-27"
    });
    body["reason_code"] = json!("other");
    body["reason_text"] = json!("Sortie de foyer Hirondelle-Saphir");
    body["consent"]["informed_by"] = json!("Gaspard Informateur-Unique");
    let rid = diagnosed(&app, &w, &body).await;
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    let youth = youth_of(&r);
    let secrets = [
        "Zéphyrine",
        "Zephyrine",
        "Quasimodo",
        "ZEPHYRINE",
        "QUASIMODO",
        "zephyrine",
        "quasimodo",
        "+33698765432",
        "0698765432",
        "98 76 54 32",
        "zephyrine.quasimodo@exemple.fr",
        "Ophélie",
        "+33755443322",
        "ophelie.tutrice",
        "2010-02-17",
        "17/02/2010",
        "20100217",
        "Hirondelle-Saphir",
        "Gaspard Informateur",
        "+33766554433",
        "zq.nouvelle@exemple.fr",
        "Note-attempt-Basilic",
        "Situation-Cardamome",
        "Mots-Dulcinée",
        "Résumé-Églantine",
        "Souhaits-Framboise",
        "Exclusion-Genévrier",
        "Refus-Hysope",
        "Demande-Iris",
        "Réponse-Jasmin",
        "Clôture-Kumquat",
    ];
    // A correction of the contact (the old number goes to youth_contact_history).
    let res = app
        .req(Method::PATCH, &format!("/api/v1/referrals/{rid}/youth-contact"), Some(&w.prescriber))
        .header("if-match", "*")
        .json(&json!({"phone": "07 66 55 44 33", "email": "zq.nouvelle@exemple.fr", "contact_channels": ["phone", "email"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/contact-attempts"),
            &w.counsellor,
            &json!({"channel": "sms", "outcome": "no_answer", "note": "Note-attempt-Basilic"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    // The diagnostic with every text.
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/referrals/{rid}/diagnostic"),
            Some(&w.counsellor),
        )
        .header("if-match", "*")
        .json(&json!({
            "situation": {"housing": "tiers"},
            "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
            "wishes": "Souhaits-Framboise", "skills": "Situation-Cardamome",
            "own_words": "Mots-Dulcinée", "shared_summary": "Résumé-Églantine"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/matches/exclusions"),
            &w.counsellor,
            &json!({"service_id": other_service, "reason": "other", "note": "Exclusion-Genévrier"}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let relay = send(&app, &w.counsellor, &rid, &service).await;
    relay_ok(
        &app,
        &agent,
        &id(&relay),
        "refuse",
        Some(json!({"reason": "other", "reason_text": "Refus-Hysope"})),
    )
    .await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/consent"),
            &w.counsellor,
            &json!({"informed_at": "2026-03-02T08:00:00Z", "informed_by": "Gaspard Informateur-Unique",
                    "method": "written", "agreed": ["sas_contact", "share_with_receiver"]}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    // A request to the prescriber, answered: on a second referral of the same person, reached
    // through the prescriber only.
    let mut via = referral(
        "Zéphyrine",
        "Quasimodo-Vétiver",
        "2010-02-17",
        "06 98 76 54 32",
        None,
    );
    via["youth"]["legal_representative"] = body["youth"]["legal_representative"].clone();
    via["youth"]["contact_via_prescriber_only"] = json!(true);
    let rid2 = id(&refer(&app, &w.prescriber, &via).await);
    assert_eq!(
        take(&app, &w.counsellor, &rid2).await.status(),
        StatusCode::OK
    );
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid2}/contact-attempts"),
            &w.counsellor,
            &json!({"channel": "via_prescriber", "outcome": "no_answer", "request_message": "Demande-Iris"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let a: Value = res.json().await.unwrap();
    let res = app
        .post(
            &format!(
                "/api/v1/referrals/{rid2}/prescriber-requests/{}/answer",
                a["prescriber_request_id"].as_str().unwrap()
            ),
            &w.prescriber,
            &json!({"answer": "Réponse-Jasmin"}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let youth2 = sql_text(
        &app,
        &format!("SELECT youth_id::text AS v FROM referrals WHERE id = '{rid2}'"),
    )
    .unwrap();
    // An Idempotency-Key replay stores the response (the youth's data) too.
    let res = app
        .req(Method::POST, "/api/v1/referrals", Some(&w.prescriber))
        .header("idempotency-key", "k-retention-1")
        .json(&via)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let r3: Value = res.json().await.unwrap();
    let youth3 = youth_of(&r3);
    for r in [&rid, &rid2, &id(&r3)] {
        close_with(&app, &w.counsellor, r).await;
    }
    // Before: the needles are there (the search below finds what it looks for).
    let found = search(&app, &secrets);
    assert!(found.iter().any(|(_, _, s)| s == "Quasimodo"), "{found:?}");
    assert!(
        found.iter().any(|(t, _, _)| t == "consent_records"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(t, _, _)| t == "idempotency_keys"),
        "{found:?}"
    );
    for y in [&youth, &youth2, &youth3] {
        let res = erase(
            &app,
            &w.admin,
            y,
            Some(json!({"reason": "Effacement sur demande"})),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap()
        );
    }
    let left = search(&app, &secrets);
    assert!(left.is_empty(), "personal data left: {left:?}");
    // Every reader of the anonymised referrals answers.
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(r["youth"]["first_name"], "");
    assert_eq!(r["youth"]["age"], 0);
    assert!(r["youth"]["anonymised_at"].is_string());
    assert_eq!(r["youth"]["legal_representative"], Value::Null);
    assert_eq!(r["consent"]["informed_by"], "—");
    for (token, path) in [
        (&w.counsellor, format!("/api/v1/referrals/{rid}/events")),
        (
            &w.counsellor,
            format!("/api/v1/referrals/{rid}/contact-attempts"),
        ),
        (&w.counsellor, format!("/api/v1/referrals/{rid}/diagnostic")),
        (
            &w.counsellor,
            format!("/api/v1/referrals/{rid}/diagnostic/versions"),
        ),
        (&w.counsellor, format!("/api/v1/referrals/{rid}/consent")),
        (&w.counsellor, format!("/api/v1/referrals/{rid}/relays")),
        (
            &w.counsellor,
            format!("/api/v1/referrals/{rid}/matches/exclusions"),
        ),
        (
            &w.prescriber,
            format!("/api/v1/referrals/{rid2}/prescriber-requests"),
        ),
        (&w.counsellor, "/api/v1/referrals".to_string()),
        (&w.counsellor, "/api/v1/referrals?status=closed".to_string()),
        (&w.counsellor, "/api/v1/referrals?q=Quasimodo".to_string()),
        (&w.prescriber, "/api/v1/referrals".to_string()),
        (&agent, "/api/v1/relays".to_string()),
        (&agent, format!("/api/v1/relays/{}", id(&relay))),
    ] {
        let res = app.get(&path, token).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        let text = res.text().await.unwrap();
        assert!(!text.contains("Quasimodo"), "{path}: {text}");
    }
    let res = app
        .get(&format!("/api/v1/referrals/{rid}/matches"), &w.counsellor)
        .await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    // Nothing to resume once erased.
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/resume"),
            &w.counsellor,
            &json!({}),
        )
        .await;
    problem(res, StatusCode::CONFLICT, "already_anonymised").await;
}

async fn close_with(app: &TestApp, token: &str, rid: &str) {
    let res = transit(
        app,
        token,
        rid,
        json!({"to": "closed", "outcome": "moved_away", "reason": "Clôture-Kumquat"}),
        Some("*"),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

/// Every (table, column, needle) of the public schema whose text holds a needle
/// (case-insensitive), json and arrays included (cast to text).
fn search(app: &TestApp, needles: &[&str]) -> Vec<(String, String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Col {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        c: String,
    }
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        v: Option<String>,
    }
    let mut conn = app.db();
    let cols: Vec<Col> = diesel::sql_query(
        "SELECT c.table_name::text AS t, c.column_name::text AS c \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         ORDER BY 1, 2",
    )
    .load(&mut conn)
    .unwrap();
    assert!(
        cols.len() > 100,
        "every column of every table: {}",
        cols.len()
    );
    let mut found = Vec::new();
    for col in cols {
        let rows: Vec<V> = diesel::sql_query(format!(
            "SELECT string_agg(\"{}\"::text, E'\\n') AS v FROM \"{}\"",
            col.c, col.t
        ))
        .load(&mut conn)
        .unwrap_or_else(|e| panic!("{}.{}: {e}", col.t, col.c));
        let text = rows
            .into_iter()
            .filter_map(|r| r.v)
            .collect::<String>()
            .to_lowercase();
        for n in needles {
            if text.contains(&n.to_lowercase()) {
                found.push((col.t.clone(), col.c.clone(), n.to_string()));
            }
        }
    }
    found
}

#[actix_web::test]
async fn erasure_answers_each_refusal_and_is_audited() {
    let app = spawn().await;
    let w = app.world().await;
    let admin = app.admin().await;
    let open = refer(
        &app,
        &w.prescriber,
        &referral("Félix", "Six", "2004-05-06", "0611000006", None),
    )
    .await;
    let youth = youth_of(&open);
    let body = Some(json!({"reason": "Demande reçue par courrier"}));
    // Not an administrator: 403; no token: 401.
    for token in [&w.counsellor, &w.prescriber, &w.pilot, &w.receiver] {
        problem(
            erase(&app, token, &youth, body.clone()).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let res = app
        .req(Method::POST, &format!("/api/v1/youths/{youth}/erase"), None)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // No reason, a blank one, an empty body: 422 reason_required; too long: too_long.
    for b in [Some(json!({})), Some(json!({"reason": "   "})), None] {
        let p = problem(
            erase(&app, &admin, &youth, b).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
        )
        .await;
        assert_eq!(
            field_codes(&p),
            [("reason".to_string(), "required".to_string())]
        );
    }
    let p = problem(
        erase(
            &app,
            &admin,
            &youth,
            Some(json!({"reason": "x".repeat(501)})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [("reason".to_string(), "too_long".to_string())]
    );
    // Unknown youth: 404.
    problem(
        erase(
            &app,
            &admin,
            &uuid::Uuid::new_v4().to_string(),
            body.clone(),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // An open referral: close it first.
    let p = problem(
        erase(&app, &admin, &youth, body.clone()).await,
        StatusCode::CONFLICT,
        "referral_open",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("close it first"));
    assert!(!anonymised(&app, &youth));
    close(&app, &w.counsellor, &id(&open), "moved_away").await;
    // Erased, at once (no delay), audited and access-logged.
    let res = erase(&app, &admin, &youth, body.clone()).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"youth_id": youth, "anonymised_at": "2026-03-02T09:00:00Z", "referrals": 1})
    );
    assert!(anonymised(&app, &youth));
    let audit = get(
        &app,
        &admin,
        &format!("/api/v1/admin-audit?target_id={youth}"),
    )
    .await;
    let e = &audit["items"][0];
    assert_eq!(e["action"], "youth.erase");
    assert_eq!(e["target"], json!({"type": "youth", "id": youth}));
    assert_eq!(e["reason"], "Demande reçue par courrier");
    assert_eq!(
        e["changes"],
        json!({"anonymised_at": {"to": "2026-03-02T09:00:00Z"}})
    );
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM access_logs WHERE action = 'anonymise' AND youth_id = '{youth}'")),
        1
    );
    // Twice: already anonymised; the job leaves it too.
    problem(
        erase(&app, &admin, &youth, body.clone()).await,
        StatusCode::CONFLICT,
        "already_anonymised",
    )
    .await;
    app.clock.set(at("2030-01-01T00:00:00Z"));
    assert_eq!(run(&app).anonymised, 0);
    // The documented statuses are in the OpenAPI document.
    let spec = app.spec().await;
    let op = &spec["paths"]["/api/v1/youths/{id}/erase"]["post"]["responses"];
    for s in ["200", "401", "403", "404", "409", "422"] {
        assert!(op.get(s).is_some(), "{s} undocumented");
    }
}

#[actix_web::test]
async fn a_failed_erasure_leaves_nothing_half_anonymised() {
    let app = spawn().await;
    let w = app.world().await;
    let admin = app.admin().await;
    let r = refer(
        &app,
        &w.prescriber,
        &referral("Gilles", "Sept", "2004-05-07", "0611000007", None),
    )
    .await;
    let rid = id(&r);
    let youth = youth_of(&r);
    assert_eq!(
        take(&app, &w.counsellor, &rid).await.status(),
        StatusCode::OK
    );
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/contact-attempts"),
            &w.counsellor,
            &json!({"channel": "phone", "outcome": "no_answer", "note": "Rappeler lundi"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    close(&app, &w.counsellor, &rid, "declined").await;
    // The audit row is the last write: make it fail, after the youth's row and the texts.
    let mut conn = app.db();
    conn.batch_execute(
        "CREATE FUNCTION fail_now() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN RAISE EXCEPTION 'injected failure'; END $$; \
         CREATE TRIGGER inject BEFORE INSERT ON admin_audit FOR EACH ROW EXECUTE FUNCTION fail_now()",
    )
    .unwrap();
    let res = erase(
        &app,
        &admin,
        &youth,
        Some(json!({"reason": "Demande écrite"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!anonymised(&app, &youth));
    assert_eq!(
        sql_text(&app, &format!("SELECT first_name || ' ' || coalesce(phone, '') AS v FROM youths WHERE id = '{youth}'")).as_deref(),
        Some("Gilles +33611000007")
    );
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM contact_attempts WHERE referral_id = '{rid}' AND note = 'Rappeler lundi'")),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM consent_records WHERE informed_by = '—'"
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM event_notes WHERE blanked_at IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'anonymise'"
        ),
        0
    );
    conn.batch_execute("DROP TRIGGER inject ON admin_audit")
        .unwrap();
    let res = erase(
        &app,
        &admin,
        &youth,
        Some(json!({"reason": "Demande écrite"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(anonymised(&app, &youth));
}

#[actix_web::test]
async fn the_consent_history_stays_append_only_but_for_its_one_blanking_path() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(
        &app,
        &w.prescriber,
        &referral("Hugo", "Huit", "2004-05-08", "0611000008", None),
    )
    .await;
    let rid = id(&r);
    let mut conn = app.db();
    // A plain UPDATE or DELETE: refused, even with the flag set by hand, for anything but
    // informed_by set to the placeholder.
    for q in [
        format!("UPDATE consent_records SET informed_by = '—' WHERE referral_id = '{rid}'"),
        format!("DELETE FROM consent_records WHERE referral_id = '{rid}'"),
        format!(
            "BEGIN; SET LOCAL sas.blanking_consent = 'on'; \
             UPDATE consent_records SET informed_by = '—', method = 'written' WHERE referral_id = '{rid}'"
        ),
        format!(
            "BEGIN; SET LOCAL sas.blanking_consent = 'on'; \
             UPDATE consent_records SET informed_by = 'Quelqu''un' WHERE referral_id = '{rid}'"
        ),
    ] {
        let e = conn.batch_execute(&q).expect_err(&q);
        assert!(e.to_string().contains("append-only"), "{q}: {e}");
        let _ = conn.batch_execute("ROLLBACK");
    }
    // The function blanks informed_by, nothing else.
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n = diesel::sql_query(format!(
        "SELECT sas_blank_consent_informed_by(ARRAY['{rid}']::uuid[]) AS n"
    ))
    .get_result::<N>(&mut conn)
    .unwrap();
    assert_eq!(n.n, 1);
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT informed_by || ' ' || method || ' ' || array_to_string(agreed, ',') AS v \
                 FROM consent_records WHERE referral_id = '{rid}'"
            )
        )
        .as_deref(),
        Some("— oral sas_contact,share_with_receiver")
    );
}

#[actix_web::test]
async fn a_backlog_is_swept_batch_after_batch_in_one_run() {
    let app = spawn().await;
    let w = app.world().await;
    let mut youths = Vec::new();
    for n in 0..7u32 {
        let r = refer(
            &app,
            &w.prescriber,
            &referral(
                &format!("Lot{n}"),
                "Neuf",
                "2004-05-09",
                &format!("06120000{n:02}"),
                None,
            ),
        )
        .await;
        if n != 3 {
            close(&app, &w.counsellor, &id(&r), "moved_away").await;
        }
        youths.push(youth_of(&r));
    }
    app.clock.set(at("2031-01-01T09:00:00Z"));
    // Batches of 2: four reads, every due youth anonymised, the open one skipped once.
    let r = retention::run_in_batches(&mut app.db(), &app.clock, SETTINGS, 2).unwrap();
    assert_eq!((r.anonymised, skipped(&r, "open_referral")), (6, 1));
    for (n, y) in youths.iter().enumerate() {
        assert_eq!(anonymised(&app, y), n != 3, "youth {n}");
    }
    assert_eq!(
        sql_text(
            &app,
            &format!(
                "SELECT anonymised || ' ' || (skipped->>'open_referral') || ' ' || (finished_at IS NOT NULL) AS v \
                 FROM retention_runs WHERE id = '{}'",
                r.id
            )
        )
        .as_deref(),
        Some("6 1 true")
    );
    let again = retention::run_in_batches(&mut app.db(), &app.clock, SETTINGS, 2).unwrap();
    assert_eq!((again.anonymised, skipped(&again, "open_referral")), (0, 1));
}

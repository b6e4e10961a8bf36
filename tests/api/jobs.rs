//! The job runner: two runners against one database do each effect once; periodic sweeps are
//! claimed by one runner; notifications and the daily digest.
use std::collections::HashSet;
use std::sync::Arc;

use reqwest::StatusCode;
use sas_api::config::Settings;
use sas_api::jobs::{Context, Runner};
use serde_json::{json, Value};

use crate::support::*;

fn runner(app: &TestApp) -> Runner {
    let settings = Settings::from_lookup(|k| app.env.get(k).cloned()).expect("settings");
    Runner::new(Context::new(settings, Arc::new(app.clock.clone())).expect("context"))
}

#[actix_web::test]
async fn two_runners_on_one_database_deliver_each_mail_once() {
    let smtp = MailSink::start();
    // No runner in the server: the test starts two of its own on the same database.
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url()), ("SAS_JOBS", "off")]).await;
    const N: usize = 40;
    for i in 0..N {
        app.create(
            "/api/v1/users",
            json!({"email": format!("u{i}@sas.test"), "first_name": "A", "last_name": "B", "roles": ["admin"]}),
        )
        .await;
    }
    assert_eq!(
        sql_text(
            &app,
            "SELECT count(*)::text AS v FROM jobs WHERE state = 'queued'"
        )
        .as_deref(),
        Some("40")
    );
    let (a, b) = (runner(&app), runner(&app));
    assert_ne!(a.id(), b.id());
    let (ha, hb) = (a.spawn().expect("runner a"), b.spawn().expect("runner b"));
    let mails = smtp.wait_for(N).await;
    eventually(20, "every job done", || async {
        (sql_text(
            &app,
            "SELECT count(*)::text AS v FROM jobs WHERE state = 'done'",
        )
        .as_deref()
            == Some("40"))
        .then_some(())
    })
    .await;
    drop((ha, hb));
    let mails_after = smtp.messages();
    assert_eq!(mails_after.len(), N, "a mail was sent twice");
    let ids: HashSet<_> = mails.iter().map(|m| m.message_id.clone()).collect();
    let to: HashSet<_> = mails_after.iter().map(|m| m.to.clone()).collect();
    assert_eq!((ids.len(), to.len()), (N, N));
    // Each due sweep ran once, by one of them.
    assert_eq!(
        sql_text(
            &app,
            "SELECT string_agg(runs::text, ',' ORDER BY name) AS v FROM job_schedules"
        )
        .as_deref(),
        Some("1,1,1,1,1")
    );
    // Both took part (claims skip each other's rows rather than wait).
    let by = sql_text(
        &app,
        "SELECT count(DISTINCT last_runner)::text AS v FROM job_schedules",
    );
    assert!(by.is_some());
}

#[actix_web::test]
async fn a_sweep_runs_once_per_period_however_many_runners_pass() {
    let app = TestApp::spawn_with(&[("SAS_JOBS", "off")]).await;
    let (a, b) = (runner(&app), runner(&app));
    let pa = a.pass().expect("pass a");
    let pb = b.pass().expect("pass b");
    assert_eq!(
        pa.sweeps + pb.sweeps,
        5,
        "five schedules, each claimed once"
    );
    assert_eq!(
        (a.pass().expect("a").sweeps, b.pass().expect("b").sweeps),
        (0, 0)
    );
    app.clock.advance(chrono::Duration::minutes(15));
    let n = a.pass().expect("a").sweeps + b.pass().expect("b").sweeps;
    assert_eq!(
        n, 2,
        "only the 15-minute sweeps (digest, relay reminders) are due again"
    );
    let admin = app.admin().await;
    let jobs: Value = app
        .get("/api/v1/jobs", &admin)
        .await
        .json()
        .await
        .expect("json");
    let digest = jobs["schedules"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "notifications.digest"))
        .expect("digest schedule");
    assert_eq!(digest["runs"], 2);
    assert_eq!(digest["last_status"], "ok");
    assert_eq!(digest["every_seconds"], 900);
    let res = app.get("/api/v1/jobs", &app.world().await.counsellor).await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

/// A referral closed: its prescriber is told in the app and by mail, at once or in the next
/// morning's digest, as they chose.
#[actix_web::test]
async fn a_closed_referral_notifies_its_prescriber_at_once_or_in_the_daily_digest() {
    let smtp = MailSink::start();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url())]).await;
    let w = app.world().await;
    let settings: Value = app
        .get("/api/v1/me/notification-settings", &w.prescriber)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(settings, json!({"email": "immediate"}));

    let close = |id: String| {
        let app = &app;
        let w = &w;
        async move {
            let res = app
                .req(
                    reqwest::Method::POST,
                    &format!("/api/v1/referrals/{id}/transitions"),
                    Some(&w.prescriber),
                )
                .header("if-match", "*")
                .json(
                    &json!({"to": "closed", "outcome": "withdrawn", "reason": "Erreur de saisie"}),
                )
                .send()
                .await
                .expect("request");
            assert_eq!(
                res.status(),
                StatusCode::OK,
                "{}",
                res.text().await.unwrap_or_default()
            );
        }
    };
    let created = |last: &'static str| {
        let app = &app;
        let w = &w;
        async move {
            let res = app
                .post(
                    "/api/v1/referrals",
                    &w.prescriber,
                    &referral_in("69123", last),
                )
                .await;
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<Value>().await.expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        }
    };
    // Closed by the prescriber themself: nobody to tell.
    let own = created("Martin").await;
    close(own).await;
    let page: Value = app
        .get("/api/v1/me/notifications", &w.prescriber)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"], json!([]));

    // Closed by the SAS team: the prescriber is told.
    let id = created("Bernard").await;
    let res = app
        .req(
            reqwest::Method::POST,
            &format!("/api/v1/referrals/{id}/transitions"),
            Some(&w.counsellor),
        )
        .header("if-match", "*")
        .json(&json!({"to": "closed", "outcome": "moved_away", "reason": "Déménagement"}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let mails = smtp.wait_for(1).await;
    assert_eq!(
        mails[0].subject,
        "SAS : un signalement que vous avez transmis est clôturé"
    );
    assert!(mails[0]
        .text
        .contains(&format!("https://sas.test/dossiers/{id}")));
    for s in [&mails[0].subject, &mails[0].text, &mails[0].html] {
        assert!(
            !s.contains("Bernard") && !s.contains("Léa"),
            "personal data in a mail"
        );
    }
    let page: Value = eventually(20, "the mail status", || async {
        let p: Value = app
            .get("/api/v1/me/notifications", &w.prescriber)
            .await
            .json()
            .await
            .ok()?;
        (p["items"][0]["mail_status"] == "sent").then_some(p)
    })
    .await;
    assert_eq!(page["items"][0]["kind"], "referral_closed");
    assert_eq!(page["items"][0]["link"], format!("/dossiers/{id}"));
    assert_eq!(page["items"][0]["referral_id"], id.as_str());

    // The digest: nothing at once, one mail for the day's notifications.
    let res = app
        .req(
            reqwest::Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.prescriber),
        )
        .json(&json!({"email": "daily_digest"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .req(
            reqwest::Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.prescriber),
        )
        .json(&json!({"email": "weekly"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    for last in ["Petit", "Durand"] {
        let id = created(last).await;
        let res = app
            .req(
                reqwest::Method::POST,
                &format!("/api/v1/referrals/{id}/transitions"),
                Some(&w.counsellor),
            )
            .header("if-match", "*")
            .json(&json!({"to": "closed", "outcome": "moved_away", "reason": "Déménagement"}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK);
    }
    let page: Value = app
        .get("/api/v1/me/notifications?limit=2", &w.prescriber)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert!(page["items"][0]["mail_status"].is_null(), "{page}");
    assert!(page["next_cursor"].is_string());
    // Back to immediate mails: those two still go, in the digest they were waiting for.
    let res = app
        .req(
            reqwest::Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.prescriber),
        )
        .json(&json!({"email": "immediate"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    // The next sweep (15 minutes later, after 7:00 in Paris) sends one digest for both.
    app.clock.advance(chrono::Duration::minutes(16));
    let mails = smtp.wait_for(2).await;
    assert_eq!(mails[1].subject, "SAS : 2 nouvelles notifications");
    assert!(mails[1].text.contains("https://sas.test/mes-notifications"));
    app.clock.advance(chrono::Duration::minutes(16));
    eventually(20, "another digest sweep", || async {
        sql_text(
            &app,
            "SELECT runs::text AS v FROM job_schedules WHERE name = 'notifications.digest'",
        )
        .filter(|r| r == "3")
    })
    .await;
    assert_eq!(smtp.messages().len(), 2, "a second digest the same day");
}

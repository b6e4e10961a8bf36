//! The relay sweeps with the clock: reminders at 10 and 20 days and expiry at 30, each once,
//! ever, with two runners on one database; checkpoint notices; the mails reach the SMTP
//! server, naming nobody.
use std::collections::HashSet;
use std::sync::Arc;

use sas_api::config::Settings;
use sas_api::jobs::{Context, Runner};

use super::*;

fn runner(app: &TestApp) -> Runner {
    let settings = Settings::from_lookup(|k| app.env.get(k).cloned()).expect("settings");
    Runner::new(Context::new(settings, Arc::new(app.clock.clone())).expect("context"))
}

fn templates(app: &TestApp) -> String {
    sql_text(
        app,
        "SELECT coalesce(string_agg(template, ',' ORDER BY created_at, template), '') AS v FROM mails \
         WHERE template LIKE 'relay%' OR template LIKE 'checkpoint%'",
    )
    .unwrap_or_default()
}

#[actix_web::test]
async fn reminders_at_10_and_20_days_then_expiry_at_30_each_once_with_two_runners() {
    let smtp = MailSink::start();
    let app = spawn_with(&[("SAS_SMTP_URL", &smtp.url()), ("SAS_JOBS", "off")]).await;
    let w = app.world().await;
    let (_, _, svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let relay = id(&send(&app, &w.counsellor, &rid, &svc).await);
    let (a, b) = (runner(&app), runner(&app));
    let both = |n: usize| {
        for _ in 0..n {
            a.pass().expect("a");
            b.pass().expect("b");
        }
    };
    both(2);
    assert_eq!(templates(&app), "relay_requested");
    // Day 9 in Paris: nothing yet; day 10: the first reminder, once whatever the passes.
    app.clock.advance(Duration::days(9));
    both(2);
    assert_eq!(templates(&app), "relay_requested");
    app.clock.advance(Duration::days(1));
    both(3);
    assert_eq!(templates(&app), "relay_requested,relay_reminder");
    app.clock.advance(Duration::days(10));
    both(3);
    assert_eq!(
        templates(&app),
        "relay_requested,relay_reminder,relay_reminder"
    );
    // Day 29: still waiting; day 30: expired, the counsellor is told; nothing more after.
    app.clock.advance(Duration::days(9));
    both(2);
    let v = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/relays"),
    )
    .await;
    assert_eq!(v["items"][0]["status"], "requested");
    app.clock.advance(Duration::days(1));
    both(3);
    let v = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/relays"),
    )
    .await;
    assert_eq!(v["items"][0]["status"], "expired");
    app.clock.advance(Duration::days(15));
    both(3);
    assert_eq!(
        templates(&app),
        "relay_requested,relay_reminder,relay_reminder,relay_expired"
    );
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM events WHERE relay_id = '{relay}' AND kind = 'relay_expired'")),
        1
    );
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "relaying");
    // Every mail went out once, naming nobody.
    let mails = smtp.wait_for(4).await;
    let ids: HashSet<_> = mails.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), smtp.messages().len());
    let relay_mails: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("relais"))
        .collect();
    assert_eq!(
        relay_mails.len(),
        4,
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    for m in relay_mails {
        for secret in ["Martin", "Léa", "+33612345678", "ASE test"] {
            assert!(
                !m.text.contains(secret) && !m.html.contains(secret),
                "{} names {secret}",
                m.subject
            );
        }
        assert!(m.text.contains("https://sas.test/"), "a link: {}", m.text);
    }
}

#[actix_web::test]
async fn a_checkpoint_coming_due_is_told_once_to_the_receiving_structure() {
    let app = spawn_with(&[("SAS_JOBS", "off")]).await;
    let w = app.world().await;
    let (_, recv, svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let relay = id(&send(&app, &w.counsellor, &rid, &svc).await);
    ok(&app, &recv, &relay, "accept", None).await;
    ok(&app, &recv, &relay, "start", None).await;
    let r = runner(&app);
    r.pass().expect("pass");
    app.clock.advance(Duration::days(29));
    r.pass().expect("pass");
    let due = "SELECT count(*) AS n FROM notifications WHERE kind = 'checkpoint_due'";
    assert_eq!(count(&app, due), 0);
    app.clock.advance(Duration::days(1));
    r.pass().expect("pass");
    app.clock.advance(Duration::minutes(20));
    r.pass().expect("pass");
    assert_eq!(count(&app, due), 1);
    let n = get(&app, &recv, "/api/v1/me/notifications").await;
    assert_eq!(n["items"][0]["link"], format!("/relais/{relay}"));
}

#[actix_web::test]
async fn urgent_referrals_alert_their_counsellor_or_the_territory_s_digest_once() {
    let app = spawn_with(&[("SAS_JOBS", "off")]).await;
    let w = app.world().await;
    let soon = crate::referrals::referral(
        "Tom",
        "Urgent",
        "2004-04-04",
        "06 00 00 00 21",
        Some("2026-03-20"),
    );
    let unassigned = id(&refer(&app, &w.prescriber, &soon).await);
    let mut held = soon.clone();
    held["youth"]["last_name"] = json!("Suivi");
    held["youth"]["phone"] = json!("06 00 00 00 22");
    let assigned = id(&refer(&app, &w.prescriber, &held).await);
    assert_eq!(
        take(&app, &w.counsellor, &assigned).await.status(),
        StatusCode::OK
    );
    // Not urgent: far exit date.
    refer(&app, &w.prescriber, &adult()).await;
    let r = runner(&app);
    for _ in 0..2 {
        r.pass().expect("pass");
        app.clock.advance(Duration::minutes(61));
    }
    r.pass().expect("pass");
    let alerts = |referral: &str| {
        count(
            &app,
            &format!("SELECT count(*) AS n FROM notifications WHERE kind = 'referral_alert' AND referral_id = '{referral}'"),
        )
    };
    assert_eq!((alerts(&unassigned), alerts(&assigned)), (1, 1));
    // The unassigned one went out in the team's daily digest; the assigned counsellor, who
    // chose mails at once, got its own mail.
    let carried = |referral: &str, template: &str| {
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM notifications n JOIN mails m ON m.id = n.mail_id \
                 WHERE n.referral_id = '{referral}' AND m.template = '{template}'"
            ),
        )
    };
    assert_eq!(carried(&unassigned, "digest"), 1);
    assert_eq!(carried(&assigned, "referral_alert"), 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM notifications WHERE kind = 'referral_alert'"
        ),
        2
    );
}

#[actix_web::test]
async fn an_off_platform_request_never_expires_and_its_two_reminders_go_to_the_counsellor() {
    let smtp = MailSink::start();
    let app = spawn_with(&[("SAS_SMTP_URL", &smtp.url()), ("SAS_JOBS", "off")]).await;
    let w = app.world().await;
    // A structure whose only agent left: no SAS account, so the relay is recorded off the
    // platform by the counsellor.
    let (_, _, svc) = receiver(&app, "ML sans compte", "parti@sas.test", json!({})).await;
    let admin = app.admin().await;
    let uid = app.user_id("parti@sas.test").await;
    let res = app
        .admin_post(
            &format!("/api/v1/users/{uid}/deactivate"),
            &admin,
            &json!({}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let rid = diagnosed(&app, &w, &adult()).await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/relays"),
            &w.counsellor,
            &json!({"service_id": svc, "off_platform": true}),
        )
        .await;
    let relay: Value = res.json().await.unwrap();
    assert_eq!(relay["off_platform"], true, "{relay}");
    assert!(relay["expires_on"].is_null(), "it never expires: {relay}");
    let relay = id(&relay);
    let (a, b) = (runner(&app), runner(&app));
    let both = |n: usize| {
        for _ in 0..n {
            a.pass().expect("a");
            b.pass().expect("b");
        }
    };
    let reminders = |kind: &str| {
        count(
            &app,
            &format!("SELECT count(*) AS n FROM notifications WHERE kind = '{kind}'"),
        )
    };
    both(2);
    app.clock.advance(Duration::days(9));
    both(2);
    assert_eq!(reminders("off_platform_reminder"), 0);
    // Day 10, then day 20: one reminder each, to the counsellor, linking to the referral.
    app.clock.advance(Duration::days(1));
    both(3);
    assert_eq!(reminders("off_platform_reminder"), 1);
    let n = get(&app, &w.counsellor, "/api/v1/me/notifications").await;
    assert_eq!(n["items"][0]["kind"], "off_platform_reminder");
    assert_eq!(n["items"][0]["link"], format!("/dossiers/{rid}"));
    app.clock.advance(Duration::days(10));
    both(3);
    assert_eq!(reminders("off_platform_reminder"), 2);
    // Day 30, 60, 200: still waiting for the answer the counsellor records; nothing more.
    for days in [10, 30, 140] {
        app.clock.advance(Duration::days(days));
        both(2);
        let v = get(&app, &w.counsellor, &format!("/api/v1/relays/{relay}")).await;
        assert_eq!(v["status"], "requested", "after {days} more days");
        assert!(v["expires_on"].is_null());
    }
    assert_eq!(reminders("off_platform_reminder"), 2);
    assert_eq!(
        reminders("relay_reminder"),
        0,
        "the structure has no account to remind"
    );
    assert_eq!(reminders("relay_expired"), 0);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM events WHERE relay_id = '{relay}'")
        ),
        1,
        "only its request"
    );
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "relaying");
    // The counsellor records the answer long after: the relay goes on as usual.
    ok(&app, &w.counsellor, &relay, "accept", None).await;
    // The mails reached the SMTP server, naming nobody.
    let ours = eventually(20, "the two reminders' mails", || async {
        let m: Vec<_> = smtp
            .messages()
            .into_iter()
            .filter(|m| m.subject.contains("hors SAS"))
            .collect();
        (m.len() >= 2).then_some(m)
    })
    .await;
    assert_eq!(ours.len(), 2);
    for m in ours {
        assert!(
            m.text.contains(&format!("https://sas.test/dossiers/{rid}")),
            "{}",
            m.text
        );
        for secret in ["Martin", "Léa", "+33612345678", "ML sans compte"] {
            assert!(
                !m.text.contains(secret) && !m.html.contains(secret),
                "{secret}"
            );
        }
    }
}

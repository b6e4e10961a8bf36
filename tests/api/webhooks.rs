//! Webhooks to a real HTTP receiver that verifies each signature with PyPI `standardwebhooks`
//! (an implementation independent of ours); retries; who subscribes and sees what; polling.
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

async fn subscribe(app: &TestApp, client_token: &str, url: &str) -> reqwest::Response {
    app.post(
        "/api/v1/webhooks",
        client_token,
        &json!({"url": url, "description": "SI"}),
    )
    .await
}

async fn close(app: &TestApp, token: &str, id: &str) {
    let res = app
        .req(
            Method::POST,
            &format!("/api/v1/referrals/{id}/transitions"),
            Some(token),
        )
        .header("if-match", "*")
        .json(&json!({"to": "closed", "outcome": "duplicate", "reason": "Doublon"}))
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

async fn refer(app: &TestApp, token: &str, last: &str) -> String {
    let res = app
        .post("/api/v1/referrals", token, &referral_in("69123", last))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

#[actix_web::test]
async fn a_partner_receives_a_verifiable_signed_event_for_each_status_change() {
    let hook = WebhookReceiver::start();
    let app = TestApp::spawn_with(&[("SAS_WEBHOOK_ALLOW_LOCAL", "true")]).await;
    let w = app.world().await;
    let (_, client) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let res = subscribe(&app, &client, &hook.url()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("location").is_some());
    let sub: Value = res.json().await.expect("json");
    let secret = sub["secret"].as_str().expect("secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    hook.set_secret(secret);
    // Shown once: never again.
    let again: Value = app
        .get(
            &format!("/api/v1/webhooks/{}", sub["id"].as_str().expect("id")),
            &client,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(again.get("secret").is_none());
    assert_eq!(again["url"], hook.url());

    let id = refer(&app, &w.prescriber, "Lefebvre").await;
    close(&app, &w.counsellor, &id).await;
    let got = hook
        .wait_until("two verified deliveries", |r| {
            r.iter().filter(|e| e["verified"] == true).count() >= 2
        })
        .await;
    assert!(got.iter().all(|e| e["verified"] == true), "{got:?}");
    let first = &got[0]["payload"];
    assert_eq!(first["type"], "referral.status_changed");
    assert_eq!(first["data"]["referral_id"], id.as_str());
    assert_eq!(first["data"]["status"], "submitted");
    let second = &got[1]["payload"];
    assert_eq!(second["data"]["status"], "closed");
    assert_eq!(second["data"]["previous_status"], "submitted");
    // A prescriber's partner reads a duplicate as closed by SAS.
    assert_eq!(second["data"]["outcome"], "closed_by_sas");
    let raw = serde_json::to_string(&got).expect("json");
    for personal in ["Lefebvre", "Léa", "2000-01-15", "06 12"] {
        assert!(
            !raw.contains(personal),
            "personal data in a webhook: {personal}"
        );
    }
    let ids: std::collections::HashSet<_> = got.iter().map(|e| e["id"].to_string()).collect();
    assert_eq!(ids.len(), 2, "one webhook-id per delivery");
    let status: Value = app
        .get("/api/v1/webhooks", &client)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(status["items"][0]["pending_deliveries"], 0);
    assert!(status["items"][0]["last_delivered_at"].is_string());
}

#[actix_web::test]
async fn a_failing_endpoint_is_retried_with_backoff_and_gets_each_event_once() {
    let hook = WebhookReceiver::start();
    let app = TestApp::spawn_with(&[("SAS_WEBHOOK_ALLOW_LOCAL", "true")]).await;
    let w = app.world().await;
    let (_, client) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let sub: Value = subscribe(&app, &client, &hook.url())
        .await
        .json()
        .await
        .expect("json");
    hook.set_secret(sub["secret"].as_str().expect("secret"));
    hook.answer(Some(503));
    refer(&app, &w.prescriber, "Moreau").await;
    hook.wait_until("a refused delivery", |r| !r.is_empty())
        .await;
    eventually(20, "the attempt recorded", || async {
        sql_text(
            &app,
            "SELECT last_status_code::text AS v FROM webhook_deliveries WHERE attempts = 1",
        )
    })
    .await;
    let list: Value = app
        .get("/api/v1/webhooks", &client)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["pending_deliveries"], 1);
    hook.answer(None);
    // Not before the backoff: the receiver sees nothing more until the clock passes 30 s.
    assert_eq!(hook.requests().len(), 1);
    app.clock.advance(chrono::Duration::seconds(31));
    let got = hook.wait_until("the retry", |r| r.len() >= 2).await;
    assert_eq!(got[1]["status"], 204);
    assert_eq!(got[0]["id"], got[1]["id"], "a retry keeps its webhook-id");
    eventually(20, "delivered", || async {
        (sql_text(&app, "SELECT status AS v FROM webhook_deliveries").as_deref()
            == Some("delivered"))
        .then_some(())
    })
    .await;
    app.clock.advance(chrono::Duration::hours(1));
    eventually(20, "a later sweep", || async {
        sql_text(
            &app,
            "SELECT runs::text AS v FROM job_schedules WHERE name = 'jobs.cleanup'",
        )
        .filter(|r| r == "2")
    })
    .await;
    assert_eq!(hook.requests().len(), 2, "delivered twice");
}

#[actix_web::test]
async fn webhook_urls_must_be_public_https_outside_dev() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (_, client) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    for (url, code) in [
        ("http://partenaire.example.org/h", "https_required"),
        ("https://127.0.0.1/h", "internal_address"),
        (
            "https://169.254.169.254/latest/meta-data",
            "internal_address",
        ),
        (
            "https://user:pw@partenaire.example.org/h",
            "credentials_in_url",
        ),
        ("ftp://partenaire.example.org/h", "invalid_url"),
    ] {
        let body = problem(
            subscribe(&app, &client, url).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            field_codes(&body),
            [("url".to_string(), code.to_string())],
            "{url}"
        );
    }
    let res = subscribe(&app, &client, "https://partenaire.example.org/hooks").await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[actix_web::test]
async fn each_structure_manages_its_own_subscriptions_and_admins_read_them_all() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (_, mine) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let (_, other) = app.api_client(&w.receiver_id, &["receiver"]).await;
    let sub: Value = subscribe(&app, &mine, "https://a.example.org/h")
        .await
        .json()
        .await
        .expect("json");
    let id = sub["id"].as_str().expect("id");
    // People do not subscribe, administrators included.
    for (_, token) in w.tokens() {
        let res = subscribe(&app, token, "https://b.example.org/h").await;
        problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let res = app.get(&format!("/api/v1/webhooks/{id}"), &other).await;
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let theirs: Value = app
        .get("/api/v1/webhooks", &other)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["items"], json!([]));
    let all: Value = app
        .get("/api/v1/webhooks", &w.admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["items"][0]["id"], id);
    let res = app.get("/api/v1/webhooks", &w.prescriber).await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .req(
            Method::DELETE,
            &format!("/api/v1/webhooks/{id}"),
            Some(&other),
        )
        .send()
        .await
        .expect("request");
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .req(
            Method::DELETE,
            &format!("/api/v1/webhooks/{id}"),
            Some(&mine),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let after: Value = app
        .get(&format!("/api/v1/webhooks/{id}"), &mine)
        .await
        .json()
        .await
        .expect("json");
    assert!(after["disabled_at"].is_string());
    // A stopped subscription gets nothing.
    refer(&app, &w.prescriber, "Simon").await;
    assert_eq!(
        sql_text(&app, "SELECT count(*)::text AS v FROM webhook_deliveries").as_deref(),
        Some("0")
    );
}

#[actix_web::test]
async fn a_polling_partner_pages_through_changes_in_a_stable_order() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (_, client) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let a = refer(&app, &client, "Alpha").await;
    app.clock.advance(chrono::Duration::minutes(1));
    let b = refer(&app, &client, "Bravo").await;
    app.clock.advance(chrono::Duration::minutes(1));
    let c = refer(&app, &client, "Charlie").await;
    app.clock.advance(chrono::Duration::minutes(1));
    close(&app, &w.counsellor, &a).await; // a changes last
    let since =
        (t0() + chrono::Duration::seconds(30)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: Value = app
            .get(
                &format!("/api/v1/referrals?updated_since={since}&limit=1&cursor={cursor}"),
                &client,
            )
            .await
            .json()
            .await
            .expect("json");
        for r in page["items"].as_array().expect("items") {
            seen.push(r["id"].as_str().expect("id").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(n) => cursor = n.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, [b, c, a]);
    let res = app
        .get("/api/v1/referrals?updated_since=yesterday", &client)
        .await;
    problem(res, StatusCode::BAD_REQUEST, "invalid_query").await;
}

//! Relay and the closed loop, end to end: the transition table walked through the API, the
//! journey across the four roles (and through a receiver's API client), who sees what, the
//! consent and account rules, early closes, and the reminders and expiries with the clock.
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use chrono::Duration;

use crate::referrals::{adult, count, get, id, refer, take};
use crate::services::service;
use crate::support::*;

mod jobs;
mod journey;
mod rules;
mod table;
mod visibility;
mod webhooks;

/// A server whose access tokens outlive the months these tests move the clock through.
pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")];
    env.extend_from_slice(extra);
    TestApp::spawn_with(&env).await
}

pub async fn spawn() -> TestApp {
    spawn_with(&[]).await
}

/// POSTs `path` as `token` with `If-Match: *` and an optional body.
pub async fn act(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> Response {
    let mut r = app
        .req(Method::POST, path, Some(token))
        .header("if-match", "*");
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

/// Does `action` on relay `relay` and expects 200; returns the relay as answered.
pub async fn ok(
    app: &TestApp,
    token: &str,
    relay: &str,
    action: &str,
    body: Option<Value>,
) -> Value {
    let res = act(
        app,
        token,
        &format!("/api/v1/relays/{relay}/{action}"),
        body,
    )
    .await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

/// Sends a relay of `referral` to `service` as the counsellor; expects 201.
pub async fn send(app: &TestApp, token: &str, referral: &str, service: &str) -> Value {
    let res = app
        .post(
            &format!("/api/v1/referrals/{referral}/relays"),
            token,
            &json!({"service_id": service}),
        )
        .await;
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(location.unwrap(), format!("/api/v1/relays/{}", id(&v)));
    v
}

/// A receiving structure with an agent (its token) and a published service (its id).
pub async fn receiver(
    app: &TestApp,
    name: &str,
    email: &str,
    extra: Value,
) -> (String, String, String) {
    let mut body = json!({"name": name, "kind": "E2C", "receiver": true});
    merge(&mut body, extra);
    let s = app.structure(body).await;
    let sid = id(&s);
    let token = app.user_token(email, &["receiver"], Some(&sid), None).await;
    let svc = app
        .published(
            &token,
            service(&format!("{name} — accompagnement"), "69123", json!({})),
        )
        .await;
    (sid, token, id(&svc))
}

pub fn diagnostic() -> Value {
    json!({
        "situation": {"housing": "tiers"},
        "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "shared_summary": "Motivé, cherche un emploi dans la logistique."
    })
}

/// A referral of `body` by the world's prescriber, taken and reached by its counsellor, its
/// diagnostic saved: ready to relay.
pub async fn diagnosed(app: &TestApp, w: &World, body: &Value) -> String {
    let r = refer(app, &w.prescriber, body).await;
    let rid = id(&r);
    diagnosed_from(app, &w.counsellor, &rid).await;
    rid
}

pub async fn diagnosed_from(app: &TestApp, counsellor: &str, rid: &str) {
    diagnosed_via(app, counsellor, rid, "phone").await;
}

/// Taken, reached through `channel`, diagnosed.
pub async fn diagnosed_via(app: &TestApp, counsellor: &str, rid: &str, channel: &str) {
    assert_eq!(take(app, counsellor, rid).await.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/contact-attempts"),
            counsellor,
            &json!({"channel": channel, "outcome": "reached"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/referrals/{rid}/diagnostic"),
            Some(counsellor),
        )
        .header("if-match", "*")
        .json(&diagnostic())
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

pub async fn status_of(app: &TestApp, token: &str, rid: &str) -> String {
    get(app, token, &format!("/api/v1/referrals/{rid}")).await["status"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn sql(app: &TestApp, q: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(q).execute(&mut app.db()).unwrap();
}

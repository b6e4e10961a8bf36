//! Identify, end to end: referrals, the lifecycle, who sees what, the queue, consent.
use diesel::{QueryableByName, RunQueryDsl};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

mod basics;
mod consent;
mod inputs;
mod lifecycle;
mod matching;
mod orient;
mod queue;
mod storage;
mod visibility;

pub fn referral(first: &str, last: &str, birth: &str, phone: &str, exit: Option<&str>) -> Value {
    json!({
        "youth": {
            "first_name": first, "last_name": last, "birth_date": birth, "phone": phone,
            "commune_insee": "69383", "contact_channels": ["phone", "sms"]
        },
        "reason_code": "ase_exit",
        "exit_date": exit,
        "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "consent": {
            "informed_at": "2026-03-01T10:00:00Z", "informed_by": "Paul, éducateur",
            "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]
        }
    })
}

pub fn adult() -> Value {
    referral(
        "Léa",
        "Martin",
        "2000-01-15",
        "06 12 34 56 78",
        Some("2026-05-30"),
    )
}

pub async fn refer(app: &TestApp, token: &str, body: &Value) -> Value {
    let res = app.post("/api/v1/referrals", token, body).await;
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        location.unwrap(),
        format!("/api/v1/referrals/{}", v["id"].as_str().unwrap())
    );
    v
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

/// `POST /referrals/{id}/transitions` with `If-Match` (none when `None`).
pub async fn transit(
    app: &TestApp,
    token: &str,
    id: &str,
    body: Value,
    if_match: Option<&str>,
) -> Response {
    let mut r = app
        .req(
            Method::POST,
            &format!("/api/v1/referrals/{id}/transitions"),
            Some(token),
        )
        .json(&body);
    if let Some(v) = if_match {
        r = r.header("if-match", v);
    }
    r.send().await.unwrap()
}

/// Takes a referral whatever its version (`If-Match: *`).
pub async fn take(app: &TestApp, token: &str, id: &str) -> Response {
    transit(app, token, id, json!({"to": "contacting"}), Some("*")).await
}

pub async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let res = app.get(path, token).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

pub async fn me(app: &TestApp, token: &str) -> String {
    get(app, token, "/api/v1/me").await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[derive(QueryableByName)]
pub struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
}

pub fn count(app: &TestApp, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut app.db())
        .unwrap()
        .n
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
}

/// Puts a referral in a state the API cannot reach yet (diagnosis, relaying and followed come
/// from contact attempts and relays), straight in the database: the test's arrangement.
/// Returns the new version.
pub fn set_state(
    app: &TestApp,
    id: &str,
    status: &str,
    hold_from: Option<&str>,
    assigned: Option<&str>,
) -> i32 {
    let q = |v: Option<&str>| v.map_or("NULL".to_string(), |s| format!("'{s}'"));
    let closed = status == "closed";
    let sql = format!(
        "UPDATE referrals SET status = '{status}', on_hold_from = {hold}, on_hold_reason = {reason}, \
         assigned_counsellor_id = {assigned}, outcome = {outcome}, closed_at = {closed_at}, \
         version = version + 1 WHERE id = '{id}' RETURNING version",
        hold = q(hold_from),
        reason = if hold_from.is_some() { "'waiting_list'" } else { "NULL" },
        assigned = q(assigned),
        outcome = if closed { "'declined'" } else { "NULL" },
        closed_at = if closed { "now()" } else { "NULL" },
    );
    diesel::sql_query(sql)
        .get_result::<Version>(&mut app.db())
        .unwrap()
        .version
}

/// A second prescriber structure, and a second territory with its own counsellor.
pub async fn elsewhere(app: &TestApp) -> (String, String) {
    let other = app
        .structure(json!({"name": "SPIP B", "kind": "SPIP", "prescriber": true}))
        .await;
    let p2 = app
        .user_token(
            "p2@sas.test",
            &["prescriber"],
            Some(other["id"].as_str().unwrap()),
            None,
        )
        .await;
    let t2 = app.territory("Saint-Étienne", &["42218"]).await;
    let team2 = app
        .structure(
            json!({"name": "SAS 42", "kind": "ASSO", "sas_team": true, "territory_id": t2["id"]}),
        )
        .await;
    let c2 = app
        .user_token(
            "c2@sas.test",
            &["counsellor"],
            Some(team2["id"].as_str().unwrap()),
            None,
        )
        .await;
    (p2, c2)
}

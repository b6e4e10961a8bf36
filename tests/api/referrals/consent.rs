//! The consent history: appended by the prescriber or a counsellor, the latest counts.
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::*;

fn record(agreed: &[&str], at: &str) -> Value {
    json!({"informed_at": at, "informed_by": "Awa, conseillère SAS", "method": "written", "agreed": agreed})
}

#[actix_web::test]
async fn each_consent_record_is_appended_and_the_referral_shows_the_latest() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let path = format!("/api/v1/referrals/{rid}/consent");
    app.clock.advance(chrono::Duration::minutes(5));
    let res = app
        .post(
            &path,
            &w.counsellor,
            &record(&["sas_contact"], "2026-03-02T09:04:00Z"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let created: Value = res.json().await.unwrap();
    assert!(location.ends_with(created["id"].as_str().unwrap()));
    assert_eq!(created["agreed"], json!(["sas_contact"]));
    assert_eq!(created["recorded_at"], "2026-03-02T09:05:00Z");
    let one = get(&app, &w.prescriber, &location).await;
    assert_eq!(one, created);

    let r = get(&app, &w.prescriber, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(
        r["consent"]["agreed"],
        json!(["sas_contact"]),
        "the latest counts"
    );
    assert_eq!(r["consent"]["method"], "written");
    assert_eq!(r["version"], 2);

    // The prescriber records again: share_with_receiver, needed before a relay.
    app.clock.advance(chrono::Duration::minutes(5));
    let res = app
        .post(
            &path,
            &w.prescriber,
            &record(
                &["share_with_receiver", "sas_contact"],
                "2026-03-02T09:09:00Z",
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let history = get(&app, &w.counsellor, &path).await;
    let agreed: Vec<Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["agreed"].clone())
        .collect();
    assert_eq!(
        agreed,
        [
            json!(["sas_contact", "share_with_receiver"]),
            json!(["sas_contact"]),
            json!(["sas_contact", "share_with_receiver"]),
        ],
        "latest first, every record kept"
    );
    let page = get(&app, &w.counsellor, &format!("{path}?limit=1")).await;
    let next = get(
        &app,
        &w.counsellor,
        &format!(
            "{path}?limit=2&cursor={}",
            page["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(next["items"].as_array().unwrap().len(), 2);
    assert_eq!(next["items"][0], history["items"][1]);
    let events = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{rid}/events"),
    )
    .await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "consent_recorded", "consent_recorded"]);
}

#[actix_web::test]
async fn consent_is_recorded_in_scope_only_and_never_on_a_closed_referral() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (p2, c2) = elsewhere(&app).await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let path = format!("/api/v1/referrals/{rid}/consent");
    let body = record(&["sas_contact"], "2026-03-02T08:00:00Z");
    for token in [&p2, &c2] {
        problem(
            app.post(&path, token, &body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        problem(
            app.get(&path, token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    for token in [&w.receiver, &w.pilot, &w.admin] {
        problem(
            app.post(&path, token, &body).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let res = app
        .post(
            &path,
            &w.prescriber,
            &record(&["sas_contact"], "2026-03-03T08:00:00Z"),
        )
        .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("informed_at".into(), "in_future".into())]
    );
    // Retrying with one Idempotency-Key records once.
    for _ in 0..2 {
        let res = app
            .req(Method::POST, &path, Some(&w.prescriber))
            .header("idempotency-key", "consent-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    assert_eq!(count(&app, "SELECT count(*) AS n FROM consent_records"), 2);
    transit(
        &app,
        &w.prescriber,
        &rid,
        json!({"to": "closed", "outcome": "withdrawn", "reason": "Retiré"}),
        Some("*"),
    )
    .await;
    problem(
        app.post(&path, &w.prescriber, &body).await,
        StatusCode::CONFLICT,
        "referral_closed",
    )
    .await;
    problem(
        app.get(&format!("{path}/{}", uuid::Uuid::nil()), &w.prescriber)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

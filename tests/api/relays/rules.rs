//! The rules around sending relays: consent, receiving accounts and off-platform relays, one
//! active relay per service, idempotent retries, when a referral may relay; early closes and
//! consent withdrawals; the inbox's order, filter and cursor.
use super::*;
use crate::referrals::referral;

fn consent(agreed: &[&str]) -> Value {
    json!({"informed_at": "2026-03-01T10:00:00Z", "informed_by": "Paul, éducateur",
           "method": "oral", "agreed": agreed})
}

#[actix_web::test]
async fn a_relay_needs_share_with_receiver_in_the_latest_consent_record() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, _, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let mut body = adult();
    body["consent"] = consent(&["sas_contact"]);
    let rid = diagnosed(&app, &w, &body).await;
    let path = format!("/api/v1/referrals/{rid}/relays");
    let res = app
        .post(&path, &w.counsellor, &json!({"service_id": svc}))
        .await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "consent_required").await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM relays"), 0);
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "diagnosis");
    // Recorded later, before the relay: it goes.
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/consent"),
            &w.counsellor,
            &consent(&["sas_contact", "share_with_receiver"]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let r = send(&app, &w.counsellor, &rid, &svc).await;
    // A later record without it cancels the relays not started yet.
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/consent"),
            &w.counsellor,
            &consent(&["sas_contact"]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let page = get(&app, &w.counsellor, &path).await;
    assert_eq!(page["items"][0]["status"], "cancelled");
    assert_eq!(
        count(&app, &format!("SELECT count(*) AS n FROM events WHERE relay_id = '{}' AND kind = 'relay_cancelled' AND code = 'consent_withdrawn'", id(&r))),
        1
    );
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "relaying");
}

#[actix_web::test]
async fn relays_go_to_structures_with_an_account_and_the_others_are_recorded_off_platform() {
    let app = spawn().await;
    let w = app.world().await;
    let (sid, token, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let path = format!("/api/v1/referrals/{rid}/relays");
    // Its only agent deactivated: no account left, no relay through SAS.
    let admin = app.admin().await;
    let uid = app.user_id("r1@sas.test").await;
    let res = app
        .admin_post(
            &format!("/api/v1/users/{uid}/deactivate"),
            &admin,
            &json!({}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    drop(token);
    let res = app
        .post(&path, &w.counsellor, &json!({"service_id": svc}))
        .await;
    let p = problem(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "structure_without_account",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![(
            "service_id".to_string(),
            "structure_without_account".to_string()
        )]
    );
    // Recorded off the platform: the counsellor records its answers; counted apart.
    let res = app
        .post(
            &path,
            &w.counsellor,
            &json!({"service_id": svc, "off_platform": true}),
        )
        .await;
    let off: Value = res.json().await.unwrap();
    assert_eq!(off["off_platform"], true, "{off}");
    let res = app
        .post(
            &path,
            &w.counsellor,
            &json!({"service_id": svc, "off_platform": true}),
        )
        .await;
    problem(res, StatusCode::CONFLICT, "relay_exists").await;
    ok(&app, &w.counsellor, &id(&off), "accept", None).await;
    ok(&app, &w.counsellor, &id(&off), "start", None).await;
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "followed");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM events WHERE kind = 'relay_requested' AND code = 'off_platform'"), 1);
    // A partner system of the structure is an account again: off_platform is then refused.
    let (_, client) = app.api_client(&sid, &["receiver"]).await;
    let (_, _, other_svc) = receiver(&app, "ML Est", "r2@sas.test", json!({})).await;
    let res = app
        .post(
            &path,
            &w.counsellor,
            &json!({"service_id": other_svc, "off_platform": true}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&p),
        vec![(
            "off_platform".to_string(),
            "structure_has_account".to_string()
        )]
    );
    // The partner system never sees the off-platform relay.
    let inbox = get(&app, &client, "/api/v1/relays").await;
    assert!(inbox["items"].as_array().unwrap().is_empty());
    problem(
        app.get(&format!("/api/v1/relays/{}", id(&off)), &client)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[actix_web::test]
async fn one_active_relay_per_service_and_retries_are_safe() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, recv, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    // Before the diagnosis: no relay.
    let early = id(&refer(&app, &w.prescriber, &adult()).await);
    let res = app
        .post(
            &format!("/api/v1/referrals/{early}/relays"),
            &w.counsellor,
            &json!({"service_id": svc}),
        )
        .await;
    problem(res, StatusCode::CONFLICT, "relay_not_allowed").await;
    let rid = diagnosed(
        &app,
        &w,
        &referral("Jo", "Durand", "2003-04-05", "06 00 00 00 01", None),
    )
    .await;
    let path = format!("/api/v1/referrals/{rid}/relays");
    // An unknown or unpublished service.
    let res = app
        .post(
            &path,
            &w.counsellor,
            &json!({"service_id": uuid::Uuid::nil()}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&p),
        vec![("service_id".to_string(), "not_published".to_string())]
    );
    // Idempotency-Key: the same answer, one row.
    let send_with_key = |key: &'static str, body: Value| {
        app.req(Method::POST, &path, Some(&w.counsellor))
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let a = send_with_key("k1", json!({"service_id": svc}))
        .await
        .unwrap();
    assert_eq!(a.status(), StatusCode::CREATED);
    let a: Value = a.json().await.unwrap();
    let b = send_with_key("k1", json!({"service_id": svc}))
        .await
        .unwrap();
    assert_eq!(b.status(), StatusCode::CREATED);
    let b: Value = b.json().await.unwrap();
    assert_eq!(a["id"], b["id"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM relays"), 1);
    let res = send_with_key("k1", json!({"service_id": svc, "shared_summary": "autre"}))
        .await
        .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(field_codes(&p)[0].1, "idempotency_key_reused");
    // A second active relay to the same service: 409; after a refusal, another may go.
    let res = app
        .post(&path, &w.counsellor, &json!({"service_id": svc}))
        .await;
    problem(res, StatusCode::CONFLICT, "relay_exists").await;
    ok(
        &app,
        &recv,
        &id(&a),
        "refuse",
        Some(json!({"reason": "not_eligible"})),
    )
    .await;
    let again = send(&app, &w.counsellor, &rid, &svc).await;
    // The counsellor cancels it; a prescriber may not.
    let res = act(
        &app,
        &w.prescriber,
        &format!("/api/v1/relays/{}/cancel", id(&again)),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    ok(&app, &w.counsellor, &id(&again), "cancel", None).await;
    let long = "x".repeat(2001);
    let res = app
        .post(
            &path,
            &w.counsellor,
            &json!({"service_id": svc, "shared_summary": long}),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&p),
        vec![("shared_summary".to_string(), "too_long".to_string())]
    );
}

#[actix_web::test]
async fn closing_early_cancels_pending_relays_and_keeps_the_started_ones_checkpoints() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, a, svc_a) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let (_, _, svc_b) = receiver(&app, "ML Est", "rb@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let started = send(&app, &w.counsellor, &rid, &svc_a).await;
    ok(&app, &a, &id(&started), "accept", None).await;
    ok(&app, &a, &id(&started), "start", None).await;
    let pending = send(&app, &w.counsellor, &rid, &svc_b).await;
    let res = crate::referrals::transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "positive_exit"}),
        Some("*"),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let page = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/relays"),
    )
    .await;
    let by_id = |i: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == i)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id(&id(&pending))["status"], "cancelled");
    assert_eq!(by_id(&id(&started))["status"], "started");
    // H3 needs J+90: the started relay's checkpoints are still answered.
    app.clock.advance(Duration::days(30));
    let res = act(
        &app,
        &a,
        &format!("/api/v1/relays/{}/checkpoints/30/answer", id(&started)),
        Some(json!({"answer": "dropped_out"})),
    )
    .await;
    let v: Value = res.json().await.unwrap();
    assert_eq!(
        (v["status"].as_str(), v["reason"].as_str()),
        (Some("failed"), Some("dropped_out")),
        "{v}"
    );
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "closed");
}

#[actix_web::test]
async fn on_hold_a_start_changes_the_state_the_referral_returns_to() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, a, svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let r = send(&app, &w.counsellor, &rid, &svc).await;
    ok(&app, &a, &id(&r), "accept", None).await;
    let res = crate::referrals::transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "on_hold", "reason": "youth_request"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    ok(&app, &a, &id(&r), "start", None).await;
    let v = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(
        (v["status"].as_str(), v["on_hold_from"].as_str()),
        (Some("on_hold"), Some("followed"))
    );
    ok(
        &app,
        &a,
        &id(&r),
        "fail",
        Some(json!({"reason": "did_not_come"})),
    )
    .await;
    let v = get(&app, &w.counsellor, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(v["on_hold_from"], "relaying");
}

#[actix_web::test]
async fn the_inbox_lists_waiting_relays_first_filters_by_service_and_pages_stably() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, a, svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let other_svc = id(&app
        .published(&a, service("E2C Lyon — numérique", "69123", json!({})))
        .await);
    let mut relays = Vec::new();
    for (i, svc) in [&svc, &other_svc, &svc].iter().enumerate() {
        let rid = diagnosed(
            &app,
            &w,
            &referral(
                "Ana",
                &format!("Nom{i}"),
                "2002-01-01",
                &format!("06 00 00 00 1{i}"),
                None,
            ),
        )
        .await;
        relays.push(id(&send(&app, &w.counsellor, &rid, svc).await));
        app.clock.advance(Duration::days(4));
    }
    // The oldest is answered: it goes after the waiting ones; the next oldest is overdue.
    ok(&app, &a, &relays[0], "accept", None).await;
    let page = get(&app, &a, "/api/v1/relays?limit=1").await;
    assert_eq!(page["items"][0]["id"], relays[1].as_str());
    assert_eq!(page["items"][0]["overdue"], false);
    let c1 = page["next_cursor"].as_str().unwrap().to_string();
    // A new request meanwhile does not shift the pages.
    let rid = diagnosed(
        &app,
        &w,
        &referral("Eva", "Neuve", "2002-01-01", "06 00 00 00 19", None),
    )
    .await;
    let newest = id(&send(&app, &w.counsellor, &rid, &svc).await);
    let page = get(&app, &a, &format!("/api/v1/relays?limit=2&cursor={c1}")).await;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![relays[2].as_str(), newest.as_str()]);
    let c2 = page["next_cursor"].as_str().unwrap().to_string();
    let page = get(&app, &a, &format!("/api/v1/relays?limit=2&cursor={c2}")).await;
    assert_eq!(page["items"][0]["id"], relays[0].as_str());
    assert!(page["next_cursor"].is_null());
    let page = get(&app, &a, &format!("/api/v1/relays?service_id={other_svc}")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], relays[1].as_str());
    // Ten days after its request, a waiting one is overdue.
    app.clock.advance(Duration::days(2));
    let page = get(&app, &a, "/api/v1/relays?status=requested").await;
    assert_eq!(page["items"][0]["id"], relays[1].as_str());
    assert_eq!(page["items"][0]["overdue"], true);
    let res = app.get("/api/v1/relays?colour=red", &a).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app.get("/api/v1/relays", &w.counsellor).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn a_service_the_counsellor_excluded_is_not_relayed_to_until_the_exclusion_is_removed() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, _, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let exclusions = format!("/api/v1/referrals/{rid}/matches/exclusions");
    let res = app
        .post(
            &exclusions,
            &w.counsellor,
            &json!({"service_id": svc, "reason": "too_far"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let path = format!("/api/v1/referrals/{rid}/relays");
    // Whatever the body (the exclusion is checked before the account rule), and with an
    // Idempotency-Key too: refused, in French.
    for body in [
        json!({"service_id": svc}),
        json!({"service_id": svc, "shared_summary": "Synthèse"}),
        json!({"service_id": svc, "off_platform": true}),
    ] {
        let p = problem(
            app.post(&path, &w.counsellor, &body).await,
            StatusCode::CONFLICT,
            "service_excluded",
        )
        .await;
        assert_eq!(p["detail"], sas_api::routes::relays::create::MSG_EXCLUDED);
        assert!(p["detail"]
            .as_str()
            .unwrap()
            .contains("retirez d’abord l’exclusion"));
    }
    let res = app
        .req(Method::POST, &path, Some(&w.counsellor))
        .header("idempotency-key", "exclu-1")
        .json(&json!({"service_id": svc}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT, "service_excluded").await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM relays"), 0);
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "diagnosis");
    // The exclusion removed, the relay goes (the same key now answers the relay).
    let res = app
        .req(
            Method::DELETE,
            &format!("{exclusions}/{svc}"),
            Some(&w.counsellor),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .req(Method::POST, &path, Some(&w.counsellor))
        .header("idempotency-key", "exclu-1")
        .json(&json!({"service_id": svc}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    assert_eq!(status_of(&app, &w.counsellor, &rid).await, "relaying");
    // Excluding it again once the relay is sent does not undo the relay.
    let res = app
        .post(
            &exclusions,
            &w.counsellor,
            &json!({"service_id": svc, "reason": "too_far"}),
        )
        .await;
    assert!(res.status().is_success());
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM relays WHERE status = 'requested'"
        ),
        1
    );
}

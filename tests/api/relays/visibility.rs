//! Who sees what of a relay, by every route: a receiver never gets another relay's data, a
//! sensitive prescriber's name or id, nor the contact of a youth reached only through the
//! prescriber; a prescriber reads a sensitive receiving structure as "structure partenaire
//! (confidentiel)".
use super::*;
use crate::referrals::referral;

#[actix_web::test]
async fn a_receiver_gets_nothing_beyond_its_own_relays_by_any_route() {
    let app = spawn().await;
    let w = app.world().await;
    // A sensitive prescriber refers a youth reached only through it.
    let spip = app
        .structure(
            json!({"name": "SPIP du Rhône", "kind": "SPIP", "prescriber": true, "sensitive": true}),
        )
        .await;
    let spip_id = id(&spip);
    let p2 = app
        .user_token("spip@sas.test", &["prescriber"], Some(&spip_id), None)
        .await;
    let mut body = referral(
        "Noé",
        "Secret",
        "2001-02-03",
        "07 11 22 33 44",
        Some("2026-06-30"),
    );
    body["youth"]["contact_via_prescriber_only"] = json!(true);
    body["youth"]["email"] = json!("noe.secret@example.org");
    let r = refer(&app, &p2, &body).await;
    let rid = id(&r);
    diesel_take_and_diagnose(&app, &w, &rid).await;
    let (_, a, svc_a) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let (_, b, svc_b) = receiver(&app, "ML Villeurbanne", "rb@sas.test", json!({})).await;
    let ra = send(&app, &w.counsellor, &rid, &svc_a).await;
    let rb = send(&app, &w.counsellor, &rid, &svc_b).await;
    // A reads its relay: identity, no contact, the prescriber as confidential.
    let seen = get(&app, &a, &format!("/api/v1/relays/{}", id(&ra))).await;
    assert_eq!(seen["youth"]["last_name"], "Secret");
    assert!(seen["youth"]["phone"].is_null() && seen["youth"]["email"].is_null());
    assert_eq!(seen["youth"]["contact_via_prescriber_only"], true);
    assert_eq!(
        seen["prescriber"]["name"],
        "Structure partenaire (confidentiel)"
    );
    assert!(seen["prescriber"]["id"].is_null());
    // By every route A may call, none of what it must not know.
    let forbidden = [
        spip_id.as_str(),
        "SPIP",
        "+33711223344",
        "noe.secret",
        &id(&rb),
    ];
    let mut texts = Vec::new();
    for path in [
        format!("/api/v1/relays/{}", id(&ra)),
        "/api/v1/relays".to_string(),
        format!("/api/v1/relays?service_id={svc_a}"),
    ] {
        let res = app.get(&path, &a).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        texts.push((path, res.text().await.unwrap()));
    }
    let accepted = act(
        &app,
        &a,
        &format!("/api/v1/relays/{}/accept", id(&ra)),
        None,
    )
    .await;
    texts.push(("accept".into(), accepted.text().await.unwrap()));
    for (path, text) in &texts {
        for f in forbidden {
            assert!(!text.contains(f), "{path} leaks {f}: {text}");
        }
    }
    // Another relay, the referral and its relays are out of its reach (404, or 403 by role).
    for path in [format!("/api/v1/relays/{}", id(&rb))] {
        problem(app.get(&path, &a).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    for action in ["accept", "refuse", "start", "fail", "complete", "cancel"] {
        let body = match action {
            "refuse" | "fail" => Some(json!({"reason": "no_capacity"})),
            "complete" => Some(json!({"outcome": "positive_exit"})),
            _ => None,
        };
        let res = act(
            &app,
            &a,
            &format!("/api/v1/relays/{}/{action}", id(&rb)),
            body,
        )
        .await;
        assert!(
            matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{action} on another's relay: {}",
            res.status()
        );
    }
    let res = act(
        &app,
        &a,
        &format!("/api/v1/relays/{}/checkpoints/30/answer", id(&rb)),
        Some(json!({"answer": "dropped_out"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for path in [
        format!("/api/v1/referrals/{rid}"),
        format!("/api/v1/referrals/{rid}/relays"),
        format!("/api/v1/referrals/{rid}/events"),
        format!("/api/v1/referrals/{rid}/diagnostic"),
    ] {
        let res = app.get(&path, &a).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/relays"),
            &a,
            &json!({"service_id": svc_b}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // B's inbox has B's relay only.
    let inbox = get(&app, &b, "/api/v1/relays").await;
    let ids: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![id(&rb).as_str()]);
    // The reads were access-logged (one row per youth per request).
    assert!(count(&app, "SELECT count(*) AS n FROM access_logs WHERE route LIKE '/api/v1/relays%' AND action IN ('read', 'list')") >= 3);
}

async fn diesel_take_and_diagnose(app: &TestApp, w: &World, rid: &str) {
    // A youth reached only through the prescriber.
    diagnosed_via(app, &w.counsellor, rid, "via_prescriber").await;
}

#[actix_web::test]
async fn a_prescriber_reads_a_sensitive_receiving_structure_as_a_confidential_partner() {
    let app = spawn().await;
    let w = app.world().await;
    let (sid, csapa, svc) = receiver(
        &app,
        "CSAPA Lyon",
        "csapa@sas.test",
        json!({"kind": "ASSO", "sensitive": true}),
    )
    .await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let r = send(&app, &w.counsellor, &rid, &svc).await;
    ok(
        &app,
        &csapa,
        &id(&r),
        "refuse",
        Some(json!({"reason": "other", "reason_text": "Hors public"})),
    )
    .await;
    let res = app
        .get(&format!("/api/v1/referrals/{rid}/relays"), &w.prescriber)
        .await;
    let text = res.text().await.unwrap();
    let page: Value = serde_json::from_str(&text).unwrap();
    let seen = &page["items"][0];
    assert_eq!(
        seen["structure"]["name"],
        "structure partenaire (confidentiel)"
    );
    assert!(
        seen["structure"]["id"].is_null()
            && seen["service_id"].is_null()
            && seen["service_name"].is_null()
    );
    assert_eq!(seen["status"], "refused");
    for f in [sid.as_str(), "CSAPA", "Hors public", svc.as_str()] {
        assert!(!text.contains(f), "the prescriber's view leaks {f}");
    }
    // The counsellor sees everything.
    let page = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{rid}/relays"),
    )
    .await;
    assert_eq!(page["items"][0]["structure"]["name"], "CSAPA Lyon");
    assert_eq!(page["items"][0]["reason_text"], "Hors public");
    // Neither the timeline.
    let res = app
        .get(&format!("/api/v1/referrals/{rid}/events"), &w.prescriber)
        .await;
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("Hors public") && !text.contains("\"other\""),
        "{text}"
    );
}

//! Relay webhooks end to end: partner systems of the receiving structure and of the
//! prescriber subscribe; a relay is refused, sent again, accepted and started; the delivery
//! job POSTs each change to a real HTTP receiver that verifies the signature with PyPI
//! `standardwebhooks`; each partner reads only what its structure may, and no personal data.
use std::collections::BTreeSet;

use super::*;

/// Subscribes `client_token`'s structure to a fresh receiver; returns it, secret set.
async fn subscribed(app: &TestApp, client_token: &str) -> WebhookReceiver {
    let hook = WebhookReceiver::start();
    let res = app
        .post(
            "/api/v1/webhooks",
            client_token,
            &json!({"url": hook.url(), "description": "SI"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let sub: Value = res.json().await.unwrap();
    hook.set_secret(sub["secret"].as_str().unwrap());
    hook
}

/// The verified relay payloads `hook` received, in order of arrival, once `n` are in.
async fn relay_events(hook: &WebhookReceiver, n: usize) -> Vec<Value> {
    let relay = |r: &[Value]| -> Vec<Value> {
        r.iter()
            .filter(|e| e["payload"]["type"] == "relay.status_changed")
            .cloned()
            .collect()
    };
    let got = hook
        .wait_until(&format!("{n} relay deliveries"), |r| relay(r).len() >= n)
        .await;
    assert!(
        got.iter().all(|e| e["verified"] == true),
        "every delivery verified: {got:?}"
    );
    relay(&got)
}

/// Each delivery as (relay, previous status, status), sorted: deliveries may arrive in any
/// order.
fn changes(events: &[Value]) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = events
        .iter()
        .map(|e| {
            let d = &e["payload"]["data"];
            (
                d["relay_id"].as_str().unwrap().to_string(),
                d["previous_status"].as_str().unwrap_or("-").to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[actix_web::test]
async fn partners_receive_signed_relay_changes_with_what_their_structure_may_read() {
    let app = spawn_with(&[("SAS_WEBHOOK_ALLOW_LOCAL", "true")]).await;
    let w = app.world().await;
    let (sid, _agent, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    // The receiving structure answers through its partner system, which subscribes; so does
    // the prescriber's.
    let (_, client) = app.api_client(&sid, &["receiver"]).await;
    let to_receiver = subscribed(&app, &client).await;
    let (_, pclient) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let to_prescriber = subscribed(&app, &pclient).await;

    let rid = diagnosed(&app, &w, &adult()).await;
    let first = id(&send(&app, &w.counsellor, &rid, &svc).await);
    ok(
        &app,
        &client,
        &first,
        "refuse",
        Some(json!({"reason": "no_capacity"})),
    )
    .await;
    let second = id(&send(&app, &w.counsellor, &rid, &svc).await);
    ok(&app, &client, &second, "accept", None).await;
    ok(&app, &client, &second, "start", None).await;

    let mut expected: Vec<(String, String, String)> = [
        (&first, "-", "requested"),
        (&first, "requested", "refused"),
        (&second, "-", "requested"),
        (&second, "requested", "accepted"),
        (&second, "accepted", "started"),
    ]
    .iter()
    .map(|(r, a, b)| (r.to_string(), a.to_string(), b.to_string()))
    .collect();
    expected.sort();
    let got_r = relay_events(&to_receiver, 5).await;
    let got_p = relay_events(&to_prescriber, 5).await;
    for got in [&got_r, &got_p] {
        assert_eq!(changes(got), expected, "one delivery per change");
        let ids: BTreeSet<String> = got.iter().map(|e| e["id"].to_string()).collect();
        assert_eq!(ids.len(), 5, "one webhook-id per delivery");
        // Only these fields, whoever reads: ids, statuses and a reason code.
        for e in got.iter() {
            let keys: BTreeSet<&str> = e["payload"]["data"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert!(
                keys.is_subset(&BTreeSet::from([
                    "relay_id",
                    "referral_id",
                    "event_id",
                    "structure_id",
                    "status",
                    "previous_status",
                    "reason",
                ])),
                "{keys:?}"
            );
        }
        let raw = serde_json::to_string(got).unwrap();
        for personal in [
            "Martin",
            "Léa",
            "+33612345678",
            "2000-",
            "Motivé",
            "logistique",
            "ASE test",
            "trouver-un-emploi",
        ] {
            assert!(
                !raw.contains(personal),
                "personal data in a webhook: {personal}"
            );
        }
    }
    // The receiving structure reads its own refusal's reason, never the referral's id.
    let refused_r = &got_r
        .iter()
        .find(|e| e["payload"]["data"]["status"] == "refused")
        .unwrap()["payload"]["data"];
    assert_eq!(refused_r["reason"], "no_capacity");
    assert!(got_r
        .iter()
        .all(|e| e["payload"]["data"]["referral_id"].is_null()));
    assert!(got_r
        .iter()
        .all(|e| e["payload"]["data"]["structure_id"] == sid.as_str()));
    // The prescriber reads where and how far, without the SAS-side reason.
    assert!(got_p
        .iter()
        .all(|e| e["payload"]["data"]["referral_id"] == rid.as_str()
            && e["payload"]["data"]["structure_id"] == sid.as_str()
            && e["payload"]["data"]["reason"].is_null()));
    // The receiver's partner got relay changes only, never the referral's.
    assert!(to_receiver
        .requests()
        .iter()
        .all(|e| e["payload"]["type"] == "relay.status_changed"));
    // Every delivery recorded as delivered.
    eventually(20, "all deliveries recorded", || async {
        (count(
            &app,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE event_type = 'relay.status_changed' AND status = 'delivered'",
        ) == 10)
            .then_some(())
    })
    .await;
}

#[actix_web::test]
async fn a_sensitive_receiving_structure_is_not_named_to_the_prescriber_s_partner() {
    let app = spawn_with(&[("SAS_WEBHOOK_ALLOW_LOCAL", "true")]).await;
    let w = app.world().await;
    let (sid, agent, svc) = receiver(
        &app,
        "CSAPA Lyon",
        "r1@sas.test",
        json!({"kind": "ASSO", "sensitive": true}),
    )
    .await;
    let (_, pclient) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let to_prescriber = subscribed(&app, &pclient).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let relay = id(&send(&app, &w.counsellor, &rid, &svc).await);
    ok(&app, &agent, &relay, "accept", None).await;
    let got = relay_events(&to_prescriber, 2).await;
    let raw = serde_json::to_string(&got).unwrap();
    assert!(!raw.contains(&sid) && !raw.contains("CSAPA"), "{raw}");
    assert!(got
        .iter()
        .all(|e| e["payload"]["data"]["structure_id"].is_null()
            && e["payload"]["data"]["relay_id"] == relay.as_str()));
}

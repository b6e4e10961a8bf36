//! The relay transition table of DOMAIN.md walked through the API: from every state, every
//! action, by the receiving structure and by the counsellor.
use super::*;
use crate::referrals::{me, set_state};

/// (from, action) allowed to the receiving structure, and to the counsellor, through SAS.
const RECEIVER: &[(&str, &str)] = &[
    ("requested", "accept"),
    ("requested", "refuse"),
    ("accepted", "start"),
    ("accepted", "fail"),
    ("started", "fail"),
    ("started", "complete"),
];
const COUNSELLOR: &[(&str, &str)] = &[("requested", "cancel"), ("accepted", "cancel")];
const STATES: [&str; 8] = [
    "requested",
    "accepted",
    "refused",
    "expired",
    "cancelled",
    "started",
    "completed",
    "failed",
];
const ACTIONS: [&str; 6] = ["accept", "refuse", "start", "fail", "complete", "cancel"];

fn body(action: &str) -> Option<Value> {
    match action {
        "refuse" | "fail" => Some(json!({"reason": "no_capacity"})),
        "complete" => Some(json!({"outcome": "positive_exit"})),
        _ => None,
    }
}

/// The columns a relay in `state` has (the database checks them).
fn arrange(app: &TestApp, relay: &str, state: &str) {
    let (reason, outcome) = match state {
        "refused" | "failed" => ("'no_capacity'", "NULL"),
        "completed" => ("NULL", "'positive_exit'"),
        _ => ("NULL", "NULL"),
    };
    sql(
        app,
        &format!(
            "UPDATE relays SET status = '{state}', reason = {reason}, outcome = {outcome} WHERE id = '{relay}'"
        ),
    );
    if state == "started" {
        sql(
            app,
            &format!(
                "INSERT INTO relay_checkpoints (relay_id, n, due_on) VALUES \
                 ('{relay}', 30, '2026-04-01'), ('{relay}', 90, '2026-05-31'), ('{relay}', 180, '2026-08-29')"
            ),
        );
    }
}

#[actix_web::test]
async fn every_state_action_and_role_answers_as_the_table_says() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, receiver, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let counsellor = me(&app, &w.counsellor).await;
    for from in STATES {
        for action in ACTIONS {
            for (who, token, table) in [
                ("receiver", receiver.as_str(), RECEIVER),
                ("counsellor", w.counsellor.as_str(), COUNSELLOR),
            ] {
                let relay = id(&send(&app, &w.counsellor, &rid, &svc).await);
                arrange(&app, &relay, from);
                let res = act(
                    &app,
                    token,
                    &format!("/api/v1/relays/{relay}/{action}"),
                    body(action),
                )
                .await;
                let allowed = table.contains(&(from, action));
                if who == "receiver" && action == "cancel" {
                    // Cancelling is the SAS team's: refused by role, whatever the state.
                    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
                } else if allowed {
                    let status = res.status();
                    let v: Value = res.json().await.unwrap();
                    assert_eq!(status, StatusCode::OK, "{who} {action} from {from}: {v}");
                    let to = match action {
                        "accept" => "accepted",
                        "refuse" => "refused",
                        "start" => "started",
                        "fail" => "failed",
                        "complete" => "completed",
                        _ => "cancelled",
                    };
                    assert_eq!(v["status"], to);
                } else {
                    let p = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
                    let named: Vec<&str> = table
                        .iter()
                        .filter(|(f, _)| *f == from)
                        .map(|(_, a)| *a)
                        .collect();
                    assert_eq!(
                        p["allowed_transitions"],
                        json!(named),
                        "{who} {action} from {from}"
                    );
                }
                // Out of the way of the next one (one active relay per service), the referral
                // back to relaying.
                sql(&app, &format!("UPDATE relays SET status = 'cancelled', reason = NULL, outcome = NULL WHERE id = '{relay}'"));
                set_state(&app, &rid, "relaying", None, Some(&counsellor));
            }
        }
    }
    // Every accepted change left its event with the relay's id; refusals none.
    let events = count(
        &app,
        "SELECT count(*) AS n FROM events WHERE relay_id IS NOT NULL AND kind <> 'relay_requested'",
    );
    assert_eq!(events, (RECEIVER.len() + COUNSELLOR.len()) as i64);
}

#[actix_web::test]
async fn actions_need_if_match_a_fresh_version_and_their_details() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, receiver, svc) = receiver(&app, "E2C Lyon", "r1@sas.test", json!({})).await;
    let rid = diagnosed(&app, &w, &adult()).await;
    let relay = send(&app, &w.counsellor, &rid, &svc).await;
    let rel = id(&relay);
    let path = format!("/api/v1/relays/{rel}/accept");
    let res = app
        .req(Method::POST, &path, Some(&receiver))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::PRECONDITION_REQUIRED, "if_match_required").await;
    let res = app
        .req(Method::POST, &path, Some(&receiver))
        .header("if-match", "\"99\"")
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::PRECONDITION_FAILED, "stale_version").await;
    let refuse = format!("/api/v1/relays/{rel}/refuse");
    let p = problem(
        act(&app, &receiver, &refuse, Some(json!({"reason": "other"}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![(
            "reason_text".to_string(),
            "reason_text_required".to_string()
        )]
    );
    let res = act(&app, &receiver, &refuse, Some(json!({"reason": "bored"}))).await;
    assert!(
        res.status().is_client_error(),
        "an unknown reason is refused"
    );
    let res = act(
        &app,
        &receiver,
        &refuse,
        Some(json!({"reason": "no_capacity", "status": "accepted"})),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    // Nothing half-written: still requested, version 1.
    let v = get(&app, &receiver, &format!("/api/v1/relays/{rel}")).await;
    assert_eq!(
        (v["status"].as_str(), v["version"].as_i64()),
        (Some("requested"), Some(1))
    );
    let res = app
        .req(Method::POST, &path, Some(&receiver))
        .header("if-match", "\"1\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"2\"");
    let p = problem(
        act(
            &app,
            &receiver,
            &format!("/api/v1/relays/{rel}/complete"),
            Some(json!({})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![("outcome".to_string(), "required".to_string())]
    );
}

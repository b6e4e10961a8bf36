//! The lifecycle through the API: every (from, to, role) and every (state, outcome, role) of
//! DOMAIN.md, the three kinds of refusal kept apart, and If-Match on every write.
use reqwest::{Method, StatusCode};
use sas_api::clock::Clock as _;
use serde_json::{json, Value};

use super::*;

const STATUSES: [&str; 9] = [
    "pending_moderation",
    "submitted",
    "contacting",
    "unreachable",
    "diagnosis",
    "relaying",
    "followed",
    "on_hold",
    "closed",
];
const HOLDABLE: [&str; 4] = ["contacting", "diagnosis", "relaying", "followed"];
const OPEN: [&str; 8] = [
    "pending_moderation",
    "submitted",
    "contacting",
    "unreachable",
    "diagnosis",
    "relaying",
    "followed",
    "on_hold",
];
const WORKED: [&str; 5] = ["contacting", "diagnosis", "relaying", "followed", "on_hold"];
const OUTCOMES: [&str; 9] = [
    "taken_in_charge",
    "positive_exit",
    "declined",
    "unreachable",
    "moved_away",
    "duplicate",
    "withdrawn",
    "entered_in_error",
    "closed_by_sas",
];

/// DOMAIN.md's allow-list for what people may request (the system's moves come with contact
/// attempts and relays): (from, hold_from, to, role).
fn may_move(from: &str, hold_from: Option<&str>, to: &str, role: &str) -> bool {
    if role != "counsellor" {
        return false;
    }
    matches!(
        (from, to),
        ("pending_moderation", "submitted")
            | ("submitted", "contacting")
            | ("contacting", "submitted")
            | ("contacting", "unreachable")
            | ("unreachable", "contacting")
    ) || (to == "on_hold" && HOLDABLE.contains(&from))
        || (from == "on_hold" && hold_from == Some(to))
}

/// DOMAIN.md's outcome table: (state, outcome, role).
fn may_close(from: &str, outcome: &str, role: &str) -> bool {
    let (states, who): (&[&str], &str) = match outcome {
        "taken_in_charge" => (&["followed"], "counsellor"),
        "positive_exit" | "declined" => (&WORKED, "counsellor"),
        "unreachable" => (&["unreachable"], "counsellor"),
        "moved_away" | "duplicate" => (&OPEN, "counsellor"),
        "withdrawn" => (&["submitted", "contacting"], "prescriber"),
        "entered_in_error" => (&OPEN, "admin"),
        _ => (&[], ""),
    };
    states.contains(&from) && who == role
}

fn allowed_outcomes(from: &str, role: &str) -> Vec<&'static str> {
    OUTCOMES
        .into_iter()
        .filter(|o| may_close(from, o, role))
        .collect()
}

fn targets(from: &str, hold_from: Option<&str>, role: &str) -> Vec<&'static str> {
    STATUSES
        .into_iter()
        .filter(|to| {
            if *to == "closed" {
                !allowed_outcomes(from, role).is_empty()
            } else {
                may_move(from, hold_from, to, role)
            }
        })
        .collect()
}

/// Every state a referral may be in: on_hold once per state it returns to.
fn states() -> Vec<(&'static str, Option<&'static str>)> {
    let mut v: Vec<(&str, Option<&str>)> = STATUSES
        .into_iter()
        .filter(|s| *s != "on_hold")
        .map(|s| (s, None))
        .collect();
    v.extend(HOLDABLE.into_iter().map(|h| ("on_hold", Some(h))));
    v
}

fn needs_reason(to: &str, outcome: Option<&str>) -> bool {
    to == "unreachable"
        || matches!(
            outcome,
            Some(
                "declined"
                    | "unreachable"
                    | "moved_away"
                    | "duplicate"
                    | "withdrawn"
                    | "entered_in_error"
            )
        )
}

#[actix_web::test]
async fn every_transition_and_every_outcome_of_the_tables_is_allowed_or_refused_as_domain_md_says()
{
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let counsellor_id = me(&app, &w.counsellor).await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let rid = id(&r);
    let roles = [
        ("prescriber", w.prescriber.as_str()),
        ("counsellor", w.counsellor.as_str()),
        ("admin", w.admin.as_str()),
    ];
    let (mut allowed, mut refused) = (0, 0);
    for (from, hold_from) in states() {
        let assigned =
            (!matches!(from, "pending_moderation" | "submitted")).then_some(counsellor_id.as_str());
        for (role, token) in roles {
            let mut cases: Vec<(&str, Option<&str>)> = STATUSES
                .into_iter()
                .filter(|t| *t != "closed")
                .map(|t| (t, None))
                .collect();
            cases.extend(OUTCOMES.into_iter().map(|o| ("closed", Some(o))));
            for (to, outcome) in cases {
                let version = set_state(&app, &rid, from, hold_from, assigned);
                let mut body = json!({"to": to});
                if let Some(o) = outcome {
                    body["outcome"] = json!(o);
                }
                if to == "on_hold" {
                    body["reason"] = json!("youth_request");
                } else if needs_reason(to, outcome) {
                    body["reason"] = json!("Une raison écrite par la personne qui agit.");
                }
                let case = format!("{from} (from {hold_from:?}) → {to} {outcome:?} by {role}");
                let res = transit(&app, token, &rid, body, Some(&format!("\"{version}\""))).await;
                let status = res.status();
                let b: Value = res.json().await.unwrap();
                let expected = match outcome {
                    None => may_move(from, hold_from, to, role),
                    Some(o) => may_close(from, o, role),
                };
                if expected {
                    allowed += 1;
                    assert_eq!(status, StatusCode::OK, "{case}: {b}");
                    assert_eq!(b["status"], to, "{case}");
                    assert_eq!(b["version"], version + 1, "{case}");
                    if let Some(o) = outcome {
                        assert_eq!(b["outcome"], o, "{case}");
                        assert!(b["closed_at"].is_string(), "{case}");
                    }
                    let events = count(
                        &app,
                        &format!(
                            "SELECT count(*) AS n FROM events WHERE referral_id = '{rid}' \
                             AND kind = 'status_changed' AND from_status = '{from}' AND to_status = '{to}'"
                        ),
                    );
                    assert!(events >= 1, "{case}: an event");
                    continue;
                }
                refused += 1;
                let closable = !allowed_outcomes(from, role).is_empty();
                if outcome.is_none() || !closable {
                    assert_eq!(status, StatusCode::CONFLICT, "{case}: {b}");
                    let code = if to == "contacting" && assigned.is_some() && from != "closed" {
                        "already_taken"
                    } else {
                        "illegal_transition"
                    };
                    assert_eq!(b["code"], code, "{case}: {b}");
                    assert_eq!(
                        b["allowed_transitions"],
                        json!(targets(from, hold_from, role)),
                        "{case}"
                    );
                } else {
                    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {b}");
                    assert_eq!(b["code"], "outcome_not_allowed", "{case}: {b}");
                    assert_eq!(
                        b["allowed_outcomes"],
                        json!(allowed_outcomes(from, role)),
                        "{case}"
                    );
                    assert_eq!(
                        field_codes(&b),
                        [("outcome".into(), "outcome_not_allowed".into())]
                    );
                }
            }
        }
    }
    // 13 moves for counsellors over the 12 states (on_hold once per state it returns to),
    // and the outcome table: taken_in_charge 1, positive_exit 8, declined 8, unreachable 1,
    // moved_away 11, duplicate 11, withdrawn 2, entered_in_error 11.
    assert_eq!(allowed, 13 + 53, "allowed cases");
    assert_eq!(allowed + refused, 12 * 3 * (8 + 9));
}

#[actix_web::test]
async fn closing_a_referral_on_hold_closes_it_with_its_outcome() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    take(&app, &w.counsellor, &rid).await;
    let held = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "on_hold", "reason": "waiting_list"}),
        Some("\"2\""),
    )
    .await;
    assert_eq!(held.status(), StatusCode::OK);
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "positive_exit"}),
        Some("\"3\""),
    )
    .await;
    let status = res.status();
    let b: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(
        (b["status"].as_str(), b["outcome"].as_str()),
        (Some("closed"), Some("positive_exit"))
    );
    assert!(b["closed_at"].is_string());
    assert!(b["on_hold_reason"].is_null());
}

#[actix_web::test]
async fn refusals_are_distinct_a_409_a_missing_field_and_an_outcome_that_does_not_fit() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    // Closing without an outcome: 422 on the field, naming the outcomes allowed.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed"}),
        Some("*"),
    )
    .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(field_codes(&b), [("outcome".into(), "required".into())]);
    assert_eq!(b["allowed_outcomes"], json!(["moved_away", "duplicate"]));
    // H3: a counsellor cannot close a submitted referral as taken in charge.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "taken_in_charge"}),
        Some("*"),
    )
    .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "outcome_not_allowed").await;
    assert_eq!(b["allowed_outcomes"], json!(["moved_away", "duplicate"]));
    // entered_in_error is the administrators', and the refusal says so.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "entered_in_error", "reason": "Doublon de saisie"}),
        Some("*"),
    )
    .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "outcome_not_allowed").await;
    assert!(
        b["detail"].as_str().unwrap().contains("administrator"),
        "{b}"
    );
    // A reason missing: 422 on the field.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "closed", "outcome": "moved_away"}),
        Some("*"),
    )
    .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("reason".into(), "reason_required".into())]
    );
    // The administrator records it, with the reason logged with the access.
    let res = transit(
        &app,
        &w.admin,
        &rid,
        json!({"to": "closed", "outcome": "entered_in_error", "reason": "Saisi deux fois"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'update' AND reason = 'Saisi deux fois'"
        ),
        1
    );
    // From closed, nothing: 409 with an empty list, present.
    let res = transit(
        &app,
        &w.counsellor,
        &rid,
        json!({"to": "submitted"}),
        Some("*"),
    )
    .await;
    let b = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
    assert_eq!(b["allowed_transitions"], json!([]));
    // Nothing refused was written.
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{rid}' AND kind = 'status_changed'")
        ),
        1
    );
}

#[actix_web::test]
async fn if_match_is_required_on_every_write_of_a_referral_and_a_stale_one_is_refused() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let colleague = app
        .user_token("c3@sas.test", &["counsellor"], Some(&w.team_id), None)
        .await;
    let colleague_id = me(&app, &colleague).await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let take_body = json!({"to": "contacting"});
    // Missing: 428; malformed: 400.
    problem(
        transit(&app, &w.counsellor, &rid, take_body.clone(), None).await,
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    problem(
        transit(&app, &w.counsellor, &rid, take_body.clone(), Some("\"v1\"")).await,
        StatusCode::BAD_REQUEST,
        "invalid_if_match",
    )
    .await;
    // The prescriber corrects (v2); the counsellor's v1 is stale.
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/referrals/{rid}"),
            Some(&w.prescriber),
        )
        .header("if-match", "\"1\"")
        .json(&json!({"exit_date": "2026-04-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        transit(&app, &w.counsellor, &rid, take_body.clone(), Some("\"1\"")).await,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    let res = transit(&app, &w.counsellor, &rid, take_body.clone(), Some("\"2\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"3\"");
    // A second counsellor taking it with the version they read learns it is taken, not stale.
    problem(
        transit(&app, &colleague, &rid, take_body, Some("\"2\"")).await,
        StatusCode::CONFLICT,
        "already_taken",
    )
    .await;
    // Assign: 428 without, 412 stale, the state first.
    let assign = |v: Option<&'static str>| {
        let mut r = app
            .req(
                Method::POST,
                &format!("/api/v1/referrals/{rid}/assign"),
                Some(&w.counsellor),
            )
            .json(&json!({"counsellor_id": colleague_id}));
        if let Some(v) = v {
            r = r.header("if-match", v);
        }
        r.send()
    };
    problem(
        assign(None).await.unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    problem(
        assign(Some("\"2\"")).await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    assert_eq!(
        assign(Some("\"3\"")).await.unwrap().status(),
        StatusCode::OK
    );
    let other = id(&refer(
        &app,
        &w.prescriber,
        &referral("Tom", "Blanc", "2001-01-01", "0633333333", None),
    )
    .await);
    let res = app
        .req(
            Method::POST,
            &format!("/api/v1/referrals/{other}/assign"),
            Some(&w.counsellor),
        )
        .header("if-match", "\"9\"")
        .json(&json!({"counsellor_id": colleague_id}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT, "not_assignable").await;
    // PATCH: 428 without.
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/referrals/{other}"),
            Some(&w.prescriber),
        )
        .json(&json!({"needs": []}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::PRECONDITION_REQUIRED, "if_match_required").await;
}

#[actix_web::test]
async fn a_counsellor_released_by_the_system_leaves_an_event_and_the_referral_in_the_queue() {
    use sas_api::db::journal::Journal;
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let counsellor = me(&app, &w.counsellor).await;
    let taken = id(&refer(&app, &w.prescriber, &adult()).await);
    take(&app, &w.counsellor, &taken).await;
    let untaken = id(&refer(
        &app,
        &w.prescriber,
        &referral("Tom", "Blanc", "2001-01-01", "0633333333", None),
    )
    .await);
    // What the deactivation of the counsellor's account calls (issue 8), in its transaction.
    let mut conn = app.db();
    let released = sas_api::db::referrals::release_assigned(
        &mut conn,
        sas_api::ids::UserId(counsellor.parse().unwrap()),
        &Journal::system("deactivate_user", app.clock.now()),
    )
    .unwrap();
    assert_eq!(released, 1);
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{taken}")).await;
    assert_eq!(r["status"], "submitted");
    assert!(r.get("assigned_counsellor").is_none());
    let events = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{taken}/events"),
    )
    .await;
    let last = events["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["from_status"].as_str(), last["to_status"].as_str()),
        (Some("contacting"), Some("submitted"))
    );
    assert!(last["actor"].is_null(), "the system acted");
    let r = get(&app, &w.counsellor, &format!("/api/v1/referrals/{untaken}")).await;
    assert_eq!(r["version"], 1, "untouched");
}

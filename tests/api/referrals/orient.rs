//! Orient through the API: contact attempts and what a contact moves, the unreachable rule at
//! its boundaries (counted since the last entry into contacting, in the territory's days, with
//! its administrator's thresholds), requests to the prescriber, the versioned diagnostic,
//! corrections of contact details, transfers and resumed journeys, the queue's new views, and
//! what a prescriber never gets.
use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::*;

/// A server whose access tokens outlive the weeks these tests move the clock through.
async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await
}

fn at(days: i64, hours: i64) -> String {
    (t0() + Duration::days(days) + Duration::hours(hours)).to_rfc3339()
}

async fn attempt(app: &TestApp, token: &str, id: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/referrals/{id}/contact-attempts"),
        token,
        &body,
    )
    .await
}

async fn log_attempt(app: &TestApp, token: &str, id: &str, body: Value) -> Value {
    let res = attempt(app, token, id, body).await;
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

/// A referral taken by the world's counsellor at t0.
async fn taken(app: &TestApp, w: &World, body: &Value) -> String {
    let r = refer(app, &w.prescriber, body).await;
    let id = id(&r);
    assert_eq!(take(app, &w.counsellor, &id).await.status(), StatusCode::OK);
    id
}

async fn referral_of(app: &TestApp, token: &str, id: &str) -> Value {
    get(app, token, &format!("/api/v1/referrals/{id}")).await
}

fn failed(channel: &str, when: String) -> Value {
    json!({"channel": channel, "outcome": "no_answer", "attempted_at": when})
}

async fn queue(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let page = get(app, token, &format!("/api/v1/referrals?open=true&{query}")).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn two_failed_attempts_then_a_contact_moves_the_referral_to_diagnosis() {
    let app = spawn().await;
    let w = app.world().await;
    let id = taken(&app, &w, &adult()).await;
    app.clock.advance(Duration::days(3));
    log_attempt(&app, &w.counsellor, &id, json!({"channel": "phone", "outcome": "no_answer", "note": "Sonne dans le vide.", "next_try_on": "2026-03-06"})).await;
    log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "sms", "outcome": "voicemail"}),
    )
    .await;
    let r = referral_of(&app, &w.counsellor, &id).await;
    assert_eq!(r["status"], "contacting");
    let c = &r["contact"];
    assert_eq!(c["attempts"], 2);
    assert_eq!(c["channels_tried"], json!(["phone", "sms"]));
    assert_eq!(c["days_since_referral"], 3);
    assert_eq!(c["days_since_last_attempt"], 0);
    assert_eq!(
        c["next_try_on"],
        Value::Null,
        "the latest attempt planned nothing"
    );
    assert_eq!(c["unreachable_rule_met"], false);

    let third = log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "phone", "outcome": "reached", "note": "RDV jeudi."}),
    )
    .await;
    assert_eq!(third["outcome"], "reached");
    assert_eq!(third["note"], "RDV jeudi.");
    assert_eq!(third["author"]["name"], "Test User");
    let r = referral_of(&app, &w.counsellor, &id).await;
    assert_eq!(r["status"], "diagnosis", "a contact starts the diagnosis");

    let page = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals/{id}/contact-attempts"),
    )
    .await;
    let outcomes: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].clone())
        .collect();
    assert_eq!(
        outcomes,
        [json!("reached"), json!("voicemail"), json!("no_answer")],
        "latest first"
    );
    let one = get(
        &app,
        &w.counsellor,
        &format!(
            "/api/v1/referrals/{id}/contact-attempts/{}",
            third["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(one, third);

    // Through the lifecycle, as the system, with events; every read of attempts logged.
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'contact_attempt'")), 3);
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'contact_attempt' AND attempt_channel = 'phone' AND code = 'reached'")), 1);
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'status_changed' AND from_status = 'contacting' AND to_status = 'diagnosis' AND code = 'contact_made' AND actor_user_id IS NULL AND territory_id = '{}'", w.territory_id)), 1);
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM access_logs WHERE referral_id = '{id}' AND route LIKE '%/contact-attempts%' AND action = 'read'")), 2);
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM access_logs WHERE referral_id = '{id}' AND route LIKE '%/contact-attempts' AND action = 'create'")), 3);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM event_notes"),
        0,
        "attempt notes stay in their rows"
    );
}

#[actix_web::test]
async fn attempts_are_refused_outside_their_states_and_times() {
    let app = spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = id(&r);
    let ok = json!({"channel": "phone", "outcome": "no_answer"});
    let body = problem(
        attempt(&app, &w.counsellor, &id, ok.clone()).await,
        StatusCode::CONFLICT,
        "attempt_not_allowed",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("contacting"));
    take(&app, &w.counsellor, &id).await;
    app.clock.advance(Duration::days(2));
    for (body, field, code) in [
        (
            json!({"channel": "phone", "outcome": "no_answer", "attempted_at": (t0() - Duration::seconds(1)).to_rfc3339()}),
            "attempted_at",
            "before_referral",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "attempted_at": at(2, 1)}),
            "attempted_at",
            "in_future",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "attempted_at": "1800-01-01T00:00:00Z"}),
            "attempted_at",
            "date_out_of_range",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "next_try_on": "2026-03-03"}),
            "next_try_on",
            "in_past",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "next_try_on": "2027-06-01"}),
            "next_try_on",
            "too_far",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "note": "x".repeat(501)}),
            "note",
            "too_long",
        ),
        (
            json!({"channel": "phone", "outcome": "no_answer", "request_message": "Pouvez-vous l’appeler ?"}),
            "request_message",
            "not_applicable",
        ),
    ] {
        let b = problem(
            attempt(&app, &w.counsellor, &id, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(field_codes(&b), [(field.to_string(), code.to_string())]);
    }
    // At the boundaries: the referral's creation and now.
    log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "phone", "outcome": "no_answer", "attempted_at": t0().to_rfc3339()}),
    )
    .await;
    log_attempt(&app, &w.counsellor, &id, json!({"channel": "phone", "outcome": "no_answer", "attempted_at": at(2, 0), "next_try_on": "2026-03-04"})).await;
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM contact_attempts"),
        2,
        "nothing half-written"
    );
    // A prescriber never records nor reads attempts; closed and on hold take none.
    problem(
        attempt(&app, &w.prescriber, &id, ok.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let hold = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "on_hold", "reason": "youth_request"}),
        Some("*"),
    )
    .await;
    assert_eq!(hold.status(), StatusCode::OK);
    problem(
        attempt(&app, &w.counsellor, &id, ok.clone()).await,
        StatusCode::CONFLICT,
        "attempt_not_allowed",
    )
    .await;
    // Another territory's counsellor does not find it.
    let (_, c2) = elsewhere(&app).await;
    problem(
        attempt(&app, &c2, &id, ok).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[actix_web::test]
async fn a_contact_in_unreachable_returns_the_referral_to_contacting() {
    let app = spawn().await;
    let w = app.world().await;
    let id = taken(&app, &w, &adult()).await;
    let res = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "unreachable", "reason": "Aucune réponse."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "outreach", "outcome": "no_answer"}),
    )
    .await;
    assert_eq!(
        referral_of(&app, &w.counsellor, &id).await["status"],
        "unreachable"
    );
    log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "outreach", "outcome": "appointment_set"}),
    )
    .await;
    let r = referral_of(&app, &w.counsellor, &id).await;
    assert_eq!(r["status"], "contacting", "not straight to diagnosis");
    assert_eq!(
        r["contact"]["attempts_since_contacting"], 0,
        "a new count starts"
    );
    assert_eq!(r["contact"]["attempts"], 2);
}

/// Five failed attempts at these offsets (days, hours from t0) on these channels.
async fn series(app: &TestApp, w: &World, id: &str, plan: &[(i64, i64, &str)]) {
    for (d, h, ch) in plan {
        log_attempt(app, &w.counsellor, id, failed(ch, at(*d, *h))).await;
    }
}

#[actix_web::test]
async fn the_unreachable_rule_at_its_boundaries() {
    let app = spawn().await;
    let w = app.world().await;
    let mk = |last: &str| {
        referral(
            &format!("Jeune{last}"),
            last,
            "2000-01-15",
            &format!("06 12 34 56 {last}"),
            None,
        )
    };
    let (met, four, twenty, one) = (
        taken(&app, &w, &mk("11")).await,
        taken(&app, &w, &mk("12")).await,
        taken(&app, &w, &mk("13")).await,
        taken(&app, &w, &mk("14")).await,
    );
    app.clock.advance(Duration::days(30));
    series(
        &app,
        &w,
        &met,
        &[
            (0, 1, "phone"),
            (5, 1, "sms"),
            (10, 1, "phone"),
            (15, 1, "sms"),
            (21, 1, "phone"),
        ],
    )
    .await;
    series(
        &app,
        &w,
        &four,
        &[
            (0, 1, "phone"),
            (7, 1, "sms"),
            (14, 1, "phone"),
            (21, 1, "sms"),
        ],
    )
    .await;
    series(
        &app,
        &w,
        &twenty,
        &[
            (0, 1, "phone"),
            (5, 1, "sms"),
            (10, 1, "phone"),
            (15, 1, "sms"),
            (20, 1, "phone"),
        ],
    )
    .await;
    series(
        &app,
        &w,
        &one,
        &[
            (0, 1, "phone"),
            (6, 1, "phone"),
            (12, 1, "phone"),
            (18, 1, "phone"),
            (24, 1, "phone"),
        ],
    )
    .await;
    for (id, expected) in [
        (&met, true),
        (&four, false),
        (&twenty, false),
        (&one, false),
    ] {
        let r = referral_of(&app, &w.counsellor, id).await;
        assert_eq!(
            r["contact"]["unreachable_rule_met"], expected,
            "{}",
            r["youth"]["last_name"]
        );
    }
    assert_eq!(
        queue(&app, &w.counsellor, "unreachable_rule_met=true").await,
        [met.as_str()]
    );
    assert_eq!(
        queue(&app, &w.counsellor, "unreachable_rule_met=false").await,
        [four.clone(), twenty.clone(), one.clone()]
    );

    // Only a counsellor moves it to unreachable; back to contacting, the earlier attempts no
    // longer count.
    let res = transit(
        &app,
        &w.counsellor,
        &met,
        json!({"to": "unreachable", "reason": "Règle atteinte."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        referral_of(&app, &w.counsellor, &met).await["contact"]["unreachable_rule_met"],
        false
    );
    let res = transit(
        &app,
        &w.counsellor,
        &met,
        json!({"to": "contacting"}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let r = referral_of(&app, &w.counsellor, &met).await;
    assert_eq!(r["contact"]["attempts_since_contacting"], 0);
    assert_eq!(r["contact"]["attempts"], 5);
    assert_eq!(
        r["contact"]["unreachable_rule_met"], false,
        "attempts before the re-entry do not count"
    );
    // Logged late with an earlier time, an attempt before the re-entry still does not count.
    log_attempt(&app, &w.counsellor, &met, failed("email", at(25, 0))).await;
    assert_eq!(
        referral_of(&app, &w.counsellor, &met).await["contact"]["attempts_since_contacting"],
        0
    );
}

#[actix_web::test]
async fn the_rule_counts_days_in_the_territory_s_time_zone_with_its_administrator_s_thresholds() {
    let app = spawn().await;
    let w = app.world().await;
    let id = taken(&app, &w, &adult()).await;
    app.clock.advance(Duration::days(30));
    // 23:30 in Paris on 2 March, then 00:30 in Paris on 23 March (23:30 UTC on 22 March):
    // 21 calendar days in Paris, 20 in UTC.
    let first: DateTime<Utc> = "2026-03-02T22:30:00Z".parse().unwrap();
    let last: DateTime<Utc> = "2026-03-22T23:30:00Z".parse().unwrap();
    for (t, ch) in [
        (first, "phone"),
        (first + Duration::days(5), "sms"),
        (first + Duration::days(10), "phone"),
        (first + Duration::days(15), "sms"),
        (last, "phone"),
    ] {
        log_attempt(&app, &w.counsellor, &id, failed(ch, t.to_rfc3339())).await;
    }
    assert_eq!(
        referral_of(&app, &w.counsellor, &id).await["contact"]["unreachable_rule_met"],
        true
    );
    let path = format!("/api/v1/territories/{}", w.territory_id);
    let patch = |body: Value| {
        app.req(Method::PATCH, &path, Some(&w.admin))
            .header("if-match", "*")
            .json(&with_reason(body))
            .send()
    };
    assert_eq!(
        patch(json!({"time_zone": "UTC"})).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        referral_of(&app, &w.counsellor, &id).await["contact"]["unreachable_rule_met"],
        false,
        "20 days in UTC"
    );
    assert!(queue(&app, &w.counsellor, "unreachable_rule_met=true")
        .await
        .is_empty());
    // The administrator lowers the territory's thresholds.
    let res =
        patch(json!({"unreachable_rule": {"min_attempts": 5, "min_days": 20, "min_channels": 2}}))
            .await
            .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        referral_of(&app, &w.counsellor, &id).await["contact"]["unreachable_rule_met"],
        true
    );
    assert_eq!(
        queue(&app, &w.counsellor, "unreachable_rule_met=true").await,
        [id.as_str()]
    );
}

#[actix_web::test]
async fn the_queue_shows_tries_due_and_quiet_referrals_in_its_order_with_stable_cursors() {
    let app = spawn().await;
    let w = app.world().await;
    let mk = |n: &str, exit: Option<&str>| {
        referral(
            &format!("Q{n}"),
            n,
            "2000-01-15",
            &format!("06 12 34 57 {n}"),
            exit,
        )
    };
    let late = taken(&app, &w, &mk("21", None)).await;
    let soon = taken(&app, &w, &mk("22", Some("2026-03-20"))).await;
    let fresh = taken(&app, &w, &mk("23", Some("2026-04-20"))).await;
    log_attempt(
        &app,
        &w.counsellor,
        &late,
        json!({"channel": "phone", "outcome": "no_answer", "next_try_on": "2026-03-05"}),
    )
    .await;
    log_attempt(
        &app,
        &w.counsellor,
        &soon,
        json!({"channel": "phone", "outcome": "no_answer", "next_try_on": "2026-03-04"}),
    )
    .await;
    log_attempt(
        &app,
        &w.counsellor,
        &fresh,
        json!({"channel": "phone", "outcome": "no_answer", "next_try_on": "2026-03-20"}),
    )
    .await;
    assert!(queue(&app, &w.counsellor, "next_try_due=true")
        .await
        .is_empty());
    app.clock.advance(Duration::days(3)); // 5 March
    assert_eq!(
        queue(&app, &w.counsellor, "next_try_due=true").await,
        [soon.clone(), late.clone()],
        "queue order"
    );
    let first = get(
        &app,
        &w.counsellor,
        "/api/v1/referrals?open=true&next_try_due=true&limit=1",
    )
    .await;
    assert_eq!(first["items"][0]["id"], soon.as_str());
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    // A referral arriving meanwhile does not move the next page.
    taken(&app, &w, &mk("24", Some("2026-03-10"))).await;
    let second = get(
        &app,
        &w.counsellor,
        &format!("/api/v1/referrals?open=true&next_try_due=true&limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(second["items"][0]["id"], late.as_str());
    assert!(queue(&app, &w.counsellor, "no_recent_attempt=true")
        .await
        .is_empty());
    app.clock.advance(Duration::days(4)); // 9 March: 7 days since the attempts of 2 March
    log_attempt(
        &app,
        &w.counsellor,
        &fresh,
        json!({"channel": "sms", "outcome": "no_answer"}),
    )
    .await;
    assert_eq!(
        queue(&app, &w.counsellor, "no_recent_attempt=true").await,
        [soon.clone(), late.clone()]
    );
    let progress = referral_of(&app, &w.counsellor, &soon).await["contact"].clone();
    assert_eq!(
        (
            progress["days_since_last_attempt"].clone(),
            progress["next_try_on"].clone()
        ),
        (json!(7), json!("2026-03-04"))
    );
}

#[actix_web::test]
async fn a_youth_reached_through_the_prescriber_only_gets_requests_the_prescriber_answers() {
    let app = spawn().await;
    let w = app.world().await;
    let mut body = adult();
    body["youth"]["contact_via_prescriber_only"] = json!(true);
    let id = taken(&app, &w, &body).await;
    let b = problem(
        attempt(
            &app,
            &w.counsellor,
            &id,
            json!({"channel": "phone", "outcome": "no_answer"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&b),
        [("channel".to_string(), "channel_not_allowed".to_string())]
    );
    let a = log_attempt(&app, &w.counsellor, &id, json!({"channel": "via_prescriber", "outcome": "no_answer", "note": "Note interne SAS.", "request_message": "Pouvez-vous lui demander de nous rappeler ?"})).await;
    assert!(a["prescriber_request_id"].is_string());
    let r = referral_of(&app, &w.prescriber, &id).await;
    assert_eq!(r["open_prescriber_requests"], 1);
    // The prescriber is told in the app and by mail (queued in the outbox, naming nobody).
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM notifications WHERE kind = 'prescriber_request'"
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM mails m JOIN users u ON u.id = m.user_id \
             WHERE m.template = 'prescriber_request' AND u.email = 'p@sas.test' \
             AND coalesce(m.subject, '') NOT LIKE '%Martin%' \
             AND coalesce(m.body_text, '') NOT LIKE '%Martin%'"
        ),
        1
    );
    assert!(r.get("contact").is_none(), "{r}");
    let page = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{id}/prescriber-requests"),
    )
    .await;
    let req = &page["items"][0];
    assert_eq!(req["status"], "open");
    assert_eq!(
        req["message"],
        "Pouvez-vous lui demander de nous rappeler ?"
    );
    assert!(
        !page.to_string().contains("Note interne"),
        "never the attempt's note"
    );
    let path = format!(
        "/api/v1/referrals/{id}/prescriber-requests/{}/answer",
        req["id"].as_str().unwrap()
    );
    problem(
        app.post(&path, &w.counsellor, &json!({"answer": "x"}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let b = problem(
        app.post(&path, &w.prescriber, &json!({"answer": "  "}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&b),
        [("answer".to_string(), "required".to_string())]
    );
    let res = app
        .post(
            &path,
            &w.prescriber,
            &json!({"answer": "Il vous appellera lundi."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let answered: Value = res.json().await.unwrap();
    assert_eq!(answered["status"], "answered");
    problem(
        app.post(&path, &w.prescriber, &json!({"answer": "Encore"}))
            .await,
        StatusCode::CONFLICT,
        "already_answered",
    )
    .await;
    let r = referral_of(&app, &w.counsellor, &id).await;
    assert_eq!(r["open_prescriber_requests"], 0);
    let kinds = count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind IN ('prescriber_requested', 'prescriber_answered')"));
    assert_eq!(kinds, 2);
}

fn diagnostic() -> Value {
    json!({
        "situation": {"housing": "tiers", "education_level": "cap_bep", "mobility": ["transports_en_commun"], "language": "courant"},
        "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "barriers": ["logement", "sante"],
        "motivation_levers": ["revenu"],
        "wishes": "Travailler dans la logistique.",
        "own_words": "Je veux m’en sortir.",
        "shared_summary": "Motivé, cherche un emploi dans la logistique."
    })
}

async fn put_diag(
    app: &TestApp,
    token: &str,
    id: &str,
    body: &Value,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut r = app
        .req(
            Method::PUT,
            &format!("/api/v1/referrals/{id}/diagnostic"),
            Some(token),
        )
        .json(body);
    if let Some(v) = if_match {
        r = r.header("if-match", v);
    }
    r.send().await.unwrap()
}

async fn in_diagnosis(app: &TestApp, w: &World) -> String {
    let id = taken(app, w, &adult()).await;
    log_attempt(
        app,
        &w.counsellor,
        &id,
        json!({"channel": "phone", "outcome": "reached"}),
    )
    .await;
    id
}

#[actix_web::test]
async fn each_diagnostic_save_is_a_version_and_a_stale_one_is_refused() {
    let app = spawn().await;
    let w = app.world().await;
    let early = taken(
        &app,
        &w,
        &referral("Tôt", "Avant", "2001-02-02", "06 11 22 33 44", None),
    )
    .await;
    problem(
        put_diag(&app, &w.counsellor, &early, &diagnostic(), Some("*")).await,
        StatusCode::CONFLICT,
        "diagnostic_not_open",
    )
    .await;
    let id = in_diagnosis(&app, &w).await;
    let path = format!("/api/v1/referrals/{id}/diagnostic");
    let res = app.get(&path, &w.counsellor).await;
    assert_eq!(res.headers().get("etag").unwrap(), "\"0\"");
    let empty: Value = res.json().await.unwrap();
    assert_eq!(
        (
            empty["version"].clone(),
            empty["content"]["barriers"].clone()
        ),
        (json!(0), json!([]))
    );
    problem(
        put_diag(&app, &w.counsellor, &id, &diagnostic(), None).await,
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    let res = put_diag(&app, &w.counsellor, &id, &diagnostic(), Some("\"0\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("etag").unwrap(), "\"1\"");
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["content"]["barriers"], json!(["logement", "sante"]));
    assert_eq!(
        saved["content"]["shared_summary"],
        "Motivé, cherche un emploi dans la logistique."
    );
    assert_eq!(saved["saved_by"]["name"], "Test User");
    problem(
        put_diag(&app, &w.counsellor, &id, &diagnostic(), Some("\"0\"")).await,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;

    // Two counsellors save at once against version 1: one wins, the other gets 412.
    let mut other = diagnostic();
    other["wishes"] = json!("Reprendre une formation.");
    let mine = diagnostic();
    let (a, b) = tokio::join!(
        put_diag(&app, &w.counsellor, &id, &mine, Some("\"1\"")),
        put_diag(&app, &w.counsellor, &id, &other, Some("\"1\""))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let versions = get(&app, &w.counsellor, &format!("{path}/versions")).await;
    let numbers: Vec<_> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].clone())
        .collect();
    assert_eq!(numbers, [json!(2), json!(1)]);
    let page = get(&app, &w.counsellor, &format!("{path}/versions?limit=1")).await;
    let next = get(
        &app,
        &w.counsellor,
        &format!(
            "{path}/versions?limit=1&cursor={}",
            page["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(next["items"][0]["version"], 1);
    assert_eq!(next["next_cursor"], Value::Null);

    let mut bad = diagnostic();
    bad["barriers"] = json!(["casier_judiciaire", "sante", "sante"]);
    bad["situation"]["housing"] = json!("chateau");
    bad["own_words"] = json!("x".repeat(2001));
    let b = problem(
        put_diag(&app, &w.counsellor, &id, &bad, Some("*")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&b),
        [
            ("situation.housing".to_string(), "unknown_code".to_string()),
            ("barriers[0]".to_string(), "unknown_code".to_string()),
            ("barriers[2]".to_string(), "duplicate".to_string()),
            ("own_words".to_string(), "too_long".to_string()),
        ]
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) AS n FROM diagnostics WHERE referral_id = '{id}'")
        ),
        2
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'diagnostic_saved'")), 2);
    assert!(count(&app, &format!("SELECT count(*) AS n FROM access_logs WHERE referral_id = '{id}' AND route LIKE '%/diagnostic%' AND action = 'read'")) >= 4);
    // The vocabularies the form uses, with French labels.
    for name in [
        "diagnostic-barriers",
        "motivation-levers",
        "education-levels",
        "mobility",
        "housing",
        "resources",
        "childcare",
        "french-levels",
        "digital-access",
        "soft-skills",
        "thematiques",
    ] {
        let v = get(&app, &w.prescriber, &format!("/api/v1/vocabularies/{name}")).await;
        assert!(!v["items"].as_array().unwrap().is_empty(), "{name}");
    }
    let barriers = get(
        &app,
        &w.counsellor,
        "/api/v1/vocabularies/diagnostic-barriers",
    )
    .await;
    assert!(barriers["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["value"] == "sante" && i["label"] == "Santé"));
}

#[actix_web::test]
async fn a_prescriber_never_gets_the_attempts_notes_nor_the_diagnostic_by_any_route() {
    let app = spawn().await;
    let w = app.world().await;
    let id = in_diagnosis(&app, &w).await;
    log_attempt(
        &app,
        &w.counsellor,
        &id,
        json!({"channel": "sms", "outcome": "appointment_set", "note": "SECRET-NOTE"}),
    )
    .await;
    put_diag(&app, &w.counsellor, &id, &diagnostic(), Some("*")).await;
    let hold = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "on_hold", "reason": "waiting_list"}),
        Some("*"),
    )
    .await;
    assert_eq!(hold.status(), StatusCode::OK);
    for path in [
        format!("/api/v1/referrals/{id}/contact-attempts"),
        format!("/api/v1/referrals/{id}/diagnostic"),
        format!("/api/v1/referrals/{id}/diagnostic/versions"),
    ] {
        // A prescriber, a receiver, a pilot, an administrator: none reads them.
        for token in [&w.prescriber, &w.receiver, &w.pilot, &w.admin] {
            problem(
                app.get(&path, token).await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
    }
    let mut seen = String::new();
    for path in [
        format!("/api/v1/referrals/{id}"),
        format!("/api/v1/referrals/{id}/events"),
        format!("/api/v1/referrals/{id}/prescriber-requests"),
        "/api/v1/referrals".to_string(),
    ] {
        seen.push_str(&get(&app, &w.prescriber, &path).await.to_string());
    }
    let counsellor = me(&app, &w.counsellor).await;
    for secret in [
        "SECRET-NOTE",
        "logistique",
        "sante",
        "contact_attempt",
        "\"contact\"",
        counsellor.as_str(),
        "waiting_list",
        "assigned_counsellor",
    ] {
        assert!(!seen.contains(secret), "a prescriber read {secret}: {seen}");
    }
    let r = referral_of(&app, &w.prescriber, &id).await;
    assert_eq!(r["status"], "on_hold");
    assert_eq!(r["on_hold_reason"], Value::Null);
    assert_eq!(r["sas_team"]["name"], "SAS test", "the SAS team's contact");
    let events = get(
        &app,
        &w.prescriber,
        &format!("/api/v1/referrals/{id}/events"),
    )
    .await;
    let kinds: Vec<_> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "status_changed",
            "status_changed",
            "diagnostic_saved",
            "status_changed"
        ],
        "contact established, diagnosis done, on hold"
    );
    // The counsellor's view has it all.
    let r = referral_of(&app, &w.counsellor, &id).await;
    assert_eq!(r["on_hold_reason"], "waiting_list");
    assert_eq!(r["contact"]["attempts"], 2);
    let back = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "diagnosis"}),
        Some("*"),
    )
    .await;
    assert_eq!(
        back.status(),
        StatusCode::OK,
        "hold returns to the state it left"
    );
}

#[actix_web::test]
async fn contact_details_are_corrected_with_their_history_and_bring_an_unreachable_youth_back() {
    let app = spawn().await;
    let w = app.world().await;
    let id = taken(&app, &w, &adult()).await;
    let path = format!("/api/v1/referrals/{id}/youth-contact");
    let patch = |token: &str, body: Value, if_match: Option<&str>| {
        let mut r = app.req(Method::PATCH, &path, Some(token)).json(&body);
        if let Some(v) = if_match {
            r = r.header("if-match", v);
        }
        r.send()
    };
    problem(
        patch(&w.prescriber, json!({"phone": "07 11 22 33 44"}), None)
            .await
            .unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    problem(
        patch(
            &w.prescriber,
            json!({"phone": "07 11 22 33 44"}),
            Some("\"1\""),
        )
        .await
        .unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    let b = problem(
        patch(&w.prescriber, json!({"phone": "12"}), Some("*"))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&b),
        [("phone".to_string(), "invalid_phone".to_string())]
    );
    let version = referral_of(&app, &w.prescriber, &id).await["version"]
        .as_i64()
        .unwrap();
    let res = patch(&w.prescriber, json!({"phone": "07 11 22 33 44", "email": "lea@exemple.fr", "contact_channels": ["phone", "email"]}), Some(&format!("\"{version}\""))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["youth"]["phone"], "+33711223344");
    assert_eq!(r["youth"]["email"], "lea@exemple.fr");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM youth_contact_history WHERE phone = '+33612345678'"
        ),
        1,
        "the old number is kept"
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'contact_corrected' AND fields = ARRAY['phone', 'email', 'contact_channels']")), 1);
    // The counsellor clears the email; in unreachable, new details bring the referral back.
    let res = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "unreachable", "reason": "Numéro faux."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = patch(
        &w.counsellor,
        json!({"email": null, "contact_channels": ["phone"]}),
        Some("*"),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["youth"]["email"], Value::Null);
    assert_eq!(r["status"], "contacting");
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND to_status = 'contacting' AND code = 'new_contact_details'")), 1);
    // Closed: final.
    let res = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "closed", "outcome": "moved_away", "reason": "Parti."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        patch(&w.prescriber, json!({"phone": "07 11 22 33 45"}), Some("*"))
            .await
            .unwrap(),
        StatusCode::CONFLICT,
        "referral_closed",
    )
    .await;
}

#[actix_web::test]
async fn a_transferred_referral_reaches_the_other_territory_s_queue() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, c2) = elsewhere(&app).await;
    let id = taken(&app, &w, &adult()).await;
    let post = |body: Value, if_match: Option<&str>| {
        let mut r = app
            .req(
                Method::POST,
                &format!("/api/v1/referrals/{id}/transfer"),
                Some(&w.counsellor),
            )
            .json(&body);
        if let Some(v) = if_match {
            r = r.header("if-match", v);
        }
        r.send()
    };
    problem(
        post(json!({"commune_insee": "42218"}), None).await.unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    for (insee, code) in [
        ("99999", "unknown_commune"),
        ("75056", "commune_not_served"),
        ("69266", "same_territory"),
    ] {
        let b = problem(
            post(json!({"commune_insee": insee}), Some("*"))
                .await
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            field_codes(&b),
            [("commune_insee".to_string(), code.to_string())]
        );
    }
    let res = post(json!({"commune_insee": "42218"}), Some("*"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(
        r["status"], "submitted",
        "a referral being contacted returns to the queue"
    );
    assert_eq!(r["youth"]["commune_insee"], "42218");
    assert_eq!(queue(&app, &c2, "status=submitted").await, [id.as_str()]);
    problem(
        app.get(&format!("/api/v1/referrals/{id}"), &w.counsellor)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        referral_of(&app, &w.prescriber, &id).await["sas_team"]["name"],
        "SAS 42"
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'transferred' AND territory_id = '{}' AND to_territory_id IS NOT NULL", w.territory_id)), 1);
    assert_eq!(
        take(&app, &c2, &id).await.status(),
        StatusCode::OK,
        "the new team takes it"
    );
}

#[actix_web::test]
async fn a_closed_journey_is_resumed_once_as_a_new_referral_that_asks_consent_again() {
    let app = spawn().await;
    let w = app.world().await;
    let id = taken(&app, &w, &adult()).await;
    let resume = |rid: &str| {
        app.req(
            Method::POST,
            &format!("/api/v1/referrals/{rid}/resume"),
            Some(&w.counsellor),
        )
        .send()
    };
    problem(
        resume(&id).await.unwrap(),
        StatusCode::CONFLICT,
        "not_closed",
    )
    .await;
    let res = transit(
        &app,
        &w.counsellor,
        &id,
        json!({"to": "closed", "outcome": "declined", "reason": "Ne souhaite pas."}),
        Some("*"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        app.post(
            &format!("/api/v1/referrals/{id}/resume"),
            &w.prescriber,
            &json!({}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    app.clock.advance(Duration::days(60));
    let res = resume(&id).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let new: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/referrals/{}", new["id"].as_str().unwrap())
    );
    assert_eq!(new["previous_referral_id"], id.as_str());
    assert_eq!(new["status"], "contacting");
    assert_eq!(
        new["youth"]["id"],
        referral_of(&app, &w.counsellor, &id).await["youth"]["id"]
    );
    assert_eq!(new["prescriber_structure"]["id"], w.prescriber_id.as_str());
    assert_eq!(new["channel"], "institutional");
    assert_eq!(
        new["consent"]["agreed"],
        json!(["sas_contact"]),
        "share_with_receiver is asked again"
    );
    problem(
        resume(&id).await.unwrap(),
        StatusCode::CONFLICT,
        "already_resumed",
    )
    .await;
    let new_id = new["id"].as_str().unwrap();
    // Counted in H2 and H3, not in H1: its first event is `resumed`, not `created`.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM events WHERE kind = 'created'"
        ),
        1
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{new_id}' AND kind = 'resumed' AND to_status = 'contacting' AND prescriber_kind = 'ASE'")), 1);
    // The prescriber sees it too.
    assert_eq!(
        referral_of(&app, &w.prescriber, new_id).await["previous_referral_id"],
        id.as_str()
    );
    // And its work starts from scratch.
    log_attempt(
        &app,
        &w.counsellor,
        new_id,
        json!({"channel": "phone", "outcome": "reached"}),
    )
    .await;
    assert_eq!(
        referral_of(&app, &w.counsellor, new_id).await["status"],
        "diagnosis"
    );
}

#[actix_web::test]
async fn a_counsellor_lists_the_colleagues_of_the_territory_to_hand_a_referral_over() {
    let app = spawn().await;
    let w = app.world().await;
    let (_, c2) = elsewhere(&app).await;
    app.user_token(
        "b-colleague@sas.test",
        &["counsellor"],
        Some(&w.team_id),
        None,
    )
    .await;
    let page = get(&app, &w.counsellor, "/api/v1/counsellors").await;
    let ids: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let colleague = app.user_id("b-colleague@sas.test").await;
    let me_id = me(&app, &w.counsellor).await;
    assert_eq!(
        ids,
        [colleague.clone(), me_id],
        "by email, this territory only"
    );
    assert!(!page.to_string().contains("@"), "names, never contacts");
    let first = get(&app, &w.counsellor, "/api/v1/counsellors?limit=1").await;
    let next = get(
        &app,
        &w.counsellor,
        &format!(
            "/api/v1/counsellors?limit=1&cursor={}",
            first["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(next["items"].as_array().unwrap().len(), 1);
    assert_eq!(next["next_cursor"], Value::Null);
    assert_eq!(
        get(&app, &c2, "/api/v1/counsellors").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    problem(
        app.get("/api/v1/counsellors", &w.prescriber).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // The hand-over itself.
    let id = taken(&app, &w, &adult()).await;
    let res = app
        .req(
            Method::POST,
            &format!("/api/v1/referrals/{id}/assign"),
            Some(&w.counsellor),
        )
        .header("if-match", "*")
        .json(&json!({"counsellor_id": colleague}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["assigned_counsellor"]["id"], colleague.as_str());
}

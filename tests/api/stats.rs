//! Steering (issue 14), on a hand-built history walked through the API with the injectable
//! clock: the facts `db::stats::cohort` reads from the events, and the protected report
//! built on them. Each expected value is worked out by hand in the comments.
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::referrals::{id, refer, referral, take, transit};
use crate::support::*;
use sas_api::domain::stats::disclosure::{self, Row};
use sas_api::domain::stats::indicators::{Fact, Measure, Report};
use sas_api::domain::stats::period::{Month, Period};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn attempt(app: &TestApp, token: &str, id: &str, outcome: &str) {
    let res = app
        .post(
            &format!("/api/v1/referrals/{id}/contact-attempts"),
            token,
            &json!({"channel": "phone", "outcome": outcome}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

fn young(n: u32) -> Value {
    referral(
        &format!("Jeune{n}"),
        "Stat",
        "2004-05-01",
        &format!("06110000{n:02}"),
        Some("2026-04-30"),
    )
}

#[actix_web::test]
async fn the_cohort_facts_come_from_the_events_by_hand() {
    let app = TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await;
    let w = app.world().await;
    let admin = app.admin().await;
    // A: 31 March 21:30 UTC = 23:30 in Paris (summer time): March's cohort.
    app.clock.set(at("2026-03-31T21:30:00Z"));
    let a = id(&refer(&app, &w.prescriber, &young(1)).await);
    // B: 31 March 22:30 UTC = 1 April 00:30 in Paris: April's. Never contacted.
    app.clock.set(at("2026-03-31T22:30:00Z"));
    refer(&app, &w.prescriber, &young(2)).await;
    // C: 2 April; no answer on the 3rd, reached on the 5th (3 days, 2 attempts); then put on
    // hold and back, which changes none of its facts.
    app.clock.set(at("2026-04-02T09:00:00Z"));
    let c = id(&refer(&app, &w.prescriber, &young(3)).await);
    // D: 2 April; declined, resumed on the 10th, reached on the 12th under the new referral:
    // one journey, counted once, in March, contacted after 10 days and 1 attempt.
    let d = id(&refer(&app, &w.prescriber, &young(4)).await);
    // E: 2 April, closed as entered in error: out.
    let e = id(&refer(&app, &w.prescriber, &young(5)).await);
    // F: 2 April, closed as a duplicate: submitted, out of the denominators.
    let f = id(&refer(&app, &w.prescriber, &young(6)).await);
    for r in [&c, &d, &f] {
        assert_eq!(take(&app, &w.counsellor, r).await.status(), StatusCode::OK);
    }
    app.clock.set(at("2026-04-03T09:00:00Z"));
    attempt(&app, &w.counsellor, &c, "no_answer").await;
    transit(
        &app,
        &w.counsellor,
        &d,
        json!({"to": "closed", "outcome": "declined", "reason": "Ne souhaite pas."}),
        Some("*"),
    )
    .await;
    transit(
        &app,
        &w.counsellor,
        &f,
        json!({"to": "closed", "outcome": "duplicate", "reason": "Déjà orienté."}),
        Some("*"),
    )
    .await;
    ok(transit(
        &app,
        &admin,
        &e,
        json!({"to": "closed", "outcome": "entered_in_error", "reason": "Erreur de saisie."}),
        Some("*"),
    )
    .await)
    .await;
    app.clock.set(at("2026-04-05T09:00:00Z"));
    attempt(&app, &w.counsellor, &c, "reached").await;
    ok(transit(
        &app,
        &w.counsellor,
        &c,
        json!({"to": "on_hold", "reason": "waiting_list"}),
        Some("*"),
    )
    .await)
    .await;
    ok(transit(
        &app,
        &w.counsellor,
        &c,
        json!({"to": "diagnosis"}),
        Some("*"),
    )
    .await)
    .await;
    app.clock.set(at("2026-04-10T09:00:00Z"));
    let res = app
        .post(
            &format!("/api/v1/referrals/{d}/resume"),
            &w.counsellor,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let d2 = id(&res.json::<Value>().await.unwrap());
    app.clock.set(at("2026-04-12T09:00:00Z"));
    attempt(&app, &w.counsellor, &d2, "appointment_set").await;

    let territory = Uuid::parse_str(&w.territory_id).unwrap();
    let tz: chrono_tz::Tz = chrono_tz::Europe::Paris;
    let (start, _) = Period::parse("2026-Q1").unwrap().bounds(tz);
    let q2 = Period::parse("2026-Q2").unwrap();
    let (_, end) = q2.bounds(tz);
    let until = sas_api::domain::stats::period::local_midnight(day("2026-05-01"), tz);
    let facts: Vec<Fact> = sas_api::db::stats::cohort(
        &mut app.db(),
        sas_api::db::stats::CohortOf::Territory(territory),
        "Europe/Paris",
        start,
        end,
        until,
    )
    .unwrap()
    .into_iter()
    .map(Fact::from)
    .collect();
    let s = Some(Uuid::parse_str(&w.prescriber_id).unwrap());
    let base = Fact {
        structure: s,
        kind: facts[0].kind.clone(),
        submitted_on: day("2026-04-02"),
        exit_date: Some(day("2026-04-30")),
        duplicate: false,
        first_contact_on: None,
        attempts_to_contact: 0,
        unreachable: false,
        diagnosed: false,
        ..Default::default()
    };
    assert!(base.kind.is_some(), "the prescriber's kind, as it was");
    let mut got = facts.clone();
    got.sort_by_key(|f| (f.submitted_on, f.first_contact_on, f.duplicate));
    assert_eq!(
        got,
        [
            Fact {
                submitted_on: day("2026-03-31"),
                ..base.clone()
            },
            Fact {
                submitted_on: day("2026-04-01"),
                ..base.clone()
            },
            Fact {
                duplicate: true,
                ..base.clone()
            },
            Fact {
                first_contact_on: Some(day("2026-04-05")),
                reached_on: Some(day("2026-04-05")),
                attempts_to_contact: 2,
                ..base.clone()
            },
            Fact {
                first_contact_on: Some(day("2026-04-12")),
                reached_on: Some(day("2026-04-12")),
                attempts_to_contact: 1,
                ..base.clone()
            },
        ],
        "A in March; B, the duplicate F, C and the resumed D in April; E out"
    );
    let _ = a;
    // As of 10 April, D's contact (on the 12th) has not happened yet.
    let early = sas_api::domain::stats::period::local_midnight(day("2026-04-11"), tz);
    let before = sas_api::db::stats::cohort(
        &mut app.db(),
        sas_api::db::stats::CohortOf::Territory(territory),
        "Europe/Paris",
        start,
        end,
        early,
    )
    .unwrap();
    assert_eq!(
        before
            .iter()
            .filter(|f| f.first_contact_on.is_some())
            .count(),
        1
    );

    // The report of Q1: A alone, 1 in March: suppressed, not 0; January a true 0; the
    // quarter goes with March.
    let r1 = Report::new(
        Period::parse("2026-Q1").unwrap(),
        day("2026-03-31"),
        facts.clone(),
    );
    assert_eq!(
        r1.count(
            Measure::Submitted,
            Row::All,
            Some(Month {
                year: 2026,
                month: 3
            })
        ),
        None,
        "1: suppressed, not 0"
    );
    assert_eq!(
        r1.count(
            Measure::Submitted,
            Row::All,
            Some(Month {
                year: 2026,
                month: 1
            })
        ),
        Some(0),
        "a true 0"
    );
    assert_eq!(r1.count(Measure::Submitted, Row::All, None), None);
    // Q2 as of 30 June: B, C, D and F, 4 in April: hidden, and the quarter with it.
    let r = Report::new(q2, day("2026-06-30"), facts);
    assert_eq!(
        r.count(
            Measure::Submitted,
            Row::All,
            Some(Month {
                year: 2026,
                month: 4
            })
        ),
        None
    );
    assert_eq!(
        r.count(
            Measure::Submitted,
            Row::All,
            Some(Month {
                year: 2026,
                month: 5
            })
        ),
        Some(0)
    );
    assert_eq!(r.count(Measure::Submitted, Row::All, None), None);
    assert_eq!(r.count(Measure::Diagnosed, Row::All, None), Some(0));
    assert_eq!(r.median_days_to_contact(None), None);
    for (published, sums) in r.all_tables() {
        assert!(disclosure::recoverable(&published, &sums).is_empty());
    }
    // Registered prescribers: the world's prescriber structure (an active account), once.
    let since = at("2025-05-01T00:00:00Z");
    assert_eq!(
        sas_api::db::stats::registered_prescribers(&mut app.db(), territory, since, until).unwrap(),
        1
    );
}

async fn funnel(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.get(&format!("/api/v1/stats/funnel?{query}"), token)
        .await
}

fn stage<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap()
}

#[actix_web::test]
async fn the_funnel_is_scoped_to_the_callers_territory_and_suppressed_under_5() {
    let app = TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await;
    let w = app.world().await;
    let admin = app.admin().await;
    // Six referrals on 2 March (t0), five of them reached the next day.
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(id(&refer(&app, &w.prescriber, &young(n)).await));
    }
    app.clock.set(at("2026-03-03T09:00:00Z"));
    for r in &ids[..5] {
        assert_eq!(take(&app, &w.counsellor, r).await.status(), StatusCode::OK);
        attempt(&app, &w.counsellor, r, "reached").await;
    }
    app.clock.set(at("2026-04-15T09:00:00Z"));
    let v = ok(funnel(&app, &w.pilot, "period=2026-03").await).await;
    assert_eq!(v["months"], json!(["2026-03"]));
    assert_eq!(v["as_of"], "2026-04-15", "today by default");
    assert_eq!(
        stage(&v, "submitted")["total"],
        json!({"value": 6, "suppressed": false})
    );
    assert_eq!(
        stage(&v, "contacted")["total"],
        json!({"value": 5, "suppressed": false})
    );
    assert_eq!(
        stage(&v, "diagnosed")["total"],
        json!({"value": 0, "suppressed": false})
    );
    assert_eq!(v["scope"], "territory");
    assert_eq!(stage(&v, "relayed")["available"], true);
    assert_eq!(
        stage(&v, "relayed")["total"],
        json!({"value": 0, "suppressed": false})
    );
    // The quarter: January and February are true zeros, March 6; nothing hidden.
    let q = ok(funnel(&app, &w.counsellor, "period=2026-Q1").await).await;
    assert_eq!(
        stage(&q, "submitted")["by_month"],
        json!([{"value": 0, "suppressed": false}, {"value": 0, "suppressed": false}, {"value": 6, "suppressed": false}])
    );
    assert_eq!(stage(&q, "contacted")["total"]["value"], 5);
    for code in ["submitted", "contacted", "diagnosed"] {
        assert_eq!(
            stage(&q, code)["by_month"][2],
            stage(&v, code)["total"],
            "March is a column of Q1's table"
        );
    }
    // As of 31 March (a past month end), the same; as of 2 March nothing was contacted
    // yet — but 2 March is neither today nor a month end.
    let end = ok(funnel(&app, &w.pilot, "period=2026-03&as_of=2026-03-31").await).await;
    assert_eq!(stage(&end, "contacted")["total"]["value"], 5);
    problem(
        funnel(&app, &w.pilot, "period=2026-03&as_of=2026-03-02").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_as_of",
    )
    .await;
    problem(
        funnel(&app, &w.pilot, "period=2026-02&as_of=2026-01-31").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_as_of",
    )
    .await;
    for bad in ["2026-13", "2026-Q5", "2026", "2026-03-01"] {
        problem(
            funnel(&app, &w.pilot, &format!("period={bad}")).await,
            StatusCode::BAD_REQUEST,
            "invalid_period",
        )
        .await;
    }
    // No identifier and no free text in the output.
    let text = v.to_string();
    for r in &ids {
        assert!(!text.contains(r.as_str()));
    }
    assert!(!text.contains("Jeune") && !text.contains(&w.prescriber_id));
    // Another territory's pilot sees nothing of this one; its own is all zeros.
    let t2 = app.territory("Saint-Étienne", &["42218"]).await;
    let t2 = t2["id"].as_str().unwrap().to_string();
    let pilot2 = app
        .user_token("pi2@sas.test", &["pilot"], None, Some(&t2))
        .await;
    problem(
        funnel(
            &app,
            &pilot2,
            &format!("period=2026-03&territory={}", w.territory_id),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let own = ok(funnel(&app, &pilot2, "period=2026-03").await).await;
    assert_eq!(own["territory_id"], t2.as_str());
    assert_eq!(stage(&own, "submitted")["total"]["value"], 0);
    // Administrators name the territory; a prescriber has no funnel (its own comes later).
    problem(
        funnel(&app, &admin, "period=2026-03").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let a = ok(funnel(
        &app,
        &admin,
        &format!("period=2026-03&territory={}", w.territory_id),
    )
    .await)
    .await;
    assert_eq!(stage(&a, "submitted")["total"]["value"], 6);
    problem(
        funnel(
            &app,
            &admin,
            &format!("period=2026-03&territory={}", Uuid::nil()),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A prescriber reads its own structure's referrals; the territory's scope is not its.
    let p = ok(funnel(&app, &w.prescriber, "period=2026-03").await).await;
    assert_eq!(p["scope"], "prescriber_structure");
    assert_eq!(stage(&p, "p_submitted")["total"]["value"], 6);
    assert_eq!(stage(&p, "p_submitted")["breakdown"], json!([]));
    problem(
        funnel(&app, &w.prescriber, "period=2026-03&scope=territory").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        funnel(&app, &w.pilot, "period=2026-03&scope=everyone").await,
        StatusCode::BAD_REQUEST,
        "invalid_scope",
    )
    .await;
    // The indicators of March as of 15 April, by hand: 6 referrals, all older than 21
    // days, 5 reached one day after submission at the first attempt; exit dates 30 April,
    // 59 days after: all early. One structure of one registered: under 5, suppressed.
    let i = ok(app
        .get("/api/v1/stats/indicators?period=2026-03", &w.pilot)
        .await)
    .await;
    let ind = |code: &str| {
        i["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(
        ind("h1_referrals")["total"],
        json!({"value": 6.0, "suppressed": false})
    );
    assert_eq!(ind("h1_early_share")["total"]["value"], 1.0);
    assert_eq!(
        ind("h1_active_structures")["total"],
        json!({"value": null, "suppressed": true})
    );
    assert_eq!(ind("h2_contact_rate")["total"]["value"], 5.0 / 6.0);
    assert_eq!(ind("h2_contact_rate")["better"], "higher");
    assert_eq!(ind("h2_median_days_to_contact")["total"]["value"], 1.0);
    assert_eq!(
        ind("h2_median_days_to_contact")["by_month"],
        json!([{"value": 1.0, "suppressed": false}])
    );
    assert_eq!(ind("h2_unreachable_rate")["total"]["value"], 0.0);
    assert_eq!(ind("h2_attempts_per_contact")["total"]["value"], 1.0);
    assert_eq!(ind("h3_started_rate")["available"], true);
    assert_eq!(
        ind("h3_started_rate")["total"],
        json!({"value": null, "suppressed": true}),
        "no relay: a denominator under 5"
    );
    problem(
        app.get(
            &format!(
                "/api/v1/stats/indicators?period=2026-03&territory={}",
                w.territory_id
            ),
            &pilot2,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.get("/api/v1/stats/indicators?period=2026-3", &w.pilot)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_period",
    )
    .await;
    problem(
        app.get(
            "/api/v1/stats/indicators?period=2026-03&as_of=2026-04-14",
            &w.pilot,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_as_of",
    )
    .await;
    // A receiving structure without a relay, nor a territory, has no figures anywhere.
    problem(
        app.get("/api/v1/stats/indicators?period=2026-03", &w.receiver)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.get(
            "/api/v1/stats/indicators?period=2026-03&scope=prescriber_structure",
            &w.receiver,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(!i.to_string().contains(&w.prescriber_id));
    // As of 31 March only 29 days had passed: still all aged (≥ 21).
    let m = ok(app
        .get(
            "/api/v1/stats/indicators?period=2026-03&as_of=2026-03-31",
            &w.counsellor,
        )
        .await)
    .await;
    assert_eq!(m["indicators"][3]["code"], "h2_contact_rate");
    assert_eq!(m["indicators"][3]["total"]["value"], 5.0 / 6.0);
    // A sixth contact would not change a thing; a seventh referral submitted in April is
    // another cohort. Closing one as entered in error takes it out: 5 submitted, 4 contacted
    // (now hidden, and its rate with it).
    ok(transit(
        &app,
        &admin,
        &ids[0],
        json!({"to": "closed", "outcome": "entered_in_error", "reason": "Erreur de saisie."}),
        Some("*"),
    )
    .await)
    .await;
    let v = ok(funnel(&app, &w.pilot, "period=2026-03").await).await;
    assert_eq!(
        stage(&v, "submitted")["total"],
        json!({"value": 5, "suppressed": false})
    );
    assert_eq!(
        stage(&v, "contacted")["total"],
        json!({"value": null, "suppressed": true})
    );
}

// ---------------------------------------------------------------------------------------
// Step 2: the relay stages and H3, the breakdowns, the targets, the CSV and the scopes, on a
// hand-built April 2026 walked through the API.

fn body(n: u32) -> Value {
    referral(
        &format!("Relais{n}"),
        "Stat",
        "2004-05-01",
        &format!("06220000{n:02}"),
        Some("2026-06-30"),
    )
}

/// Reached and diagnosed (a resumed referral is already its counsellor's: no take).
async fn reach_and_diagnose(app: &TestApp, counsellor: &str, rid: &str) {
    attempt(app, counsellor, rid, "reached").await;
    let res = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/referrals/{rid}/diagnostic"),
            Some(counsellor),
        )
        .header("if-match", "*")
        .json(&crate::relays::diagnostic())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

async fn answer(app: &TestApp, token: &str, relay: &str, n: i32, a: &str) {
    let res = crate::relays::act(
        app,
        token,
        &format!("/api/v1/relays/{relay}/checkpoints/{n}/answer"),
        Some(json!({"answer": a})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "J+{n} {a}");
}

fn find<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("{code}"))
}

fn n(v: u64) -> Value {
    json!({"value": v, "suppressed": false})
}

fn x(v: f64) -> Value {
    json!({"value": v, "suppressed": false})
}

fn hidden() -> Value {
    json!({"value": null, "suppressed": true})
}

#[actix_web::test]
async fn relays_breakdowns_targets_csv_and_scopes_by_hand() {
    use crate::relays::{ok as relay_ok, receiver, send};
    let app = TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await;
    let w = app.world().await;
    let admin = app.admin().await;
    let c = w.counsellor.clone();
    // Receiving structures: A and B with an account, C without one (its agent deactivated).
    let (a_sid, a, a_svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    let (b_sid, b, b_svc) = receiver(&app, "EPIDE Est", "rb@sas.test", json!({})).await;
    let (c_sid, _, c_svc) = receiver(&app, "Asso C", "rc@sas.test", json!({})).await;
    let uid = app.user_id("rc@sas.test").await;
    let res = app
        .admin_post(
            &format!("/api/v1/users/{uid}/deactivate"),
            &admin,
            &json!({}),
        )
        .await;
    assert!(res.status().is_success());
    // A second prescriber structure, of another kind.
    let ml = app
        .structure(json!({"name": "Mission locale Est", "kind": "ML", "prescriber": true}))
        .await;
    let ml_sid = id(&ml);
    let ml_token = app
        .user_token("pml@sas.test", &["prescriber"], Some(&ml_sid), None)
        .await;

    // 6 April: eight referrals by the world's prescriber (kind ASE), R1 … R8, all reached and
    // diagnosed. R5 goes on hold and back. R7 is declined, resumed, and goes on resumed.
    app.clock.set(at("2026-04-06T09:00:00Z"));
    let mut r = Vec::new();
    for i in 1..=8 {
        r.push(id(&refer(&app, &w.prescriber, &body(i)).await));
    }
    for (i, rid) in r.iter().enumerate() {
        assert_eq!(take(&app, &c, rid).await.status(), StatusCode::OK);
        if i != 6 {
            reach_and_diagnose(&app, &c, rid).await;
        }
    }
    let hold = json!({"to": "on_hold", "reason": "waiting_list"});
    ok(transit(&app, &c, &r[4], hold, Some("*")).await).await;
    ok(transit(&app, &c, &r[4], json!({"to": "diagnosis"}), Some("*")).await).await;
    ok(transit(
        &app,
        &c,
        &r[6],
        json!({"to": "closed", "outcome": "declined", "reason": "Ne souhaite pas."}),
        Some("*"),
    )
    .await)
    .await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{}/resume", r[6]),
            &c,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let r7 = id(&res.json::<Value>().await.unwrap());
    reach_and_diagnose(&app, &c, &r7).await;
    // A resumption asks for the consent again.
    let res = app
        .post(
            &format!("/api/v1/referrals/{r7}/consent"),
            &c,
            &json!({"informed_at": "2026-04-06T08:00:00Z", "informed_by": "Paul, éducateur",
                    "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // The journeys: index 6 is now its resumption.
    let journeys: Vec<String> = r
        .iter()
        .enumerate()
        .map(|(i, x)| if i == 6 { r7.clone() } else { x.clone() })
        .collect();

    // 10 April: relays to A for all but R6 (off-platform to C); 12 April: A accepts all but
    // R2's, which it refuses; R2 is then relayed to B, which accepts it.
    app.clock.set(at("2026-04-10T09:00:00Z"));
    let mut to_a = Vec::new();
    for (i, rid) in journeys.iter().enumerate() {
        if i != 5 {
            to_a.push((i, id(&send(&app, &c, rid, &a_svc).await)));
        }
    }
    let res = app
        .post(
            &format!("/api/v1/referrals/{}/relays", journeys[5]),
            &c,
            &json!({"service_id": c_svc, "off_platform": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let off = id(&res.json::<Value>().await.unwrap());
    app.clock.set(at("2026-04-12T09:00:00Z"));
    for (i, rel) in &to_a {
        if *i == 1 {
            relay_ok(
                &app,
                &a,
                rel,
                "refuse",
                Some(json!({"reason": "no_capacity"})),
            )
            .await;
        } else {
            relay_ok(&app, &a, rel, "accept", None).await;
        }
    }
    let r2b = id(&send(&app, &c, &journeys[1], &b_svc).await);
    relay_ok(&app, &b, &r2b, "accept", None).await;
    // 20 April: A starts its six (14 days after submission), the counsellor records C's start;
    // 25 April: B starts R2 (19 days).
    app.clock.set(at("2026-04-20T09:00:00Z"));
    let started: Vec<(usize, String)> = to_a.iter().filter(|(i, _)| *i != 1).cloned().collect();
    for (_, rel) in &started {
        relay_ok(&app, &a, rel, "start", None).await;
    }
    relay_ok(&app, &c, &off, "accept", None).await;
    relay_ok(&app, &c, &off, "start", None).await;
    app.clock.set(at("2026-04-25T09:00:00Z"));
    relay_ok(&app, &b, &r2b, "start", None).await;
    // The month boundary in Paris (UTC+2): 30 April 21:30 UTC is April (the ML's R9),
    // 22:30 UTC is 1 May (the ASE's R10).
    app.clock.set(at("2026-04-30T21:30:00Z"));
    let r9 = id(&refer(&app, &ml_token, &body(9)).await);
    app.clock.set(at("2026-04-30T22:30:00Z"));
    let r10 = id(&refer(&app, &w.prescriber, &body(10)).await);
    // J+30 (20 May; 25 May for B): R3 (index 2) answers positive_exit, which completes its
    // relay; the others still accompanied.
    app.clock.set(at("2026-05-20T09:00:00Z"));
    for (i, rel) in &started {
        let a30 = if *i == 2 {
            "positive_exit"
        } else {
            "still_accompanied"
        };
        answer(&app, &a, rel, 30, a30).await;
    }
    app.clock.set(at("2026-05-25T09:00:00Z"));
    answer(&app, &b, &r2b, 30, "still_accompanied").await;
    // J+90 (19 July; 24 July for B): R4 (index 3) is left unanswered; R2 dropped out.
    app.clock.set(at("2026-07-19T09:00:00Z"));
    for (i, rel) in &started {
        if *i != 2 && *i != 3 {
            answer(&app, &a, rel, 90, "still_accompanied").await;
        }
    }
    app.clock.set(at("2026-07-24T09:00:00Z"));
    answer(&app, &b, &r2b, 90, "dropped_out").await;
    app.clock.set(at("2026-08-10T09:00:00Z"));

    // April as of 31 July, by hand. Submitted: R1–R8 (ASE) + R9 (ML) = 9; R10 is May's.
    // Contacted and diagnosed: R1–R8 = 8 (R7 under its resumption). Relayed through SAS:
    // all but R6 = 7 (R2 counted once though refused by A), accepted 7, started 7. J+90 (due
    // 19 July, 24 July for R2, by 31 July): R1, R5, R7, R8 still accompanied, R3 completed
    // on a positive exit before: 5 retained; R2 dropped out: 6 settled; R4 unanswered: 1.
    let q = "period=2026-04&as_of=2026-07-31";
    let f = ok(funnel(&app, &w.pilot, q).await).await;
    let total = |code: &str| stage(&f, code)["total"].clone();
    assert_eq!(f["scope"], "territory");
    assert_eq!(
        [
            total("submitted"),
            total("contacted"),
            total("diagnosed"),
            total("relayed"),
            total("accepted"),
            total("started"),
            total("retained_j90")
        ],
        [n(9), n(8), n(8), n(7), n(7), n(7), n(5)]
    );
    // The breakdown: kinds ASE (8) then ML (1, suppressed); the ASE loses its cell with it
    // (the territory's 9 minus it would give the ML's 1 back), and so does its structure.
    let rows = stage(&f, "submitted")["breakdown"]
        .as_array()
        .unwrap()
        .clone();
    let labels: Vec<(String, String, Value)> = rows
        .iter()
        .map(|x| {
            (
                x["dimension"].as_str().unwrap().to_string(),
                x["code"].as_str().unwrap().to_string(),
                x["parent"].clone(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("prescriber_kind".into(), "ASE".into(), Value::Null),
            ("structure".into(), "s1".into(), json!("ASE")),
            ("prescriber_kind".into(), "ML".into(), Value::Null),
            ("structure".into(), "s2".into(), json!("ML")),
        ]
    );
    assert_eq!(rows[1]["label"], "ASE test");
    assert_eq!(rows[3]["label"], "Mission locale Est");
    for row in &rows {
        assert_eq!(row["total"], hidden(), "{row}");
    }
    // Contacted: ASE 8, ML a true 0, nothing small: all shown.
    let rows = stage(&f, "contacted")["breakdown"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        rows.iter().map(|x| x["total"].clone()).collect::<Vec<_>>(),
        [n(8), n(8), n(0), n(0)]
    );
    // The indicators.
    let i = ok(app
        .get(&format!("/api/v1/stats/indicators?{q}"), &w.pilot)
        .await)
    .await;
    let ind = |code: &str| find(&i["indicators"], code).clone();
    assert_eq!(ind("h3_started_rate")["total"], x(1.0), "7 of 7");
    assert_eq!(
        ind("h3_median_days_to_start")["total"],
        x(14.0),
        "14 ×6, 19"
    );
    assert_eq!(ind("h3_retained_j90_share")["total"], x(5.0 / 6.0));
    assert_eq!(
        ind("h3_j90_unanswered")["total"],
        hidden(),
        "1: apart, suppressed"
    );
    assert_eq!(ind("h3_off_platform_relayed")["total"], hidden(), "R6: 1");
    assert_eq!(ind("h3_off_platform_started_rate")["total"], hidden());
    assert_eq!(ind("h2_contact_rate")["total"], x(8.0 / 9.0));
    assert_eq!(ind("h3_median_days_to_start")["breakdown"], json!([]));
    // A rate by row: the ASE's started rate 7/7 (its counts are shown).
    let sr = ind("h3_started_rate")["breakdown"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sr[0]["total"], x(1.0));
    assert_eq!(sr[2]["total"], hidden(), "ML: no relay, a denominator of 0");
    // The quarter: May holds R10 alone (1, suppressed), so the quarter is suppressed; April
    // is the same column in both views.
    let fq = ok(funnel(&app, &w.pilot, "period=2026-Q2&as_of=2026-07-31").await).await;
    assert_eq!(stage(&fq, "submitted")["by_month"][0], n(9));
    assert_eq!(stage(&fq, "submitted")["by_month"][1], hidden());
    assert_eq!(stage(&fq, "submitted")["total"], hidden());
    for code in ["contacted", "relayed", "started", "retained_j90"] {
        assert_eq!(
            stage(&fq, code)["by_month"][0],
            stage(&f, code)["total"],
            "{code}"
        );
    }
    // As of 30 June no J+90 was due: nothing settled, nothing unanswered.
    let june = ok(app
        .get(
            "/api/v1/stats/indicators?period=2026-04&as_of=2026-06-30",
            &w.pilot,
        )
        .await)
    .await;
    assert_eq!(
        find(&june["indicators"], "h3_j90_unanswered")["total"],
        x(0.0)
    );
    assert_eq!(
        find(&june["indicators"], "h3_retained_j90_share")["total"],
        hidden()
    );
    let fj = ok(funnel(&app, &w.pilot, "period=2026-04&as_of=2026-06-30").await).await;
    assert_eq!(stage(&fj, "retained_j90")["total"], n(0));

    // No suppressed cell comes back by subtraction, in any table of the territory, the
    // prescriber's or the receiver's scope, month or quarter.
    let territory = Uuid::parse_str(&w.territory_id).unwrap();
    let tz = chrono_tz::Europe::Paris;
    let q2 = Period::parse("2026-Q2").unwrap();
    let (start, end) = q2.bounds(tz);
    let until = sas_api::domain::stats::period::local_midnight(day("2026-08-01"), tz);
    use sas_api::db::stats::{cohort, relay_cohort, CohortOf};
    let pid = Uuid::parse_str(&w.prescriber_id).unwrap();
    let sets: Vec<Vec<Fact>> = vec![
        cohort(
            &mut app.db(),
            CohortOf::Territory(territory),
            "Europe/Paris",
            start,
            end,
            until,
        )
        .unwrap()
        .into_iter()
        .map(Fact::from)
        .collect(),
        cohort(
            &mut app.db(),
            CohortOf::Prescriber(pid, territory),
            "Europe/Paris",
            start,
            end,
            until,
        )
        .unwrap()
        .into_iter()
        .map(|c| Fact::from(c).as_prescriber_sees())
        .collect(),
        relay_cohort(
            &mut app.db(),
            Uuid::parse_str(&a_sid).unwrap(),
            territory,
            "Europe/Paris",
            start,
            end,
            until,
        )
        .unwrap()
        .into_iter()
        .map(Fact::from)
        .collect(),
    ];
    for facts in sets {
        let report = Report::new(q2, day("2026-07-31"), facts);
        for (published, sums) in report.all_tables() {
            assert!(disclosure::recoverable(&published, &sums).is_empty());
        }
    }

    // The prescriber's scope: R1–R8 and R10 are the ASE's; in April R1–R8, all reached (the
    // status diagnosis), all relayed (R6 off-platform too: the prescriber sees it), all
    // taken in charge.
    let p = ok(funnel(&app, &w.prescriber, q).await).await;
    assert_eq!(p["scope"], "prescriber_structure");
    let codes: Vec<&str> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["p_submitted", "p_reached", "p_relayed", "p_started"]
    );
    for code in codes {
        assert_eq!(stage(&p, code)["total"], n(8), "{code}");
    }
    let pi = ok(app
        .get(&format!("/api/v1/stats/indicators?{q}"), &w.prescriber)
        .await)
    .await;
    for code in ["p_reached_rate", "p_relayed_rate", "p_started_rate"] {
        assert_eq!(find(&pi["indicators"], code)["total"], x(1.0), "{code}");
    }
    // The ML's: R9 alone, suppressed.
    let pm = ok(funnel(&app, &ml_token, q).await).await;
    assert_eq!(stage(&pm, "p_submitted")["total"], hidden());

    // The receiver's scope, A: 7 relays requested in April, all answered 2 days later,
    // 6 started, J+90 5 retained of 5 settled (R3 completed before), R4 unanswered (1).
    let ra = ok(funnel(&app, &a, q).await).await;
    assert_eq!(ra["scope"], "receiving_structure");
    assert_eq!(
        [
            stage(&ra, "r_requested")["total"].clone(),
            stage(&ra, "r_started")["total"].clone(),
            stage(&ra, "r_retained")["total"].clone(),
            stage(&ra, "r_j90_unanswered")["total"].clone()
        ],
        [n(7), n(6), n(5), hidden()]
    );
    let ri = ok(app.get(&format!("/api/v1/stats/indicators?{q}"), &a).await).await;
    assert_eq!(find(&ri["indicators"], "r_answered_10d")["total"], x(1.0));
    assert_eq!(
        find(&ri["indicators"], "r_started_rate")["total"],
        x(6.0 / 7.0)
    );
    assert_eq!(find(&ri["indicators"], "r_retained_j90")["total"], x(1.0));
    // B: one relay, suppressed everywhere.
    let rb = ok(funnel(&app, &b, q).await).await;
    assert_eq!(stage(&rb, "r_requested")["total"], hidden());
    // A structure's territory: A has none of its own, so the one its relays came from,
    // named or not; another is 404. D's own territory answers (all zeros) without reading
    // where relays came from, named or not; the territory it has no relay from is 404.
    let named = |t: &str| format!("{q}&territory={t}");
    let ra2 = ok(funnel(&app, &a, &named(&w.territory_id)).await).await;
    assert_eq!(ra2, ra);
    problem(
        funnel(&app, &a, &named(&Uuid::nil().to_string())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let home = app.territory("Roanne", &["42187"]).await;
    let home = home["id"].as_str().unwrap().to_string();
    let (_, d, _) = receiver(&app, "Asso D", "rd@sas.test", json!({"territory_id": home})).await;
    let rd = ok(funnel(&app, &d, q).await).await;
    assert_eq!(rd["territory_id"], home.as_str());
    assert_eq!(stage(&rd, "r_requested")["total"], n(0));
    assert_eq!(ok(funnel(&app, &d, &named(&home)).await).await, rd);
    problem(
        funnel(&app, &d, &named(&w.territory_id)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Targets: the pilot sets three; a counsellor may not; invalid ones answer 422.
    let put = |token: String, body: Value| {
        let app = &app;
        async move {
            app.req(reqwest::Method::PUT, "/api/v1/stats/targets", Some(&token))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let t = ok(put(
        w.pilot.clone(),
        json!({"targets": [
            {"indicator": "h3_started_rate", "value": 0.8},
            {"indicator": "h3_retained_j90_share", "value": 0.9},
            {"indicator": "h3_median_days_to_start", "value": 10.0},
            {"indicator": "h1_active_structures", "value": 0.5}
        ]}),
    )
    .await)
    .await;
    assert_eq!(t["territory_id"], w.territory_id.as_str());
    assert_eq!(t["targets"].as_array().unwrap().len(), 4);
    assert_eq!(t["targets"][0]["indicator"], "h1_active_structures");
    problem(
        put(c.clone(), json!({"targets": []})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let bad = problem(
        put(
            w.pilot.clone(),
            json!({"targets": [
                {"indicator": "h3_off_platform_started_rate", "value": 0.5},
                {"indicator": "h3_started_rate", "value": 1.5},
                {"indicator": "h3_started_rate", "value": 0.5},
                {"indicator": "h1_referrals", "value": 3.0}
            ]}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&bad),
        [
            (
                "targets[0].indicator".to_string(),
                "not_a_target".to_string()
            ),
            ("targets[1].value".to_string(), "out_of_range".to_string()),
            ("targets[2].indicator".to_string(), "repeated".to_string()),
            (
                "targets[3].indicator".to_string(),
                "not_a_target".to_string()
            ),
        ]
    );
    let pilot2_t = app.territory("Autre", &["42218"]).await;
    problem(
        put(
            w.pilot.clone(),
            json!({"territory_id": pilot2_t["id"], "targets": []}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Audited once (the failed ones wrote nothing).
    assert_eq!(
        crate::referrals::count(
            &app,
            "SELECT count(*) AS n FROM admin_audit WHERE action = 'stats.targets_set'"
        ),
        1
    );
    // The verdicts: 1.0 ≥ 0.8 met; 5/6 < 0.9 not met; 14 days > 10 not met; the active
    // structures (2 of 2 registered: a numerator under 5) suppressed: too few data.
    let i = ok(app
        .get(&format!("/api/v1/stats/indicators?{q}"), &w.pilot)
        .await)
    .await;
    let verdict = |code: &str| {
        let x = find(&i["indicators"], code);
        (x["target"].clone(), x["verdict"].clone())
    };
    assert_eq!(verdict("h3_started_rate"), (json!(0.8), json!("met")));
    assert_eq!(
        verdict("h3_retained_j90_share"),
        (json!(0.9), json!("not_met"))
    );
    assert_eq!(
        verdict("h3_median_days_to_start"),
        (json!(10.0), json!("not_met"))
    );
    assert_eq!(
        verdict("h1_active_structures"),
        (json!(0.5), json!("too_few_data"))
    );
    assert_eq!(verdict("h2_contact_rate"), (Value::Null, Value::Null));
    // Removing one; the GET of a counsellor reads the rest.
    ok(put(
        w.pilot.clone(),
        json!({"targets": [{"indicator": "h1_active_structures", "value": null}]}),
    )
    .await)
    .await;
    let g = ok(app.get("/api/v1/stats/targets", &c).await).await;
    assert_eq!(g["targets"].as_array().unwrap().len(), 3);
    problem(
        app.get("/api/v1/stats/targets", &w.prescriber).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    problem(
        app.get(
            &format!(
                "/api/v1/stats/targets?territory={}",
                pilot2_t["id"].as_str().unwrap()
            ),
            &w.pilot,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The CSV: every figure of both views, a suppressed one written `masqué`.
    let res = app
        .get(&format!("/api/v1/stats/export?{q}"), &w.pilot)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "section,code,label,unit,dimension,row_code,row_label,parent,column,value,target,verdict"
    );
    let f = ok(funnel(&app, &w.pilot, q).await).await;
    let figures = |list: &Value| -> usize {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| 1 + s["breakdown"].as_array().unwrap().len())
            .sum()
    };
    assert_eq!(
        lines.len() - 1,
        figures(&f["stages"]) + figures(&i["indicators"]),
        "one line per figure: the period (a month: its only column), for each row"
    );
    assert!(lines.contains(&"funnel,submitted,Transmises,count,territory,,,,2026-04,9,,"));
    let ml_lines: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("funnel,submitted,Transmises,count,prescriber_kind,ML,"))
        .collect();
    assert_eq!(ml_lines.len(), 1, "a month: the period is its only column");
    assert!(
        ml_lines[0].ends_with(",2026-04,masqué,,"),
        "{}",
        ml_lines[0]
    );
    assert!(lines.contains(
        &"funnel,submitted,Transmises,count,structure,s2,Mission locale Est,ML,2026-04,masqué,,"
    ));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("indicator,h3_started_rate,")
            && l.ends_with(",territory,,,,2026-04,1,0.8,met")));
    // A quarter: the quarter's line, then one per month, for every row.
    let qq = "period=2026-Q2&as_of=2026-07-31";
    let qcsv = app
        .get(&format!("/api/v1/stats/export?{qq}"), &w.pilot)
        .await
        .text()
        .await
        .unwrap();
    let qf = ok(funnel(&app, &w.pilot, qq).await).await;
    let qi = ok(app
        .get(&format!("/api/v1/stats/indicators?{qq}"), &w.pilot)
        .await)
    .await;
    assert_eq!(
        qcsv.split("\r\n").filter(|l| !l.is_empty()).count() - 1,
        (figures(&qf["stages"]) + figures(&qi["indicators"])) * 4
    );
    for line in [
        "funnel,submitted,Transmises,count,territory,,,,2026-Q2,masqué,,",
        "funnel,submitted,Transmises,count,territory,,,,2026-04,9,,",
        "funnel,submitted,Transmises,count,territory,,,,2026-05,masqué,,",
        "funnel,submitted,Transmises,count,territory,,,,2026-06,0,,",
    ] {
        assert!(qcsv.contains(&format!("{line}\r\n")), "{line}");
    }
    // No identifier and no free text anywhere.
    let all = format!("{f}{i}{csv}{p}{ra}");
    for secret in journeys.iter().chain(r.iter()).chain([
        &r9,
        &r10,
        &off,
        &r2b,
        &a_sid,
        &b_sid,
        &c_sid,
        &ml_sid,
        &w.prescriber_id,
    ]) {
        assert!(!all.contains(secret.as_str()), "{secret}");
    }
    assert!(!all.contains("Relais1") && !all.contains("Ne souhaite"));
}

/// A relay through SAS still waiting for its answer has one event, `relay_requested`, with no
/// code: the referral is `relayed` (and not `off_relayed`). The cohort query once read the
/// code's NULL as "unknown" and left such a referral out.
#[actix_web::test]
async fn a_relay_still_waiting_for_its_answer_counts_as_relayed() {
    use crate::relays::{receiver, send};
    let app = TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await;
    let w = app.world().await;
    let (_, _, svc) = receiver(&app, "E2C Lyon", "ra@sas.test", json!({})).await;
    app.clock.set(at("2026-04-06T09:00:00Z"));
    let rid = id(&refer(&app, &w.prescriber, &body(1)).await);
    assert_eq!(
        take(&app, &w.counsellor, &rid).await.status(),
        StatusCode::OK
    );
    reach_and_diagnose(&app, &w.counsellor, &rid).await;
    app.clock.set(at("2026-04-10T09:00:00Z"));
    send(&app, &w.counsellor, &rid, &svc).await;

    let territory = Uuid::parse_str(&w.territory_id).unwrap();
    let tz: chrono_tz::Tz = chrono_tz::Europe::Paris;
    let (start, end) = Period::parse("2026-Q2").unwrap().bounds(tz);
    let until = sas_api::domain::stats::period::local_midnight(day("2026-05-01"), tz);
    let facts = sas_api::db::stats::cohort(
        &mut app.db(),
        sas_api::db::stats::CohortOf::Territory(territory),
        "Europe/Paris",
        start,
        end,
        until,
    )
    .unwrap();
    assert_eq!(facts.len(), 1);
    assert!(facts[0].relayed, "a waiting relay is a relay");
    assert!(!facts[0].accepted);
    assert!(!facts[0].off_relayed);
}

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
    let facts: Vec<Fact> =
        sas_api::db::stats::cohort(&mut app.db(), territory, "Europe/Paris", start, end, until)
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
                attempts_to_contact: 2,
                ..base.clone()
            },
            Fact {
                first_contact_on: Some(day("2026-04-12")),
                attempts_to_contact: 1,
                ..base.clone()
            },
        ],
        "A in March; B, the duplicate F, C and the resumed D in April; E out"
    );
    let _ = a;
    // As of 10 April, D's contact (on the 12th) has not happened yet.
    let early = sas_api::domain::stats::period::local_midnight(day("2026-04-11"), tz);
    let before =
        sas_api::db::stats::cohort(&mut app.db(), territory, "Europe/Paris", start, end, early)
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
    assert_eq!(stage(&v, "relayed")["available"], false);
    assert_eq!(stage(&v, "relayed")["total"], Value::Null);
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
    problem(
        funnel(&app, &w.prescriber, "period=2026-03").await,
        StatusCode::FORBIDDEN,
        "forbidden",
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
    assert_eq!(ind("h3_started_rate")["available"], false);
    assert_eq!(ind("h3_started_rate")["total"], Value::Null);
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
    problem(
        app.get("/api/v1/stats/indicators?period=2026-03", &w.receiver)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
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

//! Steering at scale (issue 14, requirement 5), in small: the generator of
//! `scripts/stats-history.sql` (1,000,000 referrals for `scripts/bench-stats.py`) run at 1,000
//! into the test database, then the three statistics GETs of a pilot: they answer 200, and
//! their figures hold together.
use chrono::{DateTime, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::support::*;
use sas_api::db::stats::{cohort, relay_cohort, CohortOf};
use sas_api::domain::stats::disclosure;
use sas_api::domain::stats::indicators::{Fact, Report};
use sas_api::domain::stats::period::Period;

const HISTORY: &str = include_str!("../../scripts/stats-history.sql");
const TERRITORY_1: &str = "00000000-0000-4000-b000-000000000001";
const RECEIVER_1_1: &str = "00000000-0000-4000-d000-000000000065";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn value(c: &Value) -> Option<u64> {
    c["value"].as_u64()
}

#[actix_web::test]
async fn a_generated_history_of_1000_referrals_gives_consistent_figures() {
    let app = TestApp::spawn_with(&[("SAS_ACCESS_TOKEN_TTL_SECONDS", "31536000")]).await;
    let sql = HISTORY.replace("__N__", "1000").replace("__T__", "2");
    app.db().batch_execute(&sql).unwrap();
    app.clock.set(at("2026-12-01T09:00:00Z"));
    let _ = app.admin().await;
    let pilot = app
        .user_token("pilote@sas.test", &["pilot"], None, Some(TERRITORY_1))
        .await;
    // 500 referrals in territory 1 over 23 months: about 65 in a quarter, 22 in a month.
    for period in ["2025-Q2", "2025-05", "2026-Q3"] {
        let q = format!("period={period}&as_of=2026-11-30");
        let f = ok(app.get(&format!("/api/v1/stats/funnel?{q}"), &pilot).await).await;
        let stages = f["stages"].as_array().unwrap();
        let total = |code: &str| {
            let s = stages.iter().find(|s| s["code"] == code).unwrap();
            value(&s["total"])
        };
        let submitted = total("submitted").expect("enough referrals to publish");
        assert!(submitted > 20, "{period}: {submitted}");
        // Each stage is a subset of the one before (duplicates count in `submitted` only).
        let chain = ["submitted", "contacted", "diagnosed"];
        for w in chain.windows(2) {
            if let (Some(a), Some(b)) = (total(w[0]), total(w[1])) {
                assert!(a >= b, "{period}: {} {a} < {} {b}", w[0], w[1]);
            }
        }
        for w in ["relayed", "accepted", "started"].windows(2) {
            if let (Some(a), Some(b)) = (total(w[0]), total(w[1])) {
                assert!(a >= b, "{period}: {} {a} < {} {b}", w[0], w[1]);
            }
        }
        // A published total is the sum of its months when none of them is hidden.
        for s in stages.iter().filter(|s| s["available"] == true) {
            let months: Vec<Option<u64>> = s["by_month"]
                .as_array()
                .unwrap()
                .iter()
                .map(value)
                .collect();
            if let (Some(t), true) = (value(&s["total"]), months.iter().all(Option::is_some)) {
                assert_eq!(
                    t,
                    months.iter().flatten().sum::<u64>(),
                    "{period} {}",
                    s["code"]
                );
            }
        }
        ok(app
            .get(&format!("/api/v1/stats/indicators?{q}"), &pilot)
            .await)
        .await;
        let csv = ok(app.get(&format!("/api/v1/stats/export?{q}"), &pilot).await).await;
        assert!(csv.as_str().unwrap().lines().count() > 1);
    }
    // Nothing published lets a hidden cell be recomputed, in every table of every scope.
    let territory = Uuid::parse_str(TERRITORY_1).unwrap();
    let tz: chrono_tz::Tz = chrono_tz::Europe::Paris;
    let q2 = Period::parse("2025-Q2").unwrap();
    let (start, end) = q2.bounds(tz);
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let until = sas_api::domain::stats::period::local_midnight(as_of.succ_opt().unwrap(), tz);
    let prescriber = Uuid::parse_str("00000000-0000-4000-c000-000000000065").unwrap();
    let receiver = Uuid::parse_str(RECEIVER_1_1).unwrap();
    let mut conn = app.db();
    let sets: Vec<Vec<Fact>> = vec![
        cohort(
            &mut conn,
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
            &mut conn,
            CohortOf::Prescriber(prescriber, territory),
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
            &mut conn,
            receiver,
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
    assert!(sets.iter().all(|s| !s.is_empty()));
    for facts in sets {
        let report = Report::new(q2, as_of, facts);
        for (published, sums) in report.all_tables() {
            assert!(disclosure::recoverable(&published, &sums).is_empty());
        }
    }
}

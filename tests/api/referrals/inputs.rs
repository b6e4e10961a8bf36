//! Bad input gets a clear answer and loses nothing: minors, dates, junk bodies from the roles
//! that reach the referral routes, and a failure injected after the first write.
use diesel::connection::SimpleConnection;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::*;

#[actix_web::test]
async fn a_minor_s_legal_representative_must_have_been_informed() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let mut minor = referral("Noé", "Petit", "2010-01-01", "0611111111", None);
    minor["youth"]["legal_representative"] =
        json!({"name": "Mme Petit", "phone": "07 22 33 44 55"});
    let res = app.post("/api/v1/referrals", &w.prescriber, &minor).await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [(
            "youth.legal_representative.informed_on".into(),
            "required".into()
        )]
    );
    minor["youth"]["legal_representative"]["informed_on"] = json!("2026-03-03");
    let res = app.post("/api/v1/referrals", &w.prescriber, &minor).await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [(
            "youth.legal_representative.informed_on".into(),
            "in_future".into()
        )]
    );
    minor["youth"]["legal_representative"]["informed_on"] = json!("2026-02-27");
    let r = refer(&app, &w.prescriber, &minor).await;
    assert_eq!(
        r["youth"]["legal_representative"]["informed_on"],
        "2026-02-27"
    );
}

#[actix_web::test]
async fn dates_far_out_of_range_are_a_422_never_a_500() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let far = "-5000-01-01";
    let cases: Vec<(Value, &str)> = {
        let mut v = Vec::new();
        let mut b = adult();
        b["consent"]["informed_at"] = json!(format!("{far}T00:00:00Z"));
        v.push((b, "consent.informed_at"));
        let mut b = referral("Noé", "Petit", "2010-01-01", "0611111111", None);
        b["youth"]["legal_representative"] =
            json!({"name": "Mme Petit", "phone": "0722334455", "informed_on": far});
        v.push((b, "youth.legal_representative.informed_on"));
        let mut b = adult();
        b["youth"]["birth_date"] = json!(far);
        v.push((b, "youth.birth_date"));
        let mut b = adult();
        b["exit_date"] = json!("+20000-01-01");
        v.push((b, "exit_date"));
        let mut b = adult();
        b["exit_date"] = json!("2101-01-01");
        v.push((b, "exit_date"));
        v
    };
    for (body, field) in cases {
        let res = app.post("/api/v1/referrals", &w.prescriber, &body).await;
        let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(
            field_codes(&b).contains(&(field.to_string(), "date_out_of_range".to_string())),
            "{field}: {b}"
        );
    }
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    // The same bounds on a correction and on a new consent record.
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/referrals/{rid}"),
            Some(&w.prescriber),
        )
        .header("if-match", "*")
        .json(&json!({"exit_date": far}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post(
            &format!("/api/v1/referrals/{rid}/consent"),
            &w.counsellor,
            &json!({"informed_at": format!("{far}T00:00:00Z"), "informed_by": "X", "method": "oral", "agreed": []}),
        )
        .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("informed_at".into(), "date_out_of_range".into())]
    );
    // A far birth date in the queue search is just not found.
    let res = app
        .get(&format!("/api/v1/referrals?q={far}"), &w.counsellor)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["items"], json!([]));
    assert_eq!(count(&app, "SELECT count(*) AS n FROM referrals"), 1);
}

#[actix_web::test]
async fn no_referral_route_answers_a_500_to_junk_from_the_roles_that_reach_it() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let rid = id(&refer(&app, &w.prescriber, &adult()).await);
    let spec = app.spec().await;
    let bodies = [
        "",
        "null",
        "[]",
        "{}",
        "\"x\"",
        "{\"a\":",
        "1e999",
        "{\"to\": 3}",
        "{\"to\": \"closed\", \"outcome\": \"nope\"}",
        "{\"youth\": {}}",
        "{\"informed_at\": \"x\"}",
    ];
    let mut reached = 0;
    for (role, token) in [("prescriber", &w.prescriber), ("counsellor", &w.counsellor)] {
        for (path, item) in spec["paths"].as_object().unwrap() {
            if !path.starts_with("/api/v1/referrals") {
                continue;
            }
            for method in ["post", "put", "patch"] {
                if item.get(method).is_none() {
                    continue;
                }
                let p = path.replace("{id}", &rid).replace("{consent_id}", &rid);
                for body in bodies {
                    for if_match in ["\"1\"", "*"] {
                        let res = app
                            .req(method.parse().unwrap(), &p, Some(token))
                            .header("content-type", "application/json")
                            .header("if-match", if_match)
                            .body(body)
                            .send()
                            .await
                            .unwrap();
                        let status = res.status();
                        assert!(
                            status.is_client_error() || status.is_success(),
                            "{role} {method} {p} {body:?}: {status}"
                        );
                        // Junk reaches the body rules: the role check did not stop it.
                        if status != StatusCode::FORBIDDEN {
                            reached += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        reached > 60,
        "{reached} junk requests reached a referral body parser"
    );
}

#[actix_web::test]
async fn a_creation_that_fails_after_its_first_write_leaves_nothing_behind_and_can_be_retried() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    // The failure: the last write of a creation (its first event) is refused by the database,
    // after the youth, the referral and the consent record were written.
    let mut conn = app.db();
    conn.batch_execute(
        "CREATE FUNCTION fail_now() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN RAISE EXCEPTION 'injected failure'; END $$; \
         CREATE TRIGGER inject BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_now()",
    )
    .unwrap();
    let send = || {
        app.req(Method::POST, "/api/v1/referrals", Some(&w.prescriber))
            .header("idempotency-key", "retry-me")
            .json(&adult())
            .send()
    };
    let res = send().await.unwrap();
    problem(res, StatusCode::INTERNAL_SERVER_ERROR, "internal_error").await;
    for table in [
        "youths",
        "referrals",
        "consent_records",
        "events",
        "access_logs",
        "idempotency_keys",
    ] {
        assert_eq!(
            count(&app, &format!("SELECT count(*) AS n FROM {table}")),
            0,
            "{table}"
        );
    }
    conn.batch_execute("DROP TRIGGER inject ON events").unwrap();
    let res = send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("idempotent-replayed").is_none());
    for table in ["youths", "referrals", "consent_records", "events"] {
        assert_eq!(
            count(&app, &format!("SELECT count(*) AS n FROM {table}")),
            1,
            "{table}"
        );
    }
}

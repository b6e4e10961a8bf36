//! Identify: referring, scope, the queue's order and search, taking and handing over,
//! corrections, idempotency, access logs.
use diesel::RunQueryDsl;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::*;

#[actix_web::test]
async fn a_prescriber_refers_an_adult_who_lands_in_the_territory_queue() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    assert_eq!(r["status"], "submitted");
    assert_eq!(r["channel"], "institutional");
    assert_eq!(r["territory_id"], w.territory_id);
    assert_eq!(r["youth"]["phone"], "+33612345678", "normalised to E.164");
    assert_eq!(r["youth"]["commune_name"], "Lyon 3e Arrondissement");
    assert_eq!(r["youth"]["age"], 26);
    assert_eq!(r["days_to_exit"], 89);
    assert_eq!(r["urgent"], false);
    assert!(
        r.get("possible_duplicate").is_none(),
        "never shown to a prescriber"
    );
    assert_eq!(r["prescriber_structure"]["id"], w.prescriber_id);

    let queue: Value = app
        .get("/api/v1/referrals", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"][0]["id"], r["id"]);
    assert_eq!(queue["items"][0]["possible_duplicate"], false);

    // One transaction wrote the youth, the referral, the consent record and the first event.
    let events: Value = app
        .get(
            &format!("/api/v1/referrals/{}/events", r["id"].as_str().unwrap()),
            &w.counsellor,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["items"][0]["kind"], "created");
    assert_eq!(events["items"][0]["to_status"], "submitted");
    assert_eq!(events["items"][0]["code"], "ase_exit");
    assert_eq!(
        r["consent"]["agreed"],
        json!(["sas_contact", "share_with_receiver"])
    );
}

#[actix_web::test]
async fn a_minor_needs_a_legal_representative() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let mut minor = referral("Noé", "Petit", "2010-01-01", "0611111111", None);
    let res = app.post("/api/v1/referrals", &w.prescriber, &minor).await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [(
            "youth.legal_representative".into(),
            "legal_representative_required".into()
        )]
    );

    minor["youth"]["legal_representative"] =
        json!({"name": "Mme Petit", "phone": "07 22 33 44 55", "informed_on": "2026-02-27"});
    let r = refer(&app, &w.prescriber, &minor).await;
    assert_eq!(r["youth"]["age"], 16);
    assert_eq!(r["youth"]["legal_representative"]["phone"], "+33722334455");
}

#[actix_web::test]
async fn every_validation_rule_answers_422_with_its_field_and_code() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let cases: Vec<(Value, &str, &str)> = {
        let mut v = Vec::new();
        let mut b = adult();
        b["youth"]["birth_date"] = json!("2012-01-01");
        v.push((b, "youth.birth_date", "age_out_of_range"));
        let mut b = adult();
        b["youth"]["birth_date"] = json!("1990-01-01");
        v.push((b, "youth.birth_date", "age_out_of_range"));
        let mut b = adult();
        b["youth"]["phone"] = json!("06 12");
        v.push((b, "youth.phone", "invalid_phone"));
        let mut b = adult();
        b["youth"]["email"] = json!("lea@");
        v.push((b, "youth.email", "invalid_email"));
        let mut b = adult();
        b["youth"]["commune_insee"] = json!("99999");
        v.push((b, "youth.commune_insee", "unknown_commune"));
        let mut b = adult();
        b["youth"]["commune_insee"] = json!("75056");
        v.push((b, "youth.commune_insee", "commune_not_served"));
        let mut b = adult();
        b["needs"] = json!(["pas-une-thematique"]);
        v.push((b, "needs[0]", "unknown_thematique"));
        let mut b = adult();
        b["consent"]["agreed"] = json!(["share_with_receiver"]);
        v.push((b, "consent.agreed", "consent_required"));
        let mut b = adult();
        b["reason_code"] = json!("other");
        v.push((b, "reason_text", "required"));
        let mut b = adult();
        b["exit_date"] = json!("2028-01-01");
        v.push((b, "exit_date", "exit_date_out_of_range"));
        let mut b = adult();
        b["youth"]["phone"] = Value::Null;
        b["youth"]["contact_channels"] = json!([]);
        v.push((b, "youth.phone", "no_contact"));
        let mut b = adult();
        b["consent"]["informed_at"] = json!("2026-04-01T00:00:00Z");
        v.push((b, "consent.informed_at", "in_future"));
        v
    };
    for (body, field, code) in cases {
        let res = app.post("/api/v1/referrals", &w.prescriber, &body).await;
        let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(
            field_codes(&b).contains(&(field.to_string(), code.to_string())),
            "{field} {code} in {b}"
        );
    }
    // Nothing half-written.
    assert_eq!(count(&app, "SELECT count(*) AS n FROM youths"), 0);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM referrals"), 0);
    // A client cannot choose its status or structure.
    let mut smuggled = adult();
    smuggled["status"] = json!("diagnosis");
    problem(
        app.post("/api/v1/referrals", &w.prescriber, &smuggled)
            .await,
        StatusCode::BAD_REQUEST,
        "unknown_field",
    )
    .await;
}

#[actix_web::test]
async fn only_prescribers_refer_and_only_staff_in_scope_read() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for token in [&w.counsellor, &w.receiver, &w.pilot, &w.admin] {
        problem(
            app.post("/api/v1/referrals", token, &adult()).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();
    for token in [&w.receiver, &w.pilot, &w.admin] {
        problem(
            app.get("/api/v1/referrals", token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        // An administrator reads one referral only with a reason (issue 15:
        // tests/api/privacy.rs); receivers and pilots never.
        let (status, code) = if token == &w.admin {
            (StatusCode::UNPROCESSABLE_ENTITY, "reason_required")
        } else {
            (StatusCode::FORBIDDEN, "forbidden")
        };
        problem(
            app.get(&format!("/api/v1/referrals/{id}"), token).await,
            status,
            code,
        )
        .await;
    }
}

#[actix_web::test]
async fn a_prescriber_of_another_structure_and_a_counsellor_of_another_territory_find_nothing() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (p2, c2) = elsewhere(&app).await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();
    for token in [&p2, &c2] {
        problem(
            app.get(&format!("/api/v1/referrals/{id}"), token).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        problem(
            app.get(&format!("/api/v1/referrals/{id}/events"), token)
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        problem(
            take(&app, token, id).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        let list: Value = app
            .get("/api/v1/referrals", token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["items"], json!([]));
    }
    let res = app
        .req(Method::PATCH, &format!("/api/v1/referrals/{id}"), Some(&p2))
        .header("if-match", "\"1\"")
        .json(&json!({"exit_date": "2026-04-01"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // A prescriber never learns another structure referred the same youth.
    let again = refer(&app, &p2, &adult()).await;
    assert!(again.get("possible_duplicate").is_none());
    assert_eq!(again["territory_id"], w.territory_id);
}

#[actix_web::test]
async fn the_queue_puts_urgent_exits_first_and_its_cursor_survives_new_arrivals() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["youth"]["first_name"].as_str().unwrap().to_string())
            .collect()
    };
    refer(
        &app,
        &w.prescriber,
        &referral("Sans", "Date", "2000-01-01", "0611000001", None),
    )
    .await;
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Loin",
            "Tard",
            "2000-01-01",
            "0611000002",
            Some("2026-09-01"),
        ),
    )
    .await;
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Passé",
            "Urgent",
            "2000-01-01",
            "0611000003",
            Some("2026-02-01"),
        ),
    )
    .await;
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Bientôt",
            "Urgent",
            "2000-01-01",
            "0611000004",
            Some("2026-03-20"),
        ),
    )
    .await;

    let first: Value = app
        .get("/api/v1/referrals?limit=2", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&first), ["Passé", "Bientôt"]);
    assert_eq!(first["items"][0]["urgent"], true);
    assert_eq!(first["items"][0]["days_to_exit"], -29);
    assert_eq!(first["items"][1]["days_to_exit"], 18);

    // New referrals arrive, one sorting before the cursor, one after.
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Nouveau",
            "Urgent",
            "2000-01-01",
            "0611000005",
            Some("2026-03-05"),
        ),
    )
    .await;
    refer(
        &app,
        &w.prescriber,
        &referral(
            "Nouveau",
            "Tard",
            "2000-01-01",
            "0611000006",
            Some("2026-08-01"),
        ),
    )
    .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/referrals?limit=10&cursor={cursor}"),
            &w.counsellor,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        names(&second),
        ["Nouveau", "Loin", "Sans"],
        "no repeat, no skip, nulls last"
    );
    assert!(second["next_cursor"].is_null());

    let urgent: Value = app
        .get("/api/v1/referrals?urgent=true", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&urgent), ["Passé", "Nouveau", "Bientôt"]);
    let calm: Value = app
        .get("/api/v1/referrals?urgent=false", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&calm), ["Nouveau", "Loin", "Sans"]);
}

#[actix_web::test]
async fn the_queue_is_searched_by_name_birth_date_or_phone() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    refer(&app, &w.prescriber, &adult()).await;
    refer(
        &app,
        &w.prescriber,
        &referral("Hugo", "Bernard", "1999-07-14", "0622222222", None),
    )
    .await;
    for (q, expected) in [
        ("martin", "Léa"),
        ("LÉA%20MAR", "Léa"),
        ("14/07/1999", "Hugo"),
        ("1999-07-14", "Hugo"),
        ("06%2022%2022%2022%2022", "Hugo"),
    ] {
        let v: Value = app
            .get(&format!("/api/v1/referrals?q={q}"), &w.counsellor)
            .await
            .json()
            .await
            .unwrap();
        let items = v["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{q}: {v}");
        assert_eq!(items[0]["youth"]["first_name"], expected, "{q}");
    }
}

#[actix_web::test]
async fn two_counsellors_taking_at_once_get_one_success_and_one_conflict() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let c_other = app
        .user_token("c3@sas.test", &["counsellor"], Some(&w.team_id), None)
        .await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();
    let (a, b) =
        futures_util::future::join(take(&app, &w.counsellor, id), take(&app, &c_other, id)).await;
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    // DOMAIN.md: a second counsellor taking the same one gets 409.
    let body = problem(loser, StatusCode::CONFLICT, "already_taken").await;
    assert_eq!(
        body["allowed_transitions"],
        json!(["submitted", "unreachable", "on_hold", "closed"]),
        "{body}"
    );
    assert_eq!(count(&app, &format!("SELECT count(*) AS n FROM events WHERE referral_id = '{id}' AND kind = 'status_changed'")), 1);
}

#[actix_web::test]
async fn a_counsellor_takes_releases_and_hands_over_a_referral() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let colleague = app
        .user_token("c3@sas.test", &["counsellor"], Some(&w.team_id), None)
        .await;
    let me: Value = app
        .get("/api/v1/me", &colleague)
        .await
        .json()
        .await
        .unwrap();
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();

    let taken: Value = take(&app, &w.counsellor, id).await.json().await.unwrap();
    assert_eq!(taken["status"], "contacting");
    assert_eq!(taken["assigned_counsellor"]["name"], "Test User");
    let mine: Value = app
        .get("/api/v1/referrals?assigned_to_me=true", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let theirs: Value = app
        .get("/api/v1/referrals?assigned_to_me=true", &colleague)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));

    let assign = |token: &str, body: Value, v: &str| {
        app.req(
            Method::POST,
            &format!("/api/v1/referrals/{id}/assign"),
            Some(token),
        )
        .header("if-match", v.to_string())
        .json(&body)
        .send()
    };
    let res = assign(&w.counsellor, json!({"counsellor_id": me["id"]}), "\"2\"")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let theirs: Value = app
        .get("/api/v1/referrals?assigned_to_me=true", &colleague)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"][0]["id"], id);
    // Not to someone outside the team.
    let prescriber_me: Value = app
        .get("/api/v1/me", &w.prescriber)
        .await
        .json()
        .await
        .unwrap();
    let res = assign(
        &w.counsellor,
        json!({"counsellor_id": prescriber_me["id"]}),
        "*",
    )
    .await
    .unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let released: Value = transit(
        &app,
        &colleague,
        id,
        json!({"to": "submitted"}),
        Some("\"3\""),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(released["status"], "submitted");
    assert!(released.get("assigned_counsellor").is_none());

    let events: Value = app
        .get(&format!("/api/v1/referrals/{id}/events"), &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<(&str, Option<&str>)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["to_status"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("created", Some("submitted")),
            ("status_changed", Some("contacting")),
            ("assigned", None),
            ("status_changed", Some("submitted"))
        ]
    );
    // The prescriber sees the timeline but not who acted at SAS.
    let seen: Value = app
        .get(&format!("/api/v1/referrals/{id}/events"), &w.prescriber)
        .await
        .json()
        .await
        .unwrap();
    assert!(seen["items"][0]["actor"].is_object(), "their own action");
    assert!(seen["items"][1]["actor"].is_null());
}

#[actix_web::test]
async fn illegal_transitions_name_what_is_allowed() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();
    let res = transit(
        &app,
        &w.counsellor,
        id,
        json!({"to": "diagnosis"}),
        Some("*"),
    )
    .await;
    let body = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
    assert_eq!(body["allowed_transitions"], json!(["contacting", "closed"]));
    let res = transit(
        &app,
        &w.prescriber,
        id,
        json!({"to": "contacting"}),
        Some("*"),
    )
    .await;
    let body = problem(res, StatusCode::CONFLICT, "illegal_transition").await;
    assert_eq!(body["allowed_transitions"], json!(["closed"]), "withdrawn");
    // Negative outcomes need a reason.
    let res = transit(
        &app,
        &w.counsellor,
        id,
        json!({"to": "closed", "outcome": "moved_away"}),
        Some("*"),
    )
    .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [("reason".into(), "reason_required".into())]
    );
}

#[actix_web::test]
async fn a_prescriber_corrects_or_withdraws_only_until_a_counsellor_takes_it() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let r = refer(&app, &w.prescriber, &adult()).await;
    let id = r["id"].as_str().unwrap();
    let path = format!("/api/v1/referrals/{id}");
    let patch = |token: &str, if_match: Option<&str>, body: Value| {
        let mut req = app.req(Method::PATCH, &path, Some(token)).json(&body);
        if let Some(v) = if_match {
            req = req.header("if-match", v.to_string());
        }
        req.send()
    };
    problem(
        patch(&w.prescriber, None, json!({"exit_date": "2026-03-10"}))
            .await
            .unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    let res = patch(
        &w.prescriber,
        Some("\"1\""),
        json!({"exit_date": "2026-03-10"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fixed: Value = res.json().await.unwrap();
    assert_eq!(
        (fixed["urgent"].as_bool(), fixed["version"].as_i64()),
        (Some(true), Some(2))
    );
    problem(
        patch(&w.prescriber, Some("\"1\""), json!({"needs": []}))
            .await
            .unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    let res = patch(&w.prescriber, Some("\"2\""), json!({"youth": {"first_name": "Léa", "last_name": "Martin", "birth_date": "2015-01-01", "commune_insee": "69383", "phone": "0612345678"}})).await.unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    take(&app, &w.counsellor, id).await;
    // Taken meanwhile: the state is checked before the version.
    problem(
        patch(&w.prescriber, Some("\"2\""), json!({"needs": []}))
            .await
            .unwrap(),
        StatusCode::CONFLICT,
        "not_editable",
    )
    .await;
    // DOMAIN.md: the prescriber withdraws from submitted and contacting, not later.
    let withdraw = json!({"to": "closed", "outcome": "withdrawn", "reason": "Le jeune a trouvé une formation"});
    let r2 = refer(
        &app,
        &w.prescriber,
        &referral("Tom", "Blanc", "2001-01-01", "0633333333", None),
    )
    .await;
    for (referral, from) in [
        (id.to_string(), "contacting"),
        (super::id(&r2), "submitted"),
    ] {
        let res = transit(&app, &w.prescriber, &referral, withdraw.clone(), Some("*")).await;
        assert_eq!(res.status(), StatusCode::OK, "from {from}");
        let closed: Value = res.json().await.unwrap();
        assert_eq!(
            (closed["status"].as_str(), closed["outcome"].as_str()),
            (Some("closed"), Some("withdrawn"))
        );
    }
}

#[actix_web::test]
async fn a_retry_with_the_same_idempotency_key_gets_the_same_answer() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let send = |body: Value, key: &'static str| {
        app.req(Method::POST, "/api/v1/referrals", Some(&w.prescriber))
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = send(adult(), "k-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let a: Value = first.json().await.unwrap();
    let again = send(adult(), "k-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let b: Value = again.json().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM referrals"), 1);

    let mut other = adult();
    other["exit_date"] = json!("2026-04-01");
    let res = send(other, "k-1").await.unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(field_codes(&body)[0].1, "idempotency_key_reused");

    // After 24 hours the key is forgotten (a new login: the old access token expired too).
    app.clock.advance(chrono::Duration::hours(25));
    let fresh = app.login("p@sas.test", PASSWORD).await;
    let res = app
        .req(Method::POST, "/api/v1/referrals", Some(&fresh))
        .header("idempotency-key", "k-1")
        .json(&adult())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("idempotent-replayed").is_none());
    assert_eq!(count(&app, "SELECT count(*) AS n FROM referrals"), 2);
}

#[actix_web::test]
async fn parallel_retries_with_one_key_create_one_referral() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let send = || {
        app.req(Method::POST, "/api/v1/referrals", Some(&w.prescriber))
            .header("idempotency-key", "parallel")
            .json(&adult())
            .send()
    };
    let results = futures_util::future::join_all((0..4).map(|_| send())).await;
    let mut ids = Vec::new();
    for r in results {
        let r = r.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM referrals"), 1);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM events"), 1);
}

#[actix_web::test]
async fn every_read_of_youth_data_is_logged_one_row_per_youth() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for i in 0..3 {
        refer(
            &app,
            &w.prescriber,
            &referral(
                "Jeune",
                &format!("N{i}"),
                "2000-01-01",
                &format!("061100000{i}"),
                None,
            ),
        )
        .await;
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'create'"
        ),
        3
    );
    let page: Value = app
        .get("/api/v1/referrals?limit=2", &w.counsellor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'list'"
        ),
        2
    );
    app.get(
        &format!(
            "/api/v1/referrals/{}",
            page["items"][0]["id"].as_str().unwrap()
        ),
        &w.counsellor,
    )
    .await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM access_logs WHERE action = 'read'"
        ),
        1
    );
    // The logs and events are append-only, in the database itself.
    let mut conn = app.db();
    assert!(diesel::sql_query("DELETE FROM access_logs")
        .execute(&mut conn)
        .is_err());
    assert!(diesel::sql_query("UPDATE events SET kind = 'x'")
        .execute(&mut conn)
        .is_err());
}

#[actix_web::test]
async fn a_partner_system_refers_through_the_api() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let client = app
        .create(
            "/api/v1/api-clients",
            json!({"name": "SI ASE", "structure_id": w.prescriber_id, "roles": ["prescriber"]}),
        )
        .await;
    let t: Value = app
        .token_request(&json!({"grant_type": "client_credentials", "client_id": client["client_id"], "client_secret": client["client_secret"]}))
        .await
        .json()
        .await
        .unwrap();
    let r = refer(&app, t["access_token"].as_str().unwrap(), &adult()).await;
    let seen: Value = app
        .get(
            &format!("/api/v1/referrals/{}", r["id"].as_str().unwrap()),
            &w.prescriber,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen["id"], r["id"],
        "the structure's people see what its system referred"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM events WHERE actor_client_id IS NOT NULL"
        ),
        1
    );
}

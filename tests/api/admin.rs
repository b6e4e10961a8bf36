use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

#[actix_web::test]
async fn a_territory_built_from_an_epci_serves_its_communes_and_arrondissements() {
    let app = TestApp::spawn().await;
    let t = app
        .create(
            "/api/v1/territories",
            json!({"name": "Métropole de Lyon", "epcis": ["200046977"]}),
        )
        .await;
    assert_eq!(
        t["communes_count"],
        58 + 9,
        "58 communes and Lyon's 9 arrondissements"
    );
    assert_eq!(t["time_zone"], "Europe/Paris");
    assert_eq!(
        t["unreachable_rule"],
        json!({"min_attempts": 5, "min_days": 21, "min_channels": 2})
    );

    let admin = app.admin().await;
    let lyon3: Value = app
        .get("/api/v1/communes/69383", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lyon3["territory_id"], t["id"]);
    assert_eq!(lyon3["parent_insee"], "69123");
    let listed: Value = app
        .get(
            &format!(
                "/api/v1/communes?territory_id={}&limit=100",
                t["id"].as_str().unwrap()
            ),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 67);
}

#[actix_web::test]
async fn a_commune_belongs_to_one_territory_at_most() {
    let app = TestApp::spawn().await;
    app.territory("Villeurbanne", &["69266"]).await;
    let admin = app.admin().await;
    let res = app
        .admin_post(
            "/api/v1/territories",
            &admin,
            &json!({"name": "Autre", "communes": ["69266", "69001"]}),
        )
        .await;
    let body = problem(res, StatusCode::CONFLICT, "commune_already_served").await;
    assert!(body["detail"].as_str().unwrap().contains("69266"));
    // Nothing half-written: the territory was not created.
    let page: Value = app
        .get("/api/v1/territories?q=Autre", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"], json!([]));
}

#[actix_web::test]
async fn territory_inputs_are_validated() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .admin_post(
            "/api/v1/territories",
            &admin,
            &json!({"name": " ", "time_zone": "Mars/Olympus", "unreachable_rule": {"min_attempts": 0, "min_days": 21, "min_channels": 2}}),
        )
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let codes = field_codes(&body);
    for expected in [
        ("name", "required"),
        ("time_zone", "invalid_time_zone"),
        ("unreachable_rule.min_attempts", "out_of_range"),
    ] {
        assert!(
            codes.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {codes:?}"
        );
    }
    let res = app
        .admin_post(
            "/api/v1/territories",
            &admin,
            &json!({"name": "X", "communes": ["99999"]}),
        )
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [("communes".to_string(), "unknown_commune".to_string())]
    );
    app.territory("Pris", &[]).await;
    let res = app
        .admin_post("/api/v1/territories", &admin, &json!({"name": "pris"}))
        .await;
    problem(res, StatusCode::CONFLICT, "territory_name_taken").await;
}

#[actix_web::test]
async fn a_territory_update_needs_the_version_read() {
    let app = TestApp::spawn().await;
    let t = app.territory("Nord", &["69266"]).await;
    let admin = app.admin().await;
    let path = format!("/api/v1/territories/{}", t["id"].as_str().unwrap());
    let res = app.get(&path, &admin).await;
    assert_eq!(res.headers().get("etag").unwrap(), "\"1\"");

    let patch = |if_match: Option<&'static str>, body: Value| {
        let mut r = app
            .req(Method::PATCH, &path, Some(&admin))
            .json(&with_reason(body));
        if let Some(v) = if_match {
            r = r.header("if-match", v);
        }
        r.send()
    };
    problem(
        patch(None, json!({"name": "Nord-Est"})).await.unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
        "if_match_required",
    )
    .await;
    problem(
        patch(Some("\"7\""), json!({"name": "Nord-Est"}))
            .await
            .unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;

    let res = patch(
        Some("\"1\""),
        json!({"name": "Nord-Est", "add_communes": ["69123"], "remove_communes": ["69266"]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("etag").unwrap(), "\"2\"");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["name"], "Nord-Est");
    assert_eq!(
        body["communes_count"],
        1 + 9,
        "Lyon and its arrondissements"
    );
    // The same stale version cannot be used twice.
    problem(
        patch(Some("\"1\""), json!({"name": "Sud"})).await.unwrap(),
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
}

#[actix_web::test]
async fn a_structure_is_checked_against_the_vocabularies_and_the_siret_key() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .admin_post(
            "/api/v1/structures",
            &admin,
            &json!({"name": "X", "kind": "NOPE", "siret": "77990868300033", "postal_code": "6900",
                    "commune_insee": "00000", "email": "pas un email", "website": "ftp://x",
                    "reseaux_porteurs": ["pas-un-reseau"], "sas_team": true, "latitude": 45.0}),
        )
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let codes = field_codes(&body);
    for expected in [
        ("kind", "unknown_kind"),
        ("siret", "invalid_siret"),
        ("postal_code", "invalid_postal_code"),
        ("email", "invalid_email"),
        ("website", "invalid_url"),
        ("reseaux_porteurs[0]", "unknown_code"),
        ("territory_id", "required"),
        ("longitude", "coordinates_pair"),
    ] {
        assert!(
            codes.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {codes:?}"
        );
    }
    let res = app
        .admin_post(
            "/api/v1/structures",
            &admin,
            &json!({"name": "X", "kind": "ML", "commune_insee": "00000"}),
        )
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [("commune_insee".to_string(), "unknown_commune".to_string())]
    );
}

#[actix_web::test]
async fn a_valid_structure_is_created_with_the_communes_coordinates_and_a_sensitive_kind_is_flagged(
) {
    let app = TestApp::spawn().await;
    let s = app
        .structure(json!({"name": "  SPIP   du Rhône ", "kind": "SPIP", "siret": "77990868300039", "commune_insee": "69387",
                          "prescriber": true, "reseaux_porteurs": ["ase"]}))
        .await;
    assert_eq!(s["name"], "SPIP du Rhône");
    assert_eq!(
        s["sensitive"], true,
        "a SPIP's name reveals a judicial measure"
    );
    assert!(s["latitude"].as_f64().unwrap() > 45.0);
    assert_eq!(s["version"], 1);
}

#[actix_web::test]
async fn removing_a_flag_still_used_by_accounts_is_refused() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let path = format!("/api/v1/structures/{}", w.prescriber_id);
    let res = app
        .req(Method::PUT, &path, Some(&w.admin))
        .header("if-match", "\"1\"")
        .json(&with_reason(
            json!({"name": "ASE test", "kind": "ASE", "prescriber": false}),
        ))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT, "flag_in_use").await;
    let res = app
        .req(Method::PUT, &path, Some(&w.admin))
        .header("if-match", "\"1\"")
        .json(&with_reason(
            json!({"name": "ASE du Rhône", "kind": "ASE", "prescriber": true, "receiver": true}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (
            body["name"].as_str(),
            body["receiver"].as_bool(),
            body["version"].as_i64()
        ),
        (Some("ASE du Rhône"), Some(true), Some(2))
    );
}

#[actix_web::test]
async fn user_roles_are_bounded_by_the_structure_flags() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let user = |roles: Value, structure: &str| {
        json!({"email": "n@sas.test", "first_name": "N", "last_name": "N", "password": PASSWORD,
               "roles": roles, "structure_id": structure})
    };
    let cases = [
        (
            user(json!(["counsellor"]), &w.prescriber_id),
            ("roles[0]", "role_not_allowed_by_structure"),
        ),
        (
            user(json!(["receiver"]), &w.prescriber_id),
            ("roles[0]", "role_not_allowed_by_structure"),
        ),
        (
            user(json!(["prescriber"]), &w.receiver_id),
            ("roles[0]", "role_not_allowed_by_structure"),
        ),
        (
            user(json!(["pilot"]), &w.prescriber_id),
            ("territory_id", "pilot_needs_territory"),
        ),
        (user(json!([]), &w.prescriber_id), ("roles", "required")),
    ];
    for (body, expected) in cases {
        let res = app.admin_post("/api/v1/users", &w.admin, &body).await;
        let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(
            field_codes(&b).contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {b}"
        );
    }
    let res = app
        .admin_post(
            "/api/v1/users",
            &w.admin,
            &json!({"email": "short@sas.test", "first_name": "N", "last_name": "N", "password": "short", "roles": ["admin"]}),
        )
        .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("password".to_string(), "too_short".to_string())]
    );

    // Email uniqueness ignores case.
    let res = app
        .admin_post(
            "/api/v1/users",
            &w.admin,
            &user(json!(["prescriber"]), &w.prescriber_id),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut dup = user(json!(["prescriber"]), &w.prescriber_id);
    dup["email"] = json!("N@SAS.test");
    problem(
        app.admin_post("/api/v1/users", &w.admin, &dup).await,
        StatusCode::CONFLICT,
        "email_taken",
    )
    .await;
}

#[actix_web::test]
async fn a_user_update_can_change_roles_and_password() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let s = app
        .structure(json!({"name": "ML", "kind": "ML", "prescriber": true, "receiver": true}))
        .await;
    let created = app
        .create(
            "/api/v1/users",
            json!({"email": "ml@sas.test", "first_name": "M", "last_name": "L", "password": TEMP_PASSWORD,
                   "roles": ["prescriber"], "structure_id": s["id"]}),
        )
        .await;
    let old = app.first_login("ml@sas.test").await;
    let path = format!("/api/v1/users/{}", created["id"].as_str().unwrap());
    // The user's own password change made a new version.
    let etag = app.get(&path, &w.admin).await.headers()["etag"].clone();
    assert_eq!(etag, "\"2\"");
    let res = app
        .req(Method::PATCH, &path, Some(&w.admin))
        .header("if-match", etag)
        .json(&with_reason(
            json!({"roles": ["prescriber", "receiver"], "password": "another-long-password"}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["roles"], json!(["prescriber", "receiver"]));
    assert_eq!(body["password_change_required"], true);
    // The new password lets the user in, only to replace it; the old refresh token is dead.
    let reset = app.login_full("ml@sas.test", "another-long-password").await;
    assert_eq!(reset["password_change_required"], true);
    let res = app
        .post(
            "/api/v1/me/password",
            reset["access_token"].as_str().unwrap(),
            &json!({"current_password": "another-long-password", "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fresh: Value = res.json().await.unwrap();
    let me: Value = app
        .get("/api/v1/me", fresh["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"], json!(["prescriber", "receiver"]));
    let res = app
        .token_request(
            &json!({"grant_type": "refresh_token", "refresh_token": old["refresh_token"]}),
        )
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn an_api_client_acts_as_prescriber_or_receiver_within_its_structure_flags() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for (roles, code) in [
        (json!(["admin"]), "role_not_allowed_for_client"),
        (json!(["receiver"]), "role_not_allowed_by_structure"),
    ] {
        let res = app
            .admin_post(
                "/api/v1/api-clients",
                &w.admin,
                &json!({"name": "SI", "structure_id": w.prescriber_id, "roles": roles}),
            )
            .await;
        let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(field_codes(&b)[0].1, code);
    }
}

#[actix_web::test]
async fn pages_stay_stable_when_rows_are_inserted_between_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["Bravo", "Charlie", "Delta", "Echo", "Foxtrot"] {
        app.structure(json!({"name": name, "kind": "ASSO"})).await;
    }
    let first: Value = app
        .get("/api/v1/structures?kind=ASSO&limit=2", &admin)
        .await
        .json()
        .await
        .unwrap();
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&first), ["Bravo", "Charlie"]);
    // A row sorting before the cursor arrives: the next page neither repeats nor skips.
    app.structure(json!({"name": "Alpha", "kind": "ASSO"}))
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(
            &format!("/api/v1/structures?kind=ASSO&limit=2&cursor={cursor}"),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&second), ["Delta", "Echo"]);
    let third: Value = app
        .get(
            &format!(
                "/api/v1/structures?kind=ASSO&limit=2&cursor={}",
                second["next_cursor"].as_str().unwrap()
            ),
            &admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&third), ["Foxtrot"]);
    assert!(third["next_cursor"].is_null());
}

#[actix_web::test]
async fn list_filters_combine() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let page: Value = app
        .get("/api/v1/users?role=counsellor&active=true", &w.admin)
        .await
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["c@sas.test"]);
    let page: Value = app
        .get(
            &format!(
                "/api/v1/structures?prescriber=true&territory_id={}",
                w.territory_id
            ),
            &w.admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["items"],
        json!([]),
        "the prescriber structure has no territory"
    );
    let page: Value = app
        .get(
            &format!(
                "/api/v1/structures?sas_team=true&territory_id={}",
                w.territory_id
            ),
            &w.admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], w.team_id);
}

#[actix_web::test]
async fn administration_creates_are_idempotent_too() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let send = |path: &'static str, body: Value| {
        app.req(Method::POST, path, Some(&admin))
            .header("idempotency-key", "admin-1")
            .json(&body)
            .send()
    };
    let body =
        with_reason(json!({"name": "Mission Locale Test", "kind": "ML", "prescriber": true}));
    let a = send("/api/v1/structures", body.clone()).await.unwrap();
    assert_eq!(a.status(), StatusCode::CREATED);
    assert_eq!(a.headers().get("etag").unwrap(), "\"1\"");
    let a: Value = a.json().await.unwrap();
    let b = send("/api/v1/structures", body).await.unwrap();
    assert_eq!(b.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(b.json::<Value>().await.unwrap()["id"], a["id"]);
    let page: Value = app
        .get("/api/v1/structures?q=Mission%20Locale%20Test", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    // Keys are scoped per caller and per request: the same key on another route is another body.
    let res = send("/api/v1/territories", with_reason(json!({"name": "Idem"})))
        .await
        .unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [(
            "Idempotency-Key".to_string(),
            "idempotency_key_reused".to_string()
        )]
    );
}

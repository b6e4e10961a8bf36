use super::*;

#[actix_web::test]
async fn a_receiver_creates_edits_and_publishes_its_service_through_actions_only() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    // Created as a draft, whatever the body says: status is not a field.
    let res = app
        .post(
            "/api/v1/services",
            &w.receiver,
            &service("Atelier CV", "69266", json!({"status": "published"})),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    let res = app
        .post(
            "/api/v1/services",
            &w.receiver,
            &service(
                "Atelier CV",
                "69266",
                json!({"capacity": {"available": 3, "maximum": 12}, "age_min": 16, "age_max": 25}),
            ),
        )
        .await;
    assert!(res.headers().get("location").is_some());
    let s = json_of(res, StatusCode::CREATED).await;
    assert_eq!(s["status"], "draft");
    assert_eq!(s["structure_id"], w.receiver_id.as_str());
    assert_eq!(s["capacity"]["available"], 3);
    assert_eq!(s["date_maj"], "2026-03-02");
    assert!(s["latitude"].is_number(), "the commune's position: {s}");
    let id = s["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/services/{id}");

    // Updates need the version read.
    let body = service(
        "Atelier CV et lettre",
        "69266",
        json!({"capacity": {"available": 2, "maximum": 12}}),
    );
    let res = app
        .req(Method::PUT, &path, Some(&w.receiver))
        .json(&body)
        .send()
        .await
        .expect("request");
    problem(res, StatusCode::PRECONDITION_REQUIRED, "if_match_required").await;
    problem(
        app.put_json(&path, &w.receiver, "\"7\"", &body).await,
        StatusCode::PRECONDITION_FAILED,
        "stale_version",
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(10));
    let s = json_of(
        app.put_json(&path, &w.receiver, "\"1\"", &body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (s["version"].as_i64(), s["nom"].as_str()),
        (Some(2), Some("Atelier CV et lettre"))
    );
    assert_eq!(
        s["capacity"]["updated_at"], "2026-03-02T09:10:00Z",
        "new figures are dated"
    );

    // Publication is an action; the owner suspends and archives, only an admin restores.
    let s = json_of(
        app.action(&format!("{path}/publish"), &w.receiver, "\"2\"")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["status"], "published");
    let p = problem(
        app.action(&format!("{path}/publish"), &w.receiver, "*")
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(p["allowed_transitions"], json!(["suspend", "archive"]));
    let s = json_of(
        app.action(&format!("{path}/suspend"), &w.receiver, "\"3\"")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["status"], "suspended");
    let s = json_of(
        app.action(&format!("{path}/archive"), &w.receiver, "*")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["status"], "archived");
    let p = problem(
        app.action(&format!("{path}/publish"), &w.receiver, "*")
            .await,
        StatusCode::CONFLICT,
        "illegal_transition",
    )
    .await;
    assert_eq!(p["allowed_transitions"], json!([]));
    let s = json_of(
        app.action(&format!("{path}/publish"), &w.admin, "*").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (s["status"].as_str(), s["version"].as_i64()),
        (Some("published"), Some(6))
    );

    // Every change is in the service's history, with its actor.
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct K {
        #[diesel(sql_type = diesel::sql_types::Text)]
        kind: String,
    }
    let kinds: Vec<String> = diesel::sql_query("SELECT kind FROM service_events ORDER BY id")
        .load::<K>(&mut app.db())
        .expect("events")
        .into_iter()
        .map(|k| k.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "updated",
            "published",
            "suspended",
            "archived",
            "published"
        ]
    );
    let res = diesel::sql_query("DELETE FROM service_events").execute(&mut app.db());
    assert!(res.is_err(), "the history is append-only");
}

#[actix_web::test]
async fn services_are_out_of_reach_of_other_structures_and_roles() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let s = json_of(
        app.post(
            "/api/v1/services",
            &w.receiver,
            &service("Atelier", "69266", json!({})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/v1/services/{}", s["id"].as_str().expect("id"));
    let other = app
        .structure(json!({"name": "Autre accueil", "kind": "ASSO", "receiver": true}))
        .await;
    let other_id = other["id"].as_str().expect("id");
    let stranger = app
        .user_token("o@sas.test", &["receiver"], Some(other_id), None)
        .await;
    problem(
        app.get(&path, &stranger).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.action(&format!("{path}/publish"), &stranger, "*").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let list = json_of(app.get("/api/v1/services", &stranger).await, StatusCode::OK).await;
    assert_eq!(list["items"], json!([]));
    for t in [&w.prescriber, &w.counsellor, &w.pilot] {
        problem(app.get(&path, t).await, StatusCode::FORBIDDEN, "forbidden").await;
        problem(
            app.post(
                "/api/v1/services",
                t,
                &service("Service X", "69266", json!({})),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // A receiver writes for its own structure only; an administrator names the structure.
    let res = app
        .post(
            "/api/v1/services",
            &stranger,
            &service("Service X", "69266", json!({"structure_id": w.receiver_id})),
        )
        .await;
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&p),
        [("structure_id".to_string(), "not_your_structure".to_string())]
    );
    let p = problem(
        app.post(
            "/api/v1/services",
            &w.admin,
            &service("Service X", "69266", json!({})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [("structure_id".to_string(), "required".to_string())]
    );
    let s = json_of(
        app.post(
            "/api/v1/services",
            &w.admin,
            &service("Service X", "69266", json!({"structure_id": other_id})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(s["structure_id"], other_id);
    let list = json_of(app.get("/api/v1/services", &stranger).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let all = json_of(
        app.get("/api/v1/services?limit=1", &w.admin).await,
        StatusCode::OK,
    )
    .await;
    let next = all["next_cursor"].as_str().expect("a second page");
    let rest = json_of(
        app.get(&format!("/api/v1/services?limit=1&cursor={next}"), &w.admin)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(all["items"][0]["id"], rest["items"][0]["id"]);
}

#[actix_web::test]
async fn every_vocabulary_and_zone_is_checked_and_nothing_is_written_on_refusal() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let body = service(
        "Atelier",
        "99999",
        json!({
            "thematiques": ["emploi"], "publics": ["jeunes", "ados"], "type": "atelier",
            "zone_eligibilite": ["69", "38", "R84", "99999", "Lyon", "R99"],
            "age_min": 30, "age_max": 18, "mobilisable_par": ["robots"],
            "capacity": {"available": 10, "maximum": 5},
        }),
    );
    let p = problem(
        app.post("/api/v1/services", &w.receiver, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let got = field_codes(&p);
    for want in [
        ("thematiques[0]", "unknown_code"),
        ("publics[1]", "unknown_code"),
        ("mobilisable_par[0]", "unknown_code"),
        ("zone_eligibilite[4]", "invalid_zone"),
        ("age_max", "age_range"),
        ("capacity.available", "above_maximum"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {got:?}"
        );
    }
    // Shapes right, but no such commune or région.
    let body = service(
        "Atelier",
        "99999",
        json!({"zone_eligibilite": ["69", "69999", "R99", "200046977"]}),
    );
    let p = problem(
        app.post("/api/v1/services", &w.receiver, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut got = field_codes(&p);
    got.sort();
    assert_eq!(
        got,
        [
            ("code_insee".to_string(), "unknown_commune".to_string()),
            ("zone_eligibilite[1]".into(), "unknown_zone".into()),
            ("zone_eligibilite[2]".into(), "unknown_zone".into()),
        ]
    );
    let list = json_of(
        app.get("/api/v1/services", &w.receiver).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"], json!([]));
    // Publishing needs a reception mode.
    let s = json_of(
        app.post(
            "/api/v1/services",
            &w.receiver,
            &service("Atelier", "69266", json!({"modes_accueil": []})),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let p = problem(
        app.action(
            &format!("/api/v1/services/{}/publish", s["id"].as_str().expect("id")),
            &w.receiver,
            "*",
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [(
            "modes_accueil".to_string(),
            "required_to_publish".to_string()
        )]
    );
}

#[actix_web::test]
async fn whole_numbers_written_as_floats_are_numbers_as_json_schema_says() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let body = service(
        "Atelier",
        "69266",
        json!({"age_min": 16.0, "age_max": 25.0, "nombre_semaines": 4.0, "capacity": {"available": 2.0}}),
    );
    let s = json_of(
        app.post("/api/v1/services", &w.receiver, &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (s["age_min"].as_i64(), s["capacity"]["available"].as_i64()),
        (Some(16), Some(2))
    );
    let res = app
        .post(
            "/api/v1/services",
            &w.receiver,
            &service("Atelier", "69266", json!({"age_min": 16.5})),
        )
        .await;
    problem(res, StatusCode::BAD_REQUEST, "invalid_field").await;
}

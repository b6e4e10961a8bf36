//! Every failure is a problem document with a stable code, actix's own ones included.
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

#[actix_web::test]
async fn malformed_json_is_a_400() {
    let app = TestApp::spawn().await;
    let res = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .header("content-type", "application/json")
        .body("{\"grant_type\": \"password\",")
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[actix_web::test]
async fn a_wrong_content_type_is_a_415() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .req(Method::POST, "/api/v1/territories", Some(&admin))
        .header("content-type", "text/plain")
        .body("{\"name\": \"x\"}")
        .send()
        .await
        .unwrap();
    problem(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[actix_web::test]
async fn an_unknown_route_is_a_404_and_a_wrong_method_a_405_with_allow() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    problem(
        app.get("/api/v1/nothing-here", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.get("/api/v2/me", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let res = app
        .req(Method::DELETE, "/api/v1/users", Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("allow").unwrap(), "GET, POST");
    problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app
        .req(
            Method::PUT,
            "/api/v1/users/00000000-0000-0000-0000-000000000000",
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("allow").unwrap(), "GET, PATCH");
    problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[actix_web::test]
async fn a_body_over_the_limit_is_a_413() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let huge = json!({"name": "x".repeat(70_000)});
    let res = app.admin_post("/api/v1/territories", &admin, &huge).await;
    problem(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[actix_web::test]
async fn unknown_fields_are_refused_so_nothing_can_be_smuggled() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let res = app
        .admin_post(
            "/api/v1/users",
            &w.admin,
            &json!({"email": "x@sas.test", "first_name": "A", "last_name": "B", "password": PASSWORD,
                    "roles": ["prescriber"], "structure_id": w.prescriber_id, "active": false}),
        )
        .await;
    let body = problem(res, StatusCode::BAD_REQUEST, "unknown_field").await;
    assert_eq!(
        field_codes(&body),
        [("active".to_string(), "unknown_field".to_string())]
    );
}

#[actix_web::test]
async fn a_missing_field_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .admin_post("/api/v1/structures", &admin, &json!({"name": "Sans type"}))
        .await;
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&body),
        [("kind".to_string(), "required".to_string())]
    );
}

#[actix_web::test]
async fn a_field_of_the_wrong_type_is_a_400_that_does_not_echo_the_value() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app
        .admin_post(
            "/api/v1/structures",
            &admin,
            &json!({"name": "X", "kind": "ML", "prescriber": "Jean Dupont"}),
        )
        .await;
    let body = problem(res, StatusCode::BAD_REQUEST, "invalid_field").await;
    assert!(!body.to_string().contains("Jean Dupont"), "{body}");
}

#[actix_web::test]
async fn query_parameters_are_checked() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    problem(
        app.get("/api/v1/structures?status=open", &admin).await,
        StatusCode::BAD_REQUEST,
        "unknown_parameter",
    )
    .await;
    problem(
        app.get("/api/v1/structures?limit=0", &admin).await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
    problem(
        app.get("/api/v1/structures?limit=101", &admin).await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
    problem(
        app.get("/api/v1/structures?limit=abc", &admin).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    problem(
        app.get("/api/v1/structures?cursor=not%20base64!", &admin)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
}

#[actix_web::test]
async fn a_malformed_id_is_simply_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    problem(
        app.get("/api/v1/structures/not-a-uuid", &admin).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    problem(
        app.get(
            "/api/v1/structures/00000000-0000-0000-0000-000000000000",
            &admin,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[actix_web::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/health/live",
        "/api/v1/me",
        "/api/v1/nothing",
        "/api/docs/",
    ] {
        let res = app.req(Method::GET, path, None).send().await.unwrap();
        let h = res.headers();
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        assert!(h
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("default-src 'self'"));
        assert!(
            h.get("strict-transport-security").is_some(),
            "HSTS outside dev: {path}"
        );
    }
    let dev = TestApp::spawn_with(&[("SAS_ENV", "dev")]).await;
    let res = dev
        .req(Method::GET, "/health/live", None)
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
}

#[actix_web::test]
async fn cors_is_closed_unless_an_origin_is_configured() {
    let app = TestApp::spawn().await;
    let res = app
        .req(Method::GET, "/health/live", None)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());

    let open = TestApp::spawn_with(&[("SAS_CORS_ORIGINS", "https://partner.example")]).await;
    let res = open
        .req(Method::GET, "/health/live", None)
        .header("origin", "https://partner.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        "https://partner.example"
    );
}

#[actix_web::test]
async fn readiness_follows_the_database() {
    let app = TestApp::spawn().await;
    let live = app
        .req(Method::GET, "/health/live", None)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(
        app.req(Method::GET, "/health/ready", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // The database goes away: ready says 503 with Retry-After, live stays up.
    use diesel::{Connection, RunQueryDsl};
    let mut admin = diesel::PgConnection::establish(&admin_url()).unwrap();
    diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db_name))
        .execute(&mut admin)
        .unwrap();
    let res = app
        .req(Method::GET, "/health/ready", None)
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("retry-after").is_some());
    problem(res, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable").await;
    assert_eq!(
        app.req(Method::GET, "/health/live", None)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn no_route_answers_a_500_to_an_empty_or_junk_body() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let spec: Value = app
        .req(Method::GET, "/api/openapi.json", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let zero = "00000000-0000-0000-0000-000000000000";
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch"] {
            if item.get(method).is_none() {
                continue;
            }
            let p = path
                .replace("{id}", zero)
                .replace("{consent_id}", zero)
                .replace("{insee}", "69123")
                .replace("{name}", "x");
            for body in ["", "null", "[]", "{}", "\"x\"", "{\"a\":", "1e999"] {
                let res = app
                    .req(method.parse().unwrap(), &p, Some(&admin))
                    .header("content-type", "application/json")
                    .header("if-match", "\"1\"")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert!(
                    res.status().is_client_error() || res.status().is_success(),
                    "{method} {p} {body:?}: {}",
                    res.status()
                );
            }
        }
    }
}

#[actix_web::test]
async fn inputs_found_by_fuzzing_get_clear_answers() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // A NUL character cannot be stored: 400, not 500, in bodies and query strings.
    let res = app
        .admin_post("/api/v1/territories", &admin, &json!({"name": "A\u{0}"}))
        .await;
    problem(res, StatusCode::BAD_REQUEST, "invalid_character").await;
    problem(
        app.get("/api/v1/structures?q=a%00", &admin).await,
        StatusCode::BAD_REQUEST,
        "invalid_character",
    )
    .await;
    let res = app
        .token_request(&json!({"grant_type": "password", "email": "a\u{0}@x.org", "password": "xxxxxxxxxxxxxx"}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // An empty cursor is no cursor.
    assert_eq!(
        app.get("/api/v1/territories?cursor=", &admin)
            .await
            .status(),
        StatusCode::OK
    );
    // 6.0 is a whole number.
    let res = app
        .admin_post(
            "/api/v1/territories",
            &admin,
            &json!({"name": "T", "unreachable_rule": {"min_attempts": 5.0, "min_days": 21, "min_channels": 2}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let t: Value = res.json().await.unwrap();
    // If-Match: * matches the current version.
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/territories/{}", t["id"].as_str().unwrap()),
            Some(&admin),
        )
        .header("if-match", "*")
        .json(&with_reason(json!({"name": "T2"})))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A JSON null logout body is an empty one.
    let res = app
        .req(Method::POST, "/api/v1/auth/logout", None)
        .header("content-type", "application/json")
        .body("null")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

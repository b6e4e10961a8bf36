//! Every role against every route: role checks come first, and nothing is reachable anonymously
//! but the token endpoints and health probes.
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

const ZERO: &str = "00000000-0000-0000-0000-000000000000";

fn concrete(path: &str) -> String {
    path.replace("{id}", ZERO)
        .replace("{consent_id}", ZERO)
        .replace("{insee}", "69123")
        .replace("{name}", "thematiques")
}

#[actix_web::test]
async fn every_protected_operation_refuses_an_anonymous_caller() {
    let app = TestApp::spawn().await;
    let spec: Value = app
        .req(Method::GET, "/api/openapi.json", None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("security").is_none() {
                continue;
            }
            let res = app
                .req(
                    method.to_uppercase().parse().unwrap(),
                    &concrete(path),
                    None,
                )
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} operations checked");
}

/// Which roles may call each administration write or staff read. Reads of territories,
/// structures, communes and vocabularies are open to every authenticated caller.
#[actix_web::test]
async fn only_admins_administer() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let admin_only: [(Method, String); 12] = [
        (Method::POST, "/api/v1/territories".into()),
        (
            Method::PATCH,
            format!("/api/v1/territories/{}", w.territory_id),
        ),
        (Method::POST, "/api/v1/structures".into()),
        (
            Method::PUT,
            format!("/api/v1/structures/{}", w.prescriber_id),
        ),
        (Method::POST, "/api/v1/users".into()),
        (Method::GET, "/api/v1/users".into()),
        (Method::GET, format!("/api/v1/users/{ZERO}")),
        (Method::PATCH, format!("/api/v1/users/{ZERO}")),
        (Method::POST, format!("/api/v1/users/{ZERO}/deactivate")),
        (Method::POST, "/api/v1/api-clients".into()),
        (Method::GET, "/api/v1/api-clients".into()),
        (Method::POST, format!("/api/v1/api-clients/{ZERO}/revoke")),
    ];
    for (role, token) in w.tokens() {
        for (method, path) in &admin_only {
            let res = app
                .req(method.clone(), path, Some(token))
                .header("if-match", "\"1\"")
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            if role == "admin" {
                assert_ne!(
                    res.status(),
                    StatusCode::FORBIDDEN,
                    "{role} {method} {path}"
                );
            } else {
                assert_eq!(
                    res.status(),
                    StatusCode::FORBIDDEN,
                    "{role} {method} {path}"
                );
                problem(res, StatusCode::FORBIDDEN, "forbidden").await;
            }
        }
        for path in [
            "/api/v1/territories",
            "/api/v1/structures",
            "/api/v1/communes?q=lyon",
            "/api/v1/vocabularies",
            "/api/v1/me",
        ] {
            assert_eq!(
                app.get(path, token).await.status(),
                StatusCode::OK,
                "{role} GET {path}"
            );
        }
    }
}

#[actix_web::test]
async fn the_role_check_comes_before_validation_so_nothing_leaks() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    // An invalid body from a non-admin is a 403, not a 422 describing the rules.
    let res = app.admin_post("/api/v1/users", &w.prescriber, &json!({"email": "bad", "first_name": "", "last_name": "", "password": "x", "roles": []})).await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

/// The 403s the spec documents (derived in `openapi::complete`) are exactly the operations
/// where some role is refused: none documented that cannot happen, none happening undocumented.
#[actix_web::test]
async fn documented_403s_are_exactly_the_role_checks() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let spec = app.spec().await;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("security").is_none() {
                continue;
            }
            let mut refused = Vec::new();
            for (role, token) in w.tokens() {
                let res = app
                    .req(
                        method.to_uppercase().parse().unwrap(),
                        &concrete(path),
                        Some(token),
                    )
                    .header("if-match", "*")
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                if res.status() == StatusCode::FORBIDDEN {
                    refused.push(role);
                }
            }
            // Every secured operation may answer 403 `password_change_required` (an account
            // whose password an administrator set); only role-restricted ones say `Forbidden`.
            let documented = &op["responses"]["403"];
            assert!(documented.is_object(), "{method} {path}: 403 undocumented");
            let role_refusal = documented["$ref"] == "#/components/responses/Forbidden"
                || documented.get("$ref").is_none();
            if (method.as_str(), path.as_str()) == ("post", "/api/v1/me/password")
                || path.starts_with("/api/v1/me/notification")
            {
                // Their 403 refuses API clients (no password, no mailbox), which no person is.
                assert!(refused.is_empty(), "{refused:?}");
                continue;
            }
            assert_eq!(
                role_refusal,
                !refused.is_empty(),
                "{method} {path}: 403 documented as a role refusal {role_refusal}, refused to {refused:?}"
            );
        }
    }
}

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

#[actix_web::test]
async fn a_person_logs_in_and_me_describes_them() {
    let app = TestApp::spawn().await;
    let tokens = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert!(tokens["refresh_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 32));

    let me: Value = app
        .get("/api/v1/me", tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["actor_type"], "user");
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["roles"], json!(["admin"]));
}

#[actix_web::test]
async fn the_access_token_carries_the_documented_claims() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let payload = w.counsellor.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    for k in [
        "sub",
        "roles",
        "structure_id",
        "territory_id",
        "iss",
        "aud",
        "iat",
        "nbf",
        "exp",
        "jti",
        "typ",
    ] {
        assert!(!claims[k].is_null(), "claim {k} in {claims}");
    }
    assert_eq!(
        claims["territory_id"], w.territory_id,
        "a counsellor carries its team's territory"
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );
}

#[actix_web::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let unknown = app
        .token_request(&json!({"grant_type": "password", "email": "nobody@sas.test", "password": "whatever-password"}))
        .await;
    let wrong = app
        .token_request(&json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": "whatever-password"}))
        .await;
    let a = problem(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let b = problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(a, b);
}

#[actix_web::test]
async fn a_refresh_token_rotates_and_its_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let first = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r1 = first["refresh_token"].as_str().unwrap();

    let res = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": r1}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = res.json().await.unwrap();
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get("/api/v1/me", second["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // Past the grace period, the old token is refused, and presenting it revokes its
    // successor too.
    app.clock.advance(Duration::seconds(31));
    let reuse = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": r1}))
        .await;
    problem(reuse, StatusCode::UNAUTHORIZED, "invalid_grant").await;
    let after = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": r2}))
        .await;
    problem(after, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn a_refresh_token_expires() {
    let app = TestApp::spawn().await;
    let t = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock.advance(Duration::days(15));
    let res = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": t["refresh_token"]}))
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn the_cookie_option_keeps_the_refresh_token_out_of_javascript() {
    let app = TestApp::spawn().await;
    let res = app
        .token_request(&json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "use_cookie": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap()
        .to_string();
    let body: Value = res.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "no refresh token in the body: {body}"
    );
    for attr in [
        "sas_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Secure",
    ] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let value = cookie.split(';').next().unwrap().to_string();

    // A refresh without a body token reads the cookie, and rotates it.
    let res = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .header("cookie", &value)
        .json(&json!({"grant_type": "refresh_token", "use_cookie": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let rotated = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(rotated.split(';').next().unwrap(), value);

    // Logout with the cookie clears it and revokes the family.
    let new_value = rotated.split(';').next().unwrap().to_string();
    let res = app
        .req(Method::POST, "/api/v1/auth/logout", None)
        .header("cookie", &new_value)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let res = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .header("cookie", &new_value)
        .json(&json!({"grant_type": "refresh_token"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn logout_revokes_the_refresh_token_given_in_the_body() {
    let app = TestApp::spawn().await;
    let t = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let res = app
        .req(Method::POST, "/api/v1/auth/logout", None)
        .json(&json!({"refresh_token": t["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": t["refresh_token"]}))
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn an_access_token_lives_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let token = app.admin().await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);
    app.clock.advance(Duration::minutes(1));
    problem(
        app.get("/api/v1/me", &token).await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;
}

#[actix_web::test]
async fn forged_and_foreign_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin().await;
    let parts: Vec<&str> = token.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["roles"] = json!(["admin", "counsellor"]);
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    for bad in [none.as_str(), tampered.as_str(), "not.a.jwt", "x"] {
        problem(
            app.get("/api/v1/me", bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
        )
        .await;
    }
    // A token of another deployment (other secret) is refused as well.
    let other =
        TestApp::spawn_with(&[("SAS_JWT_SECRET", "another-secret-of-at-least-32-bytes!!")]).await;
    let foreign = other.admin().await;
    problem(
        app.get("/api/v1/me", &foreign).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // Another audience, same secret.
    let other_aud = TestApp::spawn_with(&[("SAS_JWT_AUDIENCE", "someone-else")]).await;
    let foreign = other_aud.admin().await;
    problem(
        app.get("/api/v1/me", &foreign).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[actix_web::test]
async fn a_missing_token_is_a_401_problem_with_a_challenge() {
    let app = TestApp::spawn().await;
    let res = app
        .req(Method::GET, "/api/v1/me", None)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers().get("www-authenticate").unwrap(),
        "Bearer realm=\"sas\""
    );
    problem(res, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[actix_web::test]
async fn ten_failures_lock_an_account_for_the_window_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    let bad =
        json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": "wrong-password-x"});
    for _ in 0..10 {
        problem(
            app.token_request(&bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let good = json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    let res = app.token_request(&good).await;
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900, "Retry-After {retry}");
    problem(res, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;

    app.clock.advance(Duration::minutes(15));
    assert_eq!(app.token_request(&good).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn throttling_limits_are_configurable() {
    let app = TestApp::spawn_with(&[("SAS_LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")]).await;
    let bad =
        json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": "wrong-password-x"});
    for _ in 0..2 {
        problem(
            app.token_request(&bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    problem(
        app.token_request(&bad).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[actix_web::test]
async fn failures_from_one_address_are_throttled_across_accounts() {
    let app = TestApp::spawn_with(&[("SAS_LOGIN_MAX_FAILURES_PER_IP", "3")]).await;
    for i in 0..3 {
        let bad = json!({"grant_type": "password", "email": format!("u{i}@sas.test"), "password": "wrong-password-x"});
        problem(
            app.token_request(&bad).await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    let other = json!({"grant_type": "password", "email": "fresh@sas.test", "password": "wrong-password-x"});
    problem(
        app.token_request(&other).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[actix_web::test]
async fn a_partner_system_uses_client_credentials_until_revoked() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let created = app
        .create(
            "/api/v1/api-clients",
            json!({"name": "SI ASE", "structure_id": w.prescriber_id, "roles": ["prescriber"]}),
        )
        .await;
    let (client_id, secret) = (
        created["client_id"].clone(),
        created["client_secret"].clone(),
    );
    assert!(secret.as_str().unwrap().len() > 40);

    let res = app
        .token_request(&json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let t: Value = res.json().await.unwrap();
    assert!(
        t.get("refresh_token").is_none(),
        "no refresh token for a client"
    );
    let me: Value = app
        .get("/api/v1/me", t["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["actor_type"], "api_client");
    assert_eq!(me["roles"], json!(["prescriber"]));
    assert_eq!(me["structure"]["id"], w.prescriber_id);

    // The secret is never shown again.
    let shown: Value = app
        .get(
            &format!("/api/v1/api-clients/{}", created["id"].as_str().unwrap()),
            &w.admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(shown.get("client_secret").is_none());

    let wrong = app
        .token_request(&json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": "sas_sk_wrong"}))
        .await;
    problem(wrong, StatusCode::UNAUTHORIZED, "invalid_client").await;

    let res = app
        .admin_post(
            &format!(
                "/api/v1/api-clients/{}/revoke",
                created["id"].as_str().unwrap()
            ),
            &w.admin,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .token_request(&json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}))
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "invalid_client").await;
}

#[actix_web::test]
async fn a_deactivated_user_can_neither_log_in_nor_refresh() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let t = app.login_full("p@sas.test", PASSWORD).await;
    let users: Value = app
        .get("/api/v1/users?q=p%40sas.test", &w.admin)
        .await
        .json()
        .await
        .unwrap();
    let id = users["items"][0]["id"].as_str().unwrap().to_string();

    let res = app
        .admin_post(
            &format!("/api/v1/users/{id}/deactivate"),
            &w.admin,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["active"], false);

    let login = app
        .token_request(
            &json!({"grant_type": "password", "email": "p@sas.test", "password": PASSWORD}),
        )
        .await;
    problem(login, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let refresh = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": t["refresh_token"]}))
        .await;
    problem(refresh, StatusCode::UNAUTHORIZED, "invalid_grant").await;

    // Reactivated, the account works again; it was never deleted.
    let res = app
        .admin_post(
            &format!("/api/v1/users/{id}/reactivate"),
            &w.admin,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.login("p@sas.test", PASSWORD).await;
}

#[actix_web::test]
async fn an_admin_cannot_deactivate_themself() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let res = app
        .admin_post(
            &format!("/api/v1/users/{}/deactivate", me["id"].as_str().unwrap()),
            &admin,
            &json!({}),
        )
        .await;
    problem(res, StatusCode::CONFLICT, "cannot_deactivate_self").await;
}

#[actix_web::test]
async fn the_bootstrap_admin_is_created_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Starting again on the same database does not create a second admin.
    let again = TestApp::spawn_with(&[("DATABASE_URL", app.db_url.as_str())]).await;
    let _ = again.admin().await;
    let page: Value = app
        .get("/api/v1/users?role=admin", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}

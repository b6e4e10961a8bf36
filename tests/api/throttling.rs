//! Login throttling under concurrency, the bound on simultaneous password checks, and the
//! client address behind trusted proxies.
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

/// Statuses of `n` logins sent at once.
async fn at_once(app: &TestApp, n: usize, body: impl Fn(usize) -> serde_json::Value) -> Vec<u16> {
    join_all((0..n).map(|i| {
        let b = body(i);
        async move { app.token_request(&b).await.status().as_u16() }
    }))
    .await
}

/// A wrong login for `u{i}@sas.test`, through a proxy chain.
async fn wrong_login_via(app: &TestApp, i: usize, forwarded_for: &str) -> reqwest::Response {
    app.req(Method::POST, "/api/v1/auth/token", None)
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"grant_type": "password", "email": format!("u{i}@sas.test"), "password": "wrong-password-x"}))
        .send()
        .await
        .unwrap()
}

fn count(statuses: &[u16], s: u16) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

#[actix_web::test]
async fn forty_simultaneous_wrong_passwords_on_one_account_get_ten_checks_and_thirty_429() {
    // A generous wait, so that no attempt is turned away for lack of a password-check slot.
    let app = TestApp::spawn_with(&[("SAS_PASSWORD_CHECK_WAIT_MS", "120000")]).await;
    let statuses = at_once(
        &app,
        40,
        |_| json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": "wrong-password-x"}),
    )
    .await;
    assert_eq!(
        (count(&statuses, 401), count(&statuses, 429)),
        (10, 30),
        "{statuses:?}"
    );
    // The right password is refused too, for the window.
    let res = app
        .token_request(
            &json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
        )
        .await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}

#[actix_web::test]
async fn simultaneous_wrong_secrets_of_one_api_client_are_bounded_too() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (c, _) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let statuses = at_once(&app, 25, |_| {
        json!({"grant_type": "client_credentials", "client_id": c["client_id"], "client_secret": "sas_sk_wrong"})
    })
    .await;
    assert_eq!(
        (count(&statuses, 401), count(&statuses, 429)),
        (10, 15),
        "{statuses:?}"
    );
}

#[actix_web::test]
async fn a_success_clears_the_accounts_failures_but_not_the_addresses() {
    let app = TestApp::spawn_with(&[
        ("SAS_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"),
        ("SAS_LOGIN_MAX_FAILURES_PER_IP", "5"),
    ])
    .await;
    let bad =
        json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": "wrong-password-x"});
    let good = json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD});
    for _ in 0..2 {
        assert_eq!(app.token_request(&bad).await.status(), 401);
    }
    assert_eq!(app.token_request(&good).await.status(), 200);
    // The account starts afresh (3 more failures allowed)…
    for _ in 0..2 {
        assert_eq!(app.token_request(&bad).await.status(), 401);
    }
    // …but the address has 4 failures: one more, then 429, whatever the account.
    let other =
        json!({"grant_type": "password", "email": "x@sas.test", "password": "wrong-password-x"});
    assert_eq!(app.token_request(&other).await.status(), 401);
    problem(
        app.token_request(&other).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[actix_web::test]
async fn logins_beyond_the_password_check_slots_get_503_with_retry_after_and_do_not_count() {
    let app = TestApp::spawn_with(&[
        ("SAS_PASSWORD_CHECKS_MAX", "1"),
        ("SAS_PASSWORD_CHECK_WAIT_MS", "0"),
        ("SAS_LOGIN_MAX_FAILURES_PER_IP", "30"),
    ])
    .await;
    let res = join_all((0..30).map(|i| {
        let body = json!({"grant_type": "password", "email": format!("u{i}@sas.test"), "password": "wrong-password-x"});
        let app = &app;
        async move { app.token_request(&body).await }
    }))
    .await;
    let mut busy = 0;
    for r in res {
        match r.status().as_u16() {
            401 => {}
            503 => {
                busy += 1;
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                assert_eq!(retry.as_deref(), Some("1"));
                problem(r, StatusCode::SERVICE_UNAVAILABLE, "server_busy").await;
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert!(
        busy > 0,
        "one check at a time: 30 at once cannot all have had a slot"
    );
    // Turned away before any check, those attempts were not counted against the address:
    // one at a time, exactly as many failures as there were 503s remain before its limit.
    let mut more = 0;
    loop {
        let body = json!({"grant_type": "password", "email": format!("v{more}@sas.test"), "password": "wrong-password-x"});
        match app.token_request(&body).await.status().as_u16() {
            401 => more += 1,
            429 => break,
            s => panic!("unexpected {s}"),
        }
        assert!(more <= 30, "the limit per address holds");
    }
    assert_eq!(more, busy);
}

#[actix_web::test]
async fn behind_one_trusted_proxy_the_address_it_appended_is_throttled_not_the_spoofed_one() {
    let app = TestApp::spawn_with(&[
        ("SAS_TRUST_PROXY", "true"),
        ("SAS_LOGIN_MAX_FAILURES_PER_IP", "3"),
    ])
    .await;
    let login = |i: usize, xff: String| {
        let app = &app;
        async move { wrong_login_via(app, i, &xff).await }
    };
    // The client writes whatever it likes first; the proxy appends the real address.
    for i in 0..3 {
        let res = login(i, format!("10.9.9.{i}, 203.0.113.7")).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    problem(
        login(3, "10.9.9.200, 203.0.113.7".into()).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // Another real client behind the same proxy is not affected.
    assert_eq!(
        login(4, "10.9.9.1, 198.51.100.4".into()).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn with_two_trusted_proxies_the_second_address_from_the_right_is_the_client() {
    let app = TestApp::spawn_with(&[
        ("SAS_TRUST_PROXY", "true"),
        ("SAS_TRUST_PROXY_HOPS", "2"),
        ("SAS_LOGIN_MAX_FAILURES_PER_IP", "2"),
    ])
    .await;
    let send = |i: usize, xff: &'static str| {
        let app = &app;
        async move { wrong_login_via(app, i, xff).await.status() }
    };
    assert_eq!(send(0, "1.1.1.1, 203.0.113.7, 10.0.0.2").await, 401);
    assert_eq!(send(1, "2.2.2.2, 203.0.113.7, 10.0.0.3").await, 401);
    assert_eq!(send(2, "3.3.3.3, 203.0.113.7, 10.0.0.4").await, 429);
    assert_eq!(send(3, "1.1.1.1, 198.51.100.4, 10.0.0.2").await, 401);
}

#[actix_web::test]
async fn without_trust_proxy_forwarded_for_is_ignored() {
    let app = TestApp::spawn_with(&[("SAS_LOGIN_MAX_FAILURES_PER_IP", "2")]).await;
    for (i, xff) in ["203.0.113.1", "203.0.113.2"].into_iter().enumerate() {
        let res = wrong_login_via(&app, i, xff).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = wrong_login_via(&app, 9, "203.0.113.3").await;
    problem(res, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}

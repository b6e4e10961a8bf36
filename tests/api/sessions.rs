//! Sessions: revocation that does not wait for tokens to expire, the refresh race and the
//! lifetimes of a session, the state without a session, and the territories of pilots and
//! counsellors kept apart.
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

/// The bound on revocation (`SAS_SESSION_CHECK_SECONDS`, default 5).
const BOUND: i64 = 5;

/// The `sas_refresh` Set-Cookie of an answer.
fn refresh_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("sas_refresh="))
        .expect("sas_refresh cookie")
        .to_string()
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.token_request(&json!({"grant_type": "refresh_token", "refresh_token": token}))
        .await
}

/// The tokens of a successful refresh of `tokens`.
async fn refreshed(app: &TestApp, tokens: &Value) -> Value {
    let res = refresh(app, &tokens["refresh_token"]).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// A refresh of `tokens` is refused.
async fn refused(app: &TestApp, tokens: &Value) {
    problem(
        refresh(app, &tokens["refresh_token"]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_grant",
    )
    .await;
}

/// A GET of `path` with `token` is refused: its session ended.
async fn revoked(app: &TestApp, path: &str, token: &str) {
    problem(
        app.get(path, token).await,
        StatusCode::UNAUTHORIZED,
        "token_revoked",
    )
    .await;
}

#[actix_web::test]
async fn a_deactivated_users_live_token_is_refused_at_once_here_and_within_the_bound_elsewhere() {
    let app = TestApp::spawn().await;
    // A second instance of the API on the same database, with its own clock.
    let other = TestApp::spawn_with(&[("DATABASE_URL", app.db_url.as_str())]).await;
    let w = app.world().await;
    assert_eq!(app.get("/api/v1/me", &w.prescriber).await.status(), 200);
    assert_eq!(other.get("/api/v1/me", &w.prescriber).await.status(), 200);

    let id = app.user_id("p@sas.test").await;
    let res = app
        .admin_post(
            &format!("/api/v1/users/{id}/deactivate"),
            &w.admin,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The instance that made the change refuses the token at once…
    revoked(&app, "/api/v1/me", &w.prescriber).await;
    revoked(&app, "/api/v1/referrals", &w.prescriber).await;
    // …the other one within the bound, long before the token's 15 minutes.
    other.clock.advance(Duration::seconds(BOUND));
    revoked(&other, "/api/v1/me", &w.prescriber).await;
}

#[actix_web::test]
async fn a_revoked_api_clients_live_token_is_refused() {
    let app = TestApp::spawn().await;
    let other = TestApp::spawn_with(&[("DATABASE_URL", app.db_url.as_str())]).await;
    let w = app.world().await;
    let (c, token) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let token = token.as_str();
    assert_eq!(other.get("/api/v1/me", token).await.status(), 200);
    let res = app
        .admin_post(
            &format!("/api/v1/api-clients/{}/revoke", c["id"].as_str().unwrap()),
            &w.admin,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    revoked(&app, "/api/v1/me", token).await;
    other.clock.advance(Duration::seconds(BOUND));
    revoked(&other, "/api/v1/me", token).await;
}

#[actix_web::test]
async fn new_roles_end_the_live_token_and_a_refresh_carries_them() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let ml = app
        .structure(json!({"name": "ML", "kind": "ML", "prescriber": true, "receiver": true}))
        .await;
    let ml_id = ml["id"].as_str().unwrap();
    app.user_token("ml@sas.test", &["prescriber"], Some(ml_id), None)
        .await;
    let t = app.login_full("ml@sas.test", PASSWORD).await;
    let token = t["access_token"].as_str().unwrap();
    let id = app.user_id("ml@sas.test").await;
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&w.admin),
        )
        .header("if-match", "*")
        .json(&with_reason(json!({"roles": ["receiver"]})))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The token still says prescriber: it is no longer true, so it no longer works.
    revoked(&app, "/api/v1/referrals", token).await;
    // The session itself goes on: a refresh gives a token with the new roles.
    let res = refresh(&app, &t["refresh_token"]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let fresh: Value = res.json().await.unwrap();
    assert_eq!(
        claims(fresh["access_token"].as_str().unwrap())["roles"],
        json!(["receiver"])
    );
    let me: Value = app
        .get("/api/v1/me", fresh["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"], json!(["receiver"]));
}

#[actix_web::test]
async fn moving_a_sas_team_to_another_territory_ends_its_counsellors_tokens() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let t2 = app.territory("Est lyonnais", &["69029"]).await;
    let t = app.login_full("c@sas.test", PASSWORD).await;
    let path = format!("/api/v1/structures/{}", w.team_id);
    let res = app
        .req(Method::PUT, &path, Some(&w.admin))
        .header("if-match", "*")
        .json(&with_reason(
            json!({"name": "SAS test", "kind": "ASSO", "sas_team": true,
                                  "territory_id": t2["id"]}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    revoked(
        &app,
        "/api/v1/referrals",
        t["access_token"].as_str().unwrap(),
    )
    .await;
    let fresh = refreshed(&app, &t).await;
    assert_eq!(
        claims(fresh["access_token"].as_str().unwrap())["territory_id"],
        t2["id"]
    );
}

#[actix_web::test]
async fn two_tabs_refreshing_at_once_both_stay_logged_in() {
    let app = TestApp::spawn().await;
    let first = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (a, b) = futures_util::future::join(
        refresh(&app, &first["refresh_token"]),
        refresh(&app, &first["refresh_token"]),
    )
    .await;
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_ne!(a["refresh_token"], b["refresh_token"]);
    // Both tabs go on, each with its own token: nobody was logged out.
    for tab in [&a, &b] {
        assert_eq!(
            app.get("/api/v1/me", tab["access_token"].as_str().unwrap())
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            refresh(&app, &tab["refresh_token"]).await.status(),
            StatusCode::OK
        );
    }
}

#[actix_web::test]
async fn the_previous_token_is_refused_after_its_grace_and_revokes_the_session() {
    let app = TestApp::spawn().await;
    let first = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let second = refreshed(&app, &first).await;
    app.clock.advance(Duration::seconds(30));
    assert_eq!(
        refresh(&app, &first["refresh_token"]).await.status(),
        StatusCode::OK,
        "30 seconds of grace"
    );
    app.clock.advance(Duration::seconds(1));
    refused(&app, &first).await;
    // Reuse past the grace is theft: the whole session ends.
    refused(&app, &second).await;
}

#[actix_web::test]
async fn only_the_immediately_previous_token_has_a_grace() {
    let app = TestApp::spawn().await;
    let r1 = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r2 = refreshed(&app, &r1).await;
    app.clock.advance(Duration::seconds(1));
    let r3 = refreshed(&app, &r2).await;
    // r1 is two rotations old, although still within 30 seconds of its use.
    refused(&app, &r1).await;
    refused(&app, &r3).await;
}

#[actix_web::test]
async fn a_session_ends_after_twelve_idle_hours() {
    let app = TestApp::spawn().await;
    let t = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock
        .advance(Duration::hours(12) - Duration::seconds(1));
    let t = refreshed(&app, &t).await;
    app.clock.advance(Duration::hours(12));
    refused(&app, &t).await;
}

#[actix_web::test]
async fn a_session_never_slides_past_seven_days() {
    let app = TestApp::spawn().await;
    let login = app
        .token_request(&json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "use_cookie": true}))
        .await;
    let mut cookie = refresh_cookie(&login);
    let mut elapsed = Duration::zero();
    // Refreshed every 11 hours, it lives until 7 days after the login, not beyond.
    loop {
        app.clock.advance(Duration::hours(11));
        elapsed += Duration::hours(11);
        if elapsed >= Duration::days(7) {
            break;
        }
        let t = app
            .req(Method::POST, "/api/v1/auth/token", None)
            .header("cookie", cookie.split(';').next().unwrap())
            .json(&json!({"grant_type": "refresh_token", "use_cookie": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(t.status(), StatusCode::OK, "after {elapsed}");
        cookie = refresh_cookie(&t);
        let max_age: i64 = cookie
            .split("Max-Age=")
            .nth(1)
            .and_then(|v| v.split(';').next())
            .unwrap()
            .parse()
            .unwrap();
        let left = (Duration::days(7) - elapsed).num_seconds();
        assert_eq!(
            max_age,
            left.min(12 * 3600),
            "the cookie ends with the session"
        );
    }
    let res = app
        .req(Method::POST, "/api/v1/auth/token", None)
        .header("cookie", cookie.split(';').next().unwrap())
        .json(&json!({"grant_type": "refresh_token", "use_cookie": true}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED, "invalid_grant").await;
}

#[actix_web::test]
async fn lifetimes_are_configurable() {
    let app = TestApp::spawn_with(&[
        ("SAS_REFRESH_TOKEN_TTL_SECONDS", "60"),
        ("SAS_SESSION_MAX_SECONDS", "100"),
    ])
    .await;
    let t = app.login_full(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.clock.advance(Duration::seconds(59));
    let t = refreshed(&app, &t).await;
    app.clock.advance(Duration::seconds(41));
    refused(&app, &t).await;
}

#[actix_web::test]
async fn a_visitor_without_a_session_gets_401_no_session_and_the_cookies_are_cleared() {
    let app = TestApp::spawn().await;
    let res = app
        .token_request(&json!({"grant_type": "refresh_token", "use_cookie": true}))
        .await;
    let cleared: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    for name in ["sas_refresh=", "sas_session="] {
        assert!(
            cleared
                .iter()
                .any(|c| c.starts_with(name) && c.contains("Max-Age=0")),
            "{name} cleared in {cleared:?}"
        );
    }
    problem(res, StatusCode::UNAUTHORIZED, "no_session").await;
    // An empty token is no token either.
    let res = app
        .token_request(&json!({"grant_type": "refresh_token", "refresh_token": ""}))
        .await;
    problem(res, StatusCode::UNAUTHORIZED, "no_session").await;
}

#[actix_web::test]
async fn a_login_with_the_cookie_sets_a_readable_session_hint() {
    let app = TestApp::spawn().await;
    let res = app
        .token_request(&json!({"grant_type": "password", "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "use_cookie": true}))
        .await;
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let hint = cookies
        .iter()
        .find(|c| c.starts_with("sas_session="))
        .expect("hint cookie");
    assert!(hint.starts_with("sas_session=1;"), "{hint}");
    assert!(
        !hint.contains("HttpOnly") && hint.contains("Path=/;") && hint.contains("SameSite=Strict")
    );
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("sas_refresh="))
        .unwrap();
    assert!(refresh.contains("HttpOnly"));
}

#[actix_web::test]
async fn a_pilot_who_is_also_a_counsellor_keeps_the_two_territories_apart() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    // The pilot territory is another one than the team's.
    let piloted = app.territory("Est lyonnais", &["69029"]).await;
    let token = app
        .user_token(
            "both@sas.test",
            &["counsellor", "pilot"],
            Some(&w.team_id),
            piloted["id"].as_str(),
        )
        .await;
    let c = claims(&token);
    assert_eq!(
        c["territory_id"], w.territory_id,
        "counsellor scope: the team's"
    );
    assert_eq!(c["pilot_territory_id"], piloted["id"]);
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(
        (&me["territory_id"], &me["pilot_territory_id"]),
        (&json!(w.territory_id), &piloted["id"])
    );
    // The referrals they work on are the team territory's, never the piloted one's.
    let prescriber = app
        .structure(json!({"name": "ASE Est", "kind": "ASE", "prescriber": true}))
        .await;
    let p2 = app
        .user_token(
            "p2@sas.test",
            &["prescriber"],
            prescriber["id"].as_str(),
            None,
        )
        .await;
    let here = app
        .post(
            "/api/v1/referrals",
            &w.prescriber,
            &referral_in("69383", "Ici"),
        )
        .await;
    assert_eq!(here.status(), StatusCode::CREATED);
    let there = app
        .post("/api/v1/referrals", &p2, &referral_in("69029", "Ailleurs"))
        .await;
    assert_eq!(there.status(), StatusCode::CREATED);
    let queue: Value = app
        .get("/api/v1/referrals", &token)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["youth"]["last_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ici"]);
    // A pilot alone has a pilot territory and no counsellor scope.
    let c = claims(&w.pilot);
    assert_eq!(c["pilot_territory_id"], w.territory_id);
    assert!(c.get("territory_id").is_none(), "{c}");
}

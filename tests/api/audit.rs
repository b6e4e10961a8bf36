//! Administrators act in plain sight: every administrative write needs a reason and leaves an
//! append-only audit row; a password an administrator set is temporary; a deactivated
//! counsellor's referrals go back to the queue.
use diesel::RunQueryDsl;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

/// The audit rows about one target, newest first.
async fn audit_of(app: &TestApp, target: &str) -> Vec<Value> {
    let admin = app.admin().await;
    let page: Value = app
        .get(&format!("/api/v1/admin-audit?target_id={target}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

fn audit_rows(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM admin_audit")
        .get_result::<N>(&mut app.db())
        .unwrap()
        .n
}

/// Sends an administrative write with `body` as is (no reason added).
async fn send(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> reqwest::Response {
    let admin = app.admin().await;
    let mut r = app.req(method, path, Some(&admin)).header("if-match", "*");
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send().await.unwrap()
}

/// Without a reason: 422 on `reason`, and nothing written (no row, no audit entry).
async fn refused_without_reason(app: &TestApp, method: Method, path: &str, body: Option<Value>) {
    let before = audit_rows(app);
    let res = send(app, method.clone(), path, body).await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(
        field_codes(&b).contains(&("reason".to_string(), "required".to_string())),
        "{method} {path}: {b}"
    );
    assert_eq!(audit_rows(app), before, "{method} {path} wrote nothing");
}

/// With a reason: success, and the newest audit row of `target` says who, what, why.
async fn audited(app: &TestApp, target: &str, action: &str, reason: &str) -> Value {
    let admin_id = app.user_id(ADMIN_EMAIL).await;
    let rows = audit_of(app, target).await;
    let row = rows
        .first()
        .unwrap_or_else(|| panic!("no audit of {target}"));
    assert_eq!(row["action"], action, "{row}");
    assert_eq!(row["reason"], reason, "{row}");
    assert_eq!(row["actor"]["type"], "user");
    assert_eq!(row["actor"]["id"], admin_id);
    assert_eq!(row["actor"]["email"], ADMIN_EMAIL);
    assert_eq!(row["target"]["id"], target);
    assert!(row["occurred_at"].is_string());
    row.clone()
}

#[actix_web::test]
async fn every_administrative_write_needs_a_reason_and_is_audited_with_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    // Territories.
    refused_without_reason(
        &app,
        Method::POST,
        "/api/v1/territories",
        Some(json!({"name": "T"})),
    )
    .await;
    let res = app
        .post("/api/v1/territories", &admin, &json!({"name": "T", "communes": ["69266"], "reason": "Ouverture du SAS de Villeurbanne"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let t: Value = res.json().await.unwrap();
    let tid = t["id"].as_str().unwrap();
    let row = audited(
        &app,
        tid,
        "territory.create",
        "Ouverture du SAS de Villeurbanne",
    )
    .await;
    assert_eq!(row["target"]["type"], "territory");
    assert_eq!(row["changes"]["name"], json!({"to": "T"}));
    assert_eq!(row["changes"]["communes"], json!({"to": ["69266"]}));
    let path = format!("/api/v1/territories/{tid}");
    refused_without_reason(&app, Method::PATCH, &path, Some(json!({"name": "T2"}))).await;
    let res = send(
        &app,
        Method::PATCH,
        &path,
        Some(json!({"name": "T2", "reason": "Nom officiel"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let row = audited(&app, tid, "territory.update", "Nom officiel").await;
    assert_eq!(row["changes"], json!({"name": {"from": "T", "to": "T2"}}));

    // Structures.
    let s = json!({"name": "ML", "kind": "ML", "prescriber": true, "receiver": true});
    refused_without_reason(&app, Method::POST, "/api/v1/structures", Some(s.clone())).await;
    let res = app
        .post(
            "/api/v1/structures",
            &admin,
            &merged(&s, json!({"reason": "Convention signée"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let st: Value = res.json().await.unwrap();
    let sid = st["id"].as_str().unwrap();
    let row = audited(&app, sid, "structure.create", "Convention signée").await;
    assert_eq!(row["changes"]["kind"], json!({"to": "ML"}));
    let path = format!("/api/v1/structures/{sid}");
    refused_without_reason(&app, Method::PUT, &path, Some(s.clone())).await;
    let res = send(
        &app,
        Method::PUT,
        &path,
        Some(merged(
            &s,
            json!({"name": "Mission locale", "reason": "Nom complet"}),
        )),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let row = audited(&app, sid, "structure.replace", "Nom complet").await;
    assert_eq!(
        row["changes"],
        json!({"name": {"from": "ML", "to": "Mission locale"}})
    );

    // Users.
    let u = json!({"email": "agent@sas.test", "first_name": "A", "last_name": "Gent",
                   "password": TEMP_PASSWORD, "roles": ["prescriber"], "structure_id": sid});
    refused_without_reason(&app, Method::POST, "/api/v1/users", Some(u.clone())).await;
    let res = app
        .post(
            "/api/v1/users",
            &admin,
            &merged(&u, json!({"reason": "Arrivée d’une conseillère"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let user: Value = res.json().await.unwrap();
    let uid = user["id"].as_str().unwrap();
    let row = audited(&app, uid, "user.create", "Arrivée d’une conseillère").await;
    assert_eq!(row["changes"]["roles"], json!({"to": ["prescriber"]}));
    assert_eq!(row["changes"]["password"], "temporary_password_set");
    assert!(
        !row.to_string().contains(TEMP_PASSWORD),
        "never the password"
    );
    let path = format!("/api/v1/users/{uid}");
    refused_without_reason(
        &app,
        Method::PATCH,
        &path,
        Some(json!({"roles": ["prescriber", "receiver"]})),
    )
    .await;
    let res = send(&app, Method::PATCH, &path, Some(json!({"roles": ["prescriber", "receiver"], "password": "another-long-password", "reason": "Reçoit aussi des relais"}))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let row = audited(&app, uid, "user.update", "Reçoit aussi des relais").await;
    assert_eq!(
        row["changes"],
        json!({"roles": {"from": ["prescriber"], "to": ["prescriber", "receiver"]},
               "password": "temporary_password_set"})
    );
    for (action, active) in [("deactivate", false), ("reactivate", true)] {
        let path = format!("/api/v1/users/{uid}/{action}");
        // No body at all, an empty object, a blank reason: all 422.
        refused_without_reason(&app, Method::POST, &path, None).await;
        refused_without_reason(&app, Method::POST, &path, Some(json!({}))).await;
        refused_without_reason(&app, Method::POST, &path, Some(json!({"reason": "  "}))).await;
        let res = send(
            &app,
            Method::POST,
            &path,
            Some(json!({"reason": format!("{action} demandé")})),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["active"], active);
        let row = audited(
            &app,
            uid,
            &format!("user.{action}"),
            &format!("{action} demandé"),
        )
        .await;
        assert_eq!(
            row["changes"]["active"],
            json!({"from": !active, "to": active})
        );
    }

    // API clients.
    let c = json!({"name": "SI ML", "structure_id": sid, "roles": ["prescriber"]});
    refused_without_reason(&app, Method::POST, "/api/v1/api-clients", Some(c.clone())).await;
    let res = app
        .post(
            "/api/v1/api-clients",
            &admin,
            &merged(&c, json!({"reason": "Raccordement du SI"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let client: Value = res.json().await.unwrap();
    let cid = client["id"].as_str().unwrap();
    let row = audited(&app, cid, "api_client.create", "Raccordement du SI").await;
    assert_eq!(row["changes"]["client_secret"], "generated");
    assert!(!row
        .to_string()
        .contains(client["client_secret"].as_str().unwrap()));
    let path = format!("/api/v1/api-clients/{cid}/revoke");
    refused_without_reason(&app, Method::POST, &path, None).await;
    let res = send(
        &app,
        Method::POST,
        &path,
        Some(json!({"reason": "Fin de convention"})),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    audited(&app, cid, "api_client.revoke", "Fin de convention").await;

    // A reason is at most 500 characters.
    let res = send(
        &app,
        Method::POST,
        &path,
        Some(json!({"reason": "x".repeat(501)})),
    )
    .await;
    let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        field_codes(&b),
        [("reason".to_string(), "too_long".to_string())]
    );
}

fn merged(base: &Value, extra: Value) -> Value {
    let mut b = base.clone();
    merge(&mut b, extra);
    b
}

#[actix_web::test]
async fn the_audit_is_for_admins_filtered_paged_and_append_only() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    for (_, token) in w.tokens().into_iter().filter(|(r, _)| *r != "admin") {
        problem(
            app.get("/api/v1/admin-audit", token).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    // The bootstrap administrator was created by the system itself.
    let admin_id = app.user_id(ADMIN_EMAIL).await;
    let rows = audit_of(&app, &admin_id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["actor"],
        json!({"type": "system", "id": null, "email": null, "name": null})
    );
    assert_eq!(rows[0]["action"], "user.create");

    // The world: 1 territory, 3 structures, 4 users (each with its own password change,
    // which is not an administrative action).
    let page: Value = app
        .get("/api/v1/admin-audit?action=user.create&limit=3", &w.admin)
        .await
        .json()
        .await
        .unwrap();
    let first: Vec<Value> = page["items"].as_array().unwrap().clone();
    assert_eq!(first.len(), 3);
    let next = page["next_cursor"].as_str().unwrap();
    let page: Value = app
        .get(
            &format!("/api/v1/admin-audit?action=user.create&limit=3&cursor={next}"),
            &w.admin,
        )
        .await
        .json()
        .await
        .unwrap();
    let second = page["items"].as_array().unwrap();
    assert_eq!(second.len(), 2, "4 users and the bootstrap admin");
    assert!(page["next_cursor"].is_null());
    let times: Vec<&str> = first
        .iter()
        .chain(second.iter())
        .map(|r| r["occurred_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let page: Value = app
        .get("/api/v1/admin-audit?target_type=structure", &w.admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let page: Value = app
        .get(
            &format!("/api/v1/admin-audit?actor_id={admin_id}&target_type=territory"),
            &w.admin,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    problem(
        app.get("/api/v1/admin-audit?nope=1", &w.admin).await,
        StatusCode::BAD_REQUEST,
        "unknown_parameter",
    )
    .await;

    // Nobody, not even with database access through the application's role, rewrites it.
    let mut conn = app.db();
    for sql in [
        "UPDATE admin_audit SET reason = 'autre'",
        "DELETE FROM admin_audit",
        "TRUNCATE admin_audit",
    ] {
        assert!(diesel::sql_query(sql).execute(&mut conn).is_err(), "{sql}");
    }
}

#[actix_web::test]
async fn a_password_set_by_an_admin_must_be_replaced_before_anything_else() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    app.create(
        "/api/v1/users",
        json!({"email": "new@sas.test", "first_name": "N", "last_name": "Ew", "password": TEMP_PASSWORD,
               "roles": ["prescriber"], "structure_id": w.prescriber_id}),
    )
    .await;
    let temp = app.login_full("new@sas.test", TEMP_PASSWORD).await;
    assert_eq!(temp["password_change_required"], true);
    let token = temp["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["pwc"], true);
    // Every other call is refused: the admin who knows this password cannot act as the user.
    for path in [
        "/api/v1/me",
        "/api/v1/referrals",
        "/api/v1/territories",
        "/api/v1/communes?q=lyon",
    ] {
        problem(
            app.get(path, token).await,
            StatusCode::FORBIDDEN,
            "password_change_required",
        )
        .await;
    }
    problem(
        app.post("/api/v1/referrals", token, &referral_in("69383", "Martin"))
            .await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    // Bad changes are refused with their reason.
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let cases = [
        (
            change("wrong-password-x", PASSWORD),
            ("current_password", "invalid_password"),
        ),
        (
            change(TEMP_PASSWORD, TEMP_PASSWORD),
            ("new_password", "same_password"),
        ),
        (
            change(TEMP_PASSWORD, "short"),
            ("new_password", "too_short"),
        ),
    ];
    for (body, expected) in cases {
        let res = app.post("/api/v1/me/password", token, &body).await;
        let b = problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(
            field_codes(&b),
            [(expected.0.to_string(), expected.1.to_string())]
        );
    }
    // The user's own password: a new session, and the temporary one is gone.
    let res = app
        .post(
            "/api/v1/me/password",
            token,
            &change(TEMP_PASSWORD, PASSWORD),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fresh: Value = res.json().await.unwrap();
    assert_eq!(fresh["password_change_required"], false);
    let fresh_token = fresh["access_token"].as_str().unwrap();
    assert!(claims(fresh_token).get("pwc").is_none());
    let me: Value = app
        .get("/api/v1/me", fresh_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "new@sas.test");
    problem(
        app.get("/api/v1/me", token).await,
        StatusCode::UNAUTHORIZED,
        "token_revoked",
    )
    .await;
    problem(
        app.token_request(
            &json!({"grant_type": "refresh_token", "refresh_token": temp["refresh_token"]}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_grant",
    )
    .await;
    assert_eq!(
        app.token_request(
            &json!({"grant_type": "password", "email": "new@sas.test", "password": TEMP_PASSWORD})
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );
    let again = app.login_full("new@sas.test", PASSWORD).await;
    assert_eq!(again["password_change_required"], false);
    let user = app
        .get(
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
            &w.admin,
        )
        .await;
    let user: Value = user.json().await.unwrap();
    assert_eq!(user["password_change_required"], false);
}

#[actix_web::test]
async fn a_password_reset_by_an_admin_ends_the_users_sessions_and_is_temporary() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let live = app.login_full("p@sas.test", PASSWORD).await;
    let id = app.user_id("p@sas.test").await;
    let res = app
        .req(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&w.admin),
        )
        .header("if-match", "*")
        .json(&json!({"password": "reset-by-the-admin", "reason": "Mot de passe oublié"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    problem(
        app.get("/api/v1/me", live["access_token"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED,
        "token_revoked",
    )
    .await;
    problem(
        app.token_request(
            &json!({"grant_type": "refresh_token", "refresh_token": live["refresh_token"]}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_grant",
    )
    .await;
    let temp = app.login_full("p@sas.test", "reset-by-the-admin").await;
    assert_eq!(temp["password_change_required"], true);
    // A refresh keeps the obligation.
    let refreshed: Value = app
        .token_request(
            &json!({"grant_type": "refresh_token", "refresh_token": temp["refresh_token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refreshed["password_change_required"], true);
    problem(
        app.get(
            "/api/v1/referrals",
            refreshed["access_token"].as_str().unwrap(),
        )
        .await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
}

#[actix_web::test]
async fn a_partner_system_has_no_password_to_change() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let (_, token) = app.api_client(&w.prescriber_id, &["prescriber"]).await;
    let res = app
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": "x", "new_password": "a-new-long-password"}),
        )
        .await;
    problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

#[actix_web::test]
async fn a_deactivated_counsellors_referrals_return_to_the_queue() {
    let app = TestApp::spawn().await;
    let w = app.world().await;
    let colleague = app
        .user_token("c2@sas.test", &["counsellor"], Some(&w.team_id), None)
        .await;
    let mut ids = Vec::new();
    for name in ["Un", "Deux", "Trois"] {
        let res = app
            .post(
                "/api/v1/referrals",
                &w.prescriber,
                &referral_in("69383", name),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let r: Value = res.json().await.unwrap();
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    let take = |id: &str, token: &str| {
        let (app, id, token) = (&app, id.to_string(), token.to_string());
        async move {
            let res = crate::referrals::take(app, &token, &id).await;
            assert_eq!(res.status(), StatusCode::OK);
        }
    };
    take(&ids[0], &w.counsellor).await;
    take(&ids[1], &w.counsellor).await;
    take(&ids[2], &colleague).await;

    let cid = app.user_id("c@sas.test").await;
    let res = app
        .post(
            &format!("/api/v1/users/{cid}/deactivate"),
            &w.admin,
            &json!({"reason": "Départ de l’aiguilleuse"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let admin_id = app.user_id(ADMIN_EMAIL).await;
    for (i, id) in ids.iter().enumerate() {
        let r: Value = app
            .get(&format!("/api/v1/referrals/{id}"), &colleague)
            .await
            .json()
            .await
            .unwrap();
        let timeline: Value = app
            .get(&format!("/api/v1/referrals/{id}/events"), &colleague)
            .await
            .json()
            .await
            .unwrap();
        let last = timeline["items"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        if i < 2 {
            assert_eq!(r["status"], "submitted", "{r}");
            assert!(r["assigned_counsellor"].is_null(), "{r}");
            assert_eq!(
                (
                    &last["kind"],
                    &last["from_status"],
                    &last["to_status"],
                    &last["code"]
                ),
                (
                    &json!("status_changed"),
                    &json!("contacting"),
                    &json!("submitted"),
                    &json!("counsellor_deactivated")
                ),
                "{last}"
            );
            assert_eq!(last["actor"]["id"], admin_id, "{last}");
        } else {
            assert_eq!(r["status"], "contacting", "the colleague's stays: {r}");
            assert_eq!(last["to_status"], "contacting");
        }
    }
    let row = audited(&app, &cid, "user.deactivate", "Départ de l’aiguilleuse").await;
    assert_eq!(
        row["changes"]["referrals_returned_to_queue"],
        json!({"to": 2})
    );
    // Back in the queue, a colleague takes one again.
    take(&ids[0], &colleague).await;
}

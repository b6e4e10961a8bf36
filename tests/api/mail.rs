//! Mail through a real SMTP server (aiosmtpd writing a Maildir): invitations, password resets,
//! a server that is down, a bounce. Subjects and bodies name nobody.
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

const FIRST: &str = "Camille";
const LAST: &str = "Verdier";

async fn invite(app: &TestApp, email: &str) -> Value {
    app.create(
        "/api/v1/users",
        json!({"email": email, "first_name": FIRST, "last_name": LAST, "roles": ["admin"]}),
    )
    .await
}

/// The token of the link in a mail (`…#jeton=TOKEN`).
fn token_in(text: &str) -> String {
    let start = text.find("#jeton=").expect("a link with a token") + 7;
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn assert_names_nobody(m: &Received) {
    for s in [&m.subject, &m.text, &m.html] {
        assert!(
            !s.contains(FIRST) && !s.contains(LAST),
            "a name in a mail: {s}"
        );
    }
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.req(reqwest::Method::POST, "/api/v1/auth/set-password", None)
        .json(&json!({"token": token, "new_password": password}))
        .send()
        .await
        .expect("request")
}

#[actix_web::test]
async fn an_invited_user_sets_their_own_password_from_the_mail_link_once() {
    let smtp = MailSink::start();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url())]).await;
    let user = invite(&app, "camille@sas.test").await;
    assert_eq!(user["password_change_required"], false);
    // Nobody gets in before the link is used.
    let res = app
        .token_request(
            &json!({"grant_type": "password", "email": "camille@sas.test", "password": "!invited"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert!(m.to.contains("camille@sas.test"), "{}", m.to);
    assert_eq!(
        m.subject,
        "Votre compte SAS : choisissez votre mot de passe"
    );
    assert!(
        m.text.contains("https://sas.test/invitation#jeton="),
        "{}",
        m.text
    );
    assert!(m.html.contains("https://sas.test/invitation#jeton="));
    assert!(m.html.contains("lang=\"fr\""));
    assert_names_nobody(m);
    let token = token_in(&m.text);

    let res = set_password(&app, &token, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let t = app.login_full("camille@sas.test", PASSWORD).await;
    assert!(
        t["password_change_required"].is_null() || t["password_change_required"] == false,
        "{t}"
    );
    // Single use.
    let body = problem(
        set_password(&app, &token, "another-long-password").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&body),
        [("token".to_string(), "link_used".to_string())]
    );
    // The stored copy of the mail no longer holds the secret (once SAS recorded the sending,
    // which may come just after the server received it).
    let stored = eventually(20, "the mail recorded as sent", || async {
        sql_text(
            &app,
            "SELECT body_text || body_html || coalesce(link, '') AS v FROM mails",
        )
    })
    .await;
    assert!(!stored.contains(&token), "the token stays in the outbox");
    assert_eq!(
        sql_text(&app, "SELECT status AS v FROM mails").as_deref(),
        Some("sent")
    );
}

#[actix_web::test]
async fn a_link_expires_after_an_hour_and_a_newer_one_replaces_it() {
    let smtp = MailSink::start();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url())]).await;
    invite(&app, "late@sas.test").await;
    let first = token_in(&smtp.wait_for(1).await[0].text);
    app.clock.advance(chrono::Duration::minutes(60));
    let body = problem(
        set_password(&app, &first, PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&body),
        [("token".to_string(), "link_expired".to_string())]
    );

    // A reset sends a new link; the old one (had it not expired) would be superseded.
    let res = app
        .req(reqwest::Method::POST, "/api/v1/auth/password-reset", None)
        .json(&json!({"email": "late@sas.test"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mails = smtp.wait_for(2).await;
    let reset = mails
        .iter()
        .find(|m| m.subject == "SAS : choisir un nouveau mot de passe")
        .expect("the reset mail");
    let second = token_in(&reset.text);
    assert_ne!(first, second);
    assert_eq!(
        set_password(&app, &second, PASSWORD).await.status(),
        StatusCode::NO_CONTENT
    );
    let bad = problem(
        set_password(&app, "not-a-token", PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        field_codes(&bad),
        [("token".to_string(), "invalid_token".to_string())]
    );
}

#[actix_web::test]
async fn a_reset_request_answers_the_same_for_every_address_and_is_throttled() {
    let smtp = MailSink::start();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url())]).await;
    app.create(
        "/api/v1/users",
        json!({"email": "known@sas.test", "first_name": FIRST, "last_name": LAST,
               "roles": ["admin"], "password": TEMP_PASSWORD}),
    )
    .await;
    let ask = |email: &'static str| {
        app.req(reqwest::Method::POST, "/api/v1/auth/password-reset", None)
            .json(&json!({ "email": email }))
            .send()
    };
    let unknown = ask("nobody@sas.test").await.expect("request");
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    let unknown: Value = unknown.json().await.expect("json");
    let known = ask("known@sas.test").await.expect("request");
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    assert_eq!(known.json::<Value>().await.expect("json"), unknown);
    // Three links an hour per account, whatever is asked.
    for _ in 0..4 {
        assert_eq!(
            ask("known@sas.test").await.expect("request").status(),
            StatusCode::ACCEPTED
        );
    }
    let mails = smtp.wait_for(3).await;
    assert!(mails.iter().all(|m| m.to.contains("known@sas.test")));
    assert_eq!(
        sql_text(&app, "SELECT count(*)::text AS v FROM mails").as_deref(),
        Some("3")
    );
    // Twenty requests per address and window, then 429.
    let mut last = StatusCode::ACCEPTED;
    for _ in 0..16 {
        last = ask("nobody@sas.test").await.expect("request").status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let res = ask("not-an-email").await.expect("request");
    assert!(matches!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::TOO_MANY_REQUESTS
    ));
}

#[actix_web::test]
async fn a_mail_server_that_is_down_is_retried_and_the_mail_arrives_once() {
    let port = free_port();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    invite(&app, "patient@sas.test").await;
    // The first attempt fails: the mail waits in the outbox with the error.
    // (The job queued again, not merely the mail's attempt counted: the clock moves next.)
    eventually(20, "a failed attempt", || async {
        sql_text(
            &app,
            "SELECT last_error AS v FROM jobs WHERE state = 'queued' AND attempts = 1",
        )
    })
    .await;
    assert_eq!(
        sql_text(&app, "SELECT status AS v FROM mails").as_deref(),
        Some("pending")
    );
    assert_eq!(
        sql_text(&app, "SELECT state AS v FROM jobs").as_deref(),
        Some("queued")
    );
    let jobs: Value = app
        .get("/api/v1/jobs", &app.admin().await)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(jobs["failures"][0]["kind"], "mail.deliver");
    assert_eq!(jobs["queues"][0]["queued"], 1);

    let smtp = MailSink::start_on(port);
    // Nothing is retried before its backoff (30 s of the clock) is over.
    app.clock.advance(chrono::Duration::seconds(31));
    let mails = smtp.wait_for(1).await;
    eventually(20, "the job done", || async {
        (sql_text(&app, "SELECT state AS v FROM jobs").as_deref() == Some("done")).then_some(())
    })
    .await;
    // Later passes send nothing more.
    app.clock.advance(chrono::Duration::hours(3));
    eventually(20, "a digest sweep after the clock moved", || async {
        sql_text(
            &app,
            "SELECT runs::text AS v FROM job_schedules WHERE name = 'notifications.digest'",
        )
        .filter(|r| r != "1")
    })
    .await;
    assert_eq!(smtp.messages().len(), 1, "{mails:?}");
    assert_eq!(
        sql_text(&app, "SELECT status AS v FROM mails").as_deref(),
        Some("sent")
    );
    assert_eq!(
        sql_text(&app, "SELECT attempts::text AS v FROM mails").as_deref(),
        Some("2")
    );
}

#[actix_web::test]
async fn a_refused_mailbox_is_kept_as_bounced_and_its_job_parked_until_retried() {
    let smtp = MailSink::start();
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &smtp.url())]).await;
    invite(&app, "bounce@sas.test").await;
    // The mail is marked bounced, then its job parked (two statements): wait for the second.
    eventually(20, "a parked job", || async {
        (sql_text(&app, "SELECT state AS v FROM jobs").as_deref() == Some("parked")).then_some(())
    })
    .await;
    assert_eq!(
        sql_text(&app, "SELECT status AS v FROM mails").as_deref(),
        Some("bounced")
    );
    let admin = app.admin().await;
    let jobs: Value = app
        .get("/api/v1/jobs", &admin)
        .await
        .json()
        .await
        .expect("json");
    let failure = &jobs["failures"][0];
    assert_eq!(failure["state"], "parked");
    assert!(
        failure["last_error"].as_str().unwrap_or("").contains("550"),
        "{failure}"
    );
    assert_eq!(jobs["queues"][0]["parked"], 1);
    assert!(
        jobs["schedules"].as_array().is_some_and(|s| s.len() == 5),
        "{jobs}"
    );
    let id = failure["id"].as_str().expect("id");
    let res = app
        .post(&format!("/api/v1/jobs/{id}/retry"), &admin, &json!({}))
        .await;
    problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .admin_post(&format!("/api/v1/jobs/{id}/retry"), &admin, &json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    // Bounced mails stay bounced: the retry finds nothing to send.
    eventually(20, "the retried job done", || async {
        (sql_text(&app, "SELECT state AS v FROM jobs").as_deref() == Some("done")).then_some(())
    })
    .await;
    let res = app
        .admin_post(&format!("/api/v1/jobs/{id}/retry"), &admin, &json!({}))
        .await;
    problem(res, StatusCode::CONFLICT, "not_parked").await;
    let zero = "00000000-0000-0000-0000-000000000000";
    let res = app
        .admin_post(&format!("/api/v1/jobs/{zero}/retry"), &admin, &json!({}))
        .await;
    problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert!(smtp.messages().is_empty());
}

#[actix_web::test]
async fn a_mail_that_never_gets_through_is_failed_after_its_retries_and_parked() {
    let port = free_port(); // nothing ever listens there
    let app = TestApp::spawn_with(&[("SAS_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    invite(&app, "lost@sas.test").await;
    for attempt in 1..=8 {
        // The job is settled (queued again, or parked) after the attempt: only then may the
        // clock move, or the retry would be scheduled from the moved clock.
        eventually(20, &format!("attempt {attempt}"), || async {
            sql_text(
                &app,
                "SELECT attempts::text AS v FROM jobs WHERE state IN ('queued', 'parked')",
            )
            .filter(|a| a == &attempt.to_string())
        })
        .await;
        // Past any backoff (at most 6 h).
        app.clock.advance(chrono::Duration::hours(7));
    }
    eventually(20, "the mail failed", || async {
        (sql_text(&app, "SELECT status AS v FROM mails").as_deref() == Some("failed")).then_some(())
    })
    .await;
    assert_eq!(
        sql_text(&app, "SELECT state AS v FROM jobs").as_deref(),
        Some("parked")
    );
    assert_eq!(
        sql_text(&app, "SELECT attempts::text AS v FROM jobs").as_deref(),
        Some("8")
    );
    let jobs: Value = app
        // The cached admin token expired while the clock moved: a new login.
        .get(
            "/api/v1/jobs",
            &app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(jobs["failures"][0]["state"], "parked", "{jobs}");
    assert_eq!(jobs["failures"][0]["attempts"], 8);
}

//! What reaches the logs: one line per request with its method, path, status and time — never
//! a query string (names, phone numbers, birth dates, emails), a body or an address.
use std::sync::{Condvar, Mutex, Once, OnceLock};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::*;

/// Every log record of this test process, as `target: message`.
struct Capture {
    lines: Mutex<Vec<String>>,
    added: Condvar,
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    static INSTALL: Once = Once::new();
    let c = CAPTURE.get_or_init(|| Capture {
        lines: Mutex::new(Vec::new()),
        added: Condvar::new(),
    });
    INSTALL.call_once(|| {
        struct Logger;
        impl log::Log for Logger {
            fn enabled(&self, m: &log::Metadata) -> bool {
                m.level() <= log::Level::Info
            }
            fn log(&self, r: &log::Record) {
                if self.enabled(r.metadata()) {
                    let c = capture();
                    c.lines
                        .lock()
                        .unwrap()
                        .push(format!("{}: {}", r.target(), r.args()));
                    c.added.notify_all();
                }
            }
            fn flush(&self) {}
        }
        log::set_boxed_logger(Box::new(Logger)).expect("no other logger in the tests");
        log::set_max_level(log::LevelFilter::Info);
    });
    c
}

/// Waits (at most 10 s) until a line satisfies `pred`: the access line is written once the
/// answer has been sent, possibly after the client has read it.
fn wait_for(pred: impl Fn(&str) -> bool) -> bool {
    let c = capture();
    let guard = c.lines.lock().unwrap();
    let (guard, _) = c
        .added
        .wait_timeout_while(guard, Duration::from_secs(10), |lines| {
            !lines.iter().any(|l| pred(l))
        })
        .unwrap();
    guard.iter().any(|l| pred(l))
}

#[actix_web::test]
async fn no_query_string_body_or_address_reaches_the_log() {
    let c = capture();
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let marker = format!("zq{}", Uuid::new_v4().simple());
    let email = format!("{marker}@exemple.fr");
    // A search by email, by name, a failed login, an unknown route: all with personal data.
    app.get(&format!("/api/v1/users?q={marker}%40exemple.fr"), &admin)
        .await;
    app.get(&format!("/api/v1/communes?q={marker}"), &admin)
        .await;
    app.get(
        &format!("/api/v1/referrals?q=Dupont%20{marker}&birth_date=2001-02-03"),
        &admin,
    )
    .await;
    app.req(
        Method::GET,
        &format!("/api/v1/nothing-here?phone=0612{marker}"),
        None,
    )
    .send()
    .await
    .unwrap();
    app.token_request(&json!({"grant_type": "password", "email": email, "password": marker}))
        .await;

    for line in [
        "GET /api/v1/users 200 ",
        "GET /api/v1/communes 200 ",
        "GET /api/v1/referrals 403 ",
        "GET /api/v1/nothing-here 404 ",
        "POST /api/v1/auth/token 401 ",
    ] {
        let expected = format!("sas::access: {line}");
        assert!(
            wait_for(|l| l.starts_with(&expected) && l.ends_with("ms")),
            "an access line {expected:?}"
        );
    }
    let lines = c.lines.lock().unwrap();
    let leaks: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains(&marker) || (l.starts_with("sas::access") && l.contains('?')))
        .collect();
    assert!(leaks.is_empty(), "personal data in the log: {leaks:?}");
    let with_address: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("sas::access") && l.contains("127.0.0.1"))
        .collect();
    assert!(with_address.is_empty(), "{with_address:?}");
}

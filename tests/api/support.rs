//! Test harness: the real server on a random port, against a fresh database cloned from a
//! migrated template, with a clock the test controls.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sas_api::clock::ManualClock;
use sas_api::config::Settings;
use sas_api::startup::Application;
use serde_json::{json, Value};
use uuid::Uuid;

pub const ADMIN_EMAIL: &str = "root@sas.test";
pub const ADMIN_PASSWORD: &str = "root-password-long";
pub const PASSWORD: &str = "a-long-password-1";
/// The temporary password an administrator gives a new account (`user_token` replaces it).
pub const TEMP_PASSWORD: &str = "temporary-password-1";
/// The reason of the administrative writes of tests (the audit requires one).
pub const REASON: &str = "Mise en place du test";
pub const SECRET: &str = "test-secret-of-at-least-32-bytes-long!!";

pub fn admin_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        panic!("DATABASE_URL must point at a Postgres server where databases can be created (make test sets it)")
    })
}

/// `url` with its database name replaced.
pub fn with_db(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let (server, _) = base.rsplit_once('/').expect("a database URL has a path");
    format!("{server}/{db}{query}")
}

fn template_name() -> String {
    format!("sas_tpl_{}", sas_api::db::migrations::FINGERPRINT)
}

/// Creates the migrated template once per fingerprint; concurrent test processes wait on an
/// advisory lock. Built under a temporary name and renamed, so a crash never leaves a
/// half-migrated template behind.
fn ensure_template(admin: &mut PgConnection) {
    let tpl = template_name();
    diesel::sql_query("SELECT pg_advisory_lock(727274)")
        .execute(admin)
        .expect("advisory lock");
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let exists = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{tpl}') AS exists"
    ))
    .get_result::<Exists>(admin)
    .expect("query pg_database")
    .exists;
    if !exists {
        let building = format!("{tpl}_building");
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .execute(admin)
            .expect("drop stale template");
        diesel::sql_query(format!("CREATE DATABASE {building}"))
            .execute(admin)
            .expect("create template");
        {
            let mut c = PgConnection::establish(&with_db(&admin_url(), &building))
                .expect("connect template");
            sas_api::db::migrations::run_pending(&mut c).expect("migrate template");
        } // connection closed: a template must have none
        diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {tpl}"))
            .execute(admin)
            .expect("rename template");
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727274)")
        .execute(admin)
        .expect("advisory unlock");
}

pub struct TestApp {
    /// The server's job runner (`SAS_JOBS=on`, the default): stopped before the database goes.
    jobs: Option<sas_api::jobs::RunnerHandle>,
    /// The environment the server was started with (to start more runners on the same base).
    pub env: HashMap<String, String>,
    pub base: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub db_name: String,
    pub db_url: String,
    admin_token: std::sync::Mutex<Option<String>>,
}

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .expect("date")
        .with_timezone(&Utc)
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(&[]).await
    }

    /// Starts the server with extra environment settings (`SAS_…` names).
    pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
        let admin = admin_url();
        let db_name = format!("sas_t_{}", Uuid::new_v4().simple());
        let db_url = with_db(&admin, &db_name);
        {
            let mut conn = PgConnection::establish(&admin).expect("connect to DATABASE_URL");
            ensure_template(&mut conn);
            diesel::sql_query(format!(
                "CREATE DATABASE {db_name} TEMPLATE {}",
                template_name()
            ))
            .execute(&mut conn)
            .expect("clone template");
        }
        let mut env: HashMap<String, String> = [
            ("DATABASE_URL", db_url.as_str()),
            ("SAS_ENV", "prod"),
            ("SAS_BIND", "127.0.0.1:0"),
            ("SAS_JWT_SECRET", SECRET),
            ("SAS_DB_POOL_SIZE", "4"),
            ("SAS_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL),
            ("SAS_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("SAS_MAX_BODY_BYTES", "65536"),
            // Background effects (mails, webhooks) show up within a few polls.
            ("SAS_JOBS_POLL_MS", "20"),
            ("SAS_PUBLIC_URL", "https://sas.test"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
        let clock = ManualClock::new(t0());
        let mut app = Application::build(settings, Arc::new(clock.clone()))
            .await
            .expect("server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let jobs = app.take_jobs();
        actix_web::rt::spawn(app.server());
        TestApp {
            jobs,
            env,
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // The server closes idle connections after 5 s (actix's keep-alive): the
                // client lets them go first, so a request after a slow step never lands on a
                // connection the server is closing (hyper's `IncompleteMessage`).
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .expect("client"),
            clock,
            db_name,
            db_url,
            admin_token: std::sync::Mutex::new(None),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut r = self.client.request(method, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.req(Method::GET, path, Some(token))
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.req(Method::POST, path, Some(token))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// An administrative write: `body` with the audit `reason` added when it has none.
    pub async fn admin_post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.post(path, token, &with_reason(body.clone())).await
    }

    pub async fn token_request(&self, body: &Value) -> Response {
        self.req(Method::POST, "/api/v1/auth/token", None)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Logs in and returns the whole token answer.
    pub async fn login_full(&self, email: &str, password: &str) -> Value {
        let res = self
            .token_request(&json!({"grant_type": "password", "email": email, "password": password}))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        res.json().await.expect("json")
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        self.login_full(email, password).await["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn admin(&self) -> String {
        if let Some(t) = self.admin_token.lock().expect("lock").clone() {
            return t;
        }
        let t = self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        *self.admin_token.lock().expect("lock") = Some(t.clone());
        t
    }

    /// Creates a resource as admin (with a reason, as the audit requires) and returns its
    /// body (asserting 201).
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let admin = self.admin().await;
        let res = self.admin_post(path, &admin, &body).await;
        let status = res.status();
        let v: Value = res.json().await.expect("json");
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {v}");
        v
    }

    pub async fn territory(&self, name: &str, communes: &[&str]) -> Value {
        self.create(
            "/api/v1/territories",
            json!({"name": name, "communes": communes}),
        )
        .await
    }

    pub async fn structure(&self, body: Value) -> Value {
        let mut b = json!({"name": "Structure", "kind": "ML"});
        merge(&mut b, body);
        self.create("/api/v1/structures", b).await
    }

    /// Creates a user with `roles` in `structure` (and `territory` for pilots) and a temporary
    /// password, which the user then replaces with `PASSWORD`; returns their token.
    pub async fn user_token(
        &self,
        email: &str,
        roles: &[&str],
        structure: Option<&str>,
        territory: Option<&str>,
    ) -> String {
        self.create(
            "/api/v1/users",
            json!({
                "email": email, "first_name": "Test", "last_name": "User",
                "password": TEMP_PASSWORD, "roles": roles, "structure_id": structure,
                "territory_id": territory,
            }),
        )
        .await;
        self.first_login(email).await["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    /// Logs in with `TEMP_PASSWORD` and replaces it with `PASSWORD`; returns the new tokens.
    pub async fn first_login(&self, email: &str) -> Value {
        let temp = self.login_full(email, TEMP_PASSWORD).await;
        assert_eq!(temp["password_change_required"], true, "{temp}");
        let res = self
            .post(
                "/api/v1/me/password",
                temp["access_token"].as_str().expect("access_token"),
                &json!({"current_password": TEMP_PASSWORD, "new_password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "password change of {email}");
        res.json().await.expect("json")
    }

    /// A small world: a territory, a SAS team, a prescriber and a receiver structure, and
    /// one token per role.
    pub async fn world(&self) -> World {
        let territory = self.territory("Territoire test", &["69123", "69266"]).await;
        let tid = territory["id"].as_str().expect("id").to_string();
        let team = self
            .structure(
                json!({"name": "SAS test", "kind": "ASSO", "sas_team": true, "territory_id": tid}),
            )
            .await;
        let prescriber = self
            .structure(json!({"name": "ASE test", "kind": "ASE", "prescriber": true}))
            .await;
        let receiver = self
            .structure(json!({"name": "E2C test", "kind": "E2C", "receiver": true}))
            .await;
        let id = |v: &Value| v["id"].as_str().expect("id").to_string();
        let (team_id, prescriber_id, receiver_id) = (id(&team), id(&prescriber), id(&receiver));
        World {
            prescriber: self
                .user_token("p@sas.test", &["prescriber"], Some(&prescriber_id), None)
                .await,
            counsellor: self
                .user_token("c@sas.test", &["counsellor"], Some(&team_id), None)
                .await,
            receiver: self
                .user_token("r@sas.test", &["receiver"], Some(&receiver_id), None)
                .await,
            pilot: self
                .user_token("pi@sas.test", &["pilot"], None, Some(&tid))
                .await,
            admin: self.admin().await,
            territory_id: tid,
            team_id,
            prescriber_id,
            receiver_id,
        }
    }

    /// Creates an API client of `structure` with `roles` (as admin) and returns it (secret
    /// included) with an access token of its own.
    pub async fn api_client(&self, structure: &str, roles: &[&str]) -> (Value, String) {
        let c = self
            .create(
                "/api/v1/api-clients",
                json!({"name": "SI partenaire", "structure_id": structure, "roles": roles}),
            )
            .await;
        let res = self
            .token_request(&json!({"grant_type": "client_credentials",
                                   "client_id": c["client_id"], "client_secret": c["client_secret"]}))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "client_credentials");
        let t: Value = res.json().await.expect("json");
        let token = t["access_token"]
            .as_str()
            .expect("access_token")
            .to_string();
        (c, token)
    }

    /// The id of the account with this email (as admin).
    pub async fn user_id(&self, email: &str) -> String {
        let admin = self.admin().await;
        let page: Value = self
            .get(
                &format!("/api/v1/users?q={}", email.replace('@', "%40")),
                &admin,
            )
            .await
            .json()
            .await
            .expect("json");
        page["items"]
            .as_array()
            .and_then(|a| a.iter().find(|u| u["email"] == email))
            .and_then(|u| u["id"].as_str())
            .unwrap_or_else(|| panic!("no user {email}"))
            .to_string()
    }

    /// The OpenAPI document the server serves.
    pub async fn spec(&self) -> Value {
        self.req(Method::GET, "/api/openapi.json", None)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json")
    }

    /// A direct connection to this test's database, for assertions on stored rows.
    pub fn db(&self) -> PgConnection {
        PgConnection::establish(&self.db_url).expect("connect test database")
    }
}

pub struct World {
    pub admin: String,
    pub prescriber: String,
    pub counsellor: String,
    pub receiver: String,
    pub pilot: String,
    pub territory_id: String,
    pub team_id: String,
    pub prescriber_id: String,
    pub receiver_id: String,
}

impl World {
    pub fn tokens(&self) -> [(&'static str, &str); 5] {
        [
            ("admin", self.admin.as_str()),
            ("prescriber", self.prescriber.as_str()),
            ("counsellor", self.counsellor.as_str()),
            ("receiver", self.receiver.as_str()),
            ("pilot", self.pilot.as_str()),
        ]
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(mut jobs) = self.jobs.take() {
            jobs.stop();
        }
        if let Ok(mut conn) = PgConnection::establish(&admin_url()) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.db_name
            ))
            .execute(&mut conn);
        }
    }
}

/// The claims of an access token (not verified: the server does that).
pub fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64url"),
    )
    .expect("json claims")
}

/// A referral of an adult living in `commune`, as a prescriber sends it.
pub fn referral_in(commune: &str, last_name: &str) -> Value {
    json!({
        "youth": {
            "first_name": "Léa", "last_name": last_name, "birth_date": "2000-01-15",
            "phone": "06 12 34 56 78", "commune_insee": commune, "contact_channels": ["phone"]
        },
        "reason_code": "ase_exit",
        "needs": ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "consent": {
            "informed_at": "2026-03-01T10:00:00Z", "informed_by": "Paul, éducateur",
            "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]
        }
    })
}

/// `body` with `"reason": REASON` when it has no reason.
pub fn with_reason(mut body: Value) -> Value {
    if let Some(o) = body.as_object_mut() {
        o.entry("reason").or_insert_with(|| json!(REASON));
    }
    body
}

pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

/// Asserts a problem+json answer with `status` and `code`; returns the body.
pub async fn problem(res: Response, status: StatusCode, code: &str) -> Value {
    let got = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "status; body: {body}");
    assert_eq!(ct, "application/problem+json", "content type; body: {body}");
    assert_eq!(body["code"], code, "code; body: {body}");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string());
    body
}

/// The `code`s of the field errors of a 422 body, as (field, code).
pub fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `check` until it returns `Some`, for at most `secs` seconds (background effects:
/// mails, webhook deliveries). Never a fixed sleep: it returns as soon as the effect is there.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The project's Python (the venv of scripts/setup.sh, with aiosmtpd and standardwebhooks).
fn venv_python() -> std::path::PathBuf {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    assert!(
        p.exists(),
        "{} missing: run scripts/setup.sh (make test does)",
        p.display()
    );
    p
}

fn script(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts")
        .join(name)
}

fn temp_dir(prefix: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("{prefix}-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Starts a helper script and reads the `PORT <n>` line it prints.
fn start_server(args: &[&std::ffi::OsStr]) -> (std::process::Child, u16) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(venv_python())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start helper server");
    let out = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(out)
        .read_line(&mut line)
        .expect("read port");
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("helper said {line:?}"));
    (child, port)
}

/// A free TCP port (for a server started later: the mail server that is down at first).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A real SMTP server (aiosmtpd, `scripts/mail-sink.py`) writing a Maildir.
pub struct MailSink {
    child: std::process::Child,
    pub port: u16,
    dir: std::path::PathBuf,
}

/// One message as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

impl MailSink {
    pub fn start() -> MailSink {
        MailSink::start_on(0)
    }

    pub fn start_on(port: u16) -> MailSink {
        let dir = temp_dir("sas-maildir");
        let p = port.to_string();
        let (child, port) = start_server(&[
            script("mail-sink.py").as_os_str(),
            dir.as_os_str(),
            std::ffi::OsStr::new(&p),
        ]);
        MailSink { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message in the Maildir, decoded.
    pub fn messages(&self) -> Vec<Received> {
        let new = self.dir.join("new");
        let mut files: Vec<_> = std::fs::read_dir(&new)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .map(|raw| parse_mail(&raw))
            .collect()
    }

    /// Waits until at least `n` messages arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        eventually(20, &format!("{n} mail(s)"), || async {
            let m = self.messages();
            (m.len() >= n).then_some(m)
        })
        .await
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Undoes quoted-printable (`=XX`, soft line breaks).
fn unqp(s: &str) -> String {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes one part body by its Content-Transfer-Encoding.
fn decode_part(headers: &str, body: &str) -> String {
    let h = headers.to_ascii_lowercase();
    if h.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        String::from_utf8_lossy(
            &base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap_or_default(),
        )
        .into_owned()
    } else if h.contains("content-transfer-encoding: quoted-printable") {
        unqp(body)
    } else {
        body.to_string()
    }
}

/// A header value (unfolded; RFC 2047 words decoded for UTF-8 base64/Q).
fn header(headers: &str, name: &str) -> String {
    let unfolded = headers.replace("\r\n ", " ").replace("\n ", " ");
    let v = unfolded
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    v.split(' ')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            if let Some(rest) = lower.strip_prefix("=?utf-8?b?") {
                use base64::Engine;
                let data = &w[10..10 + rest.len() - 2];
                String::from_utf8_lossy(
                    &base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .unwrap_or_default(),
                )
                .into_owned()
            } else if lower.starts_with("=?utf-8?q?") {
                unqp(&w[10..w.len() - 2].replace('_', " "))
            } else {
                format!("{w} ")
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

fn split_head(s: &str) -> (&str, &str) {
    s.split_once("\r\n\r\n")
        .or_else(|| s.split_once("\n\n"))
        .unwrap_or((s, ""))
}

pub fn parse_mail(raw: &str) -> Received {
    let (head, body) = split_head(raw);
    let mut text = String::new();
    let mut html = String::new();
    let ct = header(head, "Content-Type");
    if let Some(b) = ct.split("boundary=").nth(1) {
        let boundary = format!("--{}", b.trim_matches('"').split(';').next().unwrap_or(""));
        for part in body.split(&boundary) {
            let part = part.trim_start_matches(['\r', '\n']);
            let (ph, pb) = split_head(part);
            let pct = header(ph, "Content-Type").to_ascii_lowercase();
            if pct.starts_with("text/plain") {
                text = decode_part(ph, pb.trim_end());
            } else if pct.starts_with("text/html") {
                html = decode_part(ph, pb.trim_end());
            }
        }
    } else {
        text = decode_part(head, body);
    }
    Received {
        to: header(head, "To"),
        subject: header(head, "Subject"),
        message_id: header(head, "Message-ID"),
        text,
        html,
    }
}

/// A real HTTP receiver of webhooks (`scripts/webhook-receiver.py`) that verifies each POST
/// with PyPI's `standardwebhooks` and logs what it got.
pub struct WebhookReceiver {
    child: std::process::Child,
    pub port: u16,
    dir: std::path::PathBuf,
}

impl WebhookReceiver {
    pub fn start() -> WebhookReceiver {
        let dir = temp_dir("sas-webhooks");
        let (secret, log) = (dir.join("secret"), dir.join("log.jsonl"));
        std::fs::write(&secret, "").expect("secret file");
        let (child, port) = start_server(&[
            script("webhook-receiver.py").as_os_str(),
            secret.as_os_str(),
            log.as_os_str(),
        ]);
        WebhookReceiver { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/sas", self.port)
    }

    /// The secret the receiver verifies with (the `whsec_…` shown at subscription).
    pub fn set_secret(&self, secret: &str) {
        std::fs::write(self.dir.join("secret"), secret).expect("write secret");
    }

    /// Answer verified requests with this status from now on (`None`: 204).
    pub fn answer(&self, status: Option<u16>) {
        let f = self.dir.join("log.jsonl.status");
        match status {
            Some(s) => std::fs::write(f, s.to_string()).expect("status file"),
            None => {
                let _ = std::fs::remove_file(f);
            }
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("log.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits until `pred` holds for the requests received; returns them.
    pub async fn wait_until(&self, what: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        eventually(20, what, || async {
            let r = self.requests();
            pred(&r).then_some(r)
        })
        .await
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One value of this test's database (`SELECT … AS v`), as text.
pub fn sql_text(app: &TestApp, query: &str) -> Option<String> {
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        v: Option<String>,
    }
    let mut c = app.db();
    diesel::sql_query(query)
        .get_result::<V>(&mut c)
        .ok()
        .and_then(|r| r.v)
}

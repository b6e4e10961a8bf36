//! Builds the application: migrations, bootstrap admin, the actix app with its error
//! handling, security headers, docs and (optionally) the SPA; binds the listener (port 0 in tests).
use std::net::TcpListener;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use actix_web::dev::ResourceDef;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, QueryPayloadError};
use actix_web::http::header::ContentEncoding;
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Logger};
use actix_web::{web, App, HttpRequest, HttpResponse, ResponseError};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt, UtoipaApp};
use utoipa_swagger_ui::SwaggerUi;

use crate::clock::SharedClock;
use crate::config::{Env, Settings};
use crate::db::{self, migrations};
use crate::error::{ApiError, PROBLEM_JSON};
use crate::openapi::{complete, ApiDoc};
use crate::routes;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(String),
    #[error("migrations: {0}")]
    Migrations(String),
    #[error("bootstrap admin: {0}")]
    Bootstrap(String),
    #[error("bind: {0}")]
    Bind(#[from] std::io::Error),
    #[error("jobs: {0}")]
    Jobs(String),
}

pub struct Application {
    port: u16,
    server: Server,
    jobs: Option<crate::jobs::RunnerHandle>,
}

impl Application {
    /// Runs pending migrations, creates the bootstrap admin if needed, binds and returns a
    /// server ready to run.
    pub async fn build(
        settings: Settings,
        clock: SharedClock,
    ) -> Result<Application, StartupError> {
        let pool = db::pool(&settings.database_url, settings.db_pool_size);
        let applied = prepare_database(&pool, &settings, clock.clone()).await?;
        if !applied.is_empty() {
            log::info!("applied migrations: {}", applied.join(", "));
        }
        let listener = TcpListener::bind(settings.bind)?;
        let port = listener.local_addr()?.port();
        let jobs = if settings.jobs.in_serve {
            let ctx = crate::jobs::Context::new(settings.clone(), clock.clone())
                .map_err(StartupError::Jobs)?;
            Some(crate::jobs::Runner::new(ctx).spawn()?)
        } else {
            None
        };
        let state = web::Data::new(AppState::new(settings, pool, clock));
        let spec = Arc::new(openapi());
        let methods = Arc::new(MethodTable::from_spec(&spec));
        let server = actix_web::HttpServer::new(move || {
            build_app(state.clone(), spec.clone(), methods.clone())
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server, jobs })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The job runner started with the server (`SAS_JOBS=on`): it stops when dropped.
    pub fn take_jobs(&mut self) -> Option<crate::jobs::RunnerHandle> {
        self.jobs.take()
    }

    pub fn server(mut self) -> Server {
        // The runner lives as long as the process (`sas serve`) unless taken first.
        if let Some(jobs) = self.jobs.take() {
            std::mem::forget(jobs);
        }
        self.server
    }
}

async fn prepare_database(
    pool: &db::Pool,
    settings: &Settings,
    clock: SharedClock,
) -> Result<Vec<String>, StartupError> {
    let pool = pool.clone();
    let admin = settings.bootstrap_admin.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = pool
            .get()
            .map_err(|e| StartupError::Database(e.to_string()))?;
        let applied = migrations::run_pending(&mut conn)
            .map_err(|e| StartupError::Migrations(e.to_string()))?;
        if let Some((email, password)) = admin {
            crate::seed::bootstrap_admin(&mut conn, &email, &password, clock.now())
                .map_err(StartupError::Bootstrap)?;
        }
        Ok(applied)
    })
    .await
    .map_err(|e| StartupError::Database(e.to_string()))?
}

/// Registers every route (the OpenAPI paths are collected from the same calls).
fn routed<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(scope::scope("/api/v1").configure(routes::api_v1))
        .configure(routes::health)
}

/// The complete OpenAPI document of this build.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) =
        routed(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    complete(doc)
}

fn build_app(
    state: web::Data<AppState>,
    spec: Arc<utoipa::openapi::OpenApi>,
    methods: Arc<MethodTable>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let settings = &state.settings;
    let max_body = settings.max_body_bytes;
    let mut headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        // Personal data must not linger in caches; the SPA's static files set their own.
        .add((header::CACHE_CONTROL, "no-store"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
             frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ));
    if settings.env != Env::Dev {
        headers = headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ));
    }
    let cors = {
        let mut c = actix_cors::Cors::default()
            .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
            .allowed_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
            ])
            .allowed_header("Idempotency-Key")
            .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER])
            .max_age(3600);
        for o in &settings.cors_origins {
            c = c.allowed_origin(o).supports_credentials();
        }
        c
    };
    let static_dir = settings.static_dir.clone();
    let (app, _) = routed(App::new().into_utoipa_app()).split_for_parts();
    let spec_value = (*spec).clone();
    app.app_data(state.clone())
        .app_data(
            web::JsonConfig::default()
                .limit(max_body)
                .error_handler(json_error),
        )
        .app_data(web::PayloadConfig::new(max_body))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()))
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec_value))
        .route(
            "/api/docs",
            web::get().to(|| async {
                HttpResponse::PermanentRedirect()
                    .insert_header((header::LOCATION, "/api/docs/"))
                    .finish()
            }),
        )
        .default_service(web::to(move |req: HttpRequest| {
            let methods = methods.clone();
            let static_dir = static_dir.clone();
            async move { fallback(req, &methods, static_dir.as_deref()).await }
        }))
        .wrap(actix_web::middleware::from_fn(crate::auth::middleware))
        .wrap(ErrorHandlers::new().default_handler(problemize))
        .wrap(actix_web::middleware::Compress::default())
        .wrap(cors)
        .wrap(headers)
        .wrap(access_log())
}

/// Target of the request log lines.
pub const ACCESS_LOG_TARGET: &str = "sas::access";

/// One line per request: method, path *without* its query string, status, duration. Never
/// the query (`q=` holds names, phone numbers, birth dates, emails), the body, the client
/// address or any header.
fn access_log() -> Logger {
    Logger::new("%{method}xi %{path}xi %s %Dms")
        .custom_request_replace("method", |req| req.method().to_string())
        .custom_request_replace("path", |req| req.path().to_string())
        .log_target(ACCESS_LOG_TARGET)
        .exclude("/health/live")
}

/// Paths and methods of the API, to answer 405 (with `Allow`) rather than 404 when a known
/// path is called with another method.
pub struct MethodTable(Vec<(ResourceDef, Vec<&'static str>)>);

impl MethodTable {
    fn from_spec(spec: &utoipa::openapi::OpenApi) -> MethodTable {
        let mut v = Vec::new();
        for (path, item) in &spec.paths.paths {
            let mut m = Vec::new();
            for (name, op) in [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ] {
                if op.is_some() {
                    m.push(name);
                }
            }
            v.push((ResourceDef::new(path.as_str()), m));
        }
        MethodTable(v)
    }

    fn allowed(&self, path: &str) -> Option<&[&'static str]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_slice())
    }
}

async fn fallback(
    req: HttpRequest,
    methods: &MethodTable,
    static_dir: Option<&Path>,
) -> HttpResponse {
    let path = req.path();
    if let Some(allowed) = methods.allowed(path) {
        if req.method() == Method::OPTIONS {
            return HttpResponse::NoContent()
                .insert_header((header::ALLOW, allowed.join(", ")))
                .finish();
        }
        let mut e = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!(
                "{} is not allowed here; allowed: {}.",
                req.method(),
                allowed.join(", ")
            ),
        );
        e.allow = Some(allowed.join(", "));
        return e.error_response();
    }
    let api_path = path.starts_with("/api/") || path == "/api" || path.starts_with("/health");
    if let (false, Some(dir)) = (api_path, static_dir) {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            if let Some(res) = serve_spa(&req, dir) {
                return res;
            }
        }
    }
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such route.").error_response()
}

/// Serves a file of the built SPA, or its `index.html` for deep links; a precompressed
/// sibling (`.br`, `.gz`, written by scripts/frontend-build.sh) when the browser accepts it.
fn serve_spa(req: &HttpRequest, dir: &Path) -> Option<HttpResponse> {
    let rel: PathBuf = req.path().trim_start_matches('/').into();
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let candidate = dir.join(&rel);
    let (file, immutable) = if candidate.is_file() {
        let immutable = is_hashed(&candidate);
        (candidate, immutable)
    } else {
        (dir.join("index.html"), false)
    };
    let accepts = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let pre = [
        ("br", ContentEncoding::Brotli),
        ("gzip", ContentEncoding::Gzip),
    ]
    .into_iter()
    .filter(|(name, _)| {
        accepts
            .split(',')
            .any(|a| a.trim().split(';').next() == Some(*name))
    })
    .find_map(|(name, enc)| {
        let ext = if name == "br" { "br" } else { "gz" };
        let sibling = PathBuf::from(format!("{}.{ext}", file.display()));
        sibling.is_file().then_some((sibling, enc))
    });
    let mime = actix_files::file_extension_to_mime(
        file.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let named = match pre {
        Some((sibling, enc)) => actix_files::NamedFile::open(sibling)
            .ok()?
            .set_content_type(mime)
            .set_content_encoding(enc)
            // Named after the `.br` file, it would otherwise be sent as an attachment.
            .disable_content_disposition(),
        None => actix_files::NamedFile::open(&file).ok()?,
    };
    let mut res = named.into_response(req);
    // Hashed build outputs never change; index.html must be revalidated to pick up a release.
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(cache),
    );
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("Accept-Encoding"),
    );
    Some(res)
}

/// Trunk names its outputs `name-<16 hex>.ext` (the wasm: `name-<16 hex>_bg.wasm`).
fn is_hashed(p: &Path) -> bool {
    p.file_stem()
        .and_then(|s| s.to_str())
        .map(|s| s.strip_suffix("_bg").unwrap_or(s))
        .and_then(|s| s.rsplit_once('-'))
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Turns actix's own error answers (no body, or plain text) into problem documents.
fn problemize<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let status = res.status();
    if is_problem || !(status.is_client_error() || status.is_server_error()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => ("not_found", "No such route."),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "This method is not allowed here.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The body is too large."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Send application/json."),
        StatusCode::BAD_REQUEST => ("bad_request", "The request is malformed."),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "Authentication is required."),
        StatusCode::FORBIDDEN => ("forbidden", "Not allowed."),
        s if s.is_server_error() => (
            "internal_error",
            "An unexpected error occurred; it has been logged.",
        ),
        _ => ("http_error", "The request could not be served."),
    };
    let keep: Vec<(header::HeaderName, header::HeaderValue)> = [header::ALLOW, header::RETRY_AFTER]
        .into_iter()
        .filter_map(|h| res.response().headers().get(&h).map(|v| (h, v.clone())))
        .collect();
    let (req, _) = res.into_parts();
    let mut new = ApiError::new(status, code, detail).error_response();
    for (h, v) in keep {
        new.headers_mut().insert(h, v);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let e = match &err {
        JsonPayloadError::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as application/json.",
        ),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            too_large()
        }
        JsonPayloadError::Payload(actix_web::error::PayloadError::Overflow) => too_large(),
        JsonPayloadError::Deserialize(e) => json_error_from_serde(e),
        _ => ApiError::bad_request("malformed_json", "The body could not be read as JSON."),
    };
    e.into()
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "The body is larger than this server accepts.",
    )
}

/// Classifies a JSON body error without echoing submitted values (they may be personal data).
pub fn json_error_from_serde(e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let msg = e.to_string();
    let where_ = format!("line {}, column {}", e.line(), e.column());
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let mut err = ApiError::bad_request(
            "unknown_field",
            format!("Unknown field `{field}`: this API rejects fields it does not define."),
        );
        err.errors = vec![api_types::FieldError::new(
            field,
            "unknown_field",
            "Not a field of this request.",
        )];
        return err;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return ApiError::field(field, "required", format!("{field} is required."));
    }
    match e.classify() {
        Category::Data => {
            let expected = msg
                .split_once(", expected ")
                .map(|(_, x)| x.split(" at line").next().unwrap_or("").to_string())
                .filter(|x| !x.contains('"'))
                .map(|x| format!(" (expected {x})"))
                .unwrap_or_default();
            ApiError::bad_request(
                "invalid_field",
                format!("A field has the wrong type or value at {where_}{expected}."),
            )
        }
        _ => ApiError::bad_request(
            "malformed_json",
            format!("The body is not valid JSON ({where_})."),
        ),
    }
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let msg = err.to_string();
    let e = if let Some(rest) = msg.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        ApiError::bad_request(
            "unknown_parameter",
            format!("Unknown query parameter `{field}`."),
        )
    } else {
        ApiError::bad_request("invalid_query", "A query parameter has an invalid value.")
    };
    e.into()
}

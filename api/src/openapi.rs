//! The OpenAPI document: paths collected from the routes by utoipa-actix-web, then completed
//! here, in one place, with what every operation shares: the security scheme, the common
//! problem responses (400/401/413/415/500/503 by shape; 403 on role-restricted operations, 404
//! on `{id}` paths, 412/428 where `If-Match` is taken), and the declared formats of cursors
//! and `If-Match`. A handler writes inline only its own 409s and 422s with their codes; an
//! inline response is kept as written (the derived one is added only where absent).
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::Required;
use utoipa::openapi::{ContentBuilder, OpenApi as Doc, Ref, RefOr};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SAS API",
        description = "SAS secures the transition of young people (15–29) between two accompaniments: \
            a prescriber refers them, a SAS counsellor reaches and orients them, a receiving structure \
            takes them in charge. Conventions: `docs/API-DESIGN.md`. Errors are RFC 9457 problem \
            documents with a stable `code`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/", description = "This server")),
    components(schemas(api_types::Problem, api_types::FieldError, api_types::ExportFormat)),
    tags(
        (name = "auth", description = "Tokens and the caller."),
        (name = "reference", description = "Communes and vocabularies."),
        (name = "administration", description = "Territories, structures, users, API clients and the jobs' state."),
        (name = "notifications", description = "What the app tells each user, and how they are mailed."),
        (name = "webhooks", description = "Signed POSTs (Standard Webhooks) to partner systems for each referral or relay status change."),
        (name = "referrals", description = "Identify: referrals of young people and the counsellors' queue."),
        (name = "relays", description = "Relay: requests to receiving structures, their answers and the follow-up checkpoints (the closed loop)."),
        (name = "services", description = "The offer: a receiving structure's services, and their publication."),
        (name = "offer", description = "The published offer, for anyone: search and the data·inclusion export."),
        (name = "stats", description = "Steering: the funnel and the indicators of a territory, aggregated and suppressed under 5 (docs/STEERING.md)."),
        (name = "privacy", description = "The young people's rights: the right of access (an export of everything SAS holds about one of them), with a reason each time."),
        (name = "health", description = "Probes."),
    )
)]
pub struct ApiDoc;

/// Paths that need no token.
const PUBLIC: [&str; 6] = [
    "/api/v1/auth/token",
    "/api/v1/auth/logout",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/set-password",
    "/health/live",
    "/health/ready",
];

/// Operations open to anyone (no token needed; a token sent must be valid, and lifts the
/// per-address rate limit): the offer and the reference data.
const OPEN: [(&str, &str); 6] = [
    ("get", "/api/v1/services/search"),
    ("get", "/api/v1/services/export"),
    ("get", "/api/v1/communes"),
    ("get", "/api/v1/communes/{insee}"),
    ("get", "/api/v1/vocabularies"),
    ("get", "/api/v1/vocabularies/{name}"),
];

/// Secured operations every authenticated caller may use, whatever its roles (reference data,
/// the directory, the caller itself): they answer 403 only `password_change_required`, never a
/// role refusal. The black-box test `documented_403s_are_exactly_the_role_checks` keeps this
/// list true.
const ANY_ROLE: [(&str, &str); 8] = [
    ("get", "/api/v1/me"),
    // The statistics: every role has a scope (one it has not answers 404).
    ("get", "/api/v1/stats/funnel"),
    ("get", "/api/v1/stats/indicators"),
    ("get", "/api/v1/stats/export"),
    ("get", "/api/v1/territories"),
    ("get", "/api/v1/territories/{id}"),
    ("get", "/api/v1/structures"),
    ("get", "/api/v1/structures/{id}"),
];

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// Adds the bearer scheme and the common error responses to every operation.
pub fn complete(mut doc: Doc) -> Doc {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("Access token from POST /api/v1/auth/token"))
                .build(),
        ),
    );
    let common = [
        ("BadRequest", "Malformed request: invalid JSON, unknown field or query parameter, a cursor or `If-Match` not of the declared format (`malformed_json`, `unknown_field`, `invalid_query`, `invalid_cursor`, `invalid_if_match`)."),
        ("Forbidden", "Your role does not allow this operation (`forbidden`), checked before anything else so nothing about the request is revealed; or your password was set by an administrator and must be replaced first (`password_change_required`, see `POST /api/v1/me/password`)."),
        ("PasswordChangeRequired", "Your password was set by an administrator and must be replaced first (`password_change_required`, see `POST /api/v1/me/password`); no role is refused here."),
        ("NotFound", "No such resource, or outside your scope (`not_found`): the two are not told apart."),
        ("PreconditionFailed", "The `If-Match` version is not the current one (`stale_version`): read the resource again and reapply your change."),
        ("PreconditionRequired", "`If-Match` is missing (`if_match_required`): send the `ETag` you read."),
        ("Unauthorized", "Missing, invalid or expired access token, or its session ended (`unauthenticated`, `invalid_token`, `token_expired`, `token_revoked`)."),
        ("PayloadTooLarge", "The body is larger than the configured limit (`payload_too_large`)."),
        ("UnsupportedMediaType", "The body is not `application/json` (`unsupported_media_type`)."),
        ("ServiceUnavailable", "The database is unavailable (`database_unavailable`); see `Retry-After`."),
        ("InternalError", "Unexpected error (`internal_error`); logged, never detailed."),
        ("TooManyRequests", "Too many requests without a token from your address (`rate_limited`, `SAS_PUBLIC_RATE_PER_MINUTE`); see `Retry-After`."),
        ("InvalidToken", "A token was sent but is not valid (`invalid_token`, `token_expired`, `token_revoked`): send a valid one or none."),
    ];
    for (name, desc) in common {
        components.responses.insert(name.to_string(), problem(desc));
    }
    // serde rejects unknown fields of each grant; utoipa does not say so for tagged enums.
    if let Some(RefOr::T(utoipa::openapi::schema::Schema::OneOf(one))) =
        components.schemas.get_mut("TokenRequest")
    {
        for item in one.items.iter_mut() {
            if let RefOr::T(utoipa::openapi::schema::Schema::Object(o)) = item {
                o.additional_properties = Some(Box::new(
                    utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
                ));
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = PUBLIC.contains(&path.as_str());
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ] {
            let Some(op) = op else { continue };
            let shape = Shape {
                public,
                open: OPEN.contains(&(method, path.as_str())),
                any_role: ANY_ROLE.contains(&(method, path.as_str())),
                has_id: path.contains('{'),
            };
            declare_formats(op);
            add_common(op, shape);
            add_definitions(path, op);
            op.operation_id = Some(operation_id(path, op.operation_id.as_deref().unwrap_or("")));
        }
    }
    doc
}

/// The statistics' definitions, written once in `domain::stats::definitions`, appended to
/// the descriptions of the operations that publish them (and carried in each response's
/// `definition` field).
fn add_definitions(path: &str, op: &mut Operation) {
    use crate::domain::stats::definitions as defs;
    let lists: [(&str, &[defs::Definition]); 6] = [
        ("Funnel, scope `territory`", &defs::FUNNEL),
        (
            "Funnel, scope `prescriber_structure`",
            &defs::PRESCRIBER_FUNNEL,
        ),
        (
            "Funnel, scope `receiving_structure`",
            &defs::RECEIVER_FUNNEL,
        ),
        ("Indicators, scope `territory`", &defs::INDICATORS),
        (
            "Indicators, scope `prescriber_structure`",
            &defs::PRESCRIBER_INDICATORS,
        ),
        (
            "Indicators, scope `receiving_structure`",
            &defs::RECEIVER_INDICATORS,
        ),
    ];
    let wanted: &[usize] = match path {
        "/api/v1/stats/funnel" => &[0, 1, 2],
        "/api/v1/stats/indicators" => &[3, 4, 5],
        "/api/v1/stats/export" => &[0, 1, 2, 3, 4, 5],
        _ => return,
    };
    let mut text = op.description.clone().unwrap_or_default();
    text.push_str("\n\nDefinitions (docs/STEERING.md). Common rules: ");
    text.push_str(defs::COMMON);
    for &i in wanted {
        let (title, list) = lists[i];
        text.push_str(&format!("\n\n{title}:\n"));
        for d in list {
            text.push_str(&format!("\n- `{}` ({}): {}", d.code, d.label, d.definition));
        }
    }
    op.description = Some(text);
}

/// What decides the common responses of an operation.
#[derive(Debug, Clone, Copy)]
struct Shape {
    public: bool,
    open: bool,
    any_role: bool,
    has_id: bool,
}

fn string_schema(p: &mut Parameter) -> Option<&mut utoipa::openapi::schema::Object> {
    match p.schema.as_mut()? {
        RefOr::T(Schema::Object(o)) => Some(o),
        _ => None,
    }
}

/// The formats the server accepts, so that every schema-valid value is one it takes: any
/// `cursor` of the pattern decodes to a position (`db::cursor`), `If-Match` is `*` or a
/// version as its ETag gives it.
fn declare_formats(op: &mut Operation) {
    for p in op.parameters.iter_mut().flatten() {
        let RefOr::T(p) = p else { continue };
        match (&p.parameter_in, p.name.as_str()) {
            (ParameterIn::Query, "cursor") => {
                if let Some(o) = string_schema(p) {
                    o.pattern = Some(crate::db::cursor::PATTERN.to_string());
                    o.max_length = Some(crate::db::cursor::MAX_LENGTH);
                }
                p.description = Some(
                    "Opaque position: the `next_cursor` of the previous page (empty: the first page)."
                        .to_string(),
                );
            }
            (ParameterIn::Header, "Idempotency-Key") => {
                if let Some(o) = string_schema(p) {
                    o.pattern = Some(crate::routes::idempotency::KEY_PATTERN.to_string());
                    o.min_length = Some(1);
                    o.max_length = Some(crate::routes::idempotency::KEY_MAX_LENGTH);
                }
            }
            (ParameterIn::Header, "If-Match") => {
                if let Some(o) = string_schema(p) {
                    o.pattern = Some(crate::routes::support::IF_MATCH_PATTERN.to_string());
                }
                p.required = Required::True;
            }
            _ => {}
        }
    }
}

/// `{resource}_{handler}` (`users_list`, `api_clients_revoke`, `me`): unique, stable names for
/// generated clients.
fn operation_id(path: &str, handler: &str) -> String {
    let resource = path
        .trim_start_matches("/api/v1/")
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .replace('-', "_");
    if resource == handler {
        resource
    } else {
        format!("{resource}_{handler}")
    }
}

fn add_common(op: &mut Operation, shape: Shape) {
    let has_body = op.request_body.is_some();
    let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_if_match = op.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Header) && p.name == "If-Match")
    });
    let public = shape.public;
    let r = &mut op.responses.responses;
    if shape.open {
        let mut add = |code: &str, name: &str| {
            r.entry(code.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
        };
        if has_params {
            add("400", "BadRequest");
        }
        add("401", "InvalidToken");
        add("403", "PasswordChangeRequired");
        add("429", "TooManyRequests");
        add("500", "InternalError");
        add("503", "ServiceUnavailable");
        if shape.has_id {
            add("404", "NotFound");
        }
        // No token, or a bearer token: both are accepted.
        op.security = Some(vec![
            SecurityRequirement::default(),
            SecurityRequirement::new("bearer", Vec::<String>::new()),
        ]);
        return;
    }
    let mut add = |code: &str, name: &str| {
        r.entry(code.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    };
    if has_body || has_params {
        add("400", "BadRequest");
    }
    if has_body {
        add("413", "PayloadTooLarge");
        add("415", "UnsupportedMediaType");
    }
    add("500", "InternalError");
    add("503", "ServiceUnavailable");
    if shape.has_id {
        add("404", "NotFound");
    }
    if has_if_match {
        add("412", "PreconditionFailed");
        add("428", "PreconditionRequired");
    }
    if !public {
        add(
            "403",
            if shape.any_role {
                "PasswordChangeRequired"
            } else {
                "Forbidden"
            },
        );
    }
    if !public {
        add("401", "Unauthorized");
        op.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// The document as YAML (what `openapi.yaml` holds).
pub fn to_yaml(doc: &Doc) -> Result<String, String> {
    doc.to_yaml().map_err(|e| e.to_string())
}

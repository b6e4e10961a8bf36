//! The OpenAPI document: paths collected from the routes by utoipa-actix-web, then completed
//! here with the security scheme and the error responses every operation can give.
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
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
    components(schemas(api_types::Problem, api_types::FieldError)),
    tags(
        (name = "auth", description = "Tokens and the caller."),
        (name = "reference", description = "Communes and vocabularies."),
        (name = "administration", description = "Territories, structures, users and API clients."),
        (name = "referrals", description = "Identify: referrals of young people and the counsellors' queue."),
        (name = "health", description = "Probes."),
    )
)]
pub struct ApiDoc;

/// Paths that need no token.
const PUBLIC: [&str; 4] = [
    "/api/v1/auth/token",
    "/api/v1/auth/logout",
    "/health/live",
    "/health/ready",
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
        ("BadRequest", "Malformed request: invalid JSON, unknown field or query parameter (`malformed_json`, `unknown_field`, `invalid_query`)."),
        ("Unauthorized", "Missing, invalid or expired access token, or its session ended (`unauthenticated`, `invalid_token`, `token_expired`, `token_revoked`)."),
        ("PayloadTooLarge", "The body is larger than the configured limit (`payload_too_large`)."),
        ("UnsupportedMediaType", "The body is not `application/json` (`unsupported_media_type`)."),
        ("ServiceUnavailable", "The database is unavailable (`database_unavailable`); see `Retry-After`."),
        ("InternalError", "Unexpected error (`internal_error`); logged, never detailed."),
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
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            add_common(op, public);
            op.operation_id = Some(operation_id(path, op.operation_id.as_deref().unwrap_or("")));
        }
    }
    doc
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

fn add_common(op: &mut Operation, public: bool) {
    let has_body = op.request_body.is_some();
    let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let r = &mut op.responses.responses;
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

use actix_web::{get, post, web, HttpResponse};
use api_types::{ApiClient, ApiClientCreate, ApiClientCreated, ApiClientPage, Role};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, api_clients, api_clients::ApiClientRow, cursor, structures};
use crate::domain::roles::{check_roles, StructureFlags};
use crate::domain::text;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::auth::sha256_hex;
use crate::routes::support::{created, limit};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApiClientQuery {
    pub structure_id: Option<Uuid>,
    /// `true`: revoked only; `false`: active only.
    pub revoked: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn to_api(r: ApiClientRow) -> ApiClient {
    ApiClient {
        id: r.id,
        client_id: r.client_id,
        name: r.name,
        structure_id: r.structure_id,
        roles: r.roles.iter().filter_map(|s| Role::parse(s)).collect(),
        created_at: r.created_at,
        revoked_at: r.revoked_at,
        last_used_at: r.last_used_at,
    }
}

/// Create an API client for a partner system (admin). The secret is in this answer only.
#[utoipa::path(
    tag = "administration",
    request_body = ApiClientCreate,
    responses(
        (status = 201, description = "Created; `client_secret` is shown this once.", body = ApiClientCreated, headers(("Location" = String, description = "URL of the client"))),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`role_not_allowed_by_structure`, `unknown_structure`…).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    body: web::Json<ApiClientCreate>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    let name = match text::clean(&b.name) {
        Some(n) if n.chars().count() <= 200 => n,
        _ => {
            errs.add(
                "name",
                "required",
                "A name of 1 to 200 characters is required.",
            );
            String::new()
        }
    };
    for (i, r) in b.roles.iter().enumerate() {
        if !matches!(r, Role::Prescriber | Role::Receiver) {
            errs.add(
                format!("roles[{i}]"),
                "role_not_allowed_for_client",
                "API clients act as prescriber or receiver only.",
            );
        }
    }
    errs.finish()?;
    let mut secret_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut secret_bytes);
    let secret = format!("sas_sk_{}", hex::encode(secret_bytes));
    let now = state.clock.now();
    let mut roles: Vec<String> = b.roles.iter().map(|r| r.as_str().to_string()).collect();
    roles.sort();
    let row = ApiClientRow {
        id: Uuid::now_v7(),
        client_id: format!("sas_ci_{}", Uuid::new_v4().simple()),
        name,
        structure_id: b.structure_id,
        roles,
        secret_hash: sha256_hex(&secret),
        created_by: caller.actor.user_id(),
        created_at: now,
        revoked_at: None,
        last_used_at: None,
    };
    let role_list = b.roles;
    let row = db::tx(&state.pool, move |conn| {
        let s = structures::get(conn, row.structure_id)?.ok_or_else(|| {
            ApiError::field("structure_id", "unknown_structure", "No such structure.")
        })?;
        let flags = StructureFlags {
            prescriber: s.prescriber,
            receiver: s.receiver,
            sas_team: s.sas_team,
        };
        let errs = check_roles(&role_list, Some(flags), false);
        if !errs.is_empty() {
            return Err(ApiError::validation(errs));
        }
        Ok(api_clients::insert(conn, &row)?)
    })
    .await?;
    let id = row.id;
    Ok(created(
        format!("/api/v1/api-clients/{id}"),
        &ApiClientCreated {
            client: to_api(row),
            client_secret: secret,
        },
        None,
    ))
}

/// List API clients (admin).
#[utoipa::path(
    tag = "administration",
    params(ApiClientQuery),
    responses(
        (status = 200, description = "A page of API clients, oldest first.", body = ApiClientPage),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<ApiClientQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = api_clients::Filter {
        structure_id: q.structure_id,
        revoked: q.revoked,
        after: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode::<(DateTime<Utc>, Uuid)>)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(api_clients::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.created_at, r.id));
    Ok(HttpResponse::Ok().json(ApiClientPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

/// One API client (admin).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "API client id")),
    responses(
        (status = 200, description = "The API client (never its secret).", body = ApiClient),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such API client.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-clients/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(api_clients::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}

/// Revoke an API client (admin): its secret stops working at once; tokens already issued
/// expire within their 15 minutes.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "API client id")),
    responses(
        (status = 200, description = "Revoked (or already was).", body = ApiClient),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such API client.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-clients/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let row = db::run(&state.pool, move |conn| {
        Ok(api_clients::revoke(conn, id, now)?)
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}

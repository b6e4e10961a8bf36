use actix_web::{post, web, HttpResponse};
use api_types::{ApiClientCreate, ApiClientCreated, Role};
use rand::RngCore;
use uuid::Uuid;

use super::to_api;
use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, api_clients, api_clients::ApiClientRow, structures};
use crate::domain::roles::{check_roles, StructureFlags};
use crate::domain::text;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::routes::auth::sha256_hex;
use crate::routes::support::created;
use crate::state::AppState;

/// Create an API client for a partner system (admin). The secret is in this answer only.
/// Recorded in the administrative audit with its reason (never the secret).
#[utoipa::path(
    tag = "administration",
    request_body = ApiClientCreate,
    responses(
        (status = 201, description = "Created; `client_secret` is shown this once.", body = ApiClientCreated, headers(("Location" = String, description = "URL of the client"))),
        (status = 422, description = "Invalid fields (`role_not_allowed_by_structure`, `unknown_structure`, `reason` `required`…).", body = api_types::Problem, content_type = "application/problem+json"),
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
    let reason = check_reason(&b.reason, &mut errs);
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
        let row = api_clients::insert(conn, &row)?;
        let mut changes = Changes::default();
        changes.set("name", &row.name);
        changes.set("client_id", &row.client_id);
        changes.set("structure_id", &row.structure_id);
        changes.set("roles", &row.roles);
        changes.secret("client_secret", "generated");
        admin_audit::record(
            conn,
            Entry {
                actor: caller.actor.user_id(),
                action: "api_client.create",
                target_type: "api_client",
                target_id: row.id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(row)
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

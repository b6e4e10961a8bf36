use actix_web::{patch, web, HttpRequest, HttpResponse};
use api_types::{Role, User, UserUpdate};
use uuid::Uuid;

use super::{check_bounds, check_password, check_person_name, role_strings, to_api};
use crate::auth::{password, Actor, AdminOnly, Authorized};
use crate::db::{self, refresh_tokens, users};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

/// Change a user's names, roles, pilot territory or password (admin; `If-Match` required).
/// A change of roles or territory ends the user's live access tokens (a refresh gives new
/// ones); a new password is temporary and ends all their sessions. Recorded in the
/// administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = UserUpdate,
    responses(
        (status = 200, description = "Updated.", body = User),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An admin cannot remove their own admin role (`cannot_demote_self`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`reason` `required`…).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords are being hashed at once (`server_busy`), or the database is unavailable; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UserUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = id.into_inner();
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    let first = b
        .first_name
        .as_deref()
        .map(|v| check_person_name("first_name", v, &mut errs));
    let last = b
        .last_name
        .as_deref()
        .map(|v| check_person_name("last_name", v, &mut errs));
    if let Some(p) = &b.password {
        check_password("password", p, &mut errs);
    }
    let reason = check_reason(&b.reason, &mut errs);
    errs.finish()?;
    let hash = match b.password {
        Some(p) => Some(
            state
                .passwords
                .run(move || password::hash(&p))
                .await?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let now = state.clock.now();
    let self_id = caller.actor.user_id();
    let row = db::tx(&state.pool, move |conn| {
        let old = users::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let expected = expected.check(old.version)?;
        let mut row = old.clone();
        if let Some(f) = first {
            row.first_name = f;
        }
        if let Some(l) = last {
            row.last_name = l;
        }
        if let Some(t) = b.territory_id {
            row.territory_id = Some(t);
        }
        if let Some(roles) = &b.roles {
            if self_id == Some(id) && !roles.contains(&Role::Admin) {
                return Err(ApiError::conflict(
                    "cannot_demote_self",
                    "You cannot remove your own admin role.",
                ));
            }
            row.roles = role_strings(roles);
        }
        let roles: Vec<Role> = row.roles.iter().filter_map(|s| Role::parse(s)).collect();
        check_bounds(conn, &roles, row.structure_id, row.territory_id)?;
        let mut changes = Changes::default();
        changes.field("first_name", &old.first_name, &row.first_name);
        changes.field("last_name", &old.last_name, &row.last_name);
        changes.field("roles", &old.roles, &row.roles);
        changes.field("territory_id", &old.territory_id, &row.territory_id);
        // What the tokens say changed: the live ones stop working.
        let mut end_sessions = old.roles != row.roles || old.territory_id != row.territory_id;
        if let Some(h) = hash {
            row.password_hash = h;
            // Set by someone else, it is temporary; an admin setting their own is not.
            row.password_change_required = self_id != Some(id);
            refresh_tokens::revoke_user(conn, id, now)?;
            end_sessions = true;
            changes.secret(
                "password",
                if row.password_change_required {
                    "temporary_password_set"
                } else {
                    "password_set"
                },
            );
        }
        if end_sessions {
            row.session_version += 1;
        }
        row.updated_at = now;
        row.version += 1;
        let row = users::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)?;
        admin_audit::record(
            conn,
            Entry {
                actor: self_id,
                action: "user.update",
                target_type: "user",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(row)
    })
    .await?;
    state.accounts.forget(Actor::User(id));
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use api_types::{Role, User, UserCreate, UserPage, UserUpdate};
use diesel::PgConnection;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{password, AdminOnly, Authorized, Caller};
use crate::db::{self, cursor, refresh_tokens, structures, territories, users, users::UserRow};
use crate::domain::roles::{check_roles, StructureFlags};
use crate::domain::text;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::support::{created, if_match, limit, ok_versioned};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Part of the email or name.
    pub q: Option<String>,
    pub structure_id: Option<Uuid>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub fn to_api(r: UserRow) -> User {
    User {
        id: r.id,
        email: r.email,
        first_name: r.first_name,
        last_name: r.last_name,
        roles: r.roles.iter().filter_map(|s| Role::parse(s)).collect(),
        structure_id: r.structure_id,
        territory_id: r.territory_id,
        active: r.active,
        deactivated_at: r.deactivated_at,
        last_login_at: r.last_login_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
    }
}

fn check_person_name(field: &str, v: &str, errs: &mut FieldErrors) -> String {
    match text::clean(v) {
        Some(n) if n.chars().count() <= 100 => n,
        Some(_) => {
            errs.add(field, "too_long", "At most 100 characters.");
            String::new()
        }
        None => {
            errs.add(field, "required", "Required.");
            String::new()
        }
    }
}

fn check_password(p: &str, errs: &mut FieldErrors) {
    let n = p.chars().count();
    if n < password::MIN_LENGTH {
        errs.add("password", "too_short", "At least 12 characters.");
    } else if n > password::MAX_LENGTH {
        errs.add("password", "too_long", "At most 256 characters.");
    }
}

/// Roles bounded by the structure's flags; pilot's territory must exist.
fn check_bounds(
    conn: &mut PgConnection,
    roles: &[Role],
    structure_id: Option<Uuid>,
    territory_id: Option<Uuid>,
) -> ApiResult<()> {
    let mut errs = FieldErrors::default();
    let flags = match structure_id {
        Some(id) => match structures::get(conn, id)? {
            Some(s) => Some(StructureFlags {
                prescriber: s.prescriber,
                receiver: s.receiver,
                sas_team: s.sas_team,
            }),
            None => {
                errs.add("structure_id", "unknown_structure", "No such structure.");
                None
            }
        },
        None => None,
    };
    if let Some(t) = territory_id {
        if territories::get(conn, t)?.is_none() {
            errs.add("territory_id", "unknown_territory", "No such territory.");
        }
    }
    if !errs.is_empty() {
        return errs.finish();
    }
    errs.0
        .extend(check_roles(roles, flags, territory_id.is_some()));
    errs.finish()
}

fn role_strings(roles: &[Role]) -> Vec<String> {
    let mut v: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    v.sort();
    v
}

/// Create a user (admin). The password is hashed with Argon2id.
#[utoipa::path(
    tag = "administration",
    request_body = UserCreate,
    responses(
        (status = 201, description = "Created.", body = User, headers(("Location" = String, description = "URL of the user"))),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already used (`email_taken`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`role_not_allowed_by_structure`, `too_short`…).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    body: web::Json<UserCreate>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    let email = b.email.trim().to_lowercase();
    if !text::is_email(&email) {
        errs.add("email", "invalid_email", "Not an email address.");
    }
    let first_name = check_person_name("first_name", &b.first_name, &mut errs);
    let last_name = check_person_name("last_name", &b.last_name, &mut errs);
    check_password(&b.password, &mut errs);
    errs.finish()?;
    let pw = b.password;
    let hash = web::block(move || password::hash(&pw))
        .await?
        .map_err(ApiError::internal)?;
    let now = state.clock.now();
    let roles = b.roles;
    let row = UserRow {
        id: Uuid::now_v7(),
        email,
        first_name,
        last_name,
        password_hash: hash,
        roles: role_strings(&roles),
        structure_id: b.structure_id,
        territory_id: b.territory_id,
        active: true,
        deactivated_at: None,
        last_login_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let user = db::tx(&state.pool, move |conn| {
        check_bounds(conn, &roles, row.structure_id, row.territory_id)?;
        users::insert(conn, &row).map_err(|e| {
            if db::is_unique_violation(&e, "users_email") {
                ApiError::conflict("email_taken", "An account already uses this email.")
            } else {
                e.into()
            }
        })
    })
    .await?;
    let v = user.version;
    Ok(created(
        format!("/api/v1/users/{}", user.id),
        &to_api(user),
        Some(v),
    ))
}

/// List users (admin).
#[utoipa::path(
    tag = "administration",
    params(UserQuery),
    responses(
        (status = 200, description = "A page of users, by email.", body = UserPage),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    query: web::Query<UserQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let filter = users::Filter {
        q: crate::routes::support::opt_text(q.q),
        structure_id: q.structure_id,
        role: q.role.map(|r| r.as_str().to_string()),
        active: q.active,
        after: q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(cursor::decode)
            .transpose()?,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(users::list(conn, &filter, limit + 1)?)
    })
    .await?;
    let (rows, next) = cursor::page(rows, limit, |r| (r.email.clone(), r.id));
    Ok(HttpResponse::Ok().json(UserPage {
        items: rows.into_iter().map(to_api).collect(),
        next_cursor: next,
    }))
}

/// One user (admin).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user (`ETag` carries its version).", body = User),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _admin: AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| Ok(users::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

/// Change a user's names, roles, pilot territory or password (admin; `If-Match` required).
/// A new password revokes the user's refresh tokens.
#[utoipa::path(
    tag = "administration",
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = UserUpdate,
    responses(
        (status = 200, description = "Updated.", body = User),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An admin cannot remove their own admin role (`cannot_demote_self`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing.", body = api_types::Problem, content_type = "application/problem+json"),
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
        check_password(p, &mut errs);
    }
    errs.finish()?;
    let hash = match b.password {
        Some(p) => Some(
            web::block(move || password::hash(&p))
                .await?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let now = state.clock.now();
    let self_id = caller.actor.user_id();
    let row = db::tx(&state.pool, move |conn| {
        let mut row = users::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        let expected = expected.check(row.version)?;
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
        if let Some(h) = hash {
            row.password_hash = h;
            refresh_tokens::revoke_user(conn, id, now)?;
        }
        row.updated_at = now;
        row.version += 1;
        users::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)
    })
    .await?;
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

async fn set_active(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    active: bool,
) -> ApiResult<HttpResponse> {
    if !active && caller.actor.user_id() == Some(id) {
        return Err(ApiError::conflict(
            "cannot_deactivate_self",
            "You cannot deactivate your own account.",
        ));
    }
    let now = state.clock.now();
    let row = db::tx(&state.pool, move |conn| {
        let mut row = users::get(conn, id)?.ok_or_else(ApiError::not_found)?;
        if row.active == active {
            return Ok(row);
        }
        let expected = row.version;
        row.active = active;
        row.deactivated_at = if active { None } else { Some(now) };
        row.updated_at = now;
        row.version += 1;
        if !active {
            refresh_tokens::revoke_user(conn, id, now)?;
        }
        users::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)
    })
    .await?;
    let v = row.version;
    Ok(ok_versioned(&to_api(row), v))
}

/// Deactivate a user (admin): they can no longer log in and their refresh tokens are revoked.
/// Users are never deleted: events and logs keep pointing at them.
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "Deactivated (or already was).", body = User),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An admin cannot deactivate themself (`cannot_deactivate_self`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    set_active(&state, &caller, id.into_inner(), false).await
}

/// Reactivate a user (admin).
#[utoipa::path(
    tag = "administration",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "Active again (or already was).", body = User),
        (status = 403, description = "Admins only.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    set_active(&state, &caller, id.into_inner(), true).await
}

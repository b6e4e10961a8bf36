use actix_web::{post, web, HttpResponse};
use api_types::{User, UserCreate};
use uuid::Uuid;

use super::{check_bounds, check_password, check_person_name, role_strings, to_api};
use crate::auth::{password, AdminOnly, Authorized};
use crate::db::{self, users, users::UserRow};
use crate::domain::text;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::routes::support::created;
use crate::state::AppState;

/// Create a user (admin). Without `password` (the usual way), the user is mailed an
/// invitation whose single-use link (valid one hour) lets them choose their own. With one, it
/// is hashed with Argon2id and is temporary: the user must replace it before anything else.
/// Recorded in the administrative audit with its reason.
#[utoipa::path(
    tag = "administration",
    request_body = UserCreate,
    responses(
        (status = 201, description = "Created.", body = User, headers(("Location" = String, description = "URL of the user"))),
        (status = 409, description = "Email already used (`email_taken`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`role_not_allowed_by_structure`, `too_short`, `reason` `required`…).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many passwords are being hashed at once (`server_busy`), or the database is unavailable; see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    )
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(admin): AdminOnly,
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
    if let Some(p) = &b.password {
        check_password("password", p, &mut errs);
    }
    let reason = check_reason(&b.reason, &mut errs);
    errs.finish()?;
    let invite = b.password.is_none();
    let hash = match b.password {
        Some(pw) => state
            .passwords
            .run(move || password::hash(&pw))
            .await?
            .map_err(ApiError::internal)?,
        // No password opens this account until the invitation's link sets one.
        None => password::UNUSABLE.to_string(),
    };
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
        session_version: 1,
        // An administrator knows it: only the user's own password lets them in.
        password_change_required: !invite,
    };
    let actor = admin.actor.user_id();
    let user = db::tx(&state.pool, move |conn| {
        check_bounds(conn, &roles, row.structure_id, row.territory_id)?;
        let user = users::insert(conn, &row).map_err(|e| {
            if db::is_unique_violation(&e, "users_email") {
                ApiError::conflict("email_taken", "An account already uses this email.")
            } else {
                e.into()
            }
        })?;
        let mut changes = Changes::default();
        changes.set("email", &user.email);
        changes.set("first_name", &user.first_name);
        changes.set("last_name", &user.last_name);
        changes.set("roles", &user.roles);
        changes.set("structure_id", &user.structure_id);
        changes.set("territory_id", &user.territory_id);
        if invite {
            changes.secret("password", "invitation_sent");
            db::password_tokens::issue_and_mail(conn, user.id, "invitation", now)?;
        } else {
            changes.secret("password", "temporary_password_set");
        }
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "user.create",
                target_type: "user",
                target_id: user.id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(user)
    })
    .await?;
    let v = user.version;
    Ok(created(
        format!("/api/v1/users/{}", user.id),
        &to_api(user),
        Some(v),
    ))
}

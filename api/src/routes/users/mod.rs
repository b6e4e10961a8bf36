//! Users (admin): create, list, read, update, deactivate, reactivate. Every write records its
//! reason in the administrative audit; a write that changes what a user's tokens say ends
//! their sessions (`auth::accounts`), and a password set here is temporary.
use api_types::{Role, User};
use diesel::PgConnection;
use uuid::Uuid;

use crate::auth::password;
use crate::db::{structures, territories, users::UserRow};
use crate::domain::roles::{check_roles, StructureFlags};
use crate::domain::text;
use crate::error::{ApiResult, FieldErrors};

pub mod activation;
pub mod create;
pub mod get;
pub mod list;
pub mod update;

pub use activation::{deactivate, reactivate};

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
        password_change_required: r.password_change_required,
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

/// 12 to 256 characters.
pub fn check_password(field: &str, p: &str, errs: &mut FieldErrors) {
    let n = p.chars().count();
    if n < password::MIN_LENGTH {
        errs.add(field, "too_short", "At least 12 characters.");
    } else if n > password::MAX_LENGTH {
        errs.add(field, "too_long", "At most 256 characters.");
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

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::users;
use crate::db::territories::escape_like;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub roles: Vec<String>,
    pub structure_id: Option<Uuid>,
    pub territory_id: Option<Uuid>,
    pub active: bool,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// Bumped when the user's tokens stop telling the truth (see `auth::accounts`).
    pub session_version: i32,
    /// The password was set by an administrator and must be replaced by the user.
    pub password_change_required: bool,
}

pub fn insert(conn: &mut PgConnection, row: &UserRow) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(row)
        .returning(UserRow::as_returning())
        .get_result(conn)
}

pub fn get(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the user is active, and its session version (for token checks).
pub fn session_state(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<(bool, i32)>> {
    users::table
        .find(id)
        .select((users::active, users::session_version))
        .first(conn)
        .optional()
}

/// Ends the sessions of the given users: their live access tokens are refused from now on
/// (within the cache bound on other instances). Returns the users touched.
pub fn bump_sessions(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::id.eq_any(ids)))
        .set(users::session_version.eq(users::session_version + 1))
        .execute(conn)
}

/// Ids of the users of a structure.
pub fn ids_of_structure(conn: &mut PgConnection, structure: Uuid) -> QueryResult<Vec<Uuid>> {
    users::table
        .filter(users::structure_id.eq(structure))
        .select(users::id)
        .load(conn)
}

pub fn by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn any_admin(conn: &mut PgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::roles.contains(vec!["admin".to_string()]))
            .filter(users::active.eq(true)),
    ))
    .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    row: &UserRow,
    expected: i32,
) -> QueryResult<Option<UserRow>> {
    diesel::update(
        users::table
            .filter(users::id.eq(row.id))
            .filter(users::version.eq(expected)),
    )
    .set(row)
    .returning(UserRow::as_returning())
    .get_result(conn)
    .optional()
}

pub fn touch_login(conn: &mut PgConnection, id: Uuid, at: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(at))
        .execute(conn)
}

#[derive(Debug, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub structure_id: Option<Uuid>,
    pub role: Option<String>,
    pub active: Option<bool>,
    pub after: Option<(String, Uuid)>,
}

/// Keyset by (email, id).
pub fn list(conn: &mut PgConnection, f: &Filter, limit: i64) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order((users::email, users::id))
        .limit(limit)
        .into_boxed();
    if let Some(q) = &f.q {
        let pat = format!("%{}%", escape_like(q));
        query = query.filter(
            users::email
                .ilike(pat.clone())
                .or(users::first_name.ilike(pat.clone()))
                .or(users::last_name.ilike(pat)),
        );
    }
    if let Some(s) = f.structure_id {
        query = query.filter(users::structure_id.eq(s));
    }
    if let Some(r) = &f.role {
        query = query.filter(users::roles.contains(vec![r.clone()]));
    }
    if let Some(a) = f.active {
        query = query.filter(users::active.eq(a));
    }
    if let Some((email, id)) = &f.after {
        query = query.filter(
            users::email
                .gt(email.clone())
                .or(users::email.eq(email.clone()).and(users::id.gt(*id))),
        );
    }
    query.load(conn)
}

/// The active counsellors of the SAS team serving `territory`, by email: (id, email, name).
pub fn counsellors_of(
    conn: &mut PgConnection,
    territory: Uuid,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<(Uuid, String, String, String)>> {
    use crate::db::schema::structures;
    let mut query = users::table
        .inner_join(structures::table)
        .filter(users::active.eq(true))
        .filter(users::roles.contains(vec!["counsellor".to_string()]))
        .filter(structures::sas_team.eq(true))
        .filter(structures::territory_id.eq(territory))
        .select((users::id, users::email, users::first_name, users::last_name))
        .order((users::email, users::id))
        .limit(limit)
        .into_boxed();
    if let Some((email, id)) = after {
        query = query.filter(
            users::email
                .gt(email.clone())
                .or(users::email.eq(email).and(users::id.gt(id))),
        );
    }
    query.load(conn)
}

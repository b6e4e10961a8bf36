//! Referrals: creation, scoped reads (scope is in the query: out of scope is not found),
//! the counsellors' queue order and its keyset cursor.
use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Nullable, Timestamptz, Uuid as SqlUuid};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::schema::{referrals, youths};
use crate::db::youths::YouthRow;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
pub struct ReferralRow {
    pub id: Uuid,
    pub youth_id: Uuid,
    pub channel: String,
    pub territory_id: Uuid,
    pub prescriber_structure_id: Option<Uuid>,
    pub created_by_user_id: Option<Uuid>,
    pub created_by_client_id: Option<Uuid>,
    pub reason_code: String,
    pub reason_text: Option<String>,
    pub exit_date: Option<NaiveDate>,
    pub needs: Vec<String>,
    pub consent_informed_at: DateTime<Utc>,
    pub consent_informed_by: String,
    pub consent_method: String,
    pub consent_agreed: Vec<String>,
    pub status: String,
    pub on_hold_from: Option<String>,
    pub on_hold_reason: Option<String>,
    pub assigned_counsellor_id: Option<Uuid>,
    pub outcome: Option<String>,
    pub outcome_reason: Option<String>,
    pub possible_duplicate: bool,
    pub previous_referral_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// Whose referrals a caller may see: the union of its structure's (prescriber) and its
/// territory's (counsellor). Neither: nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub prescriber_structure: Option<Uuid>,
    pub territory: Option<Uuid>,
}

type Boxed<'a> = referrals::BoxedQuery<'a, diesel::pg::Pg>;

fn scoped<'a>(scope: Scope) -> Boxed<'a> {
    let mut q = referrals::table.into_boxed();
    match (scope.prescriber_structure, scope.territory) {
        (Some(s), Some(t)) => {
            q = q.filter(
                referrals::prescriber_structure_id
                    .eq(s)
                    .or(referrals::territory_id.eq(t)),
            )
        }
        (Some(s), None) => q = q.filter(referrals::prescriber_structure_id.eq(s)),
        (None, Some(t)) => q = q.filter(referrals::territory_id.eq(t)),
        (None, None) => q = q.filter(sql::<Bool>("false")),
    }
    q
}

pub fn insert(conn: &mut PgConnection, row: &ReferralRow) -> QueryResult<ReferralRow> {
    diesel::insert_into(referrals::table)
        .values(row)
        .returning(ReferralRow::as_returning())
        .get_result(conn)
}

/// The referral and its youth, if in scope; `lock` takes a row lock for a state change.
pub fn get(
    conn: &mut PgConnection,
    id: Uuid,
    scope: Scope,
    lock: bool,
) -> QueryResult<Option<(ReferralRow, YouthRow)>> {
    let r = scoped(scope)
        .filter(referrals::id.eq(id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()?;
    let Some(mut r) = r else { return Ok(None) };
    if lock {
        // Boxed queries cannot lock: the row, found in scope above, is locked and re-read.
        r = referrals::table
            .find(id)
            .select(ReferralRow::as_select())
            .for_update()
            .first(conn)?;
    }
    let y = youths::table
        .find(r.youth_id)
        .select(YouthRow::as_select())
        .first(conn)?;
    Ok(Some((r, y)))
}

pub fn update(conn: &mut PgConnection, row: &ReferralRow) -> QueryResult<ReferralRow> {
    diesel::update(referrals::table.find(row.id))
        .set(row)
        .returning(ReferralRow::as_returning())
        .get_result(conn)
}

/// Another open referral of the same young person: same normalised name and birth date, or
/// same phone number.
pub fn open_duplicate_exists(
    conn: &mut PgConnection,
    name_key: &str,
    birth_date: NaiveDate,
    phone: Option<&str>,
    except: Option<Uuid>,
) -> QueryResult<bool> {
    let same_identity = youths::name_key
        .eq(name_key.to_string())
        .and(youths::birth_date.eq(birth_date));
    let mut q = referrals::table
        .inner_join(youths::table)
        .filter(referrals::status.ne("closed"))
        .into_boxed();
    q = match phone {
        Some(p) => q.filter(same_identity.or(youths::phone.eq(p.to_string()))),
        None => q.filter(same_identity),
    };
    if let Some(id) = except {
        q = q.filter(referrals::id.ne(id));
    }
    diesel::select(diesel::dsl::exists(q.select(referrals::id))).get_result(conn)
}

/// Queue position of a row: exit date (nulls last), creation time, id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueKey(pub Option<NaiveDate>, pub DateTime<Utc>, pub Uuid);

impl QueueKey {
    pub fn of(r: &ReferralRow) -> QueueKey {
        QueueKey(r.exit_date, r.created_at, r.id)
    }
}

/// How the queue is searched (`q`): a birth date, a phone number, or part of a name.
#[derive(Debug, Clone)]
pub enum Search {
    BirthDate(NaiveDate),
    Phone(String),
    /// Every word must start a word of "last first" (accents and case ignored, any order).
    Name(Vec<String>),
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub statuses: Vec<String>,
    pub assigned_to: Option<Uuid>,
    /// `Some(today)`: urgent only (exit within 30 days of today, not yet in diagnosis);
    /// `Some` with `urgent_only = false`: not urgent only.
    pub urgent: Option<(bool, NaiveDate)>,
    pub search: Option<Search>,
    pub after: Option<QueueKey>,
}

const EARLY: [&str; 4] = [
    "pending_moderation",
    "submitted",
    "contacting",
    "unreachable",
];

pub fn list(
    conn: &mut PgConnection,
    scope: Scope,
    f: &Filter,
    limit: i64,
) -> QueryResult<Vec<(ReferralRow, YouthRow)>> {
    let mut q = scoped(scope)
        .inner_join(youths::table)
        .select((ReferralRow::as_select(), YouthRow::as_select()))
        .order((
            sql::<Nullable<Date>>("referrals.exit_date ASC NULLS LAST"),
            referrals::created_at.asc(),
            referrals::id.asc(),
        ))
        .limit(limit);
    if !f.statuses.is_empty() {
        q = q.filter(referrals::status.eq_any(f.statuses.clone()));
    }
    if let Some(u) = f.assigned_to {
        q = q.filter(referrals::assigned_counsellor_id.eq(u));
    }
    if let Some((want, today)) = f.urgent {
        let early = EARLY.map(String::from).to_vec();
        let limit = today + chrono::Duration::days(crate::domain::referral::URGENT_WITHIN_DAYS);
        // Mirrors domain::referral::is_urgent.
        let cond = sql::<Bool>(if want { "(" } else { "NOT coalesce(" })
            .sql("(referrals.status = ANY(")
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(early.clone())
            .sql(") OR (referrals.status = 'on_hold' AND referrals.on_hold_from = ANY(")
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(early)
            .sql("))) AND referrals.exit_date <= ")
            .bind::<Date, _>(limit)
            .sql(if want { ")" } else { ", false)" });
        q = q.filter(cond);
    }
    match &f.search {
        Some(Search::BirthDate(d)) => q = q.filter(youths::birth_date.eq(*d)),
        Some(Search::Phone(p)) => q = q.filter(youths::phone.eq(p.clone())),
        Some(Search::Name(words)) => {
            for w in words {
                let w = crate::db::territories::escape_like(w);
                q = q.filter(
                    youths::name_key
                        .like(format!("{w}%"))
                        .or(youths::name_key.like(format!("% {w}%"))),
                );
            }
        }
        None => {}
    }
    if let Some(QueueKey(exit, created, id)) = &f.after {
        let tail = sql::<Bool>("(referrals.created_at, referrals.id) > (")
            .bind::<Timestamptz, _>(*created)
            .sql(", ")
            .bind::<SqlUuid, _>(*id)
            .sql(")");
        q = match exit {
            Some(d) => q.filter(
                sql::<Bool>("(referrals.exit_date > ")
                    .bind::<Date, _>(*d)
                    .sql(" OR referrals.exit_date IS NULL OR (referrals.exit_date = ")
                    .bind::<Date, _>(*d)
                    .sql(" AND (referrals.created_at, referrals.id) > (")
                    .bind::<Timestamptz, _>(*created)
                    .sql(", ")
                    .bind::<SqlUuid, _>(*id)
                    .sql(")))"),
            ),
            None => q.filter(referrals::exit_date.is_null()).filter(tail),
        };
    }
    q.load(conn)
}

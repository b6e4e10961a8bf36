//! Contact attempts and the requests to the prescriber they open.
use api_types::{AttemptChannel, AttemptOutcome};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::schema::{contact_attempts, prescriber_requests};
use crate::db::sql::Sql;
use crate::ids::{ReferralId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contact_attempts, check_for_backend(diesel::pg::Pg))]
pub struct AttemptRow {
    pub id: Uuid,
    pub referral_id: ReferralId,
    pub attempted_at: DateTime<Utc>,
    pub channel: AttemptChannel,
    pub outcome: AttemptOutcome,
    pub note: Option<String>,
    pub next_try_on: Option<NaiveDate>,
    pub author_user_id: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    pub blanked_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut PgConnection, row: &AttemptRow) -> QueryResult<AttemptRow> {
    diesel::insert_into(contact_attempts::table)
        .values(row)
        .returning(AttemptRow::as_returning())
        .get_result(conn)
}

/// An attempt with its author's name and the request it opened, for rendering.
#[derive(Debug, Clone, QueryableByName)]
pub struct AttemptView {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub referral_id: Uuid,
    #[diesel(sql_type = Text)]
    pub channel: AttemptChannel,
    #[diesel(sql_type = Text)]
    pub outcome: AttemptOutcome,
    #[diesel(sql_type = Timestamptz)]
    pub attempted_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub next_try_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub author_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub author_name: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub recorded_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub request_id: Option<Uuid>,
}

/// Latest first, keyset on (attempted_at, id) descending.
pub fn list(
    conn: &mut PgConnection,
    referral: ReferralId,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<AttemptView>> {
    select(conn, referral, before, None, limit)
}

/// One attempt of `referral`.
pub fn get(
    conn: &mut PgConnection,
    referral: ReferralId,
    id: Uuid,
) -> QueryResult<Option<AttemptView>> {
    select(conn, referral, None, Some(id), 1).map(|mut v| v.pop())
}

fn select(
    conn: &mut PgConnection,
    referral: ReferralId,
    before: Option<(DateTime<Utc>, Uuid)>,
    only: Option<Uuid>,
    limit: i64,
) -> QueryResult<Vec<AttemptView>> {
    let mut q = Sql::default();
    let rid = q.uuid(referral);
    let mut before = match before {
        Some((at, id)) => format!(
            "AND (a.attempted_at, a.id) < ({}, {})",
            q.time(at),
            q.uuid(id)
        ),
        None => String::new(),
    };
    if let Some(id) = only {
        before.push_str(&format!(" AND a.id = {}", q.uuid(id)));
    }
    let limit = q.int(limit);
    q.push(&format!(
        "SELECT a.id, a.referral_id, a.channel, a.outcome, a.attempted_at, \
           CASE WHEN a.blanked_at IS NULL THEN a.note END AS note, a.next_try_on, \
           a.author_user_id AS author_id, u.first_name || ' ' || u.last_name AS author_name, \
           a.recorded_at, pr.id AS request_id \
         FROM contact_attempts a \
         LEFT JOIN users u ON u.id = a.author_user_id \
         LEFT JOIN prescriber_requests pr ON pr.attempt_id = a.id \
         WHERE a.referral_id = {rid} {before} \
         ORDER BY a.attempted_at DESC, a.id DESC LIMIT {limit}"
    ));
    q.load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = prescriber_requests, check_for_backend(diesel::pg::Pg))]
pub struct RequestRow {
    pub id: Uuid,
    pub referral_id: ReferralId,
    pub attempt_id: Uuid,
    pub message: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub opened_by: Option<UserId>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by_user: Option<UserId>,
    pub answered_by_client: Option<crate::ids::ClientId>,
}

pub fn open_request(conn: &mut PgConnection, row: &RequestRow) -> QueryResult<RequestRow> {
    diesel::insert_into(prescriber_requests::table)
        .values(row)
        .returning(RequestRow::as_returning())
        .get_result(conn)
}

/// Latest first, keyset on (opened_at, id) descending.
pub fn requests(
    conn: &mut PgConnection,
    referral: ReferralId,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<RequestRow>> {
    let mut q = prescriber_requests::table
        .filter(prescriber_requests::referral_id.eq(referral))
        .select(RequestRow::as_select())
        .order((
            prescriber_requests::opened_at.desc(),
            prescriber_requests::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = before {
        q = q.filter(
            prescriber_requests::opened_at
                .lt(at)
                .or(prescriber_requests::opened_at
                    .eq(at)
                    .and(prescriber_requests::id.lt(id))),
        );
    }
    q.load(conn)
}

/// The request, locked for its answer.
pub fn lock_request(
    conn: &mut PgConnection,
    referral: ReferralId,
    id: Uuid,
) -> QueryResult<Option<RequestRow>> {
    prescriber_requests::table
        .filter(prescriber_requests::referral_id.eq(referral))
        .filter(prescriber_requests::id.eq(id))
        .select(RequestRow::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn answer(conn: &mut PgConnection, row: &RequestRow) -> QueryResult<RequestRow> {
    diesel::update(prescriber_requests::table.find(row.id))
        .set((
            prescriber_requests::answer.eq(&row.answer),
            prescriber_requests::answered_at.eq(row.answered_at),
            prescriber_requests::answered_by_user.eq(row.answered_by_user),
            prescriber_requests::answered_by_client.eq(row.answered_by_client),
        ))
        .returning(RequestRow::as_returning())
        .get_result(conn)
}

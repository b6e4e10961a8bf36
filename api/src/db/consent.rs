//! The consent history of a referral: records are appended (the database refuses UPDATE,
//! DELETE and TRUNCATE); the latest one counts.
use api_types::{ConsentMethod, ConsentScope};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::journal::Journal;
use crate::db::schema::consent_records;
use crate::domain::youth::ValidConsent;
use crate::ids::{ClientId, ConsentId, ReferralId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consent_records, check_for_backend(diesel::pg::Pg))]
pub struct ConsentRow {
    pub id: ConsentId,
    pub referral_id: ReferralId,
    pub informed_at: DateTime<Utc>,
    pub informed_by: String,
    pub method: ConsentMethod,
    pub agreed: Vec<ConsentScope>,
    pub actor_user_id: Option<UserId>,
    pub actor_client_id: Option<ClientId>,
    pub recorded_at: DateTime<Utc>,
}

/// Appends a record, by the journal's actor at its time.
pub fn append(
    conn: &mut PgConnection,
    referral: ReferralId,
    c: &ValidConsent,
    j: &Journal,
) -> QueryResult<ConsentRow> {
    diesel::insert_into(consent_records::table)
        .values(ConsentRow {
            id: ConsentId::new(),
            referral_id: referral,
            informed_at: c.informed_at,
            informed_by: c.informed_by.clone(),
            method: c.method,
            agreed: c.agreed.clone(),
            actor_user_id: j.who.user(),
            actor_client_id: j.who.client(),
            recorded_at: j.now,
        })
        .returning(ConsentRow::as_returning())
        .get_result(conn)
}

/// Latest first, keyset on (recorded_at, id) descending.
pub fn history(
    conn: &mut PgConnection,
    referral: ReferralId,
    before: Option<(DateTime<Utc>, ConsentId)>,
    limit: i64,
) -> QueryResult<Vec<ConsentRow>> {
    let mut q = consent_records::table
        .filter(consent_records::referral_id.eq(referral))
        .select(ConsentRow::as_select())
        .order((
            consent_records::recorded_at.desc(),
            consent_records::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some((at, id)) = before {
        q = q.filter(
            consent_records::recorded_at
                .lt(at)
                .or(consent_records::recorded_at
                    .eq(at)
                    .and(consent_records::id.lt(id))),
        );
    }
    q.load(conn)
}

/// The record that counts: the latest.
pub fn latest(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Option<ConsentRow>> {
    history(conn, referral, None, 1).map(|mut v| v.pop())
}

pub fn get(
    conn: &mut PgConnection,
    referral: ReferralId,
    id: ConsentId,
) -> QueryResult<Option<ConsentRow>> {
    consent_records::table
        .filter(consent_records::referral_id.eq(referral))
        .filter(consent_records::id.eq(id))
        .select(ConsentRow::as_select())
        .first(conn)
        .optional()
}

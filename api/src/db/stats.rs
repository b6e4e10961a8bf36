//! The statistics' queries (issue 14): facts about each referral of a cohort, read from the
//! events alone — `events` carries, at every step, the referral's territory, prescriber
//! structure and kind, and exit date as they were — so the figures survive the anonymisation
//! of youths. No identifier leaves this module's callers: [`CohortFact`] keeps the prescriber
//! structure's id only to group by it (structures are named in the breakdown; youths and
//! referrals never are).
//!
//! - The cohort: referrals whose first `submitted` event (creation, or moderation passed) falls
//!   in the period's bounds in the territory of that event, up to `as_of`'s end.
//! - A resumed referral (issue 11) is no new submission: it has no `submitted` event, and its
//!   events (contacts, diagnostic) count for the referral it resumes, down the chain.
//! - A referral ever closed `entered_in_error` is left out, whatever `as_of`; one closed
//!   `duplicate` by `as_of` stays in the submitted count and out of every denominator
//!   (`duplicate` is set on the fact, the domain leaves it out).
//! - On hold and back changes nothing: the facts are contacts, statuses reached and
//!   diagnostics, not the current status.
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Uuid as SqlUuid};
use diesel::{QueryableByName, RunQueryDsl};
use uuid::Uuid;

use crate::db::sql::Sql;

/// What the statistics need of one referral of a cohort, as of a date.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CohortFact {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub structure_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub prescriber_kind: Option<String>,
    /// The local day of submission (its month is the cohort).
    #[diesel(sql_type = Date)]
    pub submitted_on: NaiveDate,
    /// The exit date as referred.
    #[diesel(sql_type = Nullable<Date>)]
    pub exit_date: Option<NaiveDate>,
    #[diesel(sql_type = Bool)]
    pub duplicate: bool,
    /// The local day of the first contact (an attempt `reached` or `appointment_set`).
    #[diesel(sql_type = Nullable<Date>)]
    pub first_contact_on: Option<NaiveDate>,
    /// Attempts up to and including the first contact (0 without a contact).
    #[diesel(sql_type = BigInt)]
    pub attempts_to_contact: i64,
    /// Ever moved to `unreachable`.
    #[diesel(sql_type = Bool)]
    pub unreachable: bool,
    /// A diagnostic saved.
    #[diesel(sql_type = Bool)]
    pub diagnosed: bool,
}

/// The facts of the referrals submitted in `territory` within `[start, end)`, as of `until`
/// (the first instant after `as_of`, in the territory's time zone); `tz` names the time zone
/// for the local days.
pub fn cohort(
    conn: &mut PgConnection,
    territory: Uuid,
    tz: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<CohortFact>> {
    let mut q = Sql::default();
    let t = q.uuid(territory);
    let z = q.text(tz);
    let s = q.time(start);
    let e = q.time(end);
    let u = q.time(until);
    let text = format!(
        "WITH RECURSIVE sub AS ( \
           SELECT DISTINCT ON (e.referral_id) e.referral_id AS root, e.occurred_at, \
                  e.prescriber_structure_id, e.prescriber_kind, e.exit_date \
           FROM events e \
           WHERE e.territory_id = {t} AND e.kind IN ('created', 'status_changed') \
             AND e.to_status = 'submitted' AND e.occurred_at >= {s} AND e.occurred_at < {e} \
             AND e.occurred_at < {u} \
           ORDER BY e.referral_id, e.occurred_at, e.id), \
         first AS ( \
           SELECT sub.* FROM sub WHERE NOT EXISTS ( \
             SELECT 1 FROM events x WHERE x.referral_id = sub.root AND x.to_status = 'submitted' \
               AND x.kind IN ('created', 'status_changed') AND x.occurred_at < sub.occurred_at)), \
         chain AS ( \
           SELECT root, root AS id FROM first \
           UNION ALL \
           SELECT c.root, r.id FROM chain c JOIN referrals r ON r.previous_referral_id = c.id), \
         ev AS ( \
           SELECT c.root, c.id, x.kind, x.to_status, x.code, x.occurred_at \
           FROM chain c JOIN events x ON x.referral_id = c.id WHERE x.occurred_at < {u}), \
         contact AS ( \
           SELECT root, min(occurred_at) AS at FROM ev \
           WHERE kind = 'contact_attempt' AND code IN ('reached', 'appointment_set') GROUP BY root) \
         SELECT f.prescriber_structure_id AS structure_id, f.prescriber_kind, \
                (f.occurred_at AT TIME ZONE {z})::date AS submitted_on, f.exit_date, \
                EXISTS (SELECT 1 FROM ev WHERE ev.root = f.root AND ev.id = f.root \
                  AND ev.to_status = 'closed' AND ev.code = 'duplicate') AS duplicate, \
                (c.at AT TIME ZONE {z})::date AS first_contact_on, \
                (SELECT count(*) FROM ev WHERE ev.root = f.root AND ev.kind = 'contact_attempt' \
                  AND c.at IS NOT NULL AND ev.occurred_at <= c.at) AS attempts_to_contact, \
                EXISTS (SELECT 1 FROM ev WHERE ev.root = f.root AND ev.to_status = 'unreachable') \
                  AS unreachable, \
                EXISTS (SELECT 1 FROM ev WHERE ev.root = f.root AND ev.kind = 'diagnostic_saved') \
                  AS diagnosed \
         FROM first f LEFT JOIN contact c ON c.root = f.root \
         WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.referral_id = f.root \
           AND x.to_status = 'closed' AND x.code = 'entered_in_error') \
         ORDER BY submitted_on, structure_id"
    );
    q.push(&text);
    q.load(conn)
}

/// "Registered prescriber structures" of a territory as of `until`: its prescriber
/// structures with an active account, plus the structures that referred there within the 12
/// months before `until` (`since` is that bound).
pub fn registered_prescribers(
    conn: &mut PgConnection,
    territory: Uuid,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut q = Sql::default();
    let t = q.uuid(territory);
    let s = q.time(since);
    let u = q.time(until);
    let text = format!(
        "SELECT count(*) AS n FROM ( \
           SELECT st.id FROM structures st \
           WHERE st.territory_id = {t} AND st.prescriber \
             AND EXISTS (SELECT 1 FROM users us WHERE us.structure_id = st.id AND us.active) \
           UNION \
           SELECT e.prescriber_structure_id FROM events e \
           WHERE e.territory_id = {t} AND e.kind IN ('created', 'status_changed') \
             AND e.to_status = 'submitted' AND e.occurred_at >= {s} AND e.occurred_at < {u} \
             AND e.prescriber_structure_id IS NOT NULL) reg"
    );
    q.push(&text);
    let mut rows: Vec<N> = q.load(conn)?;
    Ok(rows.pop().map_or(0, |r| r.n))
}

impl From<CohortFact> for crate::domain::stats::indicators::Fact {
    fn from(c: CohortFact) -> Self {
        crate::domain::stats::indicators::Fact {
            structure: c.structure_id,
            kind: c.prescriber_kind,
            submitted_on: c.submitted_on,
            exit_date: c.exit_date,
            duplicate: c.duplicate,
            first_contact_on: c.first_contact_on,
            attempts_to_contact: c.attempts_to_contact,
            unreachable: c.unreachable,
            diagnosed: c.diagnosed,
        }
    }
}

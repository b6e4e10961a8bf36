//! Retention and erasure (issue 15): what the rule needs to know of a youth ([`history`]),
//! the one anonymisation ([`anonymise`], used by the retention job and by erasure), the job's
//! candidates ([`candidates`]) and its runs ([`start_run`], [`finish_run`], [`runs`]).
//!
//! Anonymisation blanks or deletes every free text and every identifying value that is about
//! the youth, and keeps codes, dates and events (the statistics read events only):
//!
//! | table | what goes |
//! |---|---|
//! | `youths` | first and last names (`''`), birth date (the placeholder 1900-01-01), `name_key` (and so `name_prefixes`), phone, email, contact channels, the legal representative (name, phone, email, date informed); `anonymised_at` set |
//! | `youth_contact_history` | deleted (the replaced contact details) |
//! | `referrals` | `reason_text` (`—` for the `other` reason, whose text is required) |
//! | `contact_attempts` | `note` (`blanked_at` set) |
//! | `event_notes` | `note` (`blanked_at` set) |
//! | `prescriber_requests` | `message`, `answer` (`''` once answered: the answer's date stays) |
//! | `diagnostics` | `content` (`{}`), `shared_summary` (`blanked_at` set) |
//! | `relays` | `reason_text`, `shared_summary` |
//! | `match_exclusions` | `note` (`—` for `other`) |
//! | `consent_records` | `informed_by` (`—`), through `sas_blank_consent_informed_by` only |
//! | `idempotency_keys` | the stored responses that name the youth or one of its referrals |
//!
//! Mails, notifications, webhook deliveries and jobs hold links, ids and codes only (their
//! templates never name a person), so nothing of theirs changes.
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::sql::Sql;
use crate::domain::retention::{History, ANONYMISED_BIRTH_DATE, BLANKED_TEXT};
use crate::ids::{ReferralId, YouthId};

#[derive(QueryableByName)]
struct HistoryRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    anonymised_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    open_referrals: i64,
    #[diesel(sql_type = BigInt)]
    relays_in_progress: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    last_activity: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    time_zone: Option<String>,
}

impl HistoryRow {
    fn history(&self) -> History {
        History {
            anonymised: self.anonymised_at.is_some(),
            open_referrals: u32::try_from(self.open_referrals).unwrap_or(u32::MAX),
            relays_in_progress: u32::try_from(self.relays_in_progress).unwrap_or(u32::MAX),
            last_activity: self.last_activity,
            time_zone: self
                .time_zone
                .as_deref()
                .and_then(|t| t.parse::<Tz>().ok())
                .unwrap_or(chrono_tz::Europe::Paris),
        }
    }
}

/// The columns of [`HistoryRow`] for the youth `y` (an alias of `youths`).
const HISTORY_COLUMNS: &str = "y.id, y.anonymised_at, \
    (SELECT count(*) FROM referrals r WHERE r.youth_id = y.id AND r.status <> 'closed') AS open_referrals, \
    (SELECT count(*) FROM relays l JOIN referrals r ON r.id = l.referral_id \
      WHERE r.youth_id = y.id AND l.status IN ('requested', 'accepted', 'started')) AS relays_in_progress, \
    a.last_activity, a.time_zone";

/// The latest event of the youth's referrals, with its referral's territory's time zone.
const LAST_ACTIVITY_LATERAL: &str = "LEFT JOIN LATERAL ( \
      SELECT e.occurred_at AS last_activity, t.time_zone \
      FROM referrals r JOIN events e ON e.referral_id = r.id \
      JOIN territories t ON t.id = r.territory_id \
      WHERE r.youth_id = y.id ORDER BY e.occurred_at DESC LIMIT 1) a ON true";

/// The youth's history for the rule, its row locked (`FOR UPDATE`) until the transaction
/// ends, so that nothing opens a referral or a relay between the check and the anonymisation
/// (a new referral or relay of the youth updates nothing of the youth's row, so the lock is
/// on its referrals too). `None`: no such youth.
pub fn history(conn: &mut PgConnection, youth: YouthId) -> QueryResult<Option<History>> {
    let mut q = Sql::default();
    let id = q.uuid(youth);
    q.push(&format!(
        "SELECT {HISTORY_COLUMNS} FROM (SELECT * FROM youths WHERE id = {id} FOR UPDATE) y \
         {LAST_ACTIVITY_LATERAL}"
    ));
    // Lock the referrals as well: creating a relay or reopening a referral updates them.
    let mut lock = Sql::default();
    let id2 = lock.uuid(youth);
    lock.push(&format!(
        "SELECT id AS n FROM referrals WHERE youth_id = {id2} ORDER BY id FOR UPDATE"
    ));
    let found: Vec<HistoryRow> = q.load(conn)?;
    let _: Vec<Locked> = lock.load(conn)?;
    Ok(found.first().map(HistoryRow::history))
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = SqlUuid)]
    #[allow(dead_code)]
    n: Uuid,
}

/// A candidate of the retention job.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub youth: YouthId,
    pub history: History,
}

/// The youths not anonymised whose last activity is before `cutoff` (a superset of those
/// due: `domain::retention::candidate_cutoff`), after `after` in id order, `limit` at most.
/// Youths without any referral are not candidates.
pub fn candidates(
    conn: &mut PgConnection,
    cutoff: DateTime<Utc>,
    after: Option<YouthId>,
    limit: i64,
) -> QueryResult<Vec<Candidate>> {
    let mut q = Sql::default();
    let cutoff = q.time(cutoff);
    let after = match after {
        Some(a) => format!("AND y.id > {}", q.uuid(a)),
        None => String::new(),
    };
    let limit = q.int(limit);
    q.push(&format!(
        "SELECT {HISTORY_COLUMNS} FROM youths y {LAST_ACTIVITY_LATERAL} \
         WHERE y.anonymised_at IS NULL {after} AND a.last_activity < {cutoff} \
         ORDER BY y.id LIMIT {limit}"
    ));
    let rows: Vec<HistoryRow> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            youth: YouthId(r.id),
            history: r.history(),
        })
        .collect())
}

/// What one anonymisation changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anonymised {
    pub referrals: Vec<ReferralId>,
}

#[derive(QueryableByName)]
struct RefId {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Anonymises the youth, in one transaction (a savepoint inside the caller's): every
/// statement of the table above, or none. The caller has checked the rule on a locked
/// [`history`]; a youth already anonymised is left as it is (`Ok(None)`).
pub fn anonymise(
    conn: &mut PgConnection,
    youth: YouthId,
    now: DateTime<Utc>,
) -> QueryResult<Option<Anonymised>> {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let placeholder = NaiveDate::from_ymd_opt(
            ANONYMISED_BIRTH_DATE.0,
            ANONYMISED_BIRTH_DATE.1,
            ANONYMISED_BIRTH_DATE.2,
        )
        .unwrap_or(NaiveDate::MIN);
        let mut q = Sql::default();
        let id = q.uuid(youth);
        let birth = q.date(placeholder);
        let at = q.time(now);
        q.push(&format!(
            "UPDATE youths SET first_name = '', last_name = '', birth_date = {birth}, \
               name_key = '', phone = NULL, email = NULL, contact_channels = '{{}}', \
               contact_via_prescriber_only = false, legal_rep_name = NULL, \
               legal_rep_phone = NULL, legal_rep_email = NULL, legal_rep_informed_on = NULL, \
               anonymised_at = {at}, updated_at = {at}, version = version + 1 \
             WHERE id = {id} AND anonymised_at IS NULL RETURNING id"
        ));
        let done: Vec<RefId> = q.load(conn)?;
        if done.is_empty() {
            return Ok(None);
        }

        let mut q = Sql::default();
        let id = q.uuid(youth);
        q.push(&format!(
            "SELECT id FROM referrals WHERE youth_id = {id} ORDER BY id"
        ));
        let referrals: Vec<ReferralId> = q
            .load::<RefId>(conn)?
            .into_iter()
            .map(|r| ReferralId(r.id))
            .collect();
        let ids: Vec<String> = referrals.iter().map(|r| r.to_string()).collect();

        let mut q = Sql::default();
        let y = q.uuid(youth);
        let refs = q.texts(ids.clone());
        let at = q.time(now);
        let blank = q.text(BLANKED_TEXT);
        q.push(&format!(
            "WITH r AS (SELECT unnest({refs})::uuid AS id), \
             h AS (DELETE FROM youth_contact_history WHERE youth_id = {y} RETURNING 1), \
             rf AS (UPDATE referrals SET reason_text = CASE WHEN reason_code = 'other' THEN {blank} END \
                    WHERE id IN (SELECT id FROM r) AND reason_text IS DISTINCT FROM \
                      (CASE WHEN reason_code = 'other' THEN {blank} END) RETURNING 1), \
             ca AS (UPDATE contact_attempts SET note = NULL, blanked_at = {at} \
                    WHERE referral_id IN (SELECT id FROM r) AND blanked_at IS NULL RETURNING 1), \
             en AS (UPDATE event_notes SET note = NULL, blanked_at = {at} \
                    WHERE referral_id IN (SELECT id FROM r) AND blanked_at IS NULL RETURNING 1), \
             pr AS (UPDATE prescriber_requests SET message = NULL, \
                      answer = CASE WHEN answer IS NULL THEN NULL ELSE '' END \
                    WHERE referral_id IN (SELECT id FROM r) RETURNING 1), \
             dg AS (UPDATE diagnostics SET content = '{{}}'::jsonb, shared_summary = NULL, blanked_at = {at} \
                    WHERE referral_id IN (SELECT id FROM r) AND blanked_at IS NULL RETURNING 1), \
             rl AS (UPDATE relays SET reason_text = NULL, shared_summary = NULL \
                    WHERE referral_id IN (SELECT id FROM r) \
                      AND (reason_text IS NOT NULL OR shared_summary IS NOT NULL) RETURNING 1), \
             mx AS (UPDATE match_exclusions SET note = CASE WHEN reason = 'other' THEN {blank} END \
                    WHERE referral_id IN (SELECT id FROM r) RETURNING 1), \
             ik AS (DELETE FROM idempotency_keys k WHERE EXISTS ( \
                      SELECT 1 FROM (SELECT {y}::text AS t UNION ALL SELECT id::text FROM r) x \
                      WHERE k.response_body::text LIKE '%' || x.t || '%' \
                         OR k.location LIKE '%' || x.t || '%') RETURNING 1) \
             SELECT (SELECT count(*) FROM h) + (SELECT count(*) FROM rf) + (SELECT count(*) FROM ca) \
               + (SELECT count(*) FROM en) + (SELECT count(*) FROM pr) + (SELECT count(*) FROM dg) \
               + (SELECT count(*) FROM rl) + (SELECT count(*) FROM mx) + (SELECT count(*) FROM ik) AS n"
        ));
        let _: Vec<Count> = q.load(conn)?;

        let mut q = Sql::default();
        let refs = q.texts(ids);
        q.push(&format!(
            "SELECT sas_blank_consent_informed_by({refs}::uuid[]) AS n"
        ));
        let _: Vec<Count> = q.load(conn)?;
        Ok(Some(Anonymised { referrals }))
    })
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    n: i64,
}

/// A retention run, as recorded.
#[derive(Debug, Clone, QueryableByName)]
pub struct RunRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub started_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub finished_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Int4)]
    pub retention_months: i32,
    #[diesel(sql_type = Int4)]
    pub access_log_retention_months: i32,
    #[diesel(sql_type = Int4)]
    pub anonymised: i32,
    #[diesel(sql_type = BigInt)]
    pub access_logs_purged: i64,
    #[diesel(sql_type = Jsonb)]
    pub skipped: serde_json::Value,
}

/// Records the start of a run.
pub fn start_run(
    conn: &mut PgConnection,
    id: Uuid,
    started_at: DateTime<Utc>,
    retention_months: u32,
    access_log_retention_months: u32,
) -> QueryResult<()> {
    let mut q = Sql::default();
    let id = q.uuid(id);
    let at = q.time(started_at);
    let m = q.int(i64::from(retention_months));
    let a = q.int(i64::from(access_log_retention_months));
    q.push(&format!(
        "INSERT INTO retention_runs (id, started_at, retention_months, access_log_retention_months) \
         VALUES ({id}, {at}, {m}::int, {a}::int)"
    ));
    q.execute(conn).map(|_| ())
}

/// Records what a run did (called as it goes, so a run that dies midway says how far it got).
pub fn update_run(
    conn: &mut PgConnection,
    id: Uuid,
    anonymised: u32,
    access_logs_purged: i64,
    skipped: &serde_json::Value,
    finished_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let mut q = Sql::default();
    let id = q.uuid(id);
    let n = q.int(i64::from(anonymised));
    let p = q.int(access_logs_purged);
    let s = q.text(&skipped.to_string());
    let f = match finished_at {
        Some(t) => q.time(t),
        None => "NULL".into(),
    };
    q.push(&format!(
        "UPDATE retention_runs SET anonymised = {n}::int, access_logs_purged = {p}, \
           skipped = {s}::jsonb, finished_at = {f} WHERE id = {id}"
    ));
    q.execute(conn).map(|_| ())
}

/// Runs newest first, keyset on (started_at, id) descending.
pub fn runs(
    conn: &mut PgConnection,
    before: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<RunRow>> {
    let mut q = Sql::default();
    let before = match before {
        Some((t, id)) => {
            let t = q.time(t);
            let id = q.uuid(id);
            format!("WHERE (started_at, id) < ({t}, {id})")
        }
        None => String::new(),
    };
    let limit = q.int(limit);
    q.push(&format!(
        "SELECT id, started_at, finished_at, retention_months, access_log_retention_months, \
           anonymised, access_logs_purged, skipped FROM retention_runs {before} \
         ORDER BY started_at DESC, id DESC LIMIT {limit}"
    ));
    q.load(conn)
}

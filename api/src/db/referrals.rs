//! Referrals: the row and its writes, scoped reads (scope is in the query: out of scope is not
//! found), the queue and its keyset cursor, and [`transition`], the one way a status changes.
//!
//! Reads are one statement: the referral joined with its youth, commune, territory,
//! prescriber structure, counsellor, latest consent record and (for counsellors) its possible
//! duplicates, with the access-log rows written by the same statement.
use api_types::{AccessAction, Channel, ConsentMethod, ConsentScope, ContactChannel, HoldReason};
use api_types::{AttemptChannel, Outcome, ReasonCode, Status};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Date, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};

use crate::db::cursor::{self, Key};
use crate::db::journal::Journal;
use crate::db::schema::{referrals, structures, users};
use crate::db::sql::Sql;
use crate::db::youths::{self, YouthRow};
use crate::domain::referral::lifecycle::{self, Applied, By, Hold, Lifecycle, Refusal, Request};
use crate::domain::referral::{urgent_until, EARLY};
use crate::ids::{ClientId, ReferralId, StructureId, TerritoryId, UserId, YouthId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct ReferralRow {
    pub id: ReferralId,
    pub youth_id: YouthId,
    pub channel: Channel,
    pub territory_id: TerritoryId,
    pub prescriber_structure_id: Option<StructureId>,
    pub created_by_user_id: Option<UserId>,
    pub created_by_client_id: Option<ClientId>,
    pub reason_code: ReasonCode,
    pub reason_text: Option<String>,
    pub exit_date: Option<NaiveDate>,
    pub needs: Vec<String>,
    pub status: Status,
    pub on_hold_from: Option<Status>,
    pub on_hold_reason: Option<HoldReason>,
    pub assigned_counsellor_id: Option<UserId>,
    pub outcome: Option<Outcome>,
    pub previous_referral_id: Option<ReferralId>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// When it last entered `contacting` (the unreachable rule counts from there).
    pub contacting_since: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub next_try_on: Option<NaiveDate>,
}

impl ReferralRow {
    /// The lifecycle state the domain reads. The database guarantees `on_hold` has both its
    /// columns; a row breaking that is an error, never a guess.
    pub fn lifecycle(&self) -> QueryResult<Lifecycle> {
        let hold = match (self.status, self.on_hold_from, self.on_hold_reason) {
            (Status::OnHold, Some(from), Some(reason)) => Some(Hold { from, reason }),
            (Status::OnHold, _, _) => {
                return Err(diesel::result::Error::DeserializationError(
                    "an on_hold referral without its hold columns".into(),
                ))
            }
            _ => None,
        };
        Ok(Lifecycle {
            status: self.status,
            hold,
            outcome: self.outcome,
            assigned: self.assigned_counsellor_id,
            submitted_at: self.submitted_at,
            closed_at: self.closed_at,
        })
    }

    pub fn set_lifecycle(&mut self, l: &Lifecycle) {
        self.status = l.status;
        self.on_hold_from = l.hold.map(|h| h.from);
        self.on_hold_reason = l.hold.map(|h| h.reason);
        self.outcome = l.outcome;
        self.assigned_counsellor_id = l.assigned;
        self.submitted_at = l.submitted_at;
        self.closed_at = l.closed_at;
    }
}

/// Whose referrals a caller may see: the union of its structure's (prescriber) and its
/// territory's (counsellor); `all` for an administrator acting with a logged reason and for
/// the system. Neither: nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub prescriber_structure: Option<StructureId>,
    pub territory: Option<TerritoryId>,
    pub all: bool,
}

impl Scope {
    pub const ALL: Scope = Scope {
        prescriber_structure: None,
        territory: None,
        all: true,
    };

    /// The condition on `referrals r` (as SQL with binds in `q`).
    fn condition(self, q: &mut Sql) -> String {
        if self.all {
            return "true".into();
        }
        match (self.prescriber_structure, self.territory) {
            (Some(s), Some(t)) => format!(
                "(r.prescriber_structure_id = {} OR r.territory_id = {})",
                q.uuid(s),
                q.uuid(t)
            ),
            (Some(s), None) => format!("r.prescriber_structure_id = {}", q.uuid(s)),
            (None, Some(t)) => format!("r.territory_id = {}", q.uuid(t)),
            (None, None) => "false".into(),
        }
    }

    fn filter<'a>(
        self,
        q: referrals::BoxedQuery<'a, diesel::pg::Pg>,
    ) -> referrals::BoxedQuery<'a, diesel::pg::Pg> {
        if self.all {
            return q;
        }
        match (self.prescriber_structure, self.territory) {
            (Some(s), Some(t)) => q.filter(
                referrals::prescriber_structure_id
                    .eq(s)
                    .or(referrals::territory_id.eq(t)),
            ),
            (Some(s), None) => q.filter(referrals::prescriber_structure_id.eq(s)),
            (None, Some(t)) => q.filter(referrals::territory_id.eq(t)),
            (None, None) => q.filter(diesel::dsl::sql::<Bool>("false")),
        }
    }
}

pub fn insert(conn: &mut PgConnection, row: &ReferralRow) -> QueryResult<ReferralRow> {
    diesel::insert_into(referrals::table)
        .values(row)
        .returning(ReferralRow::as_returning())
        .get_result(conn)
}

/// The referral and its youth, if in scope, locked for a change (`SELECT … FOR UPDATE`).
pub fn lock(
    conn: &mut PgConnection,
    id: ReferralId,
    scope: Scope,
) -> QueryResult<Option<(ReferralRow, YouthRow)>> {
    let found = scope
        .filter(referrals::table.into_boxed())
        .filter(referrals::id.eq(id))
        .select(referrals::id)
        .first::<ReferralId>(conn)
        .optional()?;
    if found.is_none() {
        return Ok(None);
    }
    // Boxed queries cannot lock: the row, found in scope above, is locked and read here.
    let r = referrals::table
        .find(id)
        .select(ReferralRow::as_select())
        .for_update()
        .first(conn)?;
    let y = youths::get(conn, r.youth_id)?;
    Ok(Some((r, y)))
}

/// Whether the referral exists in scope (no lock, no personal data).
pub fn exists(
    conn: &mut PgConnection,
    id: ReferralId,
    scope: Scope,
) -> QueryResult<Option<ReferralRow>> {
    scope
        .filter(referrals::table.into_boxed())
        .filter(referrals::id.eq(id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(conn: &mut PgConnection, row: &ReferralRow) -> QueryResult<ReferralRow> {
    diesel::update(referrals::table.find(row.id))
        .set(row)
        .returning(ReferralRow::as_returning())
        .get_result(conn)
}

/// An active counsellor of the SAS team serving `territory`.
pub fn is_counsellor_of(
    conn: &mut PgConnection,
    user: UserId,
    territory: TerritoryId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table
            .inner_join(structures::table)
            .filter(users::id.eq(user))
            .filter(users::active.eq(true))
            .filter(users::roles.contains(vec!["counsellor".to_string()]))
            .filter(structures::sas_team.eq(true))
            .filter(structures::territory_id.eq(territory)),
    ))
    .get_result(conn)
}

// ---------------------------------------------------------------------------------------
// Transitions.

/// Why [`transition`] did not happen.
#[derive(Debug)]
pub enum TransitionError {
    /// No such referral in scope.
    NotFound,
    /// The lifecycle refuses it.
    Refused(Refusal),
    /// The caller's version is not the current one.
    Stale,
    /// The counsellor to assign is not an active counsellor of the territory.
    UnknownCounsellor,
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for TransitionError {
    fn from(e: diesel::result::Error) -> TransitionError {
        TransitionError::Db(e)
    }
}

/// Changes a referral's status, the one way it is done: lock the row, ask the domain, check
/// the version (after the state, so a second counsellor taking a referral learns it is taken
/// rather than stale), save, record the event. `by` says in which capacity the caller acts on
/// this referral; `expected_version`: `None` matches any. Call it inside a transaction. The
/// caller logs the access to the youth's data (people do; the system reads nobody's).
/// Contact attempts, relays and jobs call it too, with `|_| By::SYSTEM` and
/// [`Journal::system`].
pub fn transition(
    conn: &mut PgConnection,
    id: ReferralId,
    scope: Scope,
    req: &Request,
    by: impl Fn(&ReferralRow) -> By,
    expected_version: Option<i32>,
    journal: &Journal,
) -> Result<(ReferralRow, YouthRow, Applied), TransitionError> {
    let (mut r, y) = lock(conn, id, scope)?.ok_or(TransitionError::NotFound)?;
    let applied = lifecycle::apply(&r.lifecycle()?, req, by(&r), journal.now)
        .map_err(TransitionError::Refused)?;
    if expected_version.is_some_and(|v| v != r.version) {
        return Err(TransitionError::Stale);
    }
    if applied.state.assigned != r.assigned_counsellor_id {
        if let Some(u) = applied.state.assigned {
            if !is_counsellor_of(conn, u, r.territory_id)? {
                return Err(TransitionError::UnknownCounsellor);
            }
        }
    }
    if crate::domain::referral::contact::enters_contacting(r.status, applied.state.status) {
        r.contacting_since = Some(journal.now);
    }
    r.set_lifecycle(&applied.state);
    r.updated_at = journal.now;
    r.version += 1;
    let r = update(conn, &r)?;
    journal.event(conn, r.id, &applied.event)?;
    // Closing cancels the relays not started yet; started ones keep their checkpoints.
    if r.status == Status::Closed {
        crate::db::relays::cancel_pending(
            conn,
            r.id,
            crate::domain::relay::REFERRAL_CLOSED,
            journal,
        )
        .map_err(|e| match e {
            crate::db::relays::ActError::Db(e) => TransitionError::Db(e),
            crate::db::relays::ActError::Referral(e) => e,
            _ => TransitionError::Db(diesel::result::Error::RollbackTransaction),
        })?;
    }
    Ok((r, y, applied))
}

/// When a counsellor's account is deactivated, the referrals they were still contacting
/// return to the queue (`contacting → submitted`, in the system's capacity, one event each
/// coded [`lifecycle::COUNSELLOR_DEACTIVATED`], its actor the journal's: the administrator).
/// Call it in the deactivation's transaction; returns how many were released.
pub fn release_assigned(
    conn: &mut PgConnection,
    counsellor: UserId,
    journal: &Journal,
) -> Result<usize, TransitionError> {
    let ids: Vec<ReferralId> = referrals::table
        .filter(referrals::assigned_counsellor_id.eq(counsellor))
        .filter(referrals::status.eq(Status::Contacting))
        .select(referrals::id)
        .load(conn)?;
    for id in &ids {
        transition(
            conn,
            *id,
            Scope::ALL,
            &Request {
                cause: Some(lifecycle::COUNSELLOR_DEACTIVATED),
                ..Request::to(Status::Submitted)
            },
            |_| By::SYSTEM,
            None,
            journal,
        )?;
    }
    Ok(ids.len())
}

// ---------------------------------------------------------------------------------------
// Reads.

/// A referral as every view renders it: one row of the joined read.
#[derive(Debug, Clone, QueryableByName)]
pub struct ReferralView {
    #[diesel(sql_type = SqlUuid)]
    pub id: ReferralId,
    #[diesel(sql_type = SqlUuid)]
    pub youth_id: YouthId,
    #[diesel(sql_type = Text)]
    pub channel: Channel,
    #[diesel(sql_type = SqlUuid)]
    pub territory_id: TerritoryId,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub prescriber_structure_id: Option<StructureId>,
    #[diesel(sql_type = Nullable<Text>)]
    pub prescriber_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub prescriber_kind: Option<String>,
    #[diesel(sql_type = Text)]
    pub reason_code: ReasonCode,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason_text: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub exit_date: Option<NaiveDate>,
    #[diesel(sql_type = Array<Text>)]
    pub needs: Vec<String>,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = Nullable<Text>)]
    pub on_hold_from: Option<Status>,
    #[diesel(sql_type = Nullable<Text>)]
    pub on_hold_reason: Option<HoldReason>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub assigned_counsellor_id: Option<UserId>,
    #[diesel(sql_type = Nullable<Text>)]
    pub counsellor_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub outcome: Option<Outcome>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub previous_referral_id: Option<ReferralId>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Int4)]
    pub version: i32,
    // The youth.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub anonymised_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub first_name: String,
    #[diesel(sql_type = Text)]
    pub last_name: String,
    #[diesel(sql_type = Date)]
    pub birth_date: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    pub phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Text)]
    pub commune_insee: String,
    #[diesel(sql_type = Text)]
    pub commune_name: String,
    #[diesel(sql_type = Array<Text>)]
    pub contact_channels: Vec<ContactChannel>,
    #[diesel(sql_type = Bool)]
    pub contact_via_prescriber_only: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub legal_rep_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub legal_rep_phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub legal_rep_email: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub legal_rep_informed_on: Option<NaiveDate>,
    // The latest consent record (every referral has one).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub consent_informed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub consent_informed_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub consent_method: Option<ConsentMethod>,
    #[diesel(sql_type = Nullable<Array<Text>>)]
    pub consent_agreed: Option<Vec<ConsentScope>>,
    // Possible duplicates, computed for counsellors only.
    #[diesel(sql_type = Nullable<Array<SqlUuid>>)]
    pub duplicate_ids: Option<Vec<uuid::Uuid>>,
    #[diesel(sql_type = Bool)]
    pub duplicate_elsewhere: bool,
    // Reaching the youth (what `domain::referral::contact` reads).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub contacting_since: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_attempt_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Date>)]
    pub next_try_on: Option<NaiveDate>,
    #[diesel(sql_type = BigInt)]
    pub attempts_total: i64,
    #[diesel(sql_type = BigInt)]
    pub attempts_since: i64,
    #[diesel(sql_type = Array<Text>)]
    pub channels_since: Vec<AttemptChannel>,
    #[diesel(sql_type = Bool)]
    pub contact_since: bool,
    #[diesel(sql_type = Nullable<Date>)]
    pub first_day: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_day: Option<NaiveDate>,
    #[diesel(sql_type = Int4)]
    pub rule_min_attempts: i32,
    #[diesel(sql_type = Int4)]
    pub rule_min_days: i32,
    #[diesel(sql_type = Int4)]
    pub rule_min_channels: i32,
    // The SAS team of the territory.
    #[diesel(sql_type = Nullable<Text>)]
    pub team_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub team_phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub team_email: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub open_requests: i64,
}

impl ReferralView {
    pub fn key(&self) -> QueueKey {
        QueueKey(self.exit_date, self.created_at, self.id)
    }

    /// The position of a row in `updated_since` order.
    pub fn updated_key(&self) -> QueueKey {
        QueueKey(None, self.updated_at, self.id)
    }
}

/// The select list and joins of a [`ReferralView`]; `duplicates` adds the lateral that finds
/// the other open referrals of the same youth (same normalised name and birth date, or same
/// phone), in this territory by id and elsewhere as a flag.
fn view_select(duplicates: bool) -> String {
    let dups = if duplicates {
        "LEFT JOIN LATERAL ( \
           SELECT array_agg(o.id ORDER BY o.created_at, o.id) FILTER (WHERE o.territory_id = r.territory_id) AS ids, \
                  coalesce(bool_or(o.territory_id <> r.territory_id), false) AS elsewhere \
           FROM youths oy JOIN referrals o ON o.youth_id = oy.id AND o.status <> 'closed' \
           WHERE r.status <> 'closed' AND o.id <> r.id \
             AND ((oy.name_key = y.name_key AND oy.birth_date = y.birth_date) \
                  OR (y.phone IS NOT NULL AND oy.phone = y.phone)) \
         ) d ON true"
    } else {
        "LEFT JOIN LATERAL (SELECT NULL::uuid[] AS ids, false AS elsewhere) d ON true"
    };
    format!(
        "SELECT r.id, r.youth_id, r.channel, r.territory_id, t.time_zone, \
           r.prescriber_structure_id, s.name AS prescriber_name, s.kind AS prescriber_kind, \
           r.reason_code, r.reason_text, r.exit_date, r.needs, r.status, r.on_hold_from, \
           r.on_hold_reason, r.assigned_counsellor_id, \
           u.first_name || ' ' || u.last_name AS counsellor_name, r.outcome, \
           r.previous_referral_id, r.submitted_at, r.closed_at, r.created_at, r.updated_at, \
           r.version, y.anonymised_at, y.first_name, y.last_name, y.birth_date, y.phone, y.email, \
           y.commune_insee, c.name AS commune_name, y.contact_channels, \
           y.contact_via_prescriber_only, y.legal_rep_name, y.legal_rep_phone, \
           y.legal_rep_email, y.legal_rep_informed_on, cr.informed_at AS consent_informed_at, \
           cr.informed_by AS consent_informed_by, cr.method AS consent_method, \
           cr.agreed AS consent_agreed, d.ids AS duplicate_ids, d.elsewhere AS duplicate_elsewhere, \
           r.contacting_since, r.last_attempt_at, r.next_try_on, ca.attempts_total, \
           ca.attempts_since, ca.channels_since, ca.contact_since, ca.first_day, ca.last_day, \
           t.unreachable_min_attempts AS rule_min_attempts, t.unreachable_min_days AS rule_min_days, \
           t.unreachable_min_channels AS rule_min_channels, team.name AS team_name, \
           team.phone AS team_phone, team.email AS team_email, \
           (SELECT count(*) FROM prescriber_requests pr \
             WHERE pr.referral_id = r.id AND pr.answered_at IS NULL) AS open_requests \
         FROM referrals r \
         JOIN youths y ON y.id = r.youth_id \
         JOIN communes c ON c.insee = y.commune_insee \
         JOIN territories t ON t.id = r.territory_id \
         LEFT JOIN structures s ON s.id = r.prescriber_structure_id \
         LEFT JOIN users u ON u.id = r.assigned_counsellor_id \
         LEFT JOIN LATERAL (SELECT informed_at, informed_by, method, agreed FROM consent_records \
           WHERE referral_id = r.id ORDER BY recorded_at DESC, id DESC LIMIT 1) cr ON true \
         LEFT JOIN LATERAL (SELECT st.name, st.phone, st.email FROM structures st \
           WHERE st.sas_team AND st.territory_id = r.territory_id \
           ORDER BY lower(st.name), st.id LIMIT 1) team ON true \
         {ATTEMPTS_LATERAL} {dups}"
    )
}

/// The attempts of `r`, summed up since it last entered `contacting` (what
/// `domain::referral::contact::summarize` computes), days in the territory's time zone.
const ATTEMPTS_LATERAL: &str = "LEFT JOIN LATERAL ( \
      SELECT count(*) AS attempts_total, \
        count(*) FILTER (WHERE a.attempted_at > r.contacting_since) AS attempts_since, \
        coalesce(array_agg(DISTINCT a.channel) FILTER (WHERE a.attempted_at > r.contacting_since), '{}') AS channels_since, \
        coalesce(bool_or(a.outcome IN ('reached', 'appointment_set')) FILTER (WHERE a.attempted_at > r.contacting_since), false) AS contact_since, \
        min((a.attempted_at AT TIME ZONE t.time_zone)::date) FILTER (WHERE a.attempted_at > r.contacting_since) AS first_day, \
        max((a.attempted_at AT TIME ZONE t.time_zone)::date) FILTER (WHERE a.attempted_at > r.contacting_since) AS last_day \
      FROM contact_attempts a WHERE a.referral_id = r.id) ca ON true";

/// `domain::referral::contact::rule_met` in SQL, with the territory's thresholds.
const UNREACHABLE_RULE_SQL: &str = "(r.status = 'contacting' AND NOT ca.contact_since \
    AND ca.attempts_since >= t.unreachable_min_attempts \
    AND coalesce(ca.last_day - ca.first_day, 0) >= t.unreachable_min_days \
    AND cardinality(ca.channels_since) >= t.unreachable_min_channels)";

/// How the caller reads: which scope, whether duplicates are computed, and what to log.
#[derive(Debug, Clone)]
pub struct Reading<'a> {
    pub scope: Scope,
    /// Compute possible duplicates (counsellors only: never for a prescriber's view).
    pub duplicates: bool,
    pub journal: &'a Journal,
    /// `None`: the read is not logged (the caller logs it otherwise).
    pub log: Option<AccessAction>,
}

/// One referral in scope, with its access-log row, in one statement.
pub fn read(
    conn: &mut PgConnection,
    id: ReferralId,
    how: &Reading,
) -> QueryResult<Option<ReferralView>> {
    read_query(id, how)
        .0
        .load::<ReferralView>(conn)
        .map(|mut v| v.pop())
}

/// The statement [`read`] sends, and the number of the placeholder that holds the id (the
/// benchmark replays it with pgbench: `api/examples/bench_sql.rs`).
pub fn read_query(id: ReferralId, how: &Reading) -> (Sql, usize) {
    let mut q = Sql::default();
    let scope = how.scope.condition(&mut q);
    let id = q.uuid(id);
    let id_bind = q.binds();
    let select = view_select(how.duplicates);
    let body = format!("{select} WHERE r.id = {id} AND {scope}");
    let text = match how.log {
        Some(action) => {
            let logged = how.journal.access_cte(&mut q, action, "v");
            format!("WITH v AS ({body}), {logged} SELECT * FROM v")
        }
        None => body,
    };
    q.push(&text);
    (q, id_bind)
}

/// Queue position of a row: exit date (nulls last), creation time, id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueKey(pub Option<NaiveDate>, pub DateTime<Utc>, pub ReferralId);

impl Key for QueueKey {
    fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(29);
        cursor::opt_date_to(&self.0, &mut v);
        cursor::time_to(&self.1, &mut v);
        v.extend_from_slice(self.2.uuid().as_bytes());
        v
    }

    fn from_bytes(mut b: &[u8]) -> QueueKey {
        let d = cursor::opt_date_from(&mut b);
        let t = cursor::time_from(&mut b);
        QueueKey(d, t, ReferralId(cursor::uuid_from(&mut b)))
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
    pub status: Option<Status>,
    /// Not closed.
    pub open: bool,
    pub assigned_to: Option<UserId>,
    /// `Some(true)`: urgent only; `Some(false)`: the others.
    pub urgent: Option<bool>,
    pub search: Option<Search>,
    pub after: Option<QueueKey>,
    /// The planned next try is today or past (territory calendar).
    pub next_try_due: bool,
    /// In `contacting` without an attempt for `contact::QUIET_DAYS` days.
    pub quiet: bool,
    /// `Some(true)`: the unreachable rule is met; `Some(false)`: not met.
    pub unreachable_rule_met: Option<bool>,
    /// Polling: referrals changed at or after this time, in (updated_at, id) order; the
    /// cursor's key is then `QueueKey(None, updated_at, id)`.
    pub updated_since: Option<DateTime<Utc>>,
}

fn quoted_codes(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `domain::referral::is_urgent` in SQL, each referral in its territory's time zone. The
/// first bound (the latest "today" on Earth) lets an index range find the candidates; the
/// second is each territory's own calendar day.
fn urgent_sql(q: &mut Sql, now: DateTime<Utc>) -> String {
    let early = quoted_codes(&EARLY);
    let bound = q.date(urgent_until(crate::domain::referral::latest_today(now)));
    let now = q.time(now);
    format!(
        "((r.status IN ({early}) OR (r.status = 'on_hold' AND r.on_hold_from IN ({early}))) \
          AND r.exit_date <= {bound} \
          AND r.exit_date <= (({now} AT TIME ZONE t.time_zone)::date + {days}))",
        days = crate::domain::referral::URGENT_WITHIN_DAYS
    )
}

/// The longest word prefix `sas_name_prefixes` keeps (the migration's `least(length(w), 20)`).
const NAME_PREFIX_CHARS: usize = 20;

const QUEUE_ORDER: &str = "exit_date ASC NULLS LAST, created_at, id";
/// The order of `updated_since` (polling partners).
const UPDATED_ORDER: &str = "updated_at, id";

/// A page of referrals in queue order, with one access-log row per referral returned, in one
/// statement. Fetches `limit + 1` rows (the extra one tells there is a next page; it is not
/// logged).
pub fn list(
    conn: &mut PgConnection,
    f: &Filter,
    limit: i64,
    how: &Reading,
) -> QueryResult<Vec<ReferralView>> {
    let mut q = Sql::default();
    let mut conds = vec![how.scope.condition(&mut q)];
    if let Some(s) = f.status {
        conds.push(format!("r.status = {}", q.text(s.as_str())));
    }
    if f.open {
        // Literal, so the partial indexes on open referrals apply.
        conds.push("r.status <> 'closed'".into());
    }
    if let Some(u) = f.assigned_to {
        conds.push(format!("r.assigned_counsellor_id = {}", q.uuid(u)));
    }
    match f.urgent {
        Some(true) => conds.push(urgent_sql(&mut q, how.journal.now)),
        Some(false) => conds.push(format!(
            "NOT coalesce({}, false)",
            urgent_sql(&mut q, how.journal.now)
        )),
        None => {}
    }
    if f.next_try_due {
        let now = q.time(how.journal.now);
        conds.push(format!(
            "(r.status <> 'closed' AND r.next_try_on <= ({now} AT TIME ZONE t.time_zone)::date)"
        ));
    }
    if f.quiet {
        let now = q.time(how.journal.now);
        conds.push(format!(
            "(r.status = 'contacting' AND ({now} AT TIME ZONE t.time_zone)::date \
              - (greatest(r.last_attempt_at, r.contacting_since) AT TIME ZONE t.time_zone)::date >= {})",
            crate::domain::referral::contact::QUIET_DAYS
        ));
    }
    match f.unreachable_rule_met {
        Some(true) => conds.push(UNREACHABLE_RULE_SQL.to_string()),
        Some(false) => conds.push(format!("NOT {UNREACHABLE_RULE_SQL}")),
        None => {}
    }
    match &f.search {
        // An anonymised youth's birth date is a placeholder, never a match.
        Some(Search::BirthDate(d)) => conds.push(format!(
            "y.birth_date = {} AND y.anonymised_at IS NULL",
            q.date(*d)
        )),
        Some(Search::Phone(p)) => conds.push(format!("y.phone = {}", q.text(p))),
        Some(Search::Name(words)) => {
            // Served by youths_name_prefixes: every word must be a prefix of a word of the key.
            let prefixes: Vec<String> = words
                .iter()
                .map(|w| w.chars().take(NAME_PREFIX_CHARS).collect())
                .collect();
            conds.push(format!("y.name_prefixes @> {}", q.texts(prefixes)));
            for w in words
                .iter()
                .filter(|w| w.chars().count() > NAME_PREFIX_CHARS)
            {
                let w = crate::db::territories::escape_like(w);
                let (start, inner) = (q.text(&format!("{w}%")), q.text(&format!("% {w}%")));
                conds.push(format!(
                    "(y.name_key LIKE {start} OR y.name_key LIKE {inner})"
                ));
            }
        }
        None => {}
    }
    if let Some(since) = f.updated_since {
        conds.push(format!("r.updated_at >= {}", q.time(since)));
    }
    let order = if f.updated_since.is_some() {
        UPDATED_ORDER
    } else {
        QUEUE_ORDER
    };
    if let (Some(_), Some(QueueKey(_, at, id))) = (f.updated_since, &f.after) {
        let (at, id) = (q.time(*at), q.uuid(*id));
        conds.push(format!("(r.updated_at, r.id) > ({at}, {id})"));
    } else if let Some(QueueKey(exit, created, id)) = &f.after {
        let (created, id) = (q.time(*created), q.uuid(*id));
        conds.push(match exit {
            Some(d) => {
                let d = q.date(*d);
                format!(
                    "(r.exit_date > {d} OR r.exit_date IS NULL \
                      OR (r.exit_date = {d} AND (r.created_at, r.id) > ({created}, {id})))"
                )
            }
            None => format!("(r.exit_date IS NULL AND (r.created_at, r.id) > ({created}, {id}))"),
        });
    }
    let fetch = q.int(limit + 1);
    let select = view_select(how.duplicates);
    let body = format!(
        "{select} WHERE {} ORDER BY {} LIMIT {fetch}",
        conds.join(" AND "),
        order
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let text = match how.log {
        Some(action) => {
            let keep = q.int(limit);
            let logged = how.journal.access_cte(
                &mut q,
                action,
                &format!("(SELECT * FROM page ORDER BY {order} LIMIT {keep}) kept"),
            );
            format!("WITH page AS ({body}), {logged} SELECT * FROM page ORDER BY {order}")
        }
        None => body,
    };
    q.push(&text);
    q.load(conn)
}

/// The referral that resumed `id`, if any.
pub fn successor(conn: &mut PgConnection, id: ReferralId) -> QueryResult<Option<ReferralId>> {
    referrals::table
        .filter(referrals::previous_referral_id.eq(id))
        .select(referrals::id)
        .first(conn)
        .optional()
}

/// A referral a sweep may alert about: who follows it and its territory's calendar.
#[derive(Debug, Clone, QueryableByName)]
pub struct AlertCandidate {
    #[diesel(sql_type = SqlUuid)]
    pub id: ReferralId,
    #[diesel(sql_type = SqlUuid)]
    pub territory_id: TerritoryId,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub assigned_counsellor_id: Option<UserId>,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = Nullable<Text>)]
    pub on_hold_from: Option<Status>,
    #[diesel(sql_type = Nullable<Date>)]
    pub exit_date: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub contacting_since: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    #[diesel(sql_type = Bool)]
    pub unreachable_rule_met: bool,
}

/// Open referrals not yet in diagnosis whose exit date is on or before `until` (the urgency
/// rule is applied by the caller in each territory's calendar), and those meeting their
/// territory's unreachable rule; at most `limit`, by exit date.
pub fn alert_candidates(
    conn: &mut PgConnection,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<AlertCandidate>> {
    let mut q = Sql::default();
    let until = q.date(until);
    let limit = q.int(limit);
    let early: Vec<String> = EARLY.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let early = early.join(", ");
    q.push(&format!(
        "SELECT r.id, r.territory_id, r.assigned_counsellor_id, r.status, r.on_hold_from, \
                r.exit_date, r.contacting_since, t.time_zone, {UNREACHABLE_RULE_SQL} AS unreachable_rule_met \
         FROM referrals r JOIN territories t ON t.id = r.territory_id {ATTEMPTS_LATERAL} \
         WHERE ((r.status IN ({early}) OR r.on_hold_from IN ({early})) AND r.exit_date <= {until}) \
            OR {UNREACHABLE_RULE_SQL} \
         ORDER BY r.exit_date NULLS LAST, r.id LIMIT {limit}"
    ));
    q.load(conn)
}

/// The active counsellors of a territory (its SAS team's), who share its daily digest.
pub fn territory_counsellors(conn: &mut PgConnection, t: TerritoryId) -> QueryResult<Vec<UserId>> {
    users::table
        .inner_join(structures::table.on(structures::id.nullable().eq(users::structure_id)))
        .filter(structures::sas_team.eq(true))
        .filter(structures::territory_id.eq(t))
        .filter(users::active.eq(true))
        .filter(diesel::dsl::sql::<Bool>("'counsellor' = ANY (users.roles)"))
        .order(users::id)
        .select(users::id)
        .load(conn)
}

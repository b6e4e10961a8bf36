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
//! - The cohort's facts are pre-aggregated (one row a referral, `stat_referral_facts`, kept in
//!   the events' transaction by a trigger): a quarter reads its referrals, not their events.
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::pg::PgConnection;
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::{QueryableByName, RunQueryDsl};
use uuid::Uuid;

use crate::db::sql::Sql;

/// A territory's time zone that chrono-tz does not know (never: they are checked on write).
const UNKNOWN_TIME_ZONE: &str = "unknown time zone";

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
    /// The local day the referral first reached `diagnosis` (what a prescriber sees of a
    /// contact: the status, not the attempts).
    #[diesel(sql_type = Nullable<Date>)]
    pub reached_on: Option<NaiveDate>,
    /// A relay requested through SAS (not off-platform).
    #[diesel(sql_type = Bool)]
    pub relayed: bool,
    /// A relay through SAS accepted.
    #[diesel(sql_type = Bool)]
    pub accepted: bool,
    /// The local day the first relay through SAS started.
    #[diesel(sql_type = Nullable<Date>)]
    pub started_on: Option<NaiveDate>,
    /// The answer to the J+90 checkpoint of that first started relay, if given.
    #[diesel(sql_type = Nullable<Text>)]
    pub j90_answer: Option<String>,
    /// How that relay ended, if it did: its outcome (`positive_exit`, `programme_ended`) or
    /// `failed`; and the local day.
    #[diesel(sql_type = Nullable<Text>)]
    pub relay_end: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub relay_end_on: Option<NaiveDate>,
    /// An off-platform relay recorded (its `relay_requested` event is coded `off_platform`).
    #[diesel(sql_type = Bool)]
    pub off_relayed: bool,
    /// The local day an off-platform relay started.
    #[diesel(sql_type = Nullable<Date>)]
    pub off_started_on: Option<NaiveDate>,
}

/// Whose referrals a cohort holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortOf {
    /// Those submitted in the territory.
    Territory(Uuid),
    /// Those a prescriber structure submitted in the territory.
    Prescriber(Uuid, Uuid),
}

/// A row of `stat_referral_facts` as of a date: instants after it already read as absent,
/// local days left to [`cohort`] (a time-zone conversion in SQL costs more than the scan).
#[derive(QueryableByName)]
struct FactRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    structure_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    prescriber_kind: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    submitted_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Date>)]
    exit_date: Option<NaiveDate>,
    #[diesel(sql_type = Bool)]
    duplicate: bool,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    contact_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    attempts_to_contact: i64,
    #[diesel(sql_type = Bool)]
    unreachable: bool,
    #[diesel(sql_type = Bool)]
    diagnosed: bool,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    reached_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Bool)]
    relayed: bool,
    #[diesel(sql_type = Bool)]
    accepted: bool,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    j90_answer: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    relay_end: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    relay_ended_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Bool)]
    off_relayed: bool,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    off_started_at: Option<DateTime<Utc>>,
}

/// The facts of the referrals of `of` submitted within `[start, end)`, as of `until` (the
/// first instant after `as_of`, in the territory's time zone); `tz` names the time zone for
/// the local days.
///
/// Read from `stat_referral_facts` (migration 000290): one row a referral, kept in step with
/// `events` by a trigger in the transaction of every event, holding the instant of each step
/// (over the resumed chain); a step counts when it happened before `until`, so every `as_of`
/// is exact. `tests/api/stats_facts.rs` checks it against the same facts read from the events.
pub fn cohort(
    conn: &mut PgConnection,
    of: CohortOf,
    tz: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<CohortFact>> {
    let zone: Tz = tz
        .parse()
        .map_err(|_| diesel::result::Error::DeserializationError(UNKNOWN_TIME_ZONE.into()))?;
    let day = |t: DateTime<Utc>| t.with_timezone(&zone).date_naive();
    let mut q = Sql::default();
    let filter = match of {
        CohortOf::Territory(t) => format!("f.territory_id = {}", q.uuid(t)),
        CohortOf::Prescriber(p, t) => format!(
            "f.prescriber_structure_id = {} AND f.territory_id = {}",
            q.uuid(p),
            q.uuid(t)
        ),
    };
    let s = q.time(start);
    let e = q.time(end);
    let u = q.time(until);
    let text = format!(
        "SELECT f.prescriber_structure_id AS structure_id, f.prescriber_kind, f.submitted_at, \
                f.exit_date, coalesce(f.duplicate_at < {u}, false) AS duplicate, \
                CASE WHEN f.contact_at < {u} THEN f.contact_at END AS contact_at, \
                CASE WHEN f.contact_at < {u} THEN f.attempts_to_contact ELSE 0 END::bigint \
                  AS attempts_to_contact, \
                coalesce(f.unreachable_at < {u}, false) AS unreachable, \
                coalesce(f.diagnosed_at < {u}, false) AS diagnosed, \
                CASE WHEN f.reached_at < {u} THEN f.reached_at END AS reached_at, \
                coalesce(f.relayed_at < {u}, false) AS relayed, \
                coalesce(f.accepted_at < {u}, false) AS accepted, \
                CASE WHEN f.started_at < {u} THEN f.started_at END AS started_at, \
                CASE WHEN f.started_at < {u} AND f.j90_answered_at < {u} THEN f.j90_answer END \
                  AS j90_answer, \
                CASE WHEN f.started_at < {u} AND f.relay_ended_at < {u} THEN f.relay_end END \
                  AS relay_end, \
                CASE WHEN f.started_at < {u} AND f.relay_ended_at < {u} THEN f.relay_ended_at END \
                  AS relay_ended_at, \
                coalesce(f.off_relayed_at < {u}, false) AS off_relayed, \
                CASE WHEN f.off_started_at < {u} THEN f.off_started_at END AS off_started_at \
         FROM stat_referral_facts f \
         WHERE {filter} AND f.submitted_at >= {s} AND f.submitted_at < {e} \
           AND f.submitted_at < {u} AND NOT f.entered_in_error"
    );
    q.push(&text);
    let rows: Vec<FactRow> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| CohortFact {
            structure_id: r.structure_id,
            prescriber_kind: r.prescriber_kind,
            submitted_on: day(r.submitted_at),
            exit_date: r.exit_date,
            duplicate: r.duplicate,
            first_contact_on: r.contact_at.map(day),
            attempts_to_contact: r.attempts_to_contact,
            unreachable: r.unreachable,
            diagnosed: r.diagnosed,
            reached_on: r.reached_at.map(day),
            relayed: r.relayed,
            accepted: r.accepted,
            started_on: r.started_at.map(day),
            j90_answer: r.j90_answer,
            relay_end: r.relay_end,
            relay_end_on: r.relay_ended_at.map(day),
            off_relayed: r.off_relayed,
            off_started_on: r.off_started_at.map(day),
        })
        .collect())
}

/// What the statistics need of one relay a receiving structure got through SAS.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct RelayFact {
    /// The local day of the request (its month is the cohort).
    #[diesel(sql_type = Date)]
    pub requested_on: NaiveDate,
    /// The local day of the first answer (accepted or refused), as of `until`.
    #[diesel(sql_type = Nullable<Date>)]
    pub answered_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Date>)]
    pub started_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    pub j90_answer: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub relay_end: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    pub relay_end_on: Option<NaiveDate>,
}

/// The relays through SAS to `structure` in `territory` requested within `[start, end)`, as
/// of `until` (referrals ever closed `entered_in_error` left out). Its events alone, besides
/// the relay's receiving structure (`relays.structure_id`, set at the request). The
/// territory's requests of the period are read first (`MATERIALIZED`: joined to `relays`
/// directly, the planner ANDed `events_relay`'s two million entries into the bitmap, 206 ms
/// against 97 ms at 1,000,000 referrals).
pub fn relay_cohort(
    conn: &mut PgConnection,
    structure: Uuid,
    territory: Uuid,
    tz: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<RelayFact>> {
    let mut q = Sql::default();
    let st = q.uuid(structure);
    let t = q.uuid(territory);
    let z = q.text(tz);
    let s = q.time(start);
    let e = q.time(end);
    let u = q.time(until);
    let text = format!(
        "WITH asked AS MATERIALIZED ( \
           SELECT x.relay_id, x.referral_id, x.occurred_at, x.code FROM events x \
           WHERE x.territory_id = {t} AND x.kind = 'relay_requested' \
             AND x.occurred_at >= {s} AND x.occurred_at < {e} AND x.occurred_at < {u}), \
         req AS ( \
           SELECT x.relay_id, x.referral_id, x.occurred_at FROM asked x \
           JOIN relays r ON r.id = x.relay_id \
           WHERE r.structure_id = {st} AND x.code IS DISTINCT FROM 'off_platform' \
             AND NOT EXISTS (SELECT 1 FROM events y WHERE y.referral_id = x.referral_id \
               AND y.to_status = 'closed' AND y.code = 'entered_in_error')), \
         agg AS ( \
           SELECT y.relay_id, \
                  min(y.occurred_at) FILTER (WHERE y.kind IN ('relay_accepted', 'relay_refused')) \
                    AS answered_at, \
                  min(y.occurred_at) FILTER (WHERE y.kind = 'relay_started') AS started_at, \
                  min(y.code) FILTER (WHERE y.kind = 'checkpoint_answered' AND 'j90' = ANY(y.fields)) \
                    AS j90, \
                  min(CASE WHEN y.kind = 'relay_completed' THEN y.code ELSE 'failed' END) \
                    FILTER (WHERE y.kind IN ('relay_completed', 'relay_failed')) AS end_code, \
                  min(y.occurred_at) FILTER (WHERE y.kind IN ('relay_completed', 'relay_failed')) \
                    AS ended_at \
           FROM events y WHERE y.relay_id IN (SELECT relay_id FROM req) AND y.occurred_at < {u} \
           GROUP BY y.relay_id) \
         SELECT (req.occurred_at AT TIME ZONE {z})::date AS requested_on, \
                (agg.answered_at AT TIME ZONE {z})::date AS answered_on, \
                (agg.started_at AT TIME ZONE {z})::date AS started_on, agg.j90 AS j90_answer, \
                agg.end_code AS relay_end, (agg.ended_at AT TIME ZONE {z})::date AS relay_end_on \
         FROM req LEFT JOIN agg ON agg.relay_id = req.relay_id ORDER BY requested_on"
    );
    q.push(&text);
    q.load(conn)
}

/// The territories a structure has figures in, the most recent first: where it submitted
/// referrals (a prescriber), or where the relays it got came from (a receiver).
pub fn structure_territories(
    conn: &mut PgConnection,
    structure: Uuid,
    receiver: bool,
) -> QueryResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = SqlUuid)]
        territory_id: Uuid,
    }
    let mut q = Sql::default();
    let st = q.uuid(structure);
    let text = if receiver {
        format!(
            "SELECT e.territory_id FROM events e JOIN relays r ON r.id = e.relay_id \
             WHERE r.structure_id = {st} AND e.kind = 'relay_requested' \
             GROUP BY e.territory_id ORDER BY max(e.occurred_at) DESC"
        )
    } else {
        format!(
            "SELECT e.territory_id FROM events e WHERE e.prescriber_structure_id = {st} \
             AND e.kind IN ('created', 'status_changed') AND e.to_status = 'submitted' \
             GROUP BY e.territory_id ORDER BY max(e.occurred_at) DESC"
        )
    };
    q.push(&text);
    let rows: Vec<T> = q.load(conn)?;
    Ok(rows.into_iter().map(|r| r.territory_id).collect())
}

/// The names of structures (the breakdown's rows are named, never identified).
pub fn structure_names(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> QueryResult<std::collections::HashMap<Uuid, String>> {
    use crate::db::schema::structures;
    use diesel::prelude::*;
    let rows: Vec<(Uuid, String)> = structures::table
        .filter(structures::id.eq_any(ids))
        .select((structures::id, structures::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
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
            reached_on: c.reached_on,
            relayed: c.relayed,
            accepted: c.accepted,
            answered_on: None,
            started_on: c.started_on,
            j90_answer: c.j90_answer,
            relay_end: c.relay_end,
            relay_end_on: c.relay_end_on,
            off_relayed: c.off_relayed,
            off_started_on: c.off_started_on,
        }
    }
}

impl From<RelayFact> for crate::domain::stats::indicators::Fact {
    /// A relay as a fact of its own (the receiver's scope): no prescriber, no breakdown.
    fn from(r: RelayFact) -> Self {
        crate::domain::stats::indicators::Fact {
            submitted_on: r.requested_on,
            relayed: true,
            accepted: false,
            answered_on: r.answered_on,
            started_on: r.started_on,
            j90_answer: r.j90_answer,
            relay_end: r.relay_end,
            relay_end_on: r.relay_end_on,
            ..Default::default()
        }
    }
}

/// A target of a territory.
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::stat_targets)]
pub struct TargetRow {
    pub indicator: String,
    pub value: f64,
    pub updated_at: DateTime<Utc>,
}

/// The targets of a territory, by indicator code.
pub fn targets(conn: &mut PgConnection, territory: Uuid) -> QueryResult<Vec<TargetRow>> {
    use crate::db::schema::stat_targets as t;
    use diesel::prelude::*;
    t::table
        .filter(t::territory_id.eq(territory))
        .order(t::indicator)
        .select(TargetRow::as_select())
        .load(conn)
}

/// Sets (`Some`) or removes (`None`) a target; the value it had before.
pub fn set_target(
    conn: &mut PgConnection,
    territory: Uuid,
    indicator: &str,
    value: Option<f64>,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<Option<f64>> {
    use crate::db::schema::stat_targets as t;
    use diesel::prelude::*;
    let key = t::table
        .filter(t::territory_id.eq(territory))
        .filter(t::indicator.eq(indicator));
    let before: Option<f64> = key.select(t::value).first(conn).optional()?;
    match value {
        None => {
            diesel::delete(key).execute(conn)?;
        }
        Some(v) => {
            diesel::insert_into(t::table)
                .values((
                    t::territory_id.eq(territory),
                    t::indicator.eq(indicator),
                    t::value.eq(v),
                    t::updated_at.eq(now),
                    t::updated_by_user_id.eq(by),
                ))
                .on_conflict((t::territory_id, t::indicator))
                .do_update()
                .set((
                    t::value.eq(v),
                    t::updated_at.eq(now),
                    t::updated_by_user_id.eq(by),
                ))
                .execute(conn)?;
        }
    }
    Ok(before)
}

//! Relays and their checkpoints: the rows, scoped reads (out of scope is not found), the
//! receiver's inbox with its keyset cursor, and [`act`], the one writer of a relay's status.
//! It asks `domain::relay`, saves, records the event (with `relay_id`) through the journal,
//! moves the referral as the system when its relays say so (`domain::relay::follow`, or
//! `retarget_hold` while it is on hold), and queues the webhooks and mails of the change.
use api_types::{CheckpointAnswer, EventKind, RelayOutcome, RelayReason, RelayStatus, Status};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};

use crate::db::cursor::{self, Key};
use crate::db::journal::Journal;
use crate::db::referrals::{self, Scope, TransitionError};
use crate::db::schema::{relay_checkpoints, relays};
use crate::db::sql::Sql;
use crate::domain::referral::lifecycle::{self, By, EventDraft, Request};
use crate::domain::relay::{self, Action, Capacity, Details, Follow, RelayState};
use crate::ids::{ClientId, ReferralId, RelayId, ServiceId, StructureId, TerritoryId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = relays, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct RelayRow {
    pub id: RelayId,
    pub referral_id: ReferralId,
    pub service_id: ServiceId,
    pub structure_id: StructureId,
    pub off_platform: bool,
    pub status: RelayStatus,
    pub reason: Option<RelayReason>,
    pub reason_text: Option<String>,
    pub outcome: Option<RelayOutcome>,
    pub needs: Vec<String>,
    pub shared_summary: Option<String>,
    pub requested_by_user_id: Option<UserId>,
    pub requested_by_client_id: Option<ClientId>,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = relay_checkpoints, check_for_backend(diesel::pg::Pg))]
pub struct CheckpointRow {
    pub relay_id: RelayId,
    pub n: i32,
    pub due_on: NaiveDate,
    pub answer: Option<CheckpointAnswer>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by_user_id: Option<UserId>,
    pub answered_by_client_id: Option<ClientId>,
}

/// Why a relay was not created.
#[derive(Debug)]
pub enum CreateError {
    /// An active relay to this service exists already (409 `relay_exists`).
    Exists,
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for CreateError {
    fn from(e: diesel::result::Error) -> CreateError {
        CreateError::Db(e)
    }
}

/// Inserts a new relay (its event, webhooks and mails are the caller's: see
/// [`record_request`]).
pub fn insert(conn: &mut PgConnection, row: &RelayRow) -> Result<RelayRow, CreateError> {
    conn.transaction(|conn| {
        diesel::insert_into(relays::table)
            .values(row)
            .returning(RelayRow::as_returning())
            .get_result(conn)
    })
    .map_err(|e| {
        if crate::db::is_unique_violation(&e, "relays_one_active_per_service") {
            CreateError::Exists
        } else {
            CreateError::Db(e)
        }
    })
}

/// Records a new relay request: the row, its event (`relay_requested`, coded `off_platform`
/// for those), then what follows any change ([`after_change`]: webhooks, the agents' mails,
/// the referral to `relaying`). Call it inside a transaction.
pub fn request(
    conn: &mut PgConnection,
    row: &RelayRow,
    journal: &Journal,
) -> Result<RelayRow, ActError> {
    let row = insert(conn, row).map_err(|e| match e {
        CreateError::Exists => ActError::Exists,
        CreateError::Db(e) => ActError::Db(e),
    })?;
    let mut e = EventDraft::new(EventKind::RelayRequested);
    e.relay = Some(row.id.uuid());
    e.code = row.off_platform.then(|| "off_platform".to_string());
    let event = journal.event(conn, row.referral_id, &e)?;
    after_change(conn, &row, None, event.uuid(), journal)?;
    Ok(row)
}

/// Whether the structure has someone to answer through SAS: an active receiver account, or
/// a partner system (API client, not revoked) with the receiver role.
pub fn has_account(conn: &mut PgConnection, structure: StructureId) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct B {
        #[diesel(sql_type = Bool)]
        b: bool,
    }
    diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM users WHERE structure_id = $1 AND active \
                        AND 'receiver' = ANY (roles)) \
             OR EXISTS (SELECT 1 FROM api_clients WHERE structure_id = $1 AND revoked_at IS NULL \
                        AND 'receiver' = ANY (roles)) AS b",
    )
    .bind::<SqlUuid, _>(structure)
    .get_result::<B>(conn)
    .map(|b| b.b)
}

/// The relays of a referral, oldest first.
pub fn of_referral(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Vec<RelayRow>> {
    relays::table
        .filter(relays::referral_id.eq(referral))
        .order((relays::requested_at.asc(), relays::id.asc()))
        .select(RelayRow::as_select())
        .load(conn)
}

pub fn checkpoints(conn: &mut PgConnection, ids: &[RelayId]) -> QueryResult<Vec<CheckpointRow>> {
    relay_checkpoints::table
        .filter(relay_checkpoints::relay_id.eq_any(ids))
        .order((relay_checkpoints::relay_id, relay_checkpoints::n))
        .select(CheckpointRow::as_select())
        .load(conn)
}

fn lock(conn: &mut PgConnection, id: RelayId) -> QueryResult<RelayRow> {
    relays::table
        .find(id)
        .select(RelayRow::as_select())
        .for_update()
        .first(conn)
}

fn save(conn: &mut PgConnection, r: &RelayRow) -> QueryResult<RelayRow> {
    diesel::update(relays::table.find(r.id))
        .set(r)
        .returning(RelayRow::as_returning())
        .get_result(conn)
}

/// Who reaches relays: the receiving structure (relays through SAS only) and the SAS team of
/// the referral's territory.
#[derive(Debug, Clone, Copy, Default)]
pub struct RelayScope {
    pub receiver: Option<StructureId>,
    pub territory: Option<TerritoryId>,
}

/// Where a relay stands for a caller: the row, and whether the caller reaches it as the
/// receiving structure and/or as the SAS team.
#[derive(Debug, Clone)]
pub struct Found {
    pub row: RelayRow,
    pub as_receiver: bool,
    pub as_counsellor: bool,
}

/// Finds a relay in scope (no lock).
pub fn find(conn: &mut PgConnection, id: RelayId, scope: RelayScope) -> QueryResult<Option<Found>> {
    #[derive(QueryableByName)]
    struct F {
        #[diesel(sql_type = Bool)]
        as_receiver: bool,
        #[diesel(sql_type = Bool)]
        as_counsellor: bool,
    }
    let mut q = Sql::default();
    let rid = q.uuid(id);
    let s = q.opt_uuid(scope.receiver.map(Into::into));
    let t = q.opt_uuid(scope.territory.map(Into::into));
    q.push(&format!(
        "SELECT COALESCE(NOT r.off_platform AND r.structure_id = {s}, false) AS as_receiver, \
                COALESCE(f.territory_id = {t}, false) AS as_counsellor \
         FROM relays r JOIN referrals f ON f.id = r.referral_id WHERE r.id = {rid}"
    ));
    let Some(f) = q.get_result::<F>(conn).optional()? else {
        return Ok(None);
    };
    if !f.as_receiver && !f.as_counsellor {
        return Ok(None);
    }
    let row = relays::table
        .find(id)
        .select(RelayRow::as_select())
        .first(conn)?;
    Ok(Some(Found {
        row,
        as_receiver: f.as_receiver,
        as_counsellor: f.as_counsellor,
    }))
}

/// What the relay's reader needs beyond the row: names, the young person, the time zone.
#[derive(Debug, Clone, QueryableByName)]
pub struct Context {
    #[diesel(sql_type = SqlUuid)]
    pub relay_id: RelayId,
    #[diesel(sql_type = Text)]
    pub structure_name: String,
    #[diesel(sql_type = Bool)]
    pub structure_sensitive: bool,
    #[diesel(sql_type = Text)]
    pub service_name: String,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    #[diesel(sql_type = SqlUuid)]
    pub youth_id: crate::ids::YouthId,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub prescriber_id: Option<StructureId>,
    #[diesel(sql_type = Nullable<Text>)]
    pub prescriber_name: Option<String>,
    #[diesel(sql_type = Bool)]
    pub prescriber_sensitive: bool,
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
    #[diesel(sql_type = Bool)]
    pub contact_via_prescriber_only: bool,
}

/// The context of these relays (same order not guaranteed: match on `relay_id`).
pub fn contexts(conn: &mut PgConnection, ids: &[RelayId]) -> QueryResult<Vec<Context>> {
    let mut q = Sql::default();
    let ids = q.texts(ids.iter().map(|i| i.to_string()).collect());
    q.push(&format!(
        "SELECT r.id AS relay_id, s.name AS structure_name, s.sensitive AS structure_sensitive, \
                sv.nom AS service_name, t.time_zone, f.youth_id, \
                f.prescriber_structure_id AS prescriber_id, ps.name AS prescriber_name, \
                COALESCE(ps.sensitive, false) AS prescriber_sensitive, \
                y.anonymised_at, y.first_name, y.last_name, y.birth_date, y.phone, y.email, y.commune_insee, \
                c.name AS commune_name, y.contact_via_prescriber_only \
         FROM relays r JOIN structures s ON s.id = r.structure_id \
         JOIN services sv ON sv.id = r.service_id \
         JOIN referrals f ON f.id = r.referral_id JOIN territories t ON t.id = f.territory_id \
         JOIN youths y ON y.id = f.youth_id JOIN communes c ON c.insee = y.commune_insee \
         LEFT JOIN structures ps ON ps.id = f.prescriber_structure_id \
         WHERE r.id = ANY ({ids}::uuid[])"
    ));
    q.load(conn)
}

/// The inbox's sort key: waiting first, then oldest request first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxKey {
    pub answered: bool,
    pub requested_at: DateTime<Utc>,
    pub id: uuid::Uuid,
}

impl Key for InboxKey {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![u8::from(self.answered)];
        cursor::time_to(&self.requested_at, &mut out);
        out.extend_from_slice(self.id.as_bytes());
        out
    }

    fn from_bytes(b: &[u8]) -> Self {
        let mut b = b;
        let answered = b.first().is_some_and(|f| *f != 0);
        b = b.get(1..).unwrap_or(&[]);
        let requested_at = cursor::time_from(&mut b);
        let id = cursor::uuid_from(&mut b);
        InboxKey {
            answered,
            requested_at,
            id,
        }
    }
}

impl InboxKey {
    pub fn of(r: &RelayRow) -> InboxKey {
        InboxKey {
            answered: r.status != RelayStatus::Requested,
            requested_at: r.requested_at,
            id: r.id.uuid(),
        }
    }
}

/// The receiving structure's relays through SAS: waiting ones first, then by request time;
/// `limit + 1` rows after `after`.
pub fn inbox(
    conn: &mut PgConnection,
    structure: StructureId,
    service: Option<ServiceId>,
    status: Option<RelayStatus>,
    after: Option<InboxKey>,
    limit: i64,
) -> QueryResult<Vec<RelayRow>> {
    let mut q = relays::table
        .filter(relays::structure_id.eq(structure))
        .filter(relays::off_platform.eq(false))
        .select(RelayRow::as_select())
        .into_boxed();
    if let Some(s) = service {
        q = q.filter(relays::service_id.eq(s));
    }
    if let Some(s) = status {
        q = q.filter(relays::status.eq(s));
    }
    let answered = diesel::dsl::sql::<Bool>("(relays.status <> 'requested')");
    if let Some(k) = after {
        // (answered, requested_at, id) > key, written out for the boxed query.
        let a = if k.answered { "true" } else { "false" };
        q = q.filter(
            diesel::dsl::sql::<Bool>(&format!(
                "((relays.status <> 'requested'), relays.requested_at, relays.id) > ({a}, "
            ))
            .bind::<Timestamptz, _>(k.requested_at)
            .sql(", ")
            .bind::<SqlUuid, _>(k.id)
            .sql(")"),
        );
    }
    q.order((answered.asc(), relays::requested_at.asc(), relays::id.asc()))
        .limit(limit + 1)
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// The writer.

/// Why an action on a relay was not done.
#[derive(Debug)]
pub enum ActError {
    NotFound,
    /// An active relay to this service exists already (409 `relay_exists`).
    Exists,
    Stale,
    Refused(relay::Refusal),
    Checkpoint(relay::CheckpointRefusal),
    Referral(TransitionError),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for ActError {
    fn from(e: diesel::result::Error) -> ActError {
        ActError::Db(e)
    }
}

impl From<TransitionError> for ActError {
    fn from(e: TransitionError) -> ActError {
        ActError::Referral(e)
    }
}

fn event_kind(a: Action) -> EventKind {
    match a {
        Action::Accept => EventKind::RelayAccepted,
        Action::Refuse => EventKind::RelayRefused,
        Action::Start => EventKind::RelayStarted,
        Action::Fail => EventKind::RelayFailed,
        Action::Complete => EventKind::RelayCompleted,
        Action::Cancel => EventKind::RelayCancelled,
        Action::Expire => EventKind::RelayExpired,
    }
}

/// The territory's time zone of a referral.
pub fn time_zone(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Tz> {
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = Text)]
        time_zone: String,
    }
    let t: T = diesel::sql_query(
        "SELECT t.time_zone FROM referrals r JOIN territories t ON t.id = r.territory_id WHERE r.id = $1",
    )
    .bind::<SqlUuid, _>(referral)
    .get_result(conn)?;
    t.time_zone.parse().map_err(|_| {
        diesel::result::Error::DeserializationError(
            format!("unknown stored time zone {:?}", t.time_zone).into(),
        )
    })
}

/// Does `action` on relay `id` as `who` (the route has found it in the caller's scope).
/// Locks the referral, then the relay; checks the move, then the version; saves; records
/// the event; creates the checkpoints of a start; moves the referral as its relays say;
/// queues the webhooks and the mails. Call it inside a transaction.
pub fn act(
    conn: &mut PgConnection,
    id: RelayId,
    action: Action,
    who: Capacity,
    d: &Details,
    expected_version: Option<i32>,
    journal: &Journal,
) -> Result<RelayRow, ActError> {
    let referral: ReferralId = relays::table
        .find(id)
        .select(relays::referral_id)
        .first(conn)
        .optional()?
        .ok_or(ActError::NotFound)?;
    referrals::lock(conn, referral, Scope::ALL)?.ok_or(ActError::NotFound)?;
    let mut r = lock(conn, id)?;
    let applied =
        relay::apply(r.status, action, who, r.off_platform, d).map_err(ActError::Refused)?;
    if expected_version.is_some_and(|v| v != r.version) {
        return Err(ActError::Stale);
    }
    let from = r.status;
    let now = journal.now;
    r.status = applied.to;
    match action {
        Action::Accept => r.answered_at = Some(now),
        Action::Refuse => {
            r.answered_at = Some(now);
            r.ended_at = Some(now);
        }
        Action::Start => r.started_at = Some(now),
        _ => r.ended_at = Some(now),
    }
    if matches!(action, Action::Refuse | Action::Fail) {
        r.reason = applied.reason;
        r.reason_text = applied.reason_text.clone();
    }
    if action == Action::Complete {
        r.outcome = applied.outcome;
    }
    r.updated_at = now;
    r.version += 1;
    let r = save(conn, &r)?;
    if action == Action::Start {
        let tz = time_zone(conn, referral)?;
        let rows: Vec<CheckpointRow> = relay::CHECKPOINTS
            .iter()
            .map(|&n| CheckpointRow {
                relay_id: r.id,
                n,
                due_on: relay::checkpoint_due(now, tz, n),
                answer: None,
                answered_at: None,
                answered_by_user_id: None,
                answered_by_client_id: None,
            })
            .collect();
        diesel::insert_into(relay_checkpoints::table)
            .values(&rows)
            .execute(conn)?;
    }
    let mut e = EventDraft::new(event_kind(action));
    e.code = applied.code.clone();
    e.relay = Some(r.id.uuid());
    e.note = applied.reason_text;
    let event = journal.event(conn, referral, &e)?;
    after_change(conn, &r, Some(from), event.uuid(), journal)?;
    Ok(r)
}

/// What follows any change of a relay's status: the webhooks, the mails to the people
/// concerned, and the referral's status.
pub fn after_change(
    conn: &mut PgConnection,
    r: &RelayRow,
    from: Option<RelayStatus>,
    event: uuid::Uuid,
    journal: &Journal,
) -> Result<(), ActError> {
    crate::db::webhooks::emit_relay_change(conn, r, from, event, journal.now)?;
    crate::db::notifications::relay_changed(conn, r, event, journal.now)?;
    follow_referral(conn, r.referral_id, journal)?;
    Ok(())
}

/// What the referral's rule reads of its relays.
pub fn states(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Vec<RelayState>> {
    let rows = of_referral(conn, referral)?;
    let ids: Vec<RelayId> = rows.iter().map(|r| r.id).collect();
    let cps = checkpoints(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|r| RelayState {
            status: r.status,
            outcome: r.outcome,
            last_answer: cps
                .iter()
                .find(|c| c.relay_id == r.id && c.n == relay::LAST_CHECKPOINT)
                .and_then(|c| c.answer),
        })
        .collect())
}

/// Moves the referral as its relays say (`domain::relay::follow`), as the system; while it is
/// on hold, changes the state it returns to instead (`lifecycle::retarget_hold`).
pub fn follow_referral(
    conn: &mut PgConnection,
    referral: ReferralId,
    journal: &Journal,
) -> Result<(), ActError> {
    let Some((mut row, _)) = referrals::lock(conn, referral, Scope::ALL)? else {
        return Err(ActError::NotFound);
    };
    let state = row.lifecycle()?;
    let base = match (state.status, state.hold) {
        (Status::OnHold, Some(h)) => h.from,
        (s, _) => s,
    };
    let follow = relay::follow(base, &states(conn, referral)?);
    let system = Journal::system(&journal.route, journal.now);
    match (state.status, follow) {
        (_, Follow::Stay) => {}
        (Status::OnHold, Follow::MoveTo(to)) => {
            if let Some(next) = lifecycle::retarget_hold(&state, to) {
                row.set_lifecycle(&next);
                row.updated_at = journal.now;
                row.version += 1;
                referrals::update(conn, &row)?;
            }
        }
        // The system closes a followed referral only; on hold it waits for the counsellor.
        (Status::OnHold, Follow::Close(_)) => {}
        (_, Follow::MoveTo(to)) => {
            referrals::transition(
                conn,
                referral,
                Scope::ALL,
                &Request::to(to),
                |_| By::SYSTEM,
                None,
                &system,
            )?;
        }
        (_, Follow::Close(outcome)) => {
            referrals::transition(
                conn,
                referral,
                Scope::ALL,
                &Request::close(outcome),
                |_| By::SYSTEM,
                None,
                &system,
            )?;
        }
    }
    Ok(())
}

/// When a referral closes, its requested and accepted relays are cancelled (started ones keep
/// their checkpoints); when a consent record without `share_with_receiver` is appended, the
/// same. `cause`: `domain::relay::REFERRAL_CLOSED` or `CONSENT_WITHDRAWN`.
pub fn cancel_pending(
    conn: &mut PgConnection,
    referral: ReferralId,
    cause: &'static str,
    journal: &Journal,
) -> Result<usize, ActError> {
    let pending: Vec<RelayId> = relays::table
        .filter(relays::referral_id.eq(referral))
        .filter(relays::status.eq_any([RelayStatus::Requested, RelayStatus::Accepted]))
        .select(relays::id)
        .load(conn)?;
    let d = Details {
        cause: Some(cause),
        ..Details::default()
    };
    for id in &pending {
        act(
            conn,
            *id,
            Action::Cancel,
            Capacity::System,
            &d,
            None,
            journal,
        )?;
    }
    Ok(pending.len())
}

/// Answers checkpoint `n` of a started relay; a `positive_exit`, `dropped_out` or
/// `lost_contact` answer completes or fails it (in the receiver's name).
pub fn answer(
    conn: &mut PgConnection,
    id: RelayId,
    n: i32,
    a: CheckpointAnswer,
    who: Capacity,
    expected_version: Option<i32>,
    journal: &Journal,
) -> Result<RelayRow, ActError> {
    let referral: ReferralId = relays::table
        .find(id)
        .select(relays::referral_id)
        .first(conn)
        .optional()?
        .ok_or(ActError::NotFound)?;
    referrals::lock(conn, referral, Scope::ALL)?.ok_or(ActError::NotFound)?;
    let mut r = lock(conn, id)?;
    // Answering is the receiver's (the counsellor's for an off-platform relay).
    if relay::effective(who, r.off_platform) != Some(Capacity::Receiver) {
        return Err(ActError::Refused(relay::Refusal::Illegal {
            from: r.status,
            allowed: relay::allowed(r.status, who, r.off_platform),
        }));
    }
    let tz = time_zone(conn, referral)?;
    let today = crate::domain::referral::today_in(tz, journal.now);
    let cps = checkpoints(conn, &[id])?;
    let table: Vec<(i32, NaiveDate, bool)> = cps
        .iter()
        .map(|c| (c.n, c.due_on, c.answer.is_some()))
        .collect();
    relay::may_answer(r.status, n, &table, today).map_err(ActError::Checkpoint)?;
    if expected_version.is_some_and(|v| v != r.version) {
        return Err(ActError::Stale);
    }
    diesel::update(
        relay_checkpoints::table
            .filter(relay_checkpoints::relay_id.eq(id))
            .filter(relay_checkpoints::n.eq(n)),
    )
    .set((
        relay_checkpoints::answer.eq(Some(a)),
        relay_checkpoints::answered_at.eq(Some(journal.now)),
        relay_checkpoints::answered_by_user_id.eq(journal.who.user()),
        relay_checkpoints::answered_by_client_id.eq(journal.who.client()),
    ))
    .execute(conn)?;
    let mut e = EventDraft::new(EventKind::CheckpointAnswered);
    e.code = Some(a.as_str().to_string());
    e.relay = Some(id.uuid());
    e.fields = vec![format!("j{n}")];
    journal.event(conn, referral, &e)?;
    if let Some((action, d)) = relay::answer_effect(a) {
        return act(conn, id, action, who, &d, None, journal);
    }
    r.updated_at = journal.now;
    r.version += 1;
    let r = save(conn, &r)?;
    // The last answer may settle the referral.
    follow_referral(conn, referral, journal)?;
    Ok(r)
}

// ---------------------------------------------------------------------------------------
// The sweeps' reads.

/// A request waiting for an answer, with its territory's time zone.
#[derive(Debug, Clone, QueryableByName)]
pub struct Waiting {
    #[diesel(sql_type = SqlUuid)]
    pub id: RelayId,
    #[diesel(sql_type = SqlUuid)]
    pub referral_id: ReferralId,
    #[diesel(sql_type = SqlUuid)]
    pub structure_id: StructureId,
    #[diesel(sql_type = Timestamptz)]
    pub requested_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    #[diesel(sql_type = Bool)]
    pub off_platform: bool,
    /// The referral's assigned counsellor, else the one who sent the relay (who records the
    /// answers of an off-platform relay).
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub counsellor: Option<uuid::Uuid>,
}

/// Requests waiting since at least `days` days before `now` (an index range on the UTC time,
/// widened by a day; the calendar rule is applied in Rust per territory), at most `limit`.
/// Off-platform requests never expire: they are read only until their reminders are past
/// (30 calendar days, widened by a day), so old ones never crowd the batch.
pub fn waiting_since(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    days: i64,
    limit: i64,
) -> QueryResult<Vec<Waiting>> {
    let bound = now - chrono::Duration::days(days - 1);
    let off_platform_bound = now - chrono::Duration::days(relay::EXPIRES_AFTER_DAYS + 1);
    diesel::sql_query(
        "SELECT r.id, r.referral_id, r.structure_id, r.requested_at, t.time_zone, r.off_platform, \
                COALESCE(f.assigned_counsellor_id, r.requested_by_user_id) AS counsellor \
         FROM relays r \
         JOIN referrals f ON f.id = r.referral_id JOIN territories t ON t.id = f.territory_id \
         WHERE r.status = 'requested' AND r.requested_at <= $1 \
           AND (NOT r.off_platform OR r.requested_at > $3) \
         ORDER BY r.requested_at, r.id LIMIT $2",
    )
    .bind::<Timestamptz, _>(bound)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .bind::<Timestamptz, _>(off_platform_bound)
    .load(conn)
}

/// An open checkpoint of a relay still started.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueCheckpoint {
    #[diesel(sql_type = SqlUuid)]
    pub relay_id: RelayId,
    #[diesel(sql_type = Int4)]
    pub n: i32,
    #[diesel(sql_type = SqlUuid)]
    pub structure_id: StructureId,
    #[diesel(sql_type = Bool)]
    pub off_platform: bool,
    #[diesel(sql_type = Date)]
    pub due_on: NaiveDate,
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    #[diesel(sql_type = SqlUuid)]
    pub referral_id: ReferralId,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub counsellor: Option<uuid::Uuid>,
}

/// Open checkpoints due on or before `until` (the latest calendar day anywhere: each
/// territory's own day is applied by the caller), oldest first, at most `limit`.
pub fn due_checkpoints(
    conn: &mut PgConnection,
    until: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<DueCheckpoint>> {
    diesel::sql_query(
        "SELECT c.relay_id, c.n, r.structure_id, r.off_platform, c.due_on, t.time_zone, \
                r.referral_id, f.assigned_counsellor_id AS counsellor FROM relay_checkpoints c \
         JOIN relays r ON r.id = c.relay_id JOIN referrals f ON f.id = r.referral_id \
         JOIN territories t ON t.id = f.territory_id \
         WHERE c.answer IS NULL AND c.due_on <= $1 AND r.status = 'started' \
         ORDER BY c.due_on, c.relay_id, c.n LIMIT $2",
    )
    .bind::<Date, _>(until)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(conn)
}

/// The active receiver accounts of a structure (who gets its relay mails).
pub fn receivers(conn: &mut PgConnection, structure: StructureId) -> QueryResult<Vec<uuid::Uuid>> {
    use crate::db::schema::users;
    users::table
        .filter(users::structure_id.eq(structure.uuid()))
        .filter(users::active.eq(true))
        .filter(diesel::dsl::sql::<Bool>("'receiver' = ANY (users.roles)"))
        .order(users::id)
        .select(users::id)
        .load(conn)
}

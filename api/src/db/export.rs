//! The right of access's reads (issue 15): every row SAS holds about one youth, for
//! `routes::youths::export`. Each query reads one kind of row for the youth or one referral,
//! oldest first; free texts blanked by anonymisation read as absent, like everywhere else.
use api_types::{
    AccessAction, Channel, CheckpointAnswer, ContactChannel, EventKind, HoldReason, Outcome,
    ReasonCode, RelayOutcome, RelayReason, RelayStatus, Status,
};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Date, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::sql::Sql;
use crate::ids::{ReferralId, YouthId};

/// The youth row and its commune's name.
#[derive(Debug, Clone, QueryableByName)]
pub struct YouthView {
    #[diesel(sql_type = SqlUuid)]
    pub id: YouthId,
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
    #[diesel(sql_type = Nullable<Text>)]
    pub commune_name: Option<String>,
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
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub anonymised_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
}

pub fn youth(conn: &mut PgConnection, id: YouthId) -> QueryResult<Option<YouthView>> {
    let mut q = Sql::default();
    let id = q.uuid(id);
    q.push(&format!(
        "SELECT y.id, y.first_name, y.last_name, y.birth_date, y.phone, y.email, \
           y.commune_insee, c.name AS commune_name, y.contact_channels, \
           y.contact_via_prescriber_only, y.legal_rep_name, y.legal_rep_phone, \
           y.legal_rep_email, y.legal_rep_informed_on, y.anonymised_at, y.created_at, \
           y.updated_at \
         FROM youths y LEFT JOIN communes c ON c.insee = y.commune_insee WHERE y.id = {id}"
    ));
    q.load::<YouthView>(conn).map(|mut v| v.pop())
}

/// Contact details a correction replaced.
#[derive(Debug, Clone, QueryableByName)]
pub struct ContactChangeView {
    #[diesel(sql_type = SqlUuid)]
    pub referral_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub replaced_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub email: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub contact_channels: Vec<ContactChannel>,
    #[diesel(sql_type = Bool)]
    pub contact_via_prescriber_only: bool,
}

pub fn contact_history(
    conn: &mut PgConnection,
    youth: YouthId,
) -> QueryResult<Vec<ContactChangeView>> {
    let mut q = Sql::default();
    let id = q.uuid(youth);
    q.push(&format!(
        "SELECT referral_id, replaced_at, phone, email, contact_channels, \
           contact_via_prescriber_only \
         FROM youth_contact_history WHERE youth_id = {id} ORDER BY replaced_at, id"
    ));
    q.load(conn)
}

/// A referral with the names of its territory, prescriber structure and counsellor.
#[derive(Debug, Clone, QueryableByName)]
pub struct ReferralView {
    #[diesel(sql_type = SqlUuid)]
    pub id: ReferralId,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = Nullable<Text>)]
    pub outcome: Option<Outcome>,
    #[diesel(sql_type = Text)]
    pub channel: Channel,
    #[diesel(sql_type = SqlUuid)]
    pub territory_id: Uuid,
    #[diesel(sql_type = Text)]
    pub territory_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub prescriber_id: Option<Uuid>,
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
    #[diesel(sql_type = Nullable<Text>)]
    pub on_hold_reason: Option<HoldReason>,
    #[diesel(sql_type = Nullable<Text>)]
    pub on_hold_from: Option<Status>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub counsellor_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub counsellor_name: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub previous_referral_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
}

pub fn referrals(conn: &mut PgConnection, youth: YouthId) -> QueryResult<Vec<ReferralView>> {
    let mut q = Sql::default();
    let id = q.uuid(youth);
    q.push(&format!(
        "SELECT r.id, r.status, r.outcome, r.channel, r.territory_id, t.name AS territory_name, \
           r.prescriber_structure_id AS prescriber_id, s.name AS prescriber_name, \
           s.kind AS prescriber_kind, r.reason_code, r.reason_text, r.exit_date, r.needs, \
           r.on_hold_reason, r.on_hold_from, r.assigned_counsellor_id AS counsellor_id, \
           u.first_name || ' ' || u.last_name AS counsellor_name, r.previous_referral_id, \
           r.submitted_at, r.closed_at, r.created_at, r.updated_at \
         FROM referrals r \
         JOIN territories t ON t.id = r.territory_id \
         LEFT JOIN structures s ON s.id = r.prescriber_structure_id \
         LEFT JOIN users u ON u.id = r.assigned_counsellor_id \
         WHERE r.youth_id = {id} ORDER BY r.created_at, r.id"
    ));
    q.load(conn)
}

/// An event as recorded, with who acted and its note.
#[derive(Debug, Clone, QueryableByName)]
pub struct EventView {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: EventKind,
    #[diesel(sql_type = Nullable<Text>)]
    pub from_status: Option<Status>,
    #[diesel(sql_type = Nullable<Text>)]
    pub to_status: Option<Status>,
    #[diesel(sql_type = Nullable<Text>)]
    pub code: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub fields: Vec<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub relay_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub actor_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub actor_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub note: Option<String>,
}

pub fn events(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Vec<EventView>> {
    let mut q = Sql::default();
    let id = q.uuid(referral);
    q.push(&format!(
        "SELECT e.id, e.kind, e.from_status, e.to_status, e.code, e.fields, e.relay_id, \
           e.occurred_at, coalesce(e.actor_user_id, e.actor_client_id) AS actor_id, \
           coalesce(u.first_name || ' ' || u.last_name, ac.name) AS actor_name, \
           CASE WHEN n.blanked_at IS NULL THEN n.note END AS note \
         FROM events e \
         LEFT JOIN users u ON u.id = e.actor_user_id \
         LEFT JOIN api_clients ac ON ac.id = e.actor_client_id \
         LEFT JOIN event_notes n ON n.event_id = e.id \
         WHERE e.referral_id = {id} ORDER BY e.occurred_at, e.id"
    ));
    q.load(conn)
}

/// A relay with the names of its structure and service, and its checkpoints.
#[derive(Debug, Clone, QueryableByName)]
pub struct RelayView {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub status: RelayStatus,
    #[diesel(sql_type = Bool)]
    pub off_platform: bool,
    #[diesel(sql_type = SqlUuid)]
    pub structure_id: Uuid,
    #[diesel(sql_type = Text)]
    pub structure_name: String,
    #[diesel(sql_type = SqlUuid)]
    pub service_id: Uuid,
    #[diesel(sql_type = Text)]
    pub service_name: String,
    #[diesel(sql_type = Array<Text>)]
    pub needs: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub shared_summary: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<RelayReason>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason_text: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub outcome: Option<RelayOutcome>,
    #[diesel(sql_type = Timestamptz)]
    pub requested_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub answered_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub ended_at: Option<DateTime<Utc>>,
}

pub fn relays(conn: &mut PgConnection, referral: ReferralId) -> QueryResult<Vec<RelayView>> {
    let mut q = Sql::default();
    let id = q.uuid(referral);
    q.push(&format!(
        "SELECT r.id, r.status, r.off_platform, r.structure_id, st.name AS structure_name, \
           r.service_id, sv.nom AS service_name, r.needs, r.shared_summary, r.reason, \
           r.reason_text, r.outcome, r.requested_at, r.answered_at, r.started_at, r.ended_at \
         FROM relays r \
         JOIN structures st ON st.id = r.structure_id \
         JOIN services sv ON sv.id = r.service_id \
         WHERE r.referral_id = {id} ORDER BY r.requested_at, r.id"
    ));
    q.load(conn)
}

#[derive(Debug, Clone, QueryableByName)]
pub struct CheckpointView {
    #[diesel(sql_type = SqlUuid)]
    pub relay_id: Uuid,
    #[diesel(sql_type = Int4)]
    pub n: i32,
    #[diesel(sql_type = Date)]
    pub due_on: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    pub answer: Option<CheckpointAnswer>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub answered_at: Option<DateTime<Utc>>,
}

pub fn checkpoints(
    conn: &mut PgConnection,
    referral: ReferralId,
) -> QueryResult<Vec<CheckpointView>> {
    let mut q = Sql::default();
    let id = q.uuid(referral);
    q.push(&format!(
        "SELECT c.relay_id, c.n, c.due_on, c.answer, c.answered_at \
         FROM relay_checkpoints c JOIN relays r ON r.id = c.relay_id \
         WHERE r.referral_id = {id} ORDER BY c.relay_id, c.n"
    ));
    q.load(conn)
}

/// One access-log row with its actor's name and roles and its structure's name.
#[derive(Debug, Clone, QueryableByName)]
pub struct AccessView {
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    #[diesel(sql_type = Text)]
    pub action: AccessAction,
    #[diesel(sql_type = Bool)]
    pub by_client: bool,
    #[diesel(sql_type = SqlUuid)]
    pub actor_id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    pub actor_name: Option<String>,
    #[diesel(sql_type = Nullable<Array<Text>>)]
    pub actor_roles: Option<Vec<String>>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub structure_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub structure_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub route: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reason: Option<String>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub referral_id: Option<Uuid>,
}

/// Every access to the youth's data, oldest first (served by `access_logs_youth`).
pub fn accesses(conn: &mut PgConnection, youth: YouthId) -> QueryResult<Vec<AccessView>> {
    let mut q = Sql::default();
    let id = q.uuid(youth);
    q.push(&format!(
        "SELECT l.occurred_at, l.action, l.actor_client_id IS NOT NULL AS by_client, \
           coalesce(l.actor_user_id, l.actor_client_id) AS actor_id, \
           coalesce(u.first_name || ' ' || u.last_name, ac.name) AS actor_name, \
           coalesce(u.roles, ac.roles) AS actor_roles, l.structure_id, \
           s.name AS structure_name, l.route, l.reason, l.referral_id \
         FROM access_logs l \
         LEFT JOIN users u ON u.id = l.actor_user_id \
         LEFT JOIN api_clients ac ON ac.id = l.actor_client_id \
         LEFT JOIN structures s ON s.id = l.structure_id \
         WHERE l.youth_id = {id} ORDER BY l.occurred_at, l.id"
    ));
    q.load(conn)
}

//! Webhook subscriptions and deliveries. [`emit_referral_change`] is called by the journal
//! for every status change; each subscription that may see the referral gets one delivery
//! (unique per subscription and event) and its job `webhook.deliver`.
use api_types::{Outcome, Status};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    BigInt, Binary, Bool, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::jobs;
use crate::domain::referral::visibility::Viewer;
use crate::domain::webhooks::{referral_payload, REFERRAL_STATUS_CHANGED};
use crate::ids::StructureId;

/// Kind of the delivery job.
pub const DELIVER: &str = "webhook.deliver";
/// Attempts before a delivery is given up (about 1 day of retries).
pub const MAX_ATTEMPTS: i32 = 12;

#[derive(Debug, Clone, QueryableByName)]
pub struct WebhookRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub structure_id: Uuid,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub description: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub disabled_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    pub pending: i64,
    #[diesel(sql_type = BigInt)]
    pub failed: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_delivered_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT w.id, w.structure_id, w.url, w.description, w.created_at, \
    w.disabled_at, \
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending') AS pending, \
    (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'failed') AS failed, \
    (SELECT max(d.delivered_at) FROM webhook_deliveries d WHERE d.webhook_id = w.id) AS last_delivered_at \
    FROM webhooks w";

#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    structure: Uuid,
    url: &str,
    description: Option<&str>,
    secret: &[u8],
    client: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<WebhookRow> {
    diesel::sql_query(
        "INSERT INTO webhooks (id, structure_id, url, description, secret, created_by_client, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(structure)
    .bind::<Text, _>(url)
    .bind::<Nullable<Text>, _>(description)
    .bind::<Binary, _>(secret)
    .bind::<Nullable<SqlUuid>, _>(client)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    get(conn, id, None)?.ok_or(diesel::result::Error::NotFound)
}

/// One subscription, within `structure` when given (out of scope is not found).
pub fn get(
    conn: &mut PgConnection,
    id: Uuid,
    structure: Option<Uuid>,
) -> QueryResult<Option<WebhookRow>> {
    diesel::sql_query(format!(
        "{SELECT} WHERE w.id = $1 AND ($2::uuid IS NULL OR w.structure_id = $2)"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<Nullable<SqlUuid>, _>(structure)
    .get_result(conn)
    .optional()
}

/// Subscriptions (of `structure` when given), newest first, after the keyset `after`.
pub fn list(
    conn: &mut PgConnection,
    structure: Option<Uuid>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    let (at, id) = after.unzip();
    diesel::sql_query(format!(
        "{SELECT} WHERE ($1::uuid IS NULL OR w.structure_id = $1) \
         AND ($2::timestamptz IS NULL OR (w.created_at, w.id) < ($2, $3)) \
         ORDER BY w.created_at DESC, w.id DESC LIMIT $4"
    ))
    .bind::<Nullable<SqlUuid>, _>(structure)
    .bind::<Nullable<Timestamptz>, _>(at)
    .bind::<Nullable<SqlUuid>, _>(id)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// Stops a subscription; its pending deliveries are dropped (failed) when their turn comes.
pub fn disable(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("UPDATE webhooks SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL")
        .bind::<SqlUuid, _>(id)
        .bind::<Timestamptz, _>(now)
        .execute(conn)
}

/// A referral's status changed (event `event`): one delivery per subscription that may see
/// it — its prescriber structure's, and the SAS team's of its territory — rendered for that
/// reader. Returns how many were queued.
pub fn emit_referral_change(
    conn: &mut PgConnection,
    referral: Uuid,
    event: Uuid,
    from: Option<Status>,
    to: Status,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Target {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = SqlUuid)]
        structure_id: Uuid,
        #[diesel(sql_type = Bool)]
        as_sas: bool,
        #[diesel(sql_type = Nullable<Text>)]
        outcome: Option<String>,
    }
    let targets: Vec<Target> = diesel::sql_query(
        "SELECT w.id, w.structure_id, (s.sas_team AND s.territory_id = r.territory_id) AS as_sas, \
         r.outcome FROM referrals r JOIN webhooks w ON w.disabled_at IS NULL \
         JOIN structures s ON s.id = w.structure_id \
         WHERE r.id = $1 AND (w.structure_id = r.prescriber_structure_id \
                              OR (s.sas_team AND s.territory_id = r.territory_id))",
    )
    .bind::<SqlUuid, _>(referral)
    .load(conn)?;
    let mut n = 0;
    for t in targets {
        let viewer = if t.as_sas {
            Viewer::Counsellor
        } else {
            Viewer::Prescriber {
                structure: Some(StructureId(t.structure_id)),
            }
        };
        let outcome = t.outcome.as_deref().and_then(Outcome::parse);
        let payload = referral_payload(viewer, referral, event, to, from, outcome, now);
        let id = Uuid::now_v7();
        let inserted = diesel::sql_query(
            "INSERT INTO webhook_deliveries (id, webhook_id, event_id, referral_id, event_type, payload, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (webhook_id, event_id) DO NOTHING",
        )
        .bind::<SqlUuid, _>(id)
        .bind::<SqlUuid, _>(t.id)
        .bind::<SqlUuid, _>(event)
        .bind::<SqlUuid, _>(referral)
        .bind::<Text, _>(REFERRAL_STATUS_CHANGED)
        .bind::<Jsonb, _>(&payload)
        .bind::<Timestamptz, _>(now)
        .execute(conn)?;
        if inserted == 1 {
            jobs::enqueue(
                conn,
                DELIVER,
                &format!("webhook:{id}"),
                &json!({ "delivery_id": id }),
                now,
                MAX_ATTEMPTS,
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// A relay's status changed (event `event`, recorded with `relay_id`): one delivery per
/// subscription that may see it — the receiving structure's (relays through SAS), the
/// prescriber structure's and the SAS team's of the referral's territory — rendered for that
/// reader (`domain::webhooks::relay_payload`). Returns how many were queued.
pub fn emit_relay_change(
    conn: &mut PgConnection,
    r: &crate::db::relays::RelayRow,
    from: Option<api_types::RelayStatus>,
    event: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    use crate::domain::relay::visibility::Reader;
    #[derive(QueryableByName)]
    struct Target {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
        #[diesel(sql_type = Bool)]
        as_sas: bool,
        #[diesel(sql_type = Bool)]
        as_receiver: bool,
        #[diesel(sql_type = Bool)]
        sensitive: bool,
    }
    let targets: Vec<Target> = diesel::sql_query(
        "SELECT w.id, (s.sas_team AND s.territory_id = f.territory_id) AS as_sas, \
                (w.structure_id = r.structure_id AND NOT r.off_platform) AS as_receiver, \
                rs.sensitive \
         FROM relays r JOIN referrals f ON f.id = r.referral_id \
         JOIN structures rs ON rs.id = r.structure_id \
         JOIN webhooks w ON w.disabled_at IS NULL JOIN structures s ON s.id = w.structure_id \
         WHERE r.id = $1 AND ((w.structure_id = r.structure_id AND NOT r.off_platform) \
                              OR w.structure_id = f.prescriber_structure_id \
                              OR (s.sas_team AND s.territory_id = f.territory_id))",
    )
    .bind::<SqlUuid, _>(r.id.uuid())
    .load(conn)?;
    let mut n = 0;
    for t in targets {
        let reader = if t.as_sas {
            Reader::Counsellor
        } else if t.as_receiver {
            Reader::Receiver
        } else {
            Reader::Prescriber
        };
        let payload = crate::domain::webhooks::relay_payload(
            reader,
            r.id.uuid(),
            r.referral_id.uuid(),
            event,
            r.structure_id.uuid(),
            t.sensitive,
            r.status,
            from,
            r.reason,
            now,
        );
        let id = Uuid::now_v7();
        let inserted = diesel::sql_query(
            "INSERT INTO webhook_deliveries (id, webhook_id, event_id, referral_id, event_type, payload, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (webhook_id, event_id) DO NOTHING",
        )
        .bind::<SqlUuid, _>(id)
        .bind::<SqlUuid, _>(t.id)
        .bind::<SqlUuid, _>(event)
        .bind::<SqlUuid, _>(r.referral_id.uuid())
        .bind::<Text, _>(crate::domain::webhooks::RELAY_STATUS_CHANGED)
        .bind::<Jsonb, _>(&payload)
        .bind::<Timestamptz, _>(now)
        .execute(conn)?;
        if inserted == 1 {
            jobs::enqueue(
                conn,
                DELIVER,
                &format!("webhook:{id}"),
                &json!({ "delivery_id": id }),
                now,
                MAX_ATTEMPTS,
            )?;
            n += 1;
        }
    }
    Ok(n)
}

#[derive(Debug, QueryableByName)]
pub struct Delivery {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: Value,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Binary)]
    pub secret: Vec<u8>,
    #[diesel(sql_type = Bool)]
    pub disabled: bool,
}

pub fn delivery(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Delivery>> {
    diesel::sql_query(
        "SELECT d.id, d.status, d.payload, w.url, w.secret, (w.disabled_at IS NOT NULL) AS disabled \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .optional()
}

/// Records an attempt: `code` the partner's HTTP status (if it answered); `status` the new
/// delivery status (`delivered`, `failed`, or `pending` to retry).
pub fn attempted(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    code: Option<i32>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3, \
         last_error = $4, delivered_at = CASE WHEN $2 = 'delivered' THEN $5 ELSE delivered_at END \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(status)
    .bind::<Nullable<Integer>, _>(code)
    .bind::<Nullable<Text>, _>(error)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}

/// The delivery job was parked: the delivery is `failed`.
pub fn give_up(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1 AND status = 'pending'",
    )
    .bind::<SqlUuid, _>(id)
    .execute(conn)
}

/// A parked delivery retried by hand: pending again.
pub fn reopen(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1 AND status = 'failed'",
    )
    .bind::<SqlUuid, _>(id)
    .execute(conn)
}

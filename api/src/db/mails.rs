//! The mail outbox. [`enqueue`] is how any module sends a mail: in the caller's transaction,
//! one row per effect (its `dedup_key`), delivered by the job `mail.deliver`.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::jobs;
use crate::mail::Template;

/// Kind of the delivery job.
pub const DELIVER: &str = "mail.deliver";
/// Attempts before a mail is given up as `failed` (about 2 hours of retries).
pub const MAX_ATTEMPTS: i32 = 8;

/// A mail to one user.
#[derive(Debug, Clone)]
pub struct MailDraft<'a> {
    pub user: Uuid,
    pub template: Template,
    /// Where the mail points in the app: an SPA path (`/dossiers/{id}`), made absolute with
    /// `SAS_PUBLIC_URL` when sent. May hold a `#fragment`.
    pub link: &'a str,
    /// Names the effect: the same key twice is one mail (e.g. `relay_reminder_10:{relay}`).
    pub dedup_key: &'a str,
    /// The link holds a single-use secret: it is blanked from the row once sent.
    pub holds_secret: bool,
    /// Numbers a template shows (the digest's `count`).
    pub params: Value,
}

impl<'a> MailDraft<'a> {
    pub fn new(user: Uuid, template: Template, link: &'a str, dedup_key: &'a str) -> Self {
        MailDraft {
            user,
            template,
            link,
            dedup_key,
            holds_secret: false,
            params: json!({}),
        }
    }
}

/// Queues a mail (and its delivery job) unless its `dedup_key` was already used; returns the
/// new mail's id. The address is read when the mail is sent, so a corrected address is used.
pub fn enqueue(
    conn: &mut PgConnection,
    m: &MailDraft<'_>,
    now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    let id = Uuid::now_v7();
    let n = diesel::sql_query(
        "INSERT INTO mails (id, user_id, template, link, params, holds_secret, dedup_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(m.user)
    .bind::<Text, _>(m.template.code())
    .bind::<Text, _>(m.link)
    .bind::<Jsonb, _>(&m.params)
    .bind::<Bool, _>(m.holds_secret)
    .bind::<Text, _>(m.dedup_key)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    jobs::enqueue(
        conn,
        DELIVER,
        &format!("mail:{id}"),
        &json!({ "mail_id": id }),
        now,
        MAX_ATTEMPTS,
    )?;
    Ok(Some(id))
}

/// What delivery needs.
#[derive(Debug, QueryableByName)]
pub struct Outgoing {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub template: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub link: Option<String>,
    #[diesel(sql_type = Jsonb)]
    pub params: Value,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Bool)]
    pub active: bool,
    #[diesel(sql_type = Bool)]
    pub holds_secret: bool,
}

pub fn outgoing(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Outgoing>> {
    diesel::sql_query(
        "SELECT m.id, m.template, m.link, m.params, m.status, u.email, u.active, m.holds_secret \
         FROM mails m JOIN users u ON u.id = m.user_id WHERE m.id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .get_result(conn)
    .optional()
}

/// Records a sent mail: what went out (the link blanked when it held a secret).
#[allow(clippy::too_many_arguments)]
pub fn sent(
    conn: &mut PgConnection,
    id: Uuid,
    to: &str,
    subject: &str,
    text: &str,
    html: &str,
    blank: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let (text, html) = match blank {
        Some(secret) => (text.replace(secret, BLANKED), html.replace(secret, BLANKED)),
        None => (text.to_string(), html.to_string()),
    };
    diesel::sql_query(
        "UPDATE mails SET status = 'sent', sent_at = $6, attempts = attempts + 1, last_error = NULL, \
         to_address = $2, subject = $3, body_text = $4, body_html = $5, \
         link = CASE WHEN holds_secret THEN NULL ELSE link END \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(to)
    .bind::<Text, _>(subject)
    .bind::<Text, _>(&text)
    .bind::<Text, _>(&html)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}

/// What replaces a single-use link in a stored mail.
pub const BLANKED: &str = "[lien à usage unique, effacé après l’envoi]";

/// A failed attempt: still pending, or given up (`bounced` when refused for good, `failed`
/// after the last retry).
pub fn attempt_failed(
    conn: &mut PgConnection,
    id: Uuid,
    error: &str,
    final_status: Option<&str>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE mails SET attempts = attempts + $3, last_error = $2, status = coalesce($4, status) \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(error)
    .bind::<Integer, _>(1)
    .bind::<Nullable<Text>, _>(final_status)
    .execute(conn)
}

/// The delivery job was parked without a final status (attempts exhausted): `failed`.
pub fn give_up(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::sql_query("UPDATE mails SET status = 'failed' WHERE id = $1 AND status = 'pending'")
        .bind::<SqlUuid, _>(id)
        .execute(conn)
}

/// A parked delivery retried by hand: the mail is pending again.
pub fn reopen(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::sql_query("UPDATE mails SET status = 'pending' WHERE id = $1 AND status = 'failed'")
        .bind::<SqlUuid, _>(id)
        .execute(conn)
}

//! Notifications: what the app tells a user (`GET /me/notifications`), mailed at once or in
//! the daily digest (`domain::notifications`). [`notify`] is how a module tells someone.
use api_types::{EmailPreference, NotificationKind};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde_json::json;
use uuid::Uuid;

use crate::db::mails::{self, MailDraft};
use crate::domain::notifications::mail_at_once;
use crate::mail::Template;

/// The SPA page listing a user's notifications.
pub const NOTIFICATIONS_PATH: &str = "/mes-notifications";

/// The template of a notification's own mail.
pub fn template(kind: NotificationKind) -> Template {
    match kind {
        NotificationKind::ReferralClosed => Template::ReferralClosed,
        NotificationKind::PrescriberRequest => Template::PrescriberRequest,
        NotificationKind::RelayRequested => Template::RelayRequested,
        NotificationKind::RelayReminder => Template::RelayReminder,
        NotificationKind::OffPlatformReminder => Template::OffPlatformReminder,
        NotificationKind::RelayRefused => Template::RelayRefused,
        NotificationKind::RelayExpired => Template::RelayExpired,
        NotificationKind::RelayFailed => Template::RelayFailed,
        NotificationKind::CheckpointDue => Template::CheckpointDue,
        NotificationKind::ReferralAlert => Template::ReferralAlert,
    }
}

/// Tells `user` something (once per `dedup_key`): a notification row, and its mail at once
/// when the user prefers it (otherwise the daily digest will carry it). Returns the id of a
/// new notification.
pub fn notify(
    conn: &mut PgConnection,
    user: Uuid,
    kind: NotificationKind,
    link: &str,
    referral: Option<Uuid>,
    dedup_key: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    notify_as(conn, user, kind, link, referral, dedup_key, now, false)
}

/// [`notify`], or with `digest_only` left to the daily digest whatever the user chose (what a
/// territory's team shares: the alerts about referrals nobody holds).
#[allow(clippy::too_many_arguments)]
pub fn notify_as(
    conn: &mut PgConnection,
    user: Uuid,
    kind: NotificationKind,
    link: &str,
    referral: Option<Uuid>,
    dedup_key: &str,
    now: DateTime<Utc>,
    digest_only: bool,
) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct New {
        #[diesel(sql_type = Text)]
        email_preference: String,
    }
    let id = Uuid::now_v7();
    let new: Option<New> = diesel::sql_query(
        "INSERT INTO notifications (id, user_id, kind, link, referral_id, dedup_key, created_at) \
         SELECT $1, u.id, $3, $4, $5, $6, $7 FROM users u WHERE u.id = $2 AND u.active \
         ON CONFLICT (dedup_key) DO NOTHING \
         RETURNING (SELECT email_preference FROM users WHERE id = $2) AS email_preference",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(user)
    .bind::<Text, _>(kind.as_str())
    .bind::<Text, _>(link)
    .bind::<Nullable<SqlUuid>, _>(referral)
    .bind::<Text, _>(dedup_key)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    let Some(new) = new else { return Ok(None) };
    let pref = EmailPreference::parse(&new.email_preference).unwrap_or(EmailPreference::Immediate);
    if mail_at_once(pref) && !digest_only {
        let key = format!("notification:{id}");
        if let Some(mail) =
            mails::enqueue(conn, &MailDraft::new(user, template(kind), link, &key), now)?
        {
            attach(conn, &[id], mail)?;
        }
    }
    Ok(Some(id))
}

fn attach(conn: &mut PgConnection, ids: &[Uuid], mail: Uuid) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE notifications SET mail_id = $2 WHERE id = ANY($1) AND mail_id IS NULL",
    )
    .bind::<diesel::sql_types::Array<SqlUuid>, _>(ids)
    .bind::<SqlUuid, _>(mail)
    .execute(conn)
}

/// A referral closed: its prescriber (the person who sent it) is told, unless they closed it
/// themselves. Called by the journal with the closing event.
pub fn referral_closed(
    conn: &mut PgConnection,
    referral: Uuid,
    event: Uuid,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    #[derive(QueryableByName)]
    struct R {
        #[diesel(sql_type = Nullable<SqlUuid>)]
        created_by_user_id: Option<Uuid>,
    }
    let r: Option<R> = diesel::sql_query("SELECT created_by_user_id FROM referrals WHERE id = $1")
        .bind::<SqlUuid, _>(referral)
        .get_result(conn)
        .optional()?;
    let Some(user) = r.and_then(|r| r.created_by_user_id) else {
        return Ok(());
    };
    if Some(user) == actor {
        return Ok(());
    }
    notify(
        conn,
        user,
        NotificationKind::ReferralClosed,
        &format!("/dossiers/{referral}"),
        Some(referral),
        &format!("referral_closed:{event}"),
        now,
    )?;
    Ok(())
}

/// A relay changed (event `event`): a new request tells the receiving structure's agents
/// (relays through SAS); a refusal, an expiry or a failure tells the referral's assigned
/// counsellor. Links only: the app shows the rest to whoever may see it.
pub fn relay_changed(
    conn: &mut PgConnection,
    r: &crate::db::relays::RelayRow,
    event: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    use api_types::RelayStatus;
    let referral = r.referral_id.uuid();
    match r.status {
        RelayStatus::Requested if !r.off_platform => {
            for user in crate::db::relays::receivers(conn, r.structure_id)? {
                notify(
                    conn,
                    user,
                    NotificationKind::RelayRequested,
                    &format!("/relais/{}", r.id),
                    None,
                    &format!("relay_requested:{}:{user}", r.id),
                    now,
                )?;
            }
        }
        RelayStatus::Refused | RelayStatus::Expired | RelayStatus::Failed => {
            let kind = match r.status {
                RelayStatus::Refused => NotificationKind::RelayRefused,
                RelayStatus::Expired => NotificationKind::RelayExpired,
                _ => NotificationKind::RelayFailed,
            };
            #[derive(QueryableByName)]
            struct A {
                #[diesel(sql_type = Nullable<SqlUuid>)]
                assigned_counsellor_id: Option<Uuid>,
            }
            let a: A =
                diesel::sql_query("SELECT assigned_counsellor_id FROM referrals WHERE id = $1")
                    .bind::<SqlUuid, _>(referral)
                    .get_result(conn)?;
            if let Some(user) = a.assigned_counsellor_id {
                notify(
                    conn,
                    user,
                    kind,
                    &format!("/dossiers/{referral}"),
                    Some(referral),
                    &format!("{}:{event}", kind.as_str()),
                    now,
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One digest per user with notifications not yet mailed (made while they chose the digest:
/// switching back to immediate mails leaves those for this one), keyed on the day
/// (`digest:{user}:{day}`): a second sweep the same day sends nothing. Returns how many
/// digests were queued.
pub fn queue_digests(
    conn: &mut PgConnection,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = SqlUuid)]
        user_id: Uuid,
        #[diesel(sql_type = diesel::sql_types::Array<SqlUuid>)]
        ids: Vec<Uuid>,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let due: Vec<Due> = diesel::sql_query(
        "SELECT n.user_id, array_agg(n.id ORDER BY n.id) AS ids, count(*) AS n \
         FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.mail_id IS NULL AND n.created_at <= $1 AND u.active GROUP BY n.user_id",
    )
    .bind::<Timestamptz, _>(now)
    .load(conn)?;
    let mut queued = 0;
    for d in due {
        let key = format!("digest:{}:{day}", d.user_id);
        let draft = MailDraft {
            params: json!({ "count": d.n }),
            ..MailDraft::new(d.user_id, Template::Digest, NOTIFICATIONS_PATH, &key)
        };
        if let Some(mail) = mails::enqueue(conn, &draft, now)? {
            attach(conn, &d.ids, mail)?;
            queued += 1;
        }
    }
    Ok(queued)
}

#[derive(Debug, QueryableByName)]
pub struct Row {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub link: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub referral_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub mail_status: Option<String>,
}

/// A user's notifications, newest first, after the keyset position `after` (created_at, id).
pub fn list(
    conn: &mut PgConnection,
    user: Uuid,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<Row>> {
    let (at, id) = after.unzip();
    diesel::sql_query(
        "SELECT n.id, n.kind, n.link, n.referral_id, n.created_at, m.status AS mail_status \
         FROM notifications n LEFT JOIN mails m ON m.id = n.mail_id WHERE n.user_id = $1 \
         AND ($2::timestamptz IS NULL OR (n.created_at, n.id) < ($2, $3)) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $4",
    )
    .bind::<SqlUuid, _>(user)
    .bind::<Nullable<Timestamptz>, _>(at)
    .bind::<Nullable<SqlUuid>, _>(id)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

pub fn preference(conn: &mut PgConnection, user: Uuid) -> QueryResult<Option<EmailPreference>> {
    #[derive(QueryableByName)]
    struct P {
        #[diesel(sql_type = Text)]
        email_preference: String,
    }
    let p: Option<P> = diesel::sql_query("SELECT email_preference FROM users WHERE id = $1")
        .bind::<SqlUuid, _>(user)
        .get_result(conn)
        .optional()?;
    Ok(p.and_then(|p| EmailPreference::parse(&p.email_preference)))
}

pub fn set_preference(
    conn: &mut PgConnection,
    user: Uuid,
    pref: EmailPreference,
) -> QueryResult<usize> {
    diesel::sql_query("UPDATE users SET email_preference = $2 WHERE id = $1")
        .bind::<SqlUuid, _>(user)
        .bind::<Text, _>(pref.as_str())
        .execute(conn)
}

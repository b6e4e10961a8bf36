//! Single-use password links (invitation, reset): only the SHA-256 of a token is stored.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::mails::{self, MailDraft};
use crate::domain::password_links;
use crate::mail::Template;

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Makes a link for `user` and queues its mail (in the caller's transaction). `purpose` is
/// `invitation` or `reset`. Returns the token (tests and nothing else may want it).
pub fn issue_and_mail(
    conn: &mut PgConnection,
    user: Uuid,
    purpose: &str,
    now: DateTime<Utc>,
) -> QueryResult<String> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let id = Uuid::now_v7();
    diesel::sql_query(
        "INSERT INTO password_tokens (id, user_id, purpose, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(user)
    .bind::<Text, _>(purpose)
    .bind::<Text, _>(hash(&token))
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(password_links::expires_at(now))
    .execute(conn)?;
    let (template, path) = if purpose == "invitation" {
        (Template::Invitation, "/invitation")
    } else {
        (Template::PasswordReset, "/mot-de-passe/nouveau")
    };
    // The token travels in the fragment: browsers never send it to a server nor in a Referer.
    let link = format!("{path}#jeton={token}");
    let key = format!("password_token:{id}");
    mails::enqueue(
        conn,
        &MailDraft {
            holds_secret: true,
            ..MailDraft::new(user, template, &link, &key)
        },
        now,
    )?;
    Ok(token)
}

/// Reset links made for `user` since `since`.
pub fn recent_resets(
    conn: &mut PgConnection,
    user: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let r: N = diesel::sql_query(
        "SELECT count(*) AS n FROM password_tokens WHERE user_id = $1 AND purpose = 'reset' \
         AND created_at >= $2",
    )
    .bind::<SqlUuid, _>(user)
    .bind::<Timestamptz, _>(since)
    .get_result(conn)?;
    Ok(r.n)
}

#[derive(Debug, QueryableByName)]
pub struct Found {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub user_id: Uuid,
    #[diesel(sql_type = Text)]
    pub purpose: String,
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub used_at: Option<DateTime<Utc>>,
    /// A newer link of the account exists, or the account is deactivated.
    #[diesel(sql_type = Bool)]
    pub superseded: bool,
}

/// The link of `token`, locked for the caller's transaction.
pub fn find_for_update(conn: &mut PgConnection, token: &str) -> QueryResult<Option<Found>> {
    diesel::sql_query(
        "SELECT t.id, t.user_id, t.purpose, t.expires_at, t.used_at, \
         (NOT u.active OR EXISTS (SELECT 1 FROM password_tokens n WHERE n.user_id = t.user_id \
            AND n.created_at > t.created_at)) AS superseded \
         FROM password_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 \
         FOR UPDATE OF t",
    )
    .bind::<Text, _>(hash(token))
    .get_result(conn)
    .optional()
}

pub fn mark_used(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("UPDATE password_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind::<SqlUuid, _>(id)
        .bind::<Timestamptz, _>(now)
        .execute(conn)
}

/// Removes links expired before `before`.
pub fn purge_expired(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM password_tokens WHERE expires_at < $1")
        .bind::<Timestamptz, _>(before)
        .execute(conn)
}

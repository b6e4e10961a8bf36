//! `mail.deliver`: renders an outbox mail (links made absolute with `SAS_PUBLIC_URL`) and
//! hands it to the SMTP server. Accepted → `sent` (a single-use link blanked from the stored
//! copy); refused for good → `bounced`; anything else is retried, then `failed`.
use diesel::PgConnection;
use serde_json::Value;

use super::{uuid_of, Context, JobError};
use crate::db::mails;
use crate::domain::jobs::error_text;
use crate::mail::{absolute, render, Template};

pub fn deliver(ctx: &Context, conn: &mut PgConnection, payload: &Value) -> Result<(), JobError> {
    let id = uuid_of(payload, "mail_id").ok_or_else(|| JobError::permanent("no mail_id"))?;
    let Some(m) = mails::outgoing(conn, id)? else {
        return Err(JobError::permanent("no such mail"));
    };
    if m.status != "pending" {
        return Ok(()); // already settled: nothing to send twice
    }
    let template = Template::parse(&m.template)
        .ok_or_else(|| JobError::permanent(format!("unknown template {}", m.template)))?;
    if !m.active {
        mails::attempt_failed(conn, id, "account deactivated", Some("failed"))?;
        return Ok(());
    }
    let link = absolute(
        &ctx.settings.mail.public_url,
        m.link.as_deref().unwrap_or("/"),
    );
    let count = m.params.get("count").and_then(Value::as_i64).unwrap_or(0);
    let rendered =
        render(template, &link, count).map_err(|e| JobError::permanent(format!("render: {e}")))?;
    let Some(mailer) = &ctx.mailer else {
        let e = "SAS_SMTP_URL is not set";
        mails::attempt_failed(conn, id, e, None)?;
        return Err(JobError::transient(e));
    };
    match mailer.send(&m.email, &id.to_string(), &rendered) {
        Ok(()) => {
            // The secret of a single-use link is its fragment (`#jeton=…`).
            let blank = m
                .link
                .as_deref()
                .and_then(|l| l.split_once('#'))
                .map(|(_, f)| f.to_string())
                .filter(|f| m.holds_secret && !f.is_empty());
            mails::sent(
                conn,
                id,
                &m.email,
                &rendered.subject,
                &rendered.text,
                &rendered.html,
                blank.as_deref(),
                ctx.clock.now(),
            )?;
            Ok(())
        }
        Err(e) => {
            let msg = error_text(&e.message);
            if e.permanent {
                mails::attempt_failed(conn, id, &msg, Some("bounced"))?;
                Err(JobError::permanent(msg))
            } else {
                mails::attempt_failed(conn, id, &msg, None)?;
                Err(JobError::transient(msg))
            }
        }
    }
}

//! Hourly: finished jobs older than 30 days and password links expired for a day go. The
//! effects keep their own rows (mails, deliveries), whose unique keys still guard them.
use chrono::Duration;
use diesel::PgConnection;

use super::{Context, JobError};
use crate::db::{jobs, password_tokens};

pub fn sweep(ctx: &Context, conn: &mut PgConnection) -> Result<(), JobError> {
    let now = ctx.clock.now();
    jobs::purge_done(conn, now - Duration::days(30))?;
    password_tokens::purge_expired(conn, now - Duration::days(1))?;
    Ok(())
}

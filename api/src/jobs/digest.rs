//! Every 15 minutes: once the day's digest hour has come (`domain::notifications`), one
//! digest mail per user who chose it and has notifications not yet mailed. Keyed per user and
//! day: sweeping again the same day sends nothing more.
use diesel::PgConnection;

use super::{Context, JobError};
use crate::db::notifications;
use crate::domain::notifications::{digest_day, DIGEST_TZ};

pub fn sweep(ctx: &Context, conn: &mut PgConnection) -> Result<(), JobError> {
    let now = ctx.clock.now();
    if let Some(day) = digest_day(now, DIGEST_TZ) {
        let n = notifications::queue_digests(conn, day, now)?;
        if n > 0 {
            log::info!("notifications.digest: {n} digests queued");
        }
    }
    Ok(())
}

//! Every hour: a referral whose exit date is within 30 days (or past) and which is not yet in
//! diagnosis, and one that meets its territory's unreachable rule, is told to its assigned
//! counsellor (at once or in their digest, as they chose), or to the territory's daily digest
//! (every counsellor of its SAS team) while nobody is assigned. Once per referral and cause
//! (`referral_alert_exit:{referral}:{user}`; the unreachable one once per entry into
//! `contacting`), whatever the number of runners.
use api_types::NotificationKind;
use chrono_tz::Tz;
use diesel::PgConnection;

use super::{Context, JobError};
use crate::db::{notifications, referrals};
use crate::domain::referral::{is_urgent, latest_today, today_in, urgent_until};
use crate::ids::UserId;

pub const ROUTE: &str = "referrals.alerts";
/// At most this many referrals looked at per pass.
pub const BATCH: i64 = 1000;

pub fn sweep(ctx: &Context, conn: &mut PgConnection) -> Result<(), JobError> {
    let now = ctx.clock.now();
    let mut told = 0;
    for c in referrals::alert_candidates(conn, urgent_until(latest_today(now)), BATCH)? {
        let tz: Tz = c.time_zone.parse().map_err(|_| {
            JobError::permanent(format!("unknown stored time zone {:?}", c.time_zone))
        })?;
        let urgent = is_urgent(c.status, c.on_hold_from, c.exit_date, today_in(tz, now));
        let mut causes = Vec::new();
        if urgent {
            causes.push(format!("referral_alert_exit:{}", c.id));
        }
        if c.unreachable_rule_met {
            let since = c
                .contacting_since
                .map(|t| t.timestamp())
                .unwrap_or_default();
            causes.push(format!("referral_alert_unreachable:{}:{since}", c.id));
        }
        if causes.is_empty() {
            continue;
        }
        let (users, digest): (Vec<UserId>, bool) = match c.assigned_counsellor_id {
            Some(u) => (vec![u], false),
            None => (
                referrals::territory_counsellors(conn, c.territory_id)?,
                true,
            ),
        };
        let link = format!("/dossiers/{}", c.id);
        for cause in &causes {
            for u in &users {
                let key = format!("{cause}:{u}");
                let new = notifications::notify_as(
                    conn,
                    u.uuid(),
                    NotificationKind::ReferralAlert,
                    &link,
                    Some(c.id.uuid()),
                    &key,
                    now,
                    digest,
                )?;
                told += usize::from(new.is_some());
            }
        }
    }
    if told > 0 {
        log::info!("{ROUTE}: {told} alerts");
    }
    Ok(())
}

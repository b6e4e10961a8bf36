//! Every 15 minutes: relay requests left without an answer get a reminder to the receiving
//! structure's agents at 10 and 20 days, and expire at 30 (calendar days in the referral's
//! territory's time zone, `domain::relay::waiting`). An off-platform request (a structure
//! without a SAS account) never expires: its two reminders go to the counsellor, who records
//! the structure's answer (`off_platform_reminder`). Each reminder is keyed per relay and agent
//! (`relay_reminder_10:{relay}:{user}`), so it goes out once, ever, whatever the number of
//! runners or passes; an expiry is a status change of a relay still `requested`, under its
//! row lock, so it happens once too. Checkpoints coming due are told the same way
//! (`checkpoint_due:{relay}:{n}:{user}`).
use api_types::{NotificationKind, RelayStatus};
use chrono_tz::Tz;
use diesel::{Connection, PgConnection};

use super::{Context, JobError};
use crate::db::journal::Journal;
use crate::db::notifications;
use crate::db::relays::{self, ActError};
use crate::domain::referral::today_in;
use crate::domain::relay::{self as rule, Action, Capacity, Details, Reminded, Waiting};

/// At most this many requests and checkpoints looked at per pass (oldest first).
pub const BATCH: i64 = 1000;
/// The job's name in the journal.
pub const ROUTE: &str = "relays.reminders";

fn tz_of(name: &str) -> Result<Tz, JobError> {
    name.parse()
        .map_err(|_| JobError::permanent(format!("unknown stored time zone {name:?}")))
}

fn job_error(e: ActError) -> JobError {
    match e {
        ActError::Db(e) => e.into(),
        other => JobError::transient(format!("relay: {other:?}")),
    }
}

pub fn sweep(ctx: &Context, conn: &mut PgConnection) -> Result<(), JobError> {
    let now = ctx.clock.now();
    let journal = Journal::system(ROUTE, now);
    let (mut reminded, mut expired) = (0, 0);
    for w in relays::waiting_since(conn, now, rule::REMINDERS[0], BATCH)? {
        let tz = tz_of(&w.time_zone)?;
        match rule::waiting(
            RelayStatus::Requested,
            w.off_platform,
            w.requested_at,
            tz,
            now,
        ) {
            None => {}
            Some(Waiting::Expire) => {
                let done = conn.transaction::<bool, JobError, _>(|conn| {
                    match relays::act(
                        conn,
                        w.id,
                        Action::Expire,
                        Capacity::System,
                        &Details::default(),
                        None,
                        &journal,
                    ) {
                        Ok(_) => Ok(true),
                        // Answered meanwhile: nothing to expire.
                        Err(ActError::Refused(_)) => Ok(false),
                        Err(e) => Err(job_error(e)),
                    }
                })?;
                expired += usize::from(done);
            }
            Some(Waiting::Remind { day, to }) => {
                let (kind, users, link, referral) = match to {
                    Reminded::ReceivingStructure => (
                        NotificationKind::RelayReminder,
                        relays::receivers(conn, w.structure_id)?,
                        format!("/relais/{}", w.id),
                        None,
                    ),
                    Reminded::Counsellor => (
                        NotificationKind::OffPlatformReminder,
                        w.counsellor.into_iter().collect(),
                        format!("/dossiers/{}", w.referral_id),
                        Some(w.referral_id.uuid()),
                    ),
                };
                for user in users {
                    let key = format!("relay_reminder_{day}:{}:{user}", w.id);
                    if notifications::notify(conn, user, kind, &link, referral, &key, now)?
                        .is_some()
                    {
                        reminded += 1;
                    }
                }
            }
        }
    }
    let mut told = 0;
    let latest = crate::domain::referral::latest_today(now);
    for c in relays::due_checkpoints(conn, latest, BATCH)? {
        let tz = tz_of(&c.time_zone)?;
        if c.due_on > today_in(tz, now) {
            continue;
        }
        let (users, link) = if c.off_platform {
            (
                c.counsellor.into_iter().collect::<Vec<_>>(),
                format!("/dossiers/{}", c.referral_id),
            )
        } else {
            (
                relays::receivers(conn, c.structure_id)?,
                format!("/relais/{}", c.relay_id),
            )
        };
        for user in users {
            let key = format!("checkpoint_due:{}:{}:{user}", c.relay_id, c.n);
            if notifications::notify(
                conn,
                user,
                NotificationKind::CheckpointDue,
                &link,
                None,
                &key,
                now,
            )?
            .is_some()
            {
                told += 1;
            }
        }
    }
    if reminded + expired + told > 0 {
        log::info!("{ROUTE}: {reminded} reminders, {expired} expired, {told} checkpoint notices");
    }
    Ok(())
}

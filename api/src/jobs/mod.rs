//! Work that happens later or elsewhere, run by the job runner ([`runner`]) inside `sas serve`
//! (unless `SAS_JOBS=off`) and in `sas worker`, on as many instances as wanted: Postgres is
//! the only coordinator.
//!
//! - **One-off jobs** (`jobs` table): queued by `db::jobs::enqueue(conn, kind, unique_key, …)`
//!   in the transaction that decides the effect, claimed with `FOR UPDATE SKIP LOCKED`, run by
//!   the handler of their `kind` ([`run`]), retried with backoff and parked with their error
//!   after their last attempt (`domain::jobs`). A unique key per effect means asking twice
//!   does it once. Kinds today: `mail.deliver` ([`mail`]), `webhook.deliver` ([`webhook`]).
//! - **Periodic sweeps** ([`SCHEDULES`], `job_schedules` table): each due sweep is claimed by
//!   one conditional update (`… WHERE next_run_at <= now`), so one runner runs it; a sweep
//!   is idempotent over database state (its effects carry unique keys too).
//!
//! Time is the injected clock's; rules are `domain::jobs`, `domain::notifications`.
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde_json::Value;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Pool;
use crate::domain::jobs::Failure;
use crate::mail::transport::Mailer;

pub mod cleanup;
pub mod digest;
pub mod import;
pub mod mail;
pub mod referral_alerts;
pub mod relay_reminders;
pub mod retention;
pub mod runner;
pub mod webhook;

pub use runner::{Runner, RunnerHandle};

const NO_SMTP: &str = "SAS_SMTP_URL is not set: mails wait in the outbox and their \
    deliveries are retried, then parked, until it is";

/// What handlers reach.
pub struct Context {
    pub pool: Pool,
    pub clock: SharedClock,
    pub settings: Settings,
    /// `None` without `SAS_SMTP_URL`: mail deliveries fail (and are retried) until it is set.
    pub mailer: Option<Mailer>,
}

impl Context {
    pub fn new(settings: Settings, clock: SharedClock) -> Result<Context, String> {
        let mailer = match &settings.mail.smtp_url {
            Some(url) => Some(Mailer::new(url, &settings.mail.from)?),
            None => {
                log::warn!("{NO_SMTP}");
                None
            }
        };
        Ok(Context {
            pool: crate::db::pool(&settings.database_url, 3),
            clock,
            settings,
            mailer,
        })
    }
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub failure: Failure,
    pub message: String,
}

impl JobError {
    pub fn transient(message: impl Into<String>) -> JobError {
        JobError {
            failure: Failure::Transient,
            message: message.into(),
        }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            failure: Failure::Permanent,
            message: message.into(),
        }
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> JobError {
        JobError::transient(format!("database: {e}"))
    }
}

/// A periodic sweep: its name (the `job_schedules` row), its period, and what it does.
pub struct Schedule {
    pub name: &'static str,
    pub every_seconds: i32,
    pub run: fn(&Context, &mut PgConnection) -> Result<(), JobError>,
}

/// Every periodic sweep. A new one is a line here and a module of this folder.
pub const SCHEDULES: &[Schedule] = &[
    Schedule {
        name: "notifications.digest",
        every_seconds: 15 * 60,
        run: digest::sweep,
    },
    Schedule {
        name: relay_reminders::ROUTE,
        every_seconds: 15 * 60,
        run: relay_reminders::sweep,
    },
    Schedule {
        name: referral_alerts::ROUTE,
        every_seconds: 3600,
        run: referral_alerts::sweep,
    },
    Schedule {
        name: retention::ROUTE,
        every_seconds: 24 * 3600,
        run: retention::sweep,
    },
    Schedule {
        name: "jobs.cleanup",
        every_seconds: 3600,
        run: cleanup::sweep,
    },
];

/// Runs one attempt of a one-off job by its kind.
pub fn run(
    ctx: &Context,
    conn: &mut PgConnection,
    kind: &str,
    payload: &Value,
) -> Result<(), JobError> {
    match kind {
        crate::db::mails::DELIVER => mail::deliver(ctx, conn, payload),
        crate::db::webhooks::DELIVER => webhook::deliver(ctx, conn, payload),
        crate::db::imports::RUN => import::run_upload(ctx, conn, payload),
        other => Err(JobError::permanent(format!(
            "no handler for job kind {other}"
        ))),
    }
}

/// A job was parked at `now` (the runner's clock): its effect's row says so (a mail
/// `failed`, a delivery `failed`, an import `failed`).
pub fn parked(
    conn: &mut PgConnection,
    kind: &str,
    payload: &Value,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    match kind {
        crate::db::mails::DELIVER => {
            if let Some(id) = uuid_of(payload, "mail_id") {
                crate::db::mails::give_up(conn, id)?;
            }
        }
        crate::db::webhooks::DELIVER => {
            if let Some(id) = uuid_of(payload, "delivery_id") {
                crate::db::webhooks::give_up(conn, id)?;
            }
        }
        crate::db::imports::RUN => {
            if let Some(id) = uuid_of(payload, "import_id") {
                crate::db::imports::finish(conn, id, Some("the import job gave up"), now)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A parked job is queued again by hand: its effect's row is pending again.
pub fn reopened(conn: &mut PgConnection, kind: &str, payload: &Value) -> diesel::QueryResult<()> {
    match kind {
        crate::db::mails::DELIVER => {
            if let Some(id) = uuid_of(payload, "mail_id") {
                crate::db::mails::reopen(conn, id)?;
            }
        }
        crate::db::webhooks::DELIVER => {
            if let Some(id) = uuid_of(payload, "delivery_id") {
                crate::db::webhooks::reopen(conn, id)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub fn uuid_of(payload: &Value, field: &str) -> Option<uuid::Uuid> {
    payload.get(field)?.as_str()?.parse().ok()
}

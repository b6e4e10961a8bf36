//! Daily: anonymise every youth due (`domain::retention::decide`), purge the access logs
//! older than `SAS_ACCESS_LOG_RETENTION_MONTHS`, and record the run (`retention_runs`).
//!
//! Idempotent over the database: a youth anonymised is no longer a candidate, a youth
//! skipped is looked at again the next day, and a job that was down catches up on its first
//! run (everything past its day is due). Candidates are read in batches of [`BATCH`] in id
//! order, so a backlog is bounded in memory; each youth is anonymised in its own transaction,
//! after the rule is checked again on its locked row (a referral may have been resumed since
//! the batch was read). The run's row is updated after each batch, so a run that dies midway
//! says how far it got.
use std::collections::BTreeMap;

use diesel::{Connection, PgConnection};
use uuid::Uuid;

use super::{Context, JobError};
use crate::clock::Clock;
use crate::config::RetentionSettings;
use crate::db::{access_logs, privacy};
use crate::domain::retention::{self as rule, Skip};

/// The schedule's name (`job_schedules`).
pub const ROUTE: &str = "privacy.retention";
/// Candidates read at a time.
pub const BATCH: i64 = 500;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub id: Uuid,
    pub anonymised: u32,
    pub access_logs_purged: i64,
    pub skipped: BTreeMap<&'static str, u32>,
}

pub fn sweep(ctx: &Context, conn: &mut PgConnection) -> Result<(), JobError> {
    run(conn, &*ctx.clock, ctx.settings.retention).map(|_| ())
}

/// One retention run, the rule applied at the clock's time when it starts.
pub fn run(
    conn: &mut PgConnection,
    clock: &dyn Clock,
    settings: RetentionSettings,
) -> Result<RunReport, JobError> {
    run_in_batches(conn, clock, settings, BATCH)
}

/// [`run`], reading `batch` candidates at a time (tests cross batch boundaries with a small one).
pub fn run_in_batches(
    conn: &mut PgConnection,
    clock: &dyn Clock,
    settings: RetentionSettings,
    batch_size: i64,
) -> Result<RunReport, JobError> {
    let now = clock.now();
    let months = settings.months;
    let mut report = RunReport {
        id: Uuid::now_v7(),
        ..RunReport::default()
    };
    privacy::start_run(conn, report.id, now, months, settings.access_log_months)?;
    let cutoff = rule::candidate_cutoff(now, months);
    let mut after = None;
    loop {
        let batch = privacy::candidates(conn, cutoff, after, batch_size)?;
        let Some(last) = batch.last() else { break };
        after = Some(last.youth);
        for c in &batch {
            let outcome = match rule::decide(&c.history, now, months) {
                Err(skip) => Err(skip),
                Ok(()) => conn.transaction(|conn| {
                    let Some(h) = privacy::history(conn, c.youth)? else {
                        return Ok::<_, diesel::result::Error>(Err(Skip::AlreadyAnonymised));
                    };
                    if let Err(skip) = rule::decide(&h, now, months) {
                        return Ok(Err(skip));
                    }
                    Ok(match privacy::anonymise(conn, c.youth, now)? {
                        Some(_) => Ok(()),
                        None => Err(Skip::AlreadyAnonymised),
                    })
                })?,
            };
            match outcome {
                Ok(()) => report.anonymised += 1,
                Err(skip) => *report.skipped.entry(skip.as_str()).or_default() += 1,
            }
        }
        privacy::update_run(
            conn,
            report.id,
            report.anonymised,
            0,
            &skipped_json(&report.skipped),
            None,
        )?;
        if (batch.len() as i64) < batch_size {
            break;
        }
    }
    report.access_logs_purged = access_logs::purge_older_than(
        conn,
        rule::access_log_cutoff(now, settings.access_log_months),
    )?;
    privacy::update_run(
        conn,
        report.id,
        report.anonymised,
        report.access_logs_purged,
        &skipped_json(&report.skipped),
        Some(clock.now()),
    )?;
    Ok(report)
}

fn skipped_json(skipped: &BTreeMap<&'static str, u32>) -> serde_json::Value {
    serde_json::Value::Object(
        skipped
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect(),
    )
}

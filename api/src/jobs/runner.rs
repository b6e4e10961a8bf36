//! The job runner: a thread that, every `SAS_JOBS_POLL_MS` while idle, runs the due periodic
//! sweeps it manages to claim, then claims and runs due one-off jobs in batches.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration as StdDuration;

use rand::RngCore;

use super::{parked, run, Context, SCHEDULES};
use crate::db::jobs;
use crate::domain::jobs::{after_failure, error_text, AfterFailure};

/// How many jobs one claim takes.
pub const BATCH: i64 = 20;

pub struct Runner {
    ctx: Context,
    id: String,
    /// The schedules' rows exist (made once, on the first pass).
    ensured: AtomicBool,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sweeps: usize,
    pub jobs: usize,
}

impl Runner {
    pub fn new(ctx: Context) -> Runner {
        let id = format!(
            "runner-{}-{:08x}",
            std::process::id(),
            rand::rng().next_u32()
        );
        Runner {
            ctx,
            id,
            ensured: AtomicBool::new(false),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// One pass: due sweeps (those this runner claims), expired leases, then up to `BATCH`
    /// due one-off jobs.
    pub fn pass(&self) -> Result<Pass, String> {
        let mut conn = self.ctx.pool.get().map_err(|e| format!("database: {e}"))?;
        let conn = &mut *conn;
        let now = self.ctx.clock.now();
        let mut pass = Pass::default();
        if !self.ensured.load(Ordering::Relaxed) {
            for s in SCHEDULES {
                jobs::ensure_schedule(conn, s.name, s.every_seconds, now)
                    .map_err(|e| e.to_string())?;
            }
            self.ensured.store(true, Ordering::Relaxed);
        }
        for s in SCHEDULES {
            if jobs::claim_schedule(conn, s.name, &self.id, now).map_err(|e| e.to_string())? {
                let error = (s.run)(&self.ctx, conn)
                    .err()
                    .map(|e| error_text(&e.message));
                if let Some(e) = &error {
                    log::warn!("sweep {} failed: {e}", s.name);
                }
                jobs::record_run(conn, s.name, error.as_deref(), self.ctx.clock.now())
                    .map_err(|e| e.to_string())?;
                pass.sweeps += 1;
            }
        }
        jobs::requeue_expired(conn, now).map_err(|e| e.to_string())?;
        let claimed = jobs::claim(conn, &self.id, now, BATCH).map_err(|e| e.to_string())?;
        for job in claimed {
            let result = run(&self.ctx, conn, &job.kind, &job.payload);
            let now = self.ctx.clock.now();
            match result {
                Ok(()) => {
                    jobs::done(conn, job.id, &self.id, now).map_err(|e| e.to_string())?;
                }
                Err(e) => {
                    let msg = error_text(&e.message);
                    match after_failure(job.attempts, job.max_attempts, e.failure, now) {
                        AfterFailure::RetryAt(at) => {
                            jobs::failed(conn, job.id, &self.id, Some(at), &msg, now)
                                .map_err(|e| e.to_string())?;
                        }
                        AfterFailure::Park => {
                            log::warn!("job {} ({}) parked: {msg}", job.id, job.kind);
                            jobs::failed(conn, job.id, &self.id, None, &msg, now)
                                .map_err(|e| e.to_string())?;
                            parked(conn, &job.kind, &job.payload, now)
                                .map_err(|e| e.to_string())?;
                        }
                    }
                }
            }
            pass.jobs += 1;
        }
        Ok(pass)
    }

    /// Passes until nothing is due (at most `max` passes); for tests and benchmarks.
    pub fn drain(&self, max: usize) -> Result<Pass, String> {
        let mut total = Pass::default();
        for _ in 0..max {
            let p = self.pass()?;
            total.sweeps += p.sweeps;
            total.jobs += p.jobs;
            if p.jobs == 0 {
                break;
            }
        }
        Ok(total)
    }

    /// Runs passes until `stop` is set, resting `poll` when a pass found nothing to do.
    pub fn run_until(&self, stop: &AtomicBool) {
        let poll = self.ctx.settings.jobs.poll;
        while !stop.load(Ordering::Relaxed) {
            let busy = match self.pass() {
                Ok(p) => p.jobs > 0,
                Err(e) => {
                    log::warn!("job runner: {e}");
                    false
                }
            };
            if busy {
                continue;
            }
            let mut rested = StdDuration::ZERO;
            while rested < poll && !stop.load(Ordering::Relaxed) {
                let step = (poll - rested).min(StdDuration::from_millis(25));
                std::thread::sleep(step);
                rested += step;
            }
        }
    }

    /// Starts the runner on its own thread; dropping the handle stops it (after the job in
    /// progress).
    pub fn spawn(self) -> std::io::Result<RunnerHandle> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sas-jobs".into())
            .spawn(move || self.run_until(&flag))?;
        Ok(RunnerHandle {
            stop,
            thread: Some(thread),
        })
    }
}

pub struct RunnerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RunnerHandle {
    /// Stops the runner and waits for it.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Waits for the runner (it only returns once stopped).
    pub fn join(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunnerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

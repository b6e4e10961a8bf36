//! The job tables: one-off jobs (`jobs`, claimed with `FOR UPDATE SKIP LOCKED`) and periodic
//! schedules (`job_schedules`, claimed by a conditional `UPDATE … WHERE next_run_at <= now`).
//! Times are the injected clock's, passed in. The runner is `jobs::runner`.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde_json::Value;
use uuid::Uuid;

/// Queues a job unless one with this `unique_key` exists (whatever its state): the key names
/// the effect, so it happens once however often it is asked for. Returns whether it was new.
/// Call it in the transaction that decides the effect.
pub fn enqueue(
    conn: &mut PgConnection,
    kind: &str,
    unique_key: &str,
    payload: &Value,
    run_at: DateTime<Utc>,
    max_attempts: i32,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "INSERT INTO jobs (id, kind, unique_key, payload, run_at, max_attempts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $5) ON CONFLICT (unique_key) DO NOTHING",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(kind)
    .bind::<Text, _>(unique_key)
    .bind::<Jsonb, _>(payload)
    .bind::<Timestamptz, _>(run_at)
    .bind::<Integer, _>(max_attempts)
    .execute(conn)?;
    Ok(n == 1)
}

/// A claimed job.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: Value,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

/// Claims up to `limit` due jobs for `runner`, each leased until `now` plus its kind's lease
/// (`domain::jobs::lease`): rows another runner holds are skipped, so no job is claimed twice.
pub fn claim(
    conn: &mut PgConnection,
    runner: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    use crate::domain::jobs::{lease, LONG_LEASE_KINDS};
    let long: Vec<String> = LONG_LEASE_KINDS.iter().map(|k| k.to_string()).collect();
    diesel::sql_query(
        "UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, locked_by = $1, \
         locked_until = CASE WHEN j.kind = ANY($5) THEN $6 ELSE $3 END \
         FROM (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $2 \
               ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) due \
         WHERE j.id = due.id \
         RETURNING j.id, j.kind, j.payload, j.attempts, j.max_attempts",
    )
    .bind::<Text, _>(runner)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + lease(""))
    .bind::<BigInt, _>(limit)
    .bind::<diesel::sql_types::Array<Text>, _>(long)
    .bind::<Timestamptz, _>(now + lease(LONG_LEASE_KINDS[0]))
    .load(conn)
}

/// The running job of `kind` whose payload's `key` is `value` is still at work: its lease
/// runs until `until` (a long import renews it after each batch).
pub fn renew_lease(
    conn: &mut PgConnection,
    kind: &str,
    key: &str,
    value: &str,
    until: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE jobs SET locked_until = $4 WHERE kind = $1 AND state = 'running' \
         AND payload ->> $2 = $3 AND locked_until < $4",
    )
    .bind::<Text, _>(kind)
    .bind::<Text, _>(key)
    .bind::<Text, _>(value)
    .bind::<Timestamptz, _>(until)
    .execute(conn)
}

/// Jobs whose runner vanished (lease over) are queued again; returns how many.
pub fn requeue_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, \
         last_error = 'lease expired: the runner stopped during the attempt' \
         WHERE state = 'running' AND locked_until < $1",
    )
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}

/// The job succeeded (only if `runner` still holds it).
pub fn done(
    conn: &mut PgConnection,
    id: Uuid,
    runner: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE jobs SET state = 'done', finished_at = $3, locked_by = NULL, locked_until = NULL \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(runner)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}

/// The attempt failed: queued again at `retry_at`, or parked (`None`) with its error.
pub fn failed(
    conn: &mut PgConnection,
    id: Uuid,
    runner: &str,
    retry_at: Option<DateTime<Utc>>,
    error: &str,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE jobs SET state = CASE WHEN $3::timestamptz IS NULL THEN 'parked' ELSE 'queued' END, \
         run_at = coalesce($3, run_at), last_error = $4, locked_by = NULL, locked_until = NULL, \
         finished_at = CASE WHEN $3::timestamptz IS NULL THEN $5 ELSE NULL END \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(runner)
    .bind::<Nullable<Timestamptz>, _>(retry_at)
    .bind::<Text, _>(error)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
}

/// A parked job is queued again (by an administrator), with a fresh set of attempts.
pub fn retry_parked(
    conn: &mut PgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<(String, Value)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = Jsonb)]
        payload: Value,
    }
    let r: Option<Row> = diesel::sql_query(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $2, finished_at = NULL \
         WHERE id = $1 AND state = 'parked' RETURNING kind, payload",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    Ok(r.map(|r| (r.kind, r.payload)))
}

/// Whether a job exists at all (for a 404 against a 409).
pub fn exists(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct E {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        e: bool,
    }
    let r: E = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM jobs WHERE id = $1) AS e")
        .bind::<SqlUuid, _>(id)
        .get_result(conn)?;
    Ok(r.e)
}

/// Makes sure the schedule `name` exists with this period (the first run is due at once).
pub fn ensure_schedule(
    conn: &mut PgConnection,
    name: &str,
    every_seconds: i32,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO job_schedules (name, every_seconds, next_run_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET every_seconds = EXCLUDED.every_seconds \
         WHERE job_schedules.every_seconds <> EXCLUDED.every_seconds",
    )
    .bind::<Text, _>(name)
    .bind::<Integer, _>(every_seconds)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    Ok(())
}

/// Claims the run of schedule `name` if it is due: one conditional update, so of several
/// runners exactly one gets it. The next run is due a period later.
pub fn claim_schedule(
    conn: &mut PgConnection,
    name: &str,
    runner: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "UPDATE job_schedules SET next_run_at = $3 + every_seconds * interval '1 second', \
         last_started_at = $3, last_runner = $2 WHERE name = $1 AND next_run_at <= $3",
    )
    .bind::<Text, _>(name)
    .bind::<Text, _>(runner)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    Ok(n == 1)
}

/// Records how a schedule's run ended.
pub fn record_run(
    conn: &mut PgConnection,
    name: &str,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE job_schedules SET last_finished_at = $3, runs = runs + 1, \
         last_status = CASE WHEN $2::text IS NULL THEN 'ok' ELSE 'failed' END, last_error = $2, \
         failures = failures + CASE WHEN $2::text IS NULL THEN 0 ELSE 1 END WHERE name = $1",
    )
    .bind::<Text, _>(name)
    .bind::<Nullable<Text>, _>(error)
    .bind::<Timestamptz, _>(now)
    .execute(conn)?;
    Ok(())
}

#[derive(Debug, QueryableByName)]
pub struct ScheduleRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Integer)]
    pub every_seconds: i32,
    #[diesel(sql_type = Timestamptz)]
    pub next_run_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_finished_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub runs: i64,
    #[diesel(sql_type = BigInt)]
    pub failures: i64,
}

pub fn schedules(conn: &mut PgConnection) -> QueryResult<Vec<ScheduleRow>> {
    diesel::sql_query(
        "SELECT name, every_seconds, next_run_at, last_started_at, last_finished_at, \
         last_status, last_error, runs, failures FROM job_schedules ORDER BY name",
    )
    .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct QueueRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub queued: i64,
    #[diesel(sql_type = BigInt)]
    pub running: i64,
    #[diesel(sql_type = BigInt)]
    pub parked: i64,
    #[diesel(sql_type = BigInt)]
    pub done: i64,
}

pub fn queues(conn: &mut PgConnection) -> QueryResult<Vec<QueueRow>> {
    diesel::sql_query(
        "SELECT kind, count(*) FILTER (WHERE state = 'queued') AS queued, \
         count(*) FILTER (WHERE state = 'running') AS running, \
         count(*) FILTER (WHERE state = 'parked') AS parked, \
         count(*) FILTER (WHERE state = 'done') AS done FROM jobs GROUP BY kind ORDER BY kind",
    )
    .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct FailureRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
    #[diesel(sql_type = Timestamptz)]
    pub run_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// Parked jobs, then jobs waiting for a retry, newest first (at most 50).
pub fn failures(conn: &mut PgConnection) -> QueryResult<Vec<FailureRow>> {
    diesel::sql_query(
        "SELECT id, kind, state, attempts, max_attempts, run_at, last_error, created_at FROM jobs \
         WHERE state = 'parked' OR (state = 'queued' AND last_error IS NOT NULL) \
         ORDER BY (state = 'parked') DESC, created_at DESC, id DESC LIMIT 50",
    )
    .load(conn)
}

/// Removes finished jobs older than `before` (their effects keep their own rows).
pub fn purge_done(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM jobs WHERE state = 'done' AND finished_at < $1")
        .bind::<Timestamptz, _>(before)
        .execute(conn)
}

use actix_web::{get, web, HttpResponse};
use api_types::{JobFailure, JobQueue, JobSchedule, JobStateCode, JobsOverview};

use crate::auth::AdminOnly;
use crate::db::{self, jobs};
use crate::error::ApiResult;
use crate::state::AppState;

/// The jobs' state (admin): each periodic sweep's last run and next one, how many one-off
/// jobs of each kind are queued, running, parked or done, and the latest failures with their
/// errors (parked first).
#[utoipa::path(
    tag = "administration",
    responses(
        (status = 200, description = "Schedules, queue lengths and failures.", body = JobsOverview),
    )
)]
#[get("/jobs")]
pub async fn overview(state: web::Data<AppState>, _admin: AdminOnly) -> ApiResult<HttpResponse> {
    let (s, q, f) = db::run(&state.pool, |conn| {
        Ok((
            jobs::schedules(conn)?,
            jobs::queues(conn)?,
            jobs::failures(conn)?,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok().json(JobsOverview {
        schedules: s
            .into_iter()
            .map(|r| JobSchedule {
                name: r.name,
                every_seconds: r.every_seconds,
                next_run_at: r.next_run_at,
                last_started_at: r.last_started_at,
                last_finished_at: r.last_finished_at,
                last_status: r.last_status,
                last_error: r.last_error,
                runs: r.runs,
                failures: r.failures,
            })
            .collect(),
        queues: q
            .into_iter()
            .map(|r| JobQueue {
                kind: r.kind,
                queued: r.queued,
                running: r.running,
                parked: r.parked,
                done: r.done,
            })
            .collect(),
        failures: f
            .into_iter()
            .filter_map(|r| {
                Some(JobFailure {
                    id: r.id,
                    kind: r.kind,
                    state: JobStateCode::parse(&r.state)?,
                    attempts: r.attempts,
                    max_attempts: r.max_attempts,
                    run_at: r.run_at,
                    last_error: r.last_error,
                    created_at: r.created_at,
                })
            })
            .collect(),
    }))
}

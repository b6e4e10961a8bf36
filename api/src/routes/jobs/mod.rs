//! The jobs' state for administrators: `GET /jobs` (schedules, queues, failures) and
//! `POST /jobs/{id}/retry` (a parked job, queued again).
pub mod overview;
pub mod retry;

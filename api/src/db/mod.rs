//! Database access: the pool, migrations, and one module per entity with its queries.
//! Sync Diesel runs off the async workers through [`run`]. This layer knows no HTTP.
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool as R2d2Pool};

use crate::error::{ApiError, ApiResult};

pub mod access_logs;
pub mod admin_audit;
pub mod api_clients;
pub mod attempts;
pub mod communes;
pub mod consent;
pub mod cursor;
pub mod diagnostics;
pub mod events;
pub mod export;
pub mod idempotency;
pub mod imports;
pub mod jobs;
pub mod journal;
pub mod login_attempts;
pub mod mails;
pub mod matching;
pub mod migrations;
pub mod notifications;
pub mod password_tokens;
pub mod privacy;
pub mod referrals;
pub mod refresh_tokens;
pub mod relays;
pub mod schema;
pub mod services;
pub mod sql;
pub mod stats;
pub mod structures;
pub mod territories;
pub mod users;
pub mod webhooks;
pub mod youths;

pub type Pool = R2d2Pool<ConnectionManager<PgConnection>>;

/// Session settings of every API connection: short OLTP queries gain nothing from JIT
/// compilation or parallel workers, and both made single reads an order of magnitude slower
/// on this kind of machine (docs/PERFORMANCE.md).
#[derive(Debug)]
struct SessionSettings;

impl diesel::r2d2::CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SET jit = off; SET max_parallel_workers_per_gather = 0")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Builds the pool without connecting: readiness is reported by `/health/ready`.
pub fn pool(database_url: &str, size: u32) -> Pool {
    R2d2Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(3))
        .test_on_check_out(false)
        .connection_customizer(Box::new(SessionSettings))
        .build_unchecked(ConnectionManager::new(database_url))
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn run<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut PgConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Runs `f` in a transaction with a pooled connection on the blocking thread pool.
pub async fn tx<T, F>(pool: &Pool, f: F) -> ApiResult<T>
where
    F: FnOnce(&mut PgConnection) -> ApiResult<T> + Send + 'static,
    T: Send + 'static,
{
    use diesel::Connection;
    run(pool, move |conn| conn.transaction::<T, ApiError, _>(f)).await
}

/// Whether a Diesel error is a unique violation on the named constraint or index.
pub fn is_unique_violation(e: &diesel::result::Error, constraint: &str) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::UniqueViolation, info)
        if info.constraint_name() == Some(constraint))
}

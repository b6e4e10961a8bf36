//! Database access: the pool, migrations, and one module per entity with its queries.
//! Sync Diesel runs off the async workers through [`run`]. This layer knows no HTTP.
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool as R2d2Pool};

use crate::error::{ApiError, ApiResult};

pub mod access_logs;
pub mod admin_audit;
pub mod api_clients;
pub mod communes;
pub mod events;
pub mod idempotency;
pub mod login_attempts;
pub mod migrations;
pub mod referrals;
pub mod refresh_tokens;
pub mod schema;
pub mod structures;
pub mod territories;
pub mod users;
pub mod youths;

pub type Pool = R2d2Pool<ConnectionManager<PgConnection>>;

/// Builds the pool without connecting: readiness is reported by `/health/ready`.
pub fn pool(database_url: &str, size: u32) -> Pool {
    R2d2Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(3))
        .test_on_check_out(false)
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

/// Keyset cursors: the last row's sort key, opaque to clients (base64url of JSON).
pub mod cursor {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use serde::{de::DeserializeOwned, Serialize};

    use crate::error::ApiError;

    pub fn encode<K: Serialize>(key: &K) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
    }

    pub fn decode<K: DeserializeOwned>(s: &str) -> Result<K, ApiError> {
        URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ApiError::bad_request("invalid_cursor", "The cursor is not one this API issued.")
            })
    }

    /// Splits one extra fetched row off `rows` and turns the last kept one into the next cursor.
    pub fn page<T, K: Serialize>(
        mut rows: Vec<T>,
        limit: i64,
        key: impl Fn(&T) -> K,
    ) -> (Vec<T>, Option<String>) {
        let limit = usize::try_from(limit).unwrap_or(0);
        if rows.len() > limit {
            rows.truncate(limit);
            let next = rows.last().map(|r| encode(&key(r)));
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

//! Login throttling: attempts per key (account, API client, client address) over a sliding
//! window, kept in the database so that every instance counts the same attempts. Each attempt
//! is counted *before* its password is checked, atomically (see `db::login_attempts`): 40
//! simultaneous wrong passwords on one account get at most the limit checked, the rest 429.
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Utc};
use diesel::PgConnection;
use sha2::{Digest, Sha256};

use crate::db::{self, login_attempts, login_attempts::Reservation};
use crate::error::{ApiError, ApiResult};

/// One reservation in this many also sweeps attempts that left the window.
const SWEEP_EVERY: u64 = 64;

pub struct Throttle {
    window: Duration,
    reservations: AtomicU64,
}

/// The key of a throttled identity: a digest, so no email or address is stored.
pub fn key(kind: &str, value: &str) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    h.update(b":");
    h.update(value.as_bytes());
    hex::encode(h.finalize())
}

/// A counted attempt, settled once its outcome is known. Dropped without settling, it stays
/// counted as a failure.
#[must_use]
pub struct Attempt {
    ids: Vec<i64>,
    account_key: String,
}

impl Attempt {
    /// The credentials were right: the account's failures are cleared and this attempt no
    /// longer counts against the address. Runs in the caller's transaction.
    pub fn succeeded(self, conn: &mut PgConnection) -> ApiResult<()> {
        login_attempts::clear(conn, &self.account_key)?;
        login_attempts::forgive(conn, &self.ids)?;
        Ok(())
    }
}

impl Throttle {
    pub fn new(window: std::time::Duration) -> Throttle {
        Throttle {
            window: Duration::from_std(window).unwrap_or(Duration::minutes(15)),
            reservations: AtomicU64::new(0),
        }
    }

    /// Counts an attempt against the account key (first) and the other keys, each with its
    /// limit; 429 with `Retry-After` when one is already at its limit.
    pub async fn begin(
        &self,
        pool: &db::Pool,
        account: (String, u32),
        others: Vec<(String, u32)>,
        now: DateTime<Utc>,
    ) -> ApiResult<Attempt> {
        let since = now - self.window;
        let sweep = self
            .reservations
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SWEEP_EVERY);
        let account_key = account.0.clone();
        let mut keys = vec![account];
        keys.extend(others);
        let window = self.window;
        let outcome = db::tx(pool, move |conn| {
            if sweep {
                login_attempts::sweep(conn, since)?;
            }
            Ok(login_attempts::reserve(conn, &keys, since, now)?)
        })
        .await?;
        match outcome {
            Reservation::Granted(ids) => Ok(Attempt { ids, account_key }),
            Reservation::Refused { until } => {
                let wait = (until + window - now).num_seconds().max(1);
                Err(ApiError::too_many(u64::try_from(wait).unwrap_or(1)))
            }
        }
    }

    /// The attempt was turned away before its password was checked (503): it does not count.
    pub async fn abandon(&self, pool: &db::Pool, attempt: Attempt) -> ApiResult<()> {
        db::run(pool, move |conn| {
            login_attempts::forgive(conn, &attempt.ids)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_digests_that_depend_on_kind_and_value() {
        let a = key("acct", "a@b.fr");
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!a.contains("a@b.fr"));
        assert_ne!(a, key("ip", "a@b.fr"));
        assert_ne!(a, key("acct", "a@b.fs"));
        assert_eq!(a, key("acct", "a@b.fr"));
    }
}

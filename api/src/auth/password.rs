//! Argon2id password hashing (crate defaults: Argon2id v19). Each check costs tens of
//! milliseconds and ~19 MiB: they run on the blocking pool through [`Gate`], which lets only a
//! few run at once, so a flood of logins cannot take the server's memory.
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::config::PasswordCheckSettings;
use crate::error::{ApiError, ApiResult};

/// At most `max_concurrent` hashes or checks at once; a request waits at most `max_wait` for
/// its turn, then gets 503 `server_busy` with `Retry-After`.
pub struct Gate {
    permits: Arc<Semaphore>,
    max_wait: Duration,
}

impl Gate {
    pub fn new(s: &PasswordCheckSettings) -> Gate {
        Gate {
            permits: Arc::new(Semaphore::new(s.max_concurrent.max(1))),
            max_wait: s.max_wait,
        }
    }

    /// Runs `f` (a hash or a check) on the blocking pool once a permit is free. The permit is
    /// released by the blocking task itself, so a client that goes away does not free it early.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit =
            actix_web::rt::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or_else(ApiError::busy)?;
        Ok(actix_web::web::block(move || {
            let out = f();
            drop(permit);
            out
        })
        .await?)
    }
}

pub const MIN_LENGTH: usize = api_types::rules::PASSWORD_MIN_CHARS;
pub const MAX_LENGTH: usize = 256;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())?
        .to_string())
}

/// The stored "hash" of an account without a password yet (invited): no password matches it.
pub const UNUSABLE: &str = "!invited";

pub fn verify(stored: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// Verifies against a throw-away hash, so an unknown email costs the same time as a wrong
/// password (no user enumeration by timing).
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let h = DUMMY.get_or_init(|| hash("dummy password for timing").unwrap_or_default());
    let _ = verify(h, password);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn beyond_its_slots_the_gate_turns_requests_away_after_the_wait() {
        let gate = Arc::new(Gate::new(&PasswordCheckSettings {
            max_concurrent: 1,
            max_wait: Duration::from_millis(20),
        }));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        // The one slot is taken by a check that runs until told to stop.
        let g = gate.clone();
        let first = actix_web::rt::spawn(async move {
            g.run(move || {
                let _ = started_tx.send(());
                let _ = held.recv();
                1
            })
            .await
            .ok()
        });
        // Wait (off the async thread) until the first check holds the slot.
        actix_web::web::block(move || started.recv())
            .await
            .expect("block")
            .expect("started");
        let second = gate.run(|| 2).await;
        assert_eq!(second.err().map(|e| e.code), Some("server_busy"));
        release.send(()).expect("release");
        assert_eq!(first.await.expect("join"), Some(1));
        // The slot is free again.
        assert_eq!(gate.run(|| 3).await.ok(), Some(3));
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse battery"));
        assert!(!verify(&h, "correct horse battery!"));
        assert!(!verify("not a hash", "x"));
    }
}

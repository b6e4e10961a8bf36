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

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())?
        .to_string())
}

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

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse battery"));
        assert!(!verify(&h, "correct horse battery!"));
        assert!(!verify("not a hash", "x"));
    }
}

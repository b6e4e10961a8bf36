//! Revocation without waiting for tokens to expire: every authorised request compares the
//! token's session version with the account's, read from the database at most
//! `SAS_SESSION_CHECK_SECONDS` (default 5) ago. A change made on this instance forgets the
//! cached copy at once; other instances see it within the bound.
use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::auth::Actor;

/// What decides whether an account's tokens are still good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    /// Active user, or API client not revoked.
    pub usable: bool,
    /// The user's session version (API clients: 0, they have none).
    pub session_version: i32,
}

/// Entries kept at most before expired ones are swept.
const SWEEP_ABOVE: usize = 10_000;

pub struct AccountStates {
    ttl: Duration,
    map: Mutex<HashMap<Actor, (DateTime<Utc>, AccountState)>>,
}

impl AccountStates {
    pub fn new(ttl: std::time::Duration) -> AccountStates {
        AccountStates {
            ttl: Duration::from_std(ttl).unwrap_or(Duration::seconds(5)),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// The cached state, if read less than the bound ago (and not "in the future": a clock set
    /// back makes every entry stale).
    pub fn cached(&self, actor: Actor, now: DateTime<Utc>) -> Option<AccountState> {
        let map = self.lock();
        let (at, state) = map.get(&actor)?;
        (*at <= now && now < *at + self.ttl).then_some(*state)
    }

    pub fn store(&self, actor: Actor, now: DateTime<Utc>, state: AccountState) {
        let mut map = self.lock();
        if map.len() > SWEEP_ABOVE {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| *at <= now && now < *at + ttl);
        }
        map.insert(actor, (now, state));
    }

    /// After a change made here: the next request re-reads the account.
    pub fn forget(&self, actor: Actor) {
        self.lock().remove(&actor);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Actor, (DateTime<Utc>, AccountState)>> {
        match self.map.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    const OK: AccountState = AccountState {
        usable: true,
        session_version: 1,
    };

    #[test]
    fn a_cached_state_lives_less_than_the_bound() {
        let c = AccountStates::new(std::time::Duration::from_secs(5));
        let a = Actor::User(Uuid::new_v4());
        assert_eq!(c.cached(a, t0()), None);
        c.store(a, t0(), OK);
        assert_eq!(c.cached(a, t0() + Duration::milliseconds(4999)), Some(OK));
        assert_eq!(c.cached(a, t0() + Duration::seconds(5)), None);
        assert_eq!(
            c.cached(a, t0() - Duration::seconds(1)),
            None,
            "clock set back"
        );
    }

    #[test]
    fn forgetting_forces_a_new_read_and_zero_disables_the_cache() {
        let c = AccountStates::new(std::time::Duration::from_secs(5));
        let a = Actor::Client(Uuid::new_v4());
        c.store(a, t0(), OK);
        c.forget(a);
        assert_eq!(c.cached(a, t0()), None);
        let none = AccountStates::new(std::time::Duration::ZERO);
        none.store(a, t0(), OK);
        assert_eq!(none.cached(a, t0()), None);
    }
}

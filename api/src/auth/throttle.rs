//! Login throttling: failed attempts per key (account, client, IP) over a sliding window.
//! In memory, per process: a restart forgets failures, which only ever loosens the limit.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

pub struct Throttle {
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

/// Keys kept at most before expired entries are swept.
const SWEEP_ABOVE: usize = 50_000;

impl Throttle {
    pub fn new(window: std::time::Duration) -> Throttle {
        Throttle {
            window: Duration::from_std(window).unwrap_or(Duration::minutes(15)),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` when `key` already has `max` failures within the window: the caller
    /// answers 429 with `Retry-After: seconds`.
    pub fn check(&self, key: &str, max: u32, now: DateTime<Utc>) -> Result<(), u64> {
        let mut map = self.lock();
        let Some(q) = map.get_mut(key) else {
            return Ok(());
        };
        Self::prune(q, now - self.window);
        if q.len() >= max as usize {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = (oldest + self.window - now).num_seconds().max(1);
            return Err(u64::try_from(wait).unwrap_or(1));
        }
        Ok(())
    }

    pub fn fail(&self, key: &str, now: DateTime<Utc>) {
        let mut map = self.lock();
        if map.len() > SWEEP_ABOVE {
            let cutoff = now - self.window;
            map.retain(|_, q| {
                Self::prune(q, cutoff);
                !q.is_empty()
            });
        }
        map.entry(key.to_string()).or_default().push_back(now);
    }

    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    fn prune(q: &mut VecDeque<DateTime<Utc>>, cutoff: DateTime<Utc>) {
        while q.front().is_some_and(|t| *t <= cutoff) {
            q.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<DateTime<Utc>>>> {
        match self.failures.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_nth_failure_blocks_until_the_window_slides() {
        let th = Throttle::new(std::time::Duration::from_secs(900));
        for i in 0..3 {
            assert_eq!(th.check("a", 3, t0()), Ok(()));
            th.fail("a", t0() + Duration::seconds(i));
        }
        assert_eq!(th.check("a", 3, t0() + Duration::seconds(10)), Err(890));
        assert_eq!(
            th.check("b", 3, t0()),
            Ok(()),
            "other keys are not affected"
        );
        assert_eq!(th.check("a", 3, t0() + Duration::seconds(900)), Ok(()));
    }

    #[test]
    fn success_clears_the_count() {
        let th = Throttle::new(std::time::Duration::from_secs(900));
        th.fail("a", t0());
        th.clear("a");
        assert_eq!(th.check("a", 1, t0()), Ok(()));
    }
}

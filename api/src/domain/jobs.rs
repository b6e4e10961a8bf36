//! The rules of one-off jobs: how long to wait after a failure, and when to give up (park the
//! job with its error). Plain functions: the runner (`jobs::runner`) applies them.
use chrono::{DateTime, Duration, Utc};

/// First retry after this many seconds; each further failure doubles the wait.
pub const FIRST_RETRY_SECONDS: i64 = 30;
/// The wait never exceeds six hours.
pub const MAX_RETRY_SECONDS: i64 = 6 * 3600;
/// Attempts before a job is parked, unless its kind says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;

/// How long a claimed job is its runner's: past it, another runner takes it again (the
/// first one is taken for dead).
pub const LEASE_MINUTES: i64 = 5;
/// Kinds whose one attempt may take longer than [`LEASE_MINUTES`] (an import of a large
/// file): leased for [`LONG_LEASE_MINUTES`], and the job renews its lease as it goes.
pub const LONG_LEASE_KINDS: &[&str] = &["offer.import"];
pub const LONG_LEASE_MINUTES: i64 = 30;

/// The lease of a job of `kind`.
pub fn lease(kind: &str) -> Duration {
    if LONG_LEASE_KINDS.contains(&kind) {
        Duration::minutes(LONG_LEASE_MINUTES)
    } else {
        Duration::minutes(LEASE_MINUTES)
    }
}

/// How a failed attempt went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again later (server down, timeout, 5xx).
    Transient,
    /// Will never succeed (a mailbox that does not exist): park at once.
    Permanent,
}

/// What happens to a job after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    Park,
}

/// The wait before attempt `attempts + 1`, after `attempts` (≥ 1) failed ones:
/// 30 s, 1 min, 2 min, 4 min… capped at 6 h.
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let secs = FIRST_RETRY_SECONDS.saturating_mul(1i64 << exp);
    Duration::seconds(secs.min(MAX_RETRY_SECONDS))
}

/// After the `attempts`-th attempt failed (`attempts` counts it), with `max_attempts` allowed.
pub fn after_failure(
    attempts: i32,
    max_attempts: i32,
    failure: Failure,
    now: DateTime<Utc>,
) -> AfterFailure {
    if failure == Failure::Permanent || attempts >= max_attempts {
        AfterFailure::Park
    } else {
        AfterFailure::RetryAt(now + backoff(attempts))
    }
}

/// Errors are stored for operators: bounded, on one line.
pub fn error_text(e: &str) -> String {
    let one_line: String = e
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_import_is_leased_longer_than_other_jobs() {
        assert_eq!(lease("offer.import"), Duration::minutes(30));
        for kind in ["mail.deliver", "webhook.deliver", "anything"] {
            assert_eq!(lease(kind), Duration::minutes(5), "{kind}");
        }
    }

    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_wait_doubles_from_thirty_seconds_up_to_six_hours() {
        let expected = [
            (1, 30),
            (2, 60),
            (3, 120),
            (4, 240),
            (5, 480),
            (6, 960),
            (7, 1920),
            (8, 3840),
            (9, 7680),
            (10, 15360),
            (11, 21600),
            (12, 21600),
            (40, 21600),
            (i32::MAX, 21600),
        ];
        for (attempts, secs) in expected {
            assert_eq!(
                backoff(attempts),
                Duration::seconds(secs),
                "after {attempts}"
            );
        }
        // Nonsense counts never wait less than the first step.
        assert_eq!(backoff(0), Duration::seconds(30));
        assert_eq!(backoff(-3), Duration::seconds(30));
    }

    #[test]
    fn a_transient_failure_retries_until_the_last_attempt_then_parks() {
        for max in 1..=10 {
            for attempts in 1..=max + 1 {
                let got = after_failure(attempts, max, Failure::Transient, t0());
                if attempts >= max {
                    assert_eq!(got, AfterFailure::Park, "{attempts}/{max}");
                } else {
                    assert_eq!(got, AfterFailure::RetryAt(t0() + backoff(attempts)));
                }
            }
        }
    }

    #[test]
    fn a_permanent_failure_parks_at_once() {
        for attempts in 1..=8 {
            assert_eq!(
                after_failure(attempts, 8, Failure::Permanent, t0()),
                AfterFailure::Park
            );
        }
    }

    #[test]
    fn stored_errors_are_one_bounded_line() {
        assert_eq!(error_text("a\nb\tc"), "a b c");
        assert_eq!(error_text(&"x".repeat(900)).len(), 500);
    }
}

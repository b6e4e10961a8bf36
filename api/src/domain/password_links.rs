//! Single-use links that let a person set their password: an invitation (new account) or a
//! reset (forgotten password). Both expire within the hour; a reset request is answered the
//! same whether the address exists or not, and requests are throttled.
use chrono::{DateTime, Duration, Utc};

/// Lifetime of a link.
pub const LINK_LIFETIME_MINUTES: i64 = 60;
/// Reset mails per account per window: more requests are answered the same but send nothing.
pub const RESETS_PER_ACCOUNT: i64 = 3;
/// Reset requests per client address per window, then 429.
pub const RESETS_PER_ADDRESS: u32 = 20;
/// The window of both limits.
pub const RESET_WINDOW_MINUTES: i64 = 60;

/// When a link made at `now` stops working.
pub fn expires_at(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::minutes(LINK_LIFETIME_MINUTES)
}

/// Why a link no longer sets a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    Used,
    Expired,
    /// A newer link of the same account replaced it, or the account is deactivated.
    Superseded,
}

/// Whether a link may still be used at `now`.
pub fn check(
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    superseded: bool,
    now: DateTime<Utc>,
) -> Result<(), Unusable> {
    if used_at.is_some() {
        Err(Unusable::Used)
    } else if now >= expires_at {
        Err(Unusable::Expired)
    } else if superseded {
        Err(Unusable::Superseded)
    } else {
        Ok(())
    }
}

/// Whether one more reset mail may go to an account that had `recent` in the window.
pub fn may_mail_reset(recent: i64) -> bool {
    recent < RESETS_PER_ACCOUNT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_link_works_once_within_the_hour() {
        let exp = expires_at(t0());
        assert_eq!(exp - t0(), Duration::hours(1));
        let before = exp - Duration::seconds(1);
        assert_eq!(check(exp, None, false, t0()), Ok(()));
        assert_eq!(check(exp, None, false, before), Ok(()));
        assert_eq!(check(exp, None, false, exp), Err(Unusable::Expired));
        assert_eq!(check(exp, Some(t0()), false, t0()), Err(Unusable::Used));
        assert_eq!(check(exp, Some(t0()), false, exp), Err(Unusable::Used));
        assert_eq!(check(exp, None, true, t0()), Err(Unusable::Superseded));
    }

    #[test]
    fn at_most_three_reset_mails_per_account_and_hour() {
        assert!(may_mail_reset(0));
        assert!(may_mail_reset(2));
        assert!(!may_mail_reset(3));
        assert!(!may_mail_reset(10));
    }
}

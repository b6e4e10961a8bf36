//! Referral rules: the lifecycle ([`lifecycle`]), what each viewer may read ([`visibility`]),
//! urgency and ages. Pure functions: no HTTP, no SQL.
use api_types::Status;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

pub mod contact;
pub mod lifecycle;
pub mod visibility;

use Status::*;

pub const URGENT_WITHIN_DAYS: i64 = 30;

/// The states before diagnosis, in which an exit date close at hand makes a referral urgent.
pub const EARLY: [Status; 4] = [PendingModeration, Submitted, Contacting, Unreachable];

/// A referral whose exit date is within 30 days (or past) and which has not reached
/// diagnosis yet is urgent. `on_hold` counts by the state it left.
pub fn is_urgent(
    status: Status,
    hold_from: Option<Status>,
    exit_date: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let effective = if status == OnHold {
        hold_from.unwrap_or(status)
    } else {
        status
    };
    EARLY.contains(&effective)
        && exit_date.is_some_and(|d| (d - today).num_days() <= URGENT_WITHIN_DAYS)
}

/// The last exit date that is urgent on `today`.
pub fn urgent_until(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(URGENT_WITHIN_DAYS)
}

/// The one time-zone rule: day-based rules count calendar days in the referral's territory's
/// time zone. `now` is the injected clock's.
pub fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The latest calendar date anywhere on Earth at `now` (UTC+14): an upper bound of
/// [`today_in`] for every time zone, so a query over many territories can use an index range
/// before applying each territory's own date.
pub fn latest_today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(14)).date_naive()
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

pub use api_types::rules::{ADULT_AGE, MAX_AGE, MIN_AGE};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn urgency_counts_calendar_days_until_diagnosis() {
        let today = d("2026-03-02");
        assert!(
            is_urgent(Submitted, None, Some(d("2026-04-01")), today),
            "30 days"
        );
        assert!(
            !is_urgent(Submitted, None, Some(d("2026-04-02")), today),
            "31 days"
        );
        assert!(
            is_urgent(Contacting, None, Some(d("2025-12-01")), today),
            "past"
        );
        assert!(!is_urgent(Submitted, None, None, today), "no date");
        assert_eq!(urgent_until(today), d("2026-04-01"));
    }

    #[test]
    fn urgency_holds_in_every_state_as_the_table_says() {
        let today = d("2026-03-02");
        let soon = Some(d("2026-03-03"));
        for s in Status::ALL {
            let expected = matches!(s, PendingModeration | Submitted | Contacting | Unreachable);
            assert_eq!(is_urgent(*s, None, soon, today), expected, "{s}");
            if *s != OnHold && *s != Closed {
                assert_eq!(
                    is_urgent(OnHold, Some(*s), soon, today),
                    expected,
                    "on hold from {s}"
                );
            }
        }
    }

    #[test]
    fn today_is_the_territory_s_calendar_day() {
        // 23:30 in Paris on 2 March is 22:30 UTC, and already 3 March in Réunion.
        let now: DateTime<Utc> = "2026-03-02T22:30:00Z".parse().expect("time");
        assert_eq!(today_in(chrono_tz::Europe::Paris, now), d("2026-03-02"));
        assert_eq!(today_in(chrono_tz::Indian::Reunion, now), d("2026-03-03"));
        assert_eq!(
            today_in(chrono_tz::America::Guadeloupe, now),
            d("2026-03-02")
        );
        assert_eq!(latest_today(now), d("2026-03-03"));
        for tz in [
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
        ] {
            assert!(today_in(tz, now) <= latest_today(now), "{tz}");
        }
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(d("2008-03-02"), d("2026-03-02")), 18);
        assert_eq!(age_on(d("2008-03-03"), d("2026-03-02")), 17);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
    }
}

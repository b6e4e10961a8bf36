//! Bounds of every date a client may send: 1900-01-01 to 2100-12-31 (a date outside is a
//! typing error, and Postgres cannot store some of them). Tighter rules (age, exit window,
//! not in the future) apply on top.
use chrono::{DateTime, Datelike, NaiveDate, Utc};

pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;
pub const OUT_OF_RANGE: &str = "date_out_of_range";
pub const OUT_OF_RANGE_MESSAGE: &str = "Dates lie between 1900-01-01 and 2100-12-31.";

pub fn date_in_range(d: NaiveDate) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&d.year())
}

pub fn time_in_range(t: DateTime<Utc>) -> bool {
    date_in_range(t.date_naive())
}

/// `d` brought inside the bounds (for positions decoded from cursors, where any value is a
/// position and none may reach the database unbounded).
pub fn clamp_date(d: NaiveDate) -> NaiveDate {
    let lo = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
    let hi = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31).unwrap_or(NaiveDate::MAX);
    d.clamp(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_bounded_to_two_centuries() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert!(date_in_range(d("1900-01-01")));
        assert!(date_in_range(d("2100-12-31")));
        assert!(!date_in_range(d("1899-12-31")));
        assert!(!date_in_range(d("2101-01-01")));
        assert!(!date_in_range(d("-5000-01-01")));
        assert_eq!(clamp_date(d("-5000-01-01")), d("1900-01-01"));
        assert_eq!(clamp_date(d("+20000-01-01")), d("2100-12-31"));
        assert_eq!(clamp_date(d("2026-03-02")), d("2026-03-02"));
        let t: DateTime<Utc> = "-5000-01-01T00:00:00Z".parse().expect("time");
        assert!(!time_in_range(t));
    }
}

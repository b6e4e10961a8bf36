//! Periods of the statistics: a month or a quarter, never an arbitrary range. A referral
//! belongs to the cohort of its submission month, read in its territory's time zone; each
//! figure is computed `as_of` a date that is today or the end of a past month (so a figure
//! once published for a closed month never moves, and today's is the live one).
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

pub const INVALID_PERIOD: &str = "invalid_period";
pub const INVALID_PERIOD_MESSAGE: &str =
    "A period is a month (YYYY-MM) or a quarter (YYYY-Q1 to YYYY-Q4), between 1900 and 2100.";
pub const INVALID_AS_OF: &str = "invalid_as_of";
pub const INVALID_AS_OF_MESSAGE: &str =
    "as_of is today or the last day of a past month, and not before the period starts.";

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month)
            && crate::domain::dates::date_in_range(NaiveDate::from_ymd_opt(year, 1, 1)?))
        .then_some(Month { year, month })
    }

    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// 1 to 4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// `YYYY-MM`, as in the query string and the CSV.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// The period a figure is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Month(Month),
    Quarter { year: i32, quarter: u32 },
}

impl Period {
    /// `2026-03` or `2026-Q1` (`q` in either case); nothing else.
    pub fn parse(s: &str) -> Option<Period> {
        let (y, rest) = s.split_once('-')?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let quarter: u32 = match q {
                "1" => 1,
                "2" => 2,
                "3" => 3,
                "4" => 4,
                _ => return None,
            };
            Month::new(year, quarter * 3)?;
            return Some(Period::Quarter { year, quarter });
        }
        if rest.len() != 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Month::new(year, rest.parse().ok()?).map(Period::Month)
    }

    /// `YYYY-MM` or `YYYY-Qn`, as it is asked.
    pub fn code(self) -> String {
        match self {
            Period::Month(m) => m.code(),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    /// The quarter containing the period: a month's figures are the column of its quarter's
    /// table, so the month and the quarter views suppress the same cells.
    pub fn quarter(self) -> Period {
        match self {
            Period::Month(m) => Period::Quarter {
                year: m.year,
                quarter: m.quarter(),
            },
            q => q,
        }
    }

    /// The month, for a month.
    pub fn month(self) -> Option<Month> {
        match self {
            Period::Month(m) => Some(m),
            Period::Quarter { .. } => None,
        }
    }

    /// Its months, in order (one or three).
    pub fn months(self) -> Vec<Month> {
        match self {
            Period::Month(m) => vec![m],
            Period::Quarter { year, quarter } => (0..3)
                .map(|i| Month {
                    year,
                    month: (quarter - 1) * 3 + 1 + i,
                })
                .collect(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.months()
            .first()
            .map_or(NaiveDate::MIN, |m| m.first_day())
    }

    pub fn last_day(self) -> NaiveDate {
        self.months()
            .last()
            .map_or(NaiveDate::MIN, |m| m.last_day())
    }

    /// The instants `[start, end)` of the period in `tz`: a referral submitted at `t` is in
    /// the period's cohort iff `start <= t < end`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let end = self.last_day().succ_opt().unwrap_or(NaiveDate::MAX);
        (
            local_midnight(self.first_day(), tz),
            local_midnight(end, tz),
        )
    }
}

/// The first instant of day `d` in `tz` (midnight, or the first instant after a gap).
pub fn local_midnight(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A day may begin inside a gap (a change of offset at midnight): try each following hour.
    (0..3)
        .find_map(|h| {
            tz.from_local_datetime(&(naive + Duration::hours(h)))
                .earliest()
        })
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The cohort of a referral: the month of its submission, in its territory's time zone.
pub fn cohort(submitted_at: DateTime<Utc>, tz: Tz) -> Month {
    Month::of(submitted_at.with_timezone(&tz).date_naive())
}

/// The local day of an instant in `tz`.
pub fn local_day(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// `as_of` checked against `today` (the territory's local date) and the period: today, or
/// the last day of a month before today, and not before the period's first day. `None`
/// means today.
pub fn as_of(asked: Option<NaiveDate>, today: NaiveDate, period: Period) -> Option<NaiveDate> {
    let d = asked.unwrap_or(today);
    let month_end = d == Month::of(d).last_day();
    let ok = (d == today || (month_end && d < today)) && d >= period.first_day();
    ok.then_some(d)
}

/// Whether something that started on `since` is at least `days` old on `as_of` (H2 counts
/// referrals older than 21 days; a J+90 figure only the checkpoints due by `as_of`).
pub fn aged(since: NaiveDate, as_of: NaiveDate, days: i64) -> bool {
    (as_of - since).num_days() >= days
}

/// The age H2's contact rate waits for: a referral counts once it is this many days old.
pub const H2_MIN_AGE_DAYS: i64 = 21;
/// The retention checkpoint of H3, after the start of the accompaniment.
pub const RETENTION_DAYS: i64 = 90;
/// The receiver's scope: a relay is answered in time within this many days of its request
/// (the day of the first reminder).
pub const ANSWER_WITHIN_DAYS: i64 = 10;
/// H1: a referral is early when submitted at least this many days before the exit date.
pub const H1_EARLY_DAYS: i64 = 14;
/// "Registered prescriber structures": the active ones, plus those that referred to the
/// territory within this many months before `as_of`.
pub const REGISTERED_WITHIN_MONTHS: u32 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    const PARIS: Tz = chrono_tz::Europe::Paris;
    const REUNION: Tz = chrono_tz::Indian::Reunion;

    #[test]
    fn periods_are_months_or_quarters_only() {
        let m = |y, m| Some(Period::Month(Month { year: y, month: m }));
        assert_eq!(Period::parse("2026-03"), m(2026, 3));
        assert_eq!(Period::parse("2026-12"), m(2026, 12));
        assert_eq!(Period::parse("2026-01"), m(2026, 1));
        for (s, q) in [
            ("2026-Q1", 1),
            ("2026-q2", 2),
            ("2026-Q3", 3),
            ("2026-Q4", 4),
        ] {
            assert_eq!(
                Period::parse(s),
                Some(Period::Quarter {
                    year: 2026,
                    quarter: q
                }),
                "{s}"
            );
        }
        for bad in [
            "",
            "2026",
            "2026-",
            "2026-00",
            "2026-13",
            "2026-3",
            "2026-003",
            "26-03",
            "2026-Q0",
            "2026-Q5",
            "2026-Q",
            "2026-Q12",
            "2026-03-01",
            "2026-W10",
            "1899-12",
            "2101-01",
            "2101-Q1",
            "+202-03",
            "2026-+3",
            "abcd-01",
            "2026/03",
            " 2026-03",
            "2026-H1",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad:?}");
        }
        assert!(Period::parse("1900-01").is_some() && Period::parse("2100-Q4").is_some());
    }

    #[test]
    fn a_period_knows_its_months_days_and_code() {
        let q = Period::parse("2026-Q1").expect("q");
        assert_eq!(
            q.months().iter().map(|m| m.code()).collect::<Vec<_>>(),
            ["2026-01", "2026-02", "2026-03"]
        );
        assert_eq!(
            (q.first_day(), q.last_day()),
            (d("2026-01-01"), d("2026-03-31"))
        );
        assert_eq!(q.code(), "2026-Q1");
        let q4 = Period::parse("2026-q4").expect("q4");
        assert_eq!(
            q4.months().iter().map(|m| m.code()).collect::<Vec<_>>(),
            ["2026-10", "2026-11", "2026-12"]
        );
        assert_eq!(q4.last_day(), d("2026-12-31"));
        let feb = Period::parse("2028-02").expect("feb");
        assert_eq!(
            (feb.first_day(), feb.last_day()),
            (d("2028-02-01"), d("2028-02-29"))
        );
        assert_eq!(feb.code(), "2028-02");
        assert_eq!(
            Month {
                year: 2026,
                month: 12
            }
            .next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        for (m, q) in [
            (1, 1),
            (3, 1),
            (4, 2),
            (6, 2),
            (7, 3),
            (9, 3),
            (10, 4),
            (12, 4),
        ] {
            assert_eq!(
                Month {
                    year: 2026,
                    month: m
                }
                .quarter(),
                q
            );
        }
    }

    #[test]
    fn bounds_are_local_midnights() {
        // Paris is UTC+1 in winter, UTC+2 in summer: March 2026 starts at 23:00 UTC on
        // 28 February and ends at 22:00 UTC on 31 March (summer time from 29 March).
        let mar = Period::parse("2026-03").expect("m");
        assert_eq!(
            mar.bounds(PARIS),
            (t("2026-02-28T23:00:00Z"), t("2026-03-31T22:00:00Z"))
        );
        // Réunion is UTC+4 all year.
        assert_eq!(
            mar.bounds(REUNION),
            (t("2026-02-28T20:00:00Z"), t("2026-03-31T20:00:00Z"))
        );
        let q4 = Period::parse("2026-Q4").expect("q");
        assert_eq!(
            q4.bounds(PARIS),
            (t("2026-09-30T22:00:00Z"), t("2026-12-31T23:00:00Z"))
        );
        // A zone whose day starts in a gap (Santiago moves 00:00 → 01:00 in September).
        let santiago: Tz = chrono_tz::America::Santiago;
        let start = local_midnight(d("2026-09-06"), santiago);
        assert_eq!(local_day(start, santiago), d("2026-09-06"));
    }

    #[test]
    fn the_cohort_is_the_submission_month_in_the_territory_time_zone() {
        // 31 January 23:30 UTC is 1 February 00:30 in Paris: February's cohort there.
        let late = t("2026-01-31T23:30:00Z");
        assert_eq!(
            cohort(late, PARIS),
            Month {
                year: 2026,
                month: 2
            }
        );
        assert_eq!(
            cohort(late, chrono_tz::UTC),
            Month {
                year: 2026,
                month: 1
            }
        );
        // 31 January 22:59 UTC is still January in Paris, February in Réunion.
        let before = t("2026-01-31T22:59:59Z");
        assert_eq!(
            cohort(before, PARIS),
            Month {
                year: 2026,
                month: 1
            }
        );
        assert_eq!(
            cohort(before, REUNION),
            Month {
                year: 2026,
                month: 2
            }
        );
        // The bounds and the cohort agree at the exact instants.
        let (start, end) = Period::parse("2026-02").expect("p").bounds(PARIS);
        assert_eq!(
            cohort(start, PARIS),
            Month {
                year: 2026,
                month: 2
            }
        );
        assert_eq!(
            cohort(end - Duration::seconds(1), PARIS),
            Month {
                year: 2026,
                month: 2
            }
        );
        assert_eq!(
            cohort(end, PARIS),
            Month {
                year: 2026,
                month: 3
            }
        );
    }

    #[test]
    fn as_of_is_today_or_a_past_month_end() {
        let today = d("2026-12-01");
        let dec = Period::parse("2026-12").expect("p");
        let nov = Period::parse("2026-11").expect("p");
        let q4 = Period::parse("2026-Q4").expect("p");
        assert_eq!(as_of(None, today, nov), Some(today));
        assert_eq!(as_of(Some(today), today, dec), Some(today));
        assert_eq!(
            as_of(Some(d("2026-11-30")), today, nov),
            Some(d("2026-11-30"))
        );
        assert_eq!(
            as_of(Some(d("2026-11-30")), today, q4),
            Some(d("2026-11-30"))
        );
        assert_eq!(
            as_of(Some(d("2026-12-31")), d("2027-01-15"), q4),
            Some(d("2026-12-31"))
        );
        // Not a month end, in the future, or before the period starts.
        assert_eq!(as_of(Some(d("2026-11-29")), today, nov), None);
        assert_eq!(as_of(Some(d("2026-12-31")), today, dec), None);
        assert_eq!(as_of(Some(d("2027-01-31")), today, dec), None);
        assert_eq!(as_of(Some(d("2026-10-31")), today, nov), None);
        assert_eq!(
            as_of(None, today, Period::parse("2027-01").expect("p")),
            None
        );
        // Today is fine even when it is not a month end, and a month end may be today.
        let end = d("2026-11-30");
        assert_eq!(as_of(Some(end), end, nov), Some(end));
    }

    #[test]
    fn ages_count_whole_days() {
        assert!(!aged(d("2026-11-10"), d("2026-11-30"), H2_MIN_AGE_DAYS));
        assert!(aged(d("2026-11-09"), d("2026-11-30"), H2_MIN_AGE_DAYS));
        assert!(aged(d("2026-09-01"), d("2026-11-30"), RETENTION_DAYS));
        assert!(!aged(d("2026-09-02"), d("2026-11-30"), RETENTION_DAYS));
        assert!(!aged(d("2026-12-01"), d("2026-11-30"), 0));
    }
}

//! Retention (issue 15): when a young person's data is anonymised, and when an administrator
//! may erase it at once. Pure: the database says what the youth's history is
//! ([`History`]), this module decides.
//!
//! - **Last activity**: the latest `events.occurred_at` over every referral of the youth. Every
//!   change SAS records is an event — creation, status changes, contact attempts (at the
//!   attempt's own time), corrections, the diagnostic, consent, relay changes and checkpoint
//!   answers — so one column says when anything last happened.
//! - **Due**: on the calendar day, in the time zone of the territory of the referral that
//!   carries the last activity, that is `months` months after that activity's day
//!   ([`due_on`]; the 31st of a shorter month falls on its last day). Nothing is anonymised
//!   one day early; a job that was down catches up, since anything past its day is due.
//! - **Never while a referral is open** (any status but `closed`), nor while a relay of the
//!   youth is in progress (`requested`, `accepted`, `started`: a started relay of a closed
//!   referral still has checkpoints to answer).
use chrono::{DateTime, Months, NaiveDate, Utc};
use chrono_tz::Tz;

/// How long after the last activity a youth is kept, by default (`SAS_RETENTION_MONTHS`).
pub const DEFAULT_RETENTION_MONTHS: u32 = 24;
/// How long access logs are kept, by default (`SAS_ACCESS_LOG_RETENTION_MONTHS`).
pub const DEFAULT_ACCESS_LOG_RETENTION_MONTHS: u32 = 12;
/// The database never purges an access log younger than this (`sas_purge_access_logs`), so a
/// smaller setting is refused at start-up rather than silently not honoured.
pub const MIN_ACCESS_LOG_RETENTION_MONTHS: u32 = 12;

/// The placeholder written where a column must hold something: the birth date (NOT NULL) of
/// an anonymised youth. Not a date of anybody's birth: readers check `anonymised_at`.
pub const ANONYMISED_BIRTH_DATE: (i32, u32, u32) = (1900, 1, 1);
/// The placeholder of a required free text (consent's `informed_by`, the `other` reason's
/// text, an exclusion's note) once blanked.
pub const BLANKED_TEXT: &str = "—";

/// What the database knows of one youth, for the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub anonymised: bool,
    /// Referrals of the youth not closed.
    pub open_referrals: u32,
    /// Relays of the youth's referrals requested, accepted or started.
    pub relays_in_progress: u32,
    /// The latest event of any referral of the youth (`None`: no referral at all).
    pub last_activity: Option<DateTime<Utc>>,
    /// The time zone of the territory of the referral that carries the last activity.
    pub time_zone: Tz,
}

/// Why a youth is left as it is (the codes of a run's `skipped` and of erasure's refusals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    AlreadyAnonymised,
    RelayInProgress,
    OpenReferral,
    NoClosedReferral,
    NotDue,
}

impl Skip {
    pub const ALL: [Skip; 5] = [
        Skip::AlreadyAnonymised,
        Skip::RelayInProgress,
        Skip::OpenReferral,
        Skip::NoClosedReferral,
        Skip::NotDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Skip::AlreadyAnonymised => "already_anonymised",
            Skip::RelayInProgress => "relay_in_progress",
            Skip::OpenReferral => "open_referral",
            Skip::NoClosedReferral => "no_closed_referral",
            Skip::NotDue => "not_due",
        }
    }
}

/// The day the youth becomes due: `months` months after the local day of `last_activity`.
pub fn due_on(last_activity: DateTime<Utc>, tz: Tz, months: u32) -> NaiveDate {
    let day = last_activity.with_timezone(&tz).date_naive();
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether the retention job anonymises the youth at `now`, or why not. The checks in order:
/// already anonymised, a relay in progress, an open referral, no referral, not yet due.
pub fn decide(h: &History, now: DateTime<Utc>, months: u32) -> Result<(), Skip> {
    blocked(h)?;
    let last = h.last_activity.ok_or(Skip::NoClosedReferral)?;
    let today = now.with_timezone(&h.time_zone).date_naive();
    if today >= due_on(last, h.time_zone, months) {
        Ok(())
    } else {
        Err(Skip::NotDue)
    }
}

/// Whether an administrator may erase the youth now (erasure is not bound by the delay):
/// `already_anonymised`, `relay_in_progress` and `open_referral` refuse it. Erasure closes
/// nothing by itself: an open referral is closed first, by a person, with its outcome.
pub fn may_erase(h: &History) -> Result<(), Skip> {
    blocked(h)
}

fn blocked(h: &History) -> Result<(), Skip> {
    if h.anonymised {
        Err(Skip::AlreadyAnonymised)
    } else if h.relays_in_progress > 0 {
        Err(Skip::RelayInProgress)
    } else if h.open_referrals > 0 {
        Err(Skip::OpenReferral)
    } else {
        Ok(())
    }
}

/// The earliest instant whose activity may be due at `now`: a superset cut for the database
/// (every youth whose last activity is before it is a candidate; [`decide`] is exact). Five
/// days of margin cover every time zone's offset and the short months (31 August + 6 months
/// is 28 February, 28 February − 6 months is the 28th of August).
pub fn candidate_cutoff(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
        + chrono::Duration::days(5)
}

/// The access logs older than this go (`months` at least [`MIN_ACCESS_LOG_RETENTION_MONTHS`];
/// the database floors it at 12 months anyway).
pub fn access_log_cutoff(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months.max(MIN_ACCESS_LOG_RETENTION_MONTHS)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Checks the two settings at start-up.
pub fn check_settings(retention_months: u32, access_log_months: u32) -> Result<(), String> {
    if retention_months == 0 {
        return Err("must be at least 1 month".into());
    }
    if access_log_months < MIN_ACCESS_LOG_RETENTION_MONTHS {
        return Err(format!(
            "{access_log_months} months is too short: access logs are kept at least \
             {MIN_ACCESS_LOG_RETENTION_MONTHS} months (DOMAIN.md; the database never purges \
             younger ones)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use chrono_tz::{Europe::Paris, Indian::Reunion, Pacific::Noumea, UTC};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap()
    }

    fn closed(last: &str, tz: Tz) -> History {
        History {
            anonymised: false,
            open_referrals: 0,
            relays_in_progress: 0,
            last_activity: Some(at(last)),
            time_zone: tz,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn due_24_months_after_the_local_day_of_the_last_activity() {
        assert_eq!(
            due_on(at("2026-03-15T10:00:00Z"), Paris, 24),
            day(2028, 3, 15)
        );
        // 23:30 UTC on the 14th is already the 15th in Paris (UTC+1 in March).
        assert_eq!(
            due_on(at("2026-03-14T23:30:00Z"), Paris, 24),
            day(2028, 3, 15)
        );
        assert_eq!(
            due_on(at("2026-03-14T23:30:00Z"), UTC, 24),
            day(2028, 3, 14)
        );
        // The 31st of a shorter month: its last day; 29 February: the 28th.
        assert_eq!(due_on(at("2026-08-31T12:00:00Z"), UTC, 6), day(2027, 2, 28));
        assert_eq!(
            due_on(at("2028-02-29T12:00:00Z"), UTC, 12),
            day(2029, 2, 28)
        );
        assert_eq!(due_on(at("2026-01-10T12:00:00Z"), UTC, 1), day(2026, 2, 10));
    }

    #[test]
    fn nothing_one_day_early_everything_on_the_day_and_after() {
        let h = closed("2026-03-15T10:00:00Z", Paris);
        // Local midnight of the due day in Paris (CET in March 2028: UTC+1).
        let midnight = Paris
            .with_ymd_and_hms(2028, 3, 15, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            decide(&h, midnight - Duration::seconds(1), 24),
            Err(Skip::NotDue)
        );
        assert_eq!(
            decide(&h, midnight - Duration::days(1), 24),
            Err(Skip::NotDue)
        );
        assert_eq!(decide(&h, midnight, 24), Ok(()));
        assert_eq!(decide(&h, midnight + Duration::hours(23), 24), Ok(()));
        // A job down for a week, a year: still due.
        assert_eq!(decide(&h, midnight + Duration::days(7), 24), Ok(()));
        assert_eq!(decide(&h, midnight + Duration::days(400), 24), Ok(()));
    }

    #[test]
    fn every_day_around_the_due_day_in_three_time_zones() {
        for tz in [Paris, Reunion, Noumea, UTC] {
            let last = tz
                .with_ymd_and_hms(2026, 6, 30, 23, 59, 0)
                .unwrap()
                .with_timezone(&Utc);
            let h = History {
                last_activity: Some(last),
                time_zone: tz,
                ..closed("2026-01-01T00:00:00Z", tz)
            };
            for offset in -40i64..=40 {
                let d = day(2028, 6, 30) + Duration::days(offset);
                for (hh, mm) in [(0, 0), (12, 0), (23, 59)] {
                    let now = tz
                        .from_local_datetime(&d.and_hms_opt(hh, mm, 0).unwrap())
                        .earliest()
                        .unwrap()
                        .with_timezone(&Utc);
                    let expected = if offset >= 0 {
                        Ok(())
                    } else {
                        Err(Skip::NotDue)
                    };
                    assert_eq!(decide(&h, now, 24), expected, "{tz} {d} {hh}:{mm}");
                    // The database's cut never leaves out a youth the rule finds due.
                    if offset >= 0 {
                        assert!(last < candidate_cutoff(now, 24), "{tz} {d}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_cut_keeps_every_due_youth_at_month_ends() {
        for months in [1u32, 6, 12, 24] {
            for last_day in [
                day(2026, 1, 31),
                day(2026, 8, 31),
                day(2027, 12, 31),
                day(2027, 2, 28),
            ] {
                for tz in [Noumea, Paris, UTC, chrono_tz::Pacific::Honolulu] {
                    let last = tz
                        .from_local_datetime(&last_day.and_hms_opt(23, 59, 0).unwrap())
                        .earliest()
                        .unwrap()
                        .with_timezone(&Utc);
                    let due = due_on(last, tz, months);
                    let now = tz
                        .from_local_datetime(&due.and_hms_opt(0, 0, 0).unwrap())
                        .earliest()
                        .unwrap()
                        .with_timezone(&Utc);
                    let h = History {
                        last_activity: Some(last),
                        time_zone: tz,
                        ..closed("2026-01-01T00:00:00Z", tz)
                    };
                    assert_eq!(decide(&h, now, months), Ok(()));
                    assert_eq!(
                        decide(&h, now - Duration::seconds(1), months),
                        Err(Skip::NotDue)
                    );
                    assert!(
                        last < candidate_cutoff(now, months),
                        "{tz} {last_day} {months}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_delay_is_configurable() {
        let h = closed("2026-03-15T10:00:00Z", UTC);
        assert_eq!(decide(&h, at("2026-09-14T23:59:59Z"), 6), Err(Skip::NotDue));
        assert_eq!(decide(&h, at("2026-09-15T00:00:00Z"), 6), Ok(()));
        assert_eq!(
            decide(&h, at("2029-03-14T12:00:00Z"), 36),
            Err(Skip::NotDue)
        );
        assert_eq!(decide(&h, at("2029-03-15T00:00:00Z"), 36), Ok(()));
    }

    #[test]
    fn skip_reasons_in_order_whatever_the_dates() {
        let long_after = at("2040-01-01T00:00:00Z");
        // Every combination of the three blocking facts, and the date.
        for anonymised in [false, true] {
            for open in [0u32, 1, 3] {
                for relays in [0u32, 1, 2] {
                    for last in [None, Some(at("2026-01-01T00:00:00Z"))] {
                        let h = History {
                            anonymised,
                            open_referrals: open,
                            relays_in_progress: relays,
                            last_activity: last,
                            time_zone: Paris,
                        };
                        let expected = if anonymised {
                            Err(Skip::AlreadyAnonymised)
                        } else if relays > 0 {
                            Err(Skip::RelayInProgress)
                        } else if open > 0 {
                            Err(Skip::OpenReferral)
                        } else if last.is_none() {
                            Err(Skip::NoClosedReferral)
                        } else {
                            Ok(())
                        };
                        assert_eq!(decide(&h, long_after, 24), expected, "{h:?}");
                        let erase = match expected {
                            Err(Skip::NoClosedReferral) => Ok(()),
                            other => other,
                        };
                        assert_eq!(may_erase(&h), erase, "{h:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn erasure_ignores_the_delay() {
        let h = closed("2026-03-15T10:00:00Z", Paris);
        assert_eq!(may_erase(&h), Ok(()));
        assert_eq!(
            decide(&h, at("2026-03-16T10:00:00Z"), 24),
            Err(Skip::NotDue)
        );
    }

    #[test]
    fn codes() {
        let codes: Vec<_> = Skip::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "already_anonymised",
                "relay_in_progress",
                "open_referral",
                "no_closed_referral",
                "not_due"
            ]
        );
    }

    #[test]
    fn access_logs_are_kept_12_months_at_least() {
        assert_eq!(check_settings(24, 12), Ok(()));
        assert_eq!(check_settings(1, 36), Ok(()));
        assert!(check_settings(24, 11).unwrap_err().contains("at least 12"));
        assert!(check_settings(24, 0).is_err());
        assert!(check_settings(0, 12).is_err());
        let now = at("2027-05-31T10:00:00Z");
        assert_eq!(access_log_cutoff(now, 12), at("2026-05-31T10:00:00Z"));
        assert_eq!(access_log_cutoff(now, 3), at("2026-05-31T10:00:00Z"));
        assert_eq!(access_log_cutoff(now, 18), at("2025-11-30T10:00:00Z"));
    }
}

//! When a notification is mailed: at once, or in the daily digest sent each morning
//! (territory-independent: the users' time zone, `Europe/Paris`, until users carry their own).
use api_types::EmailPreference;
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

/// The digest of a day goes out from this local hour on.
pub const DIGEST_HOUR: u32 = 7;
/// The time zone of the digest.
pub const DIGEST_TZ: Tz = chrono_tz::Europe::Paris;

/// Whether a new notification is mailed at once.
pub fn mail_at_once(pref: EmailPreference) -> bool {
    pref == EmailPreference::Immediate
}

/// The day whose digest may be sent at `now`: today (local) from `DIGEST_HOUR`, none before
/// (the previous day's went out this morning at the latest). One digest per user per day: its
/// key carries this date.
pub fn digest_day(now: DateTime<Utc>, tz: Tz) -> Option<NaiveDate> {
    let local = now.with_timezone(&tz);
    (local.hour() >= DIGEST_HOUR).then(|| local.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("date")
            .with_timezone(&Utc)
    }

    #[test]
    fn only_the_immediate_preference_mails_at_once() {
        assert!(mail_at_once(EmailPreference::Immediate));
        assert!(!mail_at_once(EmailPreference::DailyDigest));
    }

    #[test]
    fn the_digest_of_a_day_goes_out_from_seven_in_paris() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let cases = [
            // Winter: UTC+1.
            ("2026-03-02T05:59:59Z", None),
            ("2026-03-02T06:00:00Z", Some(d("2026-03-02"))),
            ("2026-03-02T22:59:59Z", Some(d("2026-03-02"))),
            ("2026-03-02T23:00:00Z", None), // midnight in Paris: a new day, too early
            // Summer: UTC+2.
            ("2026-07-01T04:59:00Z", None),
            ("2026-07-01T05:00:00Z", Some(d("2026-07-01"))),
        ];
        for (now, want) in cases {
            assert_eq!(digest_day(at(now), DIGEST_TZ), want, "{now}");
        }
    }
}

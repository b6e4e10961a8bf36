//! Reaching the young person (DOMAIN.md): where contact attempts may be recorded, what a
//! contact moves, the channels allowed, the time an attempt may carry, and the unreachable
//! rule — counted since the referral last entered `contacting`, in calendar days of its
//! territory's time zone, with the territory's own thresholds.
use std::collections::BTreeSet;

use api_types::{AttemptChannel, AttemptOutcome, Status};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::today_in;

use Status::*;

/// States in which attempts are recorded: from `contacting` up to `followed`, and in
/// `unreachable`. Nowhere else (not on hold, not before taking, not once closed).
pub const ATTEMPT_STATES: [Status; 5] = [Contacting, Unreachable, Diagnosis, Relaying, Followed];

pub fn may_record_attempt(status: Status) -> bool {
    ATTEMPT_STATES.contains(&status)
}

/// The status change an attempt causes, made by the system through the lifecycle: a contact in
/// `contacting` starts the diagnosis; a contact in `unreachable` returns to `contacting`.
pub fn attempt_moves_to(status: Status, outcome: AttemptOutcome) -> Option<Status> {
    if !outcome.is_contact() {
        return None;
    }
    match status {
        Contacting => Some(Diagnosis),
        Unreachable => Some(Contacting),
        _ => None,
    }
}

/// The channels a counsellor may use: only `via_prescriber` for a young person reached through
/// their prescriber only; every channel otherwise.
pub fn allowed_channels(contact_via_prescriber_only: bool) -> &'static [AttemptChannel] {
    if contact_via_prescriber_only {
        &[AttemptChannel::ViaPrescriber]
    } else {
        AttemptChannel::ALL
    }
}

/// Why an attempt's time or next try is refused (422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRefusal {
    BeforeReferral,
    InTheFuture,
    NextTryInThePast,
    NextTryTooFar,
}

/// How far ahead a next try may be planned, in days.
pub const NEXT_TRY_MAX_DAYS: i64 = 366;

/// An attempt lies between the referral's creation and now.
pub fn check_attempt_time(
    at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), TimeRefusal> {
    if at < created_at {
        Err(TimeRefusal::BeforeReferral)
    } else if at > now {
        Err(TimeRefusal::InTheFuture)
    } else {
        Ok(())
    }
}

/// A next try is today or later (territory calendar), within a year.
pub fn check_next_try(next: NaiveDate, today: NaiveDate) -> Result<(), TimeRefusal> {
    let days = (next - today).num_days();
    if days < 0 {
        Err(TimeRefusal::NextTryInThePast)
    } else if days > NEXT_TRY_MAX_DAYS {
        Err(TimeRefusal::NextTryTooFar)
    } else {
        Ok(())
    }
}

/// Whether a transition enters `contacting` (the moment the unreachable rule counts from).
pub fn enters_contacting(from: Status, to: Status) -> bool {
    to == Contacting && from != Contacting
}

/// A territory's unreachable rule (defaults: 5 attempts, 21 days, 2 channels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnreachableRule {
    pub min_attempts: i64,
    pub min_days: i64,
    pub min_channels: i64,
}

impl Default for UnreachableRule {
    fn default() -> Self {
        UnreachableRule {
            min_attempts: 5,
            min_days: 21,
            min_channels: 2,
        }
    }
}

/// What the rule needs of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptFact {
    pub at: DateTime<Utc>,
    pub channel: AttemptChannel,
    pub outcome: AttemptOutcome,
}

/// The attempts since the referral last entered `contacting`, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub attempts: i64,
    pub contact: bool,
    pub channels: BTreeSet<AttemptChannel>,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
}

/// Sums up the attempts made after `since` (the last entry into `contacting`; `None`: never
/// entered, nothing counts; an attempt at that very moment is the contact that caused the
/// entry), their days in `tz`.
pub fn summarize(attempts: &[AttemptFact], since: Option<DateTime<Utc>>, tz: Tz) -> Summary {
    let mut s = Summary::default();
    let Some(since) = since else { return s };
    for a in attempts.iter().filter(|a| a.at > since) {
        s.attempts += 1;
        s.contact |= a.outcome.is_contact();
        s.channels.insert(a.channel);
        let day = today_in(tz, a.at);
        s.first_day = Some(s.first_day.map_or(day, |d| d.min(day)));
        s.last_day = Some(s.last_day.map_or(day, |d| d.max(day)));
    }
    s
}

impl Summary {
    /// Calendar days from the first attempt to the last.
    pub fn span_days(&self) -> i64 {
        match (self.first_day, self.last_day) {
            (Some(f), Some(l)) => (l - f).num_days(),
            _ => 0,
        }
    }
}

/// The unreachable rule: a referral in `contacting` whose attempts since it entered it number
/// at least `min_attempts`, none a contact, spread over at least `min_days` calendar days from
/// the first to the last, on at least `min_channels` channels. Computed, never stored; only a
/// counsellor then moves it to `unreachable`.
pub fn rule_met(status: Status, s: &Summary, rule: &UnreachableRule) -> bool {
    status == Contacting
        && !s.contact
        && s.attempts >= rule.min_attempts
        && s.span_days() >= rule.min_days
        && i64::try_from(s.channels.len()).unwrap_or(i64::MAX) >= rule.min_channels
}

/// Calendar days in `tz` from `then` to `now`.
pub fn days_between(then: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> i64 {
    (today_in(tz, now) - today_in(tz, then)).num_days()
}

/// The queue's "no attempt for 7 days": a referral in `contacting` whose last attempt and
/// entry into `contacting` are both at least this many calendar days old.
pub const QUIET_DAYS: i64 = 7;

pub fn quiet(
    status: Status,
    last_attempt: Option<DateTime<Utc>>,
    contacting_since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    tz: Tz,
) -> bool {
    let latest = match (last_attempt, contacting_since) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    status == Contacting && latest.is_some_and(|t| days_between(t, now, tz) >= QUIET_DAYS)
}

/// The queue's "next try due": an open referral whose planned next try is today or past.
pub fn next_try_due(status: Status, next: Option<NaiveDate>, today: NaiveDate) -> bool {
    status != Closed && next.is_some_and(|d| d <= today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::AttemptChannel as Ch;
    use api_types::AttemptOutcome as Out;
    use chrono::Duration;
    use chrono_tz::Europe::Paris;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("time")
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn fact(at: DateTime<Utc>, channel: Ch, outcome: Out) -> AttemptFact {
        AttemptFact {
            at,
            channel,
            outcome,
        }
    }

    /// `n` failed attempts, one a day from `start` stepping `step` days, alternating channels.
    fn series(start: DateTime<Utc>, n: i64, step: i64, channels: &[Ch]) -> Vec<AttemptFact> {
        (0..n)
            .map(|i| {
                let ch = channels[usize::try_from(i).expect("small") % channels.len()];
                fact(start + Duration::days(i * step), ch, Out::NoAnswer)
            })
            .collect()
    }

    #[test]
    fn attempts_are_recorded_from_contacting_up_to_followed_and_in_unreachable_only() {
        for s in Status::ALL {
            let expected = matches!(
                s,
                Contacting | Unreachable | Diagnosis | Relaying | Followed
            );
            assert_eq!(may_record_attempt(*s), expected, "{s}");
        }
    }

    #[test]
    fn a_contact_moves_contacting_to_diagnosis_and_unreachable_to_contacting_nothing_else() {
        for s in Status::ALL {
            for o in Out::ALL {
                let expected = match (s, o.is_contact()) {
                    (Contacting, true) => Some(Diagnosis),
                    (Unreachable, true) => Some(Contacting),
                    _ => None,
                };
                assert_eq!(attempt_moves_to(*s, *o), expected, "{s} {o}");
            }
        }
        let contacts: Vec<_> = Out::ALL.iter().filter(|o| o.is_contact()).collect();
        assert_eq!(contacts, [&Out::Reached, &Out::AppointmentSet]);
    }

    #[test]
    fn a_youth_reached_through_the_prescriber_only_offers_one_channel() {
        assert_eq!(allowed_channels(true), &[Ch::ViaPrescriber]);
        assert_eq!(allowed_channels(false), Ch::ALL);
        assert_eq!(Ch::ALL.len(), 8);
    }

    #[test]
    fn an_attempt_lies_between_the_referral_and_now_and_a_next_try_ahead() {
        let (created, now) = (t("2026-03-02T09:00:00Z"), t("2026-03-10T09:00:00Z"));
        assert_eq!(check_attempt_time(created, created, now), Ok(()));
        assert_eq!(check_attempt_time(now, created, now), Ok(()));
        assert_eq!(
            check_attempt_time(created - Duration::seconds(1), created, now),
            Err(TimeRefusal::BeforeReferral)
        );
        assert_eq!(
            check_attempt_time(now + Duration::seconds(1), created, now),
            Err(TimeRefusal::InTheFuture)
        );
        let today = d("2026-03-10");
        assert_eq!(check_next_try(today, today), Ok(()));
        assert_eq!(
            check_next_try(d("2026-03-09"), today),
            Err(TimeRefusal::NextTryInThePast)
        );
        assert_eq!(check_next_try(d("2027-03-11"), today), Ok(()));
        assert_eq!(
            check_next_try(d("2027-03-12"), today),
            Err(TimeRefusal::NextTryTooFar)
        );
    }

    #[test]
    fn every_entry_into_contacting_restarts_the_count() {
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    enters_contacting(*from, *to),
                    *to == Contacting && *from != Contacting
                );
            }
        }
    }

    #[test]
    fn the_default_rule_is_met_at_five_attempts_twenty_one_days_two_channels() {
        let rule = UnreachableRule::default();
        let since = t("2026-03-02T08:00:00Z");
        let start = t("2026-03-02T09:00:00Z");
        // 5 attempts on days 0, 5, 10, 15, 21: met.
        let mut a = series(start, 4, 5, &[Ch::Phone, Ch::Sms]);
        a.push(fact(start + Duration::days(21), Ch::Phone, Out::Voicemail));
        let s = summarize(&a, Some(since), Paris);
        assert_eq!((s.attempts, s.span_days(), s.channels.len()), (5, 21, 2));
        assert!(rule_met(Contacting, &s, &rule));
        // Only in contacting.
        for st in Status::ALL.iter().filter(|s| **s != Contacting) {
            assert!(!rule_met(*st, &s, &rule), "{st}");
        }
    }

    #[test]
    fn each_threshold_one_short_is_not_met() {
        let rule = UnreachableRule::default();
        let since = t("2026-03-01T00:00:00Z");
        let start = t("2026-03-02T09:00:00Z");
        // 4 attempts over 21 days, 2 channels.
        let four = vec![
            fact(start, Ch::Phone, Out::NoAnswer),
            fact(start + Duration::days(7), Ch::Sms, Out::NoAnswer),
            fact(start + Duration::days(14), Ch::Phone, Out::NoAnswer),
            fact(start + Duration::days(21), Ch::Sms, Out::NoAnswer),
        ];
        assert!(!rule_met(
            Contacting,
            &summarize(&four, Some(since), Paris),
            &rule
        ));
        // 5 attempts over 20 days.
        let twenty = series(start, 5, 5, &[Ch::Phone, Ch::Sms])
            .into_iter()
            .enumerate()
            .map(|(i, mut f)| {
                if i == 4 {
                    f.at = start + Duration::days(20);
                }
                f
            })
            .collect::<Vec<_>>();
        let s = summarize(&twenty, Some(since), Paris);
        assert_eq!(s.span_days(), 20);
        assert!(!rule_met(Contacting, &s, &rule));
        // 5 attempts over 25 days on one channel.
        let one = series(start, 5, 6, &[Ch::Phone]);
        let s = summarize(&one, Some(since), Paris);
        assert_eq!((s.span_days(), s.channels.len()), (24, 1));
        assert!(!rule_met(Contacting, &s, &rule));
        // A contact among them.
        let mut with_contact = series(start, 6, 5, &[Ch::Phone, Ch::Sms]);
        with_contact[2].outcome = Out::AppointmentSet;
        assert!(!rule_met(
            Contacting,
            &summarize(&with_contact, Some(since), Paris),
            &rule
        ));
    }

    #[test]
    fn attempts_before_the_last_entry_into_contacting_do_not_count() {
        let rule = UnreachableRule::default();
        let start = t("2026-03-02T09:00:00Z");
        let a = series(start, 6, 5, &[Ch::Phone, Ch::Email]);
        let before = Some(start - Duration::minutes(1));
        assert!(rule_met(Contacting, &summarize(&a, before, Paris), &rule));
        assert_eq!(
            summarize(&a, Some(start), Paris).attempts,
            5,
            "not the one at the entry"
        );
        // Re-entered contacting after the first attempt: 5 left over 20 days.
        let s = summarize(&a, Some(start + Duration::hours(1)), Paris);
        assert_eq!((s.attempts, s.span_days()), (5, 20));
        assert!(!rule_met(Contacting, &s, &rule));
        assert_eq!(summarize(&a, None, Paris), Summary::default());
    }

    #[test]
    fn a_territory_sets_its_own_thresholds() {
        let rule = UnreachableRule {
            min_attempts: 2,
            min_days: 0,
            min_channels: 1,
        };
        let start = t("2026-03-02T09:00:00Z");
        let a = series(start, 2, 0, &[Ch::Phone]);
        let since = Some(start - Duration::minutes(1));
        assert!(rule_met(Contacting, &summarize(&a, since, Paris), &rule));
        assert!(!rule_met(
            Contacting,
            &summarize(&a[..1], since, Paris),
            &rule
        ));
    }

    #[test]
    fn days_are_counted_in_the_territory_s_time_zone() {
        // 23:30 in Paris on 2 March (22:30 UTC) and 00:30 on 23 March (23:30 UTC on 22 March):
        // 21 calendar days in Paris, 20 in UTC.
        let first = t("2026-03-02T22:30:00Z");
        let last = t("2026-03-22T23:30:00Z");
        assert_eq!(days_between(first, last, Paris), 21);
        assert_eq!(days_between(first, last, chrono_tz::UTC), 20);
        // In Réunion (UTC+4), 2 March 22:30 UTC is already 3 March.
        assert_eq!(days_between(first, last, chrono_tz::Indian::Reunion), 20);
        let a = vec![
            fact(first, Ch::Phone, Out::NoAnswer),
            fact(first + Duration::days(5), Ch::Sms, Out::NoAnswer),
            fact(first + Duration::days(10), Ch::Phone, Out::NoAnswer),
            fact(first + Duration::days(15), Ch::Sms, Out::NoAnswer),
            fact(last, Ch::Phone, Out::NoAnswer),
        ];
        let since = Some(first - Duration::minutes(1));
        let rule = UnreachableRule::default();
        assert!(rule_met(Contacting, &summarize(&a, since, Paris), &rule));
        assert!(!rule_met(
            Contacting,
            &summarize(&a, since, chrono_tz::UTC),
            &rule
        ));
    }

    #[test]
    fn quiet_referrals_and_due_tries() {
        let now = t("2026-03-10T10:00:00Z");
        let seven = t("2026-03-03T22:00:00Z"); // 3 March 23:00 in Paris: 7 days before 10 March
        let six = t("2026-03-03T23:30:00Z"); // already 4 March in Paris
        assert!(quiet(Contacting, Some(seven), None, now, Paris));
        assert!(!quiet(Contacting, Some(six), None, now, Paris));
        assert!(quiet(Contacting, None, Some(seven), now, Paris));
        assert!(
            !quiet(Contacting, Some(seven), Some(six), now, Paris),
            "re-entered contacting 6 days ago"
        );
        assert!(!quiet(Contacting, None, None, now, Paris));
        assert!(!quiet(Diagnosis, Some(seven), None, now, Paris));
        let today = d("2026-03-10");
        assert!(next_try_due(Contacting, Some(today), today));
        assert!(next_try_due(Diagnosis, Some(d("2026-03-01")), today));
        assert!(!next_try_due(Contacting, Some(d("2026-03-11")), today));
        assert!(!next_try_due(Contacting, None, today));
        assert!(!next_try_due(Closed, Some(today), today));
    }
}

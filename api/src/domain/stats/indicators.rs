//! From the facts of a cohort (one per referral, read from the events by `db::stats`) to the
//! published tables: each count is one [`Breakdown`] (structures under prescriber kinds, by
//! month and, for a quarter, the quarter), protected together; rates and medians are computed
//! beside them and suppressed by the rules of `disclosure`.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::disclosure::{self, Breakdown, Row};
use super::period::{
    aged, Month, Period, ANSWER_WITHIN_DAYS, H1_EARLY_DAYS, H2_MIN_AGE_DAYS, RETENTION_DAYS,
};

/// One referral of the cohort (no identifier of the youth or the referral); in the
/// receiver's scope, one relay (`submitted_on` is then the day of the request).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fact {
    pub structure: Option<Uuid>,
    pub kind: Option<String>,
    pub submitted_on: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    pub duplicate: bool,
    pub first_contact_on: Option<NaiveDate>,
    pub attempts_to_contact: i64,
    pub unreachable: bool,
    pub diagnosed: bool,
    /// The day the referral first reached `diagnosis` (the prescriber's view of a contact).
    pub reached_on: Option<NaiveDate>,
    /// A relay through SAS requested, and accepted.
    pub relayed: bool,
    pub accepted: bool,
    /// The receiver's scope: the day the relay was answered (accepted or refused).
    pub answered_on: Option<NaiveDate>,
    /// The day the first relay through SAS started, and what became of that relay: its J+90
    /// answer, how and when it ended.
    pub started_on: Option<NaiveDate>,
    pub j90_answer: Option<String>,
    pub relay_end: Option<String>,
    pub relay_end_on: Option<NaiveDate>,
    /// Off-platform relays, counted apart.
    pub off_relayed: bool,
    pub off_started_on: Option<NaiveDate>,
}

/// Where a started relay stands at J+90, once the checkpoint is due by `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum J90 {
    /// Answered `still_accompanied` or `positive_exit`, or the relay completed with a
    /// positive exit by the due day.
    Retained,
    /// Answered `dropped_out` or `lost_contact`, or the relay ended otherwise by the due day.
    NotRetained,
    /// Due, without an answer: counted apart.
    Unanswered,
}

impl Fact {
    /// The J+90 state of the first started relay (`None`: not started, or not due yet).
    pub fn j90(&self, as_of: NaiveDate) -> Option<J90> {
        let start = self.started_on?;
        if !aged(start, as_of, RETENTION_DAYS) {
            return None;
        }
        let due = start + chrono::Duration::days(RETENTION_DAYS);
        Some(
            match (self.j90_answer.as_deref(), self.relay_end.as_deref()) {
                (Some("still_accompanied" | "positive_exit"), _) => J90::Retained,
                (Some(_), _) => J90::NotRetained,
                (None, Some(end)) if self.relay_end_on.is_some_and(|d| d <= due) => {
                    if end == "positive_exit" {
                        J90::Retained
                    } else {
                        J90::NotRetained
                    }
                }
                (None, _) => J90::Unanswered,
            },
        )
    }

    /// The same referral as its prescriber may see it: no duplicate (a prescriber reads
    /// `closed_by_sas`), a contact as the status `diagnosis`, every relay (through SAS or
    /// not) and the first start of any.
    pub fn as_prescriber_sees(&self) -> Fact {
        let started_on = match (self.started_on, self.off_started_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Fact {
            duplicate: false,
            first_contact_on: self.reached_on,
            relayed: self.relayed || self.off_relayed,
            started_on,
            ..self.clone()
        }
    }
}

/// The additive counts, each a table of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Measure {
    /// Funnel: submitted (duplicates included).
    Submitted,
    /// Funnel: contacted (duplicates out, like every later stage).
    Contacted,
    /// Funnel: diagnosed.
    Diagnosed,
    /// H2's denominator: submitted at least 21 days before `as_of`, not duplicates.
    Aged,
    /// H2: of those, contacted.
    AgedContacted,
    /// H2: of those, ever unreachable.
    AgedUnreachable,
    /// H1's denominator: with an exit date, not duplicates.
    WithExit,
    /// H1: of those, submitted at least 14 days before the exit date.
    Early,
    /// Funnel and H3: a relay through SAS requested (H3's denominator).
    Relayed,
    /// Funnel: a relay through SAS accepted.
    Accepted,
    /// Funnel and H3: a relay through SAS started.
    Started,
    /// H3: started, the J+90 checkpoint due by `as_of` and settled (answered, or the relay
    /// ended by then): the denominator of the retention.
    J90Settled,
    /// Funnel and H3: of those, still accompanied or positively exited.
    J90Retained,
    /// H3: due by `as_of` without an answer (apart).
    J90Unanswered,
    /// H3, apart: an off-platform relay recorded, and started.
    OffRelayed,
    OffStarted,
    /// The receiver's scope: requested at least 10 days before `as_of`, and of those
    /// answered within 10 days.
    RequestAged,
    AnsweredInTime,
    /// The prescriber's scope: aged 21 days (like `Aged`) and relayed (any relay).
    AgedRelayed,
}

pub const MEASURES: [Measure; 19] = [
    Measure::Submitted,
    Measure::Contacted,
    Measure::Diagnosed,
    Measure::Aged,
    Measure::AgedContacted,
    Measure::AgedUnreachable,
    Measure::WithExit,
    Measure::Early,
    Measure::Relayed,
    Measure::Accepted,
    Measure::Started,
    Measure::J90Settled,
    Measure::J90Retained,
    Measure::J90Unanswered,
    Measure::OffRelayed,
    Measure::OffStarted,
    Measure::RequestAged,
    Measure::AnsweredInTime,
    Measure::AgedRelayed,
];

impl Measure {
    pub fn counts(self, f: &Fact, as_of: NaiveDate) -> bool {
        let aged = !f.duplicate && aged(f.submitted_on, as_of, H2_MIN_AGE_DAYS);
        let j90 = if f.duplicate { None } else { f.j90(as_of) };
        let request_aged = !f.duplicate
            && f.relayed
            && super::period::aged(f.submitted_on, as_of, ANSWER_WITHIN_DAYS);
        match self {
            Measure::Submitted => true,
            Measure::Contacted => !f.duplicate && f.first_contact_on.is_some(),
            Measure::Diagnosed => !f.duplicate && f.diagnosed,
            Measure::Aged => aged,
            Measure::AgedContacted => aged && f.first_contact_on.is_some(),
            Measure::AgedUnreachable => aged && f.unreachable,
            Measure::WithExit => !f.duplicate && f.exit_date.is_some(),
            Measure::Early => {
                !f.duplicate
                    && f.exit_date
                        .is_some_and(|x| (x - f.submitted_on).num_days() >= H1_EARLY_DAYS)
            }
            Measure::Relayed => !f.duplicate && f.relayed,
            Measure::Accepted => !f.duplicate && f.accepted,
            Measure::Started => !f.duplicate && f.started_on.is_some(),
            Measure::J90Settled => matches!(j90, Some(J90::Retained | J90::NotRetained)),
            Measure::J90Retained => j90 == Some(J90::Retained),
            Measure::J90Unanswered => j90 == Some(J90::Unanswered),
            Measure::OffRelayed => !f.duplicate && f.off_relayed,
            Measure::OffStarted => !f.duplicate && f.off_started_on.is_some(),
            Measure::RequestAged => request_aged,
            Measure::AgedRelayed => aged && f.relayed,
            Measure::AnsweredInTime => {
                request_aged
                    && f.answered_on
                        .is_some_and(|a| (a - f.submitted_on).num_days() <= ANSWER_WITHIN_DAYS)
            }
        }
    }
}

/// How a funnel stage or an indicator is computed from a [`Report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// A count (additive: broken down by kind and structure).
    Count(Measure),
    /// `num / den` (broken down too, each row under the rate rules).
    Rate(Measure, Measure),
    /// Not broken down: medians, a mean, the active structures over the registered ones.
    MedianDaysToContact,
    MedianDaysToStart,
    AttemptsPerContact,
    ActiveStructures,
}

/// The formula of each code of `definitions` (`None` for an unknown code).
pub fn formula(code: &str) -> Option<Formula> {
    use Formula::*;
    use Measure::*;
    Some(match code {
        "submitted" | "h1_referrals" | "p_submitted" | "r_requested" => Count(Submitted),
        "contacted" | "p_reached" => Count(Contacted),
        "diagnosed" => Count(Diagnosed),
        "relayed" | "p_relayed" => Count(Relayed),
        "accepted" => Count(Accepted),
        "started" | "p_started" | "r_started" => Count(Started),
        "retained_j90" | "r_retained" => Count(J90Retained),
        "h1_early_share" => Rate(Early, WithExit),
        "h1_active_structures" => ActiveStructures,
        "h2_contact_rate" | "p_reached_rate" => Rate(AgedContacted, Aged),
        "h2_median_days_to_contact" => MedianDaysToContact,
        "h2_unreachable_rate" => Rate(AgedUnreachable, Aged),
        "h2_attempts_per_contact" => AttemptsPerContact,
        "h3_started_rate" | "p_started_rate" | "r_started_rate" => Rate(Started, Relayed),
        "h3_median_days_to_start" => MedianDaysToStart,
        "h3_retained_j90_share" | "r_retained_j90" => Rate(J90Retained, J90Settled),
        "h3_j90_unanswered" | "r_j90_unanswered" => Count(J90Unanswered),
        "h3_off_platform_relayed" => Count(OffRelayed),
        "h3_off_platform_started_rate" => Rate(OffStarted, OffRelayed),
        "p_relayed_rate" => Rate(AgedRelayed, Aged),
        "r_answered_10d" => Rate(AnsweredInTime, RequestAged),
        _ => return None,
    })
}

impl Formula {
    /// `count`, `rate`, `days` or `mean`.
    pub fn unit(self) -> &'static str {
        match self {
            Formula::Count(_) => "count",
            Formula::Rate(..) | Formula::ActiveStructures => "rate",
            Formula::MedianDaysToContact | Formula::MedianDaysToStart => "days",
            Formula::AttemptsPerContact => "mean",
        }
    }

    /// Whether it has one figure per row of the breakdown.
    pub fn broken_down(self) -> bool {
        matches!(self, Formula::Count(_) | Formula::Rate(..))
    }
}

/// A leaf of the breakdown: a prescriber structure (or none: a referral made without one).
pub type Leaf = Option<Uuid>;

/// The tables of one territory, period and `as_of`.
#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub as_of: NaiveDate,
    pub months: Vec<Month>,
    /// Prescriber kinds, sorted (`None`: unknown).
    pub kinds: Vec<Option<String>>,
    /// Structures, sorted, with the index of their kind.
    pub leaves: Vec<(Leaf, usize)>,
    pub tables: BTreeMap<Measure, Breakdown>,
    facts: Vec<Fact>,
}

impl Report {
    pub fn new(period: Period, as_of: NaiveDate, facts: Vec<Fact>) -> Report {
        let months = period.months();
        let mut kinds: Vec<Option<String>> = facts.iter().map(|f| f.kind.clone()).collect();
        kinds.sort();
        kinds.dedup();
        let mut pairs: Vec<(Leaf, usize)> = facts
            .iter()
            .map(|f| {
                (
                    f.structure,
                    kinds.iter().position(|k| *k == f.kind).unwrap_or(0),
                )
            })
            .collect();
        pairs.sort();
        pairs.dedup();
        let leaf_of = |f: &Fact, pairs: &[(Leaf, usize)], kinds: &[Option<String>]| {
            let k = kinds.iter().position(|k| *k == f.kind).unwrap_or(0);
            pairs
                .iter()
                .position(|p| *p == (f.structure, k))
                .unwrap_or(0)
        };
        let mut tables = BTreeMap::new();
        for m in MEASURES {
            let mut counts = vec![vec![0u64; months.len()]; pairs.len()];
            for f in facts.iter().filter(|f| m.counts(f, as_of)) {
                if let Some(col) = months
                    .iter()
                    .position(|mo| *mo == Month::of(f.submitted_on))
                {
                    counts[leaf_of(f, &pairs, &kinds)][col] += 1;
                }
            }
            let parents = pairs.iter().map(|p| p.1).collect();
            tables.insert(
                m,
                Breakdown::new(kinds.len().max(1), parents, &counts, months.len()),
            );
        }
        Report {
            period,
            as_of,
            months,
            kinds,
            leaves: pairs,
            tables,
            facts,
        }
    }

    /// The column of a month, or of the whole period (the quarter, or the single month).
    pub fn col(&self, month: Option<Month>) -> usize {
        match month {
            Some(m) => self.months.iter().position(|x| *x == m).unwrap_or(0),
            None if self.months.len() > 1 => self.months.len(),
            None => 0,
        }
    }

    /// A published count.
    pub fn count(&self, m: Measure, row: Row, month: Option<Month>) -> Option<u64> {
        let col = self.col(month);
        self.tables.get(&m).and_then(|t| t.get(row, col))
    }

    /// `num / den` for the row and column, suppressed by the rate rules.
    pub fn rate(&self, num: Measure, den: Measure, row: Row, month: Option<Month>) -> Option<f64> {
        let col = self.col(month);
        let (n, d) = (self.tables.get(&num)?, self.tables.get(&den)?);
        disclosure::rate(
            n.raw(row, col),
            d.raw(row, col),
            n.get(row, col).is_some(),
            d.get(row, col).is_some(),
        )
    }

    fn contacted_in(&self, month: Option<Month>) -> impl Iterator<Item = &Fact> {
        self.facts.iter().filter(move |f| {
            Measure::Contacted.counts(f, self.as_of)
                && month.is_none_or(|m| Month::of(f.submitted_on) == m)
                && self.months.contains(&Month::of(f.submitted_on))
        })
    }

    /// H2: median days from submission to the first contact, over the territory's contacted
    /// referrals of the month or the period.
    pub fn median_days_to_contact(&self, month: Option<Month>) -> Option<f64> {
        let days: Vec<i64> = self
            .contacted_in(month)
            .filter_map(|f| f.first_contact_on.map(|c| (c - f.submitted_on).num_days()))
            .collect();
        disclosure::median(&days)
    }

    /// H3: median days from submission to the start of the first relay through SAS, over
    /// the started referrals of the month or the period.
    pub fn median_days_to_start(&self, month: Option<Month>) -> Option<f64> {
        let days: Vec<i64> = self
            .facts
            .iter()
            .filter(|f| {
                let m = Month::of(f.submitted_on);
                Measure::Started.counts(f, self.as_of)
                    && self.months.contains(&m)
                    && month.is_none_or(|x| x == m)
            })
            .filter_map(|f| f.started_on.map(|s| (s - f.submitted_on).num_days()))
            .collect();
        disclosure::median(&days)
    }

    /// H2: mean attempts up to the first contact, suppressed like a median (under 5
    /// contacted referrals).
    pub fn attempts_per_contact(&self, month: Option<Month>) -> Option<f64> {
        let n: Vec<i64> = self
            .contacted_in(month)
            .map(|f| f.attempts_to_contact)
            .collect();
        ((n.len() as u64) >= disclosure::MIN_SHOWN)
            .then(|| n.iter().sum::<i64>() as f64 / n.len() as f64)
    }

    /// H1: structures that referred in the month or the whole period (published as a rate
    /// over the registered ones, under the rate rules).
    pub fn active_structures(&self, month: Option<Month>) -> u64 {
        let mut s: Vec<Uuid> = self
            .facts
            .iter()
            .filter(|f| {
                let m = Month::of(f.submitted_on);
                self.months.contains(&m) && month.is_none_or(|x| x == m)
            })
            .filter_map(|f| f.structure)
            .collect();
        s.sort_unstable();
        s.dedup();
        s.len() as u64
    }

    /// The figure of a formula for a row and a month (`None`: the period), as published
    /// (`None` when suppressed); `registered` is the denominator of the active structures.
    pub fn value(
        &self,
        f: Formula,
        row: Row,
        month: Option<Month>,
        registered: u64,
    ) -> Option<f64> {
        match f {
            Formula::Count(m) => self.count(m, row, month).map(|n| n as f64),
            Formula::Rate(n, d) => self.rate(n, d, row, month),
            Formula::MedianDaysToContact => self.median_days_to_contact(month),
            Formula::MedianDaysToStart => self.median_days_to_start(month),
            Formula::AttemptsPerContact => self.attempts_per_contact(month),
            Formula::ActiveStructures => {
                disclosure::rate(self.active_structures(month), registered, true, true)
            }
        }
    }

    /// Every published count, and the sums binding them, for the outsider's check.
    pub fn all_tables(&self) -> Vec<(Vec<Option<u64>>, Vec<disclosure::Sum>)> {
        self.tables
            .values()
            .map(|t| (t.table.published(), t.table.sums().to_vec()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn fact(structure: u128, kind: &str, submitted: &str) -> Fact {
        Fact {
            structure: Some(Uuid::from_u128(structure)),
            kind: Some(kind.into()),
            submitted_on: d(submitted),
            exit_date: None,
            duplicate: false,
            ..Default::default()
        }
    }

    #[test]
    fn measures_follow_the_definitions() {
        let as_of = d("2026-03-31");
        let mut f = fact(1, "mission_locale", "2026-03-10");
        f.exit_date = Some(d("2026-03-24"));
        f.first_contact_on = Some(d("2026-03-12"));
        f.unreachable = true;
        f.diagnosed = true;
        let all: Vec<Measure> = MEASURES
            .into_iter()
            .filter(|m| m.counts(&f, as_of))
            .collect();
        assert_eq!(
            all,
            MEASURES[..8],
            "aged 21 days exactly, exit 14 days after; no relay"
        );
        f.exit_date = Some(d("2026-03-23"));
        assert!(!Measure::Early.counts(&f, as_of) && Measure::WithExit.counts(&f, as_of));
        let young = Fact {
            submitted_on: d("2026-03-11"),
            ..f.clone()
        };
        assert!(
            !Measure::Aged.counts(&young, as_of) && !Measure::AgedContacted.counts(&young, as_of)
        );
        let dup = Fact {
            duplicate: true,
            ..f
        };
        let counted: Vec<Measure> = MEASURES
            .into_iter()
            .filter(|m| m.counts(&dup, as_of))
            .collect();
        assert_eq!(
            counted,
            [Measure::Submitted],
            "a duplicate is submitted, and out of every denominator"
        );
    }

    #[test]
    fn a_quarter_report_by_hand() {
        // Structure 1 (kind a): 6 in January, 2 in February; structure 2 (kind b): 7 in January.
        let mut facts = Vec::new();
        for i in 0..6 {
            let mut f = fact(1, "a", "2026-01-05");
            if i < 5 {
                f.first_contact_on = Some(d("2026-01-05") + chrono::Duration::days(i));
                f.attempts_to_contact = 2;
            }
            facts.push(f);
        }
        facts.push(fact(1, "a", "2026-02-02"));
        facts.push(fact(1, "a", "2026-02-03"));
        for _ in 0..7 {
            facts.push(fact(2, "b", "2026-01-20"));
        }
        // Outside the period: ignored.
        facts.push(fact(2, "b", "2026-04-01"));
        let r = Report::new(Period::parse("2026-Q1").expect("p"), d("2026-03-31"), facts);
        let jan = Some(Month {
            year: 2026,
            month: 1,
        });
        let feb = Some(Month {
            year: 2026,
            month: 2,
        });
        let s = Measure::Submitted;
        assert_eq!(r.count(s, Row::All, jan), Some(13));
        // February: 2 (small), alone in its column under kind a and in the territory: hidden
        // everywhere; the quarter of structure 1 (8) and of kind a and of all go with it.
        assert_eq!(r.count(s, Row::All, feb), None);
        assert_eq!(r.count(s, Row::All, None), None);
        assert_eq!(r.count(s, Row::Leaf(0), jan), Some(6));
        assert_eq!(r.count(s, Row::Leaf(1), None), Some(7));
        // 5 contacted of 6 in January for structure 1: shown; the territory's rate over 13
        // aged ones is 5/13.
        assert_eq!(r.count(Measure::Contacted, Row::Leaf(0), jan), Some(5));
        assert_eq!(
            r.rate(Measure::AgedContacted, Measure::Aged, Row::All, jan),
            Some(5.0 / 13.0)
        );
        // Days to contact 0, 1, 2, 3, 4: median 2; attempts 2 each.
        assert_eq!(r.median_days_to_contact(jan), Some(2.0));
        assert_eq!(r.attempts_per_contact(None), Some(2.0));
        assert_eq!(r.median_days_to_contact(feb), None);
        assert_eq!(r.active_structures(None), 2);
        assert_eq!(r.active_structures(feb), 1);
        assert_eq!(
            r.active_structures(Some(Month {
                year: 2026,
                month: 3
            })),
            0
        );
        for (published, sums) in r.all_tables() {
            assert!(disclosure::recoverable(&published, &sums).is_empty());
        }
    }

    #[test]
    fn the_j90_state_of_every_case() {
        let as_of = d("2026-06-30");
        let started = |on: &str| Fact {
            started_on: Some(d(on)),
            relayed: true,
            ..fact(1, "a", "2026-01-05")
        };
        // Started 1 April: due 30 June, on as_of: counted. Started 2 April: not due yet.
        assert_eq!(started("2026-04-01").j90(as_of), Some(J90::Unanswered));
        assert_eq!(started("2026-04-02").j90(as_of), None);
        assert_eq!(fact(1, "a", "2026-01-05").j90(as_of), None, "never started");
        let cases = [
            (Some("still_accompanied"), None, None, J90::Retained),
            (Some("positive_exit"), None, None, J90::Retained),
            (
                Some("dropped_out"),
                Some("failed"),
                Some("2026-06-30"),
                J90::NotRetained,
            ),
            (Some("lost_contact"), None, None, J90::NotRetained),
            // Ended before the due day without a J+90 answer: settled by how it ended.
            (
                None,
                Some("positive_exit"),
                Some("2026-05-01"),
                J90::Retained,
            ),
            (
                None,
                Some("programme_ended"),
                Some("2026-05-01"),
                J90::NotRetained,
            ),
            (None, Some("failed"), Some("2026-06-30"), J90::NotRetained),
            // Ended after the due day: the checkpoint was left unanswered.
            (None, Some("failed"), Some("2026-07-01"), J90::Unanswered),
            (None, None, None, J90::Unanswered),
        ];
        for (answer, end, end_on, expect) in cases {
            let f = Fact {
                j90_answer: answer.map(str::to_string),
                relay_end: end.map(str::to_string),
                relay_end_on: end_on.map(d),
                ..started("2026-04-01")
            };
            assert_eq!(f.j90(as_of), Some(expect), "{answer:?} {end:?} {end_on:?}");
            let settled = Measure::J90Settled.counts(&f, as_of);
            assert_eq!(settled, expect != J90::Unanswered);
            assert_eq!(
                Measure::J90Retained.counts(&f, as_of),
                expect == J90::Retained
            );
            assert_eq!(
                Measure::J90Unanswered.counts(&f, as_of),
                expect == J90::Unanswered
            );
        }
    }

    #[test]
    fn the_relay_measures_and_what_a_prescriber_sees() {
        let as_of = d("2026-03-31");
        let f = Fact {
            relayed: true,
            accepted: true,
            started_on: Some(d("2026-03-20")),
            ..fact(1, "a", "2026-03-01")
        };
        for m in [Measure::Relayed, Measure::Accepted, Measure::Started] {
            assert!(m.counts(&f, as_of), "{m:?}");
            assert!(!m.counts(
                &Fact {
                    duplicate: true,
                    ..f.clone()
                },
                as_of
            ));
        }
        // Off-platform only: apart.
        let off = Fact {
            off_relayed: true,
            off_started_on: Some(d("2026-03-10")),
            reached_on: Some(d("2026-03-03")),
            duplicate: true,
            ..fact(1, "a", "2026-03-01")
        };
        assert!(!Measure::Relayed.counts(&off, as_of) && !Measure::Started.counts(&off, as_of));
        assert!(!Measure::OffRelayed.counts(&off, as_of), "a duplicate");
        let seen = off.as_prescriber_sees();
        assert!(!seen.duplicate && seen.relayed);
        assert_eq!(seen.started_on, Some(d("2026-03-10")));
        assert_eq!(seen.first_contact_on, Some(d("2026-03-03")));
        for m in [
            Measure::Contacted,
            Measure::Relayed,
            Measure::Started,
            Measure::AgedRelayed,
        ] {
            assert!(m.counts(&seen, as_of), "{m:?}");
        }
        // The receiver's answer in time: 10 days exactly, among requests 10 days old.
        let relay = Fact {
            relayed: true,
            answered_on: Some(d("2026-03-11")),
            ..Fact::default()
        };
        let relay = Fact {
            submitted_on: d("2026-03-01"),
            ..relay
        };
        assert!(Measure::RequestAged.counts(&relay, as_of));
        assert!(Measure::AnsweredInTime.counts(&relay, as_of));
        let late = Fact {
            answered_on: Some(d("2026-03-12")),
            ..relay.clone()
        };
        assert!(!Measure::AnsweredInTime.counts(&late, as_of));
        let young = Fact {
            submitted_on: d("2026-03-22"),
            ..relay
        };
        assert!(!Measure::RequestAged.counts(&young, as_of));
    }

    #[test]
    fn every_definition_has_a_formula_with_its_unit() {
        for d in super::super::definitions::all() {
            let f = formula(d.code).unwrap_or_else(|| panic!("{}", d.code));
            if d.better.is_none() && !d.code.ends_with("_rate") {
                assert_eq!(f.unit(), "count", "{}", d.code);
            }
        }
        assert_eq!(
            formula("h3_median_days_to_start").map(Formula::unit),
            Some("days")
        );
        assert!(formula("nope").is_none());
    }
}

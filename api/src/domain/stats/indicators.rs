//! From the facts of a cohort (one per referral, read from the events by `db::stats`) to the
//! published tables: each count is one [`Breakdown`] (structures under prescriber kinds, by
//! month and, for a quarter, the quarter), protected together; rates and medians are computed
//! beside them and suppressed by the rules of `disclosure`.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::disclosure::{self, Breakdown, Row};
use super::period::{aged, Month, Period, H1_EARLY_DAYS, H2_MIN_AGE_DAYS};

/// One referral of the cohort (no identifier of the youth or the referral).
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

pub const MEASURES: [Measure; 8] = [
    Measure::Submitted,
    Measure::Contacted,
    Measure::Diagnosed,
    Measure::Aged,
    Measure::AgedContacted,
    Measure::AgedUnreachable,
    Measure::WithExit,
    Measure::Early,
];

impl Measure {
    fn counts(self, f: &Fact, as_of: NaiveDate) -> bool {
        let aged = !f.duplicate && aged(f.submitted_on, as_of, H2_MIN_AGE_DAYS);
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
        }
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
            first_contact_on: None,
            attempts_to_contact: 0,
            unreachable: false,
            diagnosed: false,
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
        assert_eq!(all, MEASURES, "aged 21 days exactly, exit 14 days after");
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
}

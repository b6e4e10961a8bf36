//! Statistical disclosure control: what of a figure may be shown.
//!
//! - A count from 1 to 4 is suppressed (returned as suppressed, never as 0); a true 0 is shown.
//! - A rate or a median is suppressed when its denominator is under 5 or its numerator is
//!   between 1 and 4 — and a rate also when its numerator or denominator count is suppressed
//!   (it would give the count back).
//! - Complementary suppression: a sum (a row, a column, a quarter, a kind over its
//!   structures) with exactly one suppressed term also loses its next-smallest term, so no
//!   suppressed value comes back by subtraction. A quarter with a suppressed month is
//!   suppressed.
//!
//! Every table of the statistics is one [`Protected`] set: cells (counts) and the sums that
//! bind them (`total = part + part + …`); the same set yields the month and the quarter views,
//! and the kind and the structure breakdowns, so they suppress the same cells.
//! [`recoverable`] is the independent check the tests run over every produced table.

/// The smallest count shown besides 0.
pub const MIN_SHOWN: u64 = 5;

/// Whether a count is suppressed by itself (the primary rule).
pub fn small(n: u64) -> bool {
    (1..MIN_SHOWN).contains(&n)
}

/// A rate `num / den` in [0, 1], or `None` when suppressed. `num_shown` / `den_shown` say
/// whether the counts themselves survived the tables' suppression.
pub fn rate(num: u64, den: u64, num_shown: bool, den_shown: bool) -> Option<f64> {
    let ok = den >= MIN_SHOWN && !small(num) && num_shown && den_shown && num <= den;
    ok.then(|| num as f64 / den as f64)
}

/// The median of `values` (mean of the two middle ones for an even count), or `None` when
/// fewer than [`MIN_SHOWN`] values.
pub fn median(values: &[i64]) -> Option<f64> {
    if (values.len() as u64) < MIN_SHOWN {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0
    })
}

/// `total = parts…`; a `strict` sum is suppressed as soon as one of its parts is (a quarter
/// over its months).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub total: usize,
    pub parts: Vec<usize>,
    pub strict: bool,
}

/// Cells and the sums that bind them, suppressed so that no hidden cell can be recomputed.
#[derive(Debug, Clone)]
pub struct Protected {
    raw: Vec<u64>,
    shown: Vec<bool>,
    sums: Vec<Sum>,
}

impl Protected {
    /// Applies the primary rule, then the strict sums and the complementary rule until
    /// nothing changes (each round hides at least one more cell, so it ends).
    pub fn new(raw: Vec<u64>, sums: Vec<Sum>) -> Protected {
        let shown = raw.iter().map(|&n| !small(n)).collect();
        let mut p = Protected { raw, shown, sums };
        while p.round() {}
        p
    }

    fn round(&mut self) -> bool {
        for i in 0..self.sums.len() {
            let s = &self.sums[i];
            if s.strict && self.shown[s.total] && s.parts.iter().any(|&c| !self.shown[c]) {
                self.shown[s.total] = false;
                return true;
            }
            let hidden = std::iter::once(s.total)
                .chain(s.parts.iter().copied())
                .filter(|&c| !self.shown[c])
                .count();
            if hidden != 1 {
                continue;
            }
            // The next-smallest shown part that is not a true 0 (hiding a 0 protects
            // nothing: the sum of the hidden cells stays known), else the total.
            let part = s
                .parts
                .iter()
                .copied()
                .filter(|&c| self.shown[c] && self.raw[c] > 0)
                .min_by_key(|&c| (self.raw[c], c));
            let pick = part.or((self.shown[s.total]).then_some(s.total));
            if let Some(c) = pick {
                self.shown[c] = false;
                return true;
            }
        }
        false
    }

    /// The value of a cell as published: `None` when suppressed.
    pub fn get(&self, cell: usize) -> Option<u64> {
        self.shown
            .get(cell)
            .copied()
            .unwrap_or(false)
            .then(|| self.raw[cell])
    }

    /// The raw value, for rates and medians computed beside the table (never published as is).
    pub fn raw(&self, cell: usize) -> u64 {
        self.raw.get(cell).copied().unwrap_or(0)
    }

    pub fn published(&self) -> Vec<Option<u64>> {
        (0..self.raw.len()).map(|c| self.get(c)).collect()
    }

    pub fn sums(&self) -> &[Sum] {
        &self.sums
    }
}

/// The check of the tests: which suppressed cells an outsider recomputes from the published
/// values by subtraction, applied again and again (a cell found gives the next one). Empty
/// when the tables are safe.
pub fn recoverable(published: &[Option<u64>], sums: &[Sum]) -> Vec<usize> {
    let mut known: Vec<bool> = published.iter().map(Option::is_some).collect();
    let mut found = Vec::new();
    loop {
        let mut progress = false;
        for s in sums {
            let unknown: Vec<usize> = std::iter::once(s.total)
                .chain(s.parts.iter().copied())
                .filter(|&c| !known[c])
                .collect();
            if let [c] = unknown[..] {
                known[c] = true;
                found.push(c);
                progress = true;
            }
        }
        if !progress {
            found.sort_unstable();
            found.dedup();
            return found;
        }
    }
}

/// A breakdown over months: rows are leaves (structures) grouped under parents (prescriber
/// kinds), plus one row for all; columns are the months of the period plus, for a quarter,
/// the quarter. Cell `(row, col)` of [`Breakdown::cell`]; sums over leaves per parent, over
/// parents for all, over months for the quarter (strict).
#[derive(Debug, Clone)]
pub struct Breakdown {
    pub parents: usize,
    /// The parent of each leaf.
    pub leaf_parent: Vec<usize>,
    pub months: usize,
    pub table: Protected,
}

/// A row of a [`Breakdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Leaf(usize),
    Parent(usize),
    All,
}

impl Breakdown {
    /// `counts[leaf][month]`; `leaf_parent[leaf]` < `parents`. With more than one month the
    /// last column is their total (the quarter).
    pub fn new(
        parents: usize,
        leaf_parent: Vec<usize>,
        counts: &[Vec<u64>],
        months: usize,
    ) -> Breakdown {
        let cols = Self::cols_for(months);
        let rows = leaf_parent.len() + parents + 1;
        let mut raw = vec![0u64; rows * cols];
        let at = |row: usize, col: usize| row * cols + col;
        let nl = leaf_parent.len();
        for (leaf, &parent) in leaf_parent.iter().enumerate() {
            for m in 0..months {
                let n = counts
                    .get(leaf)
                    .and_then(|r| r.get(m))
                    .copied()
                    .unwrap_or(0);
                raw[at(leaf, m)] += n;
                raw[at(nl + parent, m)] += n;
                raw[at(nl + parents, m)] += n;
            }
        }
        let mut sums = Vec::new();
        if cols > months {
            for row in 0..rows {
                for m in 0..months {
                    raw[at(row, months)] += raw[at(row, m)];
                }
                sums.push(Sum {
                    total: at(row, months),
                    parts: (0..months).map(|m| at(row, m)).collect(),
                    strict: true,
                });
            }
        }
        for col in 0..cols {
            for p in 0..parents {
                let parts = (0..nl)
                    .filter(|&l| leaf_parent[l] == p)
                    .map(|l| at(l, col))
                    .collect();
                sums.push(Sum {
                    total: at(nl + p, col),
                    parts,
                    strict: false,
                });
            }
            let parts = (0..parents).map(|p| at(nl + p, col)).collect();
            sums.push(Sum {
                total: at(nl + parents, col),
                parts,
                strict: false,
            });
        }
        Breakdown {
            parents,
            leaf_parent,
            months,
            table: Protected::new(raw, sums),
        }
    }

    fn cols_for(months: usize) -> usize {
        if months > 1 {
            months + 1
        } else {
            months
        }
    }

    /// The number of columns: the months, then the quarter's total when there are several.
    pub fn cols(&self) -> usize {
        Self::cols_for(self.months)
    }

    /// The index of a cell; `col == months` is the quarter.
    pub fn cell(&self, row: Row, col: usize) -> usize {
        let nl = self.leaf_parent.len();
        let r = match row {
            Row::Leaf(l) => l,
            Row::Parent(p) => nl + p,
            Row::All => nl + self.parents,
        };
        r * self.cols() + col
    }

    pub fn get(&self, row: Row, col: usize) -> Option<u64> {
        self.table.get(self.cell(row, col))
    }

    pub fn raw(&self, row: Row, col: usize) -> u64 {
        self.table.raw(self.cell(row, col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_1_to_4_are_suppressed_and_a_true_0_is_shown() {
        let hidden: Vec<u64> = (0..=10).filter(|&n| small(n)).collect();
        assert_eq!(hidden, [1, 2, 3, 4]);
        let p = Protected::new(vec![0, 1, 4, 5], vec![]);
        assert_eq!(p.published(), [Some(0), None, None, Some(5)]);
    }

    #[test]
    fn rates_need_five_in_the_denominator_and_no_small_numerator() {
        for den in 0..=8u64 {
            for num in 0..=den {
                let expect = den >= 5 && (num == 0 || num >= 5);
                assert_eq!(rate(num, den, true, true).is_some(), expect, "{num}/{den}");
            }
        }
        assert_eq!(rate(0, 5, true, true), Some(0.0));
        assert_eq!(rate(5, 8, true, true), Some(0.625));
        // A count hidden by the tables hides the rate that would give it back.
        assert_eq!(rate(6, 20, false, true), None);
        assert_eq!(rate(6, 20, true, false), None);
        assert_eq!(rate(6, 5, true, true), None, "never above 1");
    }

    #[test]
    fn medians_need_five_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1, 2, 3, 4]), None);
        assert_eq!(median(&[9, 1, 5, 3, 7]), Some(5.0));
        assert_eq!(median(&[9, 1, 5, 3, 7, 10]), Some(6.0));
        assert_eq!(median(&[2, 2, 2, 2, 3, 3]), Some(2.0));
    }

    /// One row `parts… = total` as cells 0..n (parts) and n (total).
    fn row(parts: &[u64]) -> Protected {
        let mut raw = parts.to_vec();
        raw.push(parts.iter().sum());
        let n = parts.len();
        Protected::new(
            raw,
            vec![Sum {
                total: n,
                parts: (0..n).collect(),
                strict: false,
            }],
        )
    }

    #[test]
    fn a_row_with_one_suppressed_cell_loses_its_next_smallest() {
        // 3 hidden; the next smallest is 7 (not 9, not the total).
        assert_eq!(row(&[3, 7, 9]).published(), [None, None, Some(9), Some(19)]);
        // A true 0 is never taken as the complement: it would protect nothing.
        assert_eq!(
            row(&[2, 0, 8, 12]).published(),
            [None, Some(0), None, Some(12), Some(22)]
        );
        // Two small cells protect each other.
        assert_eq!(row(&[2, 3, 8]).published(), [None, None, Some(8), Some(13)]);
        // Ties: the first of the smallest.
        assert_eq!(row(&[1, 6, 6]).published(), [None, None, Some(6), Some(13)]);
        // Nothing small: nothing hidden.
        assert_eq!(
            row(&[0, 5, 6]).published(),
            [Some(0), Some(5), Some(6), Some(11)]
        );
        // The only other cells are zeros: the total goes (it equals the hidden cell).
        assert_eq!(row(&[3, 0]).published(), [None, Some(0), None]);
        for parts in [
            [3u64, 7, 9].as_slice(),
            &[2, 0, 8, 12],
            &[3, 0],
            &[4, 4, 40],
        ] {
            let p = row(parts);
            assert!(
                recoverable(&p.published(), p.sums()).is_empty(),
                "{parts:?}"
            );
        }
    }

    #[test]
    fn the_checker_finds_what_subtraction_gives_back() {
        let sums = vec![Sum {
            total: 3,
            parts: vec![0, 1, 2],
            strict: false,
        }];
        // Primary suppression alone leaks: 19 − 7 − 9 = 3.
        assert_eq!(recoverable(&[None, Some(7), Some(9), Some(19)], &sums), [0]);
        assert!(recoverable(&[None, None, Some(9), Some(19)], &sums).is_empty());
        // A leak found gives the next one (a chain of sums).
        let chain = vec![
            Sum {
                total: 2,
                parts: vec![0, 1],
                strict: false,
            },
            Sum {
                total: 4,
                parts: vec![2, 3],
                strict: false,
            },
        ];
        assert_eq!(
            recoverable(&[Some(6), Some(5), None, None, Some(14)], &chain),
            [2, 3]
        );
    }

    #[test]
    fn a_quarter_with_a_suppressed_month_is_suppressed() {
        // One structure of one kind: months 6, 2, 9 → the quarter (17) goes with February,
        // and is itself February's complement in the row (17 − 6 − 9 has two unknowns). The
        // kind and the all rows repeat the structure's figures: hidden alike.
        let b = Breakdown::new(1, vec![0], &[vec![6, 2, 9]], 3);
        for r in [Row::Leaf(0), Row::Parent(0), Row::All] {
            assert_eq!(
                (0..4).map(|c| b.get(r, c)).collect::<Vec<_>>(),
                [Some(6), None, Some(9), None],
                "{r:?}"
            );
        }
        assert!(recoverable(&b.table.published(), b.table.sums()).is_empty());
    }

    #[test]
    fn kinds_and_structures_are_protected_together() {
        // Kind 0: structures a (months 12, 3, 8) and b (7, 9, 10); kind 1: structure c
        // (20, 21, 22).
        let b = Breakdown::new(
            2,
            vec![0, 0, 1],
            &[vec![12, 3, 8], vec![7, 9, 10], vec![20, 21, 22]],
            3,
        );
        let line = |r: Row| (0..4).map(|c| b.get(r, c)).collect::<Vec<_>>();
        // a's February (3) is small: a's quarter goes (strict), which protects it in a's row.
        // In February under kind 0, a is then alone hidden: b's 9 goes with it; b's quarter
        // goes (strict), and the two quarters protect each other under kind 0.
        assert_eq!(line(Row::Leaf(0)), [Some(12), None, Some(8), None]);
        assert_eq!(line(Row::Leaf(1)), [Some(7), None, Some(10), None]);
        assert_eq!(line(Row::Leaf(2)), [Some(20), Some(21), Some(22), Some(63)]);
        // The kinds and the total stay shown: each column's hidden cells are two or more.
        assert_eq!(
            line(Row::Parent(0)),
            [Some(19), Some(12), Some(18), Some(49)]
        );
        assert_eq!(line(Row::All), [Some(39), Some(33), Some(40), Some(112)]);
        assert!(recoverable(&b.table.published(), b.table.sums()).is_empty());
    }

    #[test]
    fn a_single_month_has_no_quarter_column() {
        let b = Breakdown::new(1, vec![0, 0], &[vec![2], vec![30]], 1);
        assert_eq!(b.cols(), 1);
        assert_eq!(
            [
                b.get(Row::Leaf(0), 0),
                b.get(Row::Leaf(1), 0),
                b.get(Row::All, 0)
            ],
            [None, None, Some(32)]
        );
        assert_eq!(b.raw(Row::Leaf(1), 0), 30);
    }

    /// Deterministic pseudo-random tables (a fixed LCG): whatever the shape and the counts,
    /// small counts are hidden, zeros are shown, and nothing hidden comes back.
    #[test]
    fn no_table_leaks_whatever_its_counts() {
        let mut seed: u64 = 0x5eed;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..2000 {
            let parents = 1 + next(3) as usize;
            let leaves = 1 + next(6) as usize;
            let leaf_parent: Vec<usize> =
                (0..leaves).map(|_| next(parents as u64) as usize).collect();
            let months = if next(2) == 0 { 1 } else { 3 };
            let counts: Vec<Vec<u64>> = (0..leaves)
                .map(|_| {
                    (0..months)
                        .map(|_| if next(3) == 0 { 0 } else { next(14) })
                        .collect()
                })
                .collect();
            let b = Breakdown::new(parents, leaf_parent, &counts, months);
            let published = b.table.published();
            for (c, v) in published.iter().enumerate() {
                let n = b.table.raw(c);
                if small(n) {
                    assert_eq!(*v, None);
                }
                if n == 0 {
                    assert_eq!(*v, Some(0));
                }
            }
            assert!(
                recoverable(&published, b.table.sums()).is_empty(),
                "{counts:?}"
            );
        }
    }
}

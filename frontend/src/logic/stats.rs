//! The dashboard's plain rules (issue 14): periods and their French names, the `as_of`
//! choices, how a published figure is written (a suppressed one is « masqué », never 0),
//! verdicts, the bars of a chart, the query of a report and the CSV of a table.
use api_types::{StatCount, StatValue};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::logic::format;
use crate::logic::query::{encode, with_query};

/// What a hidden figure reads as, everywhere (chart, table, CSV).
pub const MASKED: &str = "masqué";
/// A stage or an indicator the API does not count yet.
pub const SOON: &str = "bientôt disponible";

const MONTHS_SHORT: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A month or a quarter, the only periods the API takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

impl Period {
    /// `2026-03` or `2026-Q1` (`q` accepted).
    pub fn parse(s: &str) -> Option<Period> {
        let (y, rest) = s.split_once('-')?;
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let quarter: u32 = q.parse().ok()?;
            return (q.len() == 1 && (1..=4).contains(&quarter))
                .then_some(Period::Quarter { year, quarter });
        }
        let month: u32 = rest.parse().ok()?;
        (rest.len() == 2 && (1..=12).contains(&month)).then_some(Period::Month { year, month })
    }

    pub fn code(self) -> String {
        match self {
            Period::Month { year, month } => format!("{year:04}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    /// « mars 2026 », « 1er trimestre 2026 », « 3e trimestre 2026 ».
    pub fn label(self) -> String {
        match self {
            Period::Month { year, month } => format!("{} {year}", month_name(month)),
            Period::Quarter { year, quarter } => {
                let nth = if quarter == 1 {
                    "1er".into()
                } else {
                    format!("{quarter}e")
                };
                format!("{nth} trimestre {year}")
            }
        }
    }

    pub fn month_of(d: NaiveDate) -> Period {
        Period::Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn quarter_of(d: NaiveDate) -> Period {
        Period::Quarter {
            year: d.year(),
            quarter: (d.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        match self {
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
            Period::Quarter { year, quarter } => {
                NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)
            }
        }
    }
}

fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or_default()
}

/// The month before `m` (`(year, month)`).
fn previous(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// The periods offered: this quarter and the three before, then this month and the eleven
/// before, newest first, as (code, label).
pub fn period_choices(today: NaiveDate) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(16);
    let (mut y, mut q) = (today.year(), (today.month() - 1) / 3 + 1);
    for _ in 0..4 {
        let p = Period::Quarter {
            year: y,
            quarter: q,
        };
        out.push((p.code(), p.label()));
        (y, q) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    }
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..12 {
        let p = Period::Month { year: y, month: m };
        out.push((p.code(), p.label()));
        (y, m) = previous(y, m);
    }
    out
}

/// The dates a report may be computed at for a period: today (`""`, the API's default), then
/// the last day of each past month that is not before the period's start, newest first, at
/// most twelve.
pub fn as_of_choices(period: Period, today: NaiveDate) -> Vec<(String, String)> {
    let mut out = vec![(
        String::new(),
        format!("aujourd’hui ({})", format::date_short(today)),
    )];
    let Some(start) = period.first_day() else {
        return out;
    };
    let (mut y, mut m) = previous(today.year(), today.month());
    for _ in 0..12 {
        match last_day(y, m) {
            Some(end) if end >= start => {
                out.push((format::date_iso(end), format!("fin {} {y}", month_name(m))));
            }
            _ => break,
        }
        (y, m) = previous(y, m);
    }
    out
}

/// The month of a report's `months` (`2026-03`) in a table's header: « mars 2026 ».
pub fn month_label(code: &str) -> String {
    match Period::parse(code) {
        Some(p @ Period::Month { .. }) => p.label(),
        _ => code.to_string(),
    }
}

/// The same, short, under a chart's bar: « mars », « janv. ».
pub fn month_short(code: &str) -> String {
    match Period::parse(code) {
        Some(Period::Month { month, .. }) => MONTHS_SHORT
            .get(month as usize - 1)
            .copied()
            .unwrap_or_default()
            .to_string(),
        _ => code.to_string(),
    }
}

/// What a report is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsQuery {
    pub period: String,
    /// `None`: today (the API's default).
    pub as_of: Option<NaiveDate>,
    /// Administrators name one; others read their own.
    pub territory: Option<Uuid>,
    /// `prescriber_structure` or `receiving_structure` for a prescriber's or a receiver's own
    /// figures (« Mes chiffres »); `None`: the territory.
    pub scope: Option<&'static str>,
}

impl StatsQuery {
    pub fn new(period: Period) -> StatsQuery {
        StatsQuery {
            period: period.code(),
            as_of: None,
            territory: None,
            scope: None,
        }
    }

    /// `path?period=…&as_of=…&territory=…`, the absent ones left out.
    pub fn path(&self, base: &str) -> String {
        let as_of = self.as_of.map(format::date_iso).unwrap_or_default();
        let territory = self.territory.map(|t| t.to_string()).unwrap_or_default();
        with_query(
            base,
            &[
                ("period", &self.period),
                ("as_of", &as_of),
                ("territory", &territory),
                ("scope", self.scope.unwrap_or_default()),
            ],
        )
    }
}

/// The scope a role reads: its structure's for a prescriber or a receiver, else the
/// territory (`None`).
pub fn scope_of(role: api_types::Role) -> Option<&'static str> {
    match role {
        api_types::Role::Prescriber => Some("prescriber_structure"),
        api_types::Role::Receiver => Some("receiving_structure"),
        _ => None,
    }
}

/// A number in French: a decimal comma, at most `digits` decimals, no trailing zero, a narrow
/// no-break space between thousands (« 1 234 », « 2,5 »).
pub fn decimal(v: f64, digits: u32) -> String {
    let scale = 10f64.powi(digits as i32);
    let r = (v * scale).round() / scale;
    let neg = r < 0.0;
    let r = r.abs();
    let int = r.trunc() as u64;
    let frac = ((r - r.trunc()) * scale).round() as u64;
    let digits_int = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits_int.chars().enumerate() {
        if i > 0 && (digits_int.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    let mut out = if neg && (int > 0 || frac > 0) {
        format!("-{grouped}")
    } else {
        grouped
    };
    if frac > 0 {
        let f = format!("{frac:0width$}", width = digits as usize);
        out.push(',');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// A count as shown: its value, « masqué » when suppressed, « bientôt disponible » when the
/// API does not count it yet (`None`).
pub fn count_text(c: Option<&StatCount>) -> String {
    match c {
        None => SOON.into(),
        Some(StatCount {
            value: Some(v),
            suppressed: false,
        }) => decimal(*v as f64, 0),
        Some(_) => MASKED.into(),
    }
}

/// A figure with its unit: a rate (0 to 1) as « 42,5 % », days as « 3,5 jours », a mean as
/// « 2,3 », a count as « 12 ».
pub fn value_with_unit(unit: &str, v: f64) -> String {
    match unit {
        "rate" => format!("{}\u{a0}%", decimal(v * 100.0, 1)),
        "days" => {
            let n = decimal(v, 1);
            if v.abs() < 2.0 {
                format!("{n}\u{a0}jour")
            } else {
                format!("{n}\u{a0}jours")
            }
        }
        "mean" => decimal(v, 1),
        _ => decimal(v, 0),
    }
}

/// A figure as shown: [`value_with_unit`], « masqué » when suppressed, « bientôt disponible »
/// when not counted yet.
pub fn value_text(unit: &str, v: Option<&StatValue>) -> String {
    match v {
        None => SOON.into(),
        Some(StatValue {
            value: Some(x),
            suppressed: false,
        }) => value_with_unit(unit, *x),
        Some(_) => MASKED.into(),
    }
}

/// The figure of a count for a chart (`None` when hidden or not counted).
pub fn count_number(c: Option<&StatCount>) -> Option<f64> {
    c.filter(|c| !c.suppressed)
        .and_then(|c| c.value)
        .map(|v| v as f64)
}

/// The figure of a value for a chart (`None` when hidden or not counted).
pub fn value_number(v: Option<&StatValue>) -> Option<f64> {
    v.filter(|v| !v.suppressed).and_then(|v| v.value)
}

/// A verdict's French words and its DSFR badge class.
pub fn verdict(code: &str) -> Option<(&'static str, &'static str)> {
    match code {
        "met" => Some(("atteint", "fr-badge--success")),
        "not_met" => Some(("non atteint", "fr-badge--error")),
        "too_few_data" => Some(("trop peu de données", "fr-badge--info")),
        _ => None,
    }
}

/// « Objectif : au moins 60 % » (higher is better) or « au plus 10 jours » (lower).
pub fn target_text(unit: &str, better: Option<&str>, target: f64) -> String {
    let side = match better {
        Some("lower") => "au plus ",
        Some("higher") => "au moins ",
        _ => "",
    };
    format!("Objectif : {side}{}", value_with_unit(unit, target))
}

/// The hypothesis a group of indicators answers.
pub fn hypothesis_title(h: &str) -> &'static str {
    match h {
        "h1" => "H1 — Les prescripteurs orientent des jeunes",
        "h2" => "H2 — L’équipe SAS joint les jeunes",
        "h3" => "H3 — Les jeunes relayés sont pris en charge",
        _ => "Autres indicateurs",
    }
}

/// One bar of a chart: its length as a share of the longest (0 to 1), or `None` when the
/// figure is hidden or not counted (the bar is then drawn as a dashed outline, with its
/// word).
pub fn bar_shares(values: &[Option<f64>], scale_max: Option<f64>) -> Vec<Option<f64>> {
    let max = scale_max.unwrap_or_else(|| values.iter().flatten().copied().fold(0.0, f64::max));
    values
        .iter()
        .map(|v| {
            v.map(|x| {
                if max > 0.0 {
                    (x / max).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
        })
        .collect()
}

/// The scale of a unit's chart: rates up to 100 %, the rest up to their largest value.
pub fn scale_of(unit: &str) -> Option<f64> {
    (unit == "rate").then_some(1.0)
}

/// A CSV file (RFC 4180, comma, CRLF), fields quoted when they need it.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|f| {
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV as a link's address (`data:`), so that the table's figures download without a request.
pub fn csv_href(rows: &[Vec<String>]) -> String {
    format!("data:text/csv;charset=utf-8,{}", encode(&csv(rows)))
}

/// A count in a CSV: the number, « masqué », or « bientôt disponible ».
pub fn csv_count(c: Option<&StatCount>) -> String {
    match c {
        Some(StatCount {
            value: Some(v),
            suppressed: false,
        }) => v.to_string(),
        other => count_text(other),
    }
}

/// A value in a CSV: the number as the API gives it (a rate from 0 to 1), « masqué », or
/// « bientôt disponible ».
pub fn csv_value(v: Option<&StatValue>) -> String {
    match v {
        Some(StatValue {
            value: Some(x),
            suppressed: false,
        }) => decimal(*x, 4).replace('\u{202f}', "").replace(',', "."),
        other => value_text("", other),
    }
}

/// The order of a breakdown's rows: each prescriber kind, then the structures under it (a
/// structure whose kind has no row of its own comes last). `rows` are (dimension, code,
/// parent); the answer indexes them, with `true` for a kind row.
pub fn breakdown_order(rows: &[(&str, &str, Option<&str>)]) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, (dim, code, _)) in rows.iter().enumerate() {
        if *dim == "prescriber_kind" {
            out.push((i, true));
            out.extend(
                rows.iter()
                    .enumerate()
                    .filter(|(_, (d, _, p))| *d != "prescriber_kind" && *p == Some(*code))
                    .map(|(j, _)| (j, false)),
            );
        }
    }
    for (i, _) in rows.iter().enumerate() {
        if !out.iter().any(|(j, _)| *j == i) {
            out.push((i, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn count(v: Option<u64>) -> StatCount {
        StatCount {
            value: v,
            suppressed: v.is_none(),
        }
    }

    fn value(v: Option<f64>) -> StatValue {
        StatValue {
            value: v,
            suppressed: v.is_none(),
        }
    }

    #[test]
    fn periods_parse_and_print_as_the_api_takes_them() {
        for (s, p) in [
            (
                "2026-03",
                Period::Month {
                    year: 2026,
                    month: 3,
                },
            ),
            (
                "2026-12",
                Period::Month {
                    year: 2026,
                    month: 12,
                },
            ),
            (
                "2026-Q1",
                Period::Quarter {
                    year: 2026,
                    quarter: 1,
                },
            ),
            (
                "2026-q4",
                Period::Quarter {
                    year: 2026,
                    quarter: 4,
                },
            ),
        ] {
            assert_eq!(Period::parse(s), Some(p), "{s}");
        }
        assert_eq!(Period::parse("2026-q4").unwrap().code(), "2026-Q4");
        for bad in [
            "2026-13", "2026-00", "2026-3", "2026-Q5", "2026-Q0", "26-03", "2026", "", "2026-Q12",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::parse("2026-03").unwrap().label(), "mars 2026");
        assert_eq!(
            Period::parse("2026-Q1").unwrap().label(),
            "1er trimestre 2026"
        );
        assert_eq!(
            Period::parse("2026-Q3").unwrap().label(),
            "3e trimestre 2026"
        );
        assert_eq!(Period::quarter_of(d(2026, 12, 1)).code(), "2026-Q4");
        assert_eq!(Period::quarter_of(d(2026, 3, 31)).code(), "2026-Q1");
        assert_eq!(Period::quarter_of(d(2026, 4, 1)).code(), "2026-Q2");
        assert_eq!(Period::month_of(d(2026, 1, 31)).code(), "2026-01");
        assert_eq!(
            Period::parse("2026-Q2").unwrap().first_day(),
            Some(d(2026, 4, 1))
        );
    }

    #[test]
    fn the_choices_are_four_quarters_then_twelve_months_newest_first() {
        let c = period_choices(d(2026, 2, 10));
        let codes: Vec<&str> = c.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(&codes[..4], ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]);
        assert_eq!(&codes[4..7], ["2026-02", "2026-01", "2025-12"]);
        assert_eq!(codes.len(), 16);
        assert_eq!(codes[15], "2025-03");
        assert_eq!(c[4].1, "février 2026");
    }

    #[test]
    fn as_of_is_today_or_a_past_month_end_not_before_the_period() {
        let today = d(2026, 12, 1);
        let q4 = Period::parse("2026-Q4").unwrap();
        let c = as_of_choices(q4, today);
        assert_eq!(c[0].0, "");
        assert_eq!(c[0].1, "aujourd’hui (01/12/2026)");
        let dates: Vec<&str> = c[1..].iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(dates, ["2026-11-30", "2026-10-31"]);
        assert_eq!(c[1].1, "fin novembre 2026");
        // The current month: only today.
        assert_eq!(
            as_of_choices(Period::parse("2026-12").unwrap(), today).len(),
            1
        );
        // An old period: twelve month ends at most.
        assert_eq!(
            as_of_choices(Period::parse("2020-01").unwrap(), today).len(),
            13
        );
        // February's end in a leap year.
        let c = as_of_choices(Period::parse("2024-02").unwrap(), d(2024, 3, 5));
        assert_eq!(c[1].0, "2024-02-29");
    }

    #[test]
    fn the_query_leaves_out_what_is_absent() {
        let mut q = StatsQuery::new(Period::parse("2026-Q4").unwrap());
        assert_eq!(q.path("/stats/funnel"), "/stats/funnel?period=2026-Q4");
        q.as_of = Some(d(2026, 10, 31));
        q.territory = Some(Uuid::nil());
        assert_eq!(
            q.path("/stats/indicators"),
            "/stats/indicators?period=2026-Q4&as_of=2026-10-31&territory=00000000-0000-0000-0000-000000000000"
        );
        let mine = StatsQuery {
            scope: scope_of(api_types::Role::Receiver),
            ..StatsQuery::new(Period::parse("2026-11").unwrap())
        };
        assert_eq!(
            mine.path("/stats/export"),
            "/stats/export?period=2026-11&scope=receiving_structure"
        );
        assert_eq!(scope_of(api_types::Role::Pilot), None);
        assert_eq!(
            scope_of(api_types::Role::Prescriber),
            Some("prescriber_structure")
        );
    }

    #[test]
    fn numbers_are_written_the_french_way() {
        assert_eq!(decimal(0.0, 1), "0");
        assert_eq!(decimal(2.5, 1), "2,5");
        assert_eq!(decimal(2.04, 1), "2");
        assert_eq!(decimal(2.06, 1), "2,1");
        assert_eq!(decimal(1234.0, 0), "1\u{202f}234");
        assert_eq!(decimal(1_234_567.25, 2), "1\u{202f}234\u{202f}567,25");
        assert_eq!(decimal(999.96, 1), "1\u{202f}000");
        assert_eq!(decimal(-3.5, 1), "-3,5");
    }

    #[test]
    fn a_suppressed_figure_reads_masque_never_zero() {
        assert_eq!(count_text(Some(&count(Some(0)))), "0");
        assert_eq!(count_text(Some(&count(Some(12)))), "12");
        assert_eq!(count_text(Some(&count(None))), MASKED);
        // Suppressed wins even if a value came with it.
        let odd = StatCount {
            value: Some(3),
            suppressed: true,
        };
        assert_eq!(count_text(Some(&odd)), MASKED);
        assert_eq!(count_number(Some(&odd)), None);
        assert_eq!(count_text(None), SOON);
        assert_eq!(value_text("rate", Some(&value(None))), MASKED);
        assert_eq!(value_text("rate", None), SOON);
        assert_eq!(count_number(Some(&count(Some(0)))), Some(0.0));
        assert_eq!(value_number(Some(&value(Some(0.5)))), Some(0.5));
        assert_eq!(value_number(Some(&value(None))), None);
    }

    #[test]
    fn each_unit_has_its_words() {
        assert_eq!(value_text("rate", Some(&value(Some(0.425)))), "42,5\u{a0}%");
        assert_eq!(value_text("rate", Some(&value(Some(1.0)))), "100\u{a0}%");
        assert_eq!(
            value_text("days", Some(&value(Some(3.5)))),
            "3,5\u{a0}jours"
        );
        assert_eq!(value_text("days", Some(&value(Some(1.0)))), "1\u{a0}jour");
        assert_eq!(value_text("mean", Some(&value(Some(2.25)))), "2,3");
        assert_eq!(value_text("count", Some(&value(Some(40.0)))), "40");
    }

    #[test]
    fn verdicts_and_targets() {
        assert_eq!(verdict("met").unwrap().0, "atteint");
        assert_eq!(verdict("not_met").unwrap().0, "non atteint");
        assert_eq!(verdict("too_few_data").unwrap().0, "trop peu de données");
        assert_eq!(verdict("other"), None);
        assert_eq!(
            target_text("rate", Some("higher"), 0.6),
            "Objectif : au moins 60\u{a0}%"
        );
        assert_eq!(
            target_text("days", Some("lower"), 10.0),
            "Objectif : au plus 10\u{a0}jours"
        );
        assert_eq!(hypothesis_title("h2"), "H2 — L’équipe SAS joint les jeunes");
    }

    #[test]
    fn bars_are_shares_of_the_longest_and_hidden_ones_have_none() {
        assert_eq!(
            bar_shares(&[Some(10.0), None, Some(5.0), Some(0.0)], None),
            vec![Some(1.0), None, Some(0.5), Some(0.0)]
        );
        // All zeros: no division by zero.
        assert_eq!(bar_shares(&[Some(0.0)], None), vec![Some(0.0)]);
        // Rates on their own scale, clamped.
        assert_eq!(
            bar_shares(&[Some(0.25), Some(1.2)], scale_of("rate")),
            vec![Some(0.25), Some(1.0)]
        );
        assert_eq!(scale_of("days"), None);
    }

    #[test]
    fn a_breakdown_lists_each_kind_then_its_structures() {
        let rows = [
            ("prescriber_kind", "ase", None),
            ("prescriber_kind", "pjj", None),
            ("structure", "s1", Some("pjj")),
            ("structure", "s2", Some("ase")),
            ("structure", "s3", Some("ase")),
            ("structure", "s4", Some("gone")),
        ];
        assert_eq!(
            breakdown_order(&rows),
            vec![
                (0, true),
                (3, false),
                (4, false),
                (1, true),
                (2, false),
                (5, false)
            ]
        );
        assert_eq!(breakdown_order(&[]), vec![]);
    }

    #[test]
    fn months_are_named() {
        assert_eq!(month_label("2026-03"), "mars 2026");
        assert_eq!(month_short("2026-01"), "janv.");
        assert_eq!(month_short("2026-12"), "déc.");
        assert_eq!(month_short("garbage"), "garbage");
    }

    #[test]
    fn csv_quotes_what_needs_it_and_keeps_masked_words() {
        let rows = vec![
            vec!["Étape".into(), "Total".into()],
            vec![
                "Jointes, au moins une fois".into(),
                csv_count(Some(&count(None))),
            ],
            vec!["Dit \"oui\"".into(), csv_count(Some(&count(Some(7))))],
            vec!["Taux".into(), csv_value(Some(&value(Some(0.123456))))],
            vec!["Relayées".into(), csv_count(None)],
        ];
        assert_eq!(
            csv(&rows),
            "Étape,Total\r\n\"Jointes, au moins une fois\",masqué\r\n\"Dit \"\"oui\"\"\",7\r\nTaux,0.1235\r\nRelayées,bientôt disponible\r\n"
        );
        assert!(csv_href(&rows[..1])
            .starts_with("data:text/csv;charset=utf-8,%C3%89tape%2CTotal%0D%0A"));
    }
}

//! French formatting of dates, times, ages and exit-date countdowns.
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};

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

/// "1er mars 2026", "12 mars 2026".
pub fn date_long(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{day} {month} {}", d.year())
}

/// "12/03/2026".
pub fn date_short(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// "2026-03-12", as `<input type="date">` takes it (no strftime: it would weigh on the wasm).
pub fn date_iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A UTC instant shown in the user's time zone, given its offset east of UTC in minutes
/// (Paris in summer: +120): "12 mars 2026 à 14 h 05".
pub fn datetime_long(t: DateTime<Utc>, offset_minutes: i32) -> String {
    let local = t.naive_utc() + Duration::minutes(i64::from(offset_minutes));
    format!(
        "{} à {} h {:02}",
        date_long(local.date()),
        local.hour(),
        local.minute()
    )
}

/// The calendar day of a UTC instant in the user's time zone.
pub fn local_date(t: DateTime<Utc>, offset_minutes: i32) -> NaiveDate {
    (t.naive_utc() + Duration::minutes(i64::from(offset_minutes))).date()
}

/// Whole years between `birth` and `on` (the age on that day).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// "17 ans", "1 an".
pub fn age_label(years: i32) -> String {
    if years <= 1 {
        format!("{years} an")
    } else {
        format!("{years} ans")
    }
}

/// Compact countdown to the exit date, as caseworkers write it: "J-12", "J", "J+3".
pub fn countdown_short(days_to_exit: i64) -> String {
    match days_to_exit {
        0 => "J".to_string(),
        d if d > 0 => format!("J-{d}"),
        d => format!("J+{}", -d),
    }
}

/// The same countdown spelled out for screen readers and tooltips.
pub fn countdown_long(days_to_exit: i64) -> String {
    match days_to_exit {
        0 => "fin d’accompagnement aujourd’hui".to_string(),
        1 => "fin d’accompagnement demain".to_string(),
        -1 => "fin d’accompagnement dépassée d’un jour".to_string(),
        d if d > 0 => format!("fin d’accompagnement dans {d} jours"),
        d => format!("fin d’accompagnement dépassée de {} jours", -d),
    }
}

/// Parses an `<input type="date">` value (`YYYY-MM-DD`); empty or malformed is `None`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A phone number as the API stores it (E.164) shown the French way: `+33612345678` →
/// `06 12 34 56 78`; other numbers are left as they are.
pub fn phone(e164: &str) -> String {
    match e164.strip_prefix("+33") {
        Some(rest) if rest.len() == 9 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            let national = format!("0{rest}");
            national
                .as_bytes()
                .chunks(2)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        }
        _ => e164.to_string(),
    }
}

/// "1 résultat", "3 résultats", "aucun résultat".
pub fn count_label(n: usize, singular: &str, plural: &str) -> String {
    match n {
        0 => format!("aucun {singular}"),
        1 => format!("1 {singular}"),
        n => format!("{n} {plural}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn long_dates_are_french_with_premier() {
        assert_eq!(date_long(d(2026, 3, 12)), "12 mars 2026");
        assert_eq!(date_long(d(2026, 8, 1)), "1er août 2026");
        assert_eq!(date_long(d(2026, 12, 31)), "31 décembre 2026");
        assert_eq!(date_short(d(2026, 3, 2)), "02/03/2026");
    }

    #[test]
    fn datetimes_are_shown_in_the_users_offset() {
        let t = DateTime::parse_from_rfc3339("2026-03-12T13:05:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(datetime_long(t, 60), "12 mars 2026 à 14 h 05");
        let late = DateTime::parse_from_rfc3339("2026-07-31T22:30:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        assert_eq!(datetime_long(late, 120), "1er août 2026 à 0 h 30");
    }

    #[test]
    fn age_counts_birthdays_not_years() {
        assert_eq!(age_on(d(2008, 6, 15), d(2026, 6, 14)), 17);
        assert_eq!(age_on(d(2008, 6, 15), d(2026, 6, 15)), 18);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(age_label(17), "17 ans");
    }

    #[test]
    fn countdowns_read_like_caseworkers_write_them() {
        assert_eq!(countdown_short(12), "J-12");
        assert_eq!(countdown_short(0), "J");
        assert_eq!(countdown_short(-3), "J+3");
        assert_eq!(countdown_long(12), "fin d’accompagnement dans 12 jours");
        assert_eq!(
            countdown_long(-3),
            "fin d’accompagnement dépassée de 3 jours"
        );
        assert_eq!(countdown_long(1), "fin d’accompagnement demain");
    }

    #[test]
    fn phones_read_the_french_way() {
        assert_eq!(phone("+33612345678"), "06 12 34 56 78");
        assert_eq!(phone("+262692123456"), "+262692123456");
        assert_eq!(phone("0612"), "0612");
    }

    #[test]
    fn date_inputs_parse_or_are_absent() {
        assert_eq!(parse_date("2026-03-12"), Some(d(2026, 3, 12)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("12/03/2026"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(date_iso(d(2026, 3, 2)), "2026-03-02");
        assert_eq!(count_label(0, "dossier", "dossiers"), "aucun dossier");
        assert_eq!(count_label(2, "dossier", "dossiers"), "2 dossiers");
    }
}

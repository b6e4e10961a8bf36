//! The targets a pilot sets (`GET`/`PUT /stats/targets`): one per indicator that has a
//! direction (higher or lower is better). Rates are typed in percent, delays in days, the
//! attempts as a number; an empty field removes the target. Tested on the host.
use api_types::{FieldError, StatTargetInput, StatTargets, StatTargetsInput};
use uuid::Uuid;

use super::error::field_message;
use super::form::{Errors, FormField, FormModel};
use super::stats::decimal;

/// The indicators that take a target: (code, unit, input id, label).
pub const TARGETABLE: [(&str, &str, &str, &str); 9] = [
    (
        "h1_early_share",
        "rate",
        "objectif-h1-anticipees",
        "Orientations anticipées",
    ),
    (
        "h1_active_structures",
        "rate",
        "objectif-h1-structures",
        "Structures prescriptrices actives",
    ),
    (
        "h2_contact_rate",
        "rate",
        "objectif-h2-contact",
        "Taux de contact",
    ),
    (
        "h2_median_days_to_contact",
        "days",
        "objectif-h2-delai",
        "Délai médian avant contact",
    ),
    (
        "h2_unreachable_rate",
        "rate",
        "objectif-h2-injoignables",
        "Taux d’injoignables",
    ),
    (
        "h2_attempts_per_contact",
        "mean",
        "objectif-h2-tentatives",
        "Tentatives par contact",
    ),
    (
        "h3_started_rate",
        "rate",
        "objectif-h3-demarres",
        "Relais démarrés",
    ),
    (
        "h3_median_days_to_start",
        "days",
        "objectif-h3-delai",
        "Délai médian jusqu’au démarrage",
    ),
    (
        "h3_retained_j90_share",
        "rate",
        "objectif-h3-j90",
        "Maintien à J+90",
    ),
];

/// The longest delay a target may name (a year of days, and as many attempts).
pub const MAX_DAYS: f64 = 365.0;

/// A target's field: its place in [`TARGETABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Field(pub usize);

impl FormField for Field {
    fn id(self) -> &'static str {
        TARGETABLE.get(self.0).map_or("objectifs", |t| t.2)
    }

    fn label(self) -> &'static str {
        TARGETABLE.get(self.0).map_or("Objectifs", |t| t.3)
    }
}

/// What a field's unit is typed in, for its hint.
pub fn unit_hint(unit: &str) -> &'static str {
    match unit {
        "rate" => "En pourcentage, de 0 à 100",
        "days" => "En jours",
        _ => "Un nombre moyen",
    }
}

/// The targets as typed (one text per [`TARGETABLE`] entry), for a territory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TargetsForm {
    pub territory: Option<Uuid>,
    pub values: Vec<String>,
}

/// A decimal as typed (« 72,5 », « 72.5 % », « 10 »), read without `str::parse::<f64>` (its
/// weight in the wasm): digits, at most one separator, at most four decimals.
fn parse(s: &str) -> Option<f64> {
    let t = s
        .trim()
        .replace(['\u{a0}', '\u{202f}', ' '], "")
        .replace(',', ".");
    let t = t.strip_suffix('%').unwrap_or(&t);
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let (neg, int) = match int.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, int),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty())
        || !digits(int)
        || !digits(frac)
        || frac.len() > 4
        || int.len() > 9
    {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let part: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let v = whole as f64 + part as f64 / 10f64.powi(frac.len() as i32);
    Some(if neg { -v } else { v })
}

impl TargetsForm {
    /// The form of the targets read (rates back to percent), empty where none is set.
    pub fn from_targets(t: &StatTargets, territory: Option<Uuid>) -> TargetsForm {
        let values = TARGETABLE
            .iter()
            .map(|(code, unit, _, _)| {
                t.targets
                    .iter()
                    .find(|x| x.indicator == *code)
                    .map(|x| {
                        if *unit == "rate" {
                            decimal(x.value * 100.0, 2)
                        } else {
                            decimal(x.value, 2)
                        }
                    })
                    .map(|s| s.replace('\u{202f}', ""))
                    .unwrap_or_default()
            })
            .collect();
        TargetsForm { territory, values }
    }

    pub fn value(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }

    pub fn set(&mut self, i: usize, v: String) {
        if self.values.len() < TARGETABLE.len() {
            self.values.resize(TARGETABLE.len(), String::new());
        }
        if let Some(slot) = self.values.get_mut(i) {
            *slot = v;
        }
    }

    /// The body of `PUT /stats/targets`: every target in order, `null` for an empty field
    /// (which removes it), rates from percent to 0–1.
    pub fn to_request(&self, _: &()) -> Result<StatTargetsInput, Errors<Field>> {
        let errors = self.validate(&());
        if !errors.is_empty() {
            return Err(errors);
        }
        let targets = TARGETABLE
            .iter()
            .enumerate()
            .map(|(i, (code, unit, _, _))| StatTargetInput {
                indicator: code.to_string(),
                value: parse(self.value(i)).map(|v| {
                    if *unit == "rate" {
                        (v / 100.0 * 10_000.0).round() / 10_000.0
                    } else {
                        v
                    }
                }),
            })
            .collect();
        Ok(StatTargetsInput {
            territory_id: self.territory,
            targets,
        })
    }
}

impl FormModel for TargetsForm {
    type Field = Field;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<Field> {
        let mut e = Errors::new();
        for (i, (_, unit, _, _)) in TARGETABLE.iter().enumerate() {
            let raw = self.value(i);
            if raw.trim().is_empty() {
                continue;
            }
            match (parse(raw), *unit) {
                (None, _) => e.add(Field(i), "Écrivez un nombre, par exemple 60 ou 12,5."),
                (Some(v), "rate") if !(0.0..=100.0).contains(&v) => {
                    e.add(Field(i), "Un pourcentage entre 0 et 100.")
                }
                (Some(v), _) if !(0.0..=MAX_DAYS).contains(&v) => {
                    e.add(Field(i), format!("Un nombre entre 0 et {MAX_DAYS}."))
                }
                _ => {}
            }
        }
        e
    }

    /// `targets[3].value` (or `targets[3]`) goes to the fourth field.
    fn api_error(e: &FieldError) -> (Field, String) {
        let i = e
            .field
            .strip_prefix("targets[")
            .and_then(|r| r.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|i| *i < TARGETABLE.len())
            .unwrap_or(0);
        let message = match e.code.as_str() {
            "out_of_range" => "Cette valeur est hors des bornes permises.".to_string(),
            "not_a_target" => "Cet indicateur ne prend pas d’objectif.".to_string(),
            other => field_message(other),
        };
        (Field(i), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::StatTarget;
    use chrono::DateTime;

    fn form(values: &[(usize, &str)]) -> TargetsForm {
        let mut f = TargetsForm::default();
        for (i, v) in values {
            f.set(*i, v.to_string());
        }
        f
    }

    #[test]
    fn rates_are_typed_in_percent_and_sent_from_0_to_1_empty_removes() {
        let f = form(&[(0, "60"), (2, "72,5 %"), (3, "10"), (5, "2.5")]);
        let body = f.to_request(&()).unwrap();
        assert_eq!(body.targets.len(), TARGETABLE.len());
        assert_eq!(body.targets[0].indicator, "h1_early_share");
        assert_eq!(body.targets[0].value, Some(0.6));
        assert_eq!(body.targets[1].value, None);
        assert_eq!(body.targets[2].value, Some(0.725));
        assert_eq!(body.targets[3].value, Some(10.0));
        assert_eq!(body.targets[5].value, Some(2.5));
        assert_eq!(body.territory_id, None);
    }

    #[test]
    fn out_of_range_and_garbage_are_refused_on_their_field() {
        let f = form(&[
            (0, "101"),
            (3, "-1"),
            (4, "beaucoup"),
            (5, "400"),
            (6, "0"),
            (7, "1,2,3"),
        ]);
        let e = f.to_request(&()).unwrap_err();
        assert_eq!(e.get(Field(0)), Some("Un pourcentage entre 0 et 100."));
        assert!(e.get(Field(3)).is_some());
        assert_eq!(
            e.get(Field(4)),
            Some("Écrivez un nombre, par exemple 60 ou 12,5.")
        );
        assert!(e.get(Field(5)).is_some());
        assert_eq!(e.get(Field(6)), None);
        assert!(e.get(Field(7)).is_some());
        assert_eq!(e.len(), 5);
        for ok in ["0", ".5", "12,", "99,99", "60 %", " 7 "] {
            assert!(parse(ok).is_some(), "{ok}");
        }
        for bad in ["", ",", "1e3", "NaN", "inf", "1.23456", "+3", "--1"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        assert_eq!(parse("72,5"), Some(72.5));
    }

    #[test]
    fn targets_read_come_back_in_the_units_typed() {
        let t = StatTargets {
            territory_id: Uuid::nil(),
            targets: vec![
                StatTarget {
                    indicator: "h2_contact_rate".into(),
                    value: 0.725,
                    updated_at: DateTime::UNIX_EPOCH,
                },
                StatTarget {
                    indicator: "h2_median_days_to_contact".into(),
                    value: 7.0,
                    updated_at: DateTime::UNIX_EPOCH,
                },
            ],
        };
        let f = TargetsForm::from_targets(&t, Some(Uuid::nil()));
        assert_eq!(f.value(2), "72,5");
        assert_eq!(f.value(3), "7");
        assert_eq!(f.value(0), "");
        assert_eq!(f.to_request(&()).unwrap().targets[2].value, Some(0.725));
        assert_eq!(f.to_request(&()).unwrap().territory_id, Some(Uuid::nil()));
    }

    #[test]
    fn api_errors_land_on_their_target() {
        let e = FieldError {
            field: "targets[4].value".into(),
            code: "out_of_range".into(),
            message: String::new(),
        };
        assert_eq!(TargetsForm::api_error(&e).0, Field(4));
        let e = FieldError {
            field: "territory_id".into(),
            code: "required".into(),
            message: String::new(),
        };
        assert_eq!(TargetsForm::api_error(&e).0, Field(0));
        assert_eq!(Field(3).id(), "objectif-h2-delai");
        assert_eq!(Field(99).id(), "objectifs");
    }

    /// The API's definitions are the one source of which indicators take a target (those of
    /// the territory's `INDICATORS` with a `better` direction): this list must follow them,
    /// in their order, with the unit their code says.
    #[test]
    fn the_targetable_list_follows_the_apis_definitions() {
        const DEFINITIONS: &str = include_str!("../../../api/src/domain/stats/definitions.rs");
        let block = DEFINITIONS
            .split("pub const INDICATORS")
            .nth(1)
            .and_then(|b| b.split("];").next())
            .expect("the INDICATORS block of definitions.rs");
        let api: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("d(\"") && l.contains("Some(Better::"))
            .filter_map(|l| l.strip_prefix("d(\"")?.split('"').next())
            .collect();
        let ours: Vec<&str> = TARGETABLE.iter().map(|t| t.0).collect();
        assert_eq!(ours, api);
        for (code, unit, _, _) in TARGETABLE {
            let expected = if code.contains("median_days") {
                "days"
            } else if code.ends_with("_per_contact") {
                "mean"
            } else {
                "rate"
            };
            assert_eq!(unit, expected, "{code}");
        }
    }
}

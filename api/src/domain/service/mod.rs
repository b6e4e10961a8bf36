//! The local insertion offer: what a service may say (every vocabulary checked against the
//! data·inclusion v1 codes), its publication ([`lifecycle`]), its eligibility zone
//! ([`zone`]) and distances ([`geo`]). No HTTP, no SQL.
use api_types::{FieldError, ModeAccueil, ServiceInput};

use crate::domain::{text, vocab};

pub mod geo;
pub mod import;
pub mod lifecycle;
pub mod matching;
pub mod zone;

/// Longest free texts (descriptions may be long: data·inclusion advises up to 2,000).
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_TEXT: usize = 2_000;
pub const MAX_CODES: usize = 100;
pub const MAX_ZONE: usize = 500;
pub const MAX_PLACES: i32 = 100_000;

/// A service input whose every field has been checked (zone codes normalised, code lists
/// sorted and deduplicated). What still needs the database: the structure, the communes and
/// areas of the zone, the commune of the service.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid {
    pub input: ServiceInput,
    pub zone: Vec<zone::ZoneCode>,
}

fn errs_push(e: &mut Vec<FieldError>, field: impl Into<String>, code: &str, msg: &str) {
    e.push(FieldError::new(field, code, msg));
}

const MSG_REQUIRED: &str = "This field is required.";
const MSG_TOO_LONG: &str = "Too long.";
const MSG_NOM: &str = "Between 3 and 150 characters.";
const MSG_URL: &str = "An http(s) URL of at most 500 characters.";
const MSG_EMAIL: &str = "Not an email address.";
const MSG_PHONE: &str = "Digits, spaces and + . - ( ) only, 30 characters at most.";
const MSG_POSTAL: &str = "A postal code is 5 digits.";
const MSG_AGE: &str = "An age between 0 and 120.";
const MSG_AGE_ORDER: &str = "age_min must not be above age_max.";
const MSG_PLACES: &str = "Between 0 and 100000.";
const MSG_PLACES_ORDER: &str = "More places available than in all.";
const MSG_ZONE: &str = "A commune INSEE code, a département code, an EPCI SIREN, a région as R + code (R84) or france.";
const MSG_COORDS: &str = "Give both latitude and longitude, or neither.";
const MSG_TOO_MANY: &str = "Too many codes.";

fn opt(v: &mut Option<String>, field: &str, max: usize, e: &mut Vec<FieldError>) {
    *v = v.as_deref().and_then(text::clean_multiline);
    if v.as_deref().is_some_and(|s| s.chars().count() > max) {
        errs_push(e, field, "too_long", MSG_TOO_LONG);
    }
}

fn url(v: &mut Option<String>, field: &str, e: &mut Vec<FieldError>) {
    *v = v.as_deref().and_then(text::clean);
    if v.as_deref().is_some_and(|w| {
        w.len() > 500 || !(w.starts_with("https://") || w.starts_with("http://")) || w.contains(' ')
    }) {
        errs_push(e, field, "invalid_url", MSG_URL);
    }
}

/// Checks every code of `list` against the data·inclusion vocabulary `vocab_name`, then
/// sorts and deduplicates it.
fn codes(list: &mut Vec<String>, field: &str, vocab_name: &str, e: &mut Vec<FieldError>) {
    if list.len() > MAX_CODES {
        errs_push(e, field, "too_many", MSG_TOO_MANY);
        return;
    }
    for (i, c) in list.iter().enumerate() {
        if !vocab::is_known(vocab_name, c) {
            e.push(FieldError::new(
                format!("{field}[{i}]"),
                "unknown_code",
                format!("Use a code of the {vocab_name} vocabulary."),
            ));
        }
    }
    list.sort();
    list.dedup();
}

/// Whether an age fits a service's range (inclusive; `None` is unbounded).
pub fn age_fits(age: i32, min: Option<i32>, max: Option<i32>) -> bool {
    min.is_none_or(|m| age >= m) && max.is_none_or(|m| age <= m)
}

/// Checks a service input without the database, reporting every problem at once.
pub fn parse(mut b: ServiceInput) -> Result<Valid, Vec<FieldError>> {
    let mut e = Vec::new();
    let f = &mut b;
    match text::clean(&f.nom) {
        Some(n) if (3..=150).contains(&n.chars().count()) => f.nom = n,
        Some(_) => errs_push(&mut e, "nom", "invalid_length", MSG_NOM),
        None => errs_push(&mut e, "nom", "required", MSG_REQUIRED),
    }
    match text::clean_multiline(&f.description) {
        Some(d) if d.chars().count() <= MAX_DESCRIPTION => f.description = d,
        Some(_) => errs_push(&mut e, "description", "too_long", MSG_TOO_LONG),
        None => errs_push(&mut e, "description", "required", MSG_REQUIRED),
    }
    url(&mut f.lien_source, "lien_source", &mut e);
    url(&mut f.lien_mobilisation, "lien_mobilisation", &mut e);
    for (v, name) in [
        (&mut f.frais_precisions, "frais_precisions"),
        (&mut f.publics_precisions, "publics_precisions"),
        (&mut f.conditions_acces, "conditions_acces"),
        (&mut f.mobilisation_precisions, "mobilisation_precisions"),
        (&mut f.horaires_accueil, "horaires_accueil"),
    ] {
        opt(v, name, MAX_TEXT, &mut e);
    }
    for (v, name) in [
        (&mut f.adresse, "adresse"),
        (&mut f.complement_adresse, "complement_adresse"),
        (&mut f.contact_nom_prenom, "contact_nom_prenom"),
    ] {
        opt(v, name, 500, &mut e);
    }
    f.code_postal = f.code_postal.as_deref().and_then(text::clean);
    if f.code_postal
        .as_deref()
        .is_some_and(|p| p.len() != 5 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        errs_push(&mut e, "code_postal", "invalid_postal_code", MSG_POSTAL);
    }
    f.code_insee = f
        .code_insee
        .as_deref()
        .and_then(text::clean)
        .map(|c| c.to_ascii_uppercase());
    f.telephone = f.telephone.as_deref().and_then(text::clean);
    if f.telephone.as_deref().is_some_and(|p| {
        p.len() > 30
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +.-()".contains(c))
    }) {
        errs_push(&mut e, "telephone", "invalid_phone", MSG_PHONE);
    }
    f.courriel = f
        .courriel
        .as_deref()
        .and_then(text::clean)
        .map(|c| c.to_lowercase());
    if f.courriel.as_deref().is_some_and(|c| !text::is_email(c)) {
        errs_push(&mut e, "courriel", "invalid_email", MSG_EMAIL);
    }
    codes(&mut f.thematiques, "thematiques", "thematiques", &mut e);
    codes(&mut f.publics, "publics", "publics", &mut e);
    codes(
        &mut f.modes_mobilisation,
        "modes_mobilisation",
        "modes-mobilisation",
        &mut e,
    );
    codes(
        &mut f.mobilisable_par,
        "mobilisable_par",
        "personnes-mobilisatrices",
        &mut e,
    );
    f.modes_accueil.sort();
    f.modes_accueil.dedup();
    for (v, name) in [(f.age_min, "age_min"), (f.age_max, "age_max")] {
        if v.is_some_and(|a| !(0..=120).contains(&a)) {
            errs_push(&mut e, name, "out_of_range", MSG_AGE);
        }
    }
    if let (Some(lo), Some(hi)) = (f.age_min, f.age_max) {
        if lo > hi {
            errs_push(&mut e, "age_max", "age_range", MSG_AGE_ORDER);
        }
    }
    if f.volume_horaire_hebdomadaire
        .is_some_and(|v| !(0.0..=168.0).contains(&v))
    {
        errs_push(
            &mut e,
            "volume_horaire_hebdomadaire",
            "out_of_range",
            "Between 0 and 168.",
        );
    }
    if f.nombre_semaines.is_some_and(|v| !(0..=520).contains(&v)) {
        errs_push(
            &mut e,
            "nombre_semaines",
            "out_of_range",
            "Between 0 and 520.",
        );
    }
    match (f.latitude, f.longitude) {
        (Some(la), Some(lo)) => {
            if !(-90.0..=90.0).contains(&la) {
                errs_push(&mut e, "latitude", "out_of_range", "Between -90 and 90.");
            }
            if !(-180.0..=180.0).contains(&lo) {
                errs_push(&mut e, "longitude", "out_of_range", "Between -180 and 180.");
            }
        }
        (None, None) => {}
        _ => errs_push(&mut e, "longitude", "coordinates_pair", MSG_COORDS),
    }
    if let Some(c) = &f.capacity {
        for (v, name) in [
            (c.available, "capacity.available"),
            (c.maximum, "capacity.maximum"),
        ] {
            if v.is_some_and(|n| !(0..=MAX_PLACES).contains(&n)) {
                errs_push(&mut e, name, "out_of_range", MSG_PLACES);
            }
        }
        if let (Some(a), Some(m)) = (c.available, c.maximum) {
            if a > m {
                errs_push(
                    &mut e,
                    "capacity.available",
                    "above_maximum",
                    MSG_PLACES_ORDER,
                );
            }
        }
    }
    let mut zone = Vec::new();
    if f.zone_eligibilite.len() > MAX_ZONE {
        errs_push(&mut e, "zone_eligibilite", "too_many", MSG_TOO_MANY);
    } else {
        for (i, raw) in f.zone_eligibilite.iter().enumerate() {
            match zone::parse(raw) {
                Some(z) => zone.push(z),
                None => errs_push(
                    &mut e,
                    format!("zone_eligibilite[{i}]"),
                    "invalid_zone",
                    MSG_ZONE,
                ),
            }
        }
    }
    // `france` covers everything else: keep it alone.
    if zone.contains(&zone::ZoneCode::France) {
        zone = vec![zone::ZoneCode::France];
    }
    let mut codes_z: Vec<String> = zone.iter().map(zone::ZoneCode::code).collect();
    codes_z.sort();
    codes_z.dedup();
    f.zone_eligibilite = codes_z;
    if !e.is_empty() {
        return Err(e);
    }
    Ok(Valid { input: b, zone })
}

/// What publishing needs beyond a valid service: a way of being received and, in person, a
/// place to be received at.
pub fn publication_gaps(modes: &[ModeAccueil], has_position: bool) -> Vec<FieldError> {
    let mut e = Vec::new();
    if modes.is_empty() {
        errs_push(
            &mut e,
            "modes_accueil",
            "required_to_publish",
            "Say how people are received (en-presentiel, a-distance) before publishing.",
        );
    } else if modes.contains(&ModeAccueil::EnPresentiel) && !has_position {
        errs_push(
            &mut e,
            "code_insee",
            "required_to_publish",
            "An in-person service needs a place (its commune, its coordinates or its structure's) before publishing.",
        );
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::CapacityInput;

    fn input() -> ServiceInput {
        ServiceInput {
            nom: "Atelier CV".into(),
            description: "Un atelier pour écrire son CV.".into(),
            ..Default::default()
        }
    }

    fn fields(r: Result<Valid, Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_minimal_service_is_valid_and_lists_are_cleaned() {
        let mut s = input();
        s.thematiques = vec![
            "trouver-un-emploi--repondre-a-des-offres-demploi".into(),
            "numerique--acquerir-un-equipement".into(),
            "numerique--acquerir-un-equipement".into(),
        ];
        s.zone_eligibilite = vec!["69".into(), "200046977".into(), "69".into(), "r84".into()];
        let v = parse(s).expect("valid");
        assert_eq!(v.input.thematiques.len(), 2);
        assert_eq!(v.input.zone_eligibilite, vec!["200046977", "69", "R84"]);
    }

    #[test]
    fn every_vocabulary_is_checked_against_data_inclusion() {
        let mut s = input();
        s.thematiques = vec!["emploi".into()];
        s.publics = vec!["jeunes".into(), "ados".into()];
        s.modes_mobilisation = vec!["pigeon".into()];
        s.mobilisable_par = vec!["usagers".into(), "robots".into()];
        assert_eq!(
            fields(parse(s)),
            vec![
                ("thematiques[0]".to_string(), "unknown_code".to_string()),
                ("publics[1]".into(), "unknown_code".into()),
                ("modes_mobilisation[0]".into(), "unknown_code".into()),
                ("mobilisable_par[1]".into(), "unknown_code".into()),
            ]
        );
    }

    #[test]
    fn bounds_and_shapes_are_checked_all_at_once() {
        let mut s = input();
        s.nom = "ab".into();
        s.description = "  ".into();
        s.age_min = Some(26);
        s.age_max = Some(18);
        s.capacity = Some(CapacityInput {
            available: Some(5),
            maximum: Some(3),
        });
        s.zone_eligibilite = vec!["Lyon".into()];
        s.courriel = Some("nope".into());
        s.latitude = Some(45.0);
        s.lien_source = Some("ftp://x".into());
        let got = fields(parse(s));
        for want in [
            ("nom", "invalid_length"),
            ("description", "required"),
            ("age_max", "age_range"),
            ("capacity.available", "above_maximum"),
            ("zone_eligibilite[0]", "invalid_zone"),
            ("courriel", "invalid_email"),
            ("longitude", "coordinates_pair"),
            ("lien_source", "invalid_url"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{want:?} in {got:?}"
            );
        }
    }

    #[test]
    fn france_covers_the_rest_of_a_zone() {
        let mut s = input();
        s.zone_eligibilite = vec!["69".into(), "99100".into()];
        assert_eq!(
            parse(s).expect("valid").input.zone_eligibilite,
            vec!["france"]
        );
    }

    #[test]
    fn the_code_enums_are_the_data_inclusion_vocabularies() {
        fn same(name: &str, codes: Vec<&str>) {
            let v: Vec<&str> = vocab::get(name)
                .expect(name)
                .items
                .iter()
                .map(|i| i.0)
                .collect();
            assert_eq!(v, codes, "{name}");
        }
        same(
            "types-de-services",
            api_types::ServiceType::ALL
                .iter()
                .map(|c| c.as_str())
                .collect(),
        );
        same(
            "frais",
            api_types::Frais::ALL.iter().map(|c| c.as_str()).collect(),
        );
        same(
            "modes-accueil",
            ModeAccueil::ALL.iter().map(|c| c.as_str()).collect(),
        );
    }

    #[test]
    fn ages_are_inclusive_and_open_ended() {
        assert!(age_fits(16, Some(16), Some(25)));
        assert!(age_fits(25, Some(16), Some(25)));
        assert!(!age_fits(15, Some(16), Some(25)));
        assert!(!age_fits(26, Some(16), Some(25)));
        assert!(age_fits(99, Some(16), None));
        assert!(age_fits(0, None, Some(25)));
        assert!(age_fits(40, None, None));
    }

    #[test]
    fn publishing_needs_a_reception_mode_and_a_place_in_person() {
        use ModeAccueil::*;
        assert_eq!(publication_gaps(&[], true).len(), 1);
        assert_eq!(
            publication_gaps(&[EnPresentiel], false)[0].field,
            "code_insee"
        );
        assert!(publication_gaps(&[EnPresentiel], true).is_empty());
        assert!(publication_gaps(&[ADistance], false).is_empty());
    }
}

//! Matching (issue 12, `docs/MATCHING.md`): which published services fit one young person,
//! and why. Hard filters first (published, not full, eligible zone, age), then a score: the
//! diagnostic's needs weighted by their priority, the distance against the young person's
//! mobility, the reception modes they can use, the places available. Every criterion says,
//! in French, whether it is met. The order is total: score (desc), distance, id.
use std::cmp::Ordering;

use api_types::{
    ExclusionReason, FieldError, MatchCriterion, MatchCriterionCode as Code, ServiceStatus,
};
use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::{age_fits, zone};
use crate::domain::vocab;

/// Points of a need met, by its rank in the diagnostic (1st, 2nd, 3rd); each need after the
/// third gives [`NEED_POINTS_AFTER`].
pub const NEED_POINTS: [i32; 3] = [30, 20, 10];
pub const NEED_POINTS_AFTER: i32 = 5;
/// Points of the other criteria when met.
pub const ZONE_POINTS: i32 = 5;
pub const DISTANCE_POINTS: i32 = 15;
pub const RECEPTION_POINTS: i32 = 10;
pub const PLACES_POINTS: i32 = 10;
/// In-person services further than this are never proposed (the search's default radius);
/// remote ones are, whatever the distance.
pub const MAX_RADIUS_KM: f64 = 50.0;
/// How far the young person can go, by means of transport (the best of those they have).
pub const REACH_KM: [(&str, f64); 6] = [
    ("vehicule", 50.0),
    ("deux_roues", 40.0),
    ("permis_b", 30.0),
    ("transports_en_commun", 20.0),
    ("velo", 10.0),
    ("aucune", 5.0),
];
/// Reach when the diagnostic says nothing of mobility.
pub const REACH_UNKNOWN_KM: f64 = 20.0;
/// Digital access that rules out remote reception.
pub const NO_REMOTE: &str = "sans_acces";

const IN_PERSON: &str = "en-presentiel";
const REMOTE: &str = "a-distance";

/// The young person, as the matching sees them.
#[derive(Debug, Clone)]
pub struct Youth<'a> {
    pub age: i32,
    /// data·inclusion thematiques, most important first.
    pub needs: &'a [String],
    /// `mobility` codes.
    pub mobility: &'a [String],
    /// `digital-access` code.
    pub digital_access: Option<&'a str>,
    pub place: &'a zone::Place,
    pub commune_name: &'a str,
}

/// A service, as the matching sees it.
#[derive(Debug, Clone)]
pub struct Offer<'a> {
    pub id: Uuid,
    pub status: ServiceStatus,
    pub thematiques: &'a [String],
    pub modes_accueil: &'a [String],
    pub zone: &'a [String],
    pub age_min: Option<i32>,
    pub age_max: Option<i32>,
    pub places_available: Option<i32>,
    /// Kilometres from the young person's commune (`None`: no position).
    pub distance_km: Option<f64>,
}

/// Why a service is not proposed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    NotPublished,
    Full,
    OutOfZone,
    Age,
    /// In person only, and further than [`MAX_RADIUS_KM`] (or with no position).
    TooFar,
}

/// A service that passed the hard filters, scored and explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub score: i32,
    pub criteria: Vec<MatchCriterion>,
}

/// The young person's age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Points of the need of rank `rank` (0: the first).
pub fn need_points(rank: usize) -> i32 {
    NEED_POINTS.get(rank).copied().unwrap_or(NEED_POINTS_AFTER)
}

/// How far the young person can go.
pub fn reach_km(mobility: &[String]) -> f64 {
    if mobility.is_empty() {
        return REACH_UNKNOWN_KM;
    }
    REACH_KM
        .iter()
        .filter(|(code, _)| mobility.iter().any(|m| m == code))
        .map(|(_, km)| *km)
        .fold(0.0, f64::max)
}

/// Whether the young person can be received remotely (unknown: yes).
pub fn can_use_remote(digital_access: Option<&str>) -> bool {
    digital_access != Some(NO_REMOTE)
}

fn has(modes: &[String], m: &str) -> bool {
    modes.iter().any(|x| x == m)
}

/// The hard filters, in order: published, not full (0 places known), eligible zone (an empty
/// zone passes, as unknown), age within the range (bounds included), and an in-person-only
/// service within [`MAX_RADIUS_KM`].
pub fn hard_filter(y: &Youth, o: &Offer) -> Result<(), Rejection> {
    if o.status != ServiceStatus::Published {
        return Err(Rejection::NotPublished);
    }
    if o.places_available == Some(0) || o.places_available.is_some_and(|p| p < 0) {
        return Err(Rejection::Full);
    }
    if zone::eligibility(o.zone, y.place).is_none() {
        return Err(Rejection::OutOfZone);
    }
    if !age_fits(y.age, o.age_min, o.age_max) {
        return Err(Rejection::Age);
    }
    if !has(o.modes_accueil, REMOTE) && !o.distance_km.is_some_and(|d| d <= MAX_RADIUS_KM) {
        return Err(Rejection::TooFar);
    }
    Ok(())
}

fn label(vocabulary: &str, code: &str) -> String {
    vocab::get(vocabulary)
        .and_then(|v| v.items.iter().find(|(c, _)| *c == code))
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn km(d: f64) -> String {
    let r = (d * 10.0).round() / 10.0;
    format!("{r} km").replace('.', ",")
}

fn line(code: Code, met: bool, points: i32, text: String) -> MatchCriterion {
    MatchCriterion {
        code,
        met,
        text,
        points: if met { points } else { 0 },
    }
}

/// One line per need, in the diagnostic's order.
pub fn needs(y: &Youth, o: &Offer) -> Vec<MatchCriterion> {
    y.needs
        .iter()
        .enumerate()
        .map(|(i, need)| {
            let met = o.thematiques.iter().any(|t| t == need);
            let name = label("thematiques", need);
            let rank = i + 1;
            let text = if met {
                format!("Répond au besoin n° {rank} : {name}")
            } else {
                format!("Ne répond pas au besoin n° {rank} : {name}")
            };
            line(Code::Need, met, need_points(i), text)
        })
        .collect()
}

pub fn zone_line(y: &Youth, o: &Offer) -> MatchCriterion {
    match zone::eligibility(o.zone, y.place) {
        Some(api_types::Eligibility::Eligible) => line(
            Code::Zone,
            true,
            ZONE_POINTS,
            format!("Zone d’éligibilité : couvre {}", y.commune_name),
        ),
        _ => line(
            Code::Zone,
            false,
            ZONE_POINTS,
            "Zone d’éligibilité non renseignée : à vérifier auprès de la structure".to_string(),
        ),
    }
}

pub fn age_line(y: &Youth, o: &Offer) -> MatchCriterion {
    let met = age_fits(y.age, o.age_min, o.age_max);
    let range = match (o.age_min, o.age_max) {
        (None, None) => "sans limite d’âge".to_string(),
        (Some(a), None) => format!("à partir de {a} ans"),
        (None, Some(b)) => format!("jusqu’à {b} ans"),
        (Some(a), Some(b)) => format!("de {a} à {b} ans"),
    };
    let text = if met {
        format!("Âge : {} ans, service {range}", y.age)
    } else {
        format!("Âge : {} ans, hors du service ({range})", y.age)
    };
    line(Code::Age, met, 0, text)
}

pub fn distance_line(y: &Youth, o: &Offer) -> MatchCriterion {
    let reach = reach_km(y.mobility);
    let in_person = has(o.modes_accueil, IN_PERSON) || !has(o.modes_accueil, REMOTE);
    let remote = has(o.modes_accueil, REMOTE);
    match (in_person, o.distance_km) {
        (false, _) => line(
            Code::Distance,
            true,
            DISTANCE_POINTS,
            "À distance : pas de déplacement".to_string(),
        ),
        (true, Some(d)) if d <= reach => line(
            Code::Distance,
            true,
            DISTANCE_POINTS,
            format!(
                "À {} : accessible avec sa mobilité (jusqu’à {})",
                km(d),
                km(reach)
            ),
        ),
        (true, Some(d)) => line(
            Code::Distance,
            false,
            DISTANCE_POINTS,
            format!(
                "À {} : au-delà de ce que permet sa mobilité ({}){}",
                km(d),
                km(reach),
                if remote {
                    ", mais possible à distance"
                } else {
                    ""
                }
            ),
        ),
        (true, None) => line(
            Code::Distance,
            false,
            DISTANCE_POINTS,
            "Adresse non localisée : distance inconnue".to_string(),
        ),
    }
}

pub fn reception_line(y: &Youth, o: &Offer) -> MatchCriterion {
    let remote_ok = can_use_remote(y.digital_access);
    let in_person = has(o.modes_accueil, IN_PERSON) || !has(o.modes_accueil, REMOTE);
    let remote = has(o.modes_accueil, REMOTE);
    let (met, text) = match (in_person, remote, remote_ok) {
        (true, true, true) => (true, "Accueil sur place ou à distance"),
        (true, true, false) => (
            true,
            "Accueil sur place (pas d’accès numérique pour le distanciel)",
        ),
        (true, false, _) => (true, "Accueil sur place"),
        (false, _, true) => (true, "Accueil à distance, et le jeune a un accès numérique"),
        (false, _, false) => (
            false,
            "Accueil à distance seulement, et le jeune n’a pas d’accès numérique",
        ),
    };
    line(Code::Reception, met, RECEPTION_POINTS, text.to_string())
}

pub fn places_line(o: &Offer) -> MatchCriterion {
    match o.places_available {
        Some(n) if n > 0 => line(
            Code::Places,
            true,
            PLACES_POINTS,
            if n == 1 {
                "1 place disponible".to_string()
            } else {
                format!("{n} places disponibles")
            },
        ),
        Some(_) => line(Code::Places, false, PLACES_POINTS, "Complet".to_string()),
        None => line(
            Code::Places,
            false,
            PLACES_POINTS,
            "Places disponibles non renseignées".to_string(),
        ),
    }
}

/// The hard filters, then every criterion and the score.
pub fn evaluate(y: &Youth, o: &Offer) -> Result<Evaluation, Rejection> {
    hard_filter(y, o)?;
    let mut criteria = needs(y, o);
    criteria.push(zone_line(y, o));
    criteria.push(age_line(y, o));
    criteria.push(distance_line(y, o));
    criteria.push(reception_line(y, o));
    criteria.push(places_line(o));
    let score = criteria.iter().map(|c| c.points).sum();
    Ok(Evaluation { score, criteria })
}

/// The order of the matches: score (highest first), distance (nearest first, unknown last),
/// id — total, so the same data always gives the same list.
pub fn order(a: (i32, Option<f64>, Uuid), b: (i32, Option<f64>, Uuid)) -> Ordering {
    let dist = |d: Option<f64>| d.filter(|x| x.is_finite()).unwrap_or(f64::MAX);
    b.0.cmp(&a.0)
        .then_with(|| dist(a.1).total_cmp(&dist(b.1)))
        .then_with(|| a.2.cmp(&b.2))
}

/// Longest note of an exclusion.
pub const EXCLUSION_NOTE_MAX: usize = 500;

/// Checks an exclusion's reason and note: the note is trimmed (empty is none), required with
/// `other`, at most [`EXCLUSION_NOTE_MAX`] characters.
pub fn parse_exclusion(
    reason: ExclusionReason,
    note: Option<String>,
) -> Result<Option<String>, Vec<FieldError>> {
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    match note {
        None if reason == ExclusionReason::Other => Err(vec![FieldError::new(
            "note",
            "required",
            "Say why when the reason is other.",
        )]),
        Some(n) if n.chars().count() > EXCLUSION_NOTE_MAX => Err(vec![FieldError::new(
            "note",
            "too_long",
            format!("At most {EXCLUSION_NOTE_MAX} characters."),
        )]),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPLOI: &str = "trouver-un-emploi--repondre-a-des-offres-demploi";
    const CV: &str = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation";
    const NUMERIQUE: &str = "numerique--maitriser-les-fondamentaux-du-numerique";

    fn lyon_3e() -> zone::Place {
        zone::Place {
            insee: "69383".into(),
            parent_insee: Some("69123".into()),
            epci: Some("200046977".into()),
            departement: "69".into(),
            region: Some("84".into()),
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    struct Fixture {
        place: zone::Place,
        needs: Vec<String>,
        mobility: Vec<String>,
        th: Vec<String>,
        modes: Vec<String>,
        zone: Vec<String>,
    }

    fn fixture() -> Fixture {
        Fixture {
            place: lyon_3e(),
            needs: s(&[EMPLOI, CV, NUMERIQUE]),
            mobility: s(&["transports_en_commun"]),
            th: s(&[EMPLOI]),
            modes: s(&[IN_PERSON]),
            zone: s(&["69"]),
        }
    }

    fn youth(f: &Fixture) -> Youth<'_> {
        Youth {
            age: 19,
            needs: &f.needs,
            mobility: &f.mobility,
            digital_access: Some("autonome"),
            place: &f.place,
            commune_name: "Lyon 3e Arrondissement",
        }
    }

    fn offer(f: &Fixture) -> Offer<'_> {
        Offer {
            id: Uuid::nil(),
            status: ServiceStatus::Published,
            thematiques: &f.th,
            modes_accueil: &f.modes,
            zone: &f.zone,
            age_min: Some(16),
            age_max: Some(25),
            places_available: None,
            distance_km: Some(3.0),
        }
    }

    #[test]
    fn only_published_services_are_proposed() {
        let f = fixture();
        for st in ServiceStatus::ALL {
            let o = Offer {
                status: *st,
                ..offer(&f)
            };
            let r = hard_filter(&youth(&f), &o);
            if *st == ServiceStatus::Published {
                assert_eq!(r, Ok(()));
            } else {
                assert_eq!(r, Err(Rejection::NotPublished), "{st}");
            }
        }
    }

    #[test]
    fn a_full_service_is_not_proposed_and_unknown_places_are() {
        let f = fixture();
        for (places, expected) in [
            (Some(0), Err(Rejection::Full)),
            (Some(-1), Err(Rejection::Full)),
            (Some(1), Ok(())),
            (None, Ok(())),
        ] {
            let o = Offer {
                places_available: places,
                ..offer(&f)
            };
            assert_eq!(hard_filter(&youth(&f), &o), expected, "{places:?}");
        }
    }

    #[test]
    fn the_zone_rule_is_the_search_s() {
        let mut f = fixture();
        for (z, ok) in [
            (vec!["69383"], true),
            (vec!["69123"], true),
            (vec!["200046977"], true),
            (vec!["69"], true),
            (vec!["R84"], true),
            (vec!["france"], true),
            (vec![], true),
            (vec!["69266"], false),
            (vec!["38"], false),
            (vec!["R11"], false),
            (vec!["84"], false),
        ] {
            f.zone = s(&z);
            let r = hard_filter(&youth(&f), &offer(&f));
            assert_eq!(r.is_ok(), ok, "{z:?}");
            if !ok {
                assert_eq!(r, Err(Rejection::OutOfZone));
            }
        }
        f.zone = vec![];
        let line = zone_line(&youth(&f), &offer(&f));
        assert!(
            !line.met && line.text.contains("non renseignée"),
            "{line:?}"
        );
        f.zone = s(&["69"]);
        let line = zone_line(&youth(&f), &offer(&f));
        assert!(line.met && line.points == ZONE_POINTS, "{line:?}");
    }

    #[test]
    fn age_bounds_are_inclusive_and_none_is_unbounded() {
        let f = fixture();
        for (age, min, max, ok) in [
            (16, Some(16), Some(25), true),
            (25, Some(16), Some(25), true),
            (15, Some(16), Some(25), false),
            (26, Some(16), Some(25), false),
            (29, None, None, true),
            (15, None, Some(15), true),
            (16, None, Some(15), false),
            (18, Some(18), None, true),
            (17, Some(18), None, false),
        ] {
            let y = Youth { age, ..youth(&f) };
            let o = Offer {
                age_min: min,
                age_max: max,
                ..offer(&f)
            };
            let r = hard_filter(&y, &o);
            assert_eq!(r.is_ok(), ok, "{age} {min:?} {max:?}");
            if !ok {
                assert_eq!(r, Err(Rejection::Age));
            }
            assert_eq!(age_line(&y, &o).met, ok);
        }
    }

    #[test]
    fn age_is_counted_in_whole_years_at_the_birthday() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(age_on(d(2008, 3, 2), d(2026, 3, 1)), 17);
        assert_eq!(age_on(d(2008, 3, 2), d(2026, 3, 2)), 18);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(age_on(d(2000, 12, 31), d(2026, 1, 1)), 25);
    }

    #[test]
    fn in_person_only_services_beyond_the_radius_or_unplaced_are_not_proposed_remote_always_are() {
        let mut f = fixture();
        for (modes, d, ok) in [
            (vec![IN_PERSON], Some(50.0), true),
            (vec![IN_PERSON], Some(50.1), false),
            (vec![IN_PERSON], None, false),
            (vec![], Some(49.0), true),
            (vec![], None, false),
            (vec![REMOTE], None, true),
            (vec![REMOTE], Some(600.0), true),
            (vec![IN_PERSON, REMOTE], Some(600.0), true),
        ] {
            f.modes = s(&modes);
            let o = Offer {
                distance_km: d,
                ..offer(&f)
            };
            let r = hard_filter(&youth(&f), &o);
            assert_eq!(r.is_ok(), ok, "{modes:?} {d:?}");
            if !ok {
                assert_eq!(r, Err(Rejection::TooFar));
            }
        }
    }

    #[test]
    fn reach_is_the_best_means_of_transport() {
        assert_eq!(reach_km(&[]), REACH_UNKNOWN_KM);
        for (code, km) in REACH_KM {
            assert_eq!(reach_km(&s(&[code])), km, "{code}");
            assert!(vocab::is_known("mobility", code), "{code}");
        }
        assert_eq!(reach_km(&s(&["velo", "vehicule"])), 50.0);
        assert_eq!(reach_km(&s(&["aucune", "transports_en_commun"])), 20.0);
    }

    #[test]
    fn distance_is_met_within_the_youth_s_reach_and_always_for_remote_only() {
        let mut f = fixture();
        for (mob, modes, d, met) in [
            (
                vec!["transports_en_commun"],
                vec![IN_PERSON],
                Some(20.0),
                true,
            ),
            (
                vec!["transports_en_commun"],
                vec![IN_PERSON],
                Some(20.1),
                false,
            ),
            (vec!["aucune"], vec![IN_PERSON], Some(4.9), true),
            (vec!["aucune"], vec![IN_PERSON], Some(5.1), false),
            (vec!["vehicule"], vec![IN_PERSON], Some(45.0), true),
            (vec![], vec![IN_PERSON], Some(19.0), true),
            (vec![], vec![IN_PERSON], Some(21.0), false),
            (vec!["aucune"], vec![REMOTE], Some(300.0), true),
            (vec!["aucune"], vec![REMOTE], None, true),
            (vec!["aucune"], vec![IN_PERSON, REMOTE], Some(30.0), false),
            (vec!["aucune"], vec![IN_PERSON], None, false),
        ] {
            f.mobility = s(&mob);
            f.modes = s(&modes);
            let o = Offer {
                distance_km: d,
                ..offer(&f)
            };
            let l = distance_line(&youth(&f), &o);
            assert_eq!(l.met, met, "{mob:?} {modes:?} {d:?}: {}", l.text);
            assert_eq!(l.points, if met { DISTANCE_POINTS } else { 0 });
            assert_eq!(l.code, Code::Distance);
        }
        f.mobility = s(&["aucune"]);
        f.modes = s(&[IN_PERSON, REMOTE]);
        let o = Offer {
            distance_km: Some(30.0),
            ..offer(&f)
        };
        let l = distance_line(&youth(&f), &o);
        assert!(
            l.text.contains("30 km") && l.text.contains("à distance"),
            "{}",
            l.text
        );
    }

    #[test]
    fn reception_needs_a_mode_the_youth_can_use() {
        let mut f = fixture();
        for (modes, digital, met) in [
            (vec![IN_PERSON], Some("sans_acces"), true),
            (vec![IN_PERSON], Some("autonome"), true),
            (vec![REMOTE], Some("autonome"), true),
            (vec![REMOTE], Some("acces_limite"), true),
            (vec![REMOTE], Some("equipe_non_autonome"), true),
            (vec![REMOTE], None, true),
            (vec![REMOTE], Some("sans_acces"), false),
            (vec![IN_PERSON, REMOTE], Some("sans_acces"), true),
            (vec![], Some("sans_acces"), true),
        ] {
            f.modes = s(&modes);
            let y = Youth {
                digital_access: digital,
                ..youth(&f)
            };
            let l = reception_line(&y, &offer(&f));
            assert_eq!(l.met, met, "{modes:?} {digital:?}");
            assert_eq!(l.points, if met { RECEPTION_POINTS } else { 0 });
        }
        assert!(vocab::is_known("digital-access", NO_REMOTE));
    }

    #[test]
    fn places_count_when_known_and_available() {
        let f = fixture();
        for (p, met, text) in [
            (Some(3), true, "3 places disponibles"),
            (Some(1), true, "1 place disponible"),
            (None, false, "Places disponibles non renseignées"),
            (Some(0), false, "Complet"),
        ] {
            let o = Offer {
                places_available: p,
                ..offer(&f)
            };
            let l = places_line(&o);
            assert_eq!((l.met, l.text.as_str()), (met, text));
            assert_eq!(l.points, if met { PLACES_POINTS } else { 0 });
        }
    }

    #[test]
    fn needs_are_weighted_by_their_priority() {
        let mut f = fixture();
        f.needs = s(&[
            EMPLOI,
            CV,
            NUMERIQUE,
            "mobilite--etre-accompagne-dans-son-parcours-mobilite",
        ]);
        assert!(f.needs.iter().all(|n| vocab::is_known("thematiques", n)));
        for (th, points) in [
            (vec![EMPLOI], 30),
            (vec![CV], 20),
            (vec![NUMERIQUE], 10),
            (
                vec!["mobilite--etre-accompagne-dans-son-parcours-mobilite"],
                5,
            ),
            (vec![EMPLOI, CV], 50),
            (vec![EMPLOI, CV, NUMERIQUE], 60),
            (vec![], 0),
        ] {
            f.th = s(&th);
            let lines = needs(&youth(&f), &offer(&f));
            assert_eq!(lines.len(), 4);
            assert_eq!(
                lines.iter().map(|l| l.points).sum::<i32>(),
                points,
                "{th:?}"
            );
            for (i, l) in lines.iter().enumerate() {
                assert_eq!(l.met, th.contains(&f.needs[i].as_str()));
                assert!(l.text.contains(&format!("n° {}", i + 1)), "{}", l.text);
            }
        }
        assert_eq!(need_points(0), 30);
        assert_eq!(need_points(9), NEED_POINTS_AFTER);
        // A need met first outranks two lower ones.
        assert!(need_points(0) > need_points(1) + need_points(2) - 1);
    }

    #[test]
    fn the_score_sums_the_criteria_in_a_fixed_order() {
        let f = fixture();
        let o = Offer {
            places_available: Some(2),
            ..offer(&f)
        };
        let e = evaluate(&youth(&f), &o).expect("proposed");
        let codes: Vec<Code> = e.criteria.iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            [
                Code::Need,
                Code::Need,
                Code::Need,
                Code::Zone,
                Code::Age,
                Code::Distance,
                Code::Reception,
                Code::Places
            ]
        );
        assert_eq!(
            e.score,
            30 + ZONE_POINTS + DISTANCE_POINTS + RECEPTION_POINTS + PLACES_POINTS
        );
        assert_eq!(
            e.criteria[0].text,
            "Répond au besoin n° 1 : Répondre à des offres d’emploi"
        );
        assert_eq!(
            e.criteria[1].text,
            "Ne répond pas au besoin n° 2 : Réaliser un CV et/ou une lettre de motivation"
        );
        let none = Offer {
            status: ServiceStatus::Draft,
            ..offer(&f)
        };
        assert_eq!(evaluate(&youth(&f), &none), Err(Rejection::NotPublished));
    }

    #[test]
    fn the_order_is_score_then_distance_then_id() {
        let id = |n: u128| Uuid::from_u128(n);
        let mut v = vec![
            (50, Some(10.0), id(3)),
            (60, Some(30.0), id(9)),
            (50, None, id(1)),
            (50, Some(2.0), id(7)),
            (50, Some(2.0), id(5)),
            (70, None, id(2)),
        ];
        v.sort_by(|a, b| order(*a, *b));
        assert_eq!(
            v.iter().map(|x| x.2).collect::<Vec<_>>(),
            [id(2), id(9), id(5), id(7), id(3), id(1)]
        );
        // Any starting order gives the same list.
        let mut w = v.clone();
        w.reverse();
        w.sort_by(|a, b| order(*a, *b));
        assert_eq!(v, w);
        assert_eq!(
            order((1, Some(f64::NAN), id(1)), (1, None, id(1))),
            Ordering::Equal
        );
    }

    #[test]
    fn an_exclusion_needs_a_note_with_other_only_and_bounded() {
        for r in ExclusionReason::ALL {
            let none = parse_exclusion(*r, None);
            let blank = parse_exclusion(*r, Some("   ".into()));
            if *r == ExclusionReason::Other {
                assert!(none.is_err() && blank.is_err(), "{r}");
            } else {
                assert_eq!(none, Ok(None), "{r}");
                assert_eq!(blank, Ok(None), "{r}");
            }
            assert_eq!(
                parse_exclusion(*r, Some(" Déjà suivi ".into())),
                Ok(Some("Déjà suivi".into()))
            );
            let long = "é".repeat(EXCLUSION_NOTE_MAX + 1);
            let e = parse_exclusion(*r, Some(long)).expect_err("too long");
            assert_eq!(e[0].code, "too_long");
            assert!(parse_exclusion(*r, Some("é".repeat(EXCLUSION_NOTE_MAX))).is_ok());
        }
    }
}

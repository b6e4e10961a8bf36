//! Eligibility zones (`zone_eligibilite`): which codes a service may list, and whether a
//! zone covers a commune. A commune is covered by its own code, its parent commune's (an
//! arrondissement of Paris, Lyon or Marseille), its EPCI, its département, its région, or
//! `france`. An empty zone says nothing: the service is included as `zone_unknown`.
use api_types::Eligibility;

/// The whole country (data·inclusion also writes it as the country code `99100`).
pub const FRANCE: &str = "france";
const FRANCE_COUNTRY_CODE: &str = "99100";
/// Prefix of a région in a zone (`R84`): data·inclusion v1 has no région code (a bare `84`
/// is Vaucluse), so the export lists the région's départements instead.
pub const REGION_PREFIX: char = 'R';

/// What one zone code names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneCode {
    Commune(String),
    Epci(String),
    Departement(String),
    Region(String),
    France,
}

impl ZoneCode {
    /// The code as stored (and matched).
    pub fn code(&self) -> String {
        match self {
            ZoneCode::Commune(c) | ZoneCode::Epci(c) | ZoneCode::Departement(c) => c.clone(),
            ZoneCode::Region(r) => format!("{REGION_PREFIX}{r}"),
            ZoneCode::France => FRANCE.to_string(),
        }
    }
}

fn is_departement(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        2 => {
            (b[0].is_ascii_digit() && b[1].is_ascii_digit() && s != "00" && s != "20")
                || s == "2A"
                || s == "2B"
        }
        // Overseas départements: 971 to 976.
        3 => s.starts_with("97") && (b'1'..=b'6').contains(&b[2]),
        _ => false,
    }
}

/// Parses one code by its shape (existence is checked against the communes table by the
/// caller). `None`: no known shape.
pub fn parse(raw: &str) -> Option<ZoneCode> {
    let s = raw.trim();
    if s.eq_ignore_ascii_case(FRANCE) || s == FRANCE_COUNTRY_CODE {
        return Some(ZoneCode::France);
    }
    let upper = s.to_ascii_uppercase();
    if let Some(r) = upper.strip_prefix(REGION_PREFIX) {
        return (r.len() == 2 && r.bytes().all(|b| b.is_ascii_digit()))
            .then(|| ZoneCode::Region(r.to_string()));
    }
    if upper.len() == 9 && upper.bytes().all(|b| b.is_ascii_digit()) {
        return Some(ZoneCode::Epci(upper));
    }
    if upper.len() == 5 {
        let b = upper.as_bytes();
        let corsica = upper.starts_with("2A") || upper.starts_with("2B");
        let digits = b.iter().all(u8::is_ascii_digit);
        if (digits && !upper.starts_with("99"))
            || (corsica && b[2..].iter().all(u8::is_ascii_digit))
        {
            return Some(ZoneCode::Commune(upper));
        }
        return None;
    }
    is_departement(&upper).then_some(ZoneCode::Departement(upper))
}

/// The commune a search is made from, with the areas it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub insee: String,
    pub parent_insee: Option<String>,
    pub epci: Option<String>,
    pub departement: String,
    pub region: Option<String>,
}

/// Every zone code that covers `place`: what a service's zone must share with it.
pub fn keys(place: &Place) -> Vec<String> {
    let mut k = vec![place.insee.clone()];
    k.extend(place.parent_insee.clone());
    k.extend(place.epci.clone());
    k.push(place.departement.clone());
    k.extend(place.region.as_ref().map(|r| format!("{REGION_PREFIX}{r}")));
    k.push(FRANCE.to_string());
    k
}

/// Whether a service whose zone is `zone` is shown for `place`, and how.
pub fn eligibility(zone: &[String], place: &Place) -> Option<Eligibility> {
    if zone.is_empty() {
        return Some(Eligibility::ZoneUnknown);
    }
    let keys = keys(place);
    zone.iter()
        .any(|z| keys.contains(z))
        .then_some(Eligibility::Eligible)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lyon_3e() -> Place {
        Place {
            insee: "69383".into(),
            parent_insee: Some("69123".into()),
            epci: Some("200046977".into()),
            departement: "69".into(),
            region: Some("84".into()),
        }
    }

    fn z(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn codes_are_told_apart_by_their_shape() {
        assert_eq!(parse("69123"), Some(ZoneCode::Commune("69123".into())));
        assert_eq!(parse("2a004"), Some(ZoneCode::Commune("2A004".into())));
        assert_eq!(parse("200046977"), Some(ZoneCode::Epci("200046977".into())));
        assert_eq!(parse("69"), Some(ZoneCode::Departement("69".into())));
        assert_eq!(parse("2B"), Some(ZoneCode::Departement("2B".into())));
        assert_eq!(parse("974"), Some(ZoneCode::Departement("974".into())));
        assert_eq!(parse("R84"), Some(ZoneCode::Region("84".into())));
        assert_eq!(parse("france"), Some(ZoneCode::France));
        assert_eq!(parse("99100"), Some(ZoneCode::France));
        for bad in [
            "", "6", "20", "00", "977", "R8", "R840", "99134", "6912", "ABCDE", "Lyon",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse("R84").map(|c| c.code()), Some("R84".to_string()));
    }

    #[test]
    fn a_commune_is_covered_by_itself_its_parent_its_epci_departement_region_and_france() {
        let p = lyon_3e();
        for zone in [
            &["69383"][..],
            &["69123"],
            &["200046977"],
            &["69"],
            &["R84"],
            &["france"],
            &["75056", "69"],
        ] {
            assert_eq!(
                eligibility(&z(zone), &p),
                Some(Eligibility::Eligible),
                "{zone:?}"
            );
        }
    }

    #[test]
    fn a_neighbouring_area_does_not_cover_it() {
        let p = lyon_3e();
        // Another arrondissement, Villeurbanne, another EPCI, Vaucluse (84 is not the région),
        // another région.
        for zone in [
            &["69384"][..],
            &["69266"],
            &["200040715"],
            &["84"],
            &["38"],
            &["R93"],
        ] {
            assert_eq!(eligibility(&z(zone), &p), None, "{zone:?}");
        }
    }

    #[test]
    fn an_empty_zone_is_unknown_and_shown() {
        assert_eq!(eligibility(&[], &lyon_3e()), Some(Eligibility::ZoneUnknown));
    }

    #[test]
    fn a_commune_without_parent_or_epci_has_fewer_keys() {
        let p = Place {
            insee: "97411".into(),
            parent_insee: None,
            epci: None,
            departement: "974".into(),
            region: None,
        };
        assert_eq!(keys(&p), z(&["97411", "974", "france"]));
    }
}

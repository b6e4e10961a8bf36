//! The public directory's search: what the page's address holds (so a search can be shared
//! and bookmarked), the API query it becomes, and how a result is told in French.
use api_types::{Eligibility, ModeAccueil, ServiceResult};
use serde::{Deserialize, Serialize};

use crate::logic::query::with_query;

/// A search of the directory, as the page's query string holds it (`/annuaire?commune=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferSearch {
    /// INSEE code of the commune.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub commune: String,
    /// How the commune was shown ("Villeurbanne (69100)"), kept so a shared link reads well.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lieu: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub thematique: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub age: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
}

impl OfferSearch {
    /// Whether there is enough to search (a commune).
    pub fn ready(&self) -> bool {
        !self.commune.is_empty()
    }

    /// `GET /services/search` for this search.
    pub fn query(&self, limit: u32, cursor: Option<&str>) -> String {
        let limit = limit.to_string();
        let age = self
            .age
            .trim()
            .parse::<u8>()
            .map(|a| a.to_string())
            .unwrap_or_default();
        with_query(
            "/services/search",
            &[
                ("commune", &self.commune),
                ("thematiques", &self.thematique),
                ("age", &age),
                ("q", self.q.trim()),
                ("limit", &limit),
                ("cursor", cursor.unwrap_or_default()),
            ],
        )
    }
}

/// "à 3,2 km", or how a remote service is reached.
pub fn distance(r: &ServiceResult) -> String {
    let remote = r.modes_accueil.contains(&ModeAccueil::ADistance);
    let in_person = r.modes_accueil.contains(&ModeAccueil::EnPresentiel);
    match (r.distance_km, remote, in_person) {
        (_, true, false) => "À distance".into(),
        (Some(d), true, true) => format!("À {} · aussi à distance", km(d)),
        (Some(d), _, _) => format!("À {}", km(d)),
        (None, _, _) => "Lieu non précisé".into(),
    }
}

fn km(d: f64) -> String {
    if d < 1.0 {
        "moins d’1 km".into()
    } else {
        format!("{} km", format!("{d:.1}").replace('.', ","))
    }
}

/// What the result says of its eligibility zone.
pub fn eligibility(e: Eligibility) -> &'static str {
    match e {
        Eligibility::Eligible => "Accessible depuis cette commune",
        Eligibility::ZoneUnknown => "Zone d’accueil non précisée",
    }
}

/// "16 à 25 ans", "À partir de 18 ans"…; `None` when the service admits every age.
pub fn ages(min: Option<i32>, max: Option<i32>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{a} à {b} ans")),
        (Some(a), None) => Some(format!("À partir de {a} ans")),
        (None, Some(b)) => Some(format!("Jusqu’à {b} ans")),
        (None, None) => None,
    }
}

/// "4 places disponibles sur 10", "Complet"…
pub fn places(available: Option<i32>, maximum: Option<i32>) -> Option<String> {
    match (available, maximum) {
        (Some(0), _) => Some("Complet pour le moment".into()),
        (Some(1), Some(m)) => Some(format!("1 place disponible sur {m}")),
        (Some(a), Some(m)) => Some(format!("{a} places disponibles sur {m}")),
        (Some(1), None) => Some("1 place disponible".into()),
        (Some(a), None) => Some(format!("{a} places disponibles")),
        (None, Some(m)) => Some(format!("{m} places en tout")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_round_trips_and_the_query_leaves_out_what_is_empty() {
        let s = OfferSearch {
            commune: "69266".into(),
            lieu: "Villeurbanne (69100)".into(),
            thematique: "numerique--acceder-a-une-connexion-internet".into(),
            age: " 17 ".into(),
            q: " atelier cv ".into(),
        };
        assert_eq!(
            s.query(20, None),
            "/services/search?commune=69266&thematiques=numerique--acceder-a-une-connexion-internet&age=17&q=atelier%20cv&limit=20"
        );
        let bare = OfferSearch {
            commune: "69266".into(),
            age: "douze".into(),
            ..Default::default()
        };
        assert_eq!(
            bare.query(20, Some("abc")),
            "/services/search?commune=69266&limit=20&cursor=abc"
        );
        assert!(bare.ready() && !OfferSearch::default().ready());
    }

    #[test]
    fn results_are_told_in_french() {
        assert_eq!(km(3.24), "3,2 km");
        assert_eq!(km(0.2), "moins d’1 km");
        assert_eq!(ages(Some(16), Some(25)).as_deref(), Some("16 à 25 ans"));
        assert_eq!(ages(Some(18), None).as_deref(), Some("À partir de 18 ans"));
        assert_eq!(ages(None, None), None);
        assert_eq!(
            places(Some(4), Some(10)).as_deref(),
            Some("4 places disponibles sur 10")
        );
        assert_eq!(
            places(Some(0), Some(10)).as_deref(),
            Some("Complet pour le moment")
        );
        assert_eq!(places(None, None), None);
        assert_eq!(
            eligibility(Eligibility::ZoneUnknown),
            "Zone d’accueil non précisée"
        );
    }
}

//! The public directory's search: what the page's address holds (so a search can be shared
//! and bookmarked), the API query it becomes, and how a result is told in French.
use api_types::{Eligibility, ModeAccueil, ServiceResult};
use serde::{Deserialize, Serialize};

use crate::logic::form::{Errors, FormField, FormModel};
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

/// The fields of the service editor, in page order (each one's DOM `id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceField {
    Nom,
    Description,
    Type,
    Thematiques,
    Commune,
    Modes,
    Zone,
    AgeMin,
    AgeMax,
    Places,
    PlacesMax,
    Telephone,
    Courriel,
    Form,
}

impl FormField for ServiceField {
    fn id(self) -> &'static str {
        use ServiceField::*;
        match self {
            Nom => "service-nom",
            Description => "service-description",
            Type => "service-type",
            Thematiques => "service-thematiques",
            Commune => "service-commune",
            Modes => "service-modes",
            Zone => "service-zone",
            AgeMin => "service-age-min",
            AgeMax => "service-age-max",
            Places => "service-places",
            PlacesMax => "service-places-max",
            Telephone => "service-telephone",
            Courriel => "service-courriel",
            Form => "formulaire-service",
        }
    }

    fn label(self) -> &'static str {
        use ServiceField::*;
        match self {
            Nom => "Nom du service",
            Description => "Description",
            Type => "Type de service",
            Thematiques => "Thématiques",
            Commune => "Commune du lieu d’accueil",
            Modes => "Modes d’accueil",
            Zone => "Zone d’éligibilité",
            AgeMin => "Âge minimum",
            AgeMax => "Âge maximum",
            Places => "Places disponibles",
            PlacesMax => "Places en tout",
            Telephone => "Téléphone",
            Courriel => "Courriel",
            Form => "Service",
        }
    }
}

/// The service editor's values, as text fields hold them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceForm {
    pub nom: String,
    pub description: String,
    pub type_: String,
    pub thematiques: Vec<String>,
    pub commune: Option<crate::logic::referral_form::CommuneChoice>,
    pub en_presentiel: bool,
    pub a_distance: bool,
    /// Comma- or space-separated zone codes.
    pub zone: String,
    pub age_min: String,
    pub age_max: String,
    pub places_available: String,
    pub places_maximum: String,
    pub telephone: String,
    pub courriel: String,
}

fn num(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl ServiceForm {
    /// The form of a service read from the API (its commune shown by its code until chosen).
    pub fn of(s: &api_types::Service) -> ServiceForm {
        let show = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
        ServiceForm {
            nom: s.nom.clone(),
            description: s.description.clone(),
            type_: s.type_.map(|t| t.as_str().to_string()).unwrap_or_default(),
            thematiques: s.thematiques.clone(),
            commune: s
                .code_insee
                .clone()
                .map(|c| crate::logic::referral_form::CommuneChoice {
                    label: c.clone(),
                    insee: c,
                    served: true,
                }),
            en_presentiel: s.modes_accueil.contains(&ModeAccueil::EnPresentiel),
            a_distance: s.modes_accueil.contains(&ModeAccueil::ADistance),
            zone: s.zone_eligibilite.join(", "),
            age_min: show(s.age_min),
            age_max: show(s.age_max),
            places_available: show(s.capacity.as_ref().and_then(|c| c.available)),
            places_maximum: show(s.capacity.as_ref().and_then(|c| c.maximum)),
            telephone: s.telephone.clone().unwrap_or_default(),
            courriel: s.courriel.clone().unwrap_or_default(),
        }
    }

    /// The request: `base` (the service read, when editing) keeps the fields this form does
    /// not show.
    pub fn to_request(&self, base: Option<&api_types::Service>) -> api_types::ServiceInput {
        let mut b = api_types::ServiceInput::default();
        if let Some(s) = base {
            b.lien_source = s.lien_source.clone();
            b.frais = s.frais;
            b.frais_precisions = s.frais_precisions.clone();
            b.publics = s.publics.clone();
            b.publics_precisions = s.publics_precisions.clone();
            b.conditions_acces = s.conditions_acces.clone();
            b.adresse = s.adresse.clone();
            b.complement_adresse = s.complement_adresse.clone();
            b.code_postal = s.code_postal.clone();
            b.contact_nom_prenom = s.contact_nom_prenom.clone();
            b.lien_mobilisation = s.lien_mobilisation.clone();
            b.modes_mobilisation = s.modes_mobilisation.clone();
            b.mobilisable_par = s.mobilisable_par.clone();
            b.mobilisation_precisions = s.mobilisation_precisions.clone();
            b.volume_horaire_hebdomadaire = s.volume_horaire_hebdomadaire;
            b.nombre_semaines = s.nombre_semaines;
            b.horaires_accueil = s.horaires_accueil.clone();
        }
        b.nom = self.nom.clone();
        b.description = self.description.clone();
        b.type_ = api_types::ServiceType::parse(&self.type_);
        b.thematiques = self.thematiques.clone();
        b.code_insee = self.commune.as_ref().map(|c| c.insee.clone());
        b.modes_accueil = [
            (self.a_distance, ModeAccueil::ADistance),
            (self.en_presentiel, ModeAccueil::EnPresentiel),
        ]
        .into_iter()
        .filter_map(|(on, m)| on.then_some(m))
        .collect();
        b.zone_eligibilite = self
            .zone
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|z| !z.is_empty())
            .map(str::to_string)
            .collect();
        b.age_min = num(&self.age_min);
        b.age_max = num(&self.age_max);
        let (a, m) = (num(&self.places_available), num(&self.places_maximum));
        b.capacity = (a.is_some() || m.is_some()).then_some(api_types::CapacityInput {
            available: a,
            maximum: m,
        });
        b.telephone = opt(&self.telephone);
        b.courriel = opt(&self.courriel);
        b
    }
}

/// The editor's own checks mirror the API's simplest rules (required name and description,
/// ages and places in order); the others come back from the API onto their fields.
impl FormModel for ServiceForm {
    type Field = ServiceField;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<ServiceField> {
        let mut e = Errors::new();
        if self.nom.trim().is_empty() {
            e.add(ServiceField::Nom, field_message("required"));
        }
        if self.description.trim().is_empty() {
            e.add(ServiceField::Description, field_message("required"));
        }
        if let (Some(a), Some(b)) = (num(&self.age_min), num(&self.age_max)) {
            if a > b {
                e.add(ServiceField::AgeMin, field_message("age_range"));
            }
        }
        if let (Some(a), Some(m)) = (num(&self.places_available), num(&self.places_maximum)) {
            if a > m {
                e.add(ServiceField::Places, field_message("above_maximum"));
            }
        }
        e
    }

    fn api_error(e: &api_types::FieldError) -> (ServiceField, String) {
        use ServiceField::*;
        let name = e.field.split(['[', '.']).next().unwrap_or_default();
        let field = match name {
            "nom" => Nom,
            "description" => Description,
            "type" => Type,
            "thematiques" => Thematiques,
            "code_insee" => Commune,
            "modes_accueil" => Modes,
            "zone_eligibilite" => Zone,
            "age_min" => AgeMin,
            "age_max" => AgeMax,
            "capacity" if e.field.ends_with("maximum") => PlacesMax,
            "capacity" => Places,
            "telephone" => Telephone,
            "courriel" => Courriel,
            _ => Form,
        };
        (field, field_message(&e.code).to_string())
    }
}

impl ServiceForm {
    /// The request body when the editor's checks pass, keeping the other fields of `base`.
    pub fn checked(
        &self,
        base: Option<&api_types::Service>,
    ) -> Result<api_types::ServiceInput, Errors<ServiceField>> {
        let e = self.validate(&());
        if e.is_empty() {
            Ok(self.to_request(base))
        } else {
            Err(e)
        }
    }
}

/// The label of a publication status.
pub fn status(s: api_types::ServiceStatus) -> &'static str {
    match s {
        api_types::ServiceStatus::Draft => "Brouillon",
        api_types::ServiceStatus::Published => "Publié",
        api_types::ServiceStatus::Suspended => "Suspendu",
        api_types::ServiceStatus::Archived => "Archivé",
    }
}

/// The actions a structure may take on a service of this status (code, button label).
pub fn actions(s: api_types::ServiceStatus) -> &'static [(&'static str, &'static str)] {
    match s {
        api_types::ServiceStatus::Draft => &[("publish", "Publier"), ("archive", "Archiver")],
        api_types::ServiceStatus::Published => &[("suspend", "Suspendre"), ("archive", "Archiver")],
        api_types::ServiceStatus::Suspended => {
            &[("publish", "Publier à nouveau"), ("archive", "Archiver")]
        }
        api_types::ServiceStatus::Archived => &[],
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_request_and_keeps_what_it_does_not_show() {
        let f = ServiceForm {
            nom: "Atelier CV".into(),
            description: "Pour écrire son CV.".into(),
            type_: "atelier".into(),
            en_presentiel: true,
            a_distance: true,
            zone: "69, 200046977  R84".into(),
            age_min: "16".into(),
            places_available: "3".into(),
            ..Default::default()
        };
        let r = f.to_request(None);
        assert_eq!(r.type_, Some(api_types::ServiceType::Atelier));
        assert_eq!(
            r.modes_accueil,
            vec![ModeAccueil::ADistance, ModeAccueil::EnPresentiel]
        );
        assert_eq!(r.zone_eligibilite, vec!["69", "200046977", "R84"]);
        assert_eq!((r.age_min, r.age_max), (Some(16), None));
        assert_eq!(
            r.capacity,
            Some(api_types::CapacityInput {
                available: Some(3),
                maximum: None
            })
        );
        assert!(ServiceForm::default().to_request(None).capacity.is_none());
        assert_eq!(actions(api_types::ServiceStatus::Archived), &[]);
    }
    #[test]
    fn the_editor_checks_what_it_can_and_places_the_api_errors() {
        let e = ServiceForm::default().validate(&());
        assert_eq!(e.get(ServiceField::Nom), Some("Ce champ est obligatoire."));
        assert_eq!(
            e.get(ServiceField::Description),
            Some("Ce champ est obligatoire.")
        );
        let f = ServiceForm {
            nom: "Atelier".into(),
            description: "Un atelier.".into(),
            age_min: "20".into(),
            age_max: "18".into(),
            places_available: "5".into(),
            places_maximum: "3".into(),
            ..ServiceForm::default()
        };
        let e = f.checked(None).unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            vec![ServiceField::AgeMin, ServiceField::Places]
        );
        let ok = ServiceForm {
            age_max: "25".into(),
            places_maximum: "8".into(),
            ..f
        };
        assert_eq!(ok.checked(None).unwrap().age_min, Some(20));
        let api = |field: &str, code: &str| {
            ServiceForm::api_error(&api_types::FieldError::new(field, code, ""))
        };
        assert_eq!(
            api("zone_eligibilite[1]", "unknown_zone").0,
            ServiceField::Zone
        );
        assert_eq!(
            api("thematiques[0]", "unknown_code").0,
            ServiceField::Thematiques
        );
        assert_eq!(
            api("code_insee", "unknown_commune").0,
            ServiceField::Commune
        );
        assert_eq!(
            api("capacity.available", "above_maximum").0,
            ServiceField::Places
        );
        assert_eq!(
            api("capacity.maximum", "out_of_range").0,
            ServiceField::PlacesMax
        );
        assert_eq!(
            api("structure_id", "unknown_structure").0,
            ServiceField::Form
        );
    }
}

/// The French message of a field error code of the service editor.
pub fn field_message(code: &str) -> &'static str {
    match code {
        "required" => "Ce champ est obligatoire.",
        "invalid_length" => "Entre 3 et 150 caractères.",
        "unknown_code" => "Ce code n’est pas dans la liste.",
        "invalid_zone" | "unknown_zone" => {
            "Un code de commune, de département, d’EPCI, de région (R84) ou france."
        }
        "unknown_commune" => "Commune inconnue.",
        "age_range" => "L’âge minimum dépasse l’âge maximum.",
        "out_of_range" => "Valeur hors limites.",
        "above_maximum" => "Plus de places disponibles que de places en tout.",
        "invalid_phone" => "Chiffres, espaces et + . - ( ) seulement.",
        "invalid_email" => "Adresse électronique invalide.",
        _ => "Valeur à corriger.",
    }
}

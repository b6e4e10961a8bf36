//! Controlled vocabularies: the data·inclusion codes (committed copy in `data/vocab/`) and
//! SAS's own lists. Codes are stable; labels are French.
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA_INCLUSION: &str = include_str!("../../../data/vocab/data-inclusion-v1.txt");

pub struct Vocabulary {
    pub name: &'static str,
    pub source: &'static str,
    pub items: Vec<(&'static str, &'static str)>,
}

impl Vocabulary {
    pub fn contains(&self, code: &str) -> bool {
        self.items.iter().any(|(c, _)| *c == code)
    }
}

/// data·inclusion sections exposed, with the section name in the source file.
const DI_SECTIONS: [(&str, &str); 9] = [
    ("thematiques", "thematiques"),
    ("publics", "publics"),
    ("types-de-services", "types-de-services"),
    ("frais", "frais"),
    ("modes-accueil", "modes-accueil"),
    ("modes-mobilisation", "modes-mobilisation"),
    ("personnes-mobilisatrices", "personnes-mobilisatrices"),
    ("reseaux-porteurs", "reseaux-porteurs"),
    ("typologies-de-structures", "v0 typologies-de-structures"),
];

const SAS_LISTS: &[(&str, &[(&str, &str)])] = &[
    (
        "referral-reasons",
        &[
            ("ase_exit", "Sortie de l’Aide sociale à l’enfance"),
            ("judicial_measure_end", "Fin de mesure judiciaire"),
            ("school_dropout", "Décrochage scolaire"),
            ("programme_end", "Fin de programme ou de dispositif"),
            ("rights_end", "Fin de droits"),
            ("other", "Autre motif"),
        ],
    ),
    (
        "referral-channels",
        &[
            ("institutional", "Structure prescriptrice"),
            ("field_actor", "Acteur de terrain"),
            ("relative", "Proche"),
            ("self", "Le jeune lui-même"),
        ],
    ),
    (
        "referral-statuses",
        &[
            ("pending_moderation", "À modérer"),
            ("submitted", "Signalé"),
            ("contacting", "Prise de contact"),
            ("unreachable", "Injoignable"),
            ("diagnosis", "Diagnostic"),
            ("relaying", "Relai en cours"),
            ("followed", "Suivi"),
            ("on_hold", "En pause"),
            ("closed", "Clos"),
        ],
    ),
    (
        "referral-outcomes",
        &[
            ("taken_in_charge", "Pris en charge"),
            ("positive_exit", "Sortie positive"),
            ("declined", "Refus du jeune"),
            ("unreachable", "Injoignable"),
            ("moved_away", "Parti du territoire"),
            ("duplicate", "Doublon"),
            ("withdrawn", "Retiré par le prescripteur"),
            ("entered_in_error", "Saisi par erreur"),
        ],
    ),
    (
        "hold-reasons",
        &[
            ("temporarily_unavailable", "Temporairement indisponible"),
            ("waiting_list", "Liste d’attente"),
            ("youth_request", "À la demande du jeune"),
            ("other", "Autre"),
        ],
    ),
    (
        "contact-channels",
        &[
            ("phone", "Téléphone"),
            ("sms", "SMS"),
            ("email", "Courriel"),
            ("letter", "Courrier"),
            ("home_visit", "Visite à domicile"),
            ("via_prescriber", "Par le prescripteur"),
        ],
    ),
    (
        "attempt-channels",
        &[
            ("phone", "Téléphone"),
            ("sms", "SMS"),
            ("email", "Courriel"),
            ("letter", "Courrier"),
            ("home_visit", "Visite à domicile"),
            ("outreach", "Aller-vers"),
            ("via_prescriber", "Par le prescripteur"),
            ("other", "Autre"),
        ],
    ),
    (
        "attempt-outcomes",
        &[
            ("reached", "Joint"),
            ("no_answer", "Pas de réponse"),
            ("voicemail", "Messagerie"),
            ("wrong_contact", "Coordonnées erronées"),
            ("refused", "Refus"),
            ("appointment_set", "Rendez-vous fixé"),
        ],
    ),
    (
        "relay-reasons",
        &[
            ("unreachable", "Injoignable"),
            ("did_not_come", "Ne s’est pas présenté"),
            ("dropped_out", "Abandon"),
            ("already_employed", "Déjà en emploi"),
            ("already_in_training", "Déjà en formation"),
            ("not_eligible", "Non éligible"),
            ("not_mobile", "Pas mobile"),
            ("not_interested", "Pas intéressé"),
            ("peripheral_barriers", "Freins périphériques"),
            ("no_capacity", "Plus de place"),
            ("duplicate", "Doublon"),
            ("other", "Autre"),
        ],
    ),
    (
        "checkpoint-answers",
        &[
            ("still_accompanied", "Toujours accompagné"),
            ("positive_exit", "Sortie positive"),
            ("dropped_out", "Abandon"),
            ("lost_contact", "Contact perdu"),
        ],
    ),
    (
        "diagnostic-barriers",
        &[
            ("logement", "Logement"),
            ("sante", "Santé"),
            ("mobilite", "Mobilité"),
            ("garde_enfants", "Garde d’enfants"),
            ("maitrise_francais", "Maîtrise du français"),
            ("numerique", "Numérique"),
            ("ressources", "Ressources financières"),
            (
                "droits_administratifs",
                "Droits et démarches administratives",
            ),
            ("isolement", "Isolement"),
            ("confiance_en_soi", "Confiance en soi"),
        ],
    ),
    (
        "motivation-levers",
        &[
            ("emploi_rapide", "Travailler rapidement"),
            ("formation_qualifiante", "Se former, obtenir un diplôme"),
            ("revenu", "Avoir un revenu"),
            ("logement_autonome", "Avoir son propre logement"),
            ("projet_professionnel", "Construire un projet professionnel"),
            ("reprise_etudes", "Reprendre des études"),
            ("permis_de_conduire", "Passer le permis de conduire"),
            ("engagement", "S’engager (service civique, bénévolat)"),
            ("sport_culture", "Sport, culture, loisirs"),
            ("famille", "Sa famille, ses proches"),
        ],
    ),
    (
        "education-levels",
        &[
            ("sans_qualification", "Sans diplôme ni qualification"),
            ("brevet", "Brevet des collèges"),
            ("cap_bep", "CAP, BEP (niveau 3)"),
            ("bac", "Baccalauréat (niveau 4)"),
            ("bac_plus_2", "Bac + 2 (niveau 5)"),
            ("bac_plus_3", "Licence (niveau 6)"),
            ("bac_plus_5", "Master et plus (niveau 7 et 8)"),
        ],
    ),
    (
        "mobility",
        &[
            ("permis_b", "Permis B"),
            ("vehicule", "Véhicule personnel"),
            ("deux_roues", "Deux-roues motorisé"),
            ("velo", "Vélo"),
            ("transports_en_commun", "Transports en commun"),
            ("aucune", "Aucun moyen de déplacement"),
        ],
    ),
    (
        "housing",
        &[
            ("autonome", "Logement autonome"),
            ("famille", "Chez sa famille"),
            ("tiers", "Hébergé par un tiers"),
            ("foyer", "Foyer, résidence sociale"),
            ("hebergement_urgence", "Hébergement d’urgence"),
            ("sans_domicile", "Sans domicile"),
            ("autre", "Autre"),
        ],
    ),
    (
        "resources",
        &[
            ("aucune", "Aucune ressource"),
            ("salaire", "Salaire"),
            ("allocations", "Allocations, minima sociaux"),
            ("contrat_engagement", "Allocation d’un dispositif (CEJ…)"),
            ("aide_famille", "Aide de la famille"),
            ("autre", "Autre"),
        ],
    ),
    (
        "childcare",
        &[
            ("sans_enfant", "Pas d’enfant à charge"),
            ("garde_assuree", "Enfant(s), garde assurée"),
            ("garde_a_trouver", "Enfant(s), garde à trouver"),
        ],
    ),
    (
        "french-levels",
        &[
            ("langue_maternelle", "Langue maternelle"),
            ("courant", "Courant"),
            ("intermediaire", "Intermédiaire"),
            ("debutant", "Débutant"),
        ],
    ),
    (
        "digital-access",
        &[
            ("autonome", "Équipé et autonome"),
            ("equipe_non_autonome", "Équipé, a besoin d’aide"),
            ("acces_limite", "Accès limité (téléphone seulement)"),
            ("sans_acces", "Sans équipement ni accès"),
        ],
    ),
    (
        "soft-skills",
        &[
            ("ponctualite", "Ponctualité"),
            ("travail_equipe", "Travail en équipe"),
            ("communication", "Communication"),
            ("adaptabilite", "Adaptabilité"),
            ("autonomie", "Autonomie"),
            ("perseverance", "Persévérance"),
            ("creativite", "Créativité"),
            ("sens_responsabilites", "Sens des responsabilités"),
        ],
    ),
    (
        "roles",
        &[
            ("admin", "Administrateur"),
            ("prescriber", "Prescripteur"),
            ("counsellor", "Aiguilleur"),
            ("receiver", "Structure d’accueil"),
            ("pilot", "Pilote"),
        ],
    ),
];

fn parse_data_inclusion() -> BTreeMap<&'static str, Vec<(&'static str, &'static str)>> {
    let mut sections: BTreeMap<&'static str, Vec<(&'static str, &'static str)>> = BTreeMap::new();
    let mut current: Option<&'static str> = None;
    for line in DATA_INCLUSION.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = Some(h.trim());
        } else if line.starts_with('#') {
            current = None;
        } else if let (Some(sec), Some((code, label))) = (current, line.split_once(" :: ")) {
            sections
                .entry(sec)
                .or_default()
                .push((code.trim(), label.trim()));
        }
    }
    sections
}

pub fn all() -> &'static [Vocabulary] {
    static ALL: OnceLock<Vec<Vocabulary>> = OnceLock::new();
    ALL.get_or_init(|| {
        let di = parse_data_inclusion();
        let mut v: Vec<Vocabulary> = DI_SECTIONS
            .iter()
            .map(|(name, section)| Vocabulary {
                name,
                source: "data·inclusion (schema v1.0.8; typologies from v0)",
                items: di.get(section).cloned().unwrap_or_default(),
            })
            .collect();
        v.extend(SAS_LISTS.iter().map(|(name, items)| Vocabulary {
            name,
            source: "SAS",
            items: items.to_vec(),
        }));
        v
    })
}

pub fn get(name: &str) -> Option<&'static Vocabulary> {
    all().iter().find(|v| v.name == name)
}

/// Whether `code` belongs to vocabulary `name` (false for an unknown vocabulary).
pub fn is_known(name: &str, code: &str) -> bool {
    get(name).is_some_and(|v| v.contains(code))
}

/// Typology codes whose name alone reveals a judicial or medical situation.
pub const SENSITIVE_KINDS: [&str; 6] = ["SPIP", "PJJ", "CSAPA", "CAARUD", "CMP", "CMS"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_inclusion_lists_are_loaded() {
        assert!(get("thematiques").is_some_and(|v| v.items.len() > 50));
        assert!(is_known("typologies-de-structures", "ASE"));
        assert!(is_known("typologies-de-structures", "ML"));
        assert!(is_known("typologies-de-structures", "SPIP"));
        assert!(is_known("reseaux-porteurs", "ase"));
        assert!(!is_known("typologies-de-structures", "NOPE"));
        assert!(is_known(
            "thematiques",
            "choisir-un-metier--confirmer-son-choix-de-metier"
        ));
    }

    #[test]
    fn sas_lists_are_there_and_names_unique() {
        assert!(is_known("referral-reasons", "ase_exit"));
        // Health is one code, never a detail.
        assert!(is_known("diagnostic-barriers", "sante"));
        for name in [
            "diagnostic-barriers",
            "motivation-levers",
            "education-levels",
            "mobility",
            "housing",
            "resources",
            "childcare",
            "french-levels",
            "digital-access",
            "soft-skills",
        ] {
            let v = get(name).expect(name);
            let mut codes: Vec<_> = v.items.iter().map(|(c, _)| *c).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), v.items.len(), "{name}: codes unique");
            assert!(
                v.items.iter().all(|(c, l)| c
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
                    && !l.is_empty()),
                "{name}: snake_case codes with labels"
            );
        }
        let mut names: Vec<_> = all().iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all().len());
        assert!(all().iter().all(|v| !v.items.is_empty()));
    }
}

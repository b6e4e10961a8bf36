//! The definitions of the funnel's stages and of the indicators, written once: the API
//! schema's descriptions and the SPA's "définition" read these, and `docs/STEERING.md`
//! carries each of them verbatim (a test below checks it).
use super::verdict::Better;

/// The hypothesis an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hypothesis {
    H1,
    H2,
    H3,
}

/// One indicator or funnel stage.
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    pub code: &'static str,
    pub hypothesis: Option<Hypothesis>,
    /// The title shown in the SPA (French).
    pub label: &'static str,
    /// What is counted, for the docs and the schema (French, for pilots).
    pub definition: &'static str,
    /// How the verdict reads a target; `None` for a plain count.
    pub better: Option<Better>,
    /// Whether it is computed yet: the relay stages and H3 wait for the relays (issue 13).
    pub available: bool,
}

const fn d(
    code: &'static str,
    hypothesis: Option<Hypothesis>,
    label: &'static str,
    definition: &'static str,
    better: Option<Better>,
    available: bool,
) -> Definition {
    Definition {
        code,
        hypothesis,
        label,
        definition,
        better,
        available,
    }
}

pub const COMMON: &str = "Une orientation compte dans la cohorte du mois (ou du trimestre) de sa transmission, à l'heure du territoire ; chaque chiffre est calculé à la date as_of (aujourd'hui ou une fin de mois). Les orientations closes « saisie par erreur » sont exclues ; les doublons sont hors des dénominateurs. Un effectif de 1 à 4 est masqué, un 0 est affiché ; un taux ou une médiane est masqué quand son dénominateur est inférieur à 5 ou son numérateur entre 1 et 4.";

/// The funnel, in order.
pub const FUNNEL: [Definition; 7] = [
    d("submitted", None, "Transmises", "Orientations transmises par un prescripteur dans la période (hors saisies par erreur ; les doublons comptent ici mais pas aux étapes suivantes).", None, true),
    d("contacted", None, "Jointes", "Orientations dont le jeune a été joint au moins une fois (une tentative « joint » ou « rendez-vous fixé ») à la date as_of, y compris sous l'orientation qui la reprend.", None, true),
    d("diagnosed", None, "Diagnostiquées", "Orientations dont un diagnostic a été enregistré à la date as_of.", None, true),
    d("relayed", None, "Relayées", "Orientations ayant au moins un relais demandé à une structure d'accueil.", None, false),
    d("accepted", None, "Acceptées", "Orientations dont un relais a été accepté par la structure d'accueil.", None, false),
    d("started", None, "Démarrées", "Orientations dont l'accompagnement a démarré dans une structure d'accueil.", None, false),
    d("retained_j90", None, "Toujours accompagnées à J+90", "Orientations démarrées dont le point d'étape à J+90, échu avant as_of, dit le jeune toujours accompagné ou sorti positivement ; les points sans réponse sont comptés à part.", None, false),
];

/// The indicators of DOMAIN.md, by hypothesis.
pub const INDICATORS: [Definition; 10] = [
    d("h1_referrals", Some(Hypothesis::H1), "Orientations transmises", "Nombre d'orientations transmises, par type de prescripteur, par structure et par mois.", None, true),
    d("h1_early_share", Some(Hypothesis::H1), "Orientations anticipées", "Part des orientations transmises au moins 14 jours avant la date de sortie du dispositif, parmi celles qui ont une date de sortie.", Some(Better::Higher), true),
    d("h1_active_structures", Some(Hypothesis::H1), "Structures prescriptrices actives", "Structures ayant transmis au moins une orientation dans la période, rapportées aux structures prescriptrices inscrites : les structures prescriptrices actives du territoire, plus celles qui y ont orienté dans les 12 mois avant as_of.", Some(Better::Higher), true),
    d("h2_contact_rate", Some(Hypothesis::H2), "Taux de contact", "Part des orientations jointes parmi celles transmises depuis au moins 21 jours à la date as_of.", Some(Better::Higher), true),
    d("h2_median_days_to_contact", Some(Hypothesis::H2), "Délai médian avant contact", "Médiane, en jours, entre la transmission et le premier contact abouti, parmi les orientations jointes.", Some(Better::Lower), true),
    d("h2_unreachable_rate", Some(Hypothesis::H2), "Taux d'injoignables", "Part des orientations passées « injoignable » au moins une fois, parmi celles transmises depuis au moins 21 jours.", Some(Better::Lower), true),
    d("h2_attempts_per_contact", Some(Hypothesis::H2), "Tentatives par contact", "Nombre moyen de tentatives de contact jusqu'au premier contact abouti, parmi les orientations jointes.", Some(Better::Lower), true),
    d("h3_started_rate", Some(Hypothesis::H3), "Relais démarrés", "Part des relais démarrés parmi les relais demandés.", Some(Better::Higher), false),
    d("h3_median_days_to_start", Some(Hypothesis::H3), "Délai médian jusqu'au démarrage", "Médiane, en jours, entre la transmission et le démarrage de l'accompagnement.", Some(Better::Lower), false),
    d("h3_retained_j90_share", Some(Hypothesis::H3), "Maintien à J+90", "Part des jeunes toujours accompagnés ou sortis positivement au point d'étape à J+90, parmi les points échus avant as_of ; les points sans réponse sont comptés à part.", Some(Better::Higher), false),
];

/// The definition of a code, funnel stage or indicator.
pub fn find(code: &str) -> Option<&'static Definition> {
    FUNNEL
        .iter()
        .chain(INDICATORS.iter())
        .find(|d| d.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_found() {
        let all: Vec<&str> = FUNNEL
            .iter()
            .chain(INDICATORS.iter())
            .map(|d| d.code)
            .collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
        for c in all {
            assert_eq!(find(c).map(|d| d.code), Some(c));
        }
        assert!(find("nope").is_none());
    }

    #[test]
    fn h3_and_the_relay_stages_wait_for_the_relays() {
        let waiting: Vec<&str> = FUNNEL
            .iter()
            .chain(INDICATORS.iter())
            .filter(|d| !d.available)
            .map(|d| d.code)
            .collect();
        assert_eq!(
            waiting,
            [
                "relayed",
                "accepted",
                "started",
                "retained_j90",
                "h3_started_rate",
                "h3_median_days_to_start",
                "h3_retained_j90_share"
            ]
        );
        assert!(INDICATORS
            .iter()
            .all(|d| (d.hypothesis == Some(Hypothesis::H3)) != d.available));
    }

    #[test]
    fn docs_steering_carries_every_definition_verbatim() {
        let doc = include_str!("../../../../docs/STEERING.md");
        assert!(doc.contains(COMMON), "COMMON");
        for d in FUNNEL.iter().chain(INDICATORS.iter()) {
            let line = format!("| `{}` | {} | {} |", d.code, d.label, d.definition);
            assert!(doc.contains(&line), "docs/STEERING.md lacks:\n{line}");
        }
    }
}

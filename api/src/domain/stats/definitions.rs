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
    d("relayed", None, "Relayées", "Orientations ayant au moins un relais demandé par SAS à une structure d'accueil à la date as_of (les relais hors plateforme sont comptés à part).", None, true),
    d("accepted", None, "Acceptées", "Orientations dont un relais par SAS a été accepté par la structure d'accueil à la date as_of, même après le refus d'une autre.", None, true),
    d("started", None, "Démarrées", "Orientations dont un accompagnement a démarré dans une structure d'accueil (relais par SAS) à la date as_of.", None, true),
    d("retained_j90", None, "Toujours accompagnées à J+90", "Orientations démarrées dont le point d'étape à J+90 du premier relais démarré, échu au plus tard à la date as_of, dit le jeune toujours accompagné ou sorti positivement (ou dont le relais s'est achevé sur une sortie positive avant) ; les points sans réponse sont comptés à part.", None, true),
];

/// The indicators of DOMAIN.md, by hypothesis.
pub const INDICATORS: [Definition; 13] = [
    d("h1_referrals", Some(Hypothesis::H1), "Orientations transmises", "Nombre d'orientations transmises, par type de prescripteur, par structure et par mois.", None, true),
    d("h1_early_share", Some(Hypothesis::H1), "Orientations anticipées", "Part des orientations transmises au moins 14 jours avant la date de sortie du dispositif, parmi celles qui ont une date de sortie.", Some(Better::Higher), true),
    d("h1_active_structures", Some(Hypothesis::H1), "Structures prescriptrices actives", "Structures ayant transmis au moins une orientation dans la période, rapportées aux structures prescriptrices inscrites : les structures prescriptrices actives du territoire, plus celles qui y ont orienté dans les 12 mois avant as_of.", Some(Better::Higher), true),
    d("h2_contact_rate", Some(Hypothesis::H2), "Taux de contact", "Part des orientations jointes parmi celles transmises depuis au moins 21 jours à la date as_of.", Some(Better::Higher), true),
    d("h2_median_days_to_contact", Some(Hypothesis::H2), "Délai médian avant contact", "Médiane, en jours, entre la transmission et le premier contact abouti, parmi les orientations jointes.", Some(Better::Lower), true),
    d("h2_unreachable_rate", Some(Hypothesis::H2), "Taux d'injoignables", "Part des orientations passées « injoignable » au moins une fois, parmi celles transmises depuis au moins 21 jours.", Some(Better::Lower), true),
    d("h2_attempts_per_contact", Some(Hypothesis::H2), "Tentatives par contact", "Nombre moyen de tentatives de contact jusqu'au premier contact abouti, parmi les orientations jointes.", Some(Better::Lower), true),
    d("h3_started_rate", Some(Hypothesis::H3), "Relais démarrés", "Part des orientations relayées par SAS dont un accompagnement a démarré, parmi les orientations relayées par SAS (un refus suivi d'un démarrage ailleurs compte comme démarré).", Some(Better::Higher), true),
    d("h3_median_days_to_start", Some(Hypothesis::H3), "Délai médian jusqu'au démarrage", "Médiane, en jours, entre la transmission et le démarrage du premier accompagnement (relais par SAS), parmi les orientations démarrées.", Some(Better::Lower), true),
    d("h3_retained_j90_share", Some(Hypothesis::H3), "Maintien à J+90", "Part des orientations toujours accompagnées ou sorties positivement au point d'étape à J+90, parmi les points échus au plus tard à la date as_of et renseignés (réponse, ou relais achevé avant) ; les points sans réponse sont comptés à part.", Some(Better::Higher), true),
    d("h3_j90_unanswered", Some(Hypothesis::H3), "Points J+90 sans réponse", "Nombre d'orientations démarrées dont le point d'étape à J+90, échu au plus tard à la date as_of, n'a pas de réponse.", None, true),
    d("h3_off_platform_relayed", Some(Hypothesis::H3), "Relais hors plateforme", "Nombre d'orientations ayant un relais hors plateforme, enregistré par un conseiller pour une structure sans compte SAS (compté à part des relais par SAS).", None, true),
    d("h3_off_platform_started_rate", Some(Hypothesis::H3), "Relais hors plateforme démarrés", "Part des orientations relayées hors plateforme dont l'accompagnement a démarré, selon la réponse enregistrée par le conseiller.", None, true),
];

/// A prescriber structure's own referrals, as its agents may see them (no duplicate: they
/// read it as closed by SAS; a contact is the status, not the attempts).
pub const PRESCRIBER_FUNNEL: [Definition; 4] = [
    d("p_submitted", None, "Transmises", "Orientations transmises par votre structure dans la période (hors saisies par erreur).", None, true),
    d("p_reached", None, "Jeune joint", "Vos orientations passées en diagnostic (le jeune a été joint par l'équipe SAS) à la date as_of.", None, true),
    d("p_relayed", None, "Relayées", "Vos orientations ayant au moins un relais vers une structure d'accueil (par SAS ou hors plateforme) à la date as_of.", None, true),
    d("p_started", None, "Prises en charge", "Vos orientations dont un accompagnement a démarré dans une structure d'accueil à la date as_of.", None, true),
];

pub const PRESCRIBER_INDICATORS: [Definition; 3] = [
    d("p_reached_rate", Some(Hypothesis::H2), "Jeunes joints", "Part de vos orientations passées en diagnostic, parmi celles transmises depuis au moins 21 jours à la date as_of.", Some(Better::Higher), true),
    d("p_relayed_rate", Some(Hypothesis::H3), "Orientations relayées", "Part de vos orientations relayées vers une structure d'accueil, parmi vos orientations transmises depuis au moins 21 jours.", Some(Better::Higher), true),
    d("p_started_rate", Some(Hypothesis::H3), "Prises en charge", "Part de vos orientations dont un accompagnement a démarré, parmi vos orientations relayées.", Some(Better::Higher), true),
];

/// A receiving structure's relays through SAS, in the cohort of the month of the request.
pub const RECEIVER_FUNNEL: [Definition; 4] = [
    d("r_requested", None, "Relais reçus", "Relais que votre structure a reçus par SAS dans la période (mois de la demande), hors orientations saisies par erreur.", None, true),
    d("r_started", None, "Accompagnements démarrés", "Relais reçus dont l'accompagnement a démarré à la date as_of.", None, true),
    d("r_retained", None, "Toujours accompagnés à J+90", "Relais démarrés dont le point d'étape à J+90, échu au plus tard à la date as_of, dit le jeune toujours accompagné ou sorti positivement.", None, true),
    d("r_j90_unanswered", None, "Points J+90 sans réponse", "Relais démarrés dont le point d'étape à J+90, échu au plus tard à la date as_of, attend votre réponse.", None, true),
];

pub const RECEIVER_INDICATORS: [Definition; 3] = [
    d("r_answered_10d", Some(Hypothesis::H3), "Réponse sous 10 jours", "Part des relais reçus acceptés ou refusés dans les 10 jours suivant la demande, parmi ceux reçus depuis au moins 10 jours à la date as_of.", Some(Better::Higher), true),
    d("r_started_rate", Some(Hypothesis::H3), "Accompagnements démarrés", "Part des relais reçus dont l'accompagnement a démarré, parmi les relais reçus.", Some(Better::Higher), true),
    d("r_retained_j90", Some(Hypothesis::H3), "Maintien à J+90", "Part des relais toujours accompagnés ou sortis positivement au point d'étape à J+90, parmi les points échus au plus tard à la date as_of et renseignés ; les points sans réponse sont comptés à part.", Some(Better::Higher), true),
];

/// Every definition, once.
pub fn all() -> impl Iterator<Item = &'static Definition> {
    FUNNEL
        .iter()
        .chain(INDICATORS.iter())
        .chain(PRESCRIBER_FUNNEL.iter())
        .chain(PRESCRIBER_INDICATORS.iter())
        .chain(RECEIVER_FUNNEL.iter())
        .chain(RECEIVER_INDICATORS.iter())
}

/// The definition of a code, funnel stage or indicator.
pub fn find(code: &str) -> Option<&'static Definition> {
    all().find(|d| d.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_found() {
        let all: Vec<&str> = all().map(|d| d.code).collect();
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
    fn every_figure_is_computed_now() {
        assert!(all().all(|d| d.available));
        assert!(all().all(|d| d.code.starts_with(match d.hypothesis {
            Some(Hypothesis::H1) if INDICATORS.iter().any(|i| i.code == d.code) => "h1_",
            Some(Hypothesis::H2) if INDICATORS.iter().any(|i| i.code == d.code) => "h2_",
            Some(Hypothesis::H3) if INDICATORS.iter().any(|i| i.code == d.code) => "h3_",
            _ => "",
        })));
    }

    #[test]
    fn docs_steering_carries_every_definition_verbatim() {
        let doc = include_str!("../../../../docs/STEERING.md");
        assert!(doc.contains(COMMON), "COMMON");
        for d in all() {
            let line = format!("| `{}` | {} | {} |", d.code, d.label, d.definition);
            assert!(doc.contains(&line), "docs/STEERING.md lacks:\n{line}");
        }
    }
}

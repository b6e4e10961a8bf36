//! French labels of the API's codes (the same wording as the server's vocabularies).
use api_types::{
    Channel, ConsentMethod, ConsentScope, ContactChannel, Event, HoldReason, Outcome, ReasonCode,
    Role, Status,
};

pub fn role(r: Role) -> &'static str {
    match r {
        Role::Admin => "Administrateur",
        Role::Prescriber => "Prescripteur",
        Role::Counsellor => "Aiguilleur",
        Role::Receiver => "Structure d’accueil",
        Role::Pilot => "Pilote",
    }
}

pub fn mail_status(s: api_types::MailStatus) -> &'static str {
    use api_types::MailStatus::*;
    match s {
        Pending => "Courriel en attente d’envoi",
        Sent => "Courriel envoyé",
        Bounced => "Courriel refusé par la messagerie",
        Failed => "Courriel non remis",
    }
}

pub fn notification(k: api_types::NotificationKind) -> &'static str {
    match k {
        api_types::NotificationKind::ReferralClosed => {
            "Un signalement que vous avez transmis est clôturé"
        }
        api_types::NotificationKind::PrescriberRequest => {
            "L’équipe SAS a besoin de votre aide pour joindre un jeune"
        }
        api_types::NotificationKind::RelayRequested => "Une nouvelle demande de relais",
        api_types::NotificationKind::RelayReminder => "Une demande de relais attend votre réponse",
        api_types::NotificationKind::OffPlatformReminder => {
            "Un relais hors SAS attend la réponse de la structure : notez-la"
        }
        api_types::NotificationKind::RelayRefused => "Un relais a été refusé",
        api_types::NotificationKind::RelayExpired => "Une demande de relais a expiré",
        api_types::NotificationKind::RelayFailed => "Un relais n’a pas abouti",
        api_types::NotificationKind::CheckpointDue => "Un point de suivi est à renseigner",
        api_types::NotificationKind::ReferralAlert => "Un dossier demande votre attention",
    }
}

pub fn email_preference(p: api_types::EmailPreference) -> &'static str {
    match p {
        api_types::EmailPreference::Immediate => "Un courriel à chaque notification",
        api_types::EmailPreference::DailyDigest => "Un résumé par jour (le matin)",
    }
}

pub fn job_state(s: api_types::JobStateCode) -> &'static str {
    use api_types::JobStateCode::*;
    match s {
        Queued => "En attente d’un nouvel essai",
        Running => "En cours",
        Done => "Terminée",
        Parked => "Abandonnée (à relancer)",
    }
}

pub fn status(s: Status) -> &'static str {
    match s {
        Status::PendingModeration => "À modérer",
        Status::Submitted => "Signalé",
        Status::Contacting => "Prise de contact",
        Status::Unreachable => "Injoignable",
        Status::Diagnosis => "Diagnostic",
        Status::Relaying => "Relai en cours",
        Status::Followed => "Suivi",
        Status::OnHold => "En pause",
        Status::Closed => "Clos",
    }
}

/// DSFR badge modifier of a status.
pub fn status_badge(s: Status) -> &'static str {
    match s {
        Status::PendingModeration | Status::Submitted => "fr-badge--new",
        Status::Contacting | Status::Diagnosis | Status::Relaying => "fr-badge--info",
        Status::Unreachable | Status::OnHold => "fr-badge--warning",
        Status::Followed => "fr-badge--success",
        Status::Closed => "",
    }
}

/// Statuses a list can be filtered on, in lifecycle order.
pub const STATUSES: [Status; 9] = [
    Status::PendingModeration,
    Status::Submitted,
    Status::Contacting,
    Status::Unreachable,
    Status::Diagnosis,
    Status::Relaying,
    Status::Followed,
    Status::OnHold,
    Status::Closed,
];

/// The API code of a status (query parameters).
pub fn status_code(s: Status) -> &'static str {
    match s {
        Status::PendingModeration => "pending_moderation",
        Status::Submitted => "submitted",
        Status::Contacting => "contacting",
        Status::Unreachable => "unreachable",
        Status::Diagnosis => "diagnosis",
        Status::Relaying => "relaying",
        Status::Followed => "followed",
        Status::OnHold => "on_hold",
        Status::Closed => "closed",
    }
}

pub fn status_from_code(code: &str) -> Option<Status> {
    STATUSES.into_iter().find(|s| status_code(*s) == code)
}

pub const REASONS: [ReasonCode; 6] = [
    ReasonCode::AseExit,
    ReasonCode::JudicialMeasureEnd,
    ReasonCode::SchoolDropout,
    ReasonCode::ProgrammeEnd,
    ReasonCode::RightsEnd,
    ReasonCode::Other,
];

pub fn reason(r: ReasonCode) -> &'static str {
    match r {
        ReasonCode::AseExit => "Sortie de l’Aide sociale à l’enfance",
        ReasonCode::JudicialMeasureEnd => "Fin de mesure judiciaire",
        ReasonCode::SchoolDropout => "Décrochage scolaire",
        ReasonCode::ProgrammeEnd => "Fin de programme ou de dispositif",
        ReasonCode::RightsEnd => "Fin de droits",
        ReasonCode::Other => "Autre motif",
    }
}

pub fn reason_code(r: ReasonCode) -> &'static str {
    match r {
        ReasonCode::AseExit => "ase_exit",
        ReasonCode::JudicialMeasureEnd => "judicial_measure_end",
        ReasonCode::SchoolDropout => "school_dropout",
        ReasonCode::ProgrammeEnd => "programme_end",
        ReasonCode::RightsEnd => "rights_end",
        ReasonCode::Other => "other",
    }
}

pub fn reason_from_code(code: &str) -> Option<ReasonCode> {
    REASONS.into_iter().find(|r| reason_code(*r) == code)
}

pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::TakenInCharge => "Pris en charge",
        Outcome::PositiveExit => "Sortie positive",
        Outcome::Declined => "Refus du jeune",
        Outcome::Unreachable => "Injoignable",
        Outcome::MovedAway => "Parti du territoire",
        Outcome::Duplicate => "Doublon",
        Outcome::Withdrawn => "Retiré par le prescripteur",
        Outcome::EnteredInError => "Saisi par erreur",
        Outcome::ClosedBySas => "Clôturé par le SAS",
    }
}

pub fn hold_reason(h: HoldReason) -> &'static str {
    match h {
        HoldReason::TemporarilyUnavailable => "Temporairement indisponible",
        HoldReason::WaitingList => "Liste d’attente",
        HoldReason::YouthRequest => "À la demande du jeune",
        HoldReason::Other => "Autre",
    }
}

pub fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Institutional => "Structure prescriptrice",
        Channel::FieldActor => "Acteur de terrain",
        Channel::Relative => "Proche",
        Channel::SelfReferral => "Le jeune lui-même",
    }
}

pub const CONTACT_CHANNELS: [ContactChannel; 6] = [
    ContactChannel::Phone,
    ContactChannel::Sms,
    ContactChannel::Email,
    ContactChannel::Letter,
    ContactChannel::HomeVisit,
    ContactChannel::ViaPrescriber,
];

pub fn contact_channel(c: ContactChannel) -> &'static str {
    match c {
        ContactChannel::Phone => "Téléphone",
        ContactChannel::Sms => "SMS",
        ContactChannel::Email => "Courriel",
        ContactChannel::Letter => "Courrier",
        ContactChannel::HomeVisit => "Visite à domicile",
        ContactChannel::ViaPrescriber => "Par le prescripteur",
    }
}

pub fn contact_channel_code(c: ContactChannel) -> &'static str {
    match c {
        ContactChannel::Phone => "phone",
        ContactChannel::Sms => "sms",
        ContactChannel::Email => "email",
        ContactChannel::Letter => "letter",
        ContactChannel::HomeVisit => "home_visit",
        ContactChannel::ViaPrescriber => "via_prescriber",
    }
}

pub fn consent_method(m: ConsentMethod) -> &'static str {
    match m {
        ConsentMethod::Oral => "À l’oral",
        ConsentMethod::Written => "Par écrit",
    }
}

pub fn consent_scope(s: ConsentScope) -> &'static str {
    match s {
        ConsentScope::SasContact => "Être contacté par l’équipe SAS",
        ConsentScope::ShareWithReceiver => {
            "Partager sa situation avec la structure qui l’accompagnera"
        }
    }
}

/// Why a counsellor set a service aside from the matches.
pub fn exclusion_reason(r: api_types::ExclusionReason) -> &'static str {
    use api_types::ExclusionReason as R;
    match r {
        R::NotRelevant => "Ne correspond pas à son projet",
        R::AlreadyTried => "Déjà fréquenté",
        R::TooFar => "Trop loin",
        R::YouthDeclined => "Le jeune ne souhaite pas",
        R::ConditionsNotMet => "Conditions d’accès non remplies",
        R::Other => "Autre motif",
    }
}

/// A timeline entry in plain French, and who acted ("par …") when the line does not say it.
///
/// The counsellor's assignment is "attribué", never "pris en charge": that word belongs to
/// the receiving structure (outcome `taken_in_charge`, hypothesis H3), and prescribers read
/// this timeline.
pub fn event(e: &Event) -> (String, Option<String>) {
    let by = e.actor.as_ref().map(|a| format!("par {}", a.name));
    let what = match (e.kind.as_str(), e.to_status) {
        ("created", _) | ("submitted", _) => "Signalement reçu".to_string(),
        ("status_changed", Some(Status::Contacting)) | ("assigned", _) => {
            return match &e.actor {
                Some(a) => (format!("Dossier attribué à {}", a.name), None),
                None => ("Dossier attribué à l’équipe SAS".to_string(), None),
            }
        }
        ("status_changed", Some(Status::Diagnosis)) => {
            "Contact établi avec le jeune : diagnostic en cours".to_string()
        }
        ("status_changed", Some(s)) => format!("Statut : {}", status(s)),
        ("corrected", _) => "Signalement corrigé".to_string(),
        ("contact_corrected", _) => "Coordonnées du jeune corrigées".to_string(),
        ("prescriber_requested", _) => "Demande de l’équipe SAS au prescripteur".to_string(),
        ("prescriber_answered", _) => "Réponse du prescripteur".to_string(),
        ("transferred", _) => "Dossier transmis à un autre territoire".to_string(),
        ("resumed", _) => "Parcours repris".to_string(),
        ("contact_attempt", _) => "Tentative de contact".to_string(),
        ("diagnostic_saved", _) => "Diagnostic enregistré".to_string(),
        ("match_excluded", _) => "Service écarté des propositions".to_string(),
        ("match_exclusion_removed", _) => "Service remis dans les propositions".to_string(),
        ("relay_requested", _) => "Relais demandé".to_string(),
        ("relay_accepted", _) => "Relais accepté par la structure".to_string(),
        ("relay_refused", _) => "Relais refusé par la structure".to_string(),
        ("relay_expired", _) => "Demande de relais expirée sans réponse".to_string(),
        ("relay_cancelled", _) => "Relais annulé".to_string(),
        ("relay_started", _) => "Premier rendez-vous tenu : jeune pris en charge".to_string(),
        ("relay_completed", _) => "Relais terminé".to_string(),
        ("relay_failed", _) => "Relais interrompu".to_string(),
        ("checkpoint_answered", _) => "Point de suivi renseigné".to_string(),
        (_, Some(s)) => format!("Statut : {}", status(s)),
        (other, None) => format!("Événement : {}", other.replace('_', " ")),
    };
    (what, by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exclusion_reason_has_its_own_label() {
        let mut seen: Vec<&str> = api_types::ExclusionReason::ALL
            .iter()
            .map(|r| exclusion_reason(*r))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), api_types::ExclusionReason::ALL.len());
    }

    #[test]
    fn status_codes_round_trip_and_match_the_wire() {
        for s in STATUSES {
            assert_eq!(status_from_code(status_code(s)), Some(s));
            let wire = serde_json::to_string(&s).expect("serialise");
            assert_eq!(wire, format!("\"{}\"", status_code(s)));
        }
        for r in REASONS {
            assert_eq!(reason_from_code(reason_code(r)), Some(r));
            let wire = serde_json::to_string(&r).expect("serialise");
            assert_eq!(wire, format!("\"{}\"", reason_code(r)));
        }
        for c in CONTACT_CHANNELS {
            let wire = serde_json::to_string(&c).expect("serialise");
            assert_eq!(wire, format!("\"{}\"", contact_channel_code(c)));
        }
    }

    fn ev(kind: &str, to: Option<Status>, actor: Option<&str>) -> Event {
        Event {
            id: uuid::Uuid::nil(),
            kind: kind.into(),
            from_status: None,
            to_status: to,
            code: None,
            relay_id: None,
            occurred_at: chrono::DateTime::default(),
            note: None,
            actor: actor.map(|n| api_types::PersonRef {
                id: uuid::Uuid::nil(),
                name: n.into(),
            }),
        }
    }

    #[test]
    fn events_read_as_sentences() {
        assert_eq!(
            event(&ev("created", Some(Status::Submitted), Some("Paul"))),
            ("Signalement reçu".to_string(), Some("par Paul".to_string()))
        );
        assert_eq!(
            event(&ev("status_changed", Some(Status::OnHold), None)),
            ("Statut : En pause".to_string(), None)
        );
        assert_eq!(
            event(&ev("mystery_kind", None, None)).0,
            "Événement : mystery kind"
        );
    }

    #[test]
    fn an_assignment_is_never_called_a_take_in_charge() {
        // "Pris en charge" is the receiving structure's word (outcome taken_in_charge, H3).
        assert_eq!(
            event(&ev(
                "status_changed",
                Some(Status::Contacting),
                Some("Awa Aiguilleuse")
            )),
            ("Dossier attribué à Awa Aiguilleuse".to_string(), None)
        );
        assert_eq!(
            event(&ev("status_changed", Some(Status::Contacting), None)).0,
            "Dossier attribué à l’équipe SAS"
        );
        for s in STATUSES {
            let (what, _) = event(&ev("status_changed", Some(s), None));
            assert!(!what.to_lowercase().contains("pris en charge"), "{what}");
        }
    }
}

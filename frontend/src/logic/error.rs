//! The one error type of every API call, built from the HTTP status and the problem document
//! (`application/problem+json`, keyed by `code`), with the French messages the UI shows.
use api_types::rules::{MAX_AGE, MIN_AGE, PASSWORD_MIN_CHARS};
use api_types::{FieldError, Problem};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer (network down, server stopped).
    Network,
    /// Login refused: wrong email or password.
    InvalidCredentials,
    /// The session could not be renewed: log in again.
    SessionExpired,
    /// The active role may not do this.
    Forbidden,
    /// Unknown or out of scope.
    NotFound,
    /// 409: a state change refused (`illegal_transition`), a duplicate (`email_taken`)…
    Conflict { code: String },
    /// 412: someone else changed the resource since it was read.
    Stale,
    /// 422, or a 400 that names fields: field errors to show next to the fields.
    Validation {
        code: String,
        fields: Vec<FieldError>,
    },
    /// Another 400 (a bug of the app, or an unknown parameter).
    BadRequest { code: String },
    /// 413: the upload is larger than the API accepts.
    TooLarge,
    /// 429: too many attempts.
    TooManyRequests { retry_after: Option<u64> },
    /// 503: database unavailable.
    Unavailable,
    /// 5xx.
    Server,
    /// The answer could not be read.
    Decode,
    /// Anything else.
    Unexpected { status: u16 },
}

impl ApiError {
    /// Maps an HTTP error answer. `body` is the raw body (a problem document when the API sent it).
    pub fn from_response(status: u16, body: &str, retry_after: Option<u64>) -> ApiError {
        let problem: Option<Problem> = serde_json::from_str(body).ok();
        let code = problem.as_ref().map(|p| p.code.clone()).unwrap_or_default();
        let fields = problem.map(|p| p.errors).unwrap_or_default();
        match status {
            400 if !fields.is_empty() => ApiError::Validation { code, fields },
            400 => ApiError::BadRequest { code },
            401 if code == "invalid_credentials" => ApiError::InvalidCredentials,
            401 => ApiError::SessionExpired,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            409 => ApiError::Conflict { code },
            412 => ApiError::Stale,
            413 => ApiError::TooLarge,
            422 => ApiError::Validation { code, fields },
            428 => ApiError::Stale,
            429 => ApiError::TooManyRequests { retry_after },
            503 => ApiError::Unavailable,
            s if s >= 500 => ApiError::Server,
            s => ApiError::Unexpected { status: s },
        }
    }

    /// Field errors to show next to their fields (empty for other errors).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Validation { fields, .. } => fields,
            _ => &[],
        }
    }

    /// The sentence shown to the user, in French.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network => {
                "Le service ne répond pas. Vérifiez votre connexion puis réessayez.".into()
            }
            ApiError::InvalidCredentials => {
                "Adresse électronique ou mot de passe incorrect.".into()
            }
            ApiError::SessionExpired => {
                "Votre session a expiré. Reconnectez-vous pour continuer.".into()
            }
            ApiError::Forbidden => "Votre rôle ne permet pas cette action.".into(),
            ApiError::NotFound => {
                "Introuvable : cet élément n’existe pas ou n’est pas visible avec votre rôle."
                    .into()
            }
            ApiError::Conflict { code } => conflict_message(code).into(),
            ApiError::Stale => "Quelqu’un d’autre a modifié cet élément entre-temps. \
                                Rechargez la page pour voir la dernière version."
                .into(),
            ApiError::Validation { fields, .. } => match fields.len() {
                0 => "Certaines informations ne sont pas valides.".into(),
                1 => "Une information est à corriger.".into(),
                n => format!("{n} informations sont à corriger."),
            },
            ApiError::BadRequest { code } if code == "unknown_field" => {
                "La demande n’a pas été comprise par le service (champ inconnu).".into()
            }
            ApiError::BadRequest { .. } => "La demande n’a pas été comprise par le service.".into(),
            ApiError::TooLarge => "Ce fichier est trop volumineux pour le service : \
                                   découpez-le ou demandez à l’exploitant de relever la limite."
                .into(),
            ApiError::TooManyRequests { retry_after } => match retry_after {
                Some(s) if *s >= 60 => format!(
                    "Trop de tentatives. Réessayez dans {} minutes.",
                    s.div_ceil(60)
                ),
                Some(s) => format!("Trop de tentatives. Réessayez dans {s} secondes."),
                None => "Trop de tentatives. Réessayez dans quelques minutes.".into(),
            },
            ApiError::Unavailable => {
                "Le service est momentanément indisponible. Réessayez dans un instant.".into()
            }
            ApiError::Server => "Une erreur inattendue est survenue côté service. \
                                 Elle a été enregistrée ; réessayez plus tard."
                .into(),
            ApiError::Decode => "La réponse du service n’a pas pu être lue.".into(),
            ApiError::Unexpected { status } => {
                format!("Le service a répondu de façon inattendue (code {status}).")
            }
        }
    }
}

fn conflict_message(code: &str) -> &'static str {
    match code {
        "illegal_transition" => {
            "Ce dossier vient de changer de statut (un collègue l’a peut-être déjà pris). \
             La page a été mise à jour."
        }
        "already_taken" => {
            "Ce dossier vient de changer de statut : un collègue l’a déjà pris. \
             La page a été mise à jour."
        }
        "email_taken" => "Un compte utilise déjà cette adresse électronique.",
        "flag_in_use" => {
            "Des comptes de cette structure ont encore ce rôle : modifiez-les avant de retirer cette capacité."
        }
        "concurrent_update" => "Une autre modification a eu lieu en même temps. Réessayez.",
        "duplicate" => "Ce jeune a déjà un signalement en cours dans votre structure.",
        "attempt_not_allowed" => {
            "Une tentative ne se note qu’en prise de contact, injoignable, diagnostic, relai ou suivi."
        }
        "diagnostic_not_open" => "Le diagnostic se remplit une fois le jeune joint.",
        "diagnostic_required" => {
            "Enregistrez un diagnostic avec au moins un besoin pour obtenir des propositions."
        }
        "referral_closed" => "Ce dossier est clos.",
        "not_closed" => "Seul un parcours clos peut être repris.",
        "already_resumed" => "Ce parcours a déjà été repris.",
        "not_resumable" => "Un dossier saisi par erreur ne se reprend pas.",
        "already_answered" => "Cette demande a déjà reçu une réponse.",
        "checkpoint_not_due" => "Ce point de suivi n’est pas encore dû.",
        "earlier_checkpoint_open" => "Renseignez d’abord le point de suivi précédent.",
        "relay_exists" => "Une demande de relais est déjà en cours vers ce service.",
        "service_excluded" => {
            "Vous avez écarté ce service des propositions : retirez l’exclusion avant de le relayer."
        }
        "import_running" => {
            "Un import est déjà en attente ou en cours : attendez son rapport avant d’en lancer un autre."
        }
        "relay_in_progress" => {
            "Un relais de ce jeune est en cours (demandé, accepté ou commencé) : \
             l’équipe SAS doit l’annuler ou le terminer avant l’effacement."
        }
        "referral_open" => {
            "Un dossier de ce jeune est encore ouvert : \
             l’équipe SAS doit le clore avant l’effacement."
        }
        "already_anonymised" => "Les données de ce jeune sont déjà anonymisées.",
        "youth_anonymised" => {
            "Les données de ce jeune ont été anonymisées : elles ne peuvent plus être corrigées."
        }
        _ => "Cette action n’est plus possible dans l’état actuel du dossier.",
    }
}

/// "100 caractères au plus."
pub fn too_long(max: usize) -> String {
    format!("{max} caractères au plus.")
}

/// The French message of a field error code (the numbers come from `api_types::rules`).
pub fn field_message(code: &str) -> String {
    match code {
        "password_too_short" => {
            format!("Le mot de passe doit contenir au moins {PASSWORD_MIN_CHARS} caractères.")
        }
        "age_out_of_range" => format!(
            "Le jeune doit avoir entre {MIN_AGE} et {MAX_AGE} ans à la date du signalement."
        ),
        other => field_text(other).to_string(),
    }
}

fn field_text(code: &str) -> &'static str {
    match code {
        "required" => "Ce champ est obligatoire.",
        "too_long" => "Ce texte est trop long.",
        "too_short" => "Ce texte est trop court.",
        "invalid_password" => "Ce n’est pas le mot de passe provisoire reçu.",
        "same_password" => "Choisissez un mot de passe différent du mot de passe provisoire.",
        "invalid_email" => "Adresse électronique invalide. Exemple : prenom.nom@domaine.fr",
        "invalid_phone" => "Numéro de téléphone invalide. Exemple : 06 12 34 56 78",
        "invalid_date" => "Date invalide. Exemple : 14/07/2008",
        "legal_representative_required" => {
            "Le jeune est mineur : indiquez son représentant légal."
        }
        "commune_not_served" => {
            "Cette commune n’est couverte par aucune équipe SAS pour le moment."
        }
        "unknown_commune" => "Choisissez la commune dans la liste proposée.",
        "unknown_thematique" => "Ce besoin n’existe pas dans la liste : choisissez-en un autre.",
        "consent_required" => {
            "Le jeune doit avoir été informé et accepter d’être contacté par l’équipe SAS."
        }
        "notice_not_read" => "Confirmez avoir lu la notice d’information au jeune.",
        "reason_text_required" => "Précisez le motif.",
        "no_contact" => "Indiquez au moins un moyen de contact.",
        "channel_without_contact" => {
            "Vous avez coché un moyen de contact sans indiquer le numéro ou le courriel correspondant."
        }
        "exit_date_out_of_range" => {
            "La date de fin d’accompagnement doit se situer à moins d’un an d’aujourd’hui."
        }
        "in_future" => "Cette date ne peut pas être dans le futur.",
        "not_editable" => "Un aiguilleur a pris ce dossier : demandez-lui de le corriger.",
        "invalid_siret" => "Numéro SIRET invalide : la clé de contrôle ne correspond pas.",
        "invalid_format" => "Format invalide.",
        "invalid_postal_code" => "Un code postal compte 5 chiffres.",
        "invalid_url" => "Adresse de site invalide : elle doit commencer par https://",
        "unknown_kind" => "Choisissez un type de structure dans la liste.",
        "unknown_structure" => "Cette structure n’existe pas.",
        "unknown_territory" => "Ce territoire n’existe pas.",
        "role_needs_structure" => "Ce rôle demande de rattacher le compte à une structure.",
        "role_not_allowed_by_structure" => "La structure choisie ne permet pas ce rôle.",
        "pilot_needs_territory" | "role_needs_territory" => {
            "Un pilote doit être rattaché à un territoire."
        }
        "duplicate_role" => "Ce rôle est coché deux fois.",
        "out_of_range" => "Valeur hors des limites permises.",
        "coordinates_pair" => "Indiquez la latitude et la longitude, ou aucune des deux.",
        "unknown_field" => "Champ non reconnu par le service.",
        "before_referral" => "Une tentative ne peut pas précéder le signalement.",
        "in_past" => "La prochaine tentative est aujourd’hui ou plus tard.",
        "too_far" => "La prochaine tentative est dans l’année.",
        "channel_not_allowed" => {
            "Ce jeune se contacte uniquement par l’intermédiaire du prescripteur."
        }
        "unknown_code" => "Choisissez une valeur de la liste.",
        "too_many" => "Trop d’éléments choisis (10 au plus).",
        "reason_required" => "Indiquez un motif.",
        "same_territory" => "Cette commune relève déjà du territoire du dossier.",
        _ => "Valeur invalide.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROBLEM_422: &str = r#"{"type":"about:blank","title":"Unprocessable Entity",
        "status":422,"detail":"Invalid fields.","code":"validation_failed",
        "errors":[{"field":"youth.phone","code":"invalid_phone","message":"Not a phone."},
                  {"field":"youth.birth_date","code":"age_out_of_range","message":"15 to 29."}]}"#;

    #[test]
    fn a_422_keeps_every_field_error() {
        let e = ApiError::from_response(422, PROBLEM_422, None);
        assert_eq!(e.fields().len(), 2);
        assert_eq!(e.fields()[0].field, "youth.phone");
        assert_eq!(e.message(), "2 informations sont à corriger.");
        assert_eq!(
            field_message(&e.fields()[1].code),
            "Le jeune doit avoir entre 15 et 29 ans à la date du signalement."
        );
    }

    #[test]
    fn statuses_map_to_one_error_each() {
        let p = |code: &str, status: u16| {
            format!(r#"{{"type":"x","title":"x","status":{status},"detail":"x","code":"{code}"}}"#)
        };
        assert_eq!(
            ApiError::from_response(401, &p("invalid_credentials", 401), None),
            ApiError::InvalidCredentials
        );
        assert_eq!(
            ApiError::from_response(401, &p("invalid_token", 401), None),
            ApiError::SessionExpired
        );
        assert_eq!(
            ApiError::from_response(409, &p("illegal_transition", 409), None),
            ApiError::Conflict {
                code: "illegal_transition".into()
            }
        );
        assert_eq!(ApiError::from_response(412, "", None), ApiError::Stale);
        assert_eq!(ApiError::from_response(403, "", None), ApiError::Forbidden);
        assert_eq!(
            ApiError::from_response(502, "<html>", None),
            ApiError::Server
        );
        assert_eq!(
            ApiError::from_response(400, &p("unknown_parameter", 400), None),
            ApiError::BadRequest {
                code: "unknown_parameter".into()
            }
        );
    }

    #[test]
    fn an_upload_refused_is_told_in_plain_french() {
        let e = ApiError::from_response(413, "", None);
        assert_eq!(e, ApiError::TooLarge);
        assert!(e.message().starts_with("Ce fichier est trop volumineux"));
        let busy = r#"{"type":"x","title":"x","status":409,"detail":"x","code":"import_running"}"#;
        assert!(ApiError::from_response(409, busy, None)
            .message()
            .starts_with("Un import est déjà en attente ou en cours"));
    }

    #[test]
    fn a_relay_to_an_excluded_service_says_to_remove_the_exclusion() {
        let body =
            r#"{"type":"x","title":"x","status":409,"detail":"x","code":"service_excluded"}"#;
        assert!(ApiError::from_response(409, body, None)
            .message()
            .contains("retirez l’exclusion"));
    }

    #[test]
    fn throttling_says_how_long_to_wait() {
        let e = ApiError::from_response(429, "", Some(600));
        assert_eq!(
            e.message(),
            "Trop de tentatives. Réessayez dans 10 minutes."
        );
        let e = ApiError::from_response(429, "", Some(30));
        assert_eq!(
            e.message(),
            "Trop de tentatives. Réessayez dans 30 secondes."
        );
    }

    #[test]
    fn unknown_field_codes_still_get_a_french_message() {
        assert_eq!(field_message("something_new"), "Valeur invalide.");
        assert!(ApiError::Network
            .message()
            .starts_with("Le service ne répond pas"));
    }
}

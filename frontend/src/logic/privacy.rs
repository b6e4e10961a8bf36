//! Privacy operations (issue 15): the delays the « Données personnelles » page tells, the
//! administrator's « Demandes sur les données » forms (a referral id and the motif of the
//! read; the motif and the confirmation of an erasure), the refusals of an erasure and the
//! retention runs' skip reasons in French.
use api_types::FieldError;
use uuid::Uuid;

use super::admin_forms::REASON_MISSING;
use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel};

/// Months after the last activity on a youth's last closed referral before they are
/// anonymised (the API's default, `SAS_RETENTION_MONTHS`).
pub const RETENTION_MONTHS: u32 = 24;
/// Months an access log row is kept (the API's default).
pub const ACCESS_LOG_MONTHS: u32 = 12;
/// Longest motif the API takes (`admin_audit::check_reason`).
pub const REASON_MAX_CHARS: usize = 500;

pub const ID_MISSING: &str = "Indiquez le numéro du dossier que l’équipe SAS vous a transmis.";
pub const ID_INVALID: &str = "Ce n’est pas un numéro de dossier. Exemple : \
                              0b7c3e1a-4f2d-4c8e-9a51-2d3f6e7a8b90, ou le lien du dossier.";
pub const CONFIRM_MISSING: &str =
    "Cochez la case pour confirmer : l’effacement ne peut pas être annulé.";

/// The motif's error, if any: required, 500 characters at most (as the API).
pub fn reason_error(reason: &str) -> Option<String> {
    let r = reason.trim();
    if r.is_empty() {
        Some(REASON_MISSING.into())
    } else if r.chars().count() > REASON_MAX_CHARS {
        Some(too_long(REASON_MAX_CHARS))
    } else {
        None
    }
}

/// The referral id in what the administrator pasted: the id itself, or a link to the
/// referral (`…/dossiers/<id>`), spaces around ignored.
pub fn referral_id(raw: &str) -> Option<Uuid> {
    let t = raw.trim();
    let t = t
        .split(['?', '#'])
        .next()
        .unwrap_or(t)
        .trim_end_matches('/');
    let last = t.rsplit('/').next().unwrap_or(t);
    Uuid::parse_str(last).ok()
}

fn reason_api_error(code: &str) -> String {
    match code {
        "required" | "reason_required" => REASON_MISSING.into(),
        "too_long" => too_long(REASON_MAX_CHARS),
        other => field_message(other),
    }
}

/// The fields of the read form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LookupField {
    Referral,
    Reason,
}

impl FormField for LookupField {
    fn id(self) -> &'static str {
        match self {
            LookupField::Referral => "demande-dossier",
            LookupField::Reason => "demande-motif",
        }
    }

    fn label(self) -> &'static str {
        match self {
            LookupField::Referral => "Numéro du dossier",
            LookupField::Reason => "Motif",
        }
    }
}

/// « Lire le dossier »: which referral, and why (the motif goes with every read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LookupForm {
    pub referral: String,
    pub reason: String,
}

/// A valid read: the referral and the trimmed motif.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub referral: Uuid,
    pub reason: String,
}

impl FormModel for LookupForm {
    type Field = LookupField;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<LookupField> {
        let mut e = Errors::new();
        if self.referral.trim().is_empty() {
            e.add(LookupField::Referral, ID_MISSING);
        } else if referral_id(&self.referral).is_none() {
            e.add(LookupField::Referral, ID_INVALID);
        }
        if let Some(m) = reason_error(&self.reason) {
            e.add(LookupField::Reason, m);
        }
        e
    }

    fn api_error(e: &FieldError) -> (LookupField, String) {
        match e.field.as_str() {
            "reason" => (LookupField::Reason, reason_api_error(&e.code)),
            _ => (LookupField::Referral, field_message(&e.code)),
        }
    }
}

impl LookupForm {
    pub fn to_request(&self, ctx: &()) -> Result<Lookup, Errors<LookupField>> {
        let e = self.validate(ctx);
        match referral_id(&self.referral) {
            Some(referral) if e.is_empty() => Ok(Lookup {
                referral,
                reason: self.reason.trim().to_string(),
            }),
            _ => Err(e),
        }
    }
}

/// The fields of the erasure form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EraseField {
    Reason,
    Confirm,
}

impl FormField for EraseField {
    fn id(self) -> &'static str {
        match self {
            EraseField::Reason => "effacement-motif",
            EraseField::Confirm => "effacement-confirmation",
        }
    }

    fn label(self) -> &'static str {
        match self {
            EraseField::Reason => "Motif de l’effacement",
            EraseField::Confirm => "Confirmation",
        }
    }
}

/// « Effacer les données du jeune »: the motif and the confirmation that it is final. The
/// motif starts as the read's (the same request, usually) and may be changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EraseForm {
    pub reason: String,
    pub confirmed: bool,
}

impl FormModel for EraseForm {
    type Field = EraseField;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<EraseField> {
        let mut e = Errors::new();
        if let Some(m) = reason_error(&self.reason) {
            e.add(EraseField::Reason, m);
        }
        if !self.confirmed {
            e.add(EraseField::Confirm, CONFIRM_MISSING);
        }
        e
    }

    fn api_error(e: &FieldError) -> (EraseField, String) {
        (EraseField::Reason, reason_api_error(&e.code))
    }
}

impl EraseForm {
    /// The trimmed motif, once the form is valid.
    pub fn to_request(&self, ctx: &()) -> Result<String, Errors<EraseField>> {
        let e = self.validate(ctx);
        if e.is_empty() {
            Ok(self.reason.trim().to_string())
        } else {
            Err(e)
        }
    }
}

/// What stands for an anonymised youth's name (their names are blanked: an anonymised youth
/// is the only one with both names empty, so this works from any reader's view).
pub const ANONYMISED: &str = "Personne anonymisée";

/// Whether the names read are those of an anonymised youth (both blank).
pub fn is_anonymised(first_name: &str, last_name: &str) -> bool {
    first_name.trim().is_empty() && last_name.trim().is_empty()
}

/// A youth's name as the pages show it: « Prénom Nom », or « Personne anonymisée ».
pub fn youth_name(first_name: &str, last_name: &str) -> String {
    if is_anonymised(first_name, last_name) {
        ANONYMISED.into()
    } else {
        format!("{first_name} {last_name}")
    }
}

/// Why a retention run left a youth as they were, in French (the API's closed vocabulary).
pub fn skip_reason(code: &str) -> String {
    match code {
        "open_referral" => "Un dossier encore ouvert".into(),
        "relay_in_progress" => "Un relais en cours".into(),
        "already_anonymised" => "Déjà anonymisé".into(),
        "not_due" => "Pas encore à échéance".into(),
        "no_closed_referral" => "Aucun dossier clos".into(),
        other => format!("Autre motif ({other})"),
    }
}

/// The skip reasons of a run, in French with their counts (zeros left out), or « aucun ».
pub fn skipped_text<'a>(skipped: impl IntoIterator<Item = (&'a String, &'a i64)>) -> String {
    let parts: Vec<String> = skipped
        .into_iter()
        .filter(|(_, n)| **n > 0)
        .map(|(code, n)| format!("{} : {n}", skip_reason(code)))
        .collect();
    if parts.is_empty() {
        "aucun".into()
    } else {
        parts.join(" ; ")
    }
}

/// The name of a downloaded export, as the API's `Content-Disposition` gives it
/// (`sas-export-<youth id>.json` or `.html`): the youth's id only, never their name.
pub fn export_file_name(youth: Uuid, html: bool) -> String {
    format!("sas-export-{youth}.{}", if html { "html" } else { "json" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::error::ApiError;

    const ID: &str = "0b7c3e1a-4f2d-4c8e-9a51-2d3f6e7a8b90";

    #[test]
    fn a_referral_id_is_read_from_the_id_or_its_link() {
        let id = Uuid::parse_str(ID).ok();
        assert_eq!(referral_id(ID), id);
        assert_eq!(referral_id(&format!("  {ID} ")), id);
        assert_eq!(
            referral_id(&format!("https://sas.example.fr/dossiers/{ID}")),
            id
        );
        assert_eq!(referral_id(&format!("/dossiers/{ID}/?x=1")), id);
        assert_eq!(referral_id(&format!("/dossiers/{ID}#suivi")), id);
        assert_eq!(referral_id("dossier 12"), None);
        assert_eq!(referral_id(""), None);
    }

    #[test]
    fn the_read_needs_a_referral_and_a_motif() {
        let e = LookupForm::default().validate(&());
        assert_eq!(e.get(LookupField::Referral), Some(ID_MISSING));
        assert_eq!(e.get(LookupField::Reason), Some(REASON_MISSING));
        let bad = LookupForm {
            referral: "12".into(),
            reason: "x".repeat(501),
        };
        let e = bad.validate(&());
        assert_eq!(e.get(LookupField::Referral), Some(ID_INVALID));
        assert_eq!(e.get(LookupField::Reason), Some("500 caractères au plus."));
        let ok = LookupForm {
            referral: format!("/dossiers/{ID}"),
            reason: "  Demande d’accès reçue le 3 mars ".into(),
        };
        assert_eq!(
            ok.to_request(&()),
            Ok(Lookup {
                referral: Uuid::parse_str(ID).unwrap(),
                reason: "Demande d’accès reçue le 3 mars".into()
            })
        );
        // 500 characters exactly are fine, counted as characters, not bytes.
        assert_eq!(reason_error(&"é".repeat(500)), None);
        assert_eq!(reason_error(" \n "), Some(REASON_MISSING.into()));
    }

    #[test]
    fn an_erasure_needs_a_motif_and_the_confirmation() {
        let e = EraseForm::default().validate(&());
        assert_eq!(e.get(EraseField::Reason), Some(REASON_MISSING));
        assert_eq!(e.get(EraseField::Confirm), Some(CONFIRM_MISSING));
        let unconfirmed = EraseForm {
            reason: "Demande du jeune".into(),
            confirmed: false,
        };
        assert!(unconfirmed.to_request(&()).is_err());
        let ok = EraseForm {
            reason: " Demande du jeune ".into(),
            confirmed: true,
        };
        assert_eq!(ok.to_request(&()), Ok("Demande du jeune".into()));
    }

    #[test]
    fn the_apis_motif_errors_land_on_the_motif() {
        let missing = FieldError::new("reason", "required", "");
        assert_eq!(
            EraseForm::api_error(&missing),
            (EraseField::Reason, REASON_MISSING.into())
        );
        let long = FieldError::new("reason", "too_long", "");
        assert_eq!(
            LookupForm::api_error(&long),
            (LookupField::Reason, "500 caractères au plus.".into())
        );
    }

    #[test]
    fn each_refusal_of_an_erasure_is_told_in_french() {
        let p = |code: &str| {
            ApiError::from_response(
                409,
                &format!(r#"{{"type":"x","title":"x","status":409,"detail":"x","code":"{code}"}}"#),
                None,
            )
            .message()
        };
        assert!(p("relay_in_progress").starts_with("Un relais de ce jeune est en cours"));
        assert!(p("referral_open").starts_with("Un dossier de ce jeune est encore ouvert"));
        assert_eq!(
            p("already_anonymised"),
            "Les données de ce jeune sont déjà anonymisées."
        );
        // A missing motif is a field error (422), on the motif.
        let body = r#"{"type":"x","title":"x","status":422,"detail":"x","code":"reason_required",
            "errors":[{"field":"reason","code":"required","message":"x"}]}"#;
        let e = ApiError::from_response(422, body, None);
        assert_eq!(e.fields()[0].field, "reason");
    }

    #[test]
    fn an_anonymised_youth_is_named_so() {
        assert_eq!(youth_name("Lina", "Durand"), "Lina Durand");
        assert_eq!(youth_name("", ""), ANONYMISED);
        assert!(!is_anonymised("", "Durand"));
    }

    #[test]
    fn skip_reasons_are_told_in_french_without_the_zeros() {
        let mut m = std::collections::BTreeMap::new();
        m.insert("open_referral".to_string(), 3_i64);
        m.insert("relay_in_progress".to_string(), 1);
        m.insert("not_due".to_string(), 0);
        assert_eq!(
            skipped_text(&m),
            "Un dossier encore ouvert : 3 ; Un relais en cours : 1"
        );
        m.clear();
        assert_eq!(skipped_text(&m), "aucun");
        assert_eq!(skip_reason("new_code"), "Autre motif (new_code)");
    }

    #[test]
    fn an_exports_file_name_says_nothing_of_the_person() {
        let id = Uuid::parse_str(ID).unwrap();
        assert_eq!(export_file_name(id, false), format!("sas-export-{ID}.json"));
        assert_eq!(export_file_name(id, true), format!("sas-export-{ID}.html"));
    }
}

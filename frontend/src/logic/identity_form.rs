//! « Corriger l’identité » (issue 15, right to rectification): the counsellor corrects the
//! young person's first name, last name and birth date, and their legal representative when
//! they have one (`PATCH /referrals/{id}/youth`, with `If-Match`). Only what changed is sent: the API then records an event naming the fields
//! corrected, never their old or new values. Contact details have their own form
//! (`pages/referrals/contact_edit.rs`).
use api_types::rules::NAME_MAX_CHARS;
use api_types::{FieldError, LegalRepresentative, Youth};
use chrono::NaiveDate;
use serde::Serialize;

use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel};
use super::format::{date_iso, parse_date, phone};
use super::validate::{is_email, is_phone};

/// Longest name of a legal representative (as the API).
pub const REP_NAME_MAX_CHARS: usize = 200;
pub const NO_REP_CONTACT: &str = "Indiquez le téléphone ou le courriel du représentant légal.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    FirstName,
    LastName,
    BirthDate,
    RepName,
    RepPhone,
    RepEmail,
    RepInformedOn,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::FirstName => "identite-prenom",
            Field::LastName => "identite-nom",
            Field::BirthDate => "identite-naissance",
            Field::RepName => "identite-representant-nom",
            Field::RepPhone => "identite-representant-telephone",
            Field::RepEmail => "identite-representant-courriel",
            Field::RepInformedOn => "identite-representant-informe",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::FirstName => "Prénom",
            Field::LastName => "Nom",
            Field::BirthDate => "Date de naissance",
            Field::RepName => "Nom du représentant légal",
            Field::RepPhone => "Téléphone du représentant légal",
            Field::RepEmail => "Courriel du représentant légal",
            Field::RepInformedOn => "Date d’information du représentant légal",
        }
    }
}

pub const NOTHING_CHANGED: &str = "Aucune modification : changez au moins une information.";

/// A legal representative as typed (`informed_on`: `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub informed_on: String,
}

impl RepForm {
    fn from(r: &LegalRepresentative) -> RepForm {
        RepForm {
            name: r.name.clone(),
            phone: r.phone.as_deref().map(phone).unwrap_or_default(),
            email: r.email.clone().unwrap_or_default(),
            informed_on: r.informed_on.map(date_iso).unwrap_or_default(),
        }
    }

    fn trimmed(&self) -> RepForm {
        RepForm {
            name: self.name.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
            informed_on: self.informed_on.trim().to_string(),
        }
    }

    fn body(&self) -> LegalRepresentative {
        let t = self.trimmed();
        let opt = |v: String| Some(v).filter(|v| !v.is_empty());
        LegalRepresentative {
            name: t.name,
            phone: opt(t.phone),
            email: opt(t.email),
            informed_on: parse_date(&t.informed_on),
        }
    }
}

/// The identity as typed, and as read (to send only what changed). The representative is
/// corrected when the youth has one (`rep` and `read_rep` then set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityForm {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD` (an `<input type="date">`).
    pub birth_date: String,
    pub rep: Option<RepForm>,
    pub read: (String, String, Option<NaiveDate>),
    pub read_rep: Option<RepForm>,
}

/// The body of `PATCH /referrals/{id}/youth`: absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YouthCorrection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<LegalRepresentative>,
}

impl IdentityForm {
    pub fn from_youth(y: &Youth) -> IdentityForm {
        IdentityForm {
            first_name: y.first_name.clone(),
            last_name: y.last_name.clone(),
            birth_date: date_iso(y.birth_date),
            rep: y.legal_representative.as_ref().map(RepForm::from),
            read: (
                y.first_name.clone(),
                y.last_name.clone(),
                Some(y.birth_date),
            ),
            read_rep: y.legal_representative.as_ref().map(RepForm::from),
        }
    }

    /// The changed fields, once every field is valid (the context is today).
    pub fn to_request(&self, today: &NaiveDate) -> Result<YouthCorrection, Errors<Field>> {
        let mut e = self.validate(today);
        if !e.is_empty() {
            return Err(e);
        }
        let (first, last) = (self.first_name.trim(), self.last_name.trim());
        let birth = parse_date(&self.birth_date);
        let body = YouthCorrection {
            first_name: (first != self.read.0).then(|| first.to_string()),
            last_name: (last != self.read.1).then(|| last.to_string()),
            birth_date: birth.filter(|b| Some(*b) != self.read.2),
            legal_representative: match (&self.rep, &self.read_rep) {
                (Some(r), Some(read)) if r.trimmed() != *read => Some(r.body()),
                _ => None,
            },
        };
        if body == YouthCorrection::default() {
            e.add(Field::FirstName, NOTHING_CHANGED);
            return Err(e);
        }
        Ok(body)
    }
}

fn name_error(v: &str, missing: &'static str) -> Option<String> {
    let t = v.trim();
    if t.is_empty() {
        Some(missing.into())
    } else if t.chars().count() > NAME_MAX_CHARS {
        Some(too_long(NAME_MAX_CHARS))
    } else {
        None
    }
}

impl FormModel for IdentityForm {
    type Field = Field;
    type Context = NaiveDate;

    fn validate(&self, today: &NaiveDate) -> Errors<Field> {
        let mut e = Errors::new();
        if let Some(m) = name_error(&self.first_name, "Indiquez le prénom du jeune.") {
            e.add(Field::FirstName, m);
        }
        if let Some(m) = name_error(&self.last_name, "Indiquez le nom du jeune.") {
            e.add(Field::LastName, m);
        }
        match parse_date(&self.birth_date) {
            None if self.birth_date.trim().is_empty() => {
                e.add(Field::BirthDate, "Indiquez la date de naissance du jeune.")
            }
            None => e.add(Field::BirthDate, field_message("invalid_date")),
            Some(d) if d > *today => e.add(Field::BirthDate, field_message("in_future")),
            Some(_) => {}
        }
        if let Some(r) = &self.rep {
            rep_errors(r, *today, &mut e);
        }
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        match (e.field.as_str(), e.code.as_str()) {
            ("first_name", code) => (Field::FirstName, field_message(code)),
            ("last_name", code) => (Field::LastName, field_message(code)),
            ("legal_representative.phone", "no_contact") => {
                (Field::RepPhone, NO_REP_CONTACT.into())
            }
            ("legal_representative.name", code) => (Field::RepName, field_message(code)),
            ("legal_representative.phone", code) => (Field::RepPhone, field_message(code)),
            ("legal_representative.email", code) => (Field::RepEmail, field_message(code)),
            ("legal_representative.informed_on", code) => {
                (Field::RepInformedOn, field_message(code))
            }
            // The age rule and a minor's representative both follow from the birth date.
            (_, code) => (Field::BirthDate, field_message(code)),
        }
    }
}

/// The creation's checks of a representative: a name, a way to reach them, the day they
/// were informed (not in the future).
fn rep_errors(r: &RepForm, today: NaiveDate, e: &mut Errors<Field>) {
    let t = r.trimmed();
    if t.name.is_empty() {
        e.add(
            Field::RepName,
            field_message("legal_representative_required"),
        );
    } else if t.name.chars().count() > REP_NAME_MAX_CHARS {
        e.add(Field::RepName, too_long(REP_NAME_MAX_CHARS));
    }
    if t.phone.is_empty() && t.email.is_empty() {
        e.add(Field::RepPhone, NO_REP_CONTACT);
    }
    if !t.phone.is_empty() && !is_phone(&t.phone) {
        e.add(Field::RepPhone, field_message("invalid_phone"));
    }
    if !t.email.is_empty() && !is_email(&t.email) {
        e.add(Field::RepEmail, field_message("invalid_email"));
    }
    match parse_date(&t.informed_on) {
        Some(d) if d <= today => {}
        None if t.informed_on.is_empty() => e.add(
            Field::RepInformedOn,
            "Indiquez la date à laquelle le représentant légal a été informé.",
        ),
        Some(_) => e.add(Field::RepInformedOn, field_message("in_future")),
        None => e.add(Field::RepInformedOn, field_message("invalid_date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn read() -> IdentityForm {
        IdentityForm {
            first_name: "Lina".into(),
            last_name: "Durand".into(),
            birth_date: "2005-04-12".into(),
            read: (
                "Lina".into(),
                "Durand".into(),
                NaiveDate::from_ymd_opt(2005, 4, 12),
            ),
            ..Default::default()
        }
    }

    fn minor() -> IdentityForm {
        let rep = LegalRepresentative {
            name: "Sophie Durand".into(),
            phone: Some("+33612345678".into()),
            email: None,
            informed_on: NaiveDate::from_ymd_opt(2026, 11, 2),
        };
        let r = RepForm::from(&rep);
        IdentityForm {
            birth_date: "2010-04-12".into(),
            rep: Some(r.clone()),
            read: (
                "Lina".into(),
                "Durand".into(),
                NaiveDate::from_ymd_opt(2010, 4, 12),
            ),
            read_rep: Some(r),
            ..read()
        }
    }

    #[test]
    fn the_representative_is_shown_as_read_and_sent_whole_once_changed() {
        let f = minor();
        let rep = f.rep.clone().unwrap();
        assert_eq!(rep.phone, "06 12 34 56 78");
        assert_eq!(rep.informed_on, "2026-11-02");
        // Unchanged: not sent (the name changes alone).
        let mut g = f.clone();
        g.first_name = "Line".into();
        assert_eq!(g.to_request(&today()).unwrap().legal_representative, None);
        let mut g = f.clone();
        if let Some(r) = g.rep.as_mut() {
            r.email = " sophie.durand@example.fr ".into();
        }
        let body = g.to_request(&today()).unwrap();
        assert_eq!(body.first_name, None);
        assert_eq!(
            body.legal_representative,
            Some(LegalRepresentative {
                name: "Sophie Durand".into(),
                phone: Some("06 12 34 56 78".into()),
                email: Some("sophie.durand@example.fr".into()),
                informed_on: NaiveDate::from_ymd_opt(2026, 11, 2),
            })
        );
    }

    #[test]
    fn the_representative_is_checked_as_at_creation() {
        let mut f = minor();
        f.rep = Some(RepForm {
            name: " ".into(),
            phone: "12".into(),
            email: String::new(),
            informed_on: "2027-01-01".into(),
        });
        let e = f.validate(&today());
        assert_eq!(
            e.get(Field::RepName),
            Some(field_message("legal_representative_required").as_str())
        );
        assert_eq!(
            e.get(Field::RepPhone),
            Some(field_message("invalid_phone").as_str())
        );
        assert_eq!(
            e.get(Field::RepInformedOn),
            Some(field_message("in_future").as_str())
        );
        f.rep = Some(RepForm {
            name: "Sophie Durand".into(),
            ..RepForm::default()
        });
        let e = f.validate(&today());
        assert_eq!(e.get(Field::RepPhone), Some(NO_REP_CONTACT));
        let no_contact = FieldError::new("legal_representative.phone", "no_contact", "");
        assert_eq!(
            IdentityForm::api_error(&no_contact),
            (Field::RepPhone, NO_REP_CONTACT.into())
        );
        let informed = FieldError::new("legal_representative.informed_on", "in_future", "");
        assert_eq!(IdentityForm::api_error(&informed).0, Field::RepInformedOn);
    }

    #[test]
    fn only_what_changed_is_sent() {
        let mut f = read();
        f.last_name = "  Durand-Martin ".into();
        assert_eq!(
            f.to_request(&today()),
            Ok(YouthCorrection {
                last_name: Some("Durand-Martin".into()),
                ..Default::default()
            })
        );
        let json = serde_json::to_string(&f.to_request(&today()).unwrap()).unwrap();
        assert_eq!(json, r#"{"last_name":"Durand-Martin"}"#);
        f.birth_date = "2005-04-21".into();
        assert_eq!(
            f.to_request(&today()).unwrap().birth_date,
            NaiveDate::from_ymd_opt(2005, 4, 21)
        );
    }

    #[test]
    fn nothing_changed_is_said_instead_of_sent() {
        let e = read().to_request(&today()).unwrap_err();
        assert_eq!(e.get(Field::FirstName), Some(NOTHING_CHANGED));
    }

    #[test]
    fn names_and_birth_date_are_checked_as_at_creation() {
        let f = IdentityForm {
            first_name: " ".into(),
            last_name: "x".repeat(NAME_MAX_CHARS + 1),
            birth_date: "2030-01-01".into(),
            ..read()
        };
        let e = f.validate(&today());
        assert_eq!(
            e.get(Field::FirstName),
            Some("Indiquez le prénom du jeune.")
        );
        assert_eq!(e.get(Field::LastName), Some("100 caractères au plus."));
        assert_eq!(
            e.get(Field::BirthDate),
            Some("Cette date ne peut pas être dans le futur.")
        );
        let f = IdentityForm {
            birth_date: "12/04/2005".into(),
            ..read()
        };
        assert_eq!(
            f.validate(&today()).get(Field::BirthDate),
            Some(field_message("invalid_date").as_str())
        );
    }

    #[test]
    fn the_apis_errors_land_on_their_fields() {
        let age = FieldError::new("birth_date", "age_out_of_range", "");
        assert_eq!(IdentityForm::api_error(&age).0, Field::BirthDate);
        assert!(IdentityForm::api_error(&age)
            .1
            .contains("entre 15 et 29 ans"));
        let rep = FieldError::new("legal_representative", "legal_representative_required", "");
        assert_eq!(
            IdentityForm::api_error(&rep),
            (
                Field::BirthDate,
                field_message("legal_representative_required")
            )
        );
        let long = FieldError::new("last_name", "too_long", "");
        assert_eq!(IdentityForm::api_error(&long).0, Field::LastName);
    }
}

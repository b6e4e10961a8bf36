//! « Corriger l’identité » (issue 15, right to rectification): the counsellor corrects the
//! young person's first name, last name and birth date (`PATCH /referrals/{id}/youth`, with
//! `If-Match`). Only what changed is sent: the API then records an event naming the fields
//! corrected, never their old or new values. Contact details have their own form
//! (`pages/referrals/contact_edit.rs`).
use api_types::rules::NAME_MAX_CHARS;
use api_types::{FieldError, Youth};
use chrono::NaiveDate;
use serde::Serialize;

use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel};
use super::format::{date_iso, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    FirstName,
    LastName,
    BirthDate,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::FirstName => "identite-prenom",
            Field::LastName => "identite-nom",
            Field::BirthDate => "identite-naissance",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::FirstName => "Prénom",
            Field::LastName => "Nom",
            Field::BirthDate => "Date de naissance",
        }
    }
}

pub const NOTHING_CHANGED: &str = "Aucune modification : changez au moins une information.";

/// The identity as typed, and as read (to send only what changed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityForm {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD` (an `<input type="date">`).
    pub birth_date: String,
    pub read: (String, String, Option<NaiveDate>),
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
}

impl IdentityForm {
    pub fn from_youth(y: &Youth) -> IdentityForm {
        IdentityForm {
            first_name: y.first_name.clone(),
            last_name: y.last_name.clone(),
            birth_date: date_iso(y.birth_date),
            read: (
                y.first_name.clone(),
                y.last_name.clone(),
                Some(y.birth_date),
            ),
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
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        match e.field.as_str() {
            "first_name" => (Field::FirstName, field_message(&e.code)),
            "last_name" => (Field::LastName, field_message(&e.code)),
            // The age rule and a minor's representative both follow from the birth date.
            _ => (Field::BirthDate, field_message(&e.code)),
        }
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
        }
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

//! A new consent record (`POST /referrals/{id}/consent`): who informed the young person, how,
//! and what they agreed to. The latest record is the one that counts: a relay needs
//! `share_with_receiver` in it. Tested on the host.
use api_types::rules::INFORMED_BY_MAX_CHARS;
use api_types::{Consent, ConsentMethod, ConsentScope, FieldError, Role, Status};
use chrono::{DateTime, Utc};

use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel, IdScope};

/// The fields of the consent form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Method,
    InformedBy,
    Agreed,
    Form,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::Method => "accord-methode",
            Field::InformedBy => "accord-informe-par",
            Field::Agreed => "accord-portee",
            Field::Form => "formulaire-accord",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Method => "Manière d’informer le jeune",
            Field::InformedBy => "Personne qui a informé le jeune",
            Field::Agreed => "Ce que le jeune accepte",
            Field::Form => "Accord du jeune",
        }
    }
}

/// Whether the referral page offers « Enregistrer un nouvel accord » to `role`: the API
/// (`POST /referrals/{id}/consent`) takes it from the referral's prescriber and the
/// territory's counsellors (the page is only theirs), until the referral is closed.
pub fn offered(role: Option<Role>, status: Status) -> bool {
    matches!(role, Some(Role::Prescriber | Role::Counsellor)) && status != Status::Closed
}

/// Where a consent form is open. The referral page's (« Enregistrer un nouvel accord ») and
/// the relay panel's (« Enregistrer l’accord du jeune ») can be open at once: each place has
/// its own element ids, so labels, error links and `aria-labelledby` reach their own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Referral,
    Relay,
}

impl Place {
    pub const ALL: [Place; 2] = [Place::Referral, Place::Relay];

    /// The ids of the form at this place (the referral page keeps the form's own ids).
    pub fn ids(self) -> ConsentIds {
        ConsentIds(match self {
            Place::Referral => IdScope::default(),
            Place::Relay => IdScope::new("relais"),
        })
    }
}

/// Every element id (and radio group name) a consent form uses, for one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentIds(IdScope);

impl ConsentIds {
    pub fn scope(&self) -> &IdScope {
        &self.0
    }
    pub fn field(&self, f: Field) -> String {
        self.0.field(f)
    }
    pub fn heading(&self) -> String {
        self.0.id("titre-nouvel-accord")
    }
    pub fn summary(&self) -> String {
        self.0.id("resume-erreurs-accord")
    }
    /// The radios' group name.
    pub fn method_name(&self) -> String {
        self.0.id("accord-methode")
    }
    pub fn method(&self, m: ConsentMethod) -> String {
        self.0.id(&format!("accord-methode-{}", m.as_str()))
    }
    pub fn scope_box(&self, s: ConsentScope) -> String {
        self.0.id(&format!("accord-portee-{}", s.as_str()))
    }

    /// All the ids, in no particular order (the error summary's title is its id + `-titre`).
    pub fn all(&self) -> Vec<String> {
        let summary = self.summary();
        let mut v = vec![self.heading(), format!("{summary}-titre"), summary];
        v.extend(
            [Field::Method, Field::InformedBy, Field::Agreed, Field::Form]
                .into_iter()
                .map(|f| self.field(f)),
        );
        v.extend(ConsentMethod::ALL.iter().map(|m| self.method(*m)));
        v.extend(ConsentScope::ALL.iter().map(|s| self.scope_box(*s)));
        v
    }
}

/// The record as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentForm {
    pub informed_by: String,
    pub method: ConsentMethod,
    pub agreed: Vec<ConsentScope>,
}

impl Default for ConsentForm {
    fn default() -> Self {
        ConsentForm {
            informed_by: String::new(),
            method: ConsentMethod::Oral,
            agreed: vec![ConsentScope::SasContact],
        }
    }
}

impl ConsentForm {
    /// A new record starting from the latest one (its method and scopes; who informed the
    /// young person this time is typed again).
    pub fn from_latest(latest: &Consent) -> ConsentForm {
        ConsentForm {
            informed_by: String::new(),
            method: latest.method,
            agreed: ordered(latest.agreed.iter().copied()),
        }
    }

    /// The same, with `share_with_receiver` kept or added: the form a refused relay opens.
    pub fn for_relay(latest: &Consent) -> ConsentForm {
        let mut f = ConsentForm::from_latest(latest);
        f.set_scope(ConsentScope::ShareWithReceiver, true);
        f
    }

    pub fn has(&self, s: ConsentScope) -> bool {
        self.agreed.contains(&s)
    }

    /// Ticks or unticks a scope (the list stays in the vocabulary's order, without repeats).
    pub fn set_scope(&mut self, s: ConsentScope, on: bool) {
        let others = self.agreed.iter().copied().filter(|x| *x != s);
        self.agreed = if on {
            ordered(others.chain([s]))
        } else {
            ordered(others)
        };
    }

    /// The request body, when the form is valid; `now` is when the young person was informed.
    pub fn to_request(&self, now: DateTime<Utc>) -> Result<Consent, Errors<Field>> {
        let e = self.validate(&());
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Consent {
            informed_at: now,
            informed_by: self.informed_by.trim().to_string(),
            method: self.method,
            agreed: self.agreed.clone(),
        })
    }
}

fn ordered(scopes: impl Iterator<Item = ConsentScope>) -> Vec<ConsentScope> {
    let picked: Vec<ConsentScope> = scopes.collect();
    ConsentScope::ALL
        .iter()
        .copied()
        .filter(|s| picked.contains(s))
        .collect()
}

impl FormModel for ConsentForm {
    type Field = Field;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<Field> {
        let mut e = Errors::new();
        let by = self.informed_by.trim();
        if by.is_empty() {
            e.add(Field::InformedBy, field_message("required"));
        } else if by.chars().count() > INFORMED_BY_MAX_CHARS {
            e.add(Field::InformedBy, too_long(INFORMED_BY_MAX_CHARS));
        }
        if !self.has(ConsentScope::SasContact) {
            e.add(Field::Agreed, field_message("consent_required"));
        }
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        let field = match e.field.as_str() {
            "method" => Field::Method,
            "informed_by" => Field::InformedBy,
            "agreed" => Field::Agreed,
            _ => Field::Form,
        };
        (field, field_message(&e.code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
    }

    fn latest(agreed: Vec<ConsentScope>) -> Consent {
        Consent {
            informed_at: now(),
            informed_by: "Mme Prescriptrice".into(),
            method: ConsentMethod::Written,
            agreed,
        }
    }

    #[test]
    fn a_refused_relay_opens_the_form_with_share_added_and_the_rest_kept() {
        let f = ConsentForm::for_relay(&latest(vec![ConsentScope::SasContact]));
        assert_eq!(
            f.agreed,
            vec![ConsentScope::SasContact, ConsentScope::ShareWithReceiver]
        );
        assert_eq!(f.method, ConsentMethod::Written);
        assert_eq!(
            f.informed_by, "",
            "who informed them this time is typed again"
        );
        // Already there: kept once, in the vocabulary's order.
        let f = ConsentForm::for_relay(&latest(vec![
            ConsentScope::ShareWithReceiver,
            ConsentScope::SasContact,
        ]));
        assert_eq!(
            f.agreed,
            vec![ConsentScope::SasContact, ConsentScope::ShareWithReceiver]
        );
    }

    #[test]
    fn from_latest_keeps_the_scopes_as_they_were() {
        let f = ConsentForm::from_latest(&latest(vec![ConsentScope::SasContact]));
        assert_eq!(f.agreed, vec![ConsentScope::SasContact]);
    }

    #[test]
    fn ticking_and_unticking_a_scope() {
        let mut f = ConsentForm::default();
        f.set_scope(ConsentScope::ShareWithReceiver, true);
        f.set_scope(ConsentScope::ShareWithReceiver, true);
        assert_eq!(
            f.agreed,
            vec![ConsentScope::SasContact, ConsentScope::ShareWithReceiver]
        );
        f.set_scope(ConsentScope::SasContact, false);
        assert_eq!(f.agreed, vec![ConsentScope::ShareWithReceiver]);
        assert!(!f.has(ConsentScope::SasContact));
    }

    #[test]
    fn a_valid_form_gives_the_record_with_the_time_and_trimmed_name() {
        let mut f = ConsentForm::for_relay(&latest(vec![ConsentScope::SasContact]));
        f.informed_by = "  Léa, conseillère SAS ".into();
        let c = f.to_request(now()).unwrap();
        assert_eq!(c.informed_by, "Léa, conseillère SAS");
        assert_eq!(c.informed_at, now());
        assert_eq!(c.method, ConsentMethod::Written);
        assert_eq!(
            c.agreed,
            vec![ConsentScope::SasContact, ConsentScope::ShareWithReceiver]
        );
    }

    #[test]
    fn who_informed_them_is_required_and_bounded_and_sas_contact_is_required() {
        let mut f = ConsentForm::default();
        f.set_scope(ConsentScope::SasContact, false);
        let e = f.to_request(now()).unwrap_err();
        let fields: Vec<Field> = e.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec![Field::InformedBy, Field::Agreed]);
        f.informed_by = "x".repeat(INFORMED_BY_MAX_CHARS + 1);
        f.set_scope(ConsentScope::SasContact, true);
        let e = f.validate(&());
        assert_eq!(e.len(), 1);
        assert!(e.get(Field::InformedBy).is_some());
        f.informed_by = "x".repeat(INFORMED_BY_MAX_CHARS);
        assert!(f.validate(&()).is_empty());
    }

    #[test]
    fn api_errors_go_to_their_fields() {
        let err = |field: &str, code: &str| FieldError {
            field: field.into(),
            code: code.into(),
            message: String::new(),
        };
        assert_eq!(
            ConsentForm::api_error(&err("informed_by", "too_long")).0,
            Field::InformedBy
        );
        assert_eq!(
            ConsentForm::api_error(&err("agreed", "consent_required")).0,
            Field::Agreed
        );
        assert_eq!(ConsentForm::api_error(&err("method", "x")).0, Field::Method);
        assert_eq!(
            ConsentForm::api_error(&err("informed_at", "in_future")).0,
            Field::Form
        );
    }

    #[test]
    fn the_two_places_share_no_element_id() {
        let mut seen = std::collections::HashSet::new();
        for place in Place::ALL {
            for id in place.ids().all() {
                assert!(seen.insert(id.clone()), "{id} twice ({place:?})");
            }
        }
        // The fields' hint and error ids derive from the field's id: distinct ids keep them
        // distinct. The referral page keeps the ids its tests and links know.
        assert_eq!(
            Place::Referral.ids().field(Field::InformedBy),
            "accord-informe-par"
        );
        assert_eq!(
            Place::Relay.ids().field(Field::InformedBy),
            "relais-accord-informe-par"
        );
        assert_ne!(
            Place::Referral.ids().method_name(),
            Place::Relay.ids().method_name()
        );
    }

    #[test]
    fn the_prescriber_and_the_counsellor_record_consent_until_the_referral_closes() {
        for role in Role::ALL {
            for status in Status::ALL {
                assert_eq!(
                    offered(Some(role), *status),
                    matches!(role, Role::Prescriber | Role::Counsellor)
                        && *status != Status::Closed,
                    "{role:?} {status:?}"
                );
            }
        }
        assert!(!offered(None, Status::Submitted));
    }
}

//! State, validation and request building of the "Signaler un jeune" form.
use api_types::{
    Consent, ConsentMethod, ConsentScope, ContactChannel, FieldError, LegalRepresentative,
    ReasonCode, ReferralCreate, YouthInput,
};
use chrono::{DateTime, NaiveDate, Utc};

pub use api_types::rules::{ADULT_AGE, EXIT_DATE_WINDOW_DAYS, MAX_AGE, MIN_AGE};
use api_types::rules::{INFORMED_BY_MAX_CHARS, NAME_MAX_CHARS, REASON_TEXT_MAX_CHARS};

use super::error::{field_message, too_long};
use super::form::{self, FormField, FormModel};
use super::format::{age_on, parse_date};
use super::labels::reason_from_code;
use super::validate::{is_email, is_phone, opt};

pub type FormErrors = form::Errors<Field>;

const NO_CONTACT: &str =
    "Indiquez un téléphone ou un courriel du jeune, ou cochez « par mon intermédiaire ».";
const NO_REP_CONTACT: &str = "Indiquez le téléphone ou le courriel du représentant légal.";

/// The French message of an API error on a field of this form (some codes depend on the field).
pub fn message_for(path: &str, code: &str) -> String {
    match (path, code) {
        (p, "no_contact") if p.starts_with("youth.legal_representative") => NO_REP_CONTACT.into(),
        (_, "no_contact") => NO_CONTACT.into(),
        _ => field_message(code),
    }
}

/// The commune picked in the autocomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneChoice {
    pub insee: String,
    /// "Villeurbanne (69100)".
    pub label: String,
    /// A SAS team serves it.
    pub served: bool,
}

/// What the prescriber typed, as typed (strings), so nothing is lost on an error.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralForm {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub commune: Option<CommuneChoice>,
    pub contact_channels: Vec<ContactChannel>,
    pub via_prescriber_only: bool,
    pub rep_name: String,
    pub rep_phone: String,
    pub rep_email: String,
    pub rep_informed_on: String,
    pub reason: String,
    pub reason_text: String,
    pub exit_date: String,
    pub needs: Vec<String>,
    pub method: ConsentMethod,
    pub informed_by: String,
    pub notice_read: bool,
    pub agree_contact: bool,
    pub agree_share: bool,
}

impl Default for ReferralForm {
    fn default() -> Self {
        ReferralForm {
            first_name: String::new(),
            last_name: String::new(),
            birth_date: String::new(),
            phone: String::new(),
            email: String::new(),
            commune: None,
            contact_channels: Vec::new(),
            via_prescriber_only: false,
            rep_name: String::new(),
            rep_phone: String::new(),
            rep_email: String::new(),
            rep_informed_on: String::new(),
            reason: String::new(),
            reason_text: String::new(),
            exit_date: String::new(),
            needs: Vec::new(),
            method: ConsentMethod::Oral,
            informed_by: String::new(),
            notice_read: false,
            agree_contact: false,
            agree_share: false,
        }
    }
}

/// The form's fields, in the order they appear (error summaries follow it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    FirstName,
    LastName,
    BirthDate,
    Commune,
    /// The group "one way to reach the youth" (phone, email, or through the prescriber).
    Contact,
    Phone,
    Email,
    ContactChannels,
    RepName,
    /// The group "one way to reach the legal representative".
    RepContact,
    RepPhone,
    RepEmail,
    RepInformedOn,
    Reason,
    ReasonText,
    ExitDate,
    Needs,
    Method,
    InformedBy,
    NoticeRead,
    AgreeContact,
    /// An error the API reported on no field of this form.
    Form,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::FirstName => "youth-first-name",
            Field::LastName => "youth-last-name",
            Field::BirthDate => "youth-birth-date",
            Field::Commune => "youth-commune",
            Field::Contact => "youth-contact",
            Field::Phone => "youth-phone",
            Field::Email => "youth-email",
            Field::ContactChannels => "youth-contact-channels",
            Field::RepName => "rep-name",
            Field::RepContact => "rep-contact",
            Field::RepPhone => "rep-phone",
            Field::RepEmail => "rep-email",
            Field::RepInformedOn => "rep-informed-on",
            Field::Reason => "reason-code",
            Field::ReasonText => "reason-text",
            Field::ExitDate => "exit-date",
            Field::Needs => "needs",
            Field::Method => "consent-method",
            Field::InformedBy => "consent-informed-by",
            Field::NoticeRead => "consent-notice-read",
            Field::AgreeContact => "consent-agree-contact",
            Field::Form => "referral-form",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::FirstName => "Prénom",
            Field::LastName => "Nom",
            Field::BirthDate => "Date de naissance",
            Field::Commune => "Commune de résidence",
            Field::Contact => "Moyen de joindre le jeune",
            Field::Phone => "Téléphone du jeune",
            Field::Email => "Courriel du jeune",
            Field::ContactChannels => "Moyens de contact acceptés",
            Field::RepName => "Nom du représentant légal",
            Field::RepContact => "Moyen de joindre le représentant légal",
            Field::RepPhone => "Téléphone du représentant légal",
            Field::RepEmail => "Courriel du représentant légal",
            Field::RepInformedOn => "Date d’information du représentant légal",
            Field::Reason => "Motif de fin d’accompagnement",
            Field::ReasonText => "Précision du motif",
            Field::ExitDate => "Date de fin d’accompagnement",
            Field::Needs => "Besoins repérés",
            Field::Method => "Manière d’informer le jeune",
            Field::InformedBy => "Personne qui a informé le jeune",
            Field::NoticeRead => "Notice d’information",
            Field::AgreeContact => "Accord du jeune",
            Field::Form => "Signalement",
        }
    }

    fn group(self) -> Option<Field> {
        match self {
            Field::Phone | Field::Email => Some(Field::Contact),
            Field::RepPhone | Field::RepEmail => Some(Field::RepContact),
            _ => None,
        }
    }
}

impl Field {
    /// The form field an API error path (`youth.legal_representative.name`, `needs[2]`) belongs to.
    pub fn from_path(path: &str) -> Field {
        let mut clean = String::with_capacity(path.len());
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                c if depth == 0 => clean.push(c),
                _ => {}
            }
        }
        let p = clean.strip_prefix("youth.").unwrap_or(&clean);
        match p {
            "first_name" => Field::FirstName,
            "last_name" => Field::LastName,
            "birth_date" => Field::BirthDate,
            "phone" => Field::Phone,
            "email" => Field::Email,
            "commune_insee" => Field::Commune,
            "contact_channels" | "contact_via_prescriber_only" => Field::ContactChannels,
            "legal_representative" | "legal_representative.name" => Field::RepName,
            "legal_representative.phone" => Field::RepPhone,
            "legal_representative.email" => Field::RepEmail,
            "legal_representative.informed_on" => Field::RepInformedOn,
            "reason_code" => Field::Reason,
            "reason_text" => Field::ReasonText,
            "exit_date" => Field::ExitDate,
            "needs" => Field::Needs,
            "consent.method" => Field::Method,
            "consent.informed_by" => Field::InformedBy,
            "consent.informed_at" => Field::NoticeRead,
            "consent" | "consent.agreed" => Field::AgreeContact,
            _ => Field::Form,
        }
    }
}

impl FormModel for ReferralForm {
    type Field = Field;
    /// Today, in the user's time zone (ages and exit dates count from it).
    type Context = NaiveDate;

    fn validate(&self, today: &NaiveDate) -> FormErrors {
        ReferralForm::validate(self, *today)
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        let field = match (Field::from_path(&e.field), e.code.as_str()) {
            (Field::RepName | Field::RepPhone | Field::RepEmail, "no_contact") => Field::RepContact,
            (_, "no_contact") => Field::Contact,
            (f, _) => f,
        };
        (field, message_for(&e.field, &e.code))
    }
}

impl ReferralForm {
    pub fn birth_date(&self) -> Option<NaiveDate> {
        parse_date(&self.birth_date)
    }

    /// Age on `today`, when the birth date is filled in.
    pub fn age(&self, today: NaiveDate) -> Option<i32> {
        self.birth_date().map(|b| age_on(b, today))
    }

    /// Under 18 today: the legal representative fields are shown and required.
    pub fn is_minor(&self, today: NaiveDate) -> bool {
        self.age(today).is_some_and(|a| a < ADULT_AGE)
    }

    pub fn reason_code(&self) -> Option<ReasonCode> {
        reason_from_code(&self.reason)
    }

    /// The checks the API also makes, plus the notice the prescriber confirms having read.
    pub fn validate(&self, today: NaiveDate) -> FormErrors {
        let mut e = FormErrors::default();
        let required = field_message("required");
        if self.first_name.trim().is_empty() {
            e.add(Field::FirstName, "Indiquez le prénom du jeune.");
        } else if self.first_name.trim().chars().count() > NAME_MAX_CHARS {
            e.add(Field::FirstName, too_long(NAME_MAX_CHARS));
        }
        if self.last_name.trim().is_empty() {
            e.add(Field::LastName, "Indiquez le nom du jeune.");
        } else if self.last_name.trim().chars().count() > NAME_MAX_CHARS {
            e.add(Field::LastName, too_long(NAME_MAX_CHARS));
        }
        match self.birth_date() {
            None if self.birth_date.trim().is_empty() => {
                e.add(Field::BirthDate, "Indiquez la date de naissance du jeune.")
            }
            None => e.add(Field::BirthDate, field_message("invalid_date")),
            Some(b) if b > today => e.add(Field::BirthDate, field_message("invalid_date")),
            Some(b) => {
                let age = age_on(b, today);
                if !(MIN_AGE..=MAX_AGE).contains(&age) {
                    e.add(
                        Field::BirthDate,
                        format!(
                            "Le jeune a {age} ans : SAS accompagne les jeunes de {MIN_AGE} à {MAX_AGE} ans."
                        ),
                    );
                }
            }
        }
        let has_phone = !self.phone.trim().is_empty();
        let has_email = !self.email.trim().is_empty();
        if has_phone && !is_phone(&self.phone) {
            e.add(Field::Phone, field_message("invalid_phone"));
        }
        if has_email && !is_email(&self.email) {
            e.add(Field::Email, field_message("invalid_email"));
        }
        let other_way = self.via_prescriber_only
            || self.contact_channels.iter().any(|c| {
                matches!(
                    c,
                    ContactChannel::Letter
                        | ContactChannel::HomeVisit
                        | ContactChannel::ViaPrescriber
                )
            });
        if !(has_phone || has_email || other_way) {
            e.add(Field::Contact, NO_CONTACT);
        }
        let channel_without_contact = self.contact_channels.iter().any(|c| match c {
            ContactChannel::Phone | ContactChannel::Sms => !has_phone,
            ContactChannel::Email => !has_email,
            _ => false,
        });
        if channel_without_contact {
            e.add(
                Field::ContactChannels,
                field_message("channel_without_contact"),
            );
        }
        match &self.commune {
            None => e.add(
                Field::Commune,
                "Choisissez la commune de résidence dans la liste proposée.",
            ),
            Some(c) if !c.served => e.add(Field::Commune, field_message("commune_not_served")),
            Some(_) => {}
        }
        if self.is_minor(today) {
            if self.rep_name.trim().is_empty() {
                e.add(
                    Field::RepName,
                    field_message("legal_representative_required"),
                );
            }
            if self.rep_phone.trim().is_empty() && self.rep_email.trim().is_empty() {
                e.add(Field::RepContact, NO_REP_CONTACT);
            }
            if !self.rep_phone.trim().is_empty() && !is_phone(&self.rep_phone) {
                e.add(Field::RepPhone, field_message("invalid_phone"));
            }
            if !self.rep_email.trim().is_empty() && !is_email(&self.rep_email) {
                e.add(Field::RepEmail, field_message("invalid_email"));
            }
            // DOMAIN.md: a minor's legal representative has been informed, and when.
            match parse_date(&self.rep_informed_on) {
                Some(d) if d <= today => {}
                None if self.rep_informed_on.trim().is_empty() => e.add(
                    Field::RepInformedOn,
                    "Indiquez la date à laquelle le représentant légal a été informé.",
                ),
                _ => e.add(Field::RepInformedOn, field_message("invalid_date")),
            }
        }
        match self.reason_code() {
            None => e.add(
                Field::Reason,
                "Choisissez le motif de fin d’accompagnement.",
            ),
            Some(ReasonCode::Other) if self.reason_text.trim().is_empty() => {
                e.add(Field::ReasonText, field_message("reason_text_required"))
            }
            Some(_) => {}
        }
        if self.reason_text.trim().chars().count() > REASON_TEXT_MAX_CHARS {
            e.add(Field::ReasonText, too_long(REASON_TEXT_MAX_CHARS));
        }
        if !self.exit_date.trim().is_empty() {
            match parse_date(&self.exit_date) {
                None => e.add(Field::ExitDate, field_message("invalid_date")),
                Some(d) if (d - today).num_days().abs() > EXIT_DATE_WINDOW_DAYS => {
                    e.add(Field::ExitDate, field_message("exit_date_out_of_range"))
                }
                Some(_) => {}
            }
        }
        if self.informed_by.trim().is_empty() {
            e.add(Field::InformedBy, required);
        } else if self.informed_by.trim().chars().count() > INFORMED_BY_MAX_CHARS {
            e.add(Field::InformedBy, too_long(INFORMED_BY_MAX_CHARS));
        }
        if !self.notice_read {
            e.add(Field::NoticeRead, field_message("notice_not_read"));
        }
        if !self.agree_contact {
            e.add(Field::AgreeContact, field_message("consent_required"));
        }
        e
    }

    /// The request body, when the form is valid.
    pub fn to_request(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ReferralCreate, FormErrors> {
        let errors = self.validate(today);
        let (Some(birth_date), Some(commune), Some(reason_code), true) = (
            self.birth_date(),
            self.commune.as_ref(),
            self.reason_code(),
            errors.is_empty(),
        ) else {
            return Err(errors);
        };
        let legal_representative = self.is_minor(today).then(|| LegalRepresentative {
            name: self.rep_name.trim().to_string(),
            phone: opt(&self.rep_phone),
            email: opt(&self.rep_email),
            informed_on: parse_date(&self.rep_informed_on),
        });
        let mut agreed = vec![ConsentScope::SasContact];
        if self.agree_share {
            agreed.push(ConsentScope::ShareWithReceiver);
        }
        Ok(ReferralCreate {
            youth: YouthInput {
                first_name: self.first_name.trim().to_string(),
                last_name: self.last_name.trim().to_string(),
                birth_date,
                phone: opt(&self.phone),
                email: opt(&self.email),
                commune_insee: commune.insee.clone(),
                contact_channels: self.contact_channels.clone(),
                contact_via_prescriber_only: self.via_prescriber_only,
                legal_representative,
            },
            reason_code,
            reason_text: opt(&self.reason_text),
            exit_date: parse_date(&self.exit_date),
            needs: self.needs.clone(),
            consent: Consent {
                informed_at: now,
                informed_by: self.informed_by.trim().to_string(),
                method: self.method,
                agreed,
            },
        })
    }

    /// "Only through me": one control for both `contact_via_prescriber_only` and the
    /// `via_prescriber` channel (which is then the only channel).
    pub fn set_via_prescriber(&mut self, on: bool) {
        self.via_prescriber_only = on;
        if on {
            self.contact_channels = vec![ContactChannel::ViaPrescriber];
        } else {
            self.contact_channels
                .retain(|c| *c != ContactChannel::ViaPrescriber);
        }
    }

    pub fn toggle_channel(&mut self, c: ContactChannel, on: bool) {
        self.contact_channels.retain(|x| *x != c);
        if on {
            self.contact_channels.push(c);
        }
    }

    pub fn toggle_need(&mut self, code: &str, on: bool) {
        self.needs.retain(|x| x != code);
        if on {
            self.needs.push(code.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
            .expect("date")
            .with_timezone(&Utc)
    }

    fn adult() -> ReferralForm {
        ReferralForm {
            first_name: " Léa ".into(),
            last_name: "Martin".into(),
            birth_date: "2004-05-10".into(),
            phone: "06 12 34 56 78".into(),
            commune: Some(CommuneChoice {
                insee: "69266".into(),
                label: "Villeurbanne (69100)".into(),
                served: true,
            }),
            reason: "ase_exit".into(),
            informed_by: "Paul Prescripteur".into(),
            notice_read: true,
            agree_contact: true,
            ..ReferralForm::default()
        }
    }

    #[test]
    fn a_complete_adult_referral_builds_the_request() {
        let r = adult().to_request(today(), now()).expect("valid");
        assert_eq!(r.youth.first_name, "Léa");
        assert_eq!(r.youth.legal_representative, None);
        assert_eq!(r.consent.agreed, vec![ConsentScope::SasContact]);
        assert_eq!(r.consent.informed_at, now());
        assert_eq!(r.reason_code, ReasonCode::AseExit);
        // The body the API receives has no field it does not know.
        let json = serde_json::to_value(&r).expect("json");
        assert!(json["youth"].get("phone").is_some());
    }

    #[test]
    fn a_minor_needs_a_legal_representative() {
        let mut f = adult();
        f.birth_date = "2010-01-01".into();
        assert!(f.is_minor(today()));
        let e = f.validate(today());
        assert_eq!(
            e.get(Field::RepName),
            Some("Le jeune est mineur : indiquez son représentant légal.")
        );
        f.rep_name = "Sonia Martin".into();
        assert_eq!(
            f.validate(today()).get(Field::RepContact),
            Some(NO_REP_CONTACT)
        );
        f.rep_phone = "07 00 00 00 01".into();
        assert!(f.validate(today()).get(Field::RepInformedOn).is_some());
        f.rep_informed_on = "2026-03-01".into();
        let r = f.to_request(today(), now()).expect("valid");
        let rep = r.youth.legal_representative.expect("representative");
        assert_eq!(rep.phone.as_deref(), Some("07 00 00 00 01"));
    }

    #[test]
    fn ages_outside_15_to_29_are_refused_with_the_age_said() {
        let mut f = adult();
        f.birth_date = "1990-01-01".into();
        assert_eq!(
            f.validate(today()).get(Field::BirthDate),
            Some("Le jeune a 36 ans : SAS accompagne les jeunes de 15 à 29 ans.")
        );
        f.birth_date = "2012-01-01".into();
        assert!(f.validate(today()).get(Field::BirthDate).is_some());
        f.birth_date = "2027-01-01".into();
        assert!(f.validate(today()).get(Field::BirthDate).is_some());
    }

    #[test]
    fn invalid_phone_consent_and_commune_are_reported_in_form_order() {
        let mut f = adult();
        f.phone = "12 34".into();
        f.agree_contact = false;
        f.commune = None;
        let e = f.validate(today());
        let order: Vec<Field> = e.iter().map(|(f, _)| f).collect();
        assert_eq!(
            order,
            vec![Field::Commune, Field::Phone, Field::AgreeContact]
        );
        assert!(f.to_request(today(), now()).is_err());
    }

    #[test]
    fn the_youth_must_be_reachable_somehow() {
        let mut f = adult();
        f.phone.clear();
        assert_eq!(f.validate(today()).get(Field::Contact), Some(NO_CONTACT));
        f.set_via_prescriber(true);
        assert!(f.validate(today()).is_empty());
        f.toggle_channel(ContactChannel::Sms, true);
        assert!(f.validate(today()).get(Field::ContactChannels).is_some());
    }

    #[test]
    fn only_through_me_is_one_control_for_both_fields() {
        let mut f = adult();
        f.toggle_channel(ContactChannel::Sms, true);
        f.set_via_prescriber(true);
        let r = f.to_request(today(), now()).expect("valid");
        assert!(r.youth.contact_via_prescriber_only);
        assert_eq!(
            r.youth.contact_channels,
            vec![ContactChannel::ViaPrescriber]
        );
        f.set_via_prescriber(false);
        let r = f.to_request(today(), now()).expect("valid");
        assert!(!r.youth.contact_via_prescriber_only);
        assert!(r.youth.contact_channels.is_empty());
    }

    #[test]
    fn lengths_are_the_apis() {
        let mut f = adult();
        f.last_name = "x".repeat(NAME_MAX_CHARS);
        f.reason_text = "y".repeat(REASON_TEXT_MAX_CHARS);
        assert!(f.validate(today()).is_empty());
        f.last_name.push('x');
        f.reason_text.push('y');
        let e = f.validate(today());
        assert_eq!(e.get(Field::LastName), Some("100 caractères au plus."));
        assert_eq!(e.get(Field::ReasonText), Some("500 caractères au plus."));
    }

    #[test]
    fn exit_dates_stay_within_a_year() {
        let mut f = adult();
        f.exit_date = "2028-01-01".into();
        assert!(f.validate(today()).get(Field::ExitDate).is_some());
        f.exit_date = "2026-10-01".into();
        assert!(f.validate(today()).is_empty());
    }

    #[test]
    fn other_reason_needs_a_text() {
        let mut f = adult();
        f.reason = "other".into();
        assert!(f.validate(today()).get(Field::ReasonText).is_some());
        f.reason_text = "Fin de contrat jeune majeur".into();
        assert!(f.validate(today()).is_empty());
    }

    #[test]
    fn api_paths_land_on_the_right_fields() {
        assert_eq!(Field::from_path("youth.birth_date"), Field::BirthDate);
        assert_eq!(
            Field::from_path("youth.legal_representative"),
            Field::RepName
        );
        assert_eq!(
            Field::from_path("youth.legal_representative.name"),
            Field::RepName
        );
        assert_eq!(Field::from_path("needs[2]"), Field::Needs);
        assert_eq!(Field::from_path("consent.agreed"), Field::AgreeContact);
        assert_eq!(
            Field::from_path("youth.contact_channels[0]"),
            Field::ContactChannels
        );
        assert_eq!(Field::from_path("something.else"), Field::Form);
        let on =
            |path: &str, code: &str| ReferralForm::api_error(&FieldError::new(path, code, "x"));
        assert_eq!(on("youth.phone", "invalid_phone").0, Field::Phone);
        assert_eq!(
            on("youth.phone", "no_contact"),
            (Field::Contact, NO_CONTACT.to_string())
        );
        assert_eq!(
            on("youth.legal_representative.phone", "no_contact"),
            (Field::RepContact, NO_REP_CONTACT.to_string())
        );
    }

    #[test]
    fn toggles_keep_one_of_each() {
        let mut f = ReferralForm::default();
        f.toggle_need("mobilite--preparer-un-permis", true);
        f.toggle_need("mobilite--preparer-un-permis", true);
        assert_eq!(f.needs.len(), 1);
        f.toggle_need("mobilite--preparer-un-permis", false);
        assert!(f.needs.is_empty());
        f.toggle_channel(ContactChannel::Sms, true);
        assert_eq!(f.contact_channels, vec![ContactChannel::Sms]);
    }
}

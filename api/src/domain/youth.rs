//! Parsing a referral at the edge: every field checked, normalised (names, E.164 phones,
//! emails), and all problems reported at once with their field path and a stable code.
use api_types::rules::{INFORMED_BY_MAX_CHARS, NAME_MAX_CHARS, REASON_TEXT_MAX_CHARS};
use api_types::{
    Consent, ConsentMethod, ConsentScope, ContactChannel, FieldError, LegalRepresentative,
    ReasonCode, ReferralCreate, YouthInput,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::dates::{date_in_range, time_in_range, OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE};
use crate::domain::referral::{age_on, ADULT_AGE, MAX_AGE, MIN_AGE};
use crate::domain::text::{clean, is_email, search_key};
use crate::domain::vocab;

/// Normalises a phone number to E.164. French numbers may be written with spaces, dots or
/// dashes, with a leading 0, +33 or 0033; overseas departments get their own country code.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let digits_after = |p: &str| {
        s.strip_prefix(p)
            .filter(|r| r.bytes().all(|b| b.is_ascii_digit()))
    };
    let national = if let Some(r) = digits_after("+33").or_else(|| digits_after("0033")) {
        // +33 0612… is a common mistake: drop the trunk zero.
        let r = r.strip_prefix('0').unwrap_or(r);
        if r.len() != 9 {
            return None;
        }
        format!("0{r}")
    } else if let Some(r) = digits_after("+") {
        return (8..=15)
            .contains(&r.len())
            .then(|| format!("+{r}"))
            .filter(|_| !r.starts_with('0'));
    } else if let Some(r) = digits_after("00") {
        return (8..=15)
            .contains(&r.len())
            .then(|| format!("+{r}"))
            .filter(|_| !r.starts_with('0'));
    } else {
        s.clone()
    };
    if national.len() != 10
        || !national.starts_with('0')
        || !national.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if national.as_bytes()[1] == b'0' {
        return None;
    }
    // Overseas departments dial with their own country code.
    let overseas = [
        ("0590", "590"),
        ("0690", "590"),
        ("0691", "590"),
        ("0594", "594"),
        ("0694", "594"),
        ("0596", "596"),
        ("0696", "596"),
        ("0697", "596"),
        ("0262", "262"),
        ("0263", "262"),
        ("0692", "262"),
        ("0693", "262"),
        ("0269", "262"),
        ("0639", "262"),
    ];
    for (prefix, cc) in overseas {
        if national.starts_with(prefix) {
            return Some(format!("+{cc}{}", &national[1..]));
        }
    }
    Some(format!("+33{}", &national[1..]))
}

/// A youth's identity and contact, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidYouth {
    pub first_name: String,
    pub last_name: String,
    pub name_key: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub contact_channels: Vec<ContactChannel>,
    pub contact_via_prescriber_only: bool,
    pub legal_rep: Option<LegalRepresentative>,
}

/// A consent record, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidConsent {
    pub informed_at: DateTime<Utc>,
    pub informed_by: String,
    pub method: ConsentMethod,
    /// Sorted, without repeats.
    pub agreed: Vec<ConsentScope>,
}

/// The parts of a referral that need no database.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReferral {
    pub youth: ValidYouth,
    pub reason_code: ReasonCode,
    pub reason_text: Option<String>,
    pub exit_date: Option<NaiveDate>,
    pub needs: Vec<String>,
    pub consent: ValidConsent,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &str, code: &str, message: &str) {
        self.0.push(FieldError::new(field, code, message));
    }
}

fn name(v: &str, field: &str, errs: &mut Errors) -> String {
    match clean(v) {
        Some(n) if n.chars().count() <= NAME_MAX_CHARS => n,
        Some(_) => {
            errs.add(field, "too_long", "At most 100 characters.");
            String::new()
        }
        None => {
            errs.add(field, "required", "Required.");
            String::new()
        }
    }
}

fn phone(v: Option<&str>, field: &str, errs: &mut Errors) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    let n = normalize_phone(v);
    if n.is_none() {
        errs.add(
            field,
            "invalid_phone",
            "Not a valid phone number (French numbers: 10 digits starting with 0, or +33…).",
        );
    }
    n
}

fn email(v: Option<&str>, field: &str, errs: &mut Errors) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?.to_lowercase();
    if is_email(&v) {
        Some(v)
    } else {
        errs.add(field, "invalid_email", "Not an email address.");
        None
    }
}

fn bounded(d: NaiveDate, field: &str, errs: &mut Errors) -> bool {
    let ok = date_in_range(d);
    if !ok {
        errs.add(field, OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE);
    }
    ok
}

fn youth(y: YouthInput, prefix: &str, errs: &mut Errors) -> ValidYouth {
    let f = |s: &str| format!("{prefix}{s}");
    let first_name = name(&y.first_name, &f("first_name"), errs);
    let last_name = name(&y.last_name, &f("last_name"), errs);
    let phone_n = phone(y.phone.as_deref(), &f("phone"), errs);
    let email_n = email(y.email.as_deref(), &f("email"), errs);
    bounded(y.birth_date, &f("birth_date"), errs);
    let mut channels: Vec<ContactChannel> = y.contact_channels.clone();
    channels.sort();
    channels.dedup();
    for c in &y.contact_channels {
        let missing = match c {
            ContactChannel::Phone | ContactChannel::Sms => {
                y.phone.as_deref().is_none_or(|p| p.trim().is_empty())
            }
            ContactChannel::Email => y.email.as_deref().is_none_or(|e| e.trim().is_empty()),
            _ => false,
        };
        if missing {
            errs.add(
                &f("contact_channels"),
                "channel_without_contact",
                "A channel was chosen without its phone number or email.",
            );
            break;
        }
    }
    let reachable = y.phone.as_deref().is_some_and(|p| !p.trim().is_empty())
        || y.email.as_deref().is_some_and(|e| !e.trim().is_empty())
        || y.contact_via_prescriber_only
        || y.contact_channels.iter().any(|c| {
            matches!(
                c,
                ContactChannel::Letter | ContactChannel::HomeVisit | ContactChannel::ViaPrescriber
            )
        });
    if !reachable {
        errs.add(
            &f("phone"),
            "no_contact",
            "Give a phone number or an email, or say the youth is contacted through you.",
        );
    }
    let legal_rep = y.legal_representative.map(|r| {
        let lp = format!("{prefix}legal_representative.");
        if let Some(d) = r.informed_on {
            bounded(d, &format!("{lp}informed_on"), errs);
        }
        LegalRepresentative {
            name: name(&r.name, &format!("{lp}name"), errs),
            phone: phone(r.phone.as_deref(), &format!("{lp}phone"), errs),
            email: email(r.email.as_deref(), &format!("{lp}email"), errs),
            informed_on: r.informed_on,
        }
    });
    let commune_insee = y.commune_insee.trim().to_uppercase();
    if commune_insee.is_empty() {
        errs.add(
            &f("commune_insee"),
            "required",
            "The commune where the youth lives is required.",
        );
    }
    ValidYouth {
        name_key: search_key(&format!("{last_name} {first_name}")),
        first_name,
        last_name,
        birth_date: y.birth_date,
        phone: phone_n,
        email: email_n,
        commune_insee,
        contact_channels: channels,
        contact_via_prescriber_only: y.contact_via_prescriber_only,
        legal_rep,
    }
}

/// Checks everything that needs neither the database nor the territory's calendar.
/// Checks a youth alone (a correction of contact details), fields named without prefix.
pub fn parse_youth(y: YouthInput) -> Result<ValidYouth, Vec<FieldError>> {
    let mut errs = Errors(Vec::new());
    let v = youth(y, "", &mut errs);
    if errs.0.is_empty() {
        Ok(v)
    } else {
        Err(errs.0)
    }
}

pub fn parse(r: ReferralCreate, now: DateTime<Utc>) -> Result<ParsedReferral, Vec<FieldError>> {
    let mut errs = Errors(Vec::new());
    let y = youth(r.youth, "youth.", &mut errs);
    let reason_text = r.reason_text.as_deref().and_then(clean);
    if reason_text
        .as_deref()
        .is_some_and(|t| t.chars().count() > REASON_TEXT_MAX_CHARS)
    {
        errs.add("reason_text", "too_long", "At most 500 characters.");
    }
    if r.reason_code == ReasonCode::Other && reason_text.is_none() {
        errs.add(
            "reason_text",
            "required",
            "Explain the reason when it is `other`.",
        );
    }
    let mut needs = Vec::new();
    for (i, n) in r.needs.iter().enumerate() {
        if !vocab::is_known("thematiques", n) {
            errs.add(
                &format!("needs[{i}]"),
                "unknown_thematique",
                "Use a code of the thematiques vocabulary.",
            );
        } else if !needs.contains(n) {
            needs.push(n.clone());
        }
    }
    if let Some(d) = r.exit_date {
        bounded(d, "exit_date", &mut errs);
    }
    let consent = consent(r.consent, now, "consent.", true, &mut errs);
    if errs.0.is_empty() {
        Ok(ParsedReferral {
            youth: y,
            reason_code: r.reason_code,
            reason_text,
            exit_date: r.exit_date,
            needs,
            consent,
        })
    } else {
        Err(errs.0)
    }
}

/// Checks a consent record (`prefix`: where its fields are in the request). A referral needs
/// `sas_contact`; a later record may withdraw it (the youth's right), which the SAS team then
/// acts upon.
fn consent(
    c: Consent,
    now: DateTime<Utc>,
    prefix: &str,
    require_contact: bool,
    errs: &mut Errors,
) -> ValidConsent {
    let f = |s: &str| format!("{prefix}{s}");
    let informed_by = clean(&c.informed_by);
    match &informed_by {
        None => errs.add(&f("informed_by"), "required", "Who informed the youth?"),
        Some(b) if b.chars().count() > INFORMED_BY_MAX_CHARS => {
            errs.add(&f("informed_by"), "too_long", "At most 200 characters.")
        }
        _ => {}
    }
    if !time_in_range(c.informed_at) {
        errs.add(&f("informed_at"), OUT_OF_RANGE, OUT_OF_RANGE_MESSAGE);
    } else if c.informed_at > now + Duration::minutes(5) {
        errs.add(
            &f("informed_at"),
            "in_future",
            "The youth cannot have been informed in the future.",
        );
    }
    if require_contact && !c.agreed.contains(&ConsentScope::SasContact) {
        errs.add(
            &f("agreed"),
            "consent_required",
            "SAS can only act if the youth agreed to be contacted (sas_contact).",
        );
    }
    let mut agreed = c.agreed;
    agreed.sort();
    agreed.dedup();
    ValidConsent {
        informed_at: c.informed_at,
        informed_by: informed_by.unwrap_or_default(),
        method: c.method,
        agreed,
    }
}

/// A new record of the consent history (`POST /referrals/{id}/consent`).
pub fn parse_consent(c: Consent, now: DateTime<Utc>) -> Result<ValidConsent, Vec<FieldError>> {
    let mut errs = Errors(Vec::new());
    let v = consent(c, now, "", false, &mut errs);
    if errs.0.is_empty() {
        Ok(v)
    } else {
        Err(errs.0)
    }
}

/// How far the exit date may lie from today.
pub use api_types::rules::EXIT_DATE_WINDOW_DAYS;

/// Rules that count calendar days in the territory's time zone: age 15–29 at referral, a
/// legal representative under 18, a plausible exit date.
pub fn check_dates(
    y: &ValidYouth,
    exit_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<FieldError> {
    let mut errs = Errors(Vec::new());
    let age = age_on(y.birth_date, today);
    if !date_in_range(y.birth_date) {
        // Reported by `parse`.
    } else if y.birth_date > today || !(MIN_AGE..=MAX_AGE).contains(&age) {
        errs.add(
            "youth.birth_date",
            "age_out_of_range",
            "SAS accompanies young people aged 15 to 29 on the day of the referral.",
        );
    } else if age < ADULT_AGE {
        let rep_ok = y
            .legal_rep
            .as_ref()
            .is_some_and(|r| r.phone.is_some() || r.email.is_some());
        if y.legal_rep.is_none() {
            errs.add(
                "youth.legal_representative",
                "legal_representative_required",
                "A minor's legal representative is required.",
            );
        } else if !rep_ok {
            errs.add(
                "youth.legal_representative.phone",
                "no_contact",
                "Give the legal representative's phone number or email.",
            );
        }
        match y.legal_rep.as_ref().map(|r| r.informed_on) {
            Some(None) => errs.add(
                "youth.legal_representative.informed_on",
                "required",
                "When was the legal representative informed of the referral?",
            ),
            Some(Some(d)) if date_in_range(d) && d > today => errs.add(
                "youth.legal_representative.informed_on",
                "in_future",
                "The legal representative cannot have been informed in the future.",
            ),
            _ => {}
        }
    }
    if let Some(d) = exit_date.filter(|d| date_in_range(*d)) {
        if (d - today).num_days().abs() > EXIT_DATE_WINDOW_DAYS {
            errs.add(
                "exit_date",
                "exit_date_out_of_range",
                "The exit date must lie within a year of today.",
            );
        }
    }
    errs.0
}

/// The rules of a counsellor's correction of a youth already referred (rectification): the
/// creation's age rule and a minor's legal representative, counted on the day of the
/// referral (`referred_on`, the territory's calendar), and a legal representative informed
/// no later than `today`. Fields are named without prefix (the correction's body is the
/// youth itself).
pub fn check_correction(
    y: &ValidYouth,
    referred_on: NaiveDate,
    today: NaiveDate,
) -> Vec<FieldError> {
    const INFORMED_ON: &str = "youth.legal_representative.informed_on";
    let mut errs: Vec<FieldError> = check_dates(y, None, referred_on)
        .into_iter()
        // Informed after the referral is fine; only the future is refused (below).
        .filter(|e| !(e.field == INFORMED_ON && e.code == "in_future"))
        .map(|mut e| {
            e.field = e.field.trim_start_matches("youth.").to_string();
            e
        })
        .collect();
    let minor = date_in_range(y.birth_date) && age_on(y.birth_date, referred_on) < ADULT_AGE;
    if let Some(d) = y.legal_rep.as_ref().and_then(|r| r.informed_on) {
        if minor && date_in_range(d) && d > today {
            errs.push(FieldError::new(
                "legal_representative.informed_on",
                "in_future",
                "The legal representative cannot have been informed in the future.",
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::{Consent, ConsentMethod};

    #[test]
    fn french_numbers_are_normalised_to_e164() {
        assert_eq!(
            normalize_phone("06 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("06.12.34.56.78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("+33 6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("+33 (0)6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("0033612345678").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("04 72 00 00 00").as_deref(),
            Some("+33472000000")
        );
        assert_eq!(
            normalize_phone("0692 12 34 56").as_deref(),
            Some("+262692123456"),
            "Réunion"
        );
        assert_eq!(
            normalize_phone("0696 12 34 56").as_deref(),
            Some("+596696123456"),
            "Martinique"
        );
        assert_eq!(
            normalize_phone("+32 470 12 34 56").as_deref(),
            Some("+32470123456"),
            "Belgium"
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in [
            "06 12 34 56",
            "12 34 56 78 90",
            "00 12",
            "06 12 34 56 78 9",
            "phone",
            "+33 6 12",
            "+0612345678",
            "",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn now() -> DateTime<Utc> {
        "2026-03-02T09:00:00Z".parse().expect("time")
    }

    fn input() -> ReferralCreate {
        ReferralCreate {
            youth: YouthInput {
                first_name: " Léa ".into(),
                last_name: "Martin".into(),
                birth_date: d("2007-05-01"),
                phone: Some("06 12 34 56 78".into()),
                email: None,
                commune_insee: "69383".into(),
                contact_channels: vec![ContactChannel::Phone, ContactChannel::Sms],
                contact_via_prescriber_only: false,
                legal_representative: None,
            },
            reason_code: ReasonCode::AseExit,
            reason_text: None,
            exit_date: Some(d("2026-03-20")),
            needs: vec!["trouver-un-emploi--repondre-a-des-offres-demploi".into()],
            consent: Consent {
                informed_at: now(),
                informed_by: "Paul, éducateur ASE".into(),
                method: ConsentMethod::Oral,
                agreed: vec![ConsentScope::SasContact],
            },
        }
    }

    fn codes(errs: &[FieldError]) -> Vec<(&str, &str)> {
        errs.iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn a_good_referral_is_normalised() {
        let p = parse(input(), now()).expect("valid");
        assert_eq!(p.youth.first_name, "Léa");
        assert_eq!(p.youth.phone.as_deref(), Some("+33612345678"));
        assert_eq!(p.youth.name_key, "martin lea");
        assert_eq!(p.reason_code, ReasonCode::AseExit);
        assert!(check_dates(&p.youth, p.exit_date, d("2026-03-02")).is_empty());
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut r = input();
        r.youth.first_name = " ".into();
        r.youth.phone = Some("12".into());
        r.reason_code = ReasonCode::Other;
        r.needs = vec!["nope".into()];
        r.consent.agreed = vec![ConsentScope::ShareWithReceiver];
        r.consent.informed_at = now() + Duration::days(1);
        let errs = parse(r, now()).expect_err("invalid");
        assert_eq!(
            codes(&errs),
            [
                ("youth.first_name", "required"),
                ("youth.phone", "invalid_phone"),
                ("reason_text", "required"),
                ("needs[0]", "unknown_thematique"),
                ("consent.informed_at", "in_future"),
                ("consent.agreed", "consent_required"),
            ]
        );
    }

    #[test]
    fn a_youth_must_be_reachable_somehow() {
        let mut r = input();
        r.youth.phone = None;
        r.youth.contact_channels = vec![];
        assert_eq!(
            codes(&parse(r.clone(), now()).expect_err("x")),
            [("youth.phone", "no_contact")]
        );
        r.youth.contact_channels = vec![ContactChannel::Email];
        assert_eq!(
            codes(&parse(r.clone(), now()).expect_err("x")),
            [
                ("youth.contact_channels", "channel_without_contact"),
                ("youth.phone", "no_contact")
            ]
        );
        r.youth.contact_channels = vec![];
        r.youth.contact_via_prescriber_only = true;
        assert!(parse(r, now()).is_ok());
    }

    #[test]
    fn age_bounds_and_the_legal_representative_of_minors() {
        let today = d("2026-03-02");
        let mut y = parse(input(), now()).expect("valid").youth;
        y.birth_date = d("2011-03-03"); // 14 until tomorrow
        assert_eq!(
            codes(&check_dates(&y, None, today)),
            [("youth.birth_date", "age_out_of_range")]
        );
        y.birth_date = d("1996-03-02"); // 30 today
        assert_eq!(
            codes(&check_dates(&y, None, today)),
            [("youth.birth_date", "age_out_of_range")]
        );
        y.birth_date = d("1996-03-03"); // 29
        assert!(check_dates(&y, None, today).is_empty());
        y.birth_date = d("2011-03-02"); // 15 today: a minor
        assert_eq!(
            codes(&check_dates(&y, None, today)),
            [(
                "youth.legal_representative",
                "legal_representative_required"
            )]
        );
        y.legal_rep = Some(LegalRepresentative {
            name: "Mme Martin".into(),
            phone: Some("+33611111111".into()),
            email: None,
            informed_on: None,
        });
        assert_eq!(
            codes(&check_dates(&y, None, today)),
            [("youth.legal_representative.informed_on", "required")],
            "DOMAIN.md: name, contact, informed date"
        );
        if let Some(r) = y.legal_rep.as_mut() {
            r.informed_on = Some(d("2026-03-03"));
        }
        assert_eq!(
            codes(&check_dates(&y, None, today)),
            [("youth.legal_representative.informed_on", "in_future")]
        );
        if let Some(r) = y.legal_rep.as_mut() {
            r.informed_on = Some(today);
        }
        assert!(check_dates(&y, None, today).is_empty());
    }

    #[test]
    fn every_date_outside_1900_to_2100_is_out_of_range() {
        let mut r = input();
        r.youth.birth_date = d("-5000-01-01");
        r.exit_date = Some(d("+5000-01-01"));
        r.consent.informed_at = "-5000-01-01T00:00:00Z".parse().expect("time");
        r.youth.legal_representative = Some(LegalRepresentative {
            name: "Mme Martin".into(),
            phone: Some("0611111111".into()),
            email: None,
            informed_on: Some(d("1899-12-31")),
        });
        let errs = parse(r, now()).expect_err("invalid");
        assert_eq!(
            codes(&errs),
            [
                ("youth.birth_date", "date_out_of_range"),
                (
                    "youth.legal_representative.informed_on",
                    "date_out_of_range"
                ),
                ("exit_date", "date_out_of_range"),
                ("consent.informed_at", "date_out_of_range"),
            ]
        );
    }

    #[test]
    fn a_later_consent_record_may_withdraw_consent_but_not_come_from_the_future() {
        let c = input().consent;
        let mut withdrawn = c.clone();
        withdrawn.agreed = vec![];
        assert!(parse_consent(withdrawn, now()).is_ok());
        let mut future = c;
        future.informed_at = now() + Duration::days(1);
        future.agreed = vec![
            ConsentScope::ShareWithReceiver,
            ConsentScope::SasContact,
            ConsentScope::SasContact,
        ];
        assert_eq!(
            codes(&parse_consent(future.clone(), now()).expect_err("future")),
            [("informed_at", "in_future")]
        );
        future.informed_at = now();
        assert_eq!(
            parse_consent(future, now()).expect("valid").agreed,
            [ConsentScope::SasContact, ConsentScope::ShareWithReceiver]
        );
    }

    #[test]
    fn the_exit_date_lies_within_a_year() {
        let today = d("2026-03-02");
        let y = parse(input(), now()).expect("valid").youth;
        assert!(
            check_dates(&y, Some(d("2025-03-02")), today).is_empty(),
            "past is allowed"
        );
        assert_eq!(
            codes(&check_dates(&y, Some(d("2028-01-01")), today)),
            [("exit_date", "exit_date_out_of_range")]
        );
    }

    #[test]
    fn a_correction_counts_age_on_the_day_of_the_referral() {
        let referred = d("2026-03-02");
        let today = d("2027-06-01");
        let mut y = parse_youth(input().youth).expect("valid");
        let codes = |errs: Vec<FieldError>| -> Vec<(String, String)> {
            errs.into_iter().map(|e| (e.field, e.code)).collect()
        };
        // 29 on the day of the referral, 30 today: still correct.
        y.birth_date = d("1996-06-01");
        assert!(check_correction(&y, referred, today).is_empty());
        // 30 on the day of the referral: the creation rule refuses it.
        y.birth_date = d("1996-03-01");
        assert_eq!(
            codes(check_correction(&y, referred, today)),
            vec![("birth_date".to_string(), "age_out_of_range".to_string())]
        );
        // A minor on the day of the referral needs a legal representative…
        y.birth_date = d("2010-01-01");
        y.legal_rep = None;
        assert_eq!(
            codes(check_correction(&y, referred, today)),
            vec![(
                "legal_representative".to_string(),
                "legal_representative_required".to_string()
            )]
        );
        // …reachable, informed: after the referral is fine, in the future is not.
        y.legal_rep = Some(LegalRepresentative {
            name: "Mme Martin".into(),
            phone: None,
            email: None,
            informed_on: Some(d("2027-01-10")),
        });
        assert_eq!(
            codes(check_correction(&y, referred, today)),
            vec![(
                "legal_representative.phone".to_string(),
                "no_contact".to_string()
            )]
        );
        let rep = y.legal_rep.as_mut().expect("rep");
        rep.email = Some("mme.martin@example.org".into());
        assert!(check_correction(&y, referred, today).is_empty());
        y.legal_rep.as_mut().expect("rep").informed_on = Some(d("2027-06-02"));
        assert_eq!(
            codes(check_correction(&y, referred, today)),
            vec![(
                "legal_representative.informed_on".to_string(),
                "in_future".to_string()
            )]
        );
        y.legal_rep.as_mut().expect("rep").informed_on = None;
        assert_eq!(
            codes(check_correction(&y, referred, today)),
            vec![(
                "legal_representative.informed_on".to_string(),
                "required".to_string()
            )]
        );
    }
}

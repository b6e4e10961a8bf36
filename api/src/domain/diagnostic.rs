//! The diagnostic (DOMAIN.md): codes from the vocabularies defined once in `vocab`, needs as
//! prioritised data·inclusion thematiques, texts bounded, and the states in which it is
//! written. Barriers are codes: health is `sante`, never a detail; nothing judicial.
use api_types::rules::{
    AVAILABILITY_MAX_CHARS, DIAGNOSTIC_LIST_MAX, DIAGNOSTIC_LONG_TEXT_MAX_CHARS,
    DIAGNOSTIC_TEXT_MAX_CHARS,
};
use api_types::{DiagnosticInput, FieldError, Situation, Status};

use crate::domain::vocab;

/// Where each code field takes its codes from.
pub const SITUATION_VOCABULARIES: [(&str, &str); 7] = [
    ("situation.housing", "housing"),
    ("situation.resources", "resources"),
    ("situation.education_level", "education-levels"),
    ("situation.mobility", "mobility"),
    ("situation.childcare", "childcare"),
    ("situation.language", "french-levels"),
    ("situation.digital_access", "digital-access"),
];

/// A diagnostic is written once the young person is reached: in `diagnosis`, `relaying`,
/// `followed`, or on hold from one of them.
pub fn may_write(status: Status, hold_from: Option<Status>) -> bool {
    let effective = if status == Status::OnHold {
        hold_from.unwrap_or(status)
    } else {
        status
    };
    matches!(
        effective,
        Status::Diagnosis | Status::Relaying | Status::Followed
    )
}

fn code(
    errs: &mut Vec<FieldError>,
    field: &str,
    vocabulary: &str,
    v: Option<String>,
) -> Option<String> {
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())?;
    if vocab::is_known(vocabulary, &v) {
        Some(v)
    } else {
        errs.push(FieldError::new(
            field,
            "unknown_code",
            format!("Not a code of the {vocabulary} vocabulary."),
        ));
        None
    }
}

fn codes(errs: &mut Vec<FieldError>, field: &str, vocabulary: &str, v: Vec<String>) -> Vec<String> {
    if v.len() > DIAGNOSTIC_LIST_MAX {
        errs.push(FieldError::new(
            field,
            "too_many",
            format!("At most {DIAGNOSTIC_LIST_MAX}."),
        ));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for (i, c) in v.into_iter().enumerate() {
        let c = c.trim().to_string();
        if !vocab::is_known(vocabulary, &c) {
            errs.push(FieldError::new(
                format!("{field}[{i}]"),
                "unknown_code",
                format!("Not a code of the {vocabulary} vocabulary."),
            ));
        } else if out.contains(&c) {
            errs.push(FieldError::new(
                format!("{field}[{i}]"),
                "duplicate",
                "Listed twice.",
            ));
        } else {
            out.push(c);
        }
    }
    out
}

/// Trimmed (inner line breaks kept), empty is `None`, at most `max` characters.
fn text(errs: &mut Vec<FieldError>, field: &str, max: usize, v: Option<String>) -> Option<String> {
    let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())?;
    if v.chars().count() > max {
        errs.push(FieldError::new(
            field,
            "too_long",
            format!("At most {max} characters."),
        ));
        None
    } else {
        Some(v)
    }
}

/// Checks a diagnostic and returns it cleaned, or every problem at once.
pub fn parse(d: DiagnosticInput) -> Result<DiagnosticInput, Vec<FieldError>> {
    let mut e = Vec::new();
    let s = d.situation;
    let situation = Situation {
        housing: code(&mut e, "situation.housing", "housing", s.housing),
        resources: code(&mut e, "situation.resources", "resources", s.resources),
        education_level: code(
            &mut e,
            "situation.education_level",
            "education-levels",
            s.education_level,
        ),
        mobility: codes(&mut e, "situation.mobility", "mobility", s.mobility),
        childcare: code(&mut e, "situation.childcare", "childcare", s.childcare),
        language: code(&mut e, "situation.language", "french-levels", s.language),
        digital_access: code(
            &mut e,
            "situation.digital_access",
            "digital-access",
            s.digital_access,
        ),
    };
    let out = DiagnosticInput {
        situation,
        needs: codes(&mut e, "needs", "thematiques", d.needs),
        barriers: codes(&mut e, "barriers", "diagnostic-barriers", d.barriers),
        motivation_levers: codes(
            &mut e,
            "motivation_levers",
            "motivation-levers",
            d.motivation_levers,
        ),
        soft_skills: codes(&mut e, "soft_skills", "soft-skills", d.soft_skills),
        wishes: text(&mut e, "wishes", DIAGNOSTIC_TEXT_MAX_CHARS, d.wishes),
        skills: text(&mut e, "skills", DIAGNOSTIC_TEXT_MAX_CHARS, d.skills),
        availability: text(
            &mut e,
            "availability",
            AVAILABILITY_MAX_CHARS,
            d.availability,
        ),
        own_words: text(
            &mut e,
            "own_words",
            DIAGNOSTIC_LONG_TEXT_MAX_CHARS,
            d.own_words,
        ),
        shared_summary: text(
            &mut e,
            "shared_summary",
            DIAGNOSTIC_LONG_TEXT_MAX_CHARS,
            d.shared_summary,
        ),
    };
    if e.is_empty() {
        Ok(out)
    } else {
        Err(e)
    }
}

/// What a receiving structure will ever see of a diagnostic: its prioritised needs and the
/// shared summary, nothing else.
pub fn for_receiver(d: &DiagnosticInput) -> (Vec<String>, Option<String>) {
    (d.needs.clone(), d.shared_summary.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEED: &str = "trouver-un-emploi--repondre-a-des-offres-demploi";

    fn full() -> DiagnosticInput {
        DiagnosticInput {
            situation: Situation {
                housing: Some("tiers".into()),
                resources: Some("aucune".into()),
                education_level: Some("cap_bep".into()),
                mobility: vec!["transports_en_commun".into(), "velo".into()],
                childcare: Some("sans_enfant".into()),
                language: Some("courant".into()),
                digital_access: Some("acces_limite".into()),
            },
            needs: vec![NEED.into()],
            barriers: vec!["logement".into(), "sante".into()],
            motivation_levers: vec!["revenu".into()],
            soft_skills: vec!["ponctualite".into()],
            wishes: Some("  Travailler dans la logistique.\nVite.  ".into()),
            skills: Some("Cariste".into()),
            availability: Some("Matins".into()),
            own_words: Some("« Je veux m’en sortir. »".into()),
            shared_summary: Some("Motivé, cherche un emploi dans la logistique.".into()),
        }
    }

    #[test]
    fn a_complete_diagnostic_is_cleaned_and_kept_in_order() {
        let d = parse(full()).expect("valid");
        assert_eq!(
            d.wishes.as_deref(),
            Some("Travailler dans la logistique.\nVite.")
        );
        assert_eq!(d.situation.mobility, ["transports_en_commun", "velo"]);
        assert_eq!(
            parse(DiagnosticInput::default()),
            Ok(DiagnosticInput::default())
        );
        let blank = DiagnosticInput {
            wishes: Some("   ".into()),
            situation: Situation {
                housing: Some(" ".into()),
                ..Situation::default()
            },
            ..DiagnosticInput::default()
        };
        assert_eq!(parse(blank), Ok(DiagnosticInput::default()));
    }

    #[test]
    fn every_code_field_checks_its_own_vocabulary() {
        let mut d = full();
        d.situation.housing = Some("sante".into());
        d.situation.resources = Some("x".into());
        d.situation.education_level = Some("x".into());
        d.situation.mobility = vec!["x".into()];
        d.situation.childcare = Some("x".into());
        d.situation.language = Some("x".into());
        d.situation.digital_access = Some("x".into());
        d.needs = vec!["logement".into()];
        d.barriers = vec!["casier_judiciaire".into()];
        d.motivation_levers = vec!["x".into()];
        d.soft_skills = vec!["x".into()];
        let errs = parse(d).expect_err("invalid");
        let fields: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("situation.housing", "unknown_code"),
                ("situation.resources", "unknown_code"),
                ("situation.education_level", "unknown_code"),
                ("situation.mobility[0]", "unknown_code"),
                ("situation.childcare", "unknown_code"),
                ("situation.language", "unknown_code"),
                ("situation.digital_access", "unknown_code"),
                ("needs[0]", "unknown_code"),
                ("barriers[0]", "unknown_code"),
                ("motivation_levers[0]", "unknown_code"),
                ("soft_skills[0]", "unknown_code"),
            ]
        );
        assert_eq!(SITUATION_VOCABULARIES.len(), 7);
        for (_, v) in SITUATION_VOCABULARIES {
            assert!(vocab::get(v).is_some(), "{v}");
        }
    }

    #[test]
    fn lists_and_texts_are_bounded_and_repeats_refused() {
        let mut d = full();
        d.barriers = vec!["sante".into(), "sante".into()];
        d.needs = vec![NEED.to_string(); DIAGNOSTIC_LIST_MAX + 1];
        d.wishes = Some("é".repeat(DIAGNOSTIC_TEXT_MAX_CHARS + 1));
        d.skills = Some("é".repeat(DIAGNOSTIC_TEXT_MAX_CHARS));
        d.availability = Some("x".repeat(AVAILABILITY_MAX_CHARS + 1));
        d.own_words = Some("x".repeat(DIAGNOSTIC_LONG_TEXT_MAX_CHARS + 1));
        d.shared_summary = Some("x".repeat(DIAGNOSTIC_LONG_TEXT_MAX_CHARS + 1));
        let errs = parse(d).expect_err("invalid");
        let fields: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("needs", "too_many"),
                ("barriers[1]", "duplicate"),
                ("wishes", "too_long"),
                ("availability", "too_long"),
                ("own_words", "too_long"),
                ("shared_summary", "too_long"),
            ]
        );
    }

    #[test]
    fn a_diagnostic_is_written_once_the_youth_is_reached() {
        for s in Status::ALL {
            let expected = matches!(s, Status::Diagnosis | Status::Relaying | Status::Followed);
            assert_eq!(may_write(*s, None), expected, "{s}");
            if *s != Status::OnHold && *s != Status::Closed {
                assert_eq!(
                    may_write(Status::OnHold, Some(*s)),
                    expected,
                    "on hold from {s}"
                );
            }
        }
    }

    #[test]
    fn a_receiver_gets_the_needs_and_the_shared_summary_only() {
        let d = parse(full()).expect("valid");
        assert_eq!(
            for_receiver(&d),
            (vec![NEED.to_string()], d.shared_summary.clone())
        );
    }
}

//! Orient on the counsellor's side: the quick attempt form, the next action a referral asks
//! for, the transitions offered with their reasons, and the diagnostic's sections (what
//! changed when a save comes back stale). Plain Rust, tested on the host.
use api_types::rules::ATTEMPT_NOTE_MAX_CHARS;
use api_types::{
    AttemptChannel, AttemptOutcome, ContactAttemptCreate, DiagnosticInput, FieldError, HoldReason,
    Outcome, Referral, Status,
};
use chrono::NaiveDate;

use super::error::{field_message, too_long};
use super::form::{Errors, FormField, FormModel};

pub fn channel(c: AttemptChannel) -> &'static str {
    match c {
        AttemptChannel::Phone => "Téléphone",
        AttemptChannel::Sms => "SMS",
        AttemptChannel::Email => "Courriel",
        AttemptChannel::Letter => "Courrier",
        AttemptChannel::HomeVisit => "Visite à domicile",
        AttemptChannel::Outreach => "Aller-vers",
        AttemptChannel::ViaPrescriber => "Par le prescripteur",
        AttemptChannel::Other => "Autre",
    }
}

pub fn outcome(o: AttemptOutcome) -> &'static str {
    match o {
        AttemptOutcome::Reached => "Joint",
        AttemptOutcome::NoAnswer => "Pas de réponse",
        AttemptOutcome::Voicemail => "Messagerie",
        AttemptOutcome::WrongContact => "Coordonnées erronées",
        AttemptOutcome::Refused => "Refus",
        AttemptOutcome::AppointmentSet => "Rendez-vous fixé",
    }
}

/// The channels offered: only "par le prescripteur" for a youth reached through them only.
pub fn channels_offered(via_prescriber_only: bool) -> Vec<AttemptChannel> {
    if via_prescriber_only {
        vec![AttemptChannel::ViaPrescriber]
    } else {
        AttemptChannel::ALL.to_vec()
    }
}

/// What the referral asks of the counsellor now, in one sentence.
pub fn next_action(r: &Referral) -> &'static str {
    let rule_met = r.contact.as_ref().is_some_and(|c| c.unreachable_rule_met);
    match r.status {
        Status::PendingModeration => "Vérifier ce signalement avant de l’accepter.",
        Status::Submitted => "Attribuer ce dossier pour prendre contact avec le jeune.",
        Status::Contacting if rule_met => {
            "La règle d’injoignabilité est atteinte : confirmez « injoignable » ou continuez d’essayer."
        }
        Status::Contacting => "Joindre le jeune et noter chaque tentative.",
        Status::Unreachable => {
            "Le jeune est injoignable : notez toute nouvelle tentative ou reprenez le contact s’il réapparaît."
        }
        Status::Diagnosis => "Remplir le diagnostic avec le jeune.",
        Status::Relaying => "Suivre la demande de relai.",
        Status::Followed => "Suivre l’accompagnement du jeune.",
        Status::OnHold => "Dossier en pause : reprenez-le quand le jeune est disponible.",
        Status::Closed => "Dossier clos : le parcours peut être repris si le jeune revient.",
    }
}

/// The fields of the quick attempt form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AttemptField {
    Channel,
    Outcome,
    Note,
    NextTry,
    Message,
    Form,
}

impl FormField for AttemptField {
    fn id(self) -> &'static str {
        match self {
            AttemptField::Channel => "tentative-canal",
            AttemptField::Outcome => "tentative-resultat",
            AttemptField::Note => "tentative-note",
            AttemptField::NextTry => "tentative-prochaine",
            AttemptField::Message => "tentative-message",
            AttemptField::Form => "formulaire-tentative",
        }
    }

    fn label(self) -> &'static str {
        match self {
            AttemptField::Channel => "Moyen",
            AttemptField::Outcome => "Résultat",
            AttemptField::Note => "Note",
            AttemptField::NextTry => "Prochaine tentative",
            AttemptField::Message => "Demande au prescripteur",
            AttemptField::Form => "Tentative",
        }
    }
}

/// The attempt as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttemptForm {
    pub channel: Option<AttemptChannel>,
    pub outcome: Option<AttemptOutcome>,
    pub note: String,
    /// `YYYY-MM-DD` from the date input, or empty.
    pub next_try: String,
    pub message: String,
}

impl FormModel for AttemptForm {
    type Field = AttemptField;
    /// Today in the territory.
    type Context = NaiveDate;

    fn validate(&self, today: &NaiveDate) -> Errors<AttemptField> {
        let mut e = Errors::new();
        if self.channel.is_none() {
            e.add(AttemptField::Channel, "Choisissez le moyen utilisé.");
        }
        if self.outcome.is_none() {
            e.add(AttemptField::Outcome, "Choisissez le résultat.");
        }
        if self.note.trim().chars().count() > ATTEMPT_NOTE_MAX_CHARS {
            e.add(AttemptField::Note, too_long(ATTEMPT_NOTE_MAX_CHARS));
        }
        if self.message.trim().chars().count() > ATTEMPT_NOTE_MAX_CHARS {
            e.add(AttemptField::Message, too_long(ATTEMPT_NOTE_MAX_CHARS));
        }
        if !self.next_try.is_empty() {
            match self.next_try.parse::<NaiveDate>() {
                Ok(d) if d < *today => e.add(AttemptField::NextTry, field_message("in_past")),
                Ok(_) => {}
                Err(_) => e.add(AttemptField::NextTry, field_message("invalid_date")),
            }
        }
        e
    }

    fn api_error(e: &FieldError) -> (AttemptField, String) {
        let field = match e.field.as_str() {
            "channel" => AttemptField::Channel,
            "outcome" => AttemptField::Outcome,
            "note" => AttemptField::Note,
            "next_try_on" => AttemptField::NextTry,
            "request_message" => AttemptField::Message,
            _ => AttemptField::Form,
        };
        (field, field_message(&e.code))
    }
}

impl AttemptForm {
    pub fn to_request(
        &self,
        today: &NaiveDate,
    ) -> Result<ContactAttemptCreate, Errors<AttemptField>> {
        let errors = self.validate(today);
        match (self.channel, self.outcome) {
            (Some(channel), Some(outcome)) if errors.is_empty() => {
                let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
                Ok(ContactAttemptCreate {
                    channel,
                    outcome,
                    attempted_at: None,
                    note: text(&self.note),
                    next_try_on: self.next_try.parse().ok(),
                    request_message: if channel == AttemptChannel::ViaPrescriber {
                        text(&self.message)
                    } else {
                        None
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

/// A transition the counsellor may ask for from the referral page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Pause, with a hold reason code.
    Hold,
    /// Back to the state it left.
    Unhold(Status),
    /// Confirm unreachable (a reason).
    Unreachable,
    /// The youth reappeared.
    BackToContacting,
    /// Back to the queue.
    Release,
    /// Close with an outcome (and a reason for the negative ones).
    Close,
    /// The youth moved: to the territory of their new commune.
    Transfer,
    /// Hand it over to a colleague of the territory.
    Reassign,
}

impl Move {
    pub fn label(self) -> String {
        match self {
            Move::Hold => "Mettre en pause".into(),
            Move::Unhold(s) => format!("Reprendre ({})", super::labels::status(s).to_lowercase()),
            Move::Unreachable => "Confirmer « injoignable »".into(),
            Move::BackToContacting => "Le jeune réapparaît : reprendre le contact".into(),
            Move::Release => "Remettre dans la file".into(),
            Move::Close => "Clore le dossier".into(),
            Move::Transfer => "Transférer (le jeune a déménagé)".into(),
            Move::Reassign => "Confier à un collègue".into(),
        }
    }

    /// Whether it asks for a reason, and which kind.
    pub fn needs_text_reason(self) -> bool {
        matches!(self, Move::Unreachable)
    }
}

/// The moves offered in a state (DOMAIN.md's allow-list for a counsellor).
pub fn moves(status: Status, hold_from: Option<Status>) -> Vec<Move> {
    let mut v = Vec::new();
    match status {
        Status::Contacting => v.extend([Move::Unreachable, Move::Hold, Move::Release]),
        Status::Unreachable => v.push(Move::BackToContacting),
        Status::Diagnosis | Status::Relaying | Status::Followed => v.push(Move::Hold),
        Status::OnHold => v.extend(hold_from.map(Move::Unhold)),
        _ => {}
    }
    if !close_outcomes(status).is_empty() {
        v.push(Move::Close);
    }
    if !matches!(
        status,
        Status::PendingModeration | Status::Submitted | Status::Closed
    ) {
        v.push(Move::Reassign);
    }
    if status != Status::Closed {
        v.push(Move::Transfer);
    }
    v
}

/// The outcomes a counsellor may close with from `status` (the core's outcome table).
pub fn close_outcomes(status: Status) -> Vec<Outcome> {
    use Status::*;
    let worked = matches!(
        status,
        Contacting | Diagnosis | Relaying | Followed | OnHold
    );
    let mut v = Vec::new();
    if status == Followed {
        v.push(Outcome::TakenInCharge);
    }
    if worked {
        v.extend([Outcome::PositiveExit, Outcome::Declined]);
    }
    if status == Unreachable {
        v.push(Outcome::Unreachable);
    }
    if status != Closed {
        v.extend([Outcome::MovedAway, Outcome::Duplicate]);
    }
    v
}

/// Negative outcomes need a written reason (never shown to prescribers).
pub fn outcome_needs_reason(o: Outcome) -> bool {
    !matches!(o, Outcome::TakenInCharge | Outcome::PositiveExit)
}

pub const HOLD_REASONS: [HoldReason; 4] = [
    HoldReason::TemporarilyUnavailable,
    HoldReason::WaitingList,
    HoldReason::YouthRequest,
    HoldReason::Other,
];

/// The diagnostic form's sections, in page order, and what each holds.
pub const SECTIONS: [&str; 6] = [
    "Situation",
    "Besoins prioritaires",
    "Freins périphériques",
    "Motivation et savoir-être",
    "Souhaits, compétences, disponibilités",
    "Paroles du jeune et synthèse partagée",
];

/// The sections in which `a` and `b` differ (what someone else changed, after a 412).
pub fn changed_sections(a: &DiagnosticInput, b: &DiagnosticInput) -> Vec<&'static str> {
    let differs = [
        a.situation != b.situation,
        a.needs != b.needs,
        a.barriers != b.barriers,
        a.motivation_levers != b.motivation_levers || a.soft_skills != b.soft_skills,
        a.wishes != b.wishes || a.skills != b.skills || a.availability != b.availability,
        a.own_words != b.own_words || a.shared_summary != b.shared_summary,
    ];
    SECTIONS
        .iter()
        .zip(differs)
        .filter(|(_, d)| *d)
        .map(|(s, _)| *s)
        .collect()
}

/// Where the diagnostic stands on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Unsaved,
    Saving,
    /// Someone saved meanwhile: these sections changed; what the user typed is kept.
    Stale(Vec<&'static str>),
    Failed(String),
}

impl SaveState {
    pub fn of(draft: &DiagnosticInput, saved: &DiagnosticInput) -> SaveState {
        if normalised(draft) == normalised(saved) {
            SaveState::Saved
        } else {
            SaveState::Unsaved
        }
    }

    pub fn text(&self) -> String {
        match self {
            SaveState::Saved => "Enregistré".into(),
            SaveState::Unsaved => "Modifications non enregistrées".into(),
            SaveState::Saving => "Enregistrement…".into(),
            SaveState::Stale(s) if s.is_empty() => {
                "Un collègue a enregistré une autre version. Vos saisies sont gardées : enregistrez à nouveau pour les garder.".into()
            }
            SaveState::Stale(s) => format!(
                "Un collègue a enregistré une autre version ({}). Vos saisies sont gardées : vérifiez puis enregistrez à nouveau.",
                s.join(", ").to_lowercase()
            ),
            SaveState::Failed(m) => format!("Non enregistré : {m}"),
        }
    }
}

/// What the API stores: trimmed texts, empty ones absent.
fn normalised(d: &DiagnosticInput) -> DiagnosticInput {
    let t = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut n = d.clone();
    n.wishes = t(&d.wishes);
    n.skills = t(&d.skills);
    n.availability = t(&d.availability);
    n.own_words = t(&d.own_words);
    n.shared_summary = t(&d.shared_summary);
    n
}

/// Adds or removes `code` from a list of codes.
pub fn toggle(list: &mut Vec<String>, code: &str, on: bool) {
    list.retain(|c| c != code);
    if on {
        list.push(code.to_string());
    }
}

/// Moves `code` one place up in a prioritised list.
pub fn move_up(list: &mut [String], code: &str) {
    if let Some(i) = list.iter().position(|c| c == code) {
        if i > 0 {
            list.swap(i, i - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-03-10".parse().expect("date")
    }

    #[test]
    fn an_attempt_needs_a_channel_and_an_outcome_and_a_next_try_ahead() {
        let f = AttemptForm::default();
        let e = f.validate(&today());
        assert_eq!(
            e.get(AttemptField::Channel),
            Some("Choisissez le moyen utilisé.")
        );
        assert!(e.get(AttemptField::Outcome).is_some());
        let mut f = AttemptForm {
            channel: Some(AttemptChannel::Phone),
            outcome: Some(AttemptOutcome::NoAnswer),
            note: "  Sonne dans le vide. ".into(),
            next_try: "2026-03-09".into(),
            message: "Ignoré".into(),
        };
        assert!(f.validate(&today()).get(AttemptField::NextTry).is_some());
        f.next_try = "2026-03-12".into();
        let req = f.to_request(&today()).expect("valid");
        assert_eq!(req.note.as_deref(), Some("Sonne dans le vide."));
        assert_eq!(req.next_try_on, "2026-03-12".parse().ok());
        assert_eq!(
            req.request_message, None,
            "a message goes with via_prescriber only"
        );
        f.note = "x".repeat(501);
        assert!(f.to_request(&today()).is_err());
    }

    #[test]
    fn a_youth_reached_through_the_prescriber_only_is_offered_one_channel() {
        assert_eq!(channels_offered(true), [AttemptChannel::ViaPrescriber]);
        assert_eq!(channels_offered(false).len(), 8);
        for c in AttemptChannel::ALL {
            assert!(!channel(*c).is_empty());
        }
        for o in AttemptOutcome::ALL {
            assert!(!outcome(*o).is_empty());
        }
    }

    #[test]
    fn moves_follow_the_counsellor_s_allow_list() {
        use Move::{BackToContacting, Close, Hold, Reassign, Release, Transfer, Unhold};
        use Status::*;
        assert_eq!(
            moves(Contacting, None),
            [Move::Unreachable, Hold, Release, Close, Reassign, Transfer]
        );
        assert_eq!(
            moves(Status::Unreachable, None),
            [BackToContacting, Close, Reassign, Transfer]
        );
        assert_eq!(moves(Diagnosis, None), [Hold, Close, Reassign, Transfer]);
        assert_eq!(
            moves(OnHold, Some(Diagnosis)),
            [Unhold(Diagnosis), Close, Reassign, Transfer]
        );
        assert_eq!(moves(Submitted, None), [Close, Transfer]);
        assert!(moves(Closed, None).is_empty());
        assert_eq!(
            close_outcomes(Contacting),
            [
                Outcome::PositiveExit,
                Outcome::Declined,
                Outcome::MovedAway,
                Outcome::Duplicate
            ]
        );
        assert_eq!(
            close_outcomes(Unreachable),
            [Outcome::Unreachable, Outcome::MovedAway, Outcome::Duplicate]
        );
        assert_eq!(close_outcomes(Followed)[0], Outcome::TakenInCharge);
        assert!(close_outcomes(Closed).is_empty());
        assert!(outcome_needs_reason(Outcome::Declined));
        assert!(!outcome_needs_reason(Outcome::PositiveExit));
    }

    #[test]
    fn a_stale_save_names_the_sections_someone_else_changed() {
        let a = DiagnosticInput::default();
        let mut b = a.clone();
        b.barriers = vec!["sante".into()];
        b.shared_summary = Some("Synthèse".into());
        assert_eq!(
            changed_sections(&a, &b),
            [
                "Freins périphériques",
                "Paroles du jeune et synthèse partagée"
            ]
        );
        assert!(changed_sections(&a, &a).is_empty());
        let s = SaveState::Stale(changed_sections(&a, &b));
        assert!(s.text().contains("freins périphériques"));
    }

    #[test]
    fn the_form_says_whether_it_is_saved() {
        let saved = DiagnosticInput {
            wishes: Some("Logistique".into()),
            ..DiagnosticInput::default()
        };
        let mut draft = saved.clone();
        assert_eq!(SaveState::of(&draft, &saved), SaveState::Saved);
        draft.wishes = Some(" Logistique ".into());
        assert_eq!(
            SaveState::of(&draft, &saved),
            SaveState::Saved,
            "as the API stores it"
        );
        draft.wishes = Some("Vente".into());
        assert_eq!(SaveState::of(&draft, &saved), SaveState::Unsaved);
        assert_eq!(SaveState::Saved.text(), "Enregistré");
        assert_eq!(SaveState::Unsaved.text(), "Modifications non enregistrées");
    }

    #[test]
    fn codes_toggle_and_needs_are_reordered() {
        let mut v = vec!["a".to_string(), "b".to_string()];
        toggle(&mut v, "c", true);
        toggle(&mut v, "a", false);
        assert_eq!(v, ["b", "c"]);
        move_up(&mut v, "c");
        assert_eq!(v, ["c", "b"]);
        move_up(&mut v, "c");
        assert_eq!(v, ["c", "b"]);
    }
}

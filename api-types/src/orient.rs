//! Orient: contact attempts, the unreachable rule, requests to the prescriber, the diagnostic,
//! transfers and resumed journeys.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::{page_type, PersonRef};

code_enum! {
    /// How a counsellor tried to reach the young person (DOMAIN.md).
    pub enum AttemptChannel {
        Phone = "phone",
        Sms = "sms",
        Email = "email",
        Letter = "letter",
        HomeVisit = "home_visit",
        Outreach = "outreach",
        /// Through the prescriber: opens a request the prescriber answers in the app.
        ViaPrescriber = "via_prescriber",
        Other = "other",
    }
}

code_enum! {
    /// What came of a contact attempt. `reached` and `appointment_set` are a *contact*.
    pub enum AttemptOutcome {
        Reached = "reached",
        NoAnswer = "no_answer",
        Voicemail = "voicemail",
        WrongContact = "wrong_contact",
        Refused = "refused",
        AppointmentSet = "appointment_set",
    }
}

impl AttemptOutcome {
    /// DOMAIN.md's one definition of a contact.
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            AttemptOutcome::Reached | AttemptOutcome::AppointmentSet
        )
    }
}

/// A contact attempt to record: `POST /referrals/{id}/contact-attempts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactAttemptCreate {
    pub channel: AttemptChannel,
    pub outcome: AttemptOutcome,
    /// When it happened (default: now); between the referral's creation and now.
    #[serde(default)]
    pub attempted_at: Option<DateTime<Utc>>,
    /// A short note for the SAS team (never shown to prescribers).
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub note: Option<String>,
    /// When to try next (a calendar day of the territory, today or later).
    #[serde(default)]
    pub next_try_on: Option<NaiveDate>,
    /// With `via_prescriber`: what to ask the prescriber (shown to them; no personal detail
    /// beyond what they entered).
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub request_message: Option<String>,
}

/// A recorded contact attempt (the SAS team only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ContactAttempt {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub channel: AttemptChannel,
    pub outcome: AttemptOutcome,
    pub attempted_at: DateTime<Utc>,
    pub note: Option<String>,
    pub next_try_on: Option<NaiveDate>,
    pub author: Option<PersonRef>,
    pub recorded_at: DateTime<Utc>,
    /// The request to the prescriber this attempt opened (`via_prescriber`).
    pub prescriber_request_id: Option<Uuid>,
}

page_type!(
    ContactAttemptPage,
    ContactAttempt,
    "A page of contact attempts, latest first."
);

/// Where the effort to reach the young person stands (the SAS team only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ContactProgress {
    /// Every attempt of this referral.
    pub attempts: i64,
    /// Attempts since it last entered `contacting` (what the unreachable rule counts).
    pub attempts_since_contacting: i64,
    /// Channels tried since it last entered `contacting`.
    pub channels_tried: Vec<AttemptChannel>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Calendar days (territory time zone) since the referral was made.
    pub days_since_referral: i64,
    /// Calendar days since the last attempt.
    pub days_since_last_attempt: Option<i64>,
    /// The next try planned with the latest attempt.
    pub next_try_on: Option<NaiveDate>,
    /// The territory's unreachable rule is met: a counsellor may move it to `unreachable`.
    pub unreachable_rule_met: bool,
}

/// The SAS team serving a referral's territory, as prescribers may reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct SasTeamContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

code_enum! {
    /// Where a request to the prescriber stands.
    pub enum RequestStatus {
        Open = "open",
        Answered = "answered",
    }
}

/// A request of the SAS team to the prescriber, for a young person reached through them only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct PrescriberRequest {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub status: RequestStatus,
    /// What the SAS team asks.
    pub message: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

page_type!(
    PrescriberRequestPage,
    PrescriberRequest,
    "A page of requests to the prescriber, latest first."
);

/// The prescriber's answer to a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrescriberRequestAnswer {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 1000))]
    pub answer: String,
}

/// `Some(None)` for an explicit `null`, `None` when absent.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Correction of the young person's contact details (`PATCH /referrals/{id}/youth-contact`,
/// prescriber or counsellor, `If-Match`). Absent fields are kept; `null` clears a phone or an
/// email. The previous details are kept in the history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct YouthContactUpdate {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "full", schema(value_type = Option<String>, nullable = true))]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "full", schema(value_type = Option<String>, nullable = true))]
    pub email: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_channels: Option<Vec<crate::ContactChannel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_via_prescriber_only: Option<bool>,
}

/// `POST /referrals/{id}/transfer`: the young person moved to a commune of another territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// INSEE code of their new commune: its territory receives the referral.
    pub commune_insee: String,
}

/// The young person's situation, as codes of the diagnostic vocabularies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Situation {
    /// `housing` vocabulary.
    #[serde(default)]
    pub housing: Option<String>,
    /// `resources` vocabulary.
    #[serde(default)]
    pub resources: Option<String>,
    /// `education-levels` vocabulary.
    #[serde(default)]
    pub education_level: Option<String>,
    /// `mobility` vocabulary (several may apply).
    #[serde(default)]
    pub mobility: Vec<String>,
    /// `childcare` vocabulary.
    #[serde(default)]
    pub childcare: Option<String>,
    /// `french-levels` vocabulary.
    #[serde(default)]
    pub language: Option<String>,
    /// `digital-access` vocabulary.
    #[serde(default)]
    pub digital_access: Option<String>,
}

/// A diagnostic as the counsellor saves it (`PUT /referrals/{id}/diagnostic`, `If-Match`).
/// Codes come from `GET /vocabularies/{name}`; barriers are codes only (health is `sante`,
/// never a detail); nothing judicial.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DiagnosticInput {
    #[serde(default)]
    pub situation: Situation,
    /// data·inclusion `thematiques`, most important first (at most 10, no repeats).
    #[serde(default)]
    pub needs: Vec<String>,
    /// `diagnostic-barriers` vocabulary.
    #[serde(default)]
    pub barriers: Vec<String>,
    /// `motivation-levers` vocabulary.
    #[serde(default)]
    pub motivation_levers: Vec<String>,
    /// `soft-skills` vocabulary.
    #[serde(default)]
    pub soft_skills: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 1000))]
    pub wishes: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 1000))]
    pub skills: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub availability: Option<String>,
    /// The young person's own words.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 2000))]
    pub own_words: Option<String>,
    /// Written for receiving structures: the only part of the diagnostic they will ever see.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 2000))]
    pub shared_summary: Option<String>,
}

/// The current diagnostic of a referral (version 0: nothing saved yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Diagnostic {
    pub referral_id: Uuid,
    pub version: i32,
    /// What was saved (what `PUT` takes).
    pub content: DiagnosticInput,
    pub saved_at: Option<DateTime<Utc>>,
    pub saved_by: Option<PersonRef>,
}

/// One saved version of a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct DiagnosticVersion {
    pub version: i32,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<PersonRef>,
    pub content: DiagnosticInput,
}

page_type!(
    DiagnosticVersionPage,
    DiagnosticVersion,
    "A page of a diagnostic's versions, latest first."
);

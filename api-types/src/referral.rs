//! Identify: referrals of young people, their timeline and the counsellors' queue.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{page_type, StructureRef};

/// Where a referral comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Institutional,
    FieldActor,
    Relative,
    #[serde(rename = "self")]
    SelfReferral,
}

/// Why the previous accompaniment ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    AseExit,
    JudicialMeasureEnd,
    SchoolDropout,
    ProgrammeEnd,
    RightsEnd,
    Other,
}

/// Status of a referral (see DOMAIN.md's lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    PendingModeration,
    Submitted,
    Contacting,
    Unreachable,
    Diagnosis,
    Relaying,
    Followed,
    OnHold,
    Closed,
}

/// How a closed referral ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    TakenInCharge,
    PositiveExit,
    Declined,
    Unreachable,
    MovedAway,
    Duplicate,
    Withdrawn,
    EnteredInError,
}

/// Why a referral is on hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    TemporarilyUnavailable,
    WaitingList,
    YouthRequest,
    Other,
}

/// A way the young person may be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Sms,
    Email,
    Letter,
    HomeVisit,
    ViaPrescriber,
}

/// What the young person agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    /// A SAS counsellor may contact them.
    SasContact,
    /// Their situation may be shared with a receiving structure.
    ShareWithReceiver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Oral,
    Written,
}

/// The information notice read to the young person, and what they agreed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// When the young person was informed.
    pub informed_at: DateTime<Utc>,
    /// Who informed them (name and role of the professional).
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub informed_by: String,
    pub method: ConsentMethod,
    /// Must include `sas_contact`.
    pub agreed: Vec<ConsentScope>,
}

/// Legal representative of a minor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegalRepresentative {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub name: String,
    /// French numbers are normalised to E.164.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// When they were informed of the referral.
    #[serde(default)]
    pub informed_on: Option<NaiveDate>,
}

/// Identity and contact of the young person, as the prescriber enters them. Nothing judicial
/// or medical is ever stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct YouthInput {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub first_name: String,
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub last_name: String,
    /// 15 to 29 years old on the day of the referral.
    pub birth_date: NaiveDate,
    /// French numbers (`06 12 34 56 78`, `+33…`, overseas) are normalised to E.164.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// INSEE code of the commune where they live: it decides the territory.
    pub commune_insee: String,
    /// Channels the young person accepts.
    #[serde(default)]
    pub contact_channels: Vec<ContactChannel>,
    /// Contact only through the prescriber.
    #[serde(default)]
    pub contact_via_prescriber_only: bool,
    /// Required under 18.
    #[serde(default)]
    pub legal_representative: Option<LegalRepresentative>,
}

/// A young person's referral by a prescriber.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralCreate {
    pub youth: YouthInput,
    pub reason_code: ReasonCode,
    /// Required when `reason_code` is `other`.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub reason_text: Option<String>,
    /// Anticipated end of the current accompaniment (may be past: the referral is then urgent).
    #[serde(default)]
    pub exit_date: Option<NaiveDate>,
    /// Needs noted by the prescriber (data·inclusion `thematiques` codes).
    #[serde(default)]
    pub needs: Vec<String>,
    pub consent: Consent,
}

/// Correction of a referral by its prescriber, while no counsellor has taken it (`If-Match`
/// required). Absent fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralUpdate {
    #[serde(default)]
    pub youth: Option<YouthInput>,
    #[serde(default)]
    pub reason_code: Option<ReasonCode>,
    #[serde(default)]
    pub reason_text: Option<String>,
    #[serde(default)]
    pub exit_date: Option<NaiveDate>,
    #[serde(default)]
    pub needs: Option<Vec<String>>,
}

/// The young person as shown with a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Youth {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    /// Age today.
    pub age: i32,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub commune_name: String,
    pub contact_channels: Vec<ContactChannel>,
    pub contact_via_prescriber_only: bool,
    pub legal_representative: Option<LegalRepresentative>,
}

/// A person named by id and display name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: Uuid,
    pub name: String,
}

/// One passage of a young person through SAS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Referral {
    pub id: Uuid,
    pub status: Status,
    pub channel: Channel,
    pub territory_id: Uuid,
    pub prescriber_structure: Option<StructureRef>,
    pub youth: Youth,
    pub reason_code: ReasonCode,
    pub reason_text: Option<String>,
    pub exit_date: Option<NaiveDate>,
    /// Calendar days from today (territory time zone) to `exit_date`; negative when past.
    pub days_to_exit: Option<i64>,
    /// Exit date within 30 days (or past) and not yet in diagnosis.
    pub urgent: bool,
    pub needs: Vec<String>,
    pub consent: Consent,
    /// Counsellor in charge (shown to counsellors only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_counsellor: Option<PersonRef>,
    /// The same young person is in another open referral (shown to counsellors only: a
    /// prescriber never learns that another structure referred them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_duplicate: Option<bool>,
    pub on_hold_reason: Option<HoldReason>,
    pub outcome: Option<Outcome>,
    pub previous_referral_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

page_type!(
    ReferralPage,
    Referral,
    "A page of referrals, in queue order (exit date, nulls last, then creation)."
);

/// A requested change of status: `POST /referrals/{id}/transitions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: Status,
    /// Reason code: a `HoldReason` for `on_hold`; free for negative states.
    #[serde(default)]
    pub reason: Option<String>,
    /// Required with `to = closed`.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// With `to = contacting` from `submitted`: the counsellor to assign (default: the caller).
    #[serde(default)]
    pub counsellor_id: Option<Uuid>,
}

/// Assign a referral being contacted to another counsellor of the territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub counsellor_id: Uuid,
}

/// One entry of a referral's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: Uuid,
    /// `created`, `status_changed`, `assigned`, `corrected`…
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// Reason or outcome code.
    pub code: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// Who acted (hidden from prescribers for SAS-side actions).
    pub actor: Option<PersonRef>,
}

page_type!(EventPage, Event, "A page of events, oldest first.");

//! Identify: referrals of young people, their timeline and the counsellors' queue.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::{page_type, StructureRef};

code_enum! {
    /// Where a referral comes from.
    pub enum Channel {
        Institutional = "institutional",
        FieldActor = "field_actor",
        Relative = "relative",
        SelfReferral = "self",
    }
}

code_enum! {
    /// Why the previous accompaniment ends.
    pub enum ReasonCode {
        AseExit = "ase_exit",
        JudicialMeasureEnd = "judicial_measure_end",
        SchoolDropout = "school_dropout",
        ProgrammeEnd = "programme_end",
        RightsEnd = "rights_end",
        Other = "other",
    }
}

code_enum! {
    /// Status of a referral (see DOMAIN.md's lifecycle).
    pub enum Status {
        PendingModeration = "pending_moderation",
        Submitted = "submitted",
        Contacting = "contacting",
        Unreachable = "unreachable",
        Diagnosis = "diagnosis",
        Relaying = "relaying",
        Followed = "followed",
        OnHold = "on_hold",
        Closed = "closed",
    }
}

code_enum! {
    /// How a closed referral ended. `closed_by_sas` is how a prescriber reads `duplicate` (it
    /// must never learn that another structure referred the same youth): it is only ever read,
    /// never recorded.
    pub enum Outcome {
        TakenInCharge = "taken_in_charge",
        PositiveExit = "positive_exit",
        Declined = "declined",
        Unreachable = "unreachable",
        MovedAway = "moved_away",
        Duplicate = "duplicate",
        Withdrawn = "withdrawn",
        EnteredInError = "entered_in_error",
        ClosedBySas = "closed_by_sas",
    }
}

code_enum! {
    /// Why a referral is on hold.
    pub enum HoldReason {
        TemporarilyUnavailable = "temporarily_unavailable",
        WaitingList = "waiting_list",
        YouthRequest = "youth_request",
        Other = "other",
    }
}

code_enum! {
    /// A way the young person may be contacted.
    pub enum ContactChannel {
        Phone = "phone",
        Sms = "sms",
        Email = "email",
        Letter = "letter",
        HomeVisit = "home_visit",
        ViaPrescriber = "via_prescriber",
    }
}

code_enum! {
    /// What the young person agreed to.
    pub enum ConsentScope {
        /// A SAS counsellor may contact them.
        SasContact = "sas_contact",
        /// Their situation may be shared with a receiving structure.
        ShareWithReceiver = "share_with_receiver",
    }
}

code_enum! {
    /// How the young person was informed.
    pub enum ConsentMethod {
        Oral = "oral",
        Written = "written",
    }
}

code_enum! {
    /// What an entry of a referral's timeline records.
    pub enum EventKind {
        /// The referral was made.
        Created = "created",
        /// Its status changed (`from_status` → `to_status`, `code`: the outcome or hold reason).
        StatusChanged = "status_changed",
        /// Another counsellor of the team took it over.
        Assigned = "assigned",
        /// Its prescriber corrected it, or a counsellor corrected the young person's identity
        /// (`fields`: which fields changed, never their old or new values).
        Corrected = "corrected",
        /// A new consent record was appended.
        ConsentRecorded = "consent_recorded",
        /// A contact attempt (`code`: its outcome; `attempt_channel`: its channel).
        ContactAttempt = "contact_attempt",
        /// The young person's contact details were corrected (`fields`: which, never values).
        ContactCorrected = "contact_corrected",
        /// A new version of the diagnostic was saved.
        DiagnosticSaved = "diagnostic_saved",
        /// The SAS team asked the prescriber to reach the young person.
        PrescriberRequested = "prescriber_requested",
        /// The prescriber answered the SAS team's request.
        PrescriberAnswered = "prescriber_answered",
        /// The referral moved to another territory (the event's territory is the one it left).
        Transferred = "transferred",
        /// A closed journey was resumed: the first event of the new referral (counted in H2
        /// and H3, not in H1, which counts `created`).
        Resumed = "resumed",
        /// A service was set aside from the referral's matches (`code`: the reason).
        MatchExcluded = "match_excluded",
        /// A service set aside was brought back into the matches.
        MatchExclusionRemoved = "match_exclusion_removed",
        /// A relay was sent (`relay_id`; an off-platform one is coded `off_platform`).
        RelayRequested = "relay_requested",
        /// The receiving structure accepted a relay.
        RelayAccepted = "relay_accepted",
        /// The receiving structure refused a relay (`code`: its reason).
        RelayRefused = "relay_refused",
        /// A relay went 30 days without an answer.
        RelayExpired = "relay_expired",
        /// A relay was cancelled (`code`: `referral_closed` or `consent_withdrawn` when it
        /// followed from those).
        RelayCancelled = "relay_cancelled",
        /// The first appointment was held: taken in charge.
        RelayStarted = "relay_started",
        /// A relay ended well (`code`: its outcome).
        RelayCompleted = "relay_completed",
        /// A relay failed (`code`: its reason).
        RelayFailed = "relay_failed",
        /// A follow-up checkpoint was answered (`code`: the answer; `fields`: `["j30"]`…).
        CheckpointAnswered = "checkpoint_answered",
    }
}

code_enum! {
    /// What an access-log row records about a young person's data.
    pub enum AccessAction {
        Read = "read",
        List = "list",
        Create = "create",
        Update = "update",
        Export = "export",
        Anonymise = "anonymise",
    }
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
    /// When they were informed of the referral (required: a minor's legal representative is
    /// always informed; not in the future).
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

/// A counsellor's correction of the young person's identity (`PATCH /referrals/{id}/youth`,
/// `If-Match`): the right of rectification. Absent fields are kept; `legal_representative:
/// null` removes it. Contact details are corrected at `PATCH /referrals/{id}/youth-contact`.
/// The event `corrected` names the fields changed, never their old or new values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct YouthCorrection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub last_name: Option<String>,
    /// 15 to 29 years old on the day of the referral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Required for a minor (on the day of the referral); `null` removes it.
    #[serde(
        default,
        deserialize_with = "present_rep",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "full", schema(value_type = Option<LegalRepresentative>, nullable = true))]
    pub legal_representative: Option<Option<LegalRepresentative>>,
}

/// `Some(None)` for an explicit `null`, `None` when absent.
fn present_rep<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<LegalRepresentative>>, D::Error> {
    Option::<LegalRepresentative>::deserialize(d).map(Some)
}

/// The young person as shown with a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Youth {
    pub id: Uuid,
    /// When the youth was anonymised (retention or erasure), `null` otherwise. Once set, the
    /// names are empty, `birth_date` is the placeholder `1900-01-01` (not a date: ignore it),
    /// `age` is 0, and there is no phone, email, contact channel nor legal representative.
    #[serde(default)]
    pub anonymised_at: Option<DateTime<Utc>>,
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

page_type!(PersonPage, PersonRef, "A page of people, by email.");

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
    /// The other open referrals of the same young person (counsellors only, computed when read:
    /// both are listed while both are open). Inside your territory each names its referral;
    /// elsewhere it only says `other_territory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<Vec<DuplicateLink>>,
    pub on_hold_reason: Option<HoldReason>,
    /// The state an `on_hold` referral returns to (the SAS team only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_hold_from: Option<Status>,
    pub outcome: Option<Outcome>,
    pub previous_referral_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// Where reaching the young person stands (the SAS team only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<crate::ContactProgress>,
    /// The SAS team of the referral's territory, to reach it.
    pub sas_team: Option<crate::SasTeamContact>,
    /// Requests of the SAS team still waiting for the prescriber's answer.
    pub open_prescriber_requests: i64,
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
    /// A `HoldReason` code for `on_hold`; for `unreachable` and the negative outcomes
    /// (`declined`, `unreachable`, `moved_away`, `duplicate`, `withdrawn`, `entered_in_error`)
    /// a required free-text reason (at most 500 characters), never shown to prescribers.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
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

code_enum! {
    /// Where the other referral of a possible duplicate is.
    pub enum DuplicateScope {
        /// In your territory: `referral_id` links to it.
        ThisTerritory = "this_territory",
        /// In another territory: no id is given.
        OtherTerritory = "other_territory",
    }
}

/// Another open referral that seems to be the same young person (same name and birth date,
/// or same phone number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct DuplicateLink {
    pub scope: DuplicateScope,
    /// The other referral, when it is in your territory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_id: Option<Uuid>,
}

/// One record of the consent history of a referral: what the young person was told and agreed
/// to, when and by whom. Records are appended, never changed; the latest one counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ConsentRecord {
    pub id: Uuid,
    pub referral_id: Uuid,
    /// When the young person was informed.
    pub informed_at: DateTime<Utc>,
    /// Who informed them (name and role of the professional).
    pub informed_by: String,
    pub method: ConsentMethod,
    pub agreed: Vec<ConsentScope>,
    /// When SAS recorded it.
    pub recorded_at: DateTime<Utc>,
}

page_type!(
    ConsentPage,
    ConsentRecord,
    "A page of a referral's consent history, latest first."
);

/// One entry of a referral's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: Uuid,
    /// An [`EventKind`] code: `created`, `status_changed`, `assigned`, `corrected`,
    /// `consent_recorded`, `contact_attempt`, `contact_corrected`, `diagnostic_saved`,
    /// `prescriber_requested`, `prescriber_answered`, `transferred`, `resumed`,
    /// `match_excluded`, `match_exclusion_removed`, `relay_requested`, `relay_accepted`,
    /// `relay_refused`, `relay_expired`, `relay_cancelled`, `relay_started`, `relay_completed`,
    /// `relay_failed`, `checkpoint_answered`.
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// Reason or outcome code.
    pub code: Option<String>,
    /// The relay this event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    /// Who acted (hidden from prescribers for SAS-side actions).
    pub actor: Option<PersonRef>,
    /// The free-text reason written with this change (counsellors only; prescribers see their
    /// own structure's notes, never SAS-side ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

page_type!(EventPage, Event, "A page of events, oldest first.");

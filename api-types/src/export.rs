//! The right of access (issue 15): everything SAS holds about one young person,
//! `GET /api/v1/youths/{id}/export` (administrators, with a reason). Lists are oldest first.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::{
    AccessAction, Channel, CheckpointAnswer, ConsentRecord, ContactAttempt, ContactChannel,
    DiagnosticVersion, HoldReason, LegalRepresentative, NamedStructure, Outcome, PersonRef,
    PrescriberRequest, ReasonCode, RelayOutcome, RelayReason, RelayStatus, Role, Status,
    StructureRef,
};

code_enum! {
    /// The form of an export.
    pub enum ExportFormat {
        /// `application/json`: [`YouthExport`].
        Json = "json",
        /// `text/html`: a printable French document, self-contained.
        Html = "html",
    }
}

/// Everything SAS holds about one young person, and who read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct YouthExport {
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
    /// The reason the administrator gave (logged with the export).
    pub reason: String,
    pub youth: ExportYouth,
    /// Contact details a correction replaced (kept until anonymisation).
    pub contact_history: Vec<ExportContactChange>,
    /// Every referral of the young person (a resumed journey is a referral of its own).
    pub referrals: Vec<ExportReferral>,
    /// Who read or changed their data, and when (the access logs, up to this export).
    pub accesses: Vec<ExportAccess>,
}

/// Identity and contact, as stored (blank once anonymised).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportYouth {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub commune_name: Option<String>,
    pub contact_channels: Vec<ContactChannel>,
    pub contact_via_prescriber_only: bool,
    pub legal_representative: Option<LegalRepresentative>,
    /// Set when retention or an erasure anonymised the young person.
    pub anonymised_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Contact details as they were before a correction replaced them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportContactChange {
    pub referral_id: Uuid,
    pub replaced_at: DateTime<Utc>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub contact_channels: Vec<ContactChannel>,
    pub contact_via_prescriber_only: bool,
}

/// A territory named by id and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct TerritoryRef {
    pub id: Uuid,
    pub name: String,
}

/// One referral with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportReferral {
    pub id: Uuid,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub channel: Channel,
    pub territory: TerritoryRef,
    pub prescriber_structure: Option<StructureRef>,
    pub reason_code: ReasonCode,
    pub reason_text: Option<String>,
    pub exit_date: Option<NaiveDate>,
    pub needs: Vec<String>,
    pub on_hold_reason: Option<HoldReason>,
    pub on_hold_from: Option<Status>,
    pub assigned_counsellor: Option<PersonRef>,
    /// The closed referral this one resumed.
    pub previous_referral_id: Option<Uuid>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The timeline, every event (codes, the fields a correction changed, free-text notes).
    pub events: Vec<ExportEvent>,
    pub consent_history: Vec<ConsentRecord>,
    pub contact_attempts: Vec<ContactAttempt>,
    pub prescriber_requests: Vec<PrescriberRequest>,
    /// Every saved version of the diagnostic.
    pub diagnostics: Vec<DiagnosticVersion>,
    pub relays: Vec<ExportRelay>,
}

/// One event of a referral's timeline, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportEvent {
    pub id: Uuid,
    /// An `EventKind` code.
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub code: Option<String>,
    /// The fields a correction changed (never their values).
    pub fields: Vec<String>,
    pub relay_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    /// Who acted (none: SAS itself).
    pub actor: Option<PersonRef>,
    pub note: Option<String>,
}

/// A relay to a receiving structure, with its follow-up checkpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportRelay {
    pub id: Uuid,
    pub status: RelayStatus,
    pub off_platform: bool,
    pub structure: NamedStructure,
    pub service_id: Uuid,
    pub service_name: String,
    /// What was shared with the receiving structure.
    pub needs: Vec<String>,
    pub shared_summary: Option<String>,
    pub reason: Option<RelayReason>,
    pub reason_text: Option<String>,
    pub outcome: Option<RelayOutcome>,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub checkpoints: Vec<ExportCheckpoint>,
}

/// A follow-up checkpoint of a relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportCheckpoint {
    /// Days after the start: 30, 90 or 180.
    pub n: i32,
    pub due_on: NaiveDate,
    pub answer: Option<CheckpointAnswer>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Who read or changed the young person's data (one access-log row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportAccess {
    pub occurred_at: DateTime<Utc>,
    pub action: AccessAction,
    pub actor: ExportActor,
    /// On behalf of which structure.
    pub structure: Option<NamedStructure>,
    /// The API route (path, without its query).
    pub route: String,
    /// The reason given (administrators' reads and exports, some changes).
    pub reason: Option<String>,
    /// The referral read, when the access was about one.
    pub referral_id: Option<Uuid>,
}

/// A person or a partner system who accessed the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportActor {
    /// `user` or `api_client`.
    #[serde(rename = "type")]
    pub type_: String,
    pub id: Uuid,
    pub name: String,
    /// Their roles today.
    pub roles: Vec<Role>,
}

//! Relay (relai): a request to one service of one receiving structure for one referral, its
//! answers and its follow-up checkpoints (DOMAIN.md's relay lifecycle).
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::page_type;

code_enum! {
    /// Status of a relay.
    pub enum RelayStatus {
        /// Sent to the receiving structure, waiting for its answer.
        Requested = "requested",
        /// Accepted: the first appointment is to come.
        Accepted = "accepted",
        /// Refused by the receiving structure (with a reason).
        Refused = "refused",
        /// Left 30 days without an answer.
        Expired = "expired",
        /// Cancelled by the SAS team (or because the referral closed, or consent was withdrawn).
        Cancelled = "cancelled",
        /// The first appointment was held: the young person is taken in charge.
        Started = "started",
        /// Ended well (`positive_exit`, `programme_ended`).
        Completed = "completed",
        /// Did not start, or stopped (with a reason).
        Failed = "failed",
    }
}

code_enum! {
    /// Why a relay was refused or failed.
    pub enum RelayReason {
        Unreachable = "unreachable",
        DidNotCome = "did_not_come",
        DroppedOut = "dropped_out",
        AlreadyEmployed = "already_employed",
        AlreadyInTraining = "already_in_training",
        NotEligible = "not_eligible",
        NotMobile = "not_mobile",
        NotInterested = "not_interested",
        PeripheralBarriers = "peripheral_barriers",
        NoCapacity = "no_capacity",
        Duplicate = "duplicate",
        /// Needs `reason_text`.
        Other = "other",
    }
}

code_enum! {
    /// How a completed relay ended.
    pub enum RelayOutcome {
        PositiveExit = "positive_exit",
        ProgrammeEnded = "programme_ended",
    }
}

code_enum! {
    /// The answer to a follow-up checkpoint.
    pub enum CheckpointAnswer {
        StillAccompanied = "still_accompanied",
        /// Completes the relay (`positive_exit`).
        PositiveExit = "positive_exit",
        /// Fails the relay (`dropped_out`).
        DroppedOut = "dropped_out",
        /// Fails the relay (`unreachable`).
        LostContact = "lost_contact",
    }
}

/// `POST /referrals/{id}/relays`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RelayCreate {
    /// A published service of a receiving structure.
    pub service_id: Uuid,
    /// What the receiving structure will read about the young person (defaults to the
    /// diagnostic's `shared_summary`).
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 2000))]
    pub shared_summary: Option<String>,
    /// Record a relay made outside SAS, to a structure that has no SAS account ("sans compte
    /// SAS"): the counsellor then records its answers. Counted apart in H3.
    #[serde(default)]
    pub off_platform: bool,
}

/// `POST /relays/{id}/refuse` and `/fail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RelayReasonInput {
    pub reason: RelayReason,
    /// Required with `other`.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub reason_text: Option<String>,
}

/// `POST /relays/{id}/complete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RelayCompleteInput {
    pub outcome: RelayOutcome,
}

/// `POST /relays/{id}/checkpoints/{n}/answer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckpointAnswerInput {
    pub answer: CheckpointAnswer,
}

/// A follow-up checkpoint of a started relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    /// Days after the start: 30, 90 or 180.
    pub n: i32,
    /// Due on this date (the territory's calendar).
    pub due_on: NaiveDate,
    /// Due and not answered.
    pub overdue: bool,
    pub answer: Option<CheckpointAnswer>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The young person as a receiving structure sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct RelayYouth {
    /// Set once the youth is anonymised (names empty, `birth_date` the placeholder
    /// `1900-01-01`, no phone nor email).
    #[serde(default)]
    pub anonymised_at: Option<DateTime<Utc>>,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    /// Absent when the young person is reached only through the prescriber.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub commune_name: String,
    /// Contact them through the SAS counsellor.
    pub contact_via_prescriber_only: bool,
}

/// A structure named for the reader: a sensitive one has no id and a neutral name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct NamedStructure {
    pub id: Option<Uuid>,
    pub name: String,
}

/// A relay as its reader may see it: the SAS team everything; the receiving structure the
/// young person (identity, contact unless `contact_via_prescriber_only`), the needs, the
/// `shared_summary` and a sensitive prescriber as "confidentiel"; the prescriber the
/// structure (a sensitive one as "structure partenaire (confidentiel)"), the status and the
/// checkpoint answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Relay {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub status: RelayStatus,
    /// Recorded by the counsellor for a structure without a SAS account.
    pub off_platform: bool,
    pub structure: NamedStructure,
    /// The service (absent for a prescriber when the structure is sensitive).
    pub service_id: Option<Uuid>,
    pub service_name: Option<String>,
    /// Refusal or failure reason (not shown to prescribers).
    pub reason: Option<RelayReason>,
    pub reason_text: Option<String>,
    pub outcome: Option<RelayOutcome>,
    pub requested_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// A request waiting for an answer after this date expires (none for an off-platform
    /// request: it does not expire).
    pub expires_on: Option<NaiveDate>,
    /// Waiting for the receiver's action past its time (no answer after 10 days, or a
    /// checkpoint overdue).
    pub overdue: bool,
    pub checkpoints: Vec<Checkpoint>,
    /// For the receiving structure and the SAS team.
    pub youth: Option<RelayYouth>,
    /// The diagnostic's prioritised needs (data·inclusion `thematiques`).
    pub needs: Option<Vec<String>>,
    pub shared_summary: Option<String>,
    /// The prescriber, for the receiving structure ("confidentiel", no id, when sensitive).
    pub prescriber: Option<NamedStructure>,
    pub version: i32,
}

page_type!(RelayPage, Relay, "A page of relays.");

//! Matching (issue 12): the published services ranked for one referral's young person, each
//! with the criteria it meets and misses in French, and the services a counsellor set aside
//! (exclusions, kept for the relay step). The algorithm is `docs/MATCHING.md`.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::ServiceResult;

code_enum! {
    /// A criterion of the matching (`docs/MATCHING.md`). `zone`, `age` and `places` are hard
    /// filters too: a service proposed always passes them (a `zone` not met means the service
    /// gives no zone: unknown, to check).
    pub enum MatchCriterionCode {
        /// The service covers one of the diagnostic's needs (one line per need, in priority order).
        Need = "need",
        /// Its eligibility zone covers the young person's commune.
        Zone = "zone",
        /// The young person's age is within its range.
        Age = "age",
        /// The distance fits the young person's mobility (or the service is remote).
        Distance = "distance",
        /// It receives in a way the young person can use (in person, remote).
        Reception = "reception",
        /// It says it has places available.
        Places = "places",
    }
}

code_enum! {
    /// Why a counsellor set a service aside (`other` takes a `note`).
    pub enum ExclusionReason {
        /// Does not fit the young person's project.
        NotRelevant = "not_relevant",
        /// The young person already went there.
        AlreadyTried = "already_tried",
        /// Too far for the young person.
        TooFar = "too_far",
        /// The young person does not want it.
        YouthDeclined = "youth_declined",
        /// Its access conditions are not met.
        ConditionsNotMet = "conditions_not_met",
        /// Another reason, written in `note`.
        Other = "other",
    }
}

/// One criterion, met or missed, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct MatchCriterion {
    pub code: MatchCriterionCode,
    pub met: bool,
    /// In French, for the counsellor.
    pub text: String,
    /// Points this criterion adds to the score (0 when missed).
    pub points: i32,
}

/// A service proposed for the young person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Match {
    pub service: ServiceResult,
    /// Sum of the criteria's points (higher is better).
    pub score: i32,
    /// Kilometres from the young person's commune (`null`: the service has no position).
    pub distance_km: Option<f64>,
    /// Every criterion, met first, in the order of `docs/MATCHING.md`.
    pub criteria: Vec<MatchCriterion>,
    /// Set aside by the team (only listed with `include_excluded=true`).
    pub excluded: bool,
}

/// The matches of a referral, best first (score, then distance, then id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct MatchPage {
    pub items: Vec<Match>,
    /// The diagnostic version the needs were read from.
    pub diagnostic_version: i32,
    /// The young person's commune (INSEE) and age at today's date.
    pub commune: String,
    pub age: i32,
    /// Whether more candidates passed the hard filters than were scored (the nearest are kept;
    /// see `docs/MATCHING.md`).
    pub truncated: bool,
}

/// A service set aside for a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct MatchExclusion {
    pub service_id: Uuid,
    pub service_nom: String,
    pub reason: ExclusionReason,
    pub note: Option<String>,
    pub excluded_at: DateTime<Utc>,
    pub excluded_by: Option<Uuid>,
}

/// What `POST /referrals/{id}/matches/exclusions` takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchExclusionInput {
    pub service_id: Uuid,
    pub reason: ExclusionReason,
    /// Required with `other` (at most 500 characters).
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(max_length = 500))]
    pub note: Option<String>,
}

/// The services set aside for a referral, latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct MatchExclusionList {
    pub items: Vec<MatchExclusion>,
}

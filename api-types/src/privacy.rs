//! Retention and erasure (issue 15): the runs of the retention job and an erasure's answer.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_type;

/// What `POST /youths/{id}/erase` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub youth_id: Uuid,
    pub anonymised_at: DateTime<Utc>,
    /// How many referrals of the youth were blanked.
    pub referrals: u32,
}

/// Youths of a run left as they were, by reason (youths whose last activity is near or past
/// the delay; the others are not looked at).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct RetentionSkipped {
    /// A referral of the youth is still open.
    pub open_referral: u32,
    /// A relay of the youth is requested, accepted or started.
    pub relay_in_progress: u32,
    /// Not yet 24 months (the setting) after the last activity, in the territory's days.
    pub not_due: u32,
    /// Anonymised meanwhile (an erasure, another run).
    pub already_anonymised: u32,
    /// No referral at all.
    pub no_closed_referral: u32,
}

/// One run of the daily retention job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct RetentionRun {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    /// `null` while it runs (or when it died midway: its counts say how far it got).
    pub finished_at: Option<DateTime<Utc>>,
    /// `SAS_RETENTION_MONTHS` at the time of the run.
    pub retention_months: i32,
    /// `SAS_ACCESS_LOG_RETENTION_MONTHS` at the time of the run.
    pub access_log_retention_months: i32,
    pub anonymised: i32,
    pub access_logs_purged: i64,
    pub skipped: RetentionSkipped,
}

page_type!(
    RetentionRunPage,
    RetentionRun,
    "A page of retention runs, newest first."
);

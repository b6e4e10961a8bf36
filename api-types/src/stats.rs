//! Steering (issue 14): aggregated figures of a territory, never an identifier or free text.
//! The definitions are `docs/STEERING.md` (written once in the server's
//! `domain::stats::definitions`, repeated in each stage's `definition`).
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A count as published: `value` is `null` and `suppressed` true for a count from 1 to 4, or a
/// cell hidden so that none can be recomputed by subtraction; a true 0 is `0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StatCount {
    pub value: Option<u64>,
    pub suppressed: bool,
}

/// One stage of the funnel: its definition, its count over the period and per month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct FunnelStage {
    /// `submitted`, `contacted`, `diagnosed`, then the relay stages `relayed`, `accepted`,
    /// `started`, `retained_j90`.
    pub code: String,
    /// Its French title.
    pub label: String,
    /// Its definition (French), as in `docs/STEERING.md`.
    pub definition: String,
    /// False for the relay stages until the relays are counted: then `total` and `by_month`
    /// are absent.
    pub available: bool,
    pub total: Option<StatCount>,
    /// One per month of the period, in order (see `months`).
    pub by_month: Vec<StatCount>,
}

/// The funnel of a territory for a month or a quarter, as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub territory_id: Uuid,
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    pub as_of: NaiveDate,
    /// The months of the period (`YYYY-MM`).
    pub months: Vec<String>,
    /// The rules common to every figure (cohorts, exclusions, suppression).
    pub rules: String,
    pub stages: Vec<FunnelStage>,
}

/// One indicator of a hypothesis, over the period and per month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// `h1_…`, `h2_…`, `h3_…` (docs/STEERING.md).
    pub code: String,
    /// `h1`, `h2` or `h3`.
    pub hypothesis: String,
    pub label: String,
    pub definition: String,
    /// False for H3 until the relays are counted: then no figure.
    pub available: bool,
    /// `count` (a number of referrals), `rate` (0 to 1), `days` (a median), `mean`.
    pub unit: String,
    /// `higher` or `lower`: which side of a target is good (absent for a plain count).
    pub better: Option<String>,
    pub total: Option<StatValue>,
    /// One per month of the period, in order.
    pub by_month: Vec<StatValue>,
}

/// A figure as published: `value` is `null` and `suppressed` true when hidden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StatValue {
    pub value: Option<f64>,
    pub suppressed: bool,
}

/// The H1, H2 and H3 indicators of a territory for a month or a quarter, as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct IndicatorReport {
    pub territory_id: Uuid,
    pub period: String,
    pub as_of: NaiveDate,
    pub months: Vec<String>,
    pub rules: String,
    pub indicators: Vec<Indicator>,
}

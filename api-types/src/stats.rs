//! Steering (issue 14): aggregated figures of a territory, never an identifier or free text.
//! The definitions are `docs/STEERING.md` (written once in the server's
//! `domain::stats::definitions`, repeated in each stage's `definition`).
use chrono::{DateTime, NaiveDate, Utc};
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
    /// The same figure by prescriber kind, then by structure under its kind (one table with
    /// the totals above: the same cells are suppressed everywhere). Empty when not available
    /// or for a scope that has no breakdown.
    pub breakdown: Vec<StatBreakdownRow>,
}

/// One row of a funnel stage's breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StatBreakdownRow {
    /// `prescriber_kind` or `structure`.
    pub dimension: String,
    /// The kind's code (`unknown` when the referral had none); for a structure, an opaque key
    /// stable within the response (`s1`, `s2`, … in the order of the rows), never an id.
    pub code: String,
    /// The kind's label, or the structure's name.
    pub label: String,
    /// For a structure row, the code of its kind.
    pub parent: Option<String>,
    pub total: Option<StatCount>,
    /// One per month of the period, in order.
    pub by_month: Vec<StatCount>,
}

/// One row of an indicator's breakdown (like [`StatBreakdownRow`], with figures).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct IndicatorBreakdownRow {
    /// `prescriber_kind` or `structure`.
    pub dimension: String,
    /// The kind's code, or the structure's opaque key (as in the funnel's rows).
    pub code: String,
    pub label: String,
    pub parent: Option<String>,
    pub total: Option<StatValue>,
    pub by_month: Vec<StatValue>,
}

/// The funnel of a territory for a month or a quarter, as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub territory_id: Uuid,
    /// Whose figures: `territory` (pilots, counsellors, administrators),
    /// `prescriber_structure` (a prescriber's own structure's referrals) or
    /// `receiving_structure` (the relays a receiving structure got).
    pub scope: String,
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
    /// By prescriber kind and by structure (see [`StatBreakdownRow`]); empty for the
    /// indicators that are not broken down (a median, a mean, the active structures) or for
    /// a scope without breakdown.
    pub breakdown: Vec<IndicatorBreakdownRow>,
    /// The territory's target, when its pilot set one (indicators with a `better` only).
    pub target: Option<f64>,
    /// `met`, `not_met` or `too_few_data` (the figure of the period is suppressed); `null`
    /// without a target.
    pub verdict: Option<String>,
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
    /// `territory`, `prescriber_structure` or `receiving_structure` (see [`FunnelReport`]).
    pub scope: String,
    pub period: String,
    pub as_of: NaiveDate,
    pub months: Vec<String>,
    pub rules: String,
    pub indicators: Vec<Indicator>,
}

/// The targets a territory's pilot set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StatTargets {
    pub territory_id: Uuid,
    /// Sorted by indicator code.
    pub targets: Vec<StatTarget>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StatTarget {
    /// An indicator code with a `better` (`h1_early_share`, …).
    pub indicator: String,
    /// A rate from 0 to 1, or a number of days / attempts (0 or more).
    pub value: f64,
    pub updated_at: DateTime<Utc>,
}

/// `PUT /stats/targets`: set or remove (`value: null`) some targets of a territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatTargetsInput {
    /// Administrators name the territory; a pilot may only name its own (or none).
    pub territory_id: Option<Uuid>,
    pub targets: Vec<StatTargetInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatTargetInput {
    pub indicator: String,
    /// `null` removes the target.
    pub value: Option<f64>,
}

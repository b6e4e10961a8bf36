//! Steering (issue 14): aggregated figures. The scope of a caller is its territory (a
//! pilot's, a counsellor's SAS team's; an administrator names one), or, for a prescriber, its
//! own structure's referrals as the prescriber may see them, or, for a receiver, the relays
//! its structure got. Another territory answers 404, like a territory that does not exist.
//!
//! The funnel, the indicators and the CSV export are three views of one [`Built`]: the same
//! report, the same suppressed cells.
pub mod export;
pub mod funnel;
pub mod indicators;
pub mod targets_get;
pub mod targets_put;

use std::collections::{BTreeMap, HashMap};

use actix_web::web;
use chrono::{Months, NaiveDate};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

use api_types::{
    FunnelReport, FunnelStage, Indicator, IndicatorBreakdownRow, IndicatorReport, Role,
    StatBreakdownRow, StatCount, StatValue,
};

use crate::auth::Caller;
use crate::db::{self, stats, territories};
use crate::domain::stats::definitions::{self, Definition, Hypothesis, COMMON};
use crate::domain::stats::disclosure::Row;
use crate::domain::stats::indicators::{formula, Fact, Formula, Report};
use crate::domain::stats::period::{self, Month, Period};
use crate::domain::stats::verdict::{self, Better};
use crate::domain::vocab;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const INVALID_SCOPE: &str = "invalid_scope";
pub const INVALID_SCOPE_MESSAGE: &str =
    "scope must be territory, prescriber_structure or receiving_structure.";
/// The label of a breakdown row without a prescriber kind, or without a structure.
pub const UNKNOWN_KIND_LABEL: &str = "Type non renseigné";
pub const NO_STRUCTURE_LABEL: &str = "Sans structure prescriptrice";

/// The parameters of every statistics request.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// A month (`2026-03`) or a quarter (`2026-Q1`).
    #[param(pattern = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2]|[Qq][1-4])$")]
    pub period: String,
    /// Today (the default) or the last day of a past month, in the territory's time zone.
    pub as_of: Option<NaiveDate>,
    /// Administrators name the territory; others may only name their own.
    pub territory: Option<Uuid>,
    /// `territory` (pilots, counsellors, administrators: the default for them),
    /// `prescriber_structure` (a prescriber: its structure's referrals) or
    /// `receiving_structure` (a receiver: its structure's relays); `400 invalid_scope`
    /// otherwise, `404` for a scope the caller's roles do not give (outside its scope).
    #[param(pattern = r"^(territory|prescriber_structure|receiving_structure)$")]
    pub scope: Option<String>,
}

/// Whose figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Territory,
    Prescriber(Uuid),
    Receiver(Uuid),
}

impl Who {
    pub fn code(self) -> &'static str {
        match self {
            Who::Territory => "territory",
            Who::Prescriber(_) => "prescriber_structure",
            Who::Receiver(_) => "receiving_structure",
        }
    }

    /// The stages and the indicators of the scope.
    pub fn definitions(self) -> (&'static [Definition], &'static [Definition]) {
        match self {
            Who::Territory => (&definitions::FUNNEL, &definitions::INDICATORS),
            Who::Prescriber(_) => (
                &definitions::PRESCRIBER_FUNNEL,
                &definitions::PRESCRIBER_INDICATORS,
            ),
            Who::Receiver(_) => (
                &definitions::RECEIVER_FUNNEL,
                &definitions::RECEIVER_INDICATORS,
            ),
        }
    }
}

/// What every statistics request resolves to.
pub struct Scope {
    pub territory: Uuid,
    pub tz: Tz,
    pub tz_name: String,
    pub period: Period,
    pub as_of: NaiveDate,
    pub who: Who,
}

/// The caller's territory (pilots, counsellors; the one an administrator names), or its
/// structure's for the prescriber's and the receiver's scopes; the period and `as_of` checked
/// against the territory's today.
pub async fn scope(
    state: &web::Data<AppState>,
    caller: &Caller,
    q: &FunnelQuery,
) -> ApiResult<Scope> {
    let period = Period::parse(&q.period).ok_or_else(|| {
        ApiError::bad_request(period::INVALID_PERIOD, period::INVALID_PERIOD_MESSAGE)
    })?;
    let sees_territory =
        caller.has(Role::Pilot) || caller.has(Role::Counsellor) || caller.has(Role::Admin);
    let wanted = match q.scope.as_deref() {
        Some(s) => s,
        None if sees_territory => "territory",
        None if caller.has(Role::Prescriber) => "prescriber_structure",
        None => "receiving_structure",
    };
    let who = match (wanted, caller.structure_id) {
        ("territory", _) if sees_territory => Who::Territory,
        ("prescriber_structure", Some(s)) if caller.has(Role::Prescriber) => Who::Prescriber(s),
        ("receiving_structure", Some(s)) if caller.has(Role::Receiver) => Who::Receiver(s),
        ("territory" | "prescriber_structure" | "receiving_structure", _) => {
            return Err(ApiError::not_found())
        }
        _ => return Err(ApiError::bad_request(INVALID_SCOPE, INVALID_SCOPE_MESSAGE)),
    };
    let id = match who {
        Who::Territory => {
            let own = caller.pilot_territory_id.or(caller.territory_id);
            match (q.territory, own) {
                (Some(t), _) if caller.has(Role::Admin) => t,
                (Some(t), Some(o)) if t == o => t,
                (None, Some(o)) => o,
                _ => return Err(ApiError::not_found()),
            }
        }
        // A structure's own territory, or one it has figures in (the most recent first).
        Who::Prescriber(st) | Who::Receiver(st) => {
            let receiver = matches!(who, Who::Receiver(_));
            let wanted = q.territory;
            let mut known = db::run(&state.pool, move |conn| {
                let home = db::structures::get(conn, st)?.and_then(|s| s.territory_id);
                let mut ts: Vec<Uuid> = home.into_iter().collect();
                // The home territory answers when it is the one asked for, or none is: the
                // territories with figures (a scan of every territory's requests for a
                // receiver, 149 ms at 1,000,000 referrals) only come after it.
                let settled = home.is_some() && (wanted.is_none() || wanted == home);
                if !settled {
                    ts.extend(stats::structure_territories(conn, st, receiver)?);
                }
                Ok(ts)
            })
            .await?;
            match q.territory {
                Some(t) if known.contains(&t) => t,
                Some(_) => return Err(ApiError::not_found()),
                None if known.is_empty() => return Err(ApiError::not_found()),
                None => known.swap_remove(0),
            }
        }
    };
    let row = db::run(&state.pool, move |conn| Ok(territories::get(conn, id)?))
        .await?
        .ok_or_else(ApiError::not_found)?;
    let tz: Tz = row
        .time_zone
        .parse()
        .map_err(|_| ApiError::internal("a territory's time zone is not known"))?;
    let today = period::local_day(state.clock.now(), tz);
    let as_of = period::as_of(q.as_of, today, period).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            period::INVALID_AS_OF,
            period::INVALID_AS_OF_MESSAGE,
        )
    })?;
    Ok(Scope {
        territory: id,
        tz,
        tz_name: row.time_zone,
        period,
        as_of,
        who,
    })
}

/// The report of a scope with what its views need: the registered prescriber structures,
/// the structures' names (the breakdown's rows are named, never identified) and the
/// territory's targets.
pub struct Built {
    pub report: Report,
    pub registered: u64,
    pub names: HashMap<Uuid, String>,
    pub targets: BTreeMap<String, f64>,
}

/// Always the quarter's report (a month is one of its columns), with the facts as of
/// `s.as_of`.
pub async fn build(state: &web::Data<AppState>, s: &Scope) -> ApiResult<Built> {
    let quarter = s.period.quarter();
    let (start, end) = quarter.bounds(s.tz);
    let until = period::local_midnight(s.as_of.succ_opt().unwrap_or(s.as_of), s.tz);
    let since_day = s
        .as_of
        .checked_sub_months(Months::new(period::REGISTERED_WITHIN_MONTHS))
        .unwrap_or(s.as_of);
    let since = period::local_midnight(since_day, s.tz);
    let (territory, tz_name, who) = (s.territory, s.tz_name.clone(), s.who);
    let (facts, registered, names, targets) = db::run(&state.pool, move |conn| {
        let facts: Vec<Fact> = match who {
            Who::Territory => stats::cohort(
                conn,
                stats::CohortOf::Territory(territory),
                &tz_name,
                start,
                end,
                until,
            )?
            .into_iter()
            .map(Fact::from)
            .collect(),
            Who::Prescriber(p) => stats::cohort(
                conn,
                stats::CohortOf::Prescriber(p, territory),
                &tz_name,
                start,
                end,
                until,
            )?
            .into_iter()
            .map(|c| Fact::from(c).as_prescriber_sees())
            .collect(),
            Who::Receiver(r) => {
                stats::relay_cohort(conn, r, territory, &tz_name, start, end, until)?
                    .into_iter()
                    .map(Fact::from)
                    .collect()
            }
        };
        let (registered, names, targets) = if who == Who::Territory {
            // The structures once each (not one id a fact: 26,000 binds a quarter).
            let mut ids: Vec<Uuid> = facts.iter().filter_map(|f| f.structure).collect();
            ids.sort_unstable();
            ids.dedup();
            (
                stats::registered_prescribers(conn, territory, since, until)?,
                stats::structure_names(conn, &ids)?,
                stats::targets(conn, territory)?
                    .into_iter()
                    .map(|t| (t.indicator, t.value))
                    .collect(),
            )
        } else {
            (0, HashMap::new(), BTreeMap::new())
        };
        Ok((facts, registered, names, targets))
    })
    .await?;
    Ok(Built {
        report: Report::new(quarter, s.as_of, facts),
        registered: u64::try_from(registered).unwrap_or(0),
        names,
        targets,
    })
}

/// A row of the breakdown: where it is in the report, and how it is named.
pub struct RowName {
    pub row: Row,
    pub dimension: &'static str,
    pub code: String,
    pub label: String,
    pub parent: Option<String>,
}

/// The kind's code as published (`unknown` for none).
fn kind_code(k: &Option<String>) -> String {
    k.clone().unwrap_or_else(|| "unknown".to_string())
}

fn kind_label(k: &Option<String>) -> String {
    let v = vocab::get("typologies-de-structures");
    match k {
        Some(code) => v
            .and_then(|v| v.items.iter().find(|(c, _)| c == code))
            .map_or_else(|| code.clone(), |(_, l)| (*l).to_string()),
        None => UNKNOWN_KIND_LABEL.to_string(),
    }
}

/// The rows of the breakdown (territory scope only): each kind, then its structures, keyed
/// `s1`, `s2`… in the report's order (never an id).
pub fn rows(b: &Built, who: Who) -> Vec<RowName> {
    if who != Who::Territory {
        return Vec::new();
    }
    let r = &b.report;
    let mut out = Vec::new();
    for (k, kind) in r.kinds.iter().enumerate() {
        out.push(RowName {
            row: Row::Parent(k),
            dimension: "prescriber_kind",
            code: kind_code(kind),
            label: kind_label(kind),
            parent: None,
        });
        for (i, (leaf, parent)) in r.leaves.iter().enumerate() {
            if *parent != k {
                continue;
            }
            out.push(RowName {
                row: Row::Leaf(i),
                dimension: "structure",
                code: format!("s{}", i + 1),
                label: leaf
                    .and_then(|id| b.names.get(&id).cloned())
                    .unwrap_or_else(|| NO_STRUCTURE_LABEL.to_string()),
                parent: Some(kind_code(kind)),
            });
        }
    }
    out
}

fn count(v: Option<f64>) -> StatCount {
    StatCount {
        value: v.map(|x| x as u64),
        suppressed: v.is_none(),
    }
}

fn value(v: Option<f64>) -> StatValue {
    StatValue {
        value: v,
        suppressed: v.is_none(),
    }
}

/// The figures of one formula: the period's and each month's, for a row.
pub fn series(
    b: &Built,
    s: &Scope,
    f: Formula,
    row: Row,
) -> (Option<f64>, Vec<(Month, Option<f64>)>) {
    let r = &b.report;
    let total = r.value(f, row, s.period.month(), b.registered);
    let months = s
        .period
        .months()
        .into_iter()
        .map(|m| (m, r.value(f, row, Some(m), b.registered)))
        .collect();
    (total, months)
}

pub fn hypothesis_code(h: Option<Hypothesis>) -> &'static str {
    match h {
        Some(Hypothesis::H1) => "h1",
        Some(Hypothesis::H2) => "h2",
        _ => "h3",
    }
}

fn better_code(b: Better) -> &'static str {
    match b {
        Better::Higher => "higher",
        Better::Lower => "lower",
    }
}

/// The breakdown rows of a formula that has them (counts and rates, territory scope): each
/// row's figure over the period and per month, shaped by `row` (a stage's or an indicator's).
fn breakdown<R>(
    b: &Built,
    s: &Scope,
    f: Option<Formula>,
    rows: &[RowName],
    row: impl Fn(&RowName, Option<f64>, Vec<Option<f64>>) -> R,
) -> Vec<R> {
    let Some(f) = f.filter(|f| f.broken_down()) else {
        return Vec::new();
    };
    rows.iter()
        .map(|n| {
            let (t, m) = series(b, s, f, n.row);
            row(n, t, m.into_iter().map(|(_, v)| v).collect())
        })
        .collect()
}

pub fn funnel_report(b: &Built, s: &Scope) -> FunnelReport {
    let rows = rows(b, s.who);
    let stages = s
        .who
        .definitions()
        .0
        .iter()
        .map(|d| {
            let f = formula(d.code);
            let (total, months) = f.map_or((None, Vec::new()), |f| series(b, s, f, Row::All));
            FunnelStage {
                code: d.code.to_string(),
                label: d.label.to_string(),
                definition: d.definition.to_string(),
                available: d.available && f.is_some(),
                total: f.map(|_| count(total)),
                by_month: months.into_iter().map(|(_, v)| count(v)).collect(),
                breakdown: breakdown(b, s, f, &rows, |n, t, m| StatBreakdownRow {
                    dimension: n.dimension.to_string(),
                    code: n.code.clone(),
                    label: n.label.clone(),
                    parent: n.parent.clone(),
                    total: Some(count(t)),
                    by_month: m.into_iter().map(count).collect(),
                }),
            }
        })
        .collect();
    FunnelReport {
        territory_id: s.territory,
        scope: s.who.code().to_string(),
        period: s.period.code(),
        as_of: s.as_of,
        months: s.period.months().iter().map(|m| m.code()).collect(),
        rules: COMMON.to_string(),
        stages,
    }
}

pub fn indicator_report(b: &Built, s: &Scope) -> IndicatorReport {
    let rows = rows(b, s.who);
    let indicators = s
        .who
        .definitions()
        .1
        .iter()
        .map(|d| {
            let f = formula(d.code);
            let (total, months) = f.map_or((None, Vec::new()), |f| series(b, s, f, Row::All));
            let target = d.better.and(b.targets.get(d.code).copied());
            Indicator {
                code: d.code.to_string(),
                hypothesis: hypothesis_code(d.hypothesis).to_string(),
                label: d.label.to_string(),
                definition: d.definition.to_string(),
                available: d.available && f.is_some(),
                unit: f.map_or("count", Formula::unit).to_string(),
                better: d.better.map(|b| better_code(b).to_string()),
                total: f.map(|_| value(total)),
                by_month: months.into_iter().map(|(_, v)| value(v)).collect(),
                breakdown: breakdown(b, s, f, &rows, |n, t, m| IndicatorBreakdownRow {
                    dimension: n.dimension.to_string(),
                    code: n.code.clone(),
                    label: n.label.clone(),
                    parent: n.parent.clone(),
                    total: Some(value(t)),
                    by_month: m.into_iter().map(value).collect(),
                }),
                target,
                verdict: d
                    .better
                    .and_then(|better| verdict::verdict(total, target, better))
                    .map(|v| v.code().to_string()),
            }
        })
        .collect();
    IndicatorReport {
        territory_id: s.territory,
        scope: s.who.code().to_string(),
        period: s.period.code(),
        as_of: s.as_of,
        months: s.period.months().iter().map(|m| m.code()).collect(),
        rules: COMMON.to_string(),
        indicators,
    }
}

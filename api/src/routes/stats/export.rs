//! `GET /stats/export`: every figure of the funnel and the indicators of a scope as CSV,
//! from the same report as the JSON views (the same cells suppressed).
use actix_web::{get, http::header, web, HttpResponse};
use api_types::{FunnelReport, IndicatorReport, StatCount, StatValue};

use crate::auth::{allow, Authorized};
use crate::error::ApiResult;
use crate::routes::stats::FunnelQuery;
use crate::state::AppState;

/// What a suppressed cell reads in the CSV (never 0, never empty).
pub const SUPPRESSED: &str = "masqué";
/// The header line.
pub const HEADER: [&str; 12] = [
    "section",
    "code",
    "label",
    "unit",
    "dimension",
    "row_code",
    "row_label",
    "parent",
    "column",
    "value",
    "target",
    "verdict",
];

/// One CSV field: quoted when it holds a comma, a quote or a line break; a text a
/// spreadsheet would take for a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn line(out: &mut String, cells: &[&str]) {
    let v: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&v.join(","));
    out.push_str("\r\n");
}

fn count(c: &StatCount) -> String {
    match c.value {
        Some(v) if !c.suppressed => v.to_string(),
        _ => SUPPRESSED.to_string(),
    }
}

fn value(c: &StatValue) -> String {
    match c.value {
        Some(v) if !c.suppressed => v.to_string(),
        _ => SUPPRESSED.to_string(),
    }
}

/// The CSV of both reports: one line per figure (a stage or an indicator, a row — the
/// territory or scope, a kind, a structure —, a column — the period, or one of its months).
pub fn render(f: &FunnelReport, i: &IndicatorReport) -> String {
    let mut out = String::new();
    line(&mut out, &HEADER);
    for st in &f.stages {
        let rows = std::iter::once((
            f.scope.as_str(),
            "",
            "",
            None,
            st.total.as_ref(),
            &st.by_month,
        ))
        .chain(st.breakdown.iter().map(|r| {
            (
                r.dimension.as_str(),
                r.code.as_str(),
                r.label.as_str(),
                r.parent.as_deref(),
                r.total.as_ref(),
                &r.by_month,
            )
        }));
        for (dim, code, label, parent, total, months) in rows {
            // A month is the period's only column: not written twice.
            let cols = std::iter::once((f.period.as_str(), total)).chain(
                f.months
                    .iter()
                    .map(String::as_str)
                    .zip(months.iter().map(Some))
                    .filter(|_| f.months.len() > 1),
            );
            for (col, c) in cols {
                let Some(c) = c else { continue };
                line(
                    &mut out,
                    &[
                        "funnel",
                        &st.code,
                        &st.label,
                        "count",
                        dim,
                        code,
                        label,
                        parent.unwrap_or(""),
                        col,
                        &count(c),
                        "",
                        "",
                    ],
                );
            }
        }
    }
    for ind in &i.indicators {
        let target = ind.target.map(|t| t.to_string()).unwrap_or_default();
        let verdict = ind.verdict.clone().unwrap_or_default();
        let rows = std::iter::once((
            i.scope.as_str(),
            "",
            "",
            None,
            ind.total.as_ref(),
            &ind.by_month,
        ))
        .chain(ind.breakdown.iter().map(|r| {
            (
                r.dimension.as_str(),
                r.code.as_str(),
                r.label.as_str(),
                r.parent.as_deref(),
                r.total.as_ref(),
                &r.by_month,
            )
        }));
        for (n, (dim, code, label, parent, total, months)) in rows.enumerate() {
            // A month is the period's only column: not written twice.
            let cols = std::iter::once((i.period.as_str(), total)).chain(
                i.months
                    .iter()
                    .map(String::as_str)
                    .zip(months.iter().map(Some))
                    .filter(|_| i.months.len() > 1),
            );
            for (k, (col, c)) in cols.enumerate() {
                let Some(c) = c else { continue };
                // The target and the verdict: on the scope's line of the period only.
                let first = n == 0 && k == 0;
                line(
                    &mut out,
                    &[
                        "indicator",
                        &ind.code,
                        &ind.label,
                        &ind.unit,
                        dim,
                        code,
                        label,
                        parent.unwrap_or(""),
                        col,
                        &value(c),
                        if first { &target } else { "" },
                        if first { &verdict } else { "" },
                    ],
                );
            }
        }
    }
    out
}

/// Every figure of `GET /stats/funnel` and `GET /stats/indicators` for the same parameters,
/// as CSV (UTF-8, comma-separated, CRLF, a header line; see `docs/STEERING.md`): one line per
/// figure, the period's then (for a quarter) each month's, for the scope, each prescriber kind and each
/// structure; a suppressed figure reads `masqué`, never 0; the target and the verdict on the
/// period's line of each indicator.
#[utoipa::path(
    tag = "stats",
    params(FunnelQuery),
    responses(
        (status = 200, description = "The figures, one per line.", body = String, content_type = "text/csv"),
        (status = 400, description = "A period that is not a month or a quarter between 1900 and 2100 (`invalid_period`), or an unknown `scope` (`invalid_scope`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "An `as_of` that is neither today nor a past month end, or before the period (`invalid_as_of`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your territory, no such territory, or a `scope` your roles do not give (`not_found`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/stats/export")]
pub async fn get_export(
    state: web::Data<AppState>,
    Authorized(caller): Authorized<
        { allow::PILOT | allow::COUNSELLOR | allow::ADMIN | allow::PRESCRIBER | allow::RECEIVER },
    >,
    query: web::Query<FunnelQuery>,
) -> ApiResult<HttpResponse> {
    let s = super::scope(&state, &caller, &query).await?;
    let b = super::build(&state, &s).await?;
    let csv = render(
        &super::funnel_report(&b, &s),
        &super::indicator_report(&b, &s),
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"sas-statistiques-{}-{}.csv\"",
                s.who.code(),
                s.period.code()
            ),
        ))
        .body(csv))
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("Mission locale"), "Mission locale");
        assert_eq!(field("A, B"), "\"A, B\"");
        assert_eq!(field("dit \"non\""), "\"dit \"\"non\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-3"), "'-3");
        assert_eq!(field(""), "");
    }
}

//! The dashboard's sections, plain functions over the reports: the funnel (chart, table,
//! breakdown), then one group of cards per hypothesis (value, target and verdict, definition,
//! series, table, breakdown).
use api_types::{FunnelReport, Indicator, IndicatorReport, StatValue};
use yew::prelude::*;

use crate::components::charts::{hbar_chart, table_view, vbar_chart, Bar};
use crate::logic::format;
use crate::logic::stats::{
    bar_shares, breakdown_order, count_number, count_text, hypothesis_title, month_label,
    month_short, scale_of, target_text, value_number, value_text, verdict, Period,
};
use crate::pages::steering::dashboard::Reports;

const MASKED_NOTE: &str = "Une étape « masqué » compte de 1 à 4 orientations, ou cache une autre case qui permettrait de la retrouver : elle n’est jamais un 0.";
const TABLE: &str = "Afficher le tableau";
const BREAKDOWN: &str = "Par type de prescripteur et par structure";

/// Who the figures are about, in the sentence above them.
fn scope_words(scope: &str) -> &'static str {
    match scope {
        "prescriber_structure" => "par votre structure",
        "receiving_structure" => "puis relayées à votre structure",
        _ => "sur le territoire",
    }
}

pub fn report(r: &Reports) -> Html {
    let period = Period::parse(&r.funnel.period)
        .map(|p| p.label())
        .unwrap_or_else(|| r.funnel.period.clone());
    html! {
        <>
            <p class="sas-muted" role="status">
                { format!("Orientations transmises {} en {period}, chiffres arrêtés au {}.", scope_words(&r.funnel.scope), format::date_long(r.funnel.as_of)) }
            </p>
            <details class="sas-details fr-mb-3w">
                <summary>{ "Règles de calcul communes à tous les chiffres" }</summary>
                <p class="fr-text--sm">{ r.funnel.rules.clone() }</p>
            </details>
            { funnel(&r.funnel, &period) }
            { indicators(&r.indicators, &period) }
        </>
    }
}

/// The table's heads: the row's name, then each month and the period when it has several.
fn heads(first: &str, months: &[String]) -> Vec<String> {
    let mut h = vec![first.to_string()];
    if months.len() > 1 {
        h.extend(months.iter().map(|m| month_label(m)));
    }
    h.push("Total de la période".into());
    h
}

fn funnel(f: &FunnelReport, period: &str) -> Html {
    let values: Vec<Option<f64>> = f
        .stages
        .iter()
        .map(|s| count_number(s.total.as_ref()))
        .collect();
    let shares = bar_shares(&values, None);
    let bars: Vec<Bar> = f
        .stages
        .iter()
        .zip(shares)
        .map(|(s, share)| Bar {
            label: s.label.clone(),
            share,
            text: count_text(s.available.then_some(s.total.as_ref()).flatten()),
        })
        .collect();
    let hidden: Vec<bool> = f
        .stages
        .iter()
        .map(|s| s.available && s.total.is_some_and(|t| t.suppressed))
        .collect();
    let rows: Vec<Vec<String>> =
        f.stages
            .iter()
            .map(|s| {
                let mut row = vec![s.label.clone()];
                if f.months.len() > 1 {
                    row.extend(f.months.iter().enumerate().map(|(i, _)| {
                        count_text(s.available.then(|| s.by_month.get(i)).flatten())
                    }));
                }
                row.push(count_text(
                    s.available.then_some(s.total.as_ref()).flatten(),
                ));
                row
            })
            .collect();
    let relays = f.scope == "receiving_structure";
    let title = if relays {
        format!("Parcours des relais reçus en {period}")
    } else {
        format!("Parcours des orientations transmises en {period}")
    };
    html! {
        <section class="fr-mb-6w" aria-labelledby="parcours">
            <h2 id="parcours">{ if relays { "Le parcours des relais" } else { "Le parcours des orientations" } }</h2>
            <p class="fr-text--sm sas-muted">{ MASKED_NOTE }</p>
            { hbar_chart("graphique-parcours", &title, &bars, &hidden) }
            { table_view(TABLE, "tableau-parcours", &title, &heads("Étape", &f.months), &rows, &[], &format!("parcours-{}", f.period)) }
            { funnel_breakdown(f, period) }
            <details class="sas-details">
                <summary>{ "Définitions des étapes" }</summary>
                <dl class="sas-definitions fr-text--sm">
                    { for f.stages.iter().map(|s| html! { <><dt>{ s.label.clone() }</dt><dd>{ s.definition.clone() }</dd></> }) }
                </dl>
            </details>
        </section>
    }
}

/// The stages broken down: one row per prescriber kind and per structure under it, one
/// column per stage that has a breakdown (the period's totals).
fn funnel_breakdown(f: &FunnelReport, period: &str) -> Html {
    let stages: Vec<_> = f
        .stages
        .iter()
        .filter(|s| !s.breakdown.is_empty())
        .collect();
    let Some(first) = stages.first() else {
        return html! {};
    };
    let keys: Vec<(&str, &str, Option<&str>)> = first
        .breakdown
        .iter()
        .map(|b| (b.dimension.as_str(), b.code.as_str(), b.parent.as_deref()))
        .collect();
    let mut head = vec!["Prescripteur".to_string()];
    head.extend(stages.iter().map(|s| s.label.clone()));
    let mut rows = Vec::new();
    let mut classes = Vec::new();
    for (i, kind) in breakdown_order(&keys) {
        let b = &first.breakdown[i];
        let mut row = vec![b.label.clone()];
        row.extend(stages.iter().map(|s| {
            count_text(
                s.breakdown
                    .iter()
                    .find(|x| x.dimension == b.dimension && x.code == b.code)
                    .and_then(|x| x.total.as_ref()),
            )
        }));
        rows.push(row);
        classes.push(if kind {
            "sas-row--parent"
        } else {
            "sas-row--child"
        });
    }
    table_view(
        BREAKDOWN,
        "tableau-parcours-detail",
        &format!("Parcours par type de prescripteur et par structure ({period})"),
        &head,
        &rows,
        &classes,
        &format!("parcours-detail-{}", f.period),
    )
}

fn indicators(r: &IndicatorReport, period: &str) -> Html {
    let mut groups: Vec<&str> = Vec::new();
    for i in &r.indicators {
        if !groups.contains(&i.hypothesis.as_str()) {
            groups.push(&i.hypothesis);
        }
    }
    html! {
        { for groups.into_iter().map(|h| html! {
            <section class="fr-mb-6w" aria-labelledby={format!("hypothese-{h}")}>
                <h2 id={format!("hypothese-{h}")}>{ hypothesis_title(h) }</h2>
                <div class="fr-grid-row fr-grid-row--gutters">
                    { for r.indicators.iter().filter(|i| i.hypothesis == h).map(|i| card(i, &r.months, &r.period, period)) }
                </div>
            </section>
        }) }
    }
}

/// The target and the verdict of an indicator, when its pilot set one.
fn target_line(i: &Indicator) -> Html {
    let Some(t) = i.target else {
        return html! {};
    };
    let badge = i.verdict.as_deref().and_then(verdict);
    html! {
        <p class="fr-text--sm fr-mb-1w sas-target">
            { target_text(&i.unit, i.better.as_deref(), t) }
            if let Some((words, class)) = badge {
                { " " }
                <span class={classes!("fr-badge", "fr-badge--sm", class)}>
                    { if i.verdict.as_deref() == Some("too_few_data") { "Trop peu de données".to_string() } else { format!("Objectif {words}") } }
                </span>
            }
        </p>
    }
}

fn series(i: &Indicator, months: &[String], period: &str) -> Html {
    if !i.available || months.len() < 2 {
        return html! {};
    }
    let values: Vec<Option<f64>> = i.by_month.iter().map(|v| value_number(Some(v))).collect();
    let bars: Vec<Bar> = months
        .iter()
        .zip(bar_shares(&values, scale_of(&i.unit)))
        .zip(&i.by_month)
        .map(|((m, share), v)| Bar {
            label: month_short(m),
            share,
            text: value_text(&i.unit, Some(v)),
        })
        .collect();
    let hidden: Vec<bool> = i.by_month.iter().map(|v| v.suppressed).collect();
    vbar_chart(
        &format!("graphique-{}", i.code),
        &format!("{}, mois par mois ({period})", i.label),
        &bars,
        &hidden,
    )
}

fn breakdown(i: &Indicator, period: &str, code: &str) -> Html {
    if i.breakdown.is_empty() {
        return html! {};
    }
    let keys: Vec<(&str, &str, Option<&str>)> = i
        .breakdown
        .iter()
        .map(|b| (b.dimension.as_str(), b.code.as_str(), b.parent.as_deref()))
        .collect();
    let (rows, classes): (Vec<Vec<String>>, Vec<&'static str>) = breakdown_order(&keys)
        .into_iter()
        .map(|(n, kind)| {
            let b = &i.breakdown[n];
            (
                vec![b.label.clone(), value_text(&i.unit, b.total.as_ref())],
                if kind {
                    "sas-row--parent"
                } else {
                    "sas-row--child"
                },
            )
        })
        .unzip();
    table_view(
        BREAKDOWN,
        &format!("tableau-{}-detail", i.code),
        &format!(
            "{} par type de prescripteur et par structure ({period})",
            i.label
        ),
        &["Prescripteur".to_string(), i.label.clone()],
        &rows,
        &classes,
        &format!("{}-detail-{code}", i.code),
    )
}

fn card(i: &Indicator, months: &[String], code: &str, period: &str) -> Html {
    let total: Option<&StatValue> = i.available.then_some(i.total.as_ref()).flatten();
    let value = value_text(&i.unit, total);
    let shown = value_number(total).is_some();
    // One row per month, then the period's total (a month period: that one row).
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(months.len() + 1);
    if months.len() > 1 {
        rows.extend(months.iter().enumerate().map(|(n, m)| {
            vec![
                month_label(m),
                value_text(&i.unit, i.available.then(|| i.by_month.get(n)).flatten()),
            ]
        }));
    }
    rows.push(vec!["Total de la période".into(), value.clone()]);
    html! {
        <div class="fr-col-12 fr-col-md-6">
            <article class="sas-stat-card" aria-labelledby={format!("indicateur-{}", i.code)}>
                <h3 class="fr-h6 fr-mb-1w" id={format!("indicateur-{}", i.code)}>{ i.label.clone() }</h3>
                <p class={classes!("sas-stat-card__value", (!shown).then_some("sas-stat-card__value--none"))}>{ value }</p>
                { target_line(i) }
                <details class="sas-details">
                    <summary>{ "Définition" }</summary>
                    <p class="fr-text--sm">{ i.definition.clone() }</p>
                </details>
                { series(i, months, period) }
                if i.available {
                    { table_view(
                        TABLE,
                        &format!("tableau-{}", i.code),
                        &format!("{} ({period})", i.label),
                        &["Mois".to_string(), i.label.clone()],
                        &rows,
                        &[],
                        &format!("{}-{code}", i.code),
                    ) }
                    { breakdown(i, period, code) }
                }
            </article>
        </div>
    }
}

//! The dashboard's sections, plain functions over the reports: the funnel (chart and table),
//! then one group of cards per hypothesis (value, definition, series, table).
use api_types::{FunnelReport, Indicator, IndicatorReport};
use yew::prelude::*;

use crate::components::charts::{hbar_chart, table_view, vbar_chart, Bar};
use crate::logic::format;
use crate::logic::stats::{
    bar_shares, count_number, count_text, hypothesis_title, month_label, month_short, scale_of,
    value_number, value_text, Period,
};
use crate::pages::steering::dashboard::Reports;

pub fn report(r: &Reports) -> Html {
    let period = Period::parse(&r.funnel.period)
        .map(|p| p.label())
        .unwrap_or_else(|| r.funnel.period.clone());
    html! {
        <>
            <p class="sas-muted" role="status">
                { format!("Orientations transmises en {period}, chiffres arrêtés au {}.", format::date_long(r.funnel.as_of)) }
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
    let title = format!("Parcours des orientations transmises en {period}");
    html! {
        <section class="fr-mb-6w" aria-labelledby="parcours">
            <h2 id="parcours">{ "Le parcours des orientations" }</h2>
            <p class="fr-text--sm sas-muted">{ "De la transmission par le prescripteur au maintien dans l’accompagnement 90 jours après son démarrage. Une étape « masqué » compte de 1 à 4 orientations, ou cache une autre case : elle n’est jamais un 0." }</p>
            { hbar_chart("graphique-parcours", &title, &bars, &hidden) }
            { table_view("tableau-parcours", &title, &heads("Étape", &f.months), &rows, &format!("parcours-{}", f.period)) }
            <details class="sas-details">
                <summary>{ "Définitions des étapes" }</summary>
                <dl class="sas-definitions fr-text--sm">
                    { for f.stages.iter().map(|s| html! { <><dt>{ s.label.clone() }</dt><dd>{ s.definition.clone() }</dd></> }) }
                </dl>
            </details>
        </section>
    }
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

fn card(i: &Indicator, months: &[String], code: &str, period: &str) -> Html {
    let total = i.available.then_some(i.total.as_ref()).flatten();
    let value = value_text(&i.unit, total);
    let shown = value_number(total).is_some();
    let series = (i.available && months.len() > 1).then(|| {
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
    });
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
                <details class="sas-details">
                    <summary>{ "Définition" }</summary>
                    <p class="fr-text--sm">{ i.definition.clone() }</p>
                </details>
                { series.unwrap_or_default() }
                { if i.available {
                    table_view(
                        &format!("tableau-{}", i.code),
                        &format!("{} ({period})", i.label),
                        &["Mois".to_string(), i.label.clone()],
                        &rows,
                        &format!("{}-{code}", i.code),
                    )
                } else { html! {} } }
            </article>
        </div>
    }
}

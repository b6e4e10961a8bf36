//! The dashboard's charts, drawn as SVG by the app (no canvas, no chart library), and the
//! table each one comes with. A chart is an image for assistive technologies (`role="img"`,
//! its `<title>` and a `<desc>` that says every figure); its values are written on it; a
//! hidden figure is a dashed outline with « masqué », one not counted yet is « bientôt
//! disponible ». Plain functions: no component machinery (docs/frontend-performance.md).
use yew::prelude::*;

use crate::logic::stats::csv_href;

/// One bar: its name, its length (0 to 1 of the longest, `None` when hidden or not counted)
/// and the text written at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub share: Option<f64>,
    pub text: String,
}

const WIDTH: f64 = 400.0;
const VALUE_ROOM: f64 = 140.0;
const INK: &str = "#161616";
const BAR: &str = "#000091";
const MUTED: &str = "#666666";

/// A coordinate, one decimal, without the float formatting machinery (its weight in the
/// wasm).
fn n(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, (t % 10).abs())
    }
}

fn desc_of(bars: &[Bar]) -> String {
    bars.iter()
        .map(|b| format!("{} : {}", b.label, b.text))
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn frame(id: &str, title: &str, bars: &[Bar], height: f64, class: &str, body: Html) -> Html {
    let t = format!("{id}-titre");
    let d = format!("{id}-desc");
    html! {
        <svg class={classes!("sas-chart", class.to_string())} id={id.to_string()} role="img"
            viewBox={format!("0 0 {} {}", n(WIDTH), n(height))} aria-labelledby={format!("{t} {d}")}
            xmlns="http://www.w3.org/2000/svg">
            <title id={t}>{ title.to_string() }</title>
            <desc id={d}>{ desc_of(bars) }</desc>
            { body }
        </svg>
    }
}

/// A hidden or not-counted bar: a dashed outline (hidden) or nothing (not counted).
fn missing(x: f64, y: f64, w: f64, h: f64, hidden: bool) -> Html {
    if hidden {
        html! {
            <rect x={n(x)} y={n(y)} width={n(w)} height={n(h)}
                fill="none" stroke={MUTED} stroke-dasharray="3 2" />
        }
    } else {
        html! {}
    }
}

/// Horizontal bars, one row per item (the funnel): the name above, the bar, its value after.
/// `hidden[i]` tells a suppressed figure from one not counted yet.
pub fn hbar_chart(id: &str, title: &str, bars: &[Bar], hidden: &[bool]) -> Html {
    const ROW: f64 = 46.0;
    let height = ROW * bars.len() as f64 + 4.0;
    let span = WIDTH - VALUE_ROOM;
    let body = bars.iter().enumerate().map(|(i, b)| {
        let y = ROW * i as f64;
        let bar_y = y + 20.0;
        let (bar, end) = match b.share {
            Some(s) => {
                let w = (s * span).max(1.0);
                (
                    html! { <rect x="0" y={n(bar_y)} width={n(w)} height="16" fill={BAR} /> },
                    w,
                )
            }
            None => {
                let hid = hidden.get(i).copied().unwrap_or(false);
                (
                    missing(0.0, bar_y, 24.0, 16.0, hid),
                    if hid { 24.0 } else { 0.0 },
                )
            }
        };
        let value_fill = if b.share.is_some() { INK } else { MUTED };
        html! {
            <g>
                <text x="0" y={n(y + 15.0)} font-size="14" fill={INK}>{ b.label.clone() }</text>
                { bar }
                <text x={n(end + 6.0)} y={n(bar_y + 13.0)} font-size="14"
                    font-weight="700" fill={value_fill}>{ b.text.clone() }</text>
            </g>
        }
    });
    frame(
        id,
        title,
        bars,
        height,
        "sas-chart--h",
        html! { <>{ for body }</> },
    )
}

/// Vertical bars, one per month (a series): the value above, the month below.
pub fn vbar_chart(id: &str, title: &str, bars: &[Bar], hidden: &[bool]) -> Html {
    const HEIGHT: f64 = 150.0;
    const TOP: f64 = 22.0;
    const BASE: f64 = 126.0;
    let count = bars.len().max(1) as f64;
    let slot = WIDTH / count;
    let w = (slot * 0.6).min(56.0);
    let body = bars.iter().enumerate().map(|(i, b)| {
        let cx = slot * (i as f64 + 0.5);
        let x = cx - w / 2.0;
        let (bar, top) = match b.share {
            Some(s) => {
                let h = (s * (BASE - TOP)).max(1.0);
                (html! { <rect x={n(x)} y={n(BASE - h)} width={n(w)} height={n(h)} fill={BAR} /> }, BASE - h)
            }
            None => {
                let hid = hidden.get(i).copied().unwrap_or(false);
                (missing(x, BASE - 16.0, w, 16.0, hid), BASE - if hid { 16.0 } else { 0.0 })
            }
        };
        let value_fill = if b.share.is_some() { INK } else { MUTED };
        html! {
            <g>
                { bar }
                <text x={n(cx)} y={n(top - 5.0)} font-size="14" font-weight="700"
                    text-anchor="middle" fill={value_fill}>{ b.text.clone() }</text>
                <text x={n(cx)} y={n(BASE + 18.0)} font-size="14"
                    text-anchor="middle" fill={INK}>{ b.label.clone() }</text>
            </g>
        }
    });
    frame(
        id,
        title,
        bars,
        HEIGHT,
        "sas-chart--v",
        html! {
            <>
                <line x1="0" y1={n(BASE)} x2={n(WIDTH)} y2={n(BASE)} stroke={MUTED} stroke-width="1" />
                { for body }
            </>
        },
    )
}

/// A chart's table: a caption, the column heads, then one row per line whose first cell
/// heads the row. `rows` are what the CSV link downloads too (with the heads first);
/// `classes[i]`, when given, is row i's class (a kind above its structures).
pub fn stat_table(
    id: &str,
    caption: &str,
    head: &[String],
    rows: &[Vec<String>],
    classes: &[&'static str],
) -> Html {
    html! {
        <div class="sas-stat-table">
            <table id={id.to_string()}>
                <caption>{ caption.to_string() }</caption>
                <thead>
                    <tr>{ for head.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr>
                </thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(n, r)| html! {
                        <tr class={classes.get(n).copied()}>
                            { for r.iter().enumerate().map(|(i, c)| if i == 0 {
                                html! { <th scope="row">{ c.clone() }</th> }
                            } else {
                                html! { <td>{ c.clone() }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The table behind a chart, one click away (`summary` opens it), with its CSV link (`file`
/// without extension).
pub fn table_view(
    summary: &str,
    id: &str,
    caption: &str,
    head: &[String],
    rows: &[Vec<String>],
    classes: &[&'static str],
    file: &str,
) -> Html {
    let mut all = Vec::with_capacity(rows.len() + 1);
    all.push(head.to_vec());
    all.extend(rows.iter().cloned());
    html! {
        <details class="sas-details">
            <summary>{ summary.to_string() }</summary>
            { stat_table(id, caption, head, rows, classes) }
            <a class="fr-link fr-text--sm" href={csv_href(&all)}
                download={format!("{file}.csv")}>
                { format!("Télécharger le tableau (CSV) — {caption}") }
            </a>
        </details>
    }
}

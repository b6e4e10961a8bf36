//! The import of a data·inclusion file by an administrator (`/admin/imports`): the upload with
//! its motif, then the import's progress (asked again every second) and its report.
use std::cell::Cell;
use std::rc::Rc;

use api_types::OfferImport;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::reason_field;
use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::offer_import::{self as rules, Field, ImportForm, ImportRequest};
use crate::pages::PageTitle;
use crate::services::{offer, ApiError};

const FIGURES: [Column; 2] = [title("Lignes"), value("Nombre")];
const REJECTED: [Column; 3] = [
    title("Ligne"),
    value("Identifiant"),
    value("Motif du refus"),
];
const POLL_MS: u64 = 1_000;

#[function_component(Imports)]
pub fn imports() -> Html {
    let form = use_form(ImportForm::default, ());
    let input = use_node_ref();
    let current = use_state(|| None::<OfferImport>);
    let shown = use_state(|| rules::REJECTED_PAGE);
    let id = current.as_ref().map(|i| i.id);
    let running = current.as_ref().is_some_and(|i| !rules::finished(i));
    // Each answer read moves it on, so the next one is asked.
    let polls = use_state(|| 0_u32);
    {
        // Asks where the import stands, every second, until it is over.
        let (current, polls) = (current.clone(), polls.clone());
        use_effect_with((id, running, *polls), move |&(id, running, n)| {
            let alive = Rc::new(Cell::new(true));
            if let (Some(id), true) = (id, running) {
                let alive = alive.clone();
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(POLL_MS)).await;
                    if !alive.get() {
                        return;
                    }
                    let answer = offer::import(id).await;
                    if alive.get() {
                        if let Ok(i) = answer {
                            current.set(Some(i));
                        }
                        polls.set(n.wrapping_add(1));
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let onsubmit = {
        let (input, current, shown) = (input.clone(), current.clone(), shown.clone());
        form.submit(
            ImportForm::to_request,
            move |r: ImportRequest| {
                let file = input
                    .cast::<HtmlInputElement>()
                    .and_then(|i| i.files())
                    .and_then(|f| f.get(0));
                async move {
                    match file {
                        Some(file) => offer::start_import(file, r).await,
                        None => Err(ApiError::Validation {
                            code: "required".into(),
                            fields: vec![api_types::FieldError::new("file", "required", "")],
                        }),
                    }
                }
            },
            move |i| {
                shown.set(rules::REJECTED_PAGE);
                current.set(Some(i));
            },
        )
    };
    let onchange = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let name = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
                .map(|f| f.name())
                .unwrap_or_default();
            form.edit(Field::File, move |m| m.file_name = name);
        })
    };
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + rules::REJECTED_PAGE))
    };
    let f = form.values();
    let busy = form.busy() || running;
    html! {
        <>
            <PageTitle text="Importer l’offre data·inclusion" />
            <p class="fr-text--lead">{ "Un fichier de structures ou de services au format data·inclusion (JSON ou CSV). Les lignes déjà connues sont mises à jour, les services publiés que la source ne liste plus sont suspendus." }</p>
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id={Field::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                { file_field(&input, onchange, form.error(Field::File)) }
                { reason_field(Field::Reason.id(), f.reason.clone(), form.text(Field::Reason, |m, v| m.reason = v), form.error(Field::Reason)) }
                <div class="fr-mt-3w">{ submit_button("Importer le fichier", if running { "Import en cours…" } else { "Envoi du fichier…" }, busy) }</div>
            </form>
            if let Some(i) = &*current {
                { report(i, *shown, more) }
            }
        </>
    }
}

fn file_field(input: &NodeRef, onchange: Callback<Event>, error: Option<AttrValue>) -> Html {
    let id = Field::File.id();
    let hint = "Fichier .json, .jsonl ou .csv des structures ou des services, exporté de data·inclusion (structures d’abord).";
    html! {
        <div class={classes!("fr-upload-group", "fr-input-group", error.is_some().then_some("fr-input-group--error"))}>
            <label class="fr-label" for={id}>{ "Fichier" }<span class="fr-hint-text">{ hint }</span></label>
            <input class="fr-upload" type="file" id={id} ref={input.clone()} {onchange}
                accept=".json,.jsonl,.csv,application/json,text/csv" required=true
                aria-describedby={error.as_ref().map(|_| format!("{id}-error"))} />
            if let Some(e) = error {
                <p id={format!("{id}-error")} class="fr-error-text">{ e }</p>
            }
        </div>
    }
}

fn report(i: &OfferImport, shown: usize, more: Callback<MouseEvent>) -> Html {
    let done = rules::finished(i);
    let figures = rules::figures(i)
        .into_iter()
        .map(|(label, n)| Row::new(label, vec![html! { label }, html! { n.to_string() }]))
        .collect();
    let rejected: Vec<Row> = i
        .rejected_rows
        .iter()
        .take(shown)
        .map(|r| {
            Row::new(
                format!("{}-{}", r.file, r.row),
                vec![
                    html! { r.row.to_string() },
                    html! { r.id.clone().unwrap_or_else(|| "—".into()) },
                    html! { <span class="sas-break">{ r.reason.clone() }</span> },
                ],
            )
        })
        .collect();
    let kind = match (done, i.error.is_some()) {
        (true, true) => AlertKind::Error,
        (true, false) => AlertKind::Success,
        _ => AlertKind::Info,
    };
    html! {
        <section class="fr-mt-5w" aria-labelledby="titre-rapport">
            <h2 id="titre-rapport">{ format!("Import de « {} »", i.file_name) }</h2>
            // The alert is the live region (`status`, or `alert` for a failed import).
            <Alert {kind}>{ rules::progress_text(i) }</Alert>
            if done {
                { data_table("import-chiffres", "Résultat par ligne".into(), &FIGURES, figures) }
                if !rejected.is_empty() {
                    { data_table("import-refus", "Lignes refusées et leur motif".into(), &REJECTED, rejected) }
                    if shown < i.rejected_rows.len() {
                        <button type="button" class="fr-btn fr-btn--secondary" onclick={more}>{ "Afficher plus de lignes refusées" }</button>
                    }
                }
                if let Some(t) = rules::unlisted_text(i) {
                    <p>{ t }</p>
                }
            }
        </section>
    }
}

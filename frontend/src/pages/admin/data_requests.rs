//! « Demandes sur les données » (`/admin/donnees`): an administrator answers a young person's
//! request about their data. The SAS team hands over the referral's id; the administrator
//! gives it with a motif, reads the referral (`GET /referrals/{id}?reason=`, access-logged and
//! audited with the motif), then downloads the export (JSON or the readable document) or
//! erases the young person (a motif and a confirmation; the API's refusals told in French).
use yew::prelude::*;

use super::reason_field;
use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::fields::{Checkbox, InputField};
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::privacy::{
    self as rules, EraseField, EraseForm, Lookup, LookupField, LookupForm,
};
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::privacy::{self, ReadReferral};

/// A referral read, with the motif given for it (the export and the erasure reuse it).
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub referral: ReadReferral,
    pub reason: String,
}

#[function_component(DataRequests)]
pub fn data_requests() -> Html {
    let form = use_form(LookupForm::default, ());
    let read = use_state(|| None::<Read>);
    let onsubmit = {
        let read = read.clone();
        form.submit(
            LookupForm::to_request,
            |l: Lookup| async move {
                privacy::read_referral(l.referral, &l.reason)
                    .await
                    .map(|referral| Read {
                        referral,
                        reason: l.reason,
                    })
            },
            move |r| read.set(Some(r)),
        )
    };
    let on_erased = {
        let read = read.clone();
        Callback::from(move |at: chrono::DateTime<chrono::Utc>| {
            if let Some(r) = &*read {
                let mut r = r.clone();
                r.referral.youth.anonymised_at = Some(at);
                r.referral.youth.first_name.clear();
                r.referral.youth.last_name.clear();
                read.set(Some(r));
            }
        })
    };
    let f = form.values();
    html! {
        <>
            <PageTitle text="Demandes sur les données" />
            <p class="fr-text--lead">{ "Quand un jeune demande une copie de ses données ou leur effacement, l’équipe SAS de son territoire vous transmet le numéro de son dossier. Chaque lecture se fait avec un motif, gardé dans le journal des accès et dans le journal d’administration." }</p>
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id="formulaire-demande" {onsubmit} novalidate=true aria-label="Lire un dossier">
                <InputField id={LookupField::Referral.id()} label={LookupField::Referral.label()}
                    hint={Some(AttrValue::Static("Le numéro ou le lien du dossier, transmis par l’équipe SAS."))}
                    value={f.referral.clone()} oninput={form.text(LookupField::Referral, |m, v| m.referral = v)}
                    required=true error={form.error(LookupField::Referral)} />
                { reason_field(LookupField::Reason.id(), f.reason.clone(), form.text(LookupField::Reason, |m, v| m.reason = v), form.error(LookupField::Reason)) }
                <div class="fr-mt-3w">{ submit_button("Lire le dossier", "Lecture…", form.busy()) }</div>
            </form>
            if let Some(r) = &*read {
                <div key={format!("{}-{}", r.referral.id, r.reason)}>
                    { summary(&r.referral) }
                    <ExportPanel read={r.clone()} />
                    <ErasePanel read={r.clone()} onerased={on_erased} />
                </div>
            }
        </>
    }
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    format::datetime_long(t, platform::offset_minutes(t))
}

fn row(term: &str, value: Html) -> Html {
    html! { <div class="sas-dl__row"><dt>{ term.to_string() }</dt><dd>{ value }</dd></div> }
}

/// The referral read: who, which structure, where it stands.
fn summary(r: &ReadReferral) -> Html {
    let y = &r.youth;
    let who = match y.anonymised_at {
        Some(at) => row(
            "Jeune",
            html! { <><strong>{ "Personne anonymisée" }</strong>{ format!(" (le {})", when(at)) }</> },
        ),
        None => html! {
            <>
                { row("Jeune", html! { <strong>{ rules::youth_name(&y.first_name, &y.last_name) }</strong> }) }
                { row("Date de naissance", html! { { format::date_long(y.birth_date) } }) }
            </>
        },
    };
    let structure = r
        .prescriber_structure
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "—".into());
    let status = format!(
        "{}{}",
        labels::status(r.status),
        r.outcome
            .map(|o| format!(" ({})", labels::outcome(o)))
            .unwrap_or_default()
    );
    html! {
        <section class="sas-card fr-mt-4w" aria-labelledby="titre-dossier-lu">
            <h2 class="fr-h4" id="titre-dossier-lu">{ "Dossier lu" }</h2>
            <dl class="sas-dl">
                { who }
                { row("Commune", html! { { y.commune_name.clone() } }) }
                { row("Structure qui a signalé", html! { { structure } }) }
                { row("Statut", html! { { status } }) }
                { row("Créé le", html! { { when(r.created_at) } }) }
                { row("Numéro du dossier", html! { <span class="sas-break">{ r.id.to_string() }</span> }) }
            </dl>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    read: Read,
    #[prop_or_default]
    onerased: Callback<chrono::DateTime<chrono::Utc>>,
}

/// What the last download did.
#[derive(Debug, Clone, PartialEq)]
enum Fetch {
    Idle,
    Busy(bool),
    Saved(String),
    Failed(String),
}

/// The right of access: everything SAS holds about the young person, as JSON and as a
/// readable document, fetched with the session and the motif, then saved.
#[function_component(ExportPanel)]
fn export_panel(p: &PanelProps) -> Html {
    let state = use_state(|| Fetch::Idle);
    let youth = p.read.referral.youth.id;
    let download = |html: bool| {
        let (state, reason) = (state.clone(), p.read.reason.clone());
        Callback::from(move |_: MouseEvent| {
            if matches!(*state, Fetch::Busy(_)) {
                return;
            }
            state.set(Fetch::Busy(html));
            let state = state.clone();
            let reason = reason.clone();
            yew::platform::spawn_local(async move {
                match privacy::export(youth, &reason, html).await {
                    Ok(text) => {
                        let name = rules::export_file_name(youth, html);
                        let mime = if html {
                            "text/html"
                        } else {
                            "application/json"
                        };
                        platform::save_text(&name, mime, &text);
                        state.set(Fetch::Saved(name));
                    }
                    Err(e) => state.set(Fetch::Failed(e.message())),
                }
            });
        })
    };
    let busy = matches!(*state, Fetch::Busy(_));
    let button = |label: &'static str, busy_label: &'static str, html: bool, primary: bool| {
        let this = *state == Fetch::Busy(html);
        html! {
            <button type="button" class={classes!("fr-btn", (!primary).then_some("fr-btn--secondary"))}
                aria-disabled={busy.then_some("true")} onclick={download(html)}>
                { if this { busy_label } else { label } }
            </button>
        }
    };
    html! {
        <section class="sas-card fr-mt-4w" aria-labelledby="titre-copie">
            <h2 class="fr-h4" id="titre-copie">{ "Copie des données (droit d’accès)" }</h2>
            <p>{ "Tout ce que SAS garde sur ce jeune, dans tous ses dossiers : identité, coordonnées, étapes, tentatives, diagnostics, relais, accords, et qui a consulté ses données. Le document lisible se remet au jeune ; le fichier JSON contient les mêmes données." }</p>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li>{ button("Télécharger le document lisible", "Préparation du document…", true, true) }</li>
                <li>{ button("Télécharger les données (JSON)", "Préparation du fichier…", false, false) }</li>
            </ul>
            <div role="status">
                if let Fetch::Saved(name) = &*state {
                    <p class="fr-text--sm">{ format!("Fichier « {name} » téléchargé. Le téléchargement est noté dans le journal des accès, avec votre motif.") }</p>
                }
            </div>
            if let Fetch::Failed(m) = &*state {
                <Alert kind={AlertKind::Error} small=true>{ m.clone() }</Alert>
            }
        </section>
    }
}

/// The right to erasure: the same anonymisation as retention, at once. A first button opens
/// the confirmation step (motif, checkbox); the API's refusals show above the form.
#[function_component(ErasePanel)]
fn erase_panel(p: &PanelProps) -> Html {
    let open = use_state(|| false);
    let done = use_state(|| None::<i64>);
    let reason = p.read.reason.clone();
    let form = use_form(
        move || EraseForm {
            reason,
            confirmed: false,
        },
        (),
    );
    let youth = p.read.referral.youth.id;
    let onsubmit = {
        let (done, open, onerased) = (done.clone(), open.clone(), p.onerased.clone());
        form.submit(
            EraseForm::to_request,
            move |reason: String| privacy::erase(youth, reason),
            move |e: privacy::Erasure| {
                done.set(Some(e.referrals));
                open.set(false);
                onerased.emit(e.anonymised_at);
            },
        )
    };
    let body = if let Some(n) = *done {
        html! {
            <Alert kind={AlertKind::Success} small=true>
                { format!("Les données du jeune sont effacées : {} anonymisé{}. Les codes et les dates restent pour les statistiques.",
                    format::count_label(n.max(0) as usize, "dossier", "dossiers"), if n > 1 { "s" } else { "" }) }
            </Alert>
        }
    } else if let Some(at) = p.read.referral.youth.anonymised_at {
        html! { <p>{ format!("Les données de ce jeune sont anonymisées depuis le {}.", when(at)) }</p> }
    } else if !*open {
        let open = open.clone();
        html! {
            <button type="button" class="fr-btn fr-btn--secondary" onclick={Callback::from(move |_: MouseEvent| open.set(true))}>
                { "Effacer les données du jeune…" }
            </button>
        }
    } else {
        let f = form.values();
        let cancel = {
            let open = open.clone();
            Callback::from(move |_: MouseEvent| open.set(false))
        };
        html! {
            <>
                <ErrorSummary id="effacement-erreurs" items={form.summary()} general={form.general()} focus_key={form.refusals()} />
                <form id="formulaire-effacement" {onsubmit} novalidate=true aria-labelledby="titre-effacement">
                    { reason_field(EraseField::Reason.id(), f.reason.clone(), form.text(EraseField::Reason, |m, v| m.reason = v), form.error(EraseField::Reason)) }
                    <Checkbox id={EraseField::Confirm.id()} label="Je confirme l’effacement : l’identité, les coordonnées et les textes libres du jeune seront effacés définitivement, dans tous ses dossiers."
                        checked={f.confirmed} onchange={form.flag(EraseField::Confirm, |m, v| m.confirmed = v)}
                        required=true error={form.error(EraseField::Confirm)} />
                    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                        <li>{ submit_button("Effacer définitivement", "Effacement…", form.busy()) }</li>
                        <li><button type="button" class="fr-btn fr-btn--tertiary" onclick={cancel}>{ "Annuler" }</button></li>
                    </ul>
                </form>
            </>
        }
    };
    html! {
        <section class="sas-card fr-mt-4w" aria-labelledby="titre-effacement">
            <h2 class="fr-h4" id="titre-effacement">{ "Effacement (droit à l’effacement)" }</h2>
            <p>{ "L’effacement anonymise le jeune tout de suite, comme la durée de conservation le ferait : son identité, ses coordonnées, son représentant légal et les textes libres sont effacés ; les codes et les dates restent pour les statistiques. Il n’est pas possible tant qu’un dossier du jeune est ouvert ou qu’un relais est en cours." }</p>
            { body }
        </section>
    }
}

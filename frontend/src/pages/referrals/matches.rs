//! The counsellor's matching panel on a referral: the services ranked for the young person
//! (`docs/MATCHING.md`), each with the criteria it meets and misses in French, its distance
//! and places; "Exclure" sets one aside with a reason, and the services set aside can be
//! brought back. The relay step plugs its "Relayer" button in through `on_relay`.
use api_types::{ExclusionReason, Match, MatchExclusion};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind};
use crate::components::fields::{SelectField, TextareaField};
use crate::components::list::{list_view, ListTexts};
use crate::hooks::use_paged_list;
use crate::logic::{format, labels};
use crate::services::matching as service;

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucune proposition",
    empty_text: "Aucun service publié ne répond aux besoins du diagnostic pour ce jeune (zone, âge, places, distance). Vérifiez les besoins du diagnostic.",
    more: "Afficher plus",
};
const NOTE_REQUIRED: &str = "Précisez le motif.";

#[derive(Properties, PartialEq)]
pub struct MatchesProps {
    pub referral_id: Uuid,
    /// The relay step: when given, each proposal gets a "Relayer" button that emits the
    /// service's id (wired by the relay pages; none yet).
    #[prop_or_default]
    pub on_relay: Option<Callback<Uuid>>,
    /// Changes when the diagnostic is saved again (reload).
    #[prop_or_default]
    pub version: i32,
}

#[function_component(MatchesPanel)]
pub fn matches_panel(p: &MatchesProps) -> Html {
    let list = use_paged_list((p.referral_id, p.version), |(id, _), c| {
        service::matches(id, c)
    });
    let excluded = use_state(Vec::<MatchExclusion>::new);
    let reloads = use_state(|| 0u32);
    let notice = use_state(|| None::<String>);
    {
        let excluded = excluded.clone();
        use_effect_with((p.referral_id, *reloads), move |(id, _)| {
            let (id, excluded) = (*id, excluded.clone());
            yew::platform::spawn_local(async move {
                if let Ok(v) = service::exclusions(id).await {
                    excluded.set(v);
                }
            });
        });
    }
    let changed = {
        let (reload, reloads, notice) = (list.reload.clone(), reloads.clone(), notice.clone());
        Callback::from(move |msg: String| {
            notice.set(Some(msg));
            reloads.set(*reloads + 1);
            reload.emit(());
        })
    };
    let id = p.referral_id;
    let on_relay = p.on_relay.clone();
    html! {
        <section class="sas-card" aria-labelledby="titre-propositions" id="propositions">
            <h2 class="fr-h5" id="titre-propositions">{ "Propositions de services" }</h2>
            <p class="fr-text--sm sas-muted">{ "Services publiés classés selon les besoins du diagnostic et leur priorité, la distance et la mobilité, les modes d’accueil et les places. Chaque critère est expliqué." }</p>
            if let Some(msg) = &*notice {
                <div role="status"><Alert kind={AlertKind::Success} small=true>{ msg.clone() }</Alert></div>
            }
            { list_view(&list, TEXTS, |items: &[Match]| html! {
                <ol class="sas-matches">
                    { for items.iter().enumerate().map(|(i, m)| html! {
                        <MatchCard key={m.service.id.to_string()} rank={i + 1} item={m.clone()} referral_id={id} onchange={changed.clone()} on_relay={on_relay.clone()} />
                    }) }
                </ol>
            }) }
            { excluded_list(id, &excluded, &changed) }
        </section>
    }
}

fn excluded_list(id: Uuid, items: &[MatchExclusion], changed: &Callback<String>) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <div class="fr-mt-3w">
            <h3 class="fr-h6" id="titre-ecartes">{ format!("Services écartés ({})", items.len()) }</h3>
            <ul class="sas-excluded" aria-labelledby="titre-ecartes">
                { for items.iter().map(|e| {
                    let (sid, nom, changed) = (e.service_id, e.service_nom.clone(), changed.clone());
                    let undo = Callback::from(move |_: MouseEvent| {
                        let (changed, nom) = (changed.clone(), nom.clone());
                        yew::platform::spawn_local(async move {
                            if service::restore(id, sid).await.is_ok() {
                                changed.emit(format!("« {nom} » est de nouveau proposé."));
                            }
                        });
                    });
                    html! {
                        <li>
                            <strong>{ e.service_nom.clone() }</strong>
                            { " — " }{ labels::exclusion_reason(e.reason) }
                            if let Some(n) = &e.note { { format!(" : {n}") } }
                            <span class="sas-muted">{ format!(" ({})", format::date_short(e.excluded_at.date_naive())) }</span>
                            { " " }
                            <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary" onclick={undo} aria-label={format!("Remettre « {} » dans les propositions", e.service_nom)}>{ "Remettre" }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    rank: usize,
    item: Match,
    referral_id: Uuid,
    onchange: Callback<String>,
    on_relay: Option<Callback<Uuid>>,
}

#[function_component(MatchCard)]
fn match_card(p: &CardProps) -> Html {
    let open = use_state(|| false);
    let reason = use_state(|| None::<ExclusionReason>);
    let note = use_state(String::new);
    let error = use_state(|| None::<AttrValue>);
    let m = &p.item;
    let s = &m.service;
    let key = s.id.simple().to_string();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let confirm = {
        let (reason, note, error, open) =
            (reason.clone(), note.clone(), error.clone(), open.clone());
        let (id, sid, nom, done) = (p.referral_id, s.id, s.nom.clone(), p.onchange.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(r) = *reason else {
                return error.set(Some("Choisissez un motif.".into()));
            };
            let text = note.trim().to_string();
            if r == ExclusionReason::Other && text.is_empty() {
                return error.set(Some(NOTE_REQUIRED.into()));
            }
            let (error, open, done, nom) = (error.clone(), open.clone(), done.clone(), nom.clone());
            yew::platform::spawn_local(async move {
                match service::exclude(id, sid, r, (!text.is_empty()).then_some(text)).await {
                    Ok(_) => {
                        open.set(false);
                        done.emit(format!("« {nom} » est écarté des propositions."));
                    }
                    Err(e) => error.set(Some(e.message().into())),
                }
            });
        })
    };
    let reasons: Vec<(AttrValue, AttrValue)> = ExclusionReason::ALL
        .iter()
        .map(|r| (r.as_str().into(), labels::exclusion_reason(*r).into()))
        .collect();
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |v: String| reason.set(ExclusionReason::parse(&v)))
    };
    let on_note = {
        let note = note.clone();
        Callback::from(move |v: String| note.set(v))
    };
    let (met, missed): (Vec<_>, Vec<_>) = m.criteria.iter().partition(|c| c.met);
    html! {
        <li class="sas-match">
            <h3 class="fr-h6 fr-mb-1v" id={format!("proposition-{key}")}>{ format!("{}. {}", p.rank, s.nom) }</h3>
            <p class="fr-text--sm fr-mb-1w">
                { s.structure.nom.clone() }
                if let Some(c) = &s.commune { { format!(" · {c}") } }
                { " · " }{ distance(m.distance_km) }
                { " · " }{ places(m) }
                { " · " }<strong>{ format!("{} points", m.score) }</strong>
            </p>
            <ul class="sas-criteria" aria-label="Critères remplis">
                { for met.iter().map(|c| html! { <li class="sas-criterion sas-criterion--met"><span aria-hidden="true">{ "✓ " }</span>{ c.text.clone() }</li> }) }
            </ul>
            if !missed.is_empty() {
                <ul class="sas-criteria" aria-label="Critères non remplis">
                    { for missed.iter().map(|c| html! { <li class="sas-criterion sas-criterion--missed"><span aria-hidden="true">{ "✗ " }</span>{ c.text.clone() }</li> }) }
                </ul>
            }
            <div class="sas-match__actions">
                // Slot of the relay step: its "Relayer" button, when the page gives `on_relay`.
                if let Some(relay) = &p.on_relay {
                    <button type="button" class="fr-btn fr-btn--sm" onclick={{ let (relay, sid) = (relay.clone(), s.id); Callback::from(move |_: MouseEvent| relay.emit(sid)) }}>{ "Relayer" }</button>
                }
                <button type="button" class="fr-btn fr-btn--sm fr-btn--secondary" aria-expanded={(*open).to_string()} aria-controls={format!("exclure-{key}")} onclick={toggle} aria-describedby={format!("proposition-{key}")}>{ "Exclure" }</button>
            </div>
            if *open {
                <form id={format!("exclure-{key}")} onsubmit={confirm} novalidate=true aria-label={format!("Exclure « {} »", s.nom)}>
                    if let Some(e) = &*error {
                        <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
                    }
                    <SelectField id={format!("motif-{key}")} label="Motif" options={reasons} value={reason.map(|r| r.as_str()).unwrap_or_default()} placeholder="Choisir…" onchange={on_reason} />
                    if *reason == Some(ExclusionReason::Other) {
                        <TextareaField id={format!("precision-{key}")} label="Précisez" value={(*note).clone()} oninput={on_note} />
                    }
                    <button type="submit" class="fr-btn fr-btn--sm">{ "Confirmer l’exclusion" }</button>
                </form>
            }
        </li>
    }
}

fn distance(d: Option<f64>) -> String {
    match d {
        Some(km) => format!("à {} km", format!("{km:.1}").replace('.', ",")),
        None => "distance inconnue".to_string(),
    }
}

fn places(m: &Match) -> String {
    match m.service.capacity.as_ref().and_then(|c| c.available) {
        Some(n) => format::count_label(
            usize::try_from(n).unwrap_or(0),
            "place disponible",
            "places disponibles",
        ),
        None => "places non renseignées".to_string(),
    }
}

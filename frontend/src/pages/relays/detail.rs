//! One relay (`/relais/:id`), for the receiving structure: the young person as SAS shares
//! them, and the answers (accept, refuse with a reason, first appointment held, end,
//! checkpoints).
use api_types::{CheckpointAnswer, Relay, RelayOutcome, RelayReason, RelayStatus};
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::fields::{SelectField, TextareaField};
use crate::logic::{format, relays};
use crate::pages::PageTitle;
use crate::services::relays::{self as service, Act};
use crate::services::ApiError;

#[derive(Properties, PartialEq)]
pub struct RelayProps {
    pub id: String,
}

#[function_component(RelayPage)]
pub fn relay_page(p: &RelayProps) -> Html {
    let relay = use_state(|| None::<Result<Relay, ApiError>>);
    let notice = use_state(|| None::<(AlertKind, String)>);
    {
        let relay = relay.clone();
        use_effect_with(p.id.clone(), move |id| {
            let (id, relay) = (id.clone(), relay.clone());
            yew::platform::spawn_local(async move { relay.set(Some(service::get(&id).await)) });
        });
    }
    let onact = {
        let (relay, notice) = (relay.clone(), notice.clone());
        Callback::from(move |(r, a): (Relay, Act)| {
            let (relay, notice) = (relay.clone(), notice.clone());
            yew::platform::spawn_local(async move {
                match service::act(r.id, &a, r.version).await {
                    Ok(done) => {
                        notice.set(Some((
                            AlertKind::Success,
                            format!("Demande : {}.", relays::status(done.status).to_lowercase()),
                        )));
                        relay.set(Some(Ok(done)));
                    }
                    Err(e) => notice.set(Some((AlertKind::Error, e.message()))),
                }
            });
        })
    };
    let onanswer = {
        let (relay, notice) = (relay.clone(), notice.clone());
        Callback::from(move |(r, n, a): (Relay, i32, CheckpointAnswer)| {
            let (relay, notice) = (relay.clone(), notice.clone());
            yew::platform::spawn_local(async move {
                match service::answer(r.id, n, a, r.version).await {
                    Ok(done) => {
                        notice.set(Some((
                            AlertKind::Success,
                            format!("Point de suivi à {n} jours enregistré."),
                        )));
                        relay.set(Some(Ok(done)));
                    }
                    Err(e) => notice.set(Some((AlertKind::Error, e.message()))),
                }
            });
        })
    };
    let r = match &*relay {
        None => return html! { <><PageTitle text="Demande de relais" /><Loading /></> },
        Some(Err(e)) => {
            return html! { <><PageTitle text="Demande de relais" /><Alert kind={AlertKind::Error}>{ e.message() }</Alert></> }
        }
        Some(Ok(r)) => r.clone(),
    };
    let name = r
        .youth
        .as_ref()
        .map(|y| crate::logic::privacy::youth_name(&y.first_name, &y.last_name))
        .unwrap_or_else(|| "Jeune".into());
    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text={name} />
                <span class="fr-badge fr-badge--no-icon">{ relays::status(r.status) }</span>
            </div>
            if let Some((kind, text)) = &*notice {
                <Alert kind={*kind} small=true>{ text.clone() }</Alert>
            }
            if r.overdue {
                <Alert kind={AlertKind::Warning} small=true>{ "Cette demande attend votre réponse." }</Alert>
            }
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-lg-7">
                    { youth(&r) }
                    { shared(&r) }
                </div>
                <div class="fr-col-12 fr-col-lg-5">
                    <Answers relay={r.clone()} onact={onact} />
                    { checkpoints(&r, &onanswer) }
                </div>
            </div>
        </>
    }
}

fn row(label: &str, value: String) -> Html {
    html! { <div class="sas-row"><dt>{ label }</dt><dd>{ value }</dd></div> }
}

fn youth(r: &Relay) -> Html {
    let Some(y) = &r.youth else { return html! {} };
    html! {
        <section class="sas-card" aria-labelledby="titre-jeune">
            <h2 class="fr-h5" id="titre-jeune">{ "Le jeune" }</h2>
            <dl class="sas-rows">
                { row("Date de naissance", format::date_long(y.birth_date)) }
                { row("Commune", y.commune_name.clone()) }
                if y.contact_via_prescriber_only {
                    { row("Contact", "Par l’intermédiaire de l’équipe SAS uniquement".into()) }
                } else {
                    { row("Téléphone", y.phone.clone().unwrap_or_else(|| "Non renseigné".into())) }
                    { row("Courriel", y.email.clone().unwrap_or_else(|| "Non renseigné".into())) }
                }
                if let Some(p) = &r.prescriber {
                    { row("Orienté par", p.name.clone()) }
                }
                { row("Service", r.service_name.clone().unwrap_or_default()) }
            </dl>
        </section>
    }
}

fn shared(r: &Relay) -> Html {
    html! {
        <section class="sas-card" aria-labelledby="titre-partage">
            <h2 class="fr-h5" id="titre-partage">{ "Ce que l’équipe SAS partage" }</h2>
            <p>{ r.shared_summary.clone().unwrap_or_else(|| "Pas de synthèse.".into()) }</p>
            if let Some(n) = &r.needs {
                <ul class="fr-tags-group">
                    { for n.iter().map(|t| html! { <li><span class="fr-tag fr-tag--sm">{ crate::logic::thematiques::family_label(crate::logic::thematiques::family_of(t)) }</span></li> }) }
                </ul>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AnswersProps {
    relay: Relay,
    onact: Callback<(Relay, Act)>,
}

/// A choice the receiver must make before its answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    Reason,
    Outcome,
}

const MISSING_REASON: &str = "Choisissez un motif pour refuser ou signaler un échec.";
const MISSING_OUTCOME: &str = "Choisissez l’issue de l’accompagnement pour le terminer.";

/// The actions of the current status; refusing and failing ask for a reason first.
#[function_component(Answers)]
fn answers(p: &AnswersProps) -> Html {
    let reason = use_state(String::new);
    let text = use_state(String::new);
    let outcome = use_state(String::new);
    // The field a click found missing: a reason or an outcome is never guessed.
    let missing = use_state(|| None::<Missing>);
    let actions = relays::receiver_actions(p.relay.status);
    if actions.is_empty() {
        return html! {};
    }
    let reasons: Vec<(AttrValue, AttrValue)> = RelayReason::ALL
        .iter()
        .map(|r| {
            (
                AttrValue::from(r.as_str()),
                AttrValue::from(relays::reason(*r)),
            )
        })
        .collect();
    let outcomes: Vec<(AttrValue, AttrValue)> = RelayOutcome::ALL
        .iter()
        .map(|o| {
            (
                AttrValue::from(o.as_str()),
                AttrValue::from(relays::outcome(*o)),
            )
        })
        .collect();
    let click = |code: &'static str| {
        let (onact, r, reason, text, outcome, missing) = (
            p.onact.clone(),
            p.relay.clone(),
            reason.clone(),
            text.clone(),
            outcome.clone(),
            missing.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let why = RelayReason::parse(&reason);
            let t = (!text.trim().is_empty()).then(|| text.trim().to_string());
            let a = match (code, why) {
                ("accept", _) => Act::Accept,
                ("start", _) => Act::Start,
                ("refuse", Some(w)) => Act::Refuse(w, t),
                ("fail", Some(w)) => Act::Fail(w, t),
                ("refuse" | "fail", None) => return missing.set(Some(Missing::Reason)),
                _ => match RelayOutcome::parse(&outcome) {
                    Some(o) => Act::Complete(o),
                    None => return missing.set(Some(Missing::Outcome)),
                },
            };
            missing.set(None);
            onact.emit((r.clone(), a));
        })
    };
    let needs_reason = actions.iter().any(|(c, _)| matches!(*c, "refuse" | "fail"));
    html! {
        <section class="sas-card" aria-labelledby="titre-reponse">
            <h2 class="fr-h5" id="titre-reponse">{ "Votre réponse" }</h2>
            if needs_reason {
                <SelectField id="relais-motif" label="Motif (pour refuser ou signaler un échec)" options={reasons}
                    value={(*reason).clone()} placeholder={Some(AttrValue::from("Choisir un motif"))}
                    error={(*missing == Some(Missing::Reason)).then(|| AttrValue::from(MISSING_REASON))}
                    onchange={{ let reason = reason.clone(); Callback::from(move |v| reason.set(v)) }} />
                <TextareaField id="relais-precision" label="Précision (obligatoire pour « Autre »)" value={(*text).clone()}
                    oninput={{ let text = text.clone(); Callback::from(move |v| text.set(v)) }} />
            }
            if p.relay.status == RelayStatus::Started {
                <SelectField id="relais-issue" label="Issue (pour terminer)" options={outcomes}
                    value={(*outcome).clone()} placeholder={Some(AttrValue::from("Choisir une issue"))}
                    error={(*missing == Some(Missing::Outcome)).then(|| AttrValue::from(MISSING_OUTCOME))}
                    onchange={{ let outcome = outcome.clone(); Callback::from(move |v| outcome.set(v)) }} />
            }
            <ul class="fr-btns-group fr-btns-group--inline-md">
                { for actions.iter().enumerate().map(|(i, (code, label))| html! {
                    <li><button type="button" class={classes!("fr-btn", (i > 0).then_some("fr-btn--secondary"))} onclick={click(code)}>{ *label }</button></li>
                }) }
            </ul>
        </section>
    }
}

fn checkpoints(r: &Relay, onanswer: &Callback<(Relay, i32, CheckpointAnswer)>) -> Html {
    if r.checkpoints.is_empty() {
        return html! {};
    }
    let open = r
        .checkpoints
        .iter()
        .find(|c| c.answer.is_none())
        .filter(|c| c.overdue)
        .map(|c| c.n);
    html! {
        <section class="sas-card" aria-labelledby="titre-suivi">
            <h2 class="fr-h5" id="titre-suivi">{ "Points de suivi" }</h2>
            <ul class="sas-plain-list">
                { for r.checkpoints.iter().map(|c| html! {
                    <li class="fr-mb-2w">
                        <strong>{ format!("À {} jours", c.n) }</strong>
                        { format!(" (le {}) : ", format::date_short(c.due_on)) }
                        { c.answer.map(relays::answer).unwrap_or(if c.overdue { "à renseigner" } else { "à venir" }) }
                        if Some(c.n) == open {
                            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
                                { for CheckpointAnswer::ALL.iter().map(|a| {
                                    let (cb, rel, n, a) = (onanswer.clone(), r.clone(), c.n, *a);
                                    html! { <li><button type="button" class="fr-btn fr-btn--secondary fr-btn--sm"
                                        onclick={Callback::from(move |_: MouseEvent| cb.emit((rel.clone(), n, a)))}>{ relays::answer(a) }</button></li> }
                                }) }
                            </ul>
                        }
                    </li>
                }) }
            </ul>
        </section>
    }
}

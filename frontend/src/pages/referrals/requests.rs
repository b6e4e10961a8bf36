//! Requests of the SAS team to the prescriber of a young person reached through them only:
//! the prescriber reads and answers them here; the counsellor reads the answers.
use api_types::{PrescriberRequest, RequestStatus};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind};
use crate::components::fields::TextareaField;
use crate::logic::format;
use crate::platform;
use crate::services::orient as service;

#[derive(Properties, PartialEq)]
pub struct RequestsProps {
    pub referral_id: Uuid,
    /// The prescriber may answer.
    pub can_answer: bool,
    /// Changes when the referral changes (reload).
    pub version: i32,
    pub onchange: Callback<()>,
}

#[function_component(RequestsPanel)]
pub fn requests_panel(p: &RequestsProps) -> Html {
    let items = use_state(Vec::<PrescriberRequest>::new);
    let reload = use_state(|| 0u32);
    {
        let items = items.clone();
        use_effect_with((p.referral_id, p.version, *reload), move |(id, _, _)| {
            let (id, items) = (*id, items.clone());
            yew::platform::spawn_local(async move {
                if let Ok(v) = service::requests(id).await {
                    items.set(v);
                }
            });
        });
    }
    if items.is_empty() {
        return html! {};
    }
    html! {
        <section class="sas-card" aria-labelledby="titre-demandes">
            <h2 class="fr-h5" id="titre-demandes">{ "Demandes de l’équipe SAS au prescripteur" }</h2>
            <ol class="sas-attempts">
                { for items.iter().map(|r| html! {
                    <Request request={r.clone()} referral_id={p.referral_id} can_answer={p.can_answer}
                        onanswered={{ let (reload, cb) = (reload.clone(), p.onchange.clone()); Callback::from(move |_| { reload.set(*reload + 1); cb.emit(()) }) }} />
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RequestProps {
    request: PrescriberRequest,
    referral_id: Uuid,
    can_answer: bool,
    onanswered: Callback<()>,
}

#[function_component(Request)]
fn request(p: &RequestProps) -> Html {
    let answer = use_state(String::new);
    let error = use_state(|| None::<String>);
    let r = &p.request;
    let onsubmit = {
        let (answer, error, id, rid, done) = (
            answer.clone(),
            error.clone(),
            p.referral_id,
            r.id,
            p.onanswered.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if answer.trim().is_empty() {
                return error.set(Some("Écrivez une réponse.".into()));
            }
            let (text, error, done) = ((*answer).clone(), error.clone(), done.clone());
            yew::platform::spawn_local(async move {
                match service::answer_request(id, rid, text).await {
                    Ok(_) => done.emit(()),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let field_id = format!("reponse-{}", r.id);
    html! {
        <li class="sas-attempts__item">
            <p class="fr-text--sm fr-mb-1v">
                <strong>{ if r.status == RequestStatus::Open { "En attente de réponse" } else { "Répondue" } }</strong>
                { format!(" · {}", format::datetime_long(r.opened_at, platform::offset_minutes(r.opened_at))) }
            </p>
            <p class="fr-text--sm fr-mb-1v">{ r.message.clone().unwrap_or_else(|| "L’équipe SAS n’arrive pas à joindre le jeune : pouvez-vous l’aider à reprendre contact ?".into()) }</p>
            if let Some(a) = &r.answer {
                <p class="fr-text--sm fr-mb-0">{ format!("Réponse : {a}") }</p>
            } else if p.can_answer {
                if let Some(e) = &*error {
                    <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
                }
                <form {onsubmit} novalidate=true aria-label="Répondre à l’équipe SAS">
                    <TextareaField id={field_id} label="Votre réponse" value={(*answer).clone()} oninput={{ let a = answer.clone(); Callback::from(move |v: String| a.set(v)) }} />
                    <button type="submit" class="fr-btn fr-btn--sm">{ "Répondre" }</button>
                </form>
            }
        </li>
    }
}

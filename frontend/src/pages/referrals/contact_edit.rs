//! Correcting the young person's contact details after the referral was taken (prescriber or
//! counsellor): the previous details stay in the history on the server.
use api_types::{ContactChannel, Referral, YouthContactUpdate};
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind};
use crate::components::fields::{Checkbox, Fieldset, InputField};
use crate::logic::error::field_message;
use crate::logic::labels;
use crate::services::orient as service;

#[derive(Properties, PartialEq)]
pub struct ContactEditProps {
    pub referral: Referral,
    pub onchange: Callback<String>,
}

#[function_component(ContactEdit)]
pub fn contact_edit(p: &ContactEditProps) -> Html {
    let y = &p.referral.youth;
    let open = use_state(|| false);
    let phone = use_state(|| y.phone.clone().unwrap_or_default());
    let email = use_state(|| y.email.clone().unwrap_or_default());
    let channels = use_state(|| y.contact_channels.clone());
    let via = use_state(|| y.contact_via_prescriber_only);
    let errors = use_state(Vec::<String>::new);
    if !*open {
        let open = open.clone();
        return html! {
            <button type="button" class="fr-btn fr-btn--tertiary fr-btn--sm fr-mb-3w" onclick={Callback::from(move |_: MouseEvent| open.set(true))}>
                { "Corriger les coordonnées du jeune" }
            </button>
        };
    }
    let onsubmit = {
        let (phone, email, channels, via, errors, open) = (
            phone.clone(),
            email.clone(),
            channels.clone(),
            via.clone(),
            errors.clone(),
            open.clone(),
        );
        let (id, version, onchange) = (p.referral.id, p.referral.version, p.onchange.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = |s: &str| Some(Some(s.trim().to_string()).filter(|s| !s.is_empty()));
            let body = YouthContactUpdate {
                phone: text(&phone),
                email: text(&email),
                contact_channels: Some((*channels).clone()),
                contact_via_prescriber_only: Some(*via),
            };
            let (errors, open, onchange) = (errors.clone(), open.clone(), onchange.clone());
            yew::platform::spawn_local(async move {
                match service::correct_contact(id, body, version).await {
                    Ok(_) => {
                        errors.set(Vec::new());
                        open.set(false);
                        onchange.emit("Coordonnées du jeune corrigées.".into());
                    }
                    Err(e) if !e.fields().is_empty() => {
                        errors.set(e.fields().iter().map(|f| field_message(&f.code)).collect())
                    }
                    Err(e) => errors.set(vec![e.message()]),
                }
            });
        })
    };
    html! {
        <section class="sas-card" aria-labelledby="titre-correction">
            <h2 class="fr-h5" id="titre-correction">{ "Corriger les coordonnées du jeune" }</h2>
            if !errors.is_empty() {
                <Alert kind={AlertKind::Error} small=true>
                    <ul>{ for errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                </Alert>
            }
            <form {onsubmit} novalidate=true aria-labelledby="titre-correction">
                <InputField id="correction-telephone" label="Téléphone (facultatif)" kind="tel" value={(*phone).clone()} oninput={{ let s = phone.clone(); Callback::from(move |v| s.set(v)) }} />
                <InputField id="correction-courriel" label="Courriel (facultatif)" kind="email" value={(*email).clone()} oninput={{ let s = email.clone(); Callback::from(move |v| s.set(v)) }} />
                <Fieldset id="correction-moyens" legend="Moyens de contact acceptés" inline=true>
                    { for labels::CONTACT_CHANNELS.iter().copied().map(|c| {
                        let channels = channels.clone();
                        let on = channels.contains(&c);
                        html! {
                            <Checkbox id={format!("correction-{}", labels::contact_channel_code(c))} label={labels::contact_channel(c)} checked={on}
                                onchange={Callback::from(move |v: bool| {
                                    let mut list: Vec<ContactChannel> = (*channels).iter().copied().filter(|x| *x != c).collect();
                                    if v { list.push(c) }
                                    channels.set(list)
                                })} />
                        }
                    }) }
                </Fieldset>
                <Checkbox id="correction-via-prescripteur" label="Uniquement par l’intermédiaire du prescripteur" checked={*via}
                    onchange={{ let via = via.clone(); Callback::from(move |v| via.set(v)) }} />
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li><button type="submit" class="fr-btn">{ "Enregistrer les coordonnées" }</button></li>
                    <li><button type="button" class="fr-btn fr-btn--secondary" onclick={{ let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(false)) }}>{ "Annuler" }</button></li>
                </ul>
            </form>
        </section>
    }
}

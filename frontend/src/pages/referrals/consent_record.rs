//! A new consent record (who informed the young person, how, what they agree to), on
//! `use_form` with `logic::consent_form`. Shown on the referral page (« Enregistrer un nouvel
//! accord ») and from the relay panel when a relay was refused for want of
//! `share_with_receiver` (then pre-ticked).
use api_types::{ConsentMethod, ConsentScope};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{submit_button, ErrorSummary};
use crate::components::fields::{Checkbox, Fieldset, InputField, Radio};
use crate::hooks::{use_form, Form};
use crate::logic::consent_form::{ConsentForm, ConsentIds, Field, Place};
use crate::logic::labels;
use crate::platform;
use crate::services::referrals as service;

#[derive(Properties, PartialEq)]
pub struct ConsentRecordProps {
    pub referral_id: Uuid,
    /// The values the form starts from (`ConsentForm::from_latest` or `for_relay`).
    pub initial: ConsentForm,
    /// After the record is saved.
    pub ondone: Callback<()>,
    pub oncancel: Callback<()>,
    /// Where it is open: its element ids (both places can be open at once).
    pub place: Place,
}

#[function_component(ConsentRecordForm)]
pub fn consent_record_form(p: &ConsentRecordProps) -> Html {
    let initial = p.initial.clone();
    let form = use_form(move || initial, ());
    let id = p.referral_id;
    let ids = p.place.ids();
    let onsubmit = {
        let ondone = p.ondone.clone();
        form.submit(
            |f: &ConsentForm, _| f.to_request(platform::now()),
            move |body| service::record_consent(id, body),
            move |_| ondone.emit(()),
        )
    };
    let cancel = {
        let cb = p.oncancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="sas-card" aria-labelledby={ids.heading()}>
            <h3 class="fr-h6" id={ids.heading()}>{ "Enregistrer un nouvel accord du jeune" }</h3>
            <p class="fr-text--sm">{ "Le dernier accord enregistré est celui qui compte. Relisez la notice d’information au jeune avant de noter ce qu’il accepte." }</p>
            <ErrorSummary items={form.summary_in(ids.scope())} general={form.general()} focus_key={form.refusals()} id={ids.summary()} />
            <form {onsubmit} novalidate=true id={ids.field(Field::Form)} aria-labelledby={ids.heading()}>
                { fields(&form, &ids) }
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li>{ submit_button("Enregistrer l’accord", "Enregistrement…", form.busy()) }</li>
                    <li><button type="button" class="fr-btn fr-btn--secondary" onclick={cancel}>{ "Annuler" }</button></li>
                </ul>
            </form>
        </section>
    }
}

fn fields(form: &Form<ConsentForm>, ids: &ConsentIds) -> Html {
    let f = form.values();
    let method = |m: ConsentMethod| {
        let form = form.clone();
        Callback::from(move |_: ()| {
            form.edit(Field::Method, move |f: &mut ConsentForm| f.method = m)
        })
    };
    let scope = |s: ConsentScope| {
        let form = form.clone();
        Callback::from(move |on: bool| {
            form.edit(Field::Agreed, move |f: &mut ConsentForm| f.set_scope(s, on))
        })
    };
    html! {
        <>
            <Fieldset id={ids.field(Field::Method)} legend="Comment avez-vous informé le jeune ?" inline=true error={form.error(Field::Method)}>
                { for ConsentMethod::ALL.iter().copied().map(|m| html! {
                    <Radio id={ids.method(m)} name={ids.method_name()} label={labels::consent_method(m)}
                        checked={f.method == m} onselect={method(m)} />
                }) }
            </Fieldset>
            <InputField id={ids.field(Field::InformedBy)} label="Personne qui a informé le jeune"
                hint={Some(AttrValue::Static("Votre nom et votre structure, ou ceux du collègue qui l’a fait."))}
                value={f.informed_by.clone()} oninput={form.text(Field::InformedBy, |f, v| f.informed_by = v)} required=true error={form.error(Field::InformedBy)} />
            <Fieldset id={ids.field(Field::Agreed)} legend="Le jeune accepte de :" hint={Some(AttrValue::Static("Être contacté par l’équipe SAS est nécessaire pour que SAS l’accompagne."))} error={form.error(Field::Agreed)}>
                { for ConsentScope::ALL.iter().copied().map(|s| html! {
                    <Checkbox id={ids.scope_box(s)} label={labels::consent_scope(s)}
                        checked={f.has(s)} onchange={scope(s)} />
                }) }
            </Fieldset>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct NewConsentProps {
    pub referral: api_types::Referral,
    /// After a record is saved, with the message to show.
    pub onchange: Callback<String>,
}

/// The referral page's « Enregistrer un nouvel accord »: a button, then the form starting
/// from the latest record.
#[function_component(NewConsent)]
pub fn new_consent(p: &NewConsentProps) -> Html {
    let open = use_state(|| false);
    if !*open {
        let open = open.clone();
        return html! {
            <button type="button" class="fr-btn fr-btn--tertiary fr-btn--sm fr-mb-3w" onclick={Callback::from(move |_: MouseEvent| open.set(true))}>
                { "Enregistrer un nouvel accord" }
            </button>
        };
    }
    let ondone = {
        let (open, cb) = (open.clone(), p.onchange.clone());
        Callback::from(move |_: ()| {
            open.set(false);
            cb.emit(MSG_SAVED.into());
        })
    };
    let oncancel = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(false))
    };
    html! {
        <ConsentRecordForm referral_id={p.referral.id} initial={ConsentForm::from_latest(&p.referral.consent)} {ondone} {oncancel} place={Place::Referral} />
    }
}

pub const MSG_SAVED: &str = "Nouvel accord du jeune enregistré.";

//! « Corriger l’identité » (right to rectification): the counsellor corrects the young
//! person's first name, last name or birth date, and their legal representative when they
//! have one (`PATCH /referrals/{id}/youth`, sent with the version read). The API records that a correction happened and which fields, never the old
//! values. The form is `logic::identity_form`.
use api_types::Referral;
use yew::prelude::*;

use crate::components::feedback::{submit_button, ErrorSummary};
use crate::components::fields::InputField;
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::format;
use crate::logic::identity_form::{Field, IdentityForm, YouthCorrection};
use crate::platform;
use crate::services::orient as service;

#[derive(Properties, PartialEq)]
pub struct IdentityEditProps {
    pub referral: Referral,
    pub onchange: Callback<String>,
}

#[function_component(IdentityEdit)]
pub fn identity_edit(p: &IdentityEditProps) -> Html {
    let open = use_state(|| false);
    let youth = p.referral.youth.clone();
    let today = platform::today();
    let form = use_form(move || IdentityForm::from_youth(&youth), today);
    let onsubmit = {
        let (id, version) = (p.referral.id, p.referral.version);
        let (open, onchange) = (open.clone(), p.onchange.clone());
        form.submit(
            IdentityForm::to_request,
            move |body: YouthCorrection| service::correct_identity(id, body, version),
            move |_| {
                open.set(false);
                onchange.emit("Identité du jeune corrigée.".into());
            },
        )
    };
    if !*open {
        let (open, form, youth) = (open.clone(), form.clone(), p.referral.youth.clone());
        return html! {
            <button type="button" class="fr-btn fr-btn--tertiary fr-btn--sm fr-mb-3w" onclick={Callback::from(move |_: MouseEvent| {
                // Starts from the identity as read now (the referral may have been reloaded).
                form.load(IdentityForm::from_youth(&youth));
                open.set(true);
            })}>
                { "Corriger l’identité" }
            </button>
        };
    }
    let f = form.values();
    let cancel = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    html! {
        <section class="sas-card" aria-labelledby="titre-correction-identite">
            <h2 class="fr-h5" id="titre-correction-identite">{ "Corriger l’identité" }</h2>
            <p class="fr-text--sm">{ "SAS garde la trace qu’une correction a eu lieu et des informations corrigées, pas les anciennes valeurs." }</p>
            <ErrorSummary id="identite-erreurs" items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form {onsubmit} novalidate=true aria-labelledby="titre-correction-identite">
                <InputField id={Field::FirstName.id()} label="Prénom" autocomplete={Some(AttrValue::Static("off"))} required=true
                    value={f.first_name.clone()} oninput={form.text(Field::FirstName, |m, v| m.first_name = v)} error={form.error(Field::FirstName)} />
                <InputField id={Field::LastName.id()} label="Nom" autocomplete={Some(AttrValue::Static("off"))} required=true
                    value={f.last_name.clone()} oninput={form.text(Field::LastName, |m, v| m.last_name = v)} error={form.error(Field::LastName)} />
                <InputField id={Field::BirthDate.id()} label="Date de naissance" kind="date" required=true
                    value={f.birth_date.clone()} oninput={form.text(Field::BirthDate, |m, v| m.birth_date = v)}
                    error={form.error(Field::BirthDate)} max={Some(AttrValue::from(format::date_iso(today)))} />
                if let Some(r) = &f.rep {
                    <fieldset class="fr-fieldset" aria-labelledby="identite-representant-legende">
                        <legend class="fr-fieldset__legend" id="identite-representant-legende">{ "Représentant légal (un téléphone ou un courriel au moins)" }</legend>
                        <div class="fr-fieldset__element">
                            <InputField id={Field::RepName.id()} label="Nom du représentant légal" required=true
                                value={r.name.clone()} oninput={form.text(Field::RepName, |m, v| if let Some(r) = m.rep.as_mut() { r.name = v })} error={form.error(Field::RepName)} />
                            <InputField id={Field::RepPhone.id()} label="Téléphone (facultatif si courriel)" kind="tel"
                                value={r.phone.clone()} oninput={form.text(Field::RepPhone, |m, v| if let Some(r) = m.rep.as_mut() { r.phone = v })} error={form.error(Field::RepPhone)} />
                            <InputField id={Field::RepEmail.id()} label="Courriel (facultatif si téléphone)" kind="email"
                                value={r.email.clone()} oninput={form.text(Field::RepEmail, |m, v| if let Some(r) = m.rep.as_mut() { r.email = v })} error={form.error(Field::RepEmail)} />
                            <InputField id={Field::RepInformedOn.id()} label="Informé le" kind="date" required=true
                                value={r.informed_on.clone()} oninput={form.text(Field::RepInformedOn, |m, v| if let Some(r) = m.rep.as_mut() { r.informed_on = v })}
                                error={form.error(Field::RepInformedOn)} max={Some(AttrValue::from(format::date_iso(today)))} />
                        </div>
                    </fieldset>
                }
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li>{ submit_button("Enregistrer l’identité", "Enregistrement…", form.busy()) }</li>
                    <li><button type="button" class="fr-btn fr-btn--secondary" onclick={cancel}>{ "Annuler" }</button></li>
                </ul>
            </form>
        </section>
    }
}

//! How to reach the young person (one way at least), and their legal representative.
use api_types::ContactChannel;
use yew::prelude::*;

use crate::components::fields::{Checkbox, Fieldset, InputField};
use crate::hooks::Form;
use crate::logic::form::FormField;
use crate::logic::format;
use crate::logic::labels;
use crate::logic::referral_form::{Field, ReferralForm};
use crate::platform;

/// The channels offered as checkboxes ("through me" is the group's own control).
const CHANNELS: [ContactChannel; 5] = [
    ContactChannel::Phone,
    ContactChannel::Sms,
    ContactChannel::Email,
    ContactChannel::Letter,
    ContactChannel::HomeVisit,
];

pub fn contact(form: &Form<ReferralForm>, number: u8) -> Html {
    let f = form.values();
    let off = Some(AttrValue::Static("off"));
    html! {
        <>
            <h2 class="fr-h4 fr-mt-4w">{ format!("{}. Comment le joindre", number) }</h2>
            <Fieldset id={Field::Contact.id()} legend="Un moyen de le joindre : téléphone, courriel ou par votre intermédiaire"
                hint={Some(AttrValue::Static("Au moins l’un des trois."))} error={form.error(Field::Contact)}>
                <InputField id={Field::Phone.id()} label="Téléphone du jeune" kind="tel" inputmode={Some(AttrValue::Static("tel"))}
                    hint={Some(AttrValue::Static("Exemple : 06 12 34 56 78"))} autocomplete={off.clone()}
                    value={f.phone.clone()} oninput={form.text(Field::Phone, |f, v| f.phone = v)} error={form.error(Field::Phone)} />
                <InputField id={Field::Email.id()} label="Courriel du jeune" kind="email"
                    hint={Some(AttrValue::Static("Exemple : prenom.nom@exemple.fr"))} autocomplete={off}
                    value={f.email.clone()} oninput={form.text(Field::Email, |f, v| f.email = v)} error={form.error(Field::Email)} />
                <Checkbox id="contact-via-prescripteur" label="Par mon intermédiaire : le jeune préfère que l’équipe SAS passe par moi"
                    hint={Some(AttrValue::Static("L’équipe SAS vous contactera pour le joindre."))}
                    checked={f.via_prescriber_only} onchange={form.flag(Field::Contact, ReferralForm::set_via_prescriber)} />
            </Fieldset>
            if !f.via_prescriber_only {
                <Fieldset id={Field::ContactChannels.id()} legend="Moyens de contact acceptés par le jeune (facultatif)" inline=true error={form.error(Field::ContactChannels)}>
                    { for CHANNELS.iter().map(|c| {
                        let c = *c;
                        let form = form.clone();
                        let onchange = Callback::from(move |on: bool| form.edit(Field::ContactChannels, move |f: &mut ReferralForm| f.toggle_channel(c, on)));
                        html! {
                            <Checkbox id={format!("canal-{}", labels::contact_channel_code(c))} label={labels::contact_channel(c)}
                                checked={f.contact_channels.contains(&c)} {onchange} />
                        }
                    }) }
                </Fieldset>
            }
        </>
    }
}

/// Shown for a minor: who holds parental authority, and how to reach them.
pub fn representative(form: &Form<ReferralForm>, number: u8) -> Html {
    let f = form.values();
    let today = platform::today();
    let off = Some(AttrValue::Static("off"));
    html! {
        <section class="sas-section-minor fr-mt-4w" aria-labelledby="titre-representant">
            <h2 class="fr-h4" id="titre-representant">{ format!("{}. Représentant légal", number) }</h2>
            <p class="fr-text--sm">{ "Le jeune est mineur : indiquez la personne qui exerce l’autorité parentale ou la tutelle. Elle doit être informée du signalement." }</p>
            <InputField id={Field::RepName.id()} label="Nom et prénom du représentant légal" autocomplete={off.clone()} required=true
                value={f.rep_name.clone()} oninput={form.text(Field::RepName, |f, v| f.rep_name = v)} error={form.error(Field::RepName)} />
            <Fieldset id={Field::RepContact.id()} legend="Un moyen de joindre le représentant légal : téléphone ou courriel"
                hint={Some(AttrValue::Static("Au moins l’un des deux."))} error={form.error(Field::RepContact)}>
                <InputField id={Field::RepPhone.id()} label="Téléphone du représentant légal" kind="tel"
                    inputmode={Some(AttrValue::Static("tel"))} autocomplete={off.clone()}
                    value={f.rep_phone.clone()} oninput={form.text(Field::RepPhone, |f, v| f.rep_phone = v)} error={form.error(Field::RepPhone)} />
                <InputField id={Field::RepEmail.id()} label="Courriel du représentant légal" kind="email" autocomplete={off}
                    value={f.rep_email.clone()} oninput={form.text(Field::RepEmail, |f, v| f.rep_email = v)} error={form.error(Field::RepEmail)} />
            </Fieldset>
            <InputField id={Field::RepInformedOn.id()} label="Date à laquelle il a été informé" kind="date" required=true
                value={f.rep_informed_on.clone()} oninput={form.text(Field::RepInformedOn, |f, v| f.rep_informed_on = v)}
                error={form.error(Field::RepInformedOn)} max={Some(AttrValue::from(format::date_iso(today)))} />
        </section>
    }
}

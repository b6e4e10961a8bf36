//! The notice read to the young person, and their agreement.
use api_types::rules::{MAX_AGE, MIN_AGE};
use api_types::ConsentMethod;
use yew::prelude::*;

use crate::components::fields::{Checkbox, Fieldset, InputField, Radio};
use crate::hooks::Form;
use crate::logic::form::FormField;
use crate::logic::referral_form::{Field, ReferralForm};

pub fn consent_section(form: &Form<ReferralForm>, number: u8) -> Html {
    let f = form.values();
    let method = |m: ConsentMethod| {
        let form = form.clone();
        Callback::from(move |_: ()| {
            form.edit(Field::Method, move |f: &mut ReferralForm| f.method = m)
        })
    };
    html! {
        <>
            <h2 class="fr-h4 fr-mt-4w">{ format!("{}. Information du jeune", number) }</h2>
            { notice() }
            <Fieldset id={Field::Method.id()} legend="Comment avez-vous informé le jeune ?" inline=true error={form.error(Field::Method)}>
                <Radio id="methode-orale" name="methode" label="À l’oral" checked={f.method == ConsentMethod::Oral} onselect={method(ConsentMethod::Oral)} />
                <Radio id="methode-ecrite" name="methode" label="Par écrit (notice remise)" checked={f.method == ConsentMethod::Written} onselect={method(ConsentMethod::Written)} />
            </Fieldset>
            <InputField id={Field::InformedBy.id()} label="Personne qui a informé le jeune"
                hint={Some(AttrValue::Static("Votre nom et votre structure, ou ceux du collègue qui l’a fait."))}
                value={f.informed_by.clone()} oninput={form.text(Field::InformedBy, |f, v| f.informed_by = v)} required=true error={form.error(Field::InformedBy)} />
            <Checkbox id={Field::NoticeRead.id()} label="J’ai lu cette notice au jeune (et à son représentant légal s’il est mineur)"
                checked={f.notice_read} onchange={form.flag(Field::NoticeRead, |f, v| f.notice_read = v)} required=true error={form.error(Field::NoticeRead)} />
            <Checkbox id={Field::AgreeContact.id()} label="Le jeune accepte d’être contacté par l’équipe SAS"
                checked={f.agree_contact} onchange={form.flag(Field::AgreeContact, |f, v| f.agree_contact = v)} required=true error={form.error(Field::AgreeContact)} />
            <Checkbox id="consent-agree-share" label="Le jeune accepte que sa situation soit présentée à la structure qui l’accompagnera (facultatif)"
                hint={Some(AttrValue::Static("Sans cet accord, l’équipe SAS le lui redemandera avant toute orientation."))}
                checked={f.agree_share} onchange={form.flag(Field::Form, |f, v| f.agree_share = v)} />
        </>
    }
}

fn notice() -> Html {
    html! {
        <div class="fr-callout sas-notice" id="notice-information">
            <h3 class="fr-callout__title fr-h6">{ "Notice à lire au jeune" }</h3>
            <div class="fr-callout__text fr-text--md">
                <p>{ format!("Votre accompagnement se termine bientôt. Pour que vous ne restiez pas sans solution, je vous propose de vous signaler à SAS, un service public qui aide les jeunes de {MIN_AGE} à {MAX_AGE} ans à trouver la suite : emploi, formation, logement, santé, démarches.") }</p>
                <ul>
                    <li>{ "Un conseiller de l’équipe SAS vous appellera ou vous écrira pour faire le point avec vous. Vous pouvez refuser à tout moment, sans conséquence sur vos droits." }</li>
                    <li>{ "SAS enregistre votre nom, votre date de naissance, vos coordonnées, votre commune et vos besoins. Rien sur votre santé ni sur la justice." }</li>
                    <li>{ "Si vous êtes d’accord, le conseiller pourra présenter votre situation à la structure qui vous accompagnera ensuite." }</li>
                    <li>{ "Seules les personnes qui vous accompagnent voient votre dossier. Il est effacé 2 ans après le dernier contact." }</li>
                    <li>{ "Vous pouvez demander à voir, corriger ou effacer vos informations auprès de l’équipe SAS." }</li>
                </ul>
            </div>
        </div>
    }
}

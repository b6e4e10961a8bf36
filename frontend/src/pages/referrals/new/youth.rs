//! Section 1: who the young person is and where they live.
use yew::prelude::*;

use crate::components::commune::CommuneField;
use crate::components::fields::InputField;
use crate::hooks::Form;
use crate::logic::form::FormField;
use crate::logic::format;
use crate::logic::referral_form::{Field, ReferralForm, MAX_AGE, MIN_AGE};
use crate::platform;

pub fn youth(form: &Form<ReferralForm>, number: u8) -> Html {
    let f = form.values();
    let today = platform::today();
    let age = f.age(today).filter(|a| (MIN_AGE..=MAX_AGE).contains(a));
    let age_hint = match age {
        Some(a) => format!("Le jeune a {} aujourd’hui.", format::age_label(a)),
        None => {
            format!("Le jeune doit avoir entre {MIN_AGE} et {MAX_AGE} ans. Exemple : 14/07/2008")
        }
    };
    let on_commune = {
        let form = form.clone();
        Callback::from(move |c| {
            form.edit(Field::Commune, move |f: &mut ReferralForm| f.commune = c)
        })
    };
    let off = Some(AttrValue::Static("off"));
    html! {
        <>
            <h2 class="fr-h4 fr-mt-4w">{ format!("{}. Le jeune", number) }</h2>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={Field::FirstName.id()} label="Prénom" autocomplete={off.clone()} required=true
                        value={f.first_name.clone()} oninput={form.text(Field::FirstName, |f, v| f.first_name = v)} error={form.error(Field::FirstName)} />
                </div>
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={Field::LastName.id()} label="Nom" autocomplete={off} required=true
                        value={f.last_name.clone()} oninput={form.text(Field::LastName, |f, v| f.last_name = v)} error={form.error(Field::LastName)} />
                </div>
            </div>
            <InputField id={Field::BirthDate.id()} label="Date de naissance" kind="date" hint={Some(AttrValue::from(age_hint))}
                value={f.birth_date.clone()} oninput={form.text(Field::BirthDate, |f, v| f.birth_date = v)} required=true
                error={form.error(Field::BirthDate)} max={Some(AttrValue::from(format::date_iso(today)))} />
            <CommuneField id={Field::Commune.id()} label="Commune de résidence" value={f.commune.clone()}
                onselect={on_commune} required=true warn_unserved=true error={form.error(Field::Commune)} />
        </>
    }
}

//! A service of the receiver's structure, created or edited (`/mes-services/nouveau`,
//! `/mes-services/{id}`). Publication is not a field: it is an action of "Mes services".
use api_types::{Service, VocabularyEntry};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::{submit_button, ErrorSummary, Loading};
use crate::components::fields::{Checkbox, InputField, SelectField, TextareaField};
use crate::components::thematiques::ThematiquesPicker;
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::offer::{ServiceField as Field, ServiceForm};
use crate::pages::PageTitle;
use crate::services::{offer as service, reference};

#[derive(Properties, PartialEq)]
pub struct EditProps {
    pub id: Option<String>,
}

const TYPES: [(&str, &str); 6] = [
    ("accompagnement", "Accompagnement"),
    ("aide-financiere", "Aide financière"),
    ("aide-materielle", "Aide matérielle"),
    ("atelier", "Atelier"),
    ("formation", "Formation"),
    ("information", "Information"),
];

#[function_component(ServiceEdit)]
pub fn service_edit(p: &EditProps) -> Html {
    let navigator = use_navigator();
    let loaded = use_state(|| None::<Service>);
    let form = use_form(ServiceForm::default, ());
    let ready = use_state(|| p.id.is_none());
    let missing = use_state(|| None::<String>);
    let vocabulary = use_state(Vec::<VocabularyEntry>::new);
    {
        let (loaded, form, ready, missing, vocabulary, id) = (
            loaded.clone(),
            form.clone(),
            ready.clone(),
            missing.clone(),
            vocabulary.clone(),
            p.id.clone(),
        );
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(v) = reference::vocabulary("thematiques").await {
                    vocabulary.set(v);
                }
                if let Some(id) = id {
                    match service::get(&id).await {
                        Ok(s) => {
                            form.load(ServiceForm::of(&s));
                            loaded.set(Some(s));
                        }
                        Err(e) => missing.set(Some(e.message())),
                    }
                    ready.set(true);
                }
            });
        });
    }
    let ontoggle = {
        let form = form.clone();
        Callback::from(move |(code, on): (String, bool)| {
            form.edit(Field::Thematiques, move |d| {
                d.thematiques.retain(|c| *c != code);
                if on {
                    d.thematiques.push(code);
                }
            })
        })
    };
    let oncommune = {
        let form = form.clone();
        Callback::from(move |c| form.edit(Field::Commune, move |d| d.commune = c))
    };
    let onsubmit = {
        let base = (*loaded).clone();
        let (id, version) = (
            base.as_ref().map(|s| s.id),
            base.as_ref().map(|s| s.version),
        );
        form.submit(
            move |f: &ServiceForm, _| f.checked(base.as_ref()),
            move |body| service::save(id, body, version),
            move |_| {
                if let Some(n) = &navigator {
                    n.push(&Route::MyServices);
                }
            },
        )
    };
    if !*ready {
        return html! { <Loading /> };
    }
    let title = if p.id.is_some() {
        "Modifier le service"
    } else {
        "Nouveau service"
    };
    let general = form
        .general()
        .or_else(|| missing.as_ref().map(|m| AttrValue::from(m.clone())));
    html! {
        <>
            <PageTitle text={title} />
            <ErrorSummary items={form.summary()} {general} focus_key={form.refusals()} />
            <form id={Field::Form.id()} {onsubmit} novalidate=true class="sas-directory-form" aria-labelledby="titre-page">
                { fields(&form, &vocabulary, ontoggle, oncommune) }
                { submit_button("Enregistrer", "Enregistrement…", form.busy()) }
            </form>
        </>
    }
}

fn fields(
    form: &crate::hooks::Form<ServiceForm>,
    vocabulary: &[VocabularyEntry],
    ontoggle: Callback<(String, bool)>,
    oncommune: Callback<Option<crate::logic::referral_form::CommuneChoice>>,
) -> Html {
    let types: Vec<(AttrValue, AttrValue)> = TYPES
        .iter()
        .map(|(v, l)| ((*v).into(), (*l).into()))
        .collect();
    let f = form.values();
    let number = |field: Field,
                  label: &'static str,
                  value: &str,
                  set: fn(&mut ServiceForm, String),
                  min: Option<&'static str>,
                  max: Option<&'static str>| {
        html! {
            <InputField id={field.id()} {label} kind="number" inputmode="numeric" min={min.map(AttrValue::Static)} max={max.map(AttrValue::Static)}
                value={value.to_string()} oninput={form.text(field, set)} error={form.error(field)} />
        }
    };
    html! {
        <>
            <InputField id={Field::Nom.id()} label="Nom du service" value={f.nom.clone()} oninput={form.text(Field::Nom, |d, v| d.nom = v)} required=true error={form.error(Field::Nom)} />
            <TextareaField id={Field::Description.id()} label="Description" value={f.description.clone()} oninput={form.text(Field::Description, |d, v| d.description = v)} required=true error={form.error(Field::Description)} />
            <SelectField id={Field::Type.id()} label="Type de service (facultatif)" options={types} value={f.type_.clone()} placeholder="Choisir…" onchange={form.text(Field::Type, |d, v| d.type_ = v)} error={form.error(Field::Type)} />
            <ThematiquesPicker id={Field::Thematiques.id()} vocabulary={vocabulary.to_vec()} selected={f.thematiques.clone()} {ontoggle} error={form.error(Field::Thematiques)} />
            <CommuneField id={Field::Commune.id()} label="Commune du lieu d’accueil (facultatif)" value={f.commune.clone()} onselect={oncommune} error={form.error(Field::Commune)} />
            <fieldset class={classes!("fr-fieldset", form.error(Field::Modes).is_some().then_some("fr-fieldset--error"))} id={Field::Modes.id()} tabindex="-1">
                <legend class="fr-fieldset__legend">{ "Modes d’accueil" }</legend>
                <Checkbox id="service-presentiel" label="En présentiel" checked={f.en_presentiel} onchange={form.flag(Field::Modes, |d, v| d.en_presentiel = v)} />
                <Checkbox id="service-distance" label="À distance" checked={f.a_distance} onchange={form.flag(Field::Modes, |d, v| d.a_distance = v)} />
                if let Some(e) = form.error(Field::Modes) {
                    <p class="fr-error-text">{ e }</p>
                }
            </fieldset>
            <InputField id={Field::Zone.id()} label="Zone d’éligibilité (facultatif)" hint="Codes séparés par des virgules : commune (69266), département (69), EPCI (200046977), région (R84) ou france. Vide : non précisée."
                value={f.zone.clone()} oninput={form.text(Field::Zone, |d, v| d.zone = v)} error={form.error(Field::Zone)} />
            { number(Field::AgeMin, "Âge minimum (facultatif)", &f.age_min, |d, v| d.age_min = v, Some("0"), Some("120")) }
            { number(Field::AgeMax, "Âge maximum (facultatif)", &f.age_max, |d, v| d.age_max = v, Some("0"), Some("120")) }
            { number(Field::Places, "Places disponibles (facultatif)", &f.places_available, |d, v| d.places_available = v, Some("0"), None) }
            { number(Field::PlacesMax, "Places en tout (facultatif)", &f.places_maximum, |d, v| d.places_maximum = v, Some("0"), None) }
            <InputField id={Field::Telephone.id()} label="Téléphone (facultatif)" kind="tel" value={f.telephone.clone()} oninput={form.text(Field::Telephone, |d, v| d.telephone = v)} error={form.error(Field::Telephone)} />
            <InputField id={Field::Courriel.id()} label="Courriel (facultatif)" kind="email" value={f.courriel.clone()} oninput={form.text(Field::Courriel, |d, v| d.courriel = v)} error={form.error(Field::Courriel)} />
        </>
    }
}

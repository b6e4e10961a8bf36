//! A service of the receiver's structure, created or edited (`/mes-services/nouveau`,
//! `/mes-services/{id}`). Publication is not a field: it is an action of "Mes services".
use api_types::{FieldError, Service, VocabularyEntry};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::{submit_button, Alert, AlertKind, Loading};
use crate::components::fields::{Checkbox, InputField, SelectField, TextareaField};
use crate::components::thematiques::ThematiquesPicker;
use crate::logic::offer::ServiceForm;
use crate::pages::PageTitle;
use crate::services::{offer as service, reference, ApiError};

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
    let form = use_state(ServiceForm::default);
    let ready = use_state(|| p.id.is_none());
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let vocabulary = use_state(Vec::<VocabularyEntry>::new);
    {
        let (loaded, form, ready, error, vocabulary, id) = (
            loaded.clone(),
            form.clone(),
            ready.clone(),
            error.clone(),
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
                            form.set(ServiceForm::of(&s));
                            loaded.set(Some(s));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    ready.set(true);
                }
            });
        });
    }
    let edit = |f: fn(&mut ServiceForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut d = (*form).clone();
            f(&mut d, v);
            form.set(d);
        })
    };
    let flag = |f: fn(&mut ServiceForm, bool)| {
        let form = form.clone();
        Callback::from(move |v: bool| {
            let mut d = (*form).clone();
            f(&mut d, v);
            form.set(d);
        })
    };
    let ontoggle = {
        let form = form.clone();
        Callback::from(move |(code, on): (String, bool)| {
            let mut d = (*form).clone();
            d.thematiques.retain(|c| *c != code);
            if on {
                d.thematiques.push(code);
            }
            form.set(d);
        })
    };
    let oncommune = {
        let form = form.clone();
        Callback::from(move |c| {
            let mut d = (*form).clone();
            d.commune = c;
            form.set(d);
        })
    };
    let onsubmit = {
        let (form, loaded, busy, error) =
            (form.clone(), loaded.clone(), busy.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let body = form.to_request(loaded.as_ref());
            let (id, version) = (
                loaded.as_ref().map(|s| s.id),
                loaded.as_ref().map(|s| s.version),
            );
            let (busy, error, navigator) = (busy.clone(), error.clone(), navigator.clone());
            yew::platform::spawn_local(async move {
                match service::save(id, body, version).await {
                    Ok(_) => {
                        if let Some(n) = navigator {
                            n.push(&Route::MyServices);
                        }
                    }
                    Err(e) => {
                        error.set(Some(e));
                        crate::platform::focus_page_heading("service-erreur");
                    }
                }
                busy.set(false);
            });
        })
    };
    if !*ready {
        return html! { <Loading /> };
    }
    let field_error = |name: &str| -> Option<AttrValue> {
        match &*error {
            Some(ApiError::Validation { fields, .. }) => fields
                .iter()
                .find(|f: &&FieldError| {
                    f.field == name
                        || f.field.starts_with(&format!("{name}["))
                        || f.field.starts_with(&format!("{name}."))
                })
                .map(|f| AttrValue::from(crate::logic::offer::field_message(&f.code))),
            _ => None,
        }
    };
    let title = if p.id.is_some() {
        "Modifier le service"
    } else {
        "Nouveau service"
    };
    let types: Vec<(AttrValue, AttrValue)> = TYPES
        .iter()
        .map(|(v, l)| ((*v).into(), (*l).into()))
        .collect();
    let f = &*form;
    html! {
        <>
            <PageTitle text={title} />
            if let Some(e) = &*error {
                <div id="service-erreur" tabindex="-1">
                    <Alert kind={AlertKind::Error} small=true>{ match e {
                        ApiError::Validation { .. } => "Certains champs sont à corriger : voyez les messages sous les champs.".to_string(),
                        other => other.message(),
                    } }</Alert>
                </div>
            }
            <form {onsubmit} novalidate=true class="sas-directory-form">
                <InputField id="service-nom" label="Nom du service" value={f.nom.clone()} oninput={edit(|d, v| d.nom = v)} required=true error={field_error("nom")} />
                <TextareaField id="service-description" label="Description" value={f.description.clone()} oninput={edit(|d, v| d.description = v)} required=true error={field_error("description")} />
                <SelectField id="service-type" label="Type de service (facultatif)" options={types} value={f.type_.clone()} placeholder="Choisir…" onchange={edit(|d, v| d.type_ = v)} />
                <ThematiquesPicker id="service-thematiques" vocabulary={(*vocabulary).clone()} selected={f.thematiques.clone()} {ontoggle} error={field_error("thematiques")} />
                <CommuneField id="service-commune" label="Commune du lieu d’accueil (facultatif)" value={f.commune.clone()} onselect={oncommune} error={field_error("code_insee")} />
                <fieldset class="fr-fieldset">
                    <legend class="fr-fieldset__legend">{ "Modes d’accueil" }</legend>
                    <Checkbox id="service-presentiel" label="En présentiel" checked={f.en_presentiel} onchange={flag(|d, v| d.en_presentiel = v)} />
                    <Checkbox id="service-distance" label="À distance" checked={f.a_distance} onchange={flag(|d, v| d.a_distance = v)} />
                </fieldset>
                <InputField id="service-zone" label="Zone d’éligibilité (facultatif)" hint="Codes séparés par des virgules : commune (69266), département (69), EPCI (200046977), région (R84) ou france. Vide : non précisée."
                    value={f.zone.clone()} oninput={edit(|d, v| d.zone = v)} error={field_error("zone_eligibilite")} />
                <InputField id="service-age-min" label="Âge minimum (facultatif)" kind="number" inputmode="numeric" min="0" max="120" value={f.age_min.clone()} oninput={edit(|d, v| d.age_min = v)} error={field_error("age_min")} />
                <InputField id="service-age-max" label="Âge maximum (facultatif)" kind="number" inputmode="numeric" min="0" max="120" value={f.age_max.clone()} oninput={edit(|d, v| d.age_max = v)} error={field_error("age_max")} />
                <InputField id="service-places" label="Places disponibles (facultatif)" kind="number" inputmode="numeric" min="0" value={f.places_available.clone()} oninput={edit(|d, v| d.places_available = v)} error={field_error("capacity")} />
                <InputField id="service-places-max" label="Places en tout (facultatif)" kind="number" inputmode="numeric" min="0" value={f.places_maximum.clone()} oninput={edit(|d, v| d.places_maximum = v)} />
                <InputField id="service-telephone" label="Téléphone (facultatif)" kind="tel" value={f.telephone.clone()} oninput={edit(|d, v| d.telephone = v)} error={field_error("telephone")} />
                <InputField id="service-courriel" label="Courriel (facultatif)" kind="email" value={f.courriel.clone()} oninput={edit(|d, v| d.courriel = v)} error={field_error("courriel")} />
                { submit_button("Enregistrer", "Enregistrement…", *busy) }
            </form>
        </>
    }
}

//! Creation and edition of a structure (`If-Match` on edition).
use api_types::Structure;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{breadcrumb, not_loaded, reason_field, Options};
use crate::app::Route;
use crate::components::commune::{choice_of, CommuneField};
use crate::components::feedback::{submit_button, ErrorSummary};
use crate::components::fields::{Checkbox, Fieldset, InputField, SelectField};
use crate::components::link::AppLink;
use crate::hooks::{use_form, Form};
use crate::logic::admin_forms::{StructureField as F, StructureForm};
use crate::logic::form::FormField;
use crate::logic::referral_form::CommuneChoice;
use crate::pages::PageTitle;
use crate::services::{reference, structures, territories};
use crate::session::flash;

#[derive(Properties, PartialEq)]
pub struct EditProps {
    /// `None`: a new structure.
    pub id: Option<String>,
}

/// What the form needs besides the structure: the choices of its selects.
#[derive(Clone, PartialEq, Default)]
struct Choices {
    kinds: Options,
    territories: Options,
}

async fn load_choices() -> Choices {
    let kinds = reference::vocabulary("typologies-de-structures")
        .await
        .unwrap_or_default();
    let terrs = territories::all().await.unwrap_or_default();
    Choices {
        kinds: kinds
            .into_iter()
            .map(|e| {
                (
                    AttrValue::from(e.value.clone()),
                    AttrValue::from(format!("{} – {}", e.value, e.label)),
                )
            })
            .collect(),
        territories: terrs
            .into_iter()
            .map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name)))
            .collect(),
    }
}

#[function_component(StructureEdit)]
pub fn structure_edit(p: &EditProps) -> Html {
    let navigator = use_navigator();
    let form = use_form(StructureForm::default, ());
    let read = use_state(|| None::<Structure>);
    let load_error = use_state(|| None::<String>);
    let choices = use_state(Choices::default);
    let commune = use_state(|| None::<CommuneChoice>);
    {
        let (form, read, load_error, choices, commune) = (
            form.clone(),
            read.clone(),
            load_error.clone(),
            choices.clone(),
            commune.clone(),
        );
        use_effect_with(p.id.clone(), move |id| {
            let id = id.clone();
            yew::platform::spawn_local(async move {
                choices.set(load_choices().await);
                let Some(id) = id else { return };
                match structures::get(&id).await {
                    Ok(s) => {
                        if let Some(insee) = &s.commune_insee {
                            if let Ok(c) = reference::commune(insee).await {
                                commune.set(Some(choice_of(&c)));
                            }
                        }
                        form.load(StructureForm::from_structure(&s));
                        read.set(Some(s));
                    }
                    Err(e) => load_error.set(Some(e.message())),
                }
            });
        });
    }
    let creating = p.id.is_none();
    if load_error.is_some() || (!creating && read.is_none()) {
        let back = (Route::Structures, "Retour aux structures");
        return not_loaded("Structure", load_error.as_deref(), back.0, back.1);
    }
    let title = match &*read {
        None => "Ajouter une structure".to_string(),
        Some(s) => format!("Modifier « {} »", s.name),
    };
    let version = read.as_ref().map(|s| (s.id, s.version));
    let onsubmit = form.submit(
        |f: &StructureForm, _| f.to_input(),
        move |body| async move {
            match version {
                None => structures::create(body).await,
                Some((id, v)) => structures::update(id, body, v).await,
            }
        },
        move |s: Structure| {
            flash(format!("La structure « {} » est enregistrée.", s.name));
            if let Some(n) = &navigator {
                n.push(&Route::Structures);
            }
        },
    );
    let on_commune = {
        let (form, commune) = (form.clone(), commune.clone());
        Callback::from(move |c: Option<CommuneChoice>| {
            let insee = c.as_ref().map(|c| c.insee.clone()).unwrap_or_default();
            commune.set(c);
            form.edit(F::Commune, move |f: &mut StructureForm| {
                f.commune_insee = insee
            });
        })
    };
    let submit = if creating {
        "Créer la structure"
    } else {
        "Enregistrer les modifications"
    };

    html! {
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-9">
            { breadcrumb(Route::Structures, "Structures", &title) }
            <PageTitle text={title.clone()} />
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id={F::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                { identity(&form, &choices.kinds) }
                <CommuneField id={F::Commune.id()} label="Commune (facultatif)" value={(*commune).clone()} onselect={on_commune} error={form.error(F::Commune)} />
                { contact(&form) }
                { capacities(&form, &choices.territories) }
                { reason_field(F::Reason.id(), form.values().reason.clone(), form.text(F::Reason, |f, v| f.reason = v), form.error(F::Reason)) }
                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                    <li>{ submit_button(submit, "Enregistrement…", form.busy()) }</li>
                    <li><AppLink to={Route::Structures} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Annuler" }</AppLink></li>
                </ul>
            </form>
        </div></div>
    }
}

fn identity(form: &Form<StructureForm>, kinds: &Options) -> Html {
    let f = form.values();
    html! {
        <>
            <InputField id={F::Name.id()} label="Nom" value={f.name.clone()} oninput={form.text(F::Name, |f, v| f.name = v)} required=true error={form.error(F::Name)} />
            <SelectField id={F::Kind.id()} label="Type de structure" placeholder={Some(AttrValue::Static("Choisir un type"))}
                options={kinds.clone()} value={f.kind.clone()} onchange={form.text(F::Kind, |f, v| f.kind = v)} required=true error={form.error(F::Kind)} />
            <InputField id={F::Siret.id()} label="SIRET (facultatif)" hint={Some(AttrValue::Static("14 chiffres"))} inputmode={Some(AttrValue::Static("numeric"))}
                value={f.siret.clone()} oninput={form.text(F::Siret, |f, v| f.siret = v)} error={form.error(F::Siret)} />
            <InputField id={F::Address.id()} label="Adresse (facultatif)" autocomplete={Some(AttrValue::Static("street-address"))}
                value={f.address.clone()} oninput={form.text(F::Address, |f, v| f.address = v)} error={form.error(F::Address)} />
            <InputField id={F::PostalCode.id()} label="Code postal (facultatif)" inputmode={Some(AttrValue::Static("numeric"))} autocomplete={Some(AttrValue::Static("postal-code"))}
                value={f.postal_code.clone()} oninput={form.text(F::PostalCode, |f, v| f.postal_code = v)} error={form.error(F::PostalCode)} />
        </>
    }
}

fn contact(form: &Form<StructureForm>) -> Html {
    let f = form.values();
    html! {
        <>
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={F::Phone.id()} label="Téléphone (facultatif)" kind="tel" value={f.phone.clone()} oninput={form.text(F::Phone, |f, v| f.phone = v)} error={form.error(F::Phone)} />
                </div>
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={F::Email.id()} label="Courriel (facultatif)" kind="email" value={f.email.clone()} oninput={form.text(F::Email, |f, v| f.email = v)} error={form.error(F::Email)} />
                </div>
            </div>
            <InputField id={F::Website.id()} label="Site internet (facultatif)" kind="url" hint={Some(AttrValue::Static("Exemple : https://www.mission-locale.fr"))}
                value={f.website.clone()} oninput={form.text(F::Website, |f, v| f.website = v)} error={form.error(F::Website)} />
        </>
    }
}

fn capacities(form: &Form<StructureForm>, territories: &Options) -> Html {
    let f = form.values();
    html! {
        <>
            <Fieldset id={F::Capacities.id()} legend="Capacités" hint={Some(AttrValue::Static("Ce que les comptes de cette structure pourront faire."))} error={form.error(F::Capacities)}>
                <Checkbox id="structure-prescriber" label="Structure prescriptrice (signale des jeunes)" checked={f.prescriber} onchange={form.flag(F::Capacities, |f, v| f.prescriber = v)} />
                <Checkbox id="structure-receiver" label="Structure d’accueil (reçoit des relais)" checked={f.receiver} onchange={form.flag(F::Capacities, |f, v| f.receiver = v)} />
                <Checkbox id="structure-sas-team" label="Équipe SAS d’un territoire" checked={f.sas_team} onchange={form.flag(F::Capacities, |f, v| f.sas_team = v)} />
                <Checkbox id="structure-sensitive" label="Nom sensible (révèle une situation judiciaire ou médicale)"
                    hint={Some(AttrValue::Static("Son nom sera masqué aux structures d’accueil. Coché d’office pour SPIP, PJJ, CSAPA…"))}
                    checked={f.sensitive} onchange={form.flag(F::Capacities, |f, v| f.sensitive = v)} />
            </Fieldset>
            <SelectField id={F::Territory.id()} label={if f.sas_team { "Territoire" } else { "Territoire (facultatif)" }}
                placeholder={Some(AttrValue::Static("Aucun territoire"))} options={territories.clone()}
                value={f.territory_id.clone()} onchange={form.text(F::Territory, |f, v| f.territory_id = v)} required={f.sas_team} error={form.error(F::Territory)} />
        </>
    }
}

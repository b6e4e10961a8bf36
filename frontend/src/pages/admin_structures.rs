//! Administration of structures: list, creation, edition (`If-Match`).
use std::rc::Rc;

use api_types::{Structure, StructurePage, TerritoryPage, Vocabulary};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, Method};
use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::{
    Alert, AlertKind, ErrorSummary, Loading, SummaryItem, SUMMARY_ID,
};
use crate::components::fields::{Checkbox, Fieldset, InputField, SelectField};
use crate::components::link::AppLink;
use crate::logic::admin_forms::{Errors, StructureForm, REASON_HINT, STRUCTURE_FIELDS};
use crate::logic::format;
use crate::logic::query::with_query;
use crate::logic::referral_form::CommuneChoice;
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{flash, use_flash};

fn capacities(s: &Structure) -> Html {
    html! {
        <ul class="fr-badges-group">
            if s.prescriber { <li><span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--blue-ecume">{ "Prescriptrice" }</span></li> }
            if s.receiver { <li><span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--green-menthe">{ "Accueil" }</span></li> }
            if s.sas_team { <li><span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--purple-glycine">{ "Équipe SAS" }</span></li> }
            if s.sensitive { <li><span class="fr-badge fr-badge--sm fr-badge--no-icon">{ "Nom sensible" }</span></li> }
        </ul>
    }
}

#[function_component(Structures)]
pub fn structures() -> Html {
    let flash_msg = use_flash();
    let items = use_state(Vec::<Structure>::new);
    let next = use_state(|| None::<String>);
    let loading = use_state(|| true);
    let error = use_state(|| None::<String>);
    let q = use_state(String::new);
    let applied = use_state(String::new);
    let cursor = use_state(|| None::<String>);

    {
        let (items, next, loading, error) =
            (items.clone(), next.clone(), loading.clone(), error.clone());
        use_effect_with(
            ((*applied).clone(), (*cursor).clone()),
            move |(q, cursor)| {
                let (q, cursor) = (q.clone(), cursor.clone());
                loading.set(true);
                let current = (*items).clone();
                yew::platform::spawn_local(async move {
                    let c = cursor.clone().unwrap_or_default();
                    let path = with_query(
                        "/api/v1/structures",
                        &[("q", &q), ("limit", "50"), ("cursor", &c)],
                    );
                    match api::get::<StructurePage>(&path).await {
                        Ok(p) => {
                            let mut all = if cursor.is_some() {
                                current
                            } else {
                                Vec::new()
                            };
                            all.extend(p.items);
                            items.set(all);
                            next.set(p.next_cursor);
                        }
                        Err(e) => error.set(Some(e.message())),
                    }
                    loading.set(false);
                });
            },
        );
    }
    let onsubmit = {
        let (q, applied, cursor) = (q.clone(), applied.clone(), cursor.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cursor.set(None);
            applied.set(q.trim().to_string());
        })
    };
    let more = {
        let (next, cursor) = (next.clone(), cursor.clone());
        Callback::from(move |_: MouseEvent| cursor.set((*next).clone()))
    };

    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Structures" />
                <AppLink to={Route::NewStructure} classes={classes!("fr-btn")}>{ "Ajouter une structure" }</AppLink>
            </div>
            <p class="fr-text--lead">{ "Les organisations qui signalent, accueillent ou forment l’équipe SAS d’un territoire." }</p>
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            <form class="sas-filters" {onsubmit} role="search" aria-label="Chercher une structure">
                <div class="fr-input-group">
                    <label class="fr-label" for="recherche-structure">{ "Nom de la structure" }</label>
                    <input class="fr-input" type="search" id="recherche-structure" value={(*q).clone()}
                        oninput={ let q = q.clone(); Callback::from(move |e: InputEvent| q.set(e.target_unchecked_into::<HtmlInputElement>().value())) } />
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">{ "Chercher" }</button>
            </form>
            if let Some(e) = &*error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            if *loading && items.is_empty() {
                <Loading />
            } else if items.is_empty() {
                <p>{ "Aucune structure ne correspond." }</p>
            } else {
                <div class="fr-table fr-table--no-scroll sas-table">
                    <div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
                        <table>
                            <caption>{ format!("Structures ({})", format::count_label(items.len(), "affichée", "affichées")) }</caption>
                            <thead><tr>
                                <th scope="col">{ "Nom" }</th>
                                <th scope="col">{ "Type" }</th>
                                <th scope="col">{ "Code postal" }</th>
                                <th scope="col">{ "Capacités" }</th>
                            </tr></thead>
                            <tbody>
                                { for items.iter().map(|s| html! {
                                    <tr>
                                        <td><AppLink to={Route::Structure { id: s.id.to_string() }}>{ s.name.clone() }</AppLink></td>
                                        <td>{ s.kind.clone() }</td>
                                        <td>{ s.postal_code.clone().unwrap_or_default() }</td>
                                        <td>{ capacities(s) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div></div></div>
                </div>
                if next.is_some() {
                    <button class="fr-btn fr-btn--secondary" type="button" onclick={more} disabled={*loading}>{ "Afficher plus de structures" }</button>
                }
            }
        </>
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
struct FormState(StructureForm);

type Edit = Box<dyn FnOnce(&mut StructureForm)>;

impl Reducible for FormState {
    type Action = Edit;
    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut f = self.0.clone();
        edit(&mut f);
        Rc::new(FormState(f))
    }
}

#[derive(Properties, PartialEq)]
pub struct EditProps {
    /// `None`: a new structure.
    pub id: Option<String>,
}

fn field_label(f: &str) -> &'static str {
    match f {
        "name" => "Nom",
        "kind" => "Type de structure",
        "siret" => "SIRET",
        "address" => "Adresse",
        "postal_code" => "Code postal",
        "commune_insee" => "Commune",
        "phone" => "Téléphone",
        "email" => "Courriel",
        "website" => "Site internet",
        "prescriber" => "Capacités",
        "territory_id" => "Territoire",
        "reason" => "Motif",
        _ => "Structure",
    }
}

fn field_id(f: &str) -> String {
    match f {
        "prescriber" => "capacites".into(),
        "commune_insee" => "structure-commune".into(),
        other if STRUCTURE_FIELDS.contains(&other) => {
            format!("structure-{}", other.replace('_', "-"))
        }
        _ => "formulaire-structure".into(),
    }
}

#[function_component(StructureEdit)]
pub fn structure_edit(p: &EditProps) -> Html {
    let navigator = use_navigator();
    let form = use_reducer(FormState::default);
    let loaded = use_state(|| p.id.is_none());
    let version = use_state(|| None::<i32>);
    let errors = use_state(|| Errors::new(STRUCTURE_FIELDS));
    let general = use_state(|| None::<String>);
    let load_error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let kinds = use_state(Vec::<(AttrValue, AttrValue)>::new);
    let territories = use_state(Vec::<(AttrValue, AttrValue)>::new);
    let commune = use_state(|| None::<CommuneChoice>);

    {
        let (form, loaded, version, load_error, kinds, territories, commune) = (
            form.clone(),
            loaded.clone(),
            version.clone(),
            load_error.clone(),
            kinds.clone(),
            territories.clone(),
            commune.clone(),
        );
        use_effect_with(p.id.clone(), move |id| {
            let id = id.clone();
            yew::platform::spawn_local(async move {
                if let Ok(v) =
                    api::get::<Vocabulary>("/api/v1/vocabularies/typologies-de-structures").await
                {
                    kinds.set(
                        v.items
                            .into_iter()
                            .map(|e| {
                                (
                                    AttrValue::from(e.value.clone()),
                                    AttrValue::from(format!("{} – {}", e.value, e.label)),
                                )
                            })
                            .collect(),
                    );
                }
                if let Ok(t) = api::get::<TerritoryPage>("/api/v1/territories?limit=100").await {
                    territories.set(
                        t.items
                            .into_iter()
                            .map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name)))
                            .collect(),
                    );
                }
                if let Some(id) = id {
                    match api::get::<Structure>(&format!("/api/v1/structures/{id}")).await {
                        Ok(s) => {
                            version.set(Some(s.version));
                            if let Some(insee) = &s.commune_insee {
                                if let Ok(c) = api::get::<api_types::Commune>(&format!(
                                    "/api/v1/communes/{insee}"
                                ))
                                .await
                                {
                                    commune.set(Some(crate::components::commune::choice_of(&c)));
                                }
                            }
                            let sf = StructureForm::from_structure(&s);
                            form.dispatch(Box::new(move |f: &mut StructureForm| *f = sf));
                            loaded.set(true);
                        }
                        Err(e) => load_error.set(Some(e.message())),
                    }
                }
            });
        });
    }

    let creating = p.id.is_none();
    let title = if creating {
        "Ajouter une structure".to_string()
    } else if form.0.name.is_empty() {
        "Structure".to_string()
    } else {
        format!("Modifier « {} »", form.0.name)
    };

    if let Some(e) = &*load_error {
        return html! {
            <>
                <PageTitle text="Structure introuvable" />
                <Alert kind={AlertKind::Error}>{ e.clone() }</Alert>
                <AppLink to={Route::Structures} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Retour aux structures" }</AppLink>
            </>
        };
    }
    if !*loaded {
        return html! { <><PageTitle text="Structure" /><Loading /></> };
    }

    let text = |set: fn(&mut StructureForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.dispatch(Box::new(move |f: &mut StructureForm| set(f, v)))
        })
    };
    let flag = |set: fn(&mut StructureForm, bool)| {
        let form = form.clone();
        Callback::from(move |v: bool| {
            form.dispatch(Box::new(move |f: &mut StructureForm| set(f, v)))
        })
    };
    let err = |f: &str| errors.get(f).map(|m| AttrValue::from(m.to_string()));
    let on_commune = {
        let (form, commune) = (form.clone(), commune.clone());
        Callback::from(move |c: Option<CommuneChoice>| {
            let insee = c.as_ref().map(|c| c.insee.clone()).unwrap_or_default();
            commune.set(c);
            form.dispatch(Box::new(move |f: &mut StructureForm| {
                f.commune_insee = insee
            }));
        })
    };

    let onsubmit = {
        let (form, errors, general, busy, navigator, version, id) = (
            form.clone(),
            errors.clone(),
            general.clone(),
            busy.clone(),
            navigator.clone(),
            version.clone(),
            p.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            general.set(None);
            let input = match form.0.to_input() {
                Ok(i) => i,
                Err(errs) => {
                    errors.set(errs);
                    focus_summary();
                    return;
                }
            };
            errors.set(Errors::new(STRUCTURE_FIELDS));
            busy.set(true);
            let (errors, general, busy, navigator, version, id) = (
                errors.clone(),
                general.clone(),
                busy.clone(),
                navigator.clone(),
                version.clone(),
                id.clone(),
            );
            yew::platform::spawn_local(async move {
                let result = match &id {
                    None => {
                        api::send::<_, Structure>(Method::Post, "/api/v1/structures", &input, None)
                            .await
                    }
                    Some(id) => {
                        api::send::<_, Structure>(
                            Method::Put,
                            &format!("/api/v1/structures/{id}"),
                            &input,
                            *version,
                        )
                        .await
                    }
                };
                busy.set(false);
                match result {
                    Ok(s) => {
                        flash(format!("La structure « {} » est enregistrée.", s.name));
                        if let Some(n) = navigator {
                            n.push(&Route::Structures);
                        }
                    }
                    Err(ApiError::Validation { fields, .. }) if !fields.is_empty() => {
                        let mut e = Errors::new(STRUCTURE_FIELDS);
                        e.merge_api(&fields);
                        errors.set(e);
                        focus_summary();
                    }
                    Err(e) => {
                        general.set(Some(e.message()));
                        focus_summary();
                    }
                }
            });
        })
    };

    let summary: Vec<SummaryItem> = errors
        .iter()
        .map(|(f, m)| SummaryItem {
            id: field_id(f),
            label: field_label(f).into(),
            message: m.clone(),
        })
        .collect();
    let f = &form.0;

    html! {
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-9">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><AppLink to={Route::Structures} classes={classes!("fr-breadcrumb__link")}>{ "Structures" }</AppLink></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{ title.clone() }</a></li>
                </ol>
            </nav>
            <PageTitle text={title.clone()} />
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>
            <ErrorSummary items={summary} general={(*general).clone().map(AttrValue::from)} />
            <form id="formulaire-structure" {onsubmit} novalidate=true aria-labelledby="titre-page">
                <InputField id="structure-name" label="Nom" value={f.name.clone()} oninput={text(|f, v| f.name = v)} required=true error={err("name")} />
                <SelectField id="structure-kind" label="Type de structure" placeholder={Some(AttrValue::Static("Choisir un type"))}
                    options={(*kinds).clone()} value={f.kind.clone()} onchange={text(|f, v| f.kind = v)} required=true error={err("kind")} />
                <InputField id="structure-siret" label="SIRET (facultatif)" hint={Some(AttrValue::Static("14 chiffres"))} inputmode={Some(AttrValue::Static("numeric"))}
                    value={f.siret.clone()} oninput={text(|f, v| f.siret = v)} error={err("siret")} />
                <InputField id="structure-address" label="Adresse (facultatif)" autocomplete={Some(AttrValue::Static("street-address"))}
                    value={f.address.clone()} oninput={text(|f, v| f.address = v)} error={err("address")} />
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-4">
                        <InputField id="structure-postal-code" label="Code postal (facultatif)" inputmode={Some(AttrValue::Static("numeric"))} autocomplete={Some(AttrValue::Static("postal-code"))}
                            value={f.postal_code.clone()} oninput={text(|f, v| f.postal_code = v)} error={err("postal_code")} />
                    </div>
                    <div class="fr-col-12 fr-col-md-8">
                        <CommuneField id="structure-commune" label="Commune (facultatif)" value={(*commune).clone()} onselect={on_commune} error={err("commune_insee")} />
                    </div>
                </div>
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id="structure-phone" label="Téléphone (facultatif)" kind="tel" value={f.phone.clone()} oninput={text(|f, v| f.phone = v)} error={err("phone")} />
                    </div>
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id="structure-email" label="Courriel (facultatif)" kind="email" value={f.email.clone()} oninput={text(|f, v| f.email = v)} error={err("email")} />
                    </div>
                </div>
                <InputField id="structure-website" label="Site internet (facultatif)" kind="url" hint={Some(AttrValue::Static("Exemple : https://www.mission-locale.fr"))}
                    value={f.website.clone()} oninput={text(|f, v| f.website = v)} error={err("website")} />
                <Fieldset id="capacites" legend="Capacités" hint={Some(AttrValue::Static("Ce que les comptes de cette structure pourront faire."))} error={err("prescriber")}>
                    <Checkbox id="structure-prescriber" label="Structure prescriptrice (signale des jeunes)" checked={f.prescriber} onchange={flag(|f, v| f.prescriber = v)} />
                    <Checkbox id="structure-receiver" label="Structure d’accueil (reçoit des relais)" checked={f.receiver} onchange={flag(|f, v| f.receiver = v)} />
                    <Checkbox id="structure-sas-team" label="Équipe SAS d’un territoire" checked={f.sas_team} onchange={flag(|f, v| f.sas_team = v)} />
                    <Checkbox id="structure-sensitive" label="Nom sensible (révèle une situation judiciaire ou médicale)"
                        hint={Some(AttrValue::Static("Son nom sera masqué aux structures d’accueil. Coché d’office pour SPIP, PJJ, CSAPA…"))}
                        checked={f.sensitive} onchange={flag(|f, v| f.sensitive = v)} />
                </Fieldset>
                <SelectField id="structure-territory-id" label={if f.sas_team { "Territoire" } else { "Territoire (facultatif)" }}
                    placeholder={Some(AttrValue::Static("Aucun territoire"))} options={(*territories).clone()}
                    value={f.territory_id.clone()} onchange={text(|f, v| f.territory_id = v)} required={f.sas_team} error={err("territory_id")} />
                <InputField id="structure-reason" label="Motif" hint={Some(AttrValue::Static(REASON_HINT))}
                    value={f.reason.clone()} oninput={text(|f, v| f.reason = v)} required=true error={err("reason")} />
                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                    <li><button class="fr-btn" type="submit" disabled={*busy}>{ if *busy { "Enregistrement…" } else if creating { "Créer la structure" } else { "Enregistrer les modifications" } }</button></li>
                    <li><AppLink to={Route::Structures} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Annuler" }</AppLink></li>
                </ul>
            </form>
        </div></div>
    }
}

fn focus_summary() {
    yew::platform::spawn_local(async {
        yew::platform::time::sleep(std::time::Duration::from_millis(30)).await;
        platform::focus(SUMMARY_ID);
    });
}

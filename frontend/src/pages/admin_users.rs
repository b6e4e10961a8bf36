//! Administration of accounts: list, creation, edition (`If-Match`), deactivation.
use std::rc::Rc;

use api_types::{Role, StructurePage, TerritoryPage, User, UserPage};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, Method};
use crate::app::Route;
use crate::components::feedback::{
    Alert, AlertKind, ErrorSummary, Loading, SummaryItem, SUMMARY_ID,
};
use crate::components::fields::{Checkbox, Fieldset, InputField, SelectField};
use crate::components::link::AppLink;
use crate::logic::admin_forms::{Errors, UserForm, REASON_HINT, REASON_MISSING, USER_FIELDS};
use crate::logic::query::with_query;
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{flash, use_flash};

type Options = Vec<(AttrValue, AttrValue)>;

/// Structures and territories offered in the account form.
async fn load_choices() -> (Options, Options) {
    let structures = api::get::<StructurePage>("/api/v1/structures?limit=100")
        .await
        .map(|p| {
            p.items
                .into_iter()
                .map(|s| (AttrValue::from(s.id.to_string()), AttrValue::from(s.name)))
                .collect()
        })
        .unwrap_or_default();
    let territories = api::get::<TerritoryPage>("/api/v1/territories?limit=100")
        .await
        .map(|p| {
            p.items
                .into_iter()
                .map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name)))
                .collect()
        })
        .unwrap_or_default();
    (structures, territories)
}

#[function_component(Users)]
pub fn users() -> Html {
    let flash_msg = use_flash();
    let items = use_state(Vec::<User>::new);
    let next = use_state(|| None::<String>);
    let loading = use_state(|| true);
    let error = use_state(|| None::<String>);
    let q = use_state(String::new);
    let active = use_state(String::new);
    let applied = use_state(|| (String::new(), String::new()));
    let cursor = use_state(|| None::<String>);
    let structures = use_state(Options::new);

    {
        let structures = structures.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                structures.set(load_choices().await.0);
            });
        });
    }
    {
        let (items, next, loading, error) =
            (items.clone(), next.clone(), loading.clone(), error.clone());
        use_effect_with(
            ((*applied).clone(), (*cursor).clone()),
            move |((q, active), cursor)| {
                let (q, active, cursor) = (q.clone(), active.clone(), cursor.clone());
                loading.set(true);
                let current = (*items).clone();
                yew::platform::spawn_local(async move {
                    let c = cursor.clone().unwrap_or_default();
                    let path = with_query(
                        "/api/v1/users",
                        &[
                            ("q", &q),
                            ("active", &active),
                            ("limit", "50"),
                            ("cursor", &c),
                        ],
                    );
                    match api::get::<UserPage>(&path).await {
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
        let (q, active, applied, cursor) =
            (q.clone(), active.clone(), applied.clone(), cursor.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cursor.set(None);
            applied.set((q.trim().to_string(), (*active).clone()));
        })
    };
    let more = {
        let (next, cursor) = (next.clone(), cursor.clone());
        Callback::from(move |_: MouseEvent| cursor.set((*next).clone()))
    };
    let structure_name = |id: Option<uuid::Uuid>| -> String {
        id.and_then(|id| {
            structures
                .iter()
                .find(|(v, _)| v.as_str() == id.to_string())
                .map(|(_, l)| l.to_string())
        })
        .unwrap_or_else(|| "—".into())
    };

    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Comptes" />
                <AppLink to={Route::NewUser} classes={classes!("fr-btn")}>{ "Créer un compte" }</AppLink>
            </div>
            <p class="fr-text--lead">{ "Les personnes qui utilisent SAS, leurs rôles et leur structure. Un compte n’est jamais supprimé : il est désactivé." }</p>
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            <form class="sas-filters" {onsubmit} role="search" aria-label="Chercher un compte">
                <div class="fr-input-group">
                    <label class="fr-label" for="recherche-compte">{ "Nom ou adresse électronique" }</label>
                    <input class="fr-input" type="search" id="recherche-compte" value={(*q).clone()}
                        oninput={ let q = q.clone(); Callback::from(move |e: InputEvent| q.set(e.target_unchecked_into::<HtmlInputElement>().value())) } />
                </div>
                <div class="fr-select-group">
                    <label class="fr-label" for="filtre-actif">{ "État" }</label>
                    <select class="fr-select" id="filtre-actif"
                        onchange={ let a = active.clone(); Callback::from(move |e: Event| a.set(e.target_unchecked_into::<HtmlSelectElement>().value())) }>
                        <option value="" selected={active.is_empty()}>{ "Tous" }</option>
                        <option value="true" selected={*active == "true"}>{ "Actifs" }</option>
                        <option value="false" selected={*active == "false"}>{ "Désactivés" }</option>
                    </select>
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">{ "Chercher" }</button>
            </form>
            if let Some(e) = &*error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            if *loading && items.is_empty() {
                <Loading />
            } else if items.is_empty() {
                <p>{ "Aucun compte ne correspond." }</p>
            } else {
                <div class="fr-table fr-table--no-scroll sas-table">
                    <div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
                        <table>
                            <caption>{ format!("Comptes ({})", format::count_label(items.len(), "affiché", "affichés")) }</caption>
                            <thead><tr>
                                <th scope="col">{ "Nom" }</th>
                                <th scope="col">{ "Adresse électronique" }</th>
                                <th scope="col">{ "Rôles" }</th>
                                <th scope="col">{ "Structure" }</th>
                                <th scope="col">{ "État" }</th>
                            </tr></thead>
                            <tbody>
                                { for items.iter().map(|u| html! {
                                    <tr>
                                        <td><AppLink to={Route::User { id: u.id.to_string() }}>{ format!("{} {}", u.first_name, u.last_name) }</AppLink></td>
                                        <td>{ u.email.clone() }</td>
                                        <td>{ u.roles.iter().map(|r| labels::role(*r)).collect::<Vec<_>>().join(", ") }</td>
                                        <td>{ structure_name(u.structure_id) }</td>
                                        <td>
                                            if u.active {
                                                <span class="fr-badge fr-badge--sm fr-badge--success">{ "Actif" }</span>
                                            } else {
                                                <span class="fr-badge fr-badge--sm">{ "Désactivé" }</span>
                                            }
                                        </td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div></div></div>
                </div>
                if next.is_some() {
                    <button class="fr-btn fr-btn--secondary" type="button" onclick={more} disabled={*loading}>{ "Afficher plus de comptes" }</button>
                }
            }
        </>
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
struct FormState(UserForm);

type Edit = Box<dyn FnOnce(&mut UserForm)>;

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
    pub id: Option<String>,
}

fn field_label(f: &str) -> &'static str {
    match f {
        "email" => "Adresse électronique",
        "first_name" => "Prénom",
        "last_name" => "Nom",
        "password" => "Mot de passe",
        "roles" => "Rôles",
        "structure_id" => "Structure",
        "territory_id" => "Territoire",
        "reason" => "Motif",
        _ => "Compte",
    }
}

fn field_id(f: &str) -> String {
    if USER_FIELDS.contains(&f) {
        format!("compte-{}", f.replace('_', "-"))
    } else {
        "formulaire-compte".into()
    }
}

#[function_component(UserEdit)]
pub fn user_edit(p: &EditProps) -> Html {
    let navigator = use_navigator();
    let form = use_reducer(FormState::default);
    let user = use_state(|| None::<User>);
    let loaded = use_state(|| p.id.is_none());
    let errors = use_state(|| Errors::new(USER_FIELDS));
    let general = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let load_error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let choices = use_state(|| (Options::new(), Options::new()));
    let confirm = use_state(|| false);
    let reload = use_state(|| 0u32);
    let access_reason = use_state(String::new);
    let access_error = use_state(|| None::<String>);

    {
        let (form, user, loaded, load_error, choices) = (
            form.clone(),
            user.clone(),
            loaded.clone(),
            load_error.clone(),
            choices.clone(),
        );
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            yew::platform::spawn_local(async move {
                choices.set(load_choices().await);
                if let Some(id) = id {
                    match api::get::<User>(&format!("/api/v1/users/{id}")).await {
                        Ok(u) => {
                            let uf = UserForm::from_user(&u);
                            form.dispatch(Box::new(move |f: &mut UserForm| *f = uf));
                            user.set(Some(u));
                            loaded.set(true);
                        }
                        Err(e) => load_error.set(Some(e.message())),
                    }
                }
            });
        });
    }

    let creating = p.id.is_none();
    if let Some(e) = &*load_error {
        return html! {
            <>
                <PageTitle text="Compte introuvable" />
                <Alert kind={AlertKind::Error}>{ e.clone() }</Alert>
                <AppLink to={Route::Users} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Retour aux comptes" }</AppLink>
            </>
        };
    }
    if !*loaded {
        return html! { <><PageTitle text="Compte" /><Loading /></> };
    }
    let title = match &*user {
        Some(u) => format!("Compte de {} {}", u.first_name, u.last_name),
        None => "Créer un compte".to_string(),
    };

    let text = |set: fn(&mut UserForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| form.dispatch(Box::new(move |f: &mut UserForm| set(f, v))))
    };
    let err = |f: &str| errors.get(f).map(|m| AttrValue::from(m.to_string()));

    let onsubmit = {
        let (form, errors, general, busy, navigator, user, id) = (
            form.clone(),
            errors.clone(),
            general.clone(),
            busy.clone(),
            navigator.clone(),
            user.clone(),
            p.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            general.set(None);
            let checked = match &id {
                None => form
                    .0
                    .to_create()
                    .map(|b| serde_json::to_value(b).unwrap_or_default()),
                Some(_) => form
                    .0
                    .to_update()
                    .map(|b| serde_json::to_value(b).unwrap_or_default()),
            };
            let body = match checked {
                Ok(b) => b,
                Err(errs) => {
                    errors.set(errs);
                    focus_summary();
                    return;
                }
            };
            errors.set(Errors::new(USER_FIELDS));
            busy.set(true);
            let version = user.as_ref().map(|u| u.version);
            let (errors, general, busy, navigator, id) = (
                errors.clone(),
                general.clone(),
                busy.clone(),
                navigator.clone(),
                id.clone(),
            );
            yew::platform::spawn_local(async move {
                let result = match &id {
                    None => api::send::<_, User>(Method::Post, "/api/v1/users", &body, None).await,
                    Some(id) => {
                        api::send::<_, User>(
                            Method::Patch,
                            &format!("/api/v1/users/{id}"),
                            &body,
                            version,
                        )
                        .await
                    }
                };
                busy.set(false);
                match result {
                    Ok(u) => {
                        flash(format!(
                            "Le compte de {} {} est enregistré.",
                            u.first_name, u.last_name
                        ));
                        if let Some(n) = navigator {
                            n.push(&Route::Users);
                        }
                    }
                    Err(ApiError::Validation { fields, .. }) if !fields.is_empty() => {
                        let mut e = Errors::new(USER_FIELDS);
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

    let toggle_active = {
        let (user, notice, general, confirm, reload, access_reason, access_error) = (
            user.clone(),
            notice.clone(),
            general.clone(),
            confirm.clone(),
            reload.clone(),
            access_reason.clone(),
            access_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(u) = (*user).clone() else { return };
            if access_reason.trim().is_empty() {
                access_error.set(Some(REASON_MISSING.into()));
                platform::focus("compte-acces-motif");
                return;
            }
            access_error.set(None);
            if u.active && !*confirm {
                confirm.set(true);
                return;
            }
            confirm.set(false);
            let (notice, general, reload, access_reason) = (
                notice.clone(),
                general.clone(),
                reload.clone(),
                access_reason.clone(),
            );
            yew::platform::spawn_local(async move {
                let action = if u.active { "deactivate" } else { "reactivate" };
                let path = format!("/api/v1/users/{}/{action}", u.id);
                match api::post_action(&path, &access_reason).await {
                    Ok(_) => {
                        access_reason.set(String::new());
                        notice.set(Some(if u.active {
                            format!(
                                "Le compte de {} {} est désactivé : il ne peut plus se connecter.",
                                u.first_name, u.last_name
                            )
                        } else {
                            format!(
                                "Le compte de {} {} est réactivé.",
                                u.first_name, u.last_name
                            )
                        }));
                        reload.set(*reload + 1);
                    }
                    Err(e) => general.set(Some(e.message())),
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
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-8">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><AppLink to={Route::Users} classes={classes!("fr-breadcrumb__link")}>{ "Comptes" }</AppLink></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{ title.clone() }</a></li>
                </ol>
            </nav>
            <PageTitle text={title.clone()} />
            if let Some(n) = &*notice {
                <Alert kind={AlertKind::Success} small=true>{ n.clone() }</Alert>
            }
            if let Some(u) = &*user {
                <p>
                    if u.active {
                        <span class="fr-badge fr-badge--sm fr-badge--success">{ "Actif" }</span>
                    } else {
                        <span class="fr-badge fr-badge--sm">{ "Désactivé" }</span>
                    }
                    { format!(" Dernière connexion : {}", u.last_login_at.map(|t| format::datetime_long(t, platform::offset_minutes(t))).unwrap_or_else(|| "jamais".into())) }
                </p>
            }
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>
            <ErrorSummary items={summary} general={(*general).clone().map(AttrValue::from)} />
            <form id="formulaire-compte" {onsubmit} novalidate=true aria-labelledby="titre-page">
                <InputField id="compte-email" label="Adresse électronique" kind="email" autocomplete={Some(AttrValue::Static("off"))}
                    hint={if creating { None } else { Some(AttrValue::Static("L’adresse ne peut pas être modifiée.")) }}
                    value={f.email.clone()} oninput={text(|f, v| f.email = v)} required={creating} disabled={!creating} error={err("email")} />
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id="compte-first-name" label="Prénom" value={f.first_name.clone()} oninput={text(|f, v| f.first_name = v)} required=true error={err("first_name")} />
                    </div>
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id="compte-last-name" label="Nom" value={f.last_name.clone()} oninput={text(|f, v| f.last_name = v)} required=true error={err("last_name")} />
                    </div>
                </div>
                <InputField id="compte-password" kind="password" autocomplete={Some(AttrValue::Static("new-password"))}
                    label={if creating { "Mot de passe initial" } else { "Nouveau mot de passe (facultatif)" }}
                    hint={Some(AttrValue::Static("12 caractères au moins, provisoire : la personne devra le remplacer à sa connexion. Transmettez-le par un autre canal que le courriel."))}
                    value={f.password.clone()} oninput={text(|f, v| f.password = v)} required={creating} error={err("password")} />
                <Fieldset id="compte-roles" legend="Rôles" hint={Some(AttrValue::Static("Les rôles permis dépendent de la structure : prescripteur pour une structure prescriptrice, aiguilleur pour une équipe SAS, accueil pour une structure d’accueil."))} error={err("roles")}>
                    { for Role::ALL.iter().map(|r| {
                        let r = *r;
                        let form = form.clone();
                        let onchange = Callback::from(move |on: bool| form.dispatch(Box::new(move |f: &mut UserForm| f.toggle_role(r, on))));
                        html! { <Checkbox id={format!("role-{}", r.as_str())} label={labels::role(r)} checked={f.roles.contains(&r)} {onchange} /> }
                    }) }
                </Fieldset>
                if creating {
                    <SelectField id="compte-structure-id" label="Structure" hint={Some(AttrValue::Static("Facultatif pour un administrateur ou un pilote."))}
                        placeholder={Some(AttrValue::Static("Aucune structure"))} options={choices.0.clone()}
                        value={f.structure_id.clone()} onchange={text(|f, v| f.structure_id = v)} error={err("structure_id")} />
                } else {
                    <p class="fr-text--sm">{ format!("Structure : {}", choices.0.iter().find(|(v, _)| *v == f.structure_id).map(|(_, l)| l.to_string()).unwrap_or_else(|| "aucune".into())) }</p>
                }
                if f.roles.contains(&Role::Pilot) {
                    <SelectField id="compte-territory-id" label="Territoire du pilote" placeholder={Some(AttrValue::Static("Choisir un territoire"))}
                        options={choices.1.clone()} value={f.territory_id.clone()} onchange={text(|f, v| f.territory_id = v)} required=true error={err("territory_id")} />
                }
                <InputField id="compte-reason" label="Motif" hint={Some(AttrValue::Static(REASON_HINT))}
                    value={f.reason.clone()} oninput={text(|f, v| f.reason = v)} required=true error={err("reason")} />
                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                    <li><button class="fr-btn" type="submit" disabled={*busy}>{ if *busy { "Enregistrement…" } else if creating { "Créer le compte" } else { "Enregistrer les modifications" } }</button></li>
                    <li><AppLink to={Route::Users} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Annuler" }</AppLink></li>
                </ul>
            </form>
            if let Some(u) = &*user {
                <section class="sas-card fr-mt-4w" aria-labelledby="titre-acces">
                    <h2 class="fr-h5" id="titre-acces">{ if u.active { "Désactiver le compte" } else { "Réactiver le compte" } }</h2>
                    <p class="fr-text--sm">{ if u.active {
                        "La personne ne pourra plus se connecter ; son historique reste consultable. Vous pourrez réactiver le compte."
                    } else {
                        "La personne pourra de nouveau se connecter avec son mot de passe."
                    } }</p>
                    <InputField id="compte-acces-motif" label={if u.active { "Motif de la désactivation" } else { "Motif de la réactivation" }}
                        hint={Some(AttrValue::Static(REASON_HINT))} value={(*access_reason).clone()}
                        oninput={{ let r = access_reason.clone(); Callback::from(move |v: String| r.set(v)) }}
                        required=true error={(*access_error).clone().map(AttrValue::from)} />
                    if *confirm {
                        <p class="fr-text--sm" role="alert"><strong>{ "Confirmez-vous la désactivation ?" }</strong></p>
                    }
                    <button type="button" class={classes!("fr-btn", if u.active { "fr-btn--secondary" } else { "fr-btn--tertiary" })} onclick={toggle_active}>
                        { match (u.active, *confirm) {
                            (true, false) => "Désactiver le compte",
                            (true, true) => "Oui, désactiver le compte",
                            (false, _) => "Réactiver le compte",
                        } }
                    </button>
                </section>
            }
        </div></div>
    }
}

fn focus_summary() {
    yew::platform::spawn_local(async {
        yew::platform::time::sleep(std::time::Duration::from_millis(30)).await;
        platform::focus(SUMMARY_ID);
    });
}

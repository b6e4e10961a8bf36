//! Creation and edition of an account (`If-Match` on edition), deactivation.
use api_types::{Role, User, UserCreate, UserUpdate};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::users::active_badge;
use super::{breadcrumb, not_loaded, reason_field, Options};
use crate::app::Route;
use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::fields::{Checkbox, Fieldset, InputField, SelectField};
use crate::components::link::AppLink;
use crate::hooks::{use_form, Form};
use crate::logic::admin_forms::{self, Creating, UserField as F, UserForm};
use crate::logic::form::FormField;
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::{structures, territories, users};
use crate::session::flash;

#[derive(Properties, PartialEq)]
pub struct EditProps {
    /// `None`: a new account.
    pub id: Option<String>,
}

/// What the form sends: a creation, or the change of the account read (id, version).
enum Body {
    Create(UserCreate),
    Update(Uuid, UserUpdate, i32),
}

#[derive(Clone, PartialEq, Default)]
struct Choices {
    structures: Options,
    territories: Options,
}

async fn load_choices() -> Choices {
    let s = structures::first_hundred().await.unwrap_or_default();
    let t = territories::all().await.unwrap_or_default();
    Choices {
        structures: s
            .into_iter()
            .map(|s| (AttrValue::from(s.id.to_string()), AttrValue::from(s.name)))
            .collect(),
        territories: t
            .into_iter()
            .map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name)))
            .collect(),
    }
}

#[function_component(UserEdit)]
pub fn user_edit(p: &EditProps) -> Html {
    let navigator = use_navigator();
    let creating = p.id.is_none();
    let form = use_form(UserForm::default, Creating(creating));
    let user = use_state(|| None::<User>);
    let load_error = use_state(|| None::<String>);
    let choices = use_state(Choices::default);
    let reload = use_state(|| 0u32);
    {
        let (form, user, load_error, choices) = (
            form.clone(),
            user.clone(),
            load_error.clone(),
            choices.clone(),
        );
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            yew::platform::spawn_local(async move {
                choices.set(load_choices().await);
                let Some(id) = id else { return };
                match users::get(&id).await {
                    Ok(u) => {
                        form.load(UserForm::from_user(&u));
                        user.set(Some(u));
                    }
                    Err(e) => load_error.set(Some(e.message())),
                }
            });
        });
    }
    if load_error.is_some() || (!creating && user.is_none()) {
        let back = (Route::Users, "Retour aux comptes");
        return not_loaded("Compte", load_error.as_deref(), back.0, back.1);
    }
    let title = match &*user {
        Some(u) => format!("Compte de {} {}", u.first_name, u.last_name),
        None => "Créer un compte".to_string(),
    };
    let version = user.as_ref().map(|u| (u.id, u.version));
    let onsubmit = form.submit(
        move |f: &UserForm, _| match version {
            None => f.to_create().map(Body::Create),
            Some((id, v)) => f.to_update().map(|b| Body::Update(id, b, v)),
        },
        |body| async move {
            match body {
                Body::Create(b) => users::create(b).await,
                Body::Update(id, b, v) => users::update(id, b, v).await,
            }
        },
        move |u: User| {
            flash(format!(
                "Le compte de {} {} est enregistré.",
                u.first_name, u.last_name
            ));
            if let Some(n) = &navigator {
                n.push(&Route::Users);
            }
        },
    );
    let submit = if creating {
        "Créer le compte"
    } else {
        "Enregistrer les modifications"
    };

    html! {
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-8">
            { breadcrumb(Route::Users, "Comptes", &title) }
            <PageTitle text={title.clone()} />
            if let Some(u) = &*user {
                <p>
                    { active_badge(u.active) }
                    { format!(" Dernière connexion : {}", u.last_login_at.map(|t| format::datetime_long(t, platform::offset_minutes(t))).unwrap_or_else(|| "jamais".into())) }
                </p>
            }
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id={F::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                { person(&form, creating) }
                { attachment(&form, creating, &choices) }
                { reason_field(F::Reason.id(), form.values().reason.clone(), form.text(F::Reason, |f, v| f.reason = v), form.error(F::Reason)) }
                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                    <li>{ submit_button(submit, "Enregistrement…", form.busy()) }</li>
                    <li><AppLink to={Route::Users} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Annuler" }</AppLink></li>
                </ul>
            </form>
            if let Some(u) = &*user {
                <Access user={u.clone()} onchange={ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) } />
            }
        </div></div>
    }
}

/// Email, names, password.
fn person(form: &Form<UserForm>, creating: bool) -> Html {
    let f = form.values();
    html! {
        <>
            <InputField id={F::Email.id()} label="Adresse électronique" kind="email" autocomplete={Some(AttrValue::Static("off"))}
                hint={if creating { None } else { Some(AttrValue::Static("L’adresse ne peut pas être modifiée.")) }}
                value={f.email.clone()} oninput={form.text(F::Email, |f, v| f.email = v)} required={creating} disabled={!creating} error={form.error(F::Email)} />
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={F::FirstName.id()} label="Prénom" value={f.first_name.clone()} oninput={form.text(F::FirstName, |f, v| f.first_name = v)} required=true error={form.error(F::FirstName)} />
                </div>
                <div class="fr-col-12 fr-col-md-6">
                    <InputField id={F::LastName.id()} label="Nom" value={f.last_name.clone()} oninput={form.text(F::LastName, |f, v| f.last_name = v)} required=true error={form.error(F::LastName)} />
                </div>
            </div>
            if creating {
                <Checkbox id="compte-mot-de-passe-provisoire" label="Donner un mot de passe provisoire plutôt qu’une invitation"
                    hint={Some(AttrValue::Static("Par défaut, la personne reçoit par courriel un lien (valable une heure) pour choisir elle-même son mot de passe."))}
                    checked={f.temporary_password} onchange={form.flag(F::Password, |f, v| f.temporary_password = v)} />
            }
            if !creating || f.temporary_password {
                <InputField id={F::Password.id()} kind="password" autocomplete={Some(AttrValue::Static("new-password"))}
                    label={if creating { "Mot de passe provisoire" } else { "Nouveau mot de passe (facultatif)" }}
                    hint={Some(AttrValue::from(format!("{} caractères au moins, provisoire : la personne devra le remplacer à sa connexion. Transmettez-le par un autre canal que le courriel.", api_types::rules::PASSWORD_MIN_CHARS)))}
                    value={f.password.clone()} oninput={form.text(F::Password, |f, v| f.password = v)} required={creating} error={form.error(F::Password)} />
            }
        </>
    }
}

/// Structure first (the roles it allows depend on it), then roles, then a pilot's territory.
fn attachment(form: &Form<UserForm>, creating: bool, choices: &Choices) -> Html {
    let f = form.values();
    let structure_label = if f.needs_structure() {
        "Structure"
    } else {
        "Structure (facultatif)"
    };
    let structure_name = choices
        .structures
        .iter()
        .find(|(v, _)| *v == f.structure_id)
        .map(|(_, l)| l.to_string());
    html! {
        <>
            if creating {
                <SelectField id={F::Structure.id()} label={structure_label}
                    hint={Some(AttrValue::Static("Obligatoire pour un prescripteur, un aiguilleur ou une structure d’accueil ; facultatif pour un administrateur ou un pilote."))}
                    placeholder={Some(AttrValue::Static("Aucune structure"))} options={choices.structures.clone()}
                    value={f.structure_id.clone()} onchange={form.text(F::Structure, |f, v| f.structure_id = v)} error={form.error(F::Structure)} />
            } else {
                <p class="fr-text--sm">{ format!("Structure : {}", structure_name.unwrap_or_else(|| "aucune".into())) }</p>
            }
            <Fieldset id={F::Roles.id()} legend="Rôles" hint={Some(AttrValue::Static("Les rôles permis dépendent de la structure : prescripteur pour une structure prescriptrice, aiguilleur pour une équipe SAS, accueil pour une structure d’accueil."))} error={form.error(F::Roles)}>
                { for Role::ALL.iter().map(|r| {
                    let r = *r;
                    let form = form.clone();
                    let onchange = Callback::from(move |on: bool| form.edit(F::Roles, move |f: &mut UserForm| f.toggle_role(r, on)));
                    html! { <Checkbox id={format!("role-{}", r.as_str())} label={labels::role(r)} checked={f.roles.contains(&r)} {onchange} /> }
                }) }
            </Fieldset>
            if f.roles.contains(&Role::Pilot) {
                <SelectField id={F::Territory.id()} label="Territoire du pilote" placeholder={Some(AttrValue::Static("Choisir un territoire"))}
                    options={choices.territories.clone()} value={f.territory_id.clone()} onchange={form.text(F::Territory, |f, v| f.territory_id = v)} required=true error={form.error(F::Territory)} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AccessProps {
    user: User,
    /// After a change of state (the page reloads the account).
    onchange: Callback<()>,
}

/// The motif of a deactivation or a reactivation.
const ACCESS_REASON: &str = "compte-acces-motif";

/// Deactivation (confirmed) and reactivation, each with its motif.
#[function_component(Access)]
fn access(p: &AccessProps) -> Html {
    let confirm = use_state(|| false);
    let notice = use_state(|| None::<(AlertKind, String)>);
    let reason = use_state(String::new);
    let reason_error = use_state(|| None::<AttrValue>);
    let u = &p.user;
    let onclick = {
        let (confirm, notice, onchange, u) = (
            confirm.clone(),
            notice.clone(),
            p.onchange.clone(),
            u.clone(),
        );
        let (reason, reason_error) = (reason.clone(), reason_error.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(m) = admin_forms::reason_error(&reason) {
                reason_error.set(Some(AttrValue::Static(m)));
                return platform::focus(ACCESS_REASON);
            }
            reason_error.set(None);
            if u.active && !*confirm {
                return confirm.set(true);
            }
            confirm.set(false);
            let (notice, onchange, u, reason) =
                (notice.clone(), onchange.clone(), u.clone(), reason.clone());
            yew::platform::spawn_local(async move {
                let name = format!("{} {}", u.first_name, u.last_name);
                match users::set_active(u.id, !u.active, &reason).await {
                    Ok(()) => {
                        reason.set(String::new());
                        notice.set(Some((AlertKind::Success, if u.active {
                            format!("Le compte de {name} est désactivé : il ne peut plus se connecter.")
                        } else {
                            format!("Le compte de {name} est réactivé.")
                        })));
                        onchange.emit(());
                    }
                    Err(e) => notice.set(Some((AlertKind::Error, e.message()))),
                }
            });
        })
    };
    let oninput = {
        let reason = reason.clone();
        Callback::from(move |v: String| reason.set(v))
    };
    html! {
        <section class="sas-card fr-mt-4w" aria-labelledby="titre-acces">
            <h2 class="fr-h5" id="titre-acces">{ if u.active { "Désactiver le compte" } else { "Réactiver le compte" } }</h2>
            if let Some((kind, msg)) = &*notice {
                <Alert kind={*kind} small=true>{ msg.clone() }</Alert>
            }
            <p class="fr-text--sm">{ if u.active {
                "La personne ne pourra plus se connecter ; son historique reste consultable. Vous pourrez réactiver le compte."
            } else {
                "La personne pourra de nouveau se connecter avec son mot de passe."
            } }</p>
            <InputField id={ACCESS_REASON} label={if u.active { "Motif de la désactivation" } else { "Motif de la réactivation" }}
                hint={Some(AttrValue::Static(admin_forms::REASON_HINT))} value={(*reason).clone()} {oninput}
                required=true error={(*reason_error).clone()} />
            if *confirm {
                <p class="fr-text--sm" role="alert"><strong>{ "Confirmez-vous la désactivation ?" }</strong></p>
            }
            <button type="button" class={classes!("fr-btn", if u.active { "fr-btn--secondary" } else { "fr-btn--tertiary" })} {onclick}>
                { match (u.active, *confirm) {
                    (true, false) => "Désactiver le compte",
                    (true, true) => "Oui, désactiver le compte",
                    (false, _) => "Réactiver le compte",
                } }
            </button>
        </section>
    }
}

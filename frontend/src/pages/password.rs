//! The forced password change: a password an administrator set (a new account, a reset) lets
//! its holder in only to replace it. Every other page redirects here until then.
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::feedback::{ErrorSummary, SummaryItem, SUMMARY_ID};
use crate::components::fields::InputField;
use crate::logic::password::{api_message, check, FIELDS};
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{flash, use_auth, AuthAction};

fn field_id(f: &str) -> String {
    format!("mdp-{}", f.replace('_', "-"))
}

fn field_label(f: &str) -> &'static str {
    match f {
        "current_password" => "Mot de passe provisoire",
        "new_password" => "Nouveau mot de passe",
        _ => "Confirmation",
    }
}

#[function_component(ChangePassword)]
pub fn change_password() -> Html {
    let auth = use_auth();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let confirmation = use_state(String::new);
    let errors = use_state(Vec::<(String, String)>::new);
    let general = use_state(|| None::<String>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (auth, current, new, confirmation, errors, general, busy) = (
            auth.clone(),
            current.clone(),
            new.clone(),
            confirmation.clone(),
            errors.clone(),
            general.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            general.set(None);
            let problems = check(&current, &new, &confirmation);
            if !problems.is_empty() {
                errors.set(
                    problems
                        .into_iter()
                        .map(|(f, m)| (f.to_string(), m))
                        .collect(),
                );
                platform::focus(SUMMARY_ID);
                return;
            }
            errors.set(Vec::new());
            busy.set(true);
            let (auth, errors, general, busy) =
                (auth.clone(), errors.clone(), general.clone(), busy.clone());
            let (cur, nw) = ((*current).clone(), (*new).clone());
            yew::platform::spawn_local(async move {
                match api::change_password(&cur, &nw).await {
                    Ok(me) => {
                        flash("Votre mot de passe est enregistré.");
                        auth.dispatch(AuthAction::SignedIn(Box::new(me)));
                    }
                    Err(err) => {
                        busy.set(false);
                        match &err {
                            ApiError::Validation { fields, .. } if !fields.is_empty() => {
                                errors.set(
                                    fields
                                        .iter()
                                        .map(|f| {
                                            (f.field.clone(), api_message(&f.field, &f.code).into())
                                        })
                                        .collect(),
                                );
                            }
                            ApiError::SessionExpired => {
                                auth.dispatch(AuthAction::SignedOut(Some(err.message())));
                                return;
                            }
                            other => general.set(Some(other.message())),
                        }
                        platform::focus(SUMMARY_ID);
                    }
                }
            });
        })
    };
    let logout = {
        let auth = auth.clone();
        Callback::from(move |_: MouseEvent| {
            let auth = auth.clone();
            yew::platform::spawn_local(async move {
                api::logout().await;
                auth.dispatch(AuthAction::SignedOut(Some("Vous êtes déconnecté.".into())));
            });
        })
    };
    let set = |h: UseStateHandle<String>| Callback::from(move |v: String| h.set(v));
    let err = |f: &str| {
        errors
            .iter()
            .find(|(x, _)| x == f)
            .map(|(_, m)| AttrValue::from(m.clone()))
    };
    let summary: Vec<SummaryItem> = FIELDS
        .iter()
        .filter_map(|f| {
            errors
                .iter()
                .find(|(x, _)| x == f)
                .map(|(_, m)| SummaryItem {
                    id: field_id(f),
                    label: field_label(f).into(),
                    message: m.clone(),
                })
        })
        .collect();

    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text="Choisissez votre mot de passe" />
                <p>{ "Le mot de passe que vous avez reçu a été choisi par un administrateur : il ne sert qu’à cette étape. Remplacez-le par un mot de passe que vous seul connaissez pour accéder à SAS." }</p>
                <ErrorSummary items={summary} general={(*general).clone().map(AttrValue::from)} />
                <form onsubmit={onsubmit} novalidate=true aria-labelledby="titre-page">
                    <InputField id={field_id("current_password")} label={field_label("current_password")} kind="password"
                        autocomplete={Some(AttrValue::Static("current-password"))}
                        value={(*current).clone()} oninput={set(current.clone())} required=true error={err("current_password")} />
                    <InputField id={field_id("new_password")} label={field_label("new_password")} kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))}
                        hint={Some(AttrValue::Static("12 caractères au moins. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."))}
                        value={(*new).clone()} oninput={set(new.clone())} required=true error={err("new_password")} />
                    <InputField id={field_id("confirmation")} label="Confirmez le nouveau mot de passe" kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))}
                        value={(*confirmation).clone()} oninput={set(confirmation.clone())} required=true error={err("confirmation")} />
                    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                        <li><button class="fr-btn" type="submit" disabled={*busy}>{ if *busy { "Enregistrement…" } else { "Enregistrer mon mot de passe" } }</button></li>
                        <li><button class="fr-btn fr-btn--secondary" type="button" onclick={logout}>{ "Se déconnecter" }</button></li>
                    </ul>
                </form>
            </div>
        </div>
    }
}

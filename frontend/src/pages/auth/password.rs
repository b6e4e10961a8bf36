//! The forced password change: a password an administrator set (a new account, a reset) lets
//! its holder in only to replace it. Every other page redirects here until then.
use api_types::rules::PASSWORD_MIN_CHARS;
use yew::prelude::*;

use crate::components::feedback::{submit_button, ErrorSummary};
use crate::components::fields::InputField;
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::password::{Field, PasswordForm};
use crate::pages::PageTitle;
use crate::services::{auth, ApiError};
use crate::session::{flash, use_auth, AuthAction};

#[function_component(ChangePassword)]
pub fn change_password() -> Html {
    let auth_ctx = use_auth();
    let form = use_form(PasswordForm::default, ());
    let onsubmit = {
        let signed_in = auth_ctx.clone();
        let expired = auth_ctx.clone();
        form.submit(
            |f: &PasswordForm, _| f.to_request(),
            move |(current, new): (String, String)| {
                let expired = expired.clone();
                async move {
                    let answer = auth::change_password(&current, &new).await;
                    if let Err(ApiError::SessionExpired) = &answer {
                        let notice = ApiError::SessionExpired.message();
                        expired.dispatch(AuthAction::SignedOut(Some(notice)));
                    }
                    answer
                }
            },
            move |me| {
                flash("Votre mot de passe est enregistré.");
                signed_in.dispatch(AuthAction::SignedIn(Box::new(me)));
            },
        )
    };
    let logout = {
        let auth_ctx = auth_ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let auth_ctx = auth_ctx.clone();
            yew::platform::spawn_local(async move {
                auth::logout().await;
                auth_ctx.dispatch(AuthAction::SignedOut(Some("Vous êtes déconnecté.".into())));
            });
        })
    };
    let f = form.values();
    let new_hint = format!("{PASSWORD_MIN_CHARS} caractères au moins. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.");

    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text="Choisissez votre mot de passe" />
                <p>{ "Le mot de passe que vous avez reçu a été choisi par un administrateur : il ne sert qu’à cette étape. Remplacez-le par un mot de passe que vous seul connaissez pour accéder à SAS." }</p>
                <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
                <form id={Field::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                    <InputField id={Field::Current.id()} label={Field::Current.label()} kind="password"
                        autocomplete={Some(AttrValue::Static("current-password"))} required=true
                        value={f.current.clone()} oninput={form.text(Field::Current, |f, v| f.current = v)} error={form.error(Field::Current)} />
                    <InputField id={Field::New.id()} label={Field::New.label()} kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))} hint={Some(AttrValue::from(new_hint))} required=true
                        value={f.new.clone()} oninput={form.text(Field::New, |f, v| f.new = v)} error={form.error(Field::New)} />
                    <InputField id={Field::Confirmation.id()} label="Confirmez le nouveau mot de passe" kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))} required=true
                        value={f.confirmation.clone()} oninput={form.text(Field::Confirmation, |f, v| f.confirmation = v)} error={form.error(Field::Confirmation)} />
                    <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                        <li>{ submit_button("Enregistrer mon mot de passe", "Enregistrement…", form.busy()) }</li>
                        <li><button class="fr-btn fr-btn--secondary" type="button" onclick={logout}>{ "Se déconnecter" }</button></li>
                    </ul>
                </form>
            </div>
        </div>
    }
}

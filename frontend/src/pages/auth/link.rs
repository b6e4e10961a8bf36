//! Password links: choosing a password from an invitation or a reset mail (the token is in
//! the page's fragment), and asking for a reset link.
use yew::prelude::*;

use crate::app::Route;
use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::fields::InputField;
use crate::components::link::AppLink;
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::password::{LinkField, LinkPasswordForm};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::account;

#[derive(Properties, PartialEq)]
pub struct SetPasswordProps {
    /// An invitation (a new account) rather than a reset.
    pub invitation: bool,
}

#[function_component(SetPassword)]
pub fn set_password(p: &SetPasswordProps) -> Html {
    let token = use_memo((), |_| platform::link_token());
    let done = use_state(|| false);
    let form = use_form(LinkPasswordForm::default, ());
    let onsubmit = {
        let token = (*token).clone().unwrap_or_default();
        let done = done.clone();
        form.submit(
            |f: &LinkPasswordForm, _| f.to_request(),
            move |new: String| {
                let token = token.clone();
                async move { account::set_password(&token, &new).await }
            },
            move |_| done.set(true),
        )
    };
    let (title, intro) = if p.invitation {
        (
            "Activez votre compte",
            "Choisissez le mot de passe de votre compte SAS. Vous seul le connaîtrez.",
        )
    } else {
        (
            "Choisissez un nouveau mot de passe",
            "Choisissez votre nouveau mot de passe SAS. Vos autres sessions seront fermées.",
        )
    };
    let f = form.values();
    let hint = format!(
        "{} caractères au moins. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.",
        api_types::rules::PASSWORD_MIN_CHARS
    );
    let body = if *done {
        html! {
            <>
                <Alert kind={AlertKind::Success}>{ "Votre mot de passe est enregistré. Connectez-vous avec lui." }</Alert>
                <p class="fr-mt-3w"><AppLink to={Route::Login} classes={classes!("fr-btn")}>{ "Se connecter" }</AppLink></p>
            </>
        }
    } else if token.is_none() {
        html! {
            <>
                <Alert kind={AlertKind::Error}>{ "Ce lien est incomplet. Ouvrez le lien du courriel reçu tel quel, ou demandez un nouveau lien." }</Alert>
                <p class="fr-mt-3w"><AppLink to={Route::ForgotPassword}>{ "Demander un nouveau lien" }</AppLink></p>
            </>
        }
    } else {
        html! {
            <>
                <p>{ intro }</p>
                <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
                <form id={LinkField::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                    <InputField id={LinkField::New.id()} label="Mot de passe" kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))} hint={Some(AttrValue::from(hint))} required=true
                        value={f.new.clone()} oninput={form.text(LinkField::New, |f, v| f.new = v)} error={form.error(LinkField::New)} />
                    <InputField id={LinkField::Confirmation.id()} label="Confirmez le mot de passe" kind="password"
                        autocomplete={Some(AttrValue::Static("new-password"))} required=true
                        value={f.confirmation.clone()} oninput={form.text(LinkField::Confirmation, |f, v| f.confirmation = v)} error={form.error(LinkField::Confirmation)} />
                    <div class="fr-mt-3w">{ submit_button("Enregistrer mon mot de passe", "Enregistrement…", form.busy()) }</div>
                </form>
                <p class="fr-text--sm fr-mt-3w"><AppLink to={Route::ForgotPassword}>{ "Le lien a expiré ? Demander un nouveau lien" }</AppLink></p>
            </>
        }
    };
    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text={title} />
                { body }
            </div>
        </div>
    }
}

#[function_component(ForgotPassword)]
pub fn forgot_password() -> Html {
    let email = use_state(String::new);
    let sent = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let onsubmit = {
        let (email, sent, busy, error) = (email.clone(), sent.clone(), busy.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if !crate::logic::validate::is_email(&email) {
                error.set(Some(crate::logic::error::field_message("invalid_email")));
                return;
            }
            busy.set(true);
            let (address, sent, busy, error) =
                ((*email).clone(), sent.clone(), busy.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match account::request_reset(&address).await {
                    Ok(()) => sent.set(true),
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    let oninput = {
        let email = email.clone();
        Callback::from(move |v: String| email.set(v))
    };
    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text="Mot de passe oublié" />
                if *sent {
                    <Alert kind={AlertKind::Success}>{ "Si un compte utilise cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il ne sert qu’une fois et vaut une heure." }</Alert>
                    <p class="fr-mt-3w"><AppLink to={Route::Login}>{ "Retour à la connexion" }</AppLink></p>
                } else {
                    <p>{ "Indiquez l’adresse électronique de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe." }</p>
                    <form {onsubmit} novalidate=true aria-labelledby="titre-page">
                        <InputField id="oubli-email" label="Adresse électronique" kind="email" required=true
                            hint={Some(AttrValue::Static("Format attendu : prenom.nom@structure.fr"))}
                            autocomplete={Some(AttrValue::Static("username"))}
                            error={(*error).clone().map(AttrValue::from)}
                            value={(*email).clone()} {oninput} />
                        <div class="fr-mt-3w">{ submit_button("Recevoir un lien", "Envoi…", *busy) }</div>
                    </form>
                }
            </div>
        </div>
    }
}

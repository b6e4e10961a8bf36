//! Login with email and password.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::feedback::{Alert, AlertKind};
use crate::logic::error::ApiError;
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{use_auth, Auth, AuthAction};

#[function_component(Login)]
pub fn login() -> Html {
    let auth = use_auth();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let show = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let notice = match &*auth {
        Auth::Anonymous { notice } => notice.clone(),
        _ => None,
    };

    let onsubmit = {
        let (auth, email, password, busy, error) = (
            auth.clone(),
            email.clone(),
            password.clone(),
            busy.clone(),
            error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            if email.trim().is_empty() || password.is_empty() {
                error.set(Some(
                    "Indiquez votre adresse électronique et votre mot de passe.".into(),
                ));
                platform::focus("erreur-connexion");
                return;
            }
            busy.set(true);
            error.set(None);
            let (auth, busy, error) = (auth.clone(), busy.clone(), error.clone());
            let (em, pw) = ((*email).clone(), (*password).clone());
            yew::platform::spawn_local(async move {
                match api::login(&em, &pw).await {
                    Ok(api::Session::SignedIn(me)) => auth.dispatch(AuthAction::SignedIn(me)),
                    Ok(api::Session::PasswordChangeRequired) => {
                        auth.dispatch(AuthAction::PasswordChangeRequired)
                    }
                    Err(err) => {
                        busy.set(false);
                        let msg = match err {
                            ApiError::Validation { .. } => {
                                "Indiquez votre adresse électronique et votre mot de passe.".into()
                            }
                            other => other.message(),
                        };
                        error.set(Some(msg));
                        platform::focus("erreur-connexion");
                    }
                }
            });
        })
    };
    let set = |h: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            h.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let toggle = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            show.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };

    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text="Connexion à SAS" />
                <p>{ "Espace réservé aux professionnels : structures prescriptrices, équipe SAS, structures d’accueil, pilotes du territoire." }</p>
                if let Some(n) = notice {
                    <Alert kind={AlertKind::Info} small=true>{ n }</Alert>
                }
                if let Some(msg) = &*error {
                    <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" id="erreur-connexion" role="alert" tabindex="-1">
                        <p>{ msg.clone() }</p>
                    </div>
                }
                <form onsubmit={onsubmit} novalidate=true aria-labelledby="titre-page">
                    <fieldset class="fr-fieldset" aria-label="Identifiants">
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="email">
                                    { "Adresse électronique" }
                                    <span class="fr-hint-text">{ "Format attendu : prenom.nom@structure.fr" }</span>
                                </label>
                                <input class="fr-input" id="email" name="email" type="email" autocomplete="username" required=true
                                    value={(*email).clone()} oninput={set(email.clone())} />
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for="password">{ "Mot de passe" }</label>
                                <input class="fr-input" id="password" name="password" type={if *show { "text" } else { "password" }}
                                    autocomplete="current-password" required=true
                                    value={(*password).clone()} oninput={set(password.clone())} />
                            </div>
                            <div class="fr-checkbox-group fr-checkbox-group--sm fr-mt-1w">
                                <input type="checkbox" id="afficher-mot-de-passe" checked={*show} onchange={toggle} />
                                <label class="fr-label" for="afficher-mot-de-passe">{ "Afficher le mot de passe" }</label>
                            </div>
                        </div>
                        <div class="fr-fieldset__element fr-mt-2w">
                            <button class="fr-btn" type="submit" disabled={*busy}>
                                { if *busy { "Connexion…" } else { "Se connecter" } }
                            </button>
                        </div>
                    </fieldset>
                </form>
                <p class="fr-text--sm fr-mt-3w">{ "Mot de passe oublié ? Demandez à l’administrateur SAS de votre territoire de le réinitialiser." }</p>
            </div>
        </div>
    }
}

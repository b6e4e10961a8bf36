//! Login with email and password.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::feedback::{submit_button, Alert, AlertKind};
use crate::components::fields::InputField;
use crate::hooks::use_focus_on_change;
use crate::logic::error::ApiError;
use crate::pages::PageTitle;
use crate::services::auth::{self, Session};
use crate::session::{use_auth, Auth, AuthAction, AuthContext};

const ERROR_ID: &str = "erreur-connexion";
const MISSING: &str = "Indiquez votre adresse électronique et votre mot de passe.";

/// After a refusal the focus goes to the alert (announced), the next Tab to the email field;
/// both fields are marked invalid and described by the alert.
#[function_component(Login)]
pub fn login() -> Html {
    let auth_ctx = use_auth();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let show = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let refusals = use_state(|| 0u32);
    use_focus_on_change(ERROR_ID.into(), *refusals);
    let notice = match &*auth_ctx {
        Auth::Anonymous { notice } => notice.clone(),
        _ => None,
    };

    let onsubmit = on_submit(
        auth_ctx.clone(),
        (email.clone(), password.clone()),
        busy.clone(),
        error.clone(),
        refusals.clone(),
    );
    let set = |h: UseStateHandle<String>| Callback::from(move |v: String| h.set(v));
    let toggle = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            show.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let invalid = error.is_some();
    let described = invalid.then_some(AttrValue::Static(ERROR_ID));

    html! {
        <div class="fr-grid-row fr-grid-row--center">
            <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                <PageTitle text="Connexion à SAS" />
                <p>{ "Espace réservé aux professionnels : structures prescriptrices, équipe SAS, structures d’accueil, pilotes du territoire." }</p>
                if let Some(n) = notice {
                    <Alert kind={AlertKind::Info} small=true>{ n }</Alert>
                }
                if let Some(msg) = &*error {
                    <Alert kind={AlertKind::Error} small=true id={Some(AttrValue::Static(ERROR_ID))}>{ msg.clone() }</Alert>
                }
                <form onsubmit={onsubmit} novalidate=true aria-labelledby="titre-page">
                    <fieldset class="fr-fieldset" aria-label="Identifiants">
                        <div class="fr-fieldset__element">
                            <InputField id="email" label="Adresse électronique" kind="email" required=true
                                hint={Some(AttrValue::Static("Format attendu : prenom.nom@structure.fr"))}
                                autocomplete={Some(AttrValue::Static("username"))} {invalid} described_by={described.clone()}
                                value={(*email).clone()} oninput={set(email.clone())} />
                        </div>
                        <div class="fr-fieldset__element">
                            <InputField id="password" label="Mot de passe" kind={if *show { "text" } else { "password" }} required=true
                                autocomplete={Some(AttrValue::Static("current-password"))} {invalid} described_by={described}
                                value={(*password).clone()} oninput={set(password.clone())} />
                            <div class="fr-checkbox-group fr-checkbox-group--sm fr-mt-1w">
                                <input type="checkbox" id="afficher-mot-de-passe" checked={*show} onchange={toggle} />
                                <label class="fr-label" for="afficher-mot-de-passe">{ "Afficher le mot de passe" }</label>
                            </div>
                        </div>
                        <div class="fr-fieldset__element fr-mt-2w">
                            { submit_button("Se connecter", "Connexion…", *busy) }
                        </div>
                    </fieldset>
                </form>
                <p class="fr-text--sm fr-mt-3w"><crate::components::link::AppLink to={crate::app::Route::ForgotPassword}>{ "Mot de passe oublié ?" }</crate::components::link::AppLink></p>
            </div>
        </div>
    }
}

/// Sends the credentials; a refusal (missing field, wrong password, throttling…) sets the
/// message and counts, so the alert takes the focus.
fn on_submit(
    auth_ctx: AuthContext,
    (email, password): (UseStateHandle<String>, UseStateHandle<String>),
    busy: UseStateHandle<bool>,
    error: UseStateHandle<Option<String>>,
    refusals: UseStateHandle<u32>,
) -> Callback<SubmitEvent> {
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        if *busy {
            return;
        }
        let refuse = {
            let (error, refusals) = (error.clone(), refusals.clone());
            move |msg: String| {
                error.set(Some(msg));
                refusals.set(*refusals + 1);
            }
        };
        if email.trim().is_empty() || password.is_empty() {
            return refuse(MISSING.into());
        }
        busy.set(true);
        let (auth_ctx, busy) = (auth_ctx.clone(), busy.clone());
        let (em, pw) = ((*email).clone(), (*password).clone());
        yew::platform::spawn_local(async move {
            match auth::login(&em, &pw).await {
                Ok(Session::SignedIn(me)) => auth_ctx.dispatch(AuthAction::SignedIn(me)),
                Ok(Session::PasswordChangeRequired) => {
                    auth_ctx.dispatch(AuthAction::PasswordChangeRequired)
                }
                Err(err) => {
                    busy.set(false);
                    refuse(match err {
                        ApiError::Validation { .. } => MISSING.into(),
                        other => other.message(),
                    });
                }
            }
        });
    })
}

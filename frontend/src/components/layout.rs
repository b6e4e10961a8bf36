//! Page frame: skip links, header with the role's navigation, footer.
use api_types::rules::{MAX_AGE, MIN_AGE};
use api_types::Role;
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::link::AppLink;
use crate::logic::labels;
use crate::services;
use crate::session::{use_auth, Auth, AuthAction};

#[function_component(SkipLinks)]
pub fn skip_links() -> Html {
    let auth = use_auth();
    let signed_in = matches!(&*auth, Auth::SignedIn { .. });
    html! {
        <div class="fr-skiplinks">
            <nav class="fr-container" role="navigation" aria-label="Accès rapide">
                <ul class="fr-skiplinks__list">
                    <li><a class="fr-link" href="#contenu">{ "Contenu" }</a></li>
                    if signed_in {
                        <li><a class="fr-link" href="#navigation-principale">{ "Menu" }</a></li>
                    }
                    <li><a class="fr-link" href="#pied-de-page">{ "Pied de page" }</a></li>
                </ul>
            </nav>
        </div>
    }
}

/// The navigation entries of a role.
fn nav_items(role: Role) -> Vec<(Route, &'static str)> {
    match role {
        Role::Prescriber => vec![
            (Route::Referrals, "Mes signalements"),
            (Route::NewReferral, "Signaler un jeune"),
            (Route::Steering, "Mes chiffres"),
            (Route::Notifications, "Mes notifications"),
        ],
        Role::Counsellor => vec![
            (Route::Queue, "File d’attente"),
            (Route::Steering, "Pilotage"),
        ],
        Role::Receiver => vec![
            (Route::Relays, "Demandes de relais"),
            (Route::MyServices, "Mes services"),
            (Route::Steering, "Mes chiffres"),
        ],
        Role::Pilot => vec![(Route::Steering, "Pilotage")],
        Role::Admin => vec![
            (Route::Structures, "Structures"),
            (Route::Users, "Comptes"),
            (Route::Jobs, "Tâches"),
            (Route::Imports, "Import de l’offre"),
            (Route::Webhooks, "Webhooks"),
            (Route::DataRequests, "Demandes sur les données"),
            (Route::Retention, "Rétention"),
            (Route::Steering, "Pilotage"),
        ],
    }
}

#[function_component(Header)]
pub fn header() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let route = use_route::<Route>();
    let menu_open = use_state(|| false);

    let logout = {
        let auth = auth.clone();
        let navigator = navigator.clone();
        Callback::from(move |_: MouseEvent| {
            let auth = auth.clone();
            let navigator = navigator.clone();
            yew::platform::spawn_local(async move {
                services::auth::logout().await;
                auth.dispatch(AuthAction::SignedOut(Some("Vous êtes déconnecté.".into())));
                if let Some(n) = navigator {
                    n.push(&Route::Login);
                }
            });
        })
    };

    let switch_role = {
        let auth = auth.clone();
        let navigator = navigator.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(role) = Role::parse(&v) {
                auth.dispatch(AuthAction::SwitchRole(role));
                if let Some(n) = &navigator {
                    n.push(&Route::home_of(role));
                }
            }
        })
    };

    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };

    // Close the mobile menu when the page changes.
    {
        let menu_open = menu_open.clone();
        use_effect_with(route.clone(), move |_| menu_open.set(false));
    }

    let (tools, menu_tools, nav) = match &*auth {
        Auth::SignedIn { me, role } => {
            let structure = me.structure.as_ref().map(|s| s.name.clone());
            // The tools appear in the header on large screens and in the menu on small ones
            // (the DSFR shows one or the other); ids differ by `suffix`.
            let tools_for = |suffix: &str| {
                let select_id = format!("role-actif{suffix}");
                html! {
                <ul class="fr-btns-group sas-tools">
                    <li class="sas-tools__who">
                        <span>
                            <strong>{ me.name.clone() }</strong>
                            if let Some(s) = &structure {
                                <br /><span class="fr-text--xs">{ s.clone() }</span>
                            }
                        </span>
                    </li>
                    if me.roles.len() > 1 {
                        <li class="sas-tools__role">
                            <label class="fr-label fr-text--xs" for={select_id.clone()}>{ "Rôle actif" }</label>
                            <select class="fr-select sas-select--sm" id={select_id} onchange={switch_role.clone()}>
                                { for me.roles.iter().map(|r| html! {
                                    <option value={r.as_str()} selected={r == role}>{ labels::role(*r) }</option>
                                }) }
                            </select>
                        </li>
                    } else {
                        <li class="sas-tools__role-label fr-text--xs">{ labels::role(*role) }</li>
                    }
                    <li>
                        <button type="button" class="fr-btn fr-btn--tertiary fr-btn--sm" onclick={logout.clone()}>
                            { "Se déconnecter" }
                        </button>
                    </li>
                </ul>
                }
            };
            let tools = tools_for("");
            let menu_tools = if *menu_open {
                tools_for("-menu")
            } else {
                html! {}
            };
            let items = nav_items(*role);
            let nav = html! {
                <nav class="fr-nav" id="navigation-principale" role="navigation" aria-label="Menu principal" tabindex="-1">
                    <ul class="fr-nav__list">
                        { for items.into_iter().map(|(r, label)| {
                            let current = route.as_ref() == Some(&r);
                            html! {
                                <li class="fr-nav__item">
                                    <AppLink to={r} classes={classes!("fr-nav__link")} current={current}>{ label }</AppLink>
                                </li>
                            }
                        }) }
                    </ul>
                </nav>
            };
            (tools, menu_tools, nav)
        }
        _ => (html! {}, html! {}, html! {}),
    };

    let signed_in = matches!(&*auth, Auth::SignedIn { .. });
    html! {
        <header role="banner" class="fr-header">
            <div class="fr-header__body">
                <div class="fr-container">
                    <div class="fr-header__body-row">
                        <div class="fr-header__brand">
                            <div class="fr-header__brand-top sas-brand-top">
                                if signed_in {
                                    <div class="fr-header__navbar">
                                        <button type="button" class="fr-btn--menu fr-btn" aria-controls="menu-principal"
                                            aria-expanded={if *menu_open { "true" } else { "false" }} onclick={toggle_menu.clone()}>
                                            { "Menu" }
                                        </button>
                                    </div>
                                }
                            </div>
                            <div class="fr-header__service">
                                <AppLink to={Route::Home} title={Some(AttrValue::Static("Accueil – SAS"))}>
                                    <p class="fr-header__service-title">{ "SAS" }</p>
                                </AppLink>
                                <p class="fr-header__service-tagline">{ "Entre deux accompagnements, aucun jeune perdu de vue" }</p>
                            </div>
                        </div>
                        <div class="fr-header__tools">
                            <div class="fr-header__tools-links">{ tools }</div>
                        </div>
                    </div>
                </div>
            </div>
            if signed_in {
                <div class={classes!("fr-header__menu", "fr-modal", menu_open.then_some("fr-modal--opened"))} id="menu-principal">
                    <div class="fr-container">
                        if *menu_open {
                            <button type="button" class="fr-btn--close fr-btn" aria-controls="menu-principal" onclick={toggle_menu}>{ "Fermer" }</button>
                        }
                        <div class="fr-header__menu-links">{ menu_tools }</div>
                        { nav }
                    </div>
                </div>
            }
        </header>
    }
}

#[function_component(Footer)]
pub fn footer() -> Html {
    html! {
        <footer class="fr-footer" role="contentinfo" id="pied-de-page" tabindex="-1">
            <div class="fr-container">
                <div class="fr-footer__body">
                    <div class="fr-footer__brand">
                        <p class="sas-footer-brand">{ "SAS" }</p>
                    </div>
                    <div class="fr-footer__content">
                        <p class="fr-footer__content-desc">
                            { format!("SAS aide les structures à signaler les jeunes de {MIN_AGE} à {MAX_AGE} ans dont l’accompagnement se termine, pour qu’une équipe les contacte et les oriente vers la bonne structure.") }
                        </p>
                    </div>
                </div>
                <div class="fr-footer__bottom">
                    <ul class="fr-footer__bottom-list">
                        <li class="fr-footer__bottom-item">
                            <AppLink to={Route::Directory} classes={classes!("fr-footer__bottom-link")}>{ "Annuaire de l’offre d’insertion" }</AppLink>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <AppLink to={Route::Accessibility} classes={classes!("fr-footer__bottom-link")}>{ "Accessibilité : partiellement conforme" }</AppLink>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <AppLink to={Route::Privacy} classes={classes!("fr-footer__bottom-link")}>{ "Données personnelles" }</AppLink>
                        </li>
                    </ul>
                </div>
            </div>
        </footer>
    }
}

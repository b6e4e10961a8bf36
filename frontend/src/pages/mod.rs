//! The screens of the app, grouped by area: `auth/` (login), `referrals/` (the prescriber's
//! list and form, the queue, a referral), `admin/` (structures, accounts),
//! `steering/` (the dashboard); the small pages that are text only are here, but for the
//! longer « Données personnelles » (`privacy.rs`). `docs/FRONTEND.md` says where a new page goes.
use yew::prelude::*;

use crate::app::Route;
use crate::components::link::AppLink;
use crate::session::{use_auth, use_title, Auth};

pub mod admin;
pub mod auth;
pub mod me;
pub mod offer;
mod privacy;
pub mod referrals;
pub mod relays;
pub mod steering;

pub use privacy::Privacy;

#[derive(Properties, PartialEq)]
pub struct TitleProps {
    pub text: AttrValue,
}

/// The page's main heading: the focus lands here on navigation.
#[function_component(PageTitle)]
pub fn page_title(p: &TitleProps) -> Html {
    use_title(&p.text);
    html! { <h1 id="titre-page" tabindex="-1" class="sas-page-title">{ p.text.clone() }</h1> }
}

fn home_link() -> Html {
    html! { <AppLink to={Route::Home} classes={classes!("fr-btn")}>{ "Retour à l’accueil" }</AppLink> }
}

#[function_component(Forbidden)]
pub fn forbidden() -> Html {
    let auth = use_auth();
    let role = match &*auth {
        Auth::SignedIn { role, .. } => crate::logic::labels::role(*role),
        _ => "",
    };
    html! {
        <div class="fr-grid-row">
            <div class="fr-col-12 fr-col-md-8">
                <PageTitle text="Accès non autorisé" />
                <p class="fr-text--lead">{ format!("Votre rôle actif ({role}) ne donne pas accès à cette page.") }</p>
                <p>{ "Si vous avez plusieurs rôles, changez de rôle actif en haut de la page. Sinon, demandez l’accès à l’administrateur de votre structure." }</p>
                { home_link() }
            </div>
        </div>
    }
}

#[function_component(NotFound)]
pub fn not_found() -> Html {
    html! {
        <div class="fr-grid-row">
            <div class="fr-col-12 fr-col-md-8">
                <PageTitle text="Page introuvable" />
                <p class="fr-text--lead">{ "La page que vous cherchez n’existe pas ou a été déplacée." }</p>
                <p>{ "Vérifiez l’adresse, ou repartez de l’accueil." }</p>
                { home_link() }
            </div>
        </div>
    }
}

#[function_component(Accessibility)]
pub fn accessibility() -> Html {
    html! {
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-md-9">
            <PageTitle text="Déclaration d’accessibilité" />
            <p>{ "SAS s’engage à rendre son service accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005." }</p>
            <h2>{ "État de conformité" }</h2>
            <p>{ "SAS est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA) version 4.1 : aucun audit complet n’a encore été réalisé. Chaque page est vérifiée automatiquement (axe-core) et au clavier à chaque version." }</p>
            <h2>{ "Retour d’information et contact" }</h2>
            <p>{ "Si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’équipe SAS de votre territoire pour être orienté vers une alternative accessible." }</p>
            <h2>{ "Voies de recours" }</h2>
            <p>{ "Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu, que vous nous l’avez signalé et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits." }</p>
        </div></div>
    }
}

//! "Demandes de relais" (`/relais`): the requests to the receiver's structure, waiting ones
//! first, overdue ones highlighted.
use api_types::Relay;
use yew::prelude::*;

use crate::app::Route;
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::hooks::use_paged_list;
use crate::logic::{format, relays};
use crate::pages::PageTitle;
use crate::services::relays as service;

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucune demande de relais",
    empty_text: "Quand l’équipe SAS orientera un jeune vers l’un de vos services, sa demande apparaîtra ici : vous pourrez l’accepter ou la refuser, confirmer sa prise en charge, puis répondre aux points de suivi à 30, 90 et 180 jours.",
    more: "Afficher plus de demandes",
};

#[function_component(Inbox)]
pub fn inbox() -> Html {
    let list = use_paged_list((), service::inbox);
    let structure = crate::session::use_structure_name();
    html! {
        <>
            <PageTitle text="Demandes de relais" />
            if let Some(s) = structure {
                <p class="fr-text--lead fr-mb-1w">{ s }</p>
            }
            <p class="fr-text--lead">{ "Les jeunes que l’équipe SAS oriente vers votre structure. Les demandes en attente viennent d’abord." }</p>
            { list_view(&list, TEXTS, rows) }
        </>
    }
}

fn rows(items: &[Relay]) -> Html {
    html! {
        <ul class="sas-results" aria-label={format!("Demandes ({})", format::count_label(items.len(), "affichée", "affichées"))}>
            { for items.iter().map(row) }
        </ul>
    }
}

fn row(r: &Relay) -> Html {
    let name = r
        .youth
        .as_ref()
        .map(|y| crate::logic::privacy::youth_name(&y.first_name, &y.last_name))
        .unwrap_or_else(|| "Jeune".into());
    html! {
        <li class="sas-result">
            <h2 class="fr-h6 fr-mb-1w">
                <AppLink to={Route::Relay { id: r.id.to_string() }}>{ name }</AppLink>
            </h2>
            <p class="fr-mb-0">
                <span class="fr-badge fr-badge--sm fr-badge--no-icon">{ relays::status(r.status) }</span>
                if r.overdue {
                    { " " }<span class="fr-badge fr-badge--sm fr-badge--warning">{ "En retard" }</span>
                }
                { format!(" {} · demandé le {}", r.service_name.clone().unwrap_or_default(), format::date_short(r.requested_at.date_naive())) }
            </p>
        </li>
    }
}

//! The structures of the platform.
use api_types::Structure;
use yew::prelude::*;

use super::Search;
use crate::app::Route;
use crate::components::feedback::{Alert, AlertKind};
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::pages::PageTitle;
use crate::services::structures::{self, StructureFilter};
use crate::session::use_flash;

const COLUMNS: [Column; 4] = [
    title("Nom"),
    value("Type"),
    value("Code postal"),
    value("Capacités"),
];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucune structure",
    empty_text: "Aucune structure ne correspond à cette recherche.",
    more: "Afficher plus de structures",
};

fn capacities(s: &Structure) -> Html {
    let badge = |on: bool, label: &'static str, colour: &'static str| {
        html! {
            if on {
                <li><span class={classes!("fr-badge", "fr-badge--sm", "fr-badge--no-icon", colour)}>{ label }</span></li>
            }
        }
    };
    html! {
        <ul class="fr-badges-group">
            { badge(s.prescriber, "Prescriptrice", "fr-badge--blue-ecume") }
            { badge(s.receiver, "Accueil", "fr-badge--green-menthe") }
            { badge(s.sas_team, "Équipe SAS", "fr-badge--purple-glycine") }
            { badge(s.sensitive, "Nom sensible", "") }
        </ul>
    }
}

#[function_component(Structures)]
pub fn structures() -> Html {
    let flash_msg = use_flash();
    let filter = use_state(StructureFilter::default);
    let list = use_paged_list((*filter).clone(), structures::list);
    let onapply = {
        let filter = filter.clone();
        Callback::from(move |q| filter.set(StructureFilter { q }))
    };
    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Structures" />
                <AppLink to={Route::NewStructure} classes={classes!("fr-btn")}>{ "Ajouter une structure" }</AppLink>
            </div>
            <p class="fr-text--lead">{ "Les organisations qui signalent, accueillent ou forment l’équipe SAS d’un territoire." }</p>
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            <Search id="recherche-structure" label="Nom de la structure" name="Chercher une structure" {onapply} />
            { list_view(&list, TEXTS, table) }
        </>
    }
}

fn table(items: &[Structure]) -> Html {
    let rows = items
        .iter()
        .map(|s| {
            Row::new(
                s.id,
                vec![
                    html! { <AppLink to={Route::Structure { id: s.id.to_string() }}>{ s.name.clone() }</AppLink> },
                    html! { { s.kind.clone() } },
                    html! { { s.postal_code.clone().unwrap_or_else(|| "—".into()) } },
                    capacities(s),
                ],
            )
        })
        .collect();
    let caption = format!(
        "Structures ({})",
        format::count_label(items.len(), "affichée", "affichées")
    );
    data_table("structures", caption, &COLUMNS, rows)
}

//! The accounts of the platform.
use api_types::User;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{Options, Search};
use crate::app::Route;
use crate::components::feedback::{Alert, AlertKind};
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::services::structures;
use crate::services::users::{self, UserFilter};
use crate::session::use_flash;

const COLUMNS: [Column; 5] = [
    title("Nom"),
    value("Adresse électronique"),
    value("Rôles"),
    value("Structure"),
    value("État"),
];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucun compte",
    empty_text: "Aucun compte ne correspond à cette recherche.",
    more: "Afficher plus de comptes",
};

#[function_component(Users)]
pub fn users() -> Html {
    let flash_msg = use_flash();
    let filter = use_state(UserFilter::default);
    let active = use_state(|| None::<bool>);
    let list = use_paged_list((*filter).clone(), users::list);
    let names = use_state(Options::new);
    {
        let names = names.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let all = structures::first_hundred().await.unwrap_or_default();
                names.set(
                    all.into_iter()
                        .map(|s| (AttrValue::from(s.id.to_string()), AttrValue::from(s.name)))
                        .collect(),
                );
            });
        });
    }
    let onapply = {
        let (filter, active) = (filter.clone(), active.clone());
        Callback::from(move |q| filter.set(UserFilter { q, active: *active }))
    };
    let onactive = {
        let active = active.clone();
        Callback::from(move |e: Event| {
            active.set(
                match e
                    .target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .as_str()
                {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
            )
        })
    };
    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Comptes" />
                <AppLink to={Route::NewUser} classes={classes!("fr-btn")}>{ "Créer un compte" }</AppLink>
            </div>
            <p class="fr-text--lead">{ "Les personnes qui utilisent SAS, leurs rôles et leur structure. Un compte n’est jamais supprimé : il est désactivé." }</p>
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            <Search id="recherche-compte" label="Nom ou adresse électronique" name="Chercher un compte" {onapply}>
                <div class="fr-select-group">
                    <label class="fr-label" for="filtre-actif">{ "État" }</label>
                    <select class="fr-select" id="filtre-actif" onchange={onactive}>
                        <option value="" selected={active.is_none()}>{ "Tous" }</option>
                        <option value="true" selected={*active == Some(true)}>{ "Actifs" }</option>
                        <option value="false" selected={*active == Some(false)}>{ "Désactivés" }</option>
                    </select>
                </div>
            </Search>
            { list_view(&list, TEXTS, |items| table(items, &names)) }
        </>
    }
}

fn table(items: &[User], names: &Options) -> Html {
    let structure = |u: &User| -> String {
        u.structure_id
            .and_then(|id| names.iter().find(|(v, _)| v.as_str() == id.to_string()))
            .map(|(_, l)| l.to_string())
            .unwrap_or_else(|| "—".into())
    };
    let rows = items
        .iter()
        .map(|u| {
            Row::new(
                u.id,
                vec![
                    html! { <AppLink to={Route::User { id: u.id.to_string() }}>{ format!("{} {}", u.first_name, u.last_name) }</AppLink> },
                    html! { <span class="sas-break">{ u.email.clone() }</span> },
                    html! { { u.roles.iter().map(|r| labels::role(*r)).collect::<Vec<_>>().join(", ") } },
                    html! { { structure(u) } },
                    active_badge(u.active),
                ],
            )
        })
        .collect();
    let caption = format!(
        "Comptes ({})",
        format::count_label(items.len(), "affiché", "affichés")
    );
    data_table("comptes", caption, &COLUMNS, rows)
}

pub fn active_badge(active: bool) -> Html {
    if active {
        html! { <span class="fr-badge fr-badge--sm fr-badge--success">{ "Actif" }</span> }
    } else {
        html! { <span class="fr-badge fr-badge--sm">{ "Désactivé" }</span> }
    }
}

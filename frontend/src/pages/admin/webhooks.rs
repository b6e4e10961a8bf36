//! Every structure's webhook subscriptions and their deliveries (read only: partners manage
//! their own through the API).
use api_types::Webhook;
use yew::prelude::*;

use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::pages::PageTitle;
use crate::platform;
use crate::services::operations;

const COLUMNS: [Column; 4] = [
    title("Adresse"),
    value("État"),
    value("Envois en attente / échoués"),
    value("Dernier envoi réussi"),
];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucun webhook",
    empty_text: "Aucun système partenaire n’est abonné aux changements des signalements.",
    more: "Afficher plus d’abonnements",
};

#[function_component(Webhooks)]
pub fn webhooks() -> Html {
    let list = use_paged_list((), operations::webhooks);
    html! {
        <>
            <PageTitle text="Webhooks des partenaires" />
            <p class="fr-text--lead">{ "Les systèmes des structures partenaires s’abonnent par l’API (clients API) ; chaque changement de statut d’un signalement qu’ils peuvent voir leur est envoyé, signé." }</p>
            { list_view(&list, TEXTS, table) }
        </>
    }
}

fn table(items: &[Webhook]) -> Html {
    let rows = items
        .iter()
        .map(|w| {
            Row::new(
                w.id,
                vec![
                    html! { <span class="sas-break">{ w.url.clone() }{ w.description.clone().map(|d| format!(" — {d}")).unwrap_or_default() }</span> },
                    if w.disabled_at.is_some() {
                        html! { <span class="fr-badge fr-badge--sm">{ "Arrêté" }</span> }
                    } else {
                        html! { <span class="fr-badge fr-badge--sm fr-badge--success">{ "Actif" }</span> }
                    },
                    html! { { format!("{} / {}", w.pending_deliveries, w.failed_deliveries) } },
                    html! { { w.last_delivered_at.map(|t| format::datetime_long(t, platform::offset_minutes(t))).unwrap_or_else(|| "aucun".into()) } },
                ],
            )
        })
        .collect();
    let caption = format!(
        "Abonnements ({})",
        format::count_label(items.len(), "affiché", "affichés")
    );
    data_table("webhooks", caption, &COLUMNS, rows)
}

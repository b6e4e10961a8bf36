//! « Rétention des données » (`/admin/retention`): the runs of the retention job, newest
//! first (`GET /admin/retention-runs`): when, how many youths were anonymised, how many access
//! log rows were purged, and the youths past the delay left as they were, by reason.
use yew::prelude::*;

use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::logic::privacy::{skipped_text, ACCESS_LOG_MONTHS, RETENTION_MONTHS};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::privacy::{self, RetentionRun};

const COLUMNS: [Column; 5] = [
    title("Exécution"),
    value("Jeunes anonymisés"),
    value("Journaux d’accès supprimés"),
    value("Jeunes laissés en l’état"),
    value("Délais appliqués"),
];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucune exécution",
    empty_text: "La tâche de rétention n’a pas encore tourné : elle passe une fois par jour.",
    more: "Afficher les exécutions précédentes",
};

#[function_component(Retention)]
pub fn retention() -> Html {
    let list = use_paged_list((), privacy::runs);
    html! {
        <>
            <PageTitle text="Rétention des données" />
            <p class="fr-text--lead">{ format!(
                "Chaque jour, SAS anonymise les jeunes dont le dernier dossier est clos depuis plus de {RETENTION_MONTHS} mois (après sa dernière activité) et supprime les lignes du journal des accès de plus de {ACCESS_LOG_MONTHS} mois. Voici ses exécutions, la plus récente d’abord."
            ) }</p>
            { list_view(&list, TEXTS, table) }
        </>
    }
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    format::datetime_long(t, platform::offset_minutes(t))
}

fn table(items: &[RetentionRun]) -> Html {
    let rows = items
        .iter()
        .map(|r| {
            let started = match r.finished_at {
                Some(_) => when(r.started_at),
                None => format!("{} (en cours)", when(r.started_at)),
            };
            Row::new(
                r.id,
                vec![
                    html! { { started } },
                    html! { { r.anonymised.to_string() } },
                    html! { { r.access_logs_purged.to_string() } },
                    html! { { skipped_text(&r.skipped) } },
                    html! { { format!("{} mois ; journaux {} mois", r.retention_months, r.access_log_retention_months) } },
                ],
            )
        })
        .collect();
    let caption = format!(
        "Exécutions ({})",
        format::count_label(items.len(), "affichée", "affichées")
    );
    data_table("executions-retention", caption, &COLUMNS, rows)
}

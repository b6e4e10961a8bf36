//! The jobs' state: periodic sweeps, queue lengths, failures (`GET /jobs`).
use api_types::JobsOverview;
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::operations;

const SCHEDULES: [Column; 4] = [
    title("Tâche périodique"),
    value("Dernière exécution"),
    value("Prochaine"),
    value("Exécutions / échecs"),
];
const QUEUES: [Column; 4] = [
    title("Type"),
    value("En attente"),
    value("Abandonnées"),
    value("Terminées"),
];
const FAILURES: [Column; 4] = [
    title("Type"),
    value("État"),
    value("Essais"),
    value("Erreur"),
];

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| format::datetime_long(t, platform::offset_minutes(t)))
        .unwrap_or_else(|| "jamais".into())
}

pub fn kind_label(kind: &str) -> String {
    match kind {
        "mail.deliver" => "Envoi de courriel".into(),
        "webhook.deliver" => "Envoi de webhook".into(),
        "notifications.digest" => "Résumé quotidien des notifications".into(),
        "jobs.cleanup" => "Nettoyage".into(),
        other => other.into(),
    }
}

#[function_component(Jobs)]
pub fn jobs() -> Html {
    let state = use_state(|| None::<Result<JobsOverview, String>>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                state.set(Some(operations::jobs().await.map_err(|e| e.message())));
            });
        });
    }
    let body = match &*state {
        None => html! { <Loading text="Chargement de l’état des tâches…" /> },
        Some(Err(m)) => html! { <Alert kind={AlertKind::Error}>{ m.clone() }</Alert> },
        Some(Ok(o)) => view(o),
    };
    html! {
        <>
            <PageTitle text="Tâches de fond" />
            <p class="fr-text--lead">{ "Les envois de courriels et de webhooks et les tâches périodiques, exécutés par le serveur et les workers." }</p>
            { body }
        </>
    }
}

fn view(o: &JobsOverview) -> Html {
    let schedules = o
        .schedules
        .iter()
        .map(|s| {
            let status = match s.last_status.as_deref() {
                Some("failed") => {
                    format!(" (échec : {})", s.last_error.clone().unwrap_or_default())
                }
                _ => String::new(),
            };
            Row::new(
                &s.name,
                vec![
                    html! { { kind_label(&s.name) } },
                    html! { { format!("{}{status}", when(s.last_finished_at)) } },
                    html! { { when(Some(s.next_run_at)) } },
                    html! { { format!("{} / {}", s.runs, s.failures) } },
                ],
            )
        })
        .collect();
    let queues = o
        .queues
        .iter()
        .map(|q| {
            Row::new(
                &q.kind,
                vec![
                    html! { { kind_label(&q.kind) } },
                    html! { { (q.queued + q.running).to_string() } },
                    html! { { q.parked.to_string() } },
                    html! { { q.done.to_string() } },
                ],
            )
        })
        .collect();
    let failures = o
        .failures
        .iter()
        .map(|f| {
            Row::new(
                f.id,
                vec![
                    html! { { kind_label(&f.kind) } },
                    html! { { labels::job_state(f.state) } },
                    html! { { format!("{} sur {}", f.attempts, f.max_attempts) } },
                    html! { <span class="sas-break">{ f.last_error.clone().unwrap_or_default() }</span> },
                ],
            )
        })
        .collect();
    html! {
        <>
            { data_table("taches-periodiques", "Tâches périodiques".into(), &SCHEDULES, schedules) }
            { data_table("files", "Files d’attente".into(), &QUEUES, queues) }
            if o.failures.is_empty() {
                <p>{ "Aucun échec récent." }</p>
            } else {
                { data_table("echecs", "Échecs récents".into(), &FAILURES, failures) }
            }
        </>
    }
}

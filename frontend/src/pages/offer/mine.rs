//! "Mes services" (`/mes-services`): a receiving structure's services, every status, with
//! the publication actions its agents may take.
use api_types::Service;
use yew::prelude::*;

use crate::app::Route;
use crate::components::feedback::{Alert, AlertKind};
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::logic::offer;
use crate::pages::PageTitle;
use crate::services::offer as service;

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucun service",
    empty_text: "Votre structure n’a pas encore décrit de service : ajoutez-en un pour qu’il apparaisse dans l’annuaire une fois publié.",
    more: "Afficher plus de services",
};

#[function_component(MyServices)]
pub fn my_services() -> Html {
    let list = use_paged_list((), service::mine);
    let notice = use_state(|| None::<(AlertKind, String)>);
    let onact = {
        let (reload, notice) = (list.reload.clone(), notice.clone());
        Callback::from(move |(s, action): (Service, &'static str)| {
            let (reload, notice) = (reload.clone(), notice.clone());
            yew::platform::spawn_local(async move {
                match service::act(s.id, action, s.version).await {
                    Ok(done) => notice.set(Some((
                        AlertKind::Success,
                        format!(
                            "« {} » : {}.",
                            done.nom,
                            offer::status(done.status).to_lowercase()
                        ),
                    ))),
                    Err(e) => notice.set(Some((AlertKind::Error, e.message()))),
                }
                reload.emit(());
            });
        })
    };
    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Mes services" />
                <AppLink to={Route::NewService} classes={classes!("fr-btn")}>{ "Ajouter un service" }</AppLink>
            </div>
            <p class="fr-text--lead">{ "Les services de votre structure. Seuls les services publiés apparaissent dans l’annuaire public." }</p>
            if let Some((kind, text)) = &*notice {
                <Alert kind={*kind} small=true>{ text.clone() }</Alert>
            }
            { list_view(&list, TEXTS, |items| rows(items, &onact)) }
        </>
    }
}

fn rows(items: &[Service], onact: &Callback<(Service, &'static str)>) -> Html {
    html! {
        <ul class="sas-results" aria-label={format!("Services ({})", format::count_label(items.len(), "affiché", "affichés"))}>
            { for items.iter().map(|s| row(s, onact)) }
        </ul>
    }
}

fn row(s: &Service, onact: &Callback<(Service, &'static str)>) -> Html {
    let places = s
        .capacity
        .as_ref()
        .and_then(|c| offer::places(c.available, c.maximum));
    html! {
        <li class="sas-result">
            <h2 class="fr-h6 fr-mb-1w">
                <AppLink to={Route::Service { id: s.id.to_string() }}>{ s.nom.clone() }</AppLink>
            </h2>
            <p class="fr-mb-1w">
                <span class="fr-badge fr-badge--sm fr-badge--no-icon">{ offer::status(s.status) }</span>
                { format!(" Mis à jour le {}", format::date_short(s.date_maj)) }
                if let Some(p) = places { { format!(" · {p}") } }
            </p>
            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
                { for offer::actions(s.status).iter().map(|(code, label)| {
                    let (onact, s2, code) = (onact.clone(), s.clone(), *code);
                    html! {
                        <li><button type="button" class="fr-btn fr-btn--secondary fr-btn--sm"
                            aria-label={format!("{label} « {} »", s.nom)}
                            onclick={Callback::from(move |_: MouseEvent| onact.emit((s2.clone(), code)))}>{ *label }</button></li>
                    }
                }) }
            </ul>
        </li>
    }
}

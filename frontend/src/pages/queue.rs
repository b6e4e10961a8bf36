//! The counsellor's queue: the territory's referrals, urgent first, with the days left before
//! the exit date; a referral is taken from here.
use api_types::{Referral, Status, TransitionRequest};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, Method};
use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::link::AppLink;
use crate::logic::format;
use crate::pages::referrals::{load_page, use_list_state, youth_name};
use crate::pages::PageTitle;
use crate::session::{flash, use_flash};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    ToTake,
    Mine,
    All,
}

impl View {
    fn filters(self, q: &str) -> Vec<(&'static str, String)> {
        let mut f = vec![("q", q.to_string())];
        match self {
            View::ToTake => f.push(("status", "submitted".into())),
            View::Mine => f.push(("assigned_to_me", "true".into())),
            View::All => {}
        }
        f
    }
    fn label(self) -> &'static str {
        match self {
            View::ToTake => "À prendre",
            View::Mine => "Mes dossiers",
            View::All => "Tout le territoire",
        }
    }
    fn id(self) -> &'static str {
        match self {
            View::ToTake => "vue-a-prendre",
            View::Mine => "vue-mes-dossiers",
            View::All => "vue-tous",
        }
    }
}

/// Takes a referral (`submitted` → `contacting`, assigned to the caller), at the version read.
pub async fn take(id: uuid::Uuid, version: i32) -> Result<Referral, api::ApiError> {
    let body = TransitionRequest {
        to: Status::Contacting,
        reason: None,
        outcome: None,
        counsellor_id: None,
    };
    api::send(
        Method::Post,
        &format!("/api/v1/referrals/{id}/transitions"),
        &body,
        Some(version),
    )
    .await
}

#[function_component(Queue)]
pub fn queue() -> Html {
    let navigator = use_navigator();
    let flash_msg = use_flash();
    let list = use_list_state();
    let (items, next, loading, error) = (
        list.items.clone(),
        list.next.clone(),
        list.loading.clone(),
        list.error.clone(),
    );
    let notice = use_state(|| None::<String>);
    let view = use_state(|| View::ToTake);
    let q = use_state(String::new);
    let applied_q = use_state(String::new);
    let reload = use_state(|| 0u32);
    let taking = use_state(|| None::<uuid::Uuid>);

    {
        let list = list.clone();
        use_effect_with((*view, (*applied_q).clone(), *reload), move |(v, q, _)| {
            load_page(v.filters(q), None, list);
        });
    }

    let onsearch = {
        let (q, applied_q) = (q.clone(), applied_q.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            applied_q.set(q.trim().to_string());
        })
    };
    let more = {
        let (list, view, applied_q) = (list.clone(), view.clone(), applied_q.clone());
        Callback::from(move |_: MouseEvent| {
            load_page(view.filters(&applied_q), (*list.next).clone(), list.clone());
        })
    };
    let on_take = {
        let (navigator, notice, reload, taking) = (
            navigator.clone(),
            notice.clone(),
            reload.clone(),
            taking.clone(),
        );
        Callback::from(move |r: Referral| {
            if taking.is_some() {
                return;
            }
            taking.set(Some(r.id));
            let (navigator, notice, reload, taking) = (
                navigator.clone(),
                notice.clone(),
                reload.clone(),
                taking.clone(),
            );
            yew::platform::spawn_local(async move {
                match take(r.id, r.version).await {
                    Ok(_) => {
                        flash(format!(
                            "Vous avez pris en charge le dossier de {}. À vous de le contacter.",
                            youth_name(&r)
                        ));
                        if let Some(n) = navigator {
                            n.push(&Route::Referral {
                                id: r.id.to_string(),
                            });
                        }
                    }
                    Err(e) => {
                        taking.set(None);
                        notice.set(Some(e.message()));
                        reload.set(*reload + 1);
                    }
                }
            });
        })
    };

    html! {
        <>
            <PageTitle text="File d’attente du territoire" />
            <p class="fr-text--lead fr-mb-3w">{ "Les jeunes signalés sur votre territoire. Les dossiers urgents (fin d’accompagnement dans 30 jours ou moins, ou déjà passée) sont en tête." }</p>
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            if let Some(n) = &*notice {
                <Alert kind={AlertKind::Warning} small=true id={Some(AttrValue::Static("avis-file"))}>{ n.clone() }</Alert>
            }
            <div class="sas-filters">
                <fieldset class="fr-segmented fr-segmented--sm">
                    <legend class="fr-segmented__legend">{ "Afficher" }</legend>
                    <div class="fr-segmented__elements">
                        { for [View::ToTake, View::Mine, View::All].into_iter().map(|v| {
                            let checked = *view == v;
                            let view = view.clone();
                            let onchange = Callback::from(move |_: Event| view.set(v));
                            html! {
                                <div class="fr-segmented__element">
                                    <input value={v.id()} checked={checked} type="radio" id={v.id()} name="vue-file" {onchange} />
                                    <label class="fr-label" for={v.id()}>{ v.label() }</label>
                                </div>
                            }
                        }) }
                    </div>
                </fieldset>
                <form class="sas-search" onsubmit={onsearch} role="search" aria-label="Chercher un jeune">
                    <div class="fr-input-group">
                        <label class="fr-label" for="recherche-file">{ "Nom ou prénom" }</label>
                        <input class="fr-input" type="search" id="recherche-file" value={(*q).clone()}
                            oninput={ let q = q.clone(); Callback::from(move |e: InputEvent| q.set(e.target_unchecked_into::<HtmlInputElement>().value())) } />
                    </div>
                    <button class="fr-btn fr-btn--secondary" type="submit">{ "Chercher" }</button>
                </form>
            </div>
            if let Some(e) = &*error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            if *loading && items.is_empty() {
                <Loading />
            } else if items.is_empty() && error.is_none() {
                <div class="fr-callout">
                    <h2 class="fr-callout__title">{ "Aucun dossier ici" }</h2>
                    <p class="fr-callout__text">{ match *view {
                        View::ToTake => "Aucun jeune n’attend d’être pris en charge pour le moment.",
                        View::Mine => "Vous n’avez aucun dossier en cours.",
                        View::All => "Aucun signalement sur le territoire pour ces critères.",
                    } }</p>
                </div>
            } else {
                <div class="fr-table fr-table--no-scroll sas-table">
                    <div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
                        <table id="file-attente">
                            <caption>{ format!("{} ({})", view.label(), format::count_label(items.len(), "dossier affiché", "dossiers affichés")) }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "Priorité" }</th>
                                    <th scope="col">{ "Jeune" }</th>
                                    <th scope="col">{ "Commune" }</th>
                                    <th scope="col">{ "Signalé par" }</th>
                                    <th scope="col">{ "Statut" }</th>
                                    <th scope="col">{ "Action" }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for items.iter().map(|r| {
                                    let name = youth_name(r);
                                    let on_take = on_take.clone();
                                    let rr = r.clone();
                                    let onclick = Callback::from(move |_: MouseEvent| on_take.emit(rr.clone()));
                                    let busy = *taking == Some(r.id);
                                    html! {
                                        <tr class={classes!(r.urgent.then_some("sas-row--urgent"))}>
                                            <td><Countdown days={r.days_to_exit} urgent={r.urgent} /></td>
                                            <td>
                                                <AppLink to={Route::Referral { id: r.id.to_string() }}>{ name.clone() }</AppLink>
                                                <br /><span class="fr-text--xs">{ format::age_label(r.youth.age) }</span>
                                                if r.possible_duplicate == Some(true) {
                                                    <br /><span class="fr-badge fr-badge--sm fr-badge--warning">{ "Doublon possible" }</span>
                                                }
                                            </td>
                                            <td>{ r.youth.commune_name.clone() }</td>
                                            <td>{ r.prescriber_structure.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "—".into()) }</td>
                                            <td>
                                                <StatusBadge status={r.status} />
                                                if let Some(c) = &r.assigned_counsellor {
                                                    <br /><span class="fr-text--xs">{ format!("Suivi par {}", c.name) }</span>
                                                }
                                            </td>
                                            <td>
                                                if r.status == Status::Submitted {
                                                    <button type="button" class="fr-btn fr-btn--sm" {onclick} disabled={busy}
                                                        aria-label={format!("Prendre en charge le dossier de {name}")}>
                                                        { if busy { "Prise en charge…" } else { "Prendre en charge" } }
                                                    </button>
                                                }
                                            </td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div></div></div>
                </div>
                if next.is_some() {
                    <button class="fr-btn fr-btn--secondary" type="button" onclick={more} disabled={*loading}>{ "Afficher plus de dossiers" }</button>
                }
            }
        </>
    }
}

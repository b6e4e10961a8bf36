//! The prescriber's referrals: those of their structure, with their status.
use std::cell::Cell;
use std::rc::Rc;

use api_types::{Referral, ReferralPage};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::link::AppLink;
use crate::logic::{format, labels, query::with_query};
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{use_auth, use_flash, Auth};

/// The state of a list of referrals: its rows, the next cursor, loading and error flags, and a
/// counter so that an answer to a superseded request (filters changed meanwhile) is dropped.
#[derive(Clone)]
pub struct ListState {
    pub items: UseStateHandle<Vec<Referral>>,
    pub next: UseStateHandle<Option<String>>,
    pub loading: UseStateHandle<bool>,
    pub error: UseStateHandle<Option<String>>,
    pub seq: Rc<Cell<u32>>,
}

#[hook]
pub fn use_list_state() -> ListState {
    ListState {
        items: use_state(Vec::<Referral>::new),
        next: use_state(|| None::<String>),
        loading: use_state(|| true),
        error: use_state(|| None::<String>),
        seq: (*use_memo((), |_| Rc::new(Cell::new(0u32)))).clone(),
    }
}

/// Loads a page of referrals for `filters`, appending when a cursor is given.
pub fn load_page(filters: Vec<(&'static str, String)>, cursor: Option<String>, list: ListState) {
    let ListState {
        items,
        next,
        loading,
        error,
        seq,
    } = list;
    let n = seq.get().wrapping_add(1);
    seq.set(n);
    loading.set(true);
    let current = (*items).clone();
    yew::platform::spawn_local(async move {
        let mut params: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let c = cursor.clone().unwrap_or_default();
        params.push(("cursor", &c));
        let path = with_query("/api/v1/referrals", &params);
        let answer = api::get::<ReferralPage>(&path).await;
        if seq.get() != n {
            return;
        }
        match answer {
            Ok(page) => {
                let mut all = if cursor.is_some() {
                    current
                } else {
                    Vec::new()
                };
                all.extend(page.items);
                items.set(all);
                next.set(page.next_cursor);
                error.set(None);
            }
            Err(e) => error.set(Some(e.message())),
        }
        loading.set(false);
    });
}

pub fn youth_name(r: &Referral) -> String {
    format!("{} {}", r.youth.first_name, r.youth.last_name)
}

#[function_component(MyReferrals)]
pub fn my_referrals() -> Html {
    let auth = use_auth();
    let flash = use_flash();
    let list = use_list_state();
    let (items, next, loading, error) = (
        list.items.clone(),
        list.next.clone(),
        list.loading.clone(),
        list.error.clone(),
    );
    let q = use_state(String::new);
    let status = use_state(String::new);
    let applied = use_state(|| (String::new(), String::new()));

    {
        let list = list.clone();
        use_effect_with((*applied).clone(), move |(q, status)| {
            load_page(
                vec![("q", q.clone()), ("status", status.clone())],
                None,
                list,
            );
        });
    }

    let onsubmit = {
        let (q, status, applied) = (q.clone(), status.clone(), applied.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            applied.set(((*q).trim().to_string(), (*status).clone()));
        })
    };
    let more = {
        let (list, applied) = (list.clone(), applied.clone());
        Callback::from(move |_: MouseEvent| {
            let (q, s) = (*applied).clone();
            load_page(
                vec![("q", q), ("status", s)],
                (*list.next).clone(),
                list.clone(),
            );
        })
    };

    let structure = match &*auth {
        Auth::SignedIn { me, .. } => me
            .structure
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let offset = platform::offset_minutes(platform::now());

    html! {
        <>
            <div class="sas-title-row">
                <PageTitle text="Mes signalements" />
                <AppLink to={Route::NewReferral} classes={classes!("fr-btn")}>{ "Signaler un jeune" }</AppLink>
            </div>
            <p class="fr-text--lead fr-mb-3w">{ format!("Les jeunes signalés par {structure} et où en est leur accompagnement.") }</p>
            if let Some(f) = flash {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            <form class="sas-filters" onsubmit={onsubmit} role="search" aria-label="Filtrer les signalements">
                <div class="fr-input-group">
                    <label class="fr-label" for="filtre-nom">{ "Nom ou prénom" }</label>
                    <input class="fr-input" type="search" id="filtre-nom" value={(*q).clone()}
                        oninput={ let q = q.clone(); Callback::from(move |e: InputEvent| q.set(e.target_unchecked_into::<HtmlInputElement>().value())) } />
                </div>
                <div class="fr-select-group">
                    <label class="fr-label" for="filtre-statut">{ "Statut" }</label>
                    <select class="fr-select" id="filtre-statut"
                        onchange={ let s = status.clone(); Callback::from(move |e: Event| s.set(e.target_unchecked_into::<HtmlSelectElement>().value())) }>
                        <option value="" selected={status.is_empty()}>{ "Tous les statuts" }</option>
                        { for labels::STATUSES.iter().map(|s| html! {
                            <option value={labels::status_code(*s)} selected={*status == labels::status_code(*s)}>{ labels::status(*s) }</option>
                        }) }
                    </select>
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">{ "Filtrer" }</button>
            </form>
            if let Some(e) = &*error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            if *loading && items.is_empty() {
                <Loading />
            } else if items.is_empty() && error.is_none() {
                <div class="fr-callout">
                    <h2 class="fr-callout__title">{ "Aucun signalement" }</h2>
                    <p class="fr-callout__text">{ "Vous n’avez encore signalé aucun jeune, ou aucun ne correspond à ces filtres. Pensez à signaler un jeune avant la fin de son accompagnement : l’équipe SAS a ainsi le temps de le joindre." }</p>
                </div>
            } else {
                <div class="fr-table fr-table--no-scroll sas-table">
                    <div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
                        <table>
                            <caption>{ format!("Signalements ({})", format::count_label(items.len(), "dossier affiché", "dossiers affichés")) }</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ "Jeune" }</th>
                                    <th scope="col">{ "Âge" }</th>
                                    <th scope="col">{ "Commune" }</th>
                                    <th scope="col">{ "Statut" }</th>
                                    <th scope="col">{ "Signalé le" }</th>
                                    <th scope="col">{ "Fin d’accompagnement" }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for items.iter().map(|r| html! {
                                    <tr>
                                        <td><AppLink to={Route::Referral { id: r.id.to_string() }}>{ youth_name(r) }</AppLink></td>
                                        <td>{ format::age_label(r.youth.age) }</td>
                                        <td>{ r.youth.commune_name.clone() }</td>
                                        <td><StatusBadge status={r.status} /></td>
                                        <td>{ r.submitted_at.map(|t| format::date_short(format::local_date(t, offset))).unwrap_or_else(|| "—".into()) }</td>
                                        <td>
                                            if let Some(d) = r.exit_date {
                                                <span class="sas-nowrap">{ format::date_short(d) }</span>{ " " }
                                            }
                                            <Countdown days={r.days_to_exit} urgent={r.urgent} />
                                        </td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div></div></div>
                </div>
                if next.is_some() {
                    <button class="fr-btn fr-btn--secondary" type="button" onclick={more} disabled={*loading}>{ "Afficher plus de signalements" }</button>
                }
            }
        </>
    }
}

//! `/pilotage`: the funnel and the H1, H2, H3 indicators of a territory for a month or a
//! quarter, as of today or a past month end (`GET /stats/funnel`, `GET /stats/indicators`).
//! Pilots and counsellors read their own territory; administrators pick one.
use api_types::{FunnelReport, IndicatorReport, Role, Territory};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::fields::SelectField;
use crate::logic::format;
use crate::logic::stats::{as_of_choices, period_choices, scope_of, Period, StatsQuery};
use crate::pages::steering::sections;
use crate::pages::steering::targets::TargetsPanel;
use crate::pages::PageTitle;
use crate::platform;
use crate::services::{stats, territories};
use crate::session::use_active_role;

const LEAD: &str = "Les trois hypothèses de SAS mesurées sur votre territoire : les prescripteurs orientent des jeunes (H1), l’équipe SAS les joint (H2), les jeunes relayés sont pris en charge (H3). Des agrégats seulement : aucun chiffre ne permet de retrouver une personne.";

const LEAD_PRESCRIBER: &str = "Ce que sont devenues les orientations de votre structure : combien de jeunes l’équipe SAS a joints, combien ont été relayés et pris en charge. Des agrégats seulement : aucun chiffre ne permet de retrouver une personne.";
const LEAD_RECEIVER: &str = "Les relais reçus par votre structure : combien ont eu une réponse dans les 10 jours, combien de jeunes ont été pris en charge et sont toujours accompagnés à J+90. Des agrégats seulement.";

#[derive(Clone, PartialEq)]
pub struct Reports {
    pub funnel: FunnelReport,
    pub indicators: IndicatorReport,
}

type Load<T> = Option<Result<T, String>>;

#[function_component(Dashboard)]
pub fn dashboard() -> Html {
    let role = use_active_role();
    let admin = role == Some(Role::Admin);
    let sets_targets = matches!(role, Some(Role::Pilot | Role::Admin));
    let reload = use_state(|| 0u32);
    let export = use_state(|| None::<Result<(), String>>);
    let today = platform::today();
    let mine = role.and_then(scope_of);
    let query = use_state(|| StatsQuery {
        scope: mine,
        ..StatsQuery::new(Period::quarter_of(today))
    });
    let places = use_state(|| None::<Load<Vec<Territory>>>);
    let data = use_state(|| None::<Result<Reports, String>>);
    let generation = use_mut_ref(|| 0u32);
    // The query last asked: a new one clears the page; a reload (targets saved) keeps it.
    let asked = use_mut_ref(|| None::<StatsQuery>);

    // Administrators pick a territory: the first one is shown until they choose.
    {
        let (places, query) = (places.clone(), query.clone());
        use_effect_with(admin, move |admin| {
            if *admin {
                yew::platform::spawn_local(async move {
                    let r = territories::all().await.map_err(|e| e.message());
                    if let Ok(first) = r.as_ref().map(|l| l.first().map(|t| t.id)) {
                        if query.territory.is_none() && first.is_some() {
                            query.set(StatsQuery {
                                territory: first,
                                ..(*query).clone()
                            });
                        }
                    }
                    places.set(Some(Some(r)));
                });
            }
        });
    }
    {
        let data = data.clone();
        use_effect_with(((*query).clone(), admin, *reload), move |(q, admin, _)| {
            if !(*admin && q.territory.is_none()) {
                *generation.borrow_mut() += 1;
                let mine = *generation.borrow();
                if asked.borrow().as_ref() != Some(q) {
                    data.set(None);
                    *asked.borrow_mut() = Some(q.clone());
                }
                let q = q.clone();
                yew::platform::spawn_local(async move {
                    let (f, i) =
                        futures::future::join(stats::funnel(&q), stats::indicators(&q)).await;
                    if *generation.borrow() != mine {
                        return;
                    }
                    data.set(Some(match (f, i) {
                        (Ok(funnel), Ok(indicators)) => Ok(Reports { funnel, indicators }),
                        (Err(e), _) | (_, Err(e)) => Err(e.message()),
                    }));
                });
            }
        });
    }

    let body = match &*data {
        None if admin && query.territory.is_none() => match &*places {
            Some(Some(Err(m))) => html! { <Alert kind={AlertKind::Error}>{ m.clone() }</Alert> },
            Some(Some(Ok(l))) if l.is_empty() => {
                html! { <Alert kind={AlertKind::Info}>{ "Aucun territoire n’est encore créé." }</Alert> }
            }
            _ => html! { <Loading text="Chargement des territoires…" /> },
        },
        None => html! { <Loading text="Calcul des chiffres…" /> },
        Some(Err(m)) => html! { <Alert kind={AlertKind::Error}>{ m.clone() }</Alert> },
        Some(Ok(r)) => sections::report(r),
    };
    let on_export = {
        let (query, export) = (query.clone(), export.clone());
        Callback::from(move |_: MouseEvent| {
            let (q, export) = ((*query).clone(), export.clone());
            if matches!(*export, Some(Ok(()))) {
                return;
            }
            export.set(Some(Ok(())));
            yew::platform::spawn_local(async move {
                match stats::export(&q).await {
                    Ok(text) => {
                        platform::save_text(
                            &format!("sas-chiffres-{}.csv", q.period),
                            "text/csv",
                            &text,
                        );
                        export.set(None);
                    }
                    Err(e) => export.set(Some(Err(e.message()))),
                }
            });
        })
    };
    let exporting = matches!(*export, Some(Ok(())));
    let ready = matches!(*data, Some(Ok(_)));
    let targets = (sets_targets && !(admin && query.territory.is_none())).then(|| {
        let reload = reload.clone();
        let onsaved = Callback::from(move |_| reload.set(*reload + 1));
        html! { <TargetsPanel territory={query.territory} {onsaved} /> }
    });
    html! {
        <>
            if mine.is_some() {
                <PageTitle text="Mes chiffres" />
                <p class="fr-text--lead">{ if role == Some(Role::Receiver) { LEAD_RECEIVER } else { LEAD_PRESCRIBER } }</p>
            } else {
                <PageTitle text="Pilotage du territoire" />
                <p class="fr-text--lead">{ LEAD }</p>
            }
            { filters(&query, today, (*places).clone().flatten().and_then(Result::ok)) }
            if ready {
                <div class="sas-export fr-mb-3w">
                    <button type="button" class="fr-btn fr-btn--secondary" onclick={on_export}
                        aria-disabled={exporting.then_some("true")}>
                        { if exporting { "Préparation du fichier…" } else { "Exporter tous les chiffres (CSV)" } }
                    </button>
                    if let Some(Err(m)) = &*export {
                        <Alert kind={AlertKind::Error} small=true>{ m.clone() }</Alert>
                    }
                </div>
            }
            { body }
            { targets.unwrap_or_default() }
        </>
    }
}

/// The period, the date of the figures and, for administrators, the territory: each choice
/// reloads the figures.
fn filters(
    query: &UseStateHandle<StatsQuery>,
    today: chrono::NaiveDate,
    places: Option<Vec<Territory>>,
) -> Html {
    let period = Period::parse(&query.period).unwrap_or_else(|| Period::quarter_of(today));
    let on_period = {
        let query = query.clone();
        Callback::from(move |v: String| {
            if let Some(p) = Period::parse(&v) {
                let as_of = query
                    .as_of
                    .filter(|d| p.first_day().is_some_and(|s| *d >= s));
                query.set(StatsQuery {
                    period: p.code(),
                    as_of,
                    ..(*query).clone()
                });
            }
        })
    };
    let on_as_of = {
        let query = query.clone();
        Callback::from(move |v: String| {
            query.set(StatsQuery {
                as_of: format::parse_date(&v),
                ..(*query).clone()
            });
        })
    };
    let as_of_value = query.as_of.map(format::date_iso).unwrap_or_default();
    let territory = places.map(|list| {
        let value = query.territory.map(|t| t.to_string()).unwrap_or_default();
        let query = query.clone();
        let onchange = Callback::from(move |v: String| {
            if let Ok(id) = Uuid::parse_str(&v) {
                query.set(StatsQuery {
                    territory: Some(id),
                    ..(*query).clone()
                });
            }
        });
        let options: Vec<(AttrValue, AttrValue)> = list
            .into_iter()
            .map(|t| (AttrValue::from(t.id.to_string()), AttrValue::from(t.name)))
            .collect();
        html! { <SelectField id="stats-territoire" label="Territoire" {options} value={value} {onchange} /> }
    });
    let periods: Vec<(AttrValue, AttrValue)> = period_choices(today)
        .into_iter()
        .map(|(c, l)| (AttrValue::from(c), AttrValue::from(l)))
        .collect();
    let dates: Vec<(AttrValue, AttrValue)> = as_of_choices(period, today)
        .into_iter()
        .map(|(c, l)| (AttrValue::from(c), AttrValue::from(l)))
        .collect();
    html! {
        <div class="sas-filters" role="group" aria-label="Chiffres affichés">
            { territory.unwrap_or_default() }
            <SelectField id="stats-periode" label="Période" hint="Un mois ou un trimestre"
                options={periods} value={period.code()} onchange={on_period} />
            <SelectField id="stats-as-of" label="Chiffres arrêtés au" hint="Aujourd’hui ou une fin de mois"
                options={dates} value={as_of_value} onchange={on_as_of} />
        </div>
    }
}

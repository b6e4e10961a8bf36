//! The counsellor's queue: the territory's referrals, urgent first, with the days left before
//! the exit date; a counsellor assigns a referral to themself from here.
use api_types::{Referral, Status};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind};
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::components::table::{action, data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::{format, labels};
use crate::pages::referrals::{youth_name, ReferralFilters};
use crate::pages::PageTitle;
use crate::services::referrals::{self, ReferralFilter};
use crate::services::ApiError;
use crate::session::{flash, use_flash};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    ToAssign,
    Mine,
    All,
    TryDue,
    Quiet,
    RuleMet,
}

impl View {
    const ALL: [View; 3] = [View::ToAssign, View::Mine, View::All];
    /// The follow-ups of reaching the young people (same order, same cursors).
    const FOLLOW_UPS: [View; 3] = [View::TryDue, View::Quiet, View::RuleMet];

    /// A working queue shows open referrals only: closed ones are the prescribers' history.
    fn filter(self, q: &str) -> ReferralFilter {
        ReferralFilter {
            q: q.to_string(),
            status: (self == View::ToAssign).then_some(Status::Submitted),
            assigned_to_me: self == View::Mine,
            open: true,
            next_try_due: self == View::TryDue,
            no_recent_attempt: self == View::Quiet,
            unreachable_rule_met: self == View::RuleMet,
        }
    }
    fn label(self) -> &'static str {
        match self {
            View::ToAssign => "À attribuer",
            View::Mine => "Mes dossiers",
            View::All => "Tout le territoire",
            View::TryDue => "À relancer",
            View::Quiet => "7 j sans tentative",
            View::RuleMet => "Injoignables ?",
        }
    }
    fn id(self) -> &'static str {
        match self {
            View::ToAssign => "vue-a-attribuer",
            View::Mine => "vue-mes-dossiers",
            View::All => "vue-tous",
            View::TryDue => "vue-tentative-prevue",
            View::Quiet => "vue-sans-tentative",
            View::RuleMet => "vue-injoignables",
        }
    }
    fn texts(self) -> ListTexts {
        let empty_text = match self {
            View::ToAssign => "Aucun dossier n’attend d’être attribué pour le moment.",
            View::Mine => "Aucun dossier ne vous est attribué pour le moment.",
            View::All => "Aucun signalement sur le territoire pour ces critères.",
            View::TryDue => "Aucune tentative prévue pour aujourd’hui ou en retard.",
            View::Quiet => "Aucun dossier en prise de contact sans tentative depuis 7 jours.",
            View::RuleMet => "Aucun dossier n’atteint la règle d’injoignabilité.",
        };
        ListTexts {
            empty_title: "Aucun dossier ici",
            empty_text,
            more: "Afficher plus de dossiers",
        }
    }
}

const COLUMNS: [Column; 6] = [
    value("Priorité"),
    title("Jeune"),
    value("Commune"),
    value("Signalé par"),
    value("Statut"),
    action("Action"),
];

/// The message when another counsellor was quicker (409, or 412 once `If-Match` is checked).
fn taken_message(e: &ApiError) -> String {
    match e {
        ApiError::Conflict { .. } | ApiError::Stale => {
            "Ce dossier vient de changer de statut (un collègue se l’est peut-être déjà attribué). \
             La liste a été mise à jour."
                .into()
        }
        other => other.message(),
    }
}

#[function_component(Queue)]
pub fn queue() -> Html {
    let navigator = use_navigator();
    let flash_msg = use_flash();
    let view = use_state(|| View::ToAssign);
    let q = use_state(String::new);
    let list = use_paged_list(view.filter(&q), referrals::list);
    let notice = use_state(|| None::<String>);
    let assigning = use_state(|| None::<uuid::Uuid>);

    let on_assign = {
        let (notice, assigning, reload) = (notice.clone(), assigning.clone(), list.reload.clone());
        Callback::from(move |r: Referral| {
            if assigning.is_some() {
                return;
            }
            assigning.set(Some(r.id));
            let (navigator, notice, assigning, reload) = (
                navigator.clone(),
                notice.clone(),
                assigning.clone(),
                reload.clone(),
            );
            yew::platform::spawn_local(async move {
                match referrals::assign_to_me(&r).await {
                    Ok(_) => {
                        flash(format!(
                            "Le dossier de {} vous est attribué. À vous de le contacter.",
                            youth_name(&r)
                        ));
                        if let Some(n) = navigator {
                            n.push(&Route::Referral {
                                id: r.id.to_string(),
                            });
                        }
                    }
                    Err(e) => {
                        assigning.set(None);
                        notice.set(Some(taken_message(&e)));
                        reload.emit(());
                    }
                }
            });
        })
    };
    let onapply = {
        let q = q.clone();
        Callback::from(move |f: ReferralFilter| q.set(f.q))
    };
    let v = *view;
    let busy = *assigning;

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
                { view_choice("Afficher", &View::ALL, v, &{ let view = view.clone(); Callback::from(move |v| view.set(v)) }) }
                { view_choice("Relances", &View::FOLLOW_UPS, v, &{ let view = view.clone(); Callback::from(move |v| view.set(v)) }) }
                <ReferralFilters {onapply} />
            </div>
            { list_view(&list, v.texts(), |items| table(v, items, busy, &on_assign)) }
        </>
    }
}

fn view_choice(legend: &str, views: &[View], value: View, onchange: &Callback<View>) -> Html {
    html! {
        <fieldset class="fr-segmented fr-segmented--sm">
            <legend class="fr-segmented__legend">{ legend.to_string() }</legend>
            <div class="fr-segmented__elements">
                { for views.iter().copied().map(|v| {
                    let onchange = onchange.reform(move |_: Event| v);
                    html! {
                        <div class="fr-segmented__element">
                            <input value={v.id()} checked={value == v} type="radio" id={v.id()} name="vue-file" {onchange} />
                            <label class="fr-label" for={v.id()}>{ v.label() }</label>
                        </div>
                    }
                }) }
            </div>
        </fieldset>
    }
}

fn table(
    view: View,
    items: &[Referral],
    busy: Option<uuid::Uuid>,
    on_assign: &Callback<Referral>,
) -> Html {
    let rows = items
        .iter()
        .map(|r| row(r, busy == Some(r.id), on_assign))
        .collect();
    let caption = format!(
        "{} ({})",
        view.label(),
        format::count_label(items.len(), "dossier affiché", "dossiers affichés")
    );
    data_table("file-attente", caption, &COLUMNS, rows)
}

fn row(r: &Referral, busy: bool, on_assign: &Callback<Referral>) -> Row {
    let name = youth_name(r);
    let rr = r.clone();
    let onclick = on_assign.reform(move |_: MouseEvent| rr.clone());
    let cells = vec![
        html! { <Countdown days={r.days_to_exit} urgent={r.urgent} /> },
        html! {
            <>
                <AppLink to={Route::Referral { id: r.id.to_string() }}>{ name.clone() }</AppLink>
                <span class="fr-text--xs sas-block">{ format::age_label(r.youth.age) }</span>
                if r.possible_duplicate == Some(true) {
                    <span class="fr-badge fr-badge--sm fr-badge--warning">{ "Doublon possible" }</span>
                }
            </>
        },
        html! { { r.youth.commune_name.clone() } },
        html! { { r.prescriber_structure.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| labels::channel(r.channel).to_string()) } },
        html! {
            <>
                <StatusBadge status={r.status} />
                if let Some(c) = &r.assigned_counsellor {
                    <span class="fr-text--xs sas-block">{ format!("Attribué à {}", c.name) }</span>
                }
            </>
        },
        if r.status == Status::Submitted {
            html! {
                <button type="button" class="fr-btn fr-btn--sm" {onclick} aria-disabled={busy.then_some("true")}
                    aria-label={format!("M’attribuer le dossier de {name}")}>
                    { if busy { "Attribution…" } else { "M’attribuer" } }
                </button>
            }
        } else {
            html! {}
        },
    ];
    Row::new(r.id, cells).with_class(classes!(r.urgent.then_some("sas-row--urgent")))
}

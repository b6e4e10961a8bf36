//! The prescriber's referrals: those of their structure, with their status.
use api_types::Referral;
use yew::prelude::*;

use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind};
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::pages::referrals::{youth_name, ReferralFilters};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::referrals::{self, ReferralFilter};
use crate::session::{use_auth, use_flash, Auth};

const COLUMNS: [Column; 6] = [
    title("Jeune"),
    value("Âge"),
    value("Commune"),
    value("Statut"),
    value("Signalé le"),
    value("Fin d’accompagnement"),
];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucun signalement",
    empty_text: "Vous n’avez encore signalé aucun jeune, ou aucun ne correspond à ces filtres. Pensez à signaler un jeune avant la fin de son accompagnement : l’équipe SAS a ainsi le temps de le joindre.",
    more: "Afficher plus de signalements",
};

#[function_component(MyReferrals)]
pub fn my_referrals() -> Html {
    let auth = use_auth();
    let flash = use_flash();
    let filter = use_state(ReferralFilter::default);
    let list = use_paged_list((*filter).clone(), referrals::list);
    let structure = match &*auth {
        Auth::SignedIn { me, .. } => me.structure.as_ref().map(|s| s.name.clone()),
        _ => None,
    }
    .unwrap_or_default();
    let onapply = {
        let filter = filter.clone();
        Callback::from(move |f: ReferralFilter| filter.set(f))
    };

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
            <ReferralFilters with_status=true {onapply} />
            { list_view(&list, TEXTS, table) }
        </>
    }
}

fn table(items: &[Referral]) -> Html {
    let offset = platform::offset_minutes(platform::now());
    let rows = items
        .iter()
        .map(|r| {
            Row::new(
                r.id,
                vec![
                    html! { <AppLink to={Route::Referral { id: r.id.to_string() }}>{ youth_name(r) }</AppLink> },
                    html! { { format::age_label(r.youth.age) } },
                    html! { { r.youth.commune_name.clone() } },
                    html! { <StatusBadge status={r.status} /> },
                    html! { { r.submitted_at.map(|t| format::date_short(format::local_date(t, offset))).unwrap_or_else(|| "—".into()) } },
                    html! {
                        <>
                            if let Some(d) = r.exit_date {
                                <span class="sas-nowrap">{ format::date_short(d) }</span>{ " " }
                            }
                            <Countdown days={r.days_to_exit} urgent={r.urgent} />
                        </>
                    },
                ],
            )
        })
        .collect();
    let caption = format!(
        "Signalements ({})",
        format::count_label(items.len(), "dossier affiché", "dossiers affichés")
    );
    data_table("mes-signalements", caption, &COLUMNS, rows)
}

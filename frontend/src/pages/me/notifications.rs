//! "Mes notifications": what SAS told the user, and how they want to be mailed.
use api_types::{EmailPreference, Notification};
use yew::prelude::*;
use yew_router::Routable;

use crate::components::feedback::{Alert, AlertKind};
use crate::components::fields::Radio;
use crate::components::link::AppLink;
use crate::components::list::{list_view, ListTexts};
use crate::components::table::{data_table, title, value, Column, Row};
use crate::hooks::use_paged_list;
use crate::logic::{format, labels};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::notifications;

const COLUMNS: [Column; 3] = [title("Notification"), value("Date"), value("Courriel")];

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucune notification",
    empty_text: "SAS vous préviendra ici quand un signalement que vous avez transmis sera clôturé.",
    more: "Afficher plus de notifications",
};

#[function_component(MyNotifications)]
pub fn my_notifications() -> Html {
    let list = use_paged_list((), notifications::list);
    let pref = use_state(|| None::<EmailPreference>);
    let saved = use_state(|| None::<Result<(), String>>);
    {
        let pref = pref.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(s) = notifications::settings().await {
                    pref.set(Some(s.email));
                }
            });
        });
    }
    let choose = |p: EmailPreference| {
        let (pref, saved) = (pref.clone(), saved.clone());
        Callback::from(move |_| {
            let (pref, saved) = (pref.clone(), saved.clone());
            pref.set(Some(p));
            yew::platform::spawn_local(async move {
                match notifications::save_settings(p).await {
                    Ok(s) => {
                        pref.set(Some(s.email));
                        saved.set(Some(Ok(())));
                    }
                    Err(e) => saved.set(Some(Err(e.message()))),
                }
            });
        })
    };
    html! {
        <>
            <PageTitle text="Mes notifications" />
            <fieldset class="fr-fieldset" id="preference-courriel" aria-labelledby="preference-legende">
                <legend class="fr-fieldset__legend" id="preference-legende">{ "Être prévenu par courriel" }</legend>
                { for EmailPreference::ALL.iter().map(|p| html! {
                    <div class="fr-fieldset__element">
                        <Radio id={format!("preference-{}", p.as_str())} name="preference" label={labels::email_preference(*p)}
                            checked={*pref == Some(*p)} onselect={choose(*p)} />
                    </div>
                }) }
            </fieldset>
            <div aria-live="polite">
                { match &*saved {
                    Some(Ok(())) => html! { <Alert kind={AlertKind::Success} small=true>{ "Votre choix est enregistré." }</Alert> },
                    Some(Err(m)) => html! { <Alert kind={AlertKind::Error} small=true>{ m.clone() }</Alert> },
                    None => html! {},
                } }
            </div>
            <h2 class="fr-h4 fr-mt-4w">{ "Notifications reçues" }</h2>
            { list_view(&list, TEXTS, table) }
        </>
    }
}

fn table(items: &[Notification]) -> Html {
    let rows = items
        .iter()
        .map(|n| {
            let link = n.link.clone();
            Row::new(
                n.id,
                vec![
                    html! { <AppLink to={crate::app::Route::recognize(&link).unwrap_or(crate::app::Route::NotFound)}>{ labels::notification(n.kind) }</AppLink> },
                    html! { { format::datetime_long(n.created_at, platform::offset_minutes(n.created_at)) } },
                    html! { { n.mail_status.map(labels::mail_status).unwrap_or("Dans le prochain résumé") } },
                ],
            )
        })
        .collect();
    let caption = format!(
        "Notifications ({})",
        format::count_label(items.len(), "affichée", "affichées")
    );
    data_table("notifications", caption, &COLUMNS, rows)
}

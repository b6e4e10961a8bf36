//! "Signaler un jeune": the prescriber's referral form. Its sections are in `new/`, one
//! function each (numbered: the representative's section appears for a minor).
use api_types::rules::{MAX_AGE, MIN_AGE};
use api_types::{Referral, VocabularyEntry};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::feedback::{submit_button, ErrorSummary};
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::format;
use crate::logic::referral_form::{Field, ReferralForm};
use crate::pages::PageTitle;
use crate::platform;
use crate::services::{reference, referrals};
use crate::session::{flash, use_auth, Auth};

mod consent;
mod contact;
mod situation;
mod youth;

#[function_component(NewReferral)]
pub fn new_referral() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    // Who informs the young person: the prescriber, by default.
    let who = match &*auth {
        Auth::SignedIn { me, .. } => match &me.structure {
            Some(s) => format!("{} ({})", me.name, s.name),
            None => me.name.clone(),
        },
        _ => String::new(),
    };
    let form = use_form(
        move || ReferralForm {
            informed_by: who,
            // A minor's legal representative is informed, usually the same day.
            rep_informed_on: format::date_iso(platform::today()),
            ..ReferralForm::default()
        },
        platform::today(),
    );
    let vocab = use_state(Vec::<VocabularyEntry>::new);
    {
        let vocab = vocab.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(v) = reference::vocabulary("thematiques").await {
                    vocab.set(v);
                }
            });
        });
    }
    let onsubmit = form.submit(
        |f: &ReferralForm, today| f.to_request(*today, platform::now()),
        referrals::create,
        move |r: Referral| {
            flash(format!(
                "Signalement envoyé. L’équipe SAS du territoire va contacter {}.",
                r.youth.first_name
            ));
            if let Some(n) = &navigator {
                n.push(&Route::Referral {
                    id: r.id.to_string(),
                });
            }
        },
    );
    let minor = form.values().is_minor(platform::today());
    let after_rep = if minor { 1 } else { 0 };

    html! {
        <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-lg-9">
            <PageTitle text="Signaler un jeune" />
            <p class="fr-text--lead">{ format!("Un jeune de {MIN_AGE} à {MAX_AGE} ans dont l’accompagnement se termine ? Signalez-le, si possible avant la date de fin : l’équipe SAS du territoire le contactera pour l’orienter.") }</p>
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id={Field::Form.id()} {onsubmit} novalidate=true aria-labelledby="titre-page">
                { youth::youth(&form, 1) }
                { contact::contact(&form, 2) }
                if minor {
                    { contact::representative(&form, 3) }
                }
                { situation::situation(&form, 3 + after_rep, &vocab) }
                { consent::consent_section(&form, 4 + after_rep) }
                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
                    <li>{ submit_button("Envoyer le signalement", "Envoi en cours…", form.busy()) }</li>
                </ul>
            </form>
        </div>
        </div>
    }
}

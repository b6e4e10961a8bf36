//! Referrals: the prescriber's list and form, the counsellors' queue, one referral's page.
//! Pieces shared by these pages live here; pieces of one page in its own module.
use api_types::{Referral, Status};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::fields::InputField;
use crate::logic::labels;
use crate::services::referrals::ReferralFilter;

pub mod actions;
pub mod attempts;
pub mod consent_record;
pub mod contact_edit;
pub mod detail;
pub mod diagnostic_form;
pub mod identity_edit;
pub mod list;
pub mod matches;
pub mod new;
pub mod queue;
pub mod relays;
pub mod requests;

pub fn youth_name(r: &Referral) -> String {
    crate::logic::privacy::youth_name(&r.youth.first_name, &r.youth.last_name)
}

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    /// Offer the status filter (the queue has its own views instead).
    #[prop_or_default]
    pub with_status: bool,
    /// The filter typed, on submit (`q` and, with `with_status`, `status`).
    pub onapply: Callback<ReferralFilter>,
}

/// Search by name (and status): applied on submit, so typing does not reload the list.
#[function_component(ReferralFilters)]
pub fn referral_filters(p: &FiltersProps) -> Html {
    let q = use_state(String::new);
    let status = use_state(|| None::<Status>);
    let onsubmit = {
        let (q, status, onapply) = (q.clone(), status.clone(), p.onapply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            onapply.emit(ReferralFilter {
                q: q.trim().to_string(),
                status: *status,
                ..ReferralFilter::default()
            });
        })
    };
    let oninput = {
        let q = q.clone();
        Callback::from(move |v: String| q.set(v))
    };
    let onstatus = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            status.set(labels::status_from_code(&v));
        })
    };
    html! {
        <form class="sas-filters" {onsubmit} role="search" aria-label="Chercher un jeune">
            <InputField id="filtre-nom" label="Nom ou prénom" kind="search" value={(*q).clone()} {oninput} />
            if p.with_status {
                <div class="fr-select-group">
                    <label class="fr-label" for="filtre-statut">{ "Statut" }</label>
                    <select class="fr-select" id="filtre-statut" onchange={onstatus}>
                        <option value="" selected={status.is_none()}>{ "Tous les statuts" }</option>
                        { for labels::STATUSES.iter().map(|s| html! {
                            <option value={labels::status_code(*s)} selected={*status == Some(*s)}>{ labels::status(*s) }</option>
                        }) }
                    </select>
                </div>
            }
            <button class="fr-btn fr-btn--secondary" type="submit">{ "Chercher" }</button>
        </form>
    }
}

//! Administration: structures and accounts (list, creation, edition with `If-Match`), jobs,
//! webhooks, the offer's import, and the privacy operations (`data_requests`, `retention`).
use yew::prelude::*;

use crate::app::Route;
use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::fields::InputField;
use crate::components::link::AppLink;
use crate::logic::admin_forms::REASON_HINT;
use crate::pages::PageTitle;

pub mod data_requests;
pub mod imports;
pub mod jobs;
pub mod retention;
pub mod structure_edit;
pub mod structures;
pub mod user_edit;
pub mod users;
pub mod webhooks;

/// Options of a `<select>`: (value, label).
pub type Options = Vec<(AttrValue, AttrValue)>;

/// "Structures › Modifier « … »".
pub fn breadcrumb(parent: Route, parent_label: &'static str, current: &str) -> Html {
    html! {
        <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
            <ol class="fr-breadcrumb__list">
                <li><AppLink to={parent} classes={classes!("fr-breadcrumb__link")}>{ parent_label }</AppLink></li>
                <li><a class="fr-breadcrumb__link" aria-current="page">{ current.to_string() }</a></li>
            </ol>
        </nav>
    }
}

/// The page of an edition whose resource could not be read (or is being read: `error` none).
pub fn not_loaded(
    title: &'static str,
    error: Option<&str>,
    back: Route,
    back_label: &'static str,
) -> Html {
    match error {
        Some(e) => html! {
            <>
                <PageTitle text={format!("{title} introuvable")} />
                <Alert kind={AlertKind::Error}>{ e.to_string() }</Alert>
                <AppLink to={back} classes={classes!("fr-btn", "fr-btn--secondary")}>{ back_label }</AppLink>
            </>
        },
        None => html! { <><PageTitle text={title} /><Loading /></> },
    }
}

/// The motif every administrative change carries (kept in the administration journal).
pub fn reason_field(
    id: &'static str,
    value: String,
    oninput: Callback<String>,
    error: Option<AttrValue>,
) -> Html {
    html! {
        <InputField id={id} label="Motif" hint={Some(AttrValue::Static(REASON_HINT))}
            {value} {oninput} required=true {error} />
    }
}

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// Accessible name of the search form.
    pub name: AttrValue,
    pub onapply: Callback<String>,
    /// More filters, between the text and the button.
    #[prop_or_default]
    pub children: Html,
}

/// A search form applied on submit.
#[function_component(Search)]
pub fn search(p: &SearchProps) -> Html {
    let q = use_state(String::new);
    let onsubmit = {
        let (q, onapply) = (q.clone(), p.onapply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            onapply.emit(q.trim().to_string());
        })
    };
    let oninput = {
        let q = q.clone();
        Callback::from(move |v: String| q.set(v))
    };
    html! {
        <form class="sas-filters" {onsubmit} role="search" aria-label={p.name.clone()}>
            <InputField id={p.id.clone()} label={p.label.clone()} kind="search" value={(*q).clone()} {oninput} />
            { p.children.clone() }
            <button class="fr-btn fr-btn--secondary" type="submit">{ "Chercher" }</button>
        </form>
    }
}

//! Alerts, error summaries and loading states.
use yew::prelude::*;

use crate::hooks::use_focus_on_change;
use crate::platform;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Error,
    Success,
    Info,
    Warning,
}

#[derive(Properties, PartialEq)]
pub struct AlertProps {
    pub kind: AlertKind,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
    /// Small alert (no title).
    #[prop_or_default]
    pub small: bool,
}

/// A DSFR alert; errors are announced (`role="alert"`), others politely (`role="status"`).
#[function_component(Alert)]
pub fn alert(p: &AlertProps) -> Html {
    let (class, role) = match p.kind {
        AlertKind::Error => ("fr-alert--error", "alert"),
        AlertKind::Success => ("fr-alert--success", "status"),
        AlertKind::Info => ("fr-alert--info", "status"),
        AlertKind::Warning => ("fr-alert--warning", "status"),
    };
    html! {
        <div class={classes!("fr-alert", class, p.small.then_some("fr-alert--sm"), "fr-mb-3w")} role={role} id={p.id.clone()} tabindex="-1">
            if let Some(t) = &p.title {
                <h2 class="fr-alert__title">{ t.clone() }</h2>
            }
            <div>{ p.children.clone() }</div>
        </div>
    }
}

/// One entry of an error summary: the field's id, its label, the message.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryItem {
    pub id: String,
    pub label: String,
    pub message: String,
}

#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    pub items: Vec<SummaryItem>,
    /// A general problem to show above the list (network, conflict…).
    #[prop_or_default]
    pub general: Option<AttrValue>,
    /// Changes at each refused submit: the summary then takes the keyboard focus.
    #[prop_or_default]
    pub focus_key: u32,
    /// Its id, when the form can be on the page with another one ([`SUMMARY_ID`] otherwise).
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

pub const SUMMARY_ID: &str = "resume-erreurs";

/// The error summary at the top of a form: each entry links to (and focuses) its field.
#[function_component(ErrorSummary)]
pub fn error_summary(p: &ErrorSummaryProps) -> Html {
    let id = p.id.clone().unwrap_or(AttrValue::Static(SUMMARY_ID));
    use_focus_on_change(id.clone(), p.focus_key);
    if p.items.is_empty() && p.general.is_none() {
        return html! {};
    }
    let title = match p.items.len() {
        0 => "Le formulaire n’a pas pu être envoyé".to_string(),
        1 => "Le formulaire contient une erreur".to_string(),
        n => format!("Le formulaire contient {n} erreurs"),
    };
    html! {
        <div class="fr-alert fr-alert--error fr-mb-4w" id={id.clone()} tabindex="-1" role="alert" aria-labelledby={format!("{id}-titre")}>
            <h2 class="fr-alert__title" id={format!("{id}-titre")}>{ title }</h2>
            if let Some(g) = &p.general {
                <p>{ g.clone() }</p>
            }
            if !p.items.is_empty() {
                <ul class="fr-mt-1w">
                    { for p.items.iter().map(|i| {
                        let id = i.id.clone();
                        let onclick = Callback::from(move |e: MouseEvent| {
                            e.prevent_default();
                            platform::focus(&id);
                        });
                        html! {
                            <li><a href={format!("#{}", i.id)} {onclick}>{ format!("{} : {}", i.label, i.message) }</a></li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    #[prop_or(AttrValue::Static("Chargement…"))]
    pub text: AttrValue,
}

#[function_component(Loading)]
pub fn loading(p: &LoadingProps) -> Html {
    html! { <p class="fr-text--sm sas-loading" role="status">{ p.text.clone() }</p> }
}

/// A form's submit button; `busy_label` shows while the request is out. While busy it stays
/// focusable (`aria-disabled`, not `disabled`, which would drop the keyboard focus to the page
/// body) and the form ignores a second submit.
pub fn submit_button(label: &str, busy_label: &str, busy: bool) -> Html {
    html! {
        <button class="fr-btn" type="submit" aria-disabled={busy.then_some("true")}>
            { if busy { busy_label.to_string() } else { label.to_string() } }
        </button>
    }
}

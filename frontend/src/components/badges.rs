//! Status badges and exit-date countdowns.
use api_types::Status;
use yew::prelude::*;

use crate::logic::{format, labels};

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub status: Status,
}

#[function_component(StatusBadge)]
pub fn status_badge(p: &StatusProps) -> Html {
    html! {
        <span class={classes!("fr-badge", "fr-badge--sm", "fr-badge--no-icon", labels::status_badge(p.status))}>
            { labels::status(p.status) }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    pub days: Option<i64>,
    pub urgent: bool,
}

/// "Urgent · J-12": short for the eye, spelled out for screen readers.
#[function_component(Countdown)]
pub fn countdown(p: &CountdownProps) -> Html {
    html! {
        <span class="sas-countdown">
            if p.urgent {
                <span class="fr-badge fr-badge--sm fr-badge--error">{ "Urgent" }</span>
            }
            if let Some(d) = p.days {
                <span aria-hidden="true" class="sas-countdown__days">{ format::countdown_short(d) }</span>
                <span class="fr-sr-only">{ format::countdown_long(d) }</span>
            } else {
                <span class="fr-text--xs sas-muted">{ "Sans date de fin" }</span>
            }
        </span>
    }
}

//! Commune autocomplete (ARIA 1.2 combobox with a listbox): type a name or a postal code,
//! pick with the mouse or the arrow keys and Enter.
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use api_types::Commune;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::logic::referral_form::CommuneChoice;
use crate::services::reference;

pub fn choice_of(c: &Commune) -> CommuneChoice {
    let name = c.name.clone();
    let label = match c.postal_codes.first() {
        Some(pc) => format!("{name} ({pc})"),
        None => format!("{name} ({})", c.departement),
    };
    CommuneChoice {
        insee: c.insee.clone(),
        label,
        served: c.territory_id.is_some(),
    }
}

#[derive(Properties, PartialEq)]
pub struct CommuneProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: Option<CommuneChoice>,
    pub onselect: Callback<Option<CommuneChoice>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    /// Warn when the commune is served by no SAS team (referrals need one).
    #[prop_or_default]
    pub warn_unserved: bool,
}

#[function_component(CommuneField)]
pub fn commune_field(p: &CommuneProps) -> Html {
    let text = use_state(|| {
        p.value
            .as_ref()
            .map(|c| c.label.clone())
            .unwrap_or_default()
    });
    let results = use_state(Vec::<Commune>::new);
    let open = use_state(|| false);
    let active = use_state(|| None::<usize>);
    let searching = use_state(|| false);
    let seq = use_mut_ref(|| Cell::new(0u32));
    let list_id = format!("{}-liste", p.id);
    let status_id = format!("{}-statut", p.id);

    let oninput = {
        let (text, results, open, active, searching, seq, onselect) = (
            text.clone(),
            results.clone(),
            open.clone(),
            active.clone(),
            searching.clone(),
            seq.clone(),
            p.onselect.clone(),
        );
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            text.set(v.clone());
            onselect.emit(None);
            active.set(None);
            let n = seq.borrow().get().wrapping_add(1);
            seq.borrow().set(n);
            if v.trim().chars().count() < 2 {
                results.set(Vec::new());
                open.set(false);
                return;
            }
            let (results, open, searching, seq) = (
                results.clone(),
                open.clone(),
                searching.clone(),
                seq.clone(),
            );
            searching.set(true);
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(Duration::from_millis(200)).await;
                if seq.borrow().get() != n {
                    return;
                }
                let found = reference::search_communes(&v, 8).await;
                if seq.borrow().get() != n {
                    return;
                }
                searching.set(false);
                let items = found.unwrap_or_default();
                open.set(true);
                results.set(items);
            });
        })
    };

    let select = {
        let (text, results, open, active, onselect) = (
            text.clone(),
            results.clone(),
            open.clone(),
            active.clone(),
            p.onselect.clone(),
        );
        Rc::new(move |i: usize| {
            if let Some(c) = results.get(i) {
                let choice = choice_of(c);
                text.set(choice.label.clone());
                onselect.emit(Some(choice));
            }
            open.set(false);
            active.set(None);
        })
    };

    let onkeydown = {
        let (results, open, active, select) = (
            results.clone(),
            open.clone(),
            active.clone(),
            select.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let n = results.len();
            match e.key().as_str() {
                "ArrowDown" if n > 0 => {
                    e.prevent_default();
                    open.set(true);
                    active.set(Some(active.map(|i| (i + 1) % n).unwrap_or(0)));
                }
                "ArrowUp" if n > 0 => {
                    e.prevent_default();
                    open.set(true);
                    active.set(Some(active.map(|i| (i + n - 1) % n).unwrap_or(n - 1)));
                }
                "Enter" if *open => {
                    if let Some(i) = *active {
                        e.prevent_default();
                        select(i);
                    } else if n == 1 {
                        e.prevent_default();
                        select(0);
                    }
                }
                "Escape" if *open => {
                    e.prevent_default();
                    open.set(false);
                    active.set(None);
                }
                _ => {}
            }
        })
    };

    let onblur = {
        let open = open.clone();
        Callback::from(move |_: FocusEvent| open.set(false))
    };

    let expanded = *open && !results.is_empty();
    let err = p.error.is_some();
    let unserved = p.warn_unserved && p.value.as_ref().is_some_and(|c| !c.served) && !err;
    let status_text = if *searching {
        "Recherche…".to_string()
    } else if *open {
        match results.len() {
            0 => "Aucune commune ne correspond.".to_string(),
            1 => "1 commune proposée : flèche bas pour la choisir.".to_string(),
            n => format!(
                "{n} communes proposées : flèches haut et bas pour choisir, Entrée pour valider."
            ),
        }
    } else {
        String::new()
    };
    let mut describedby = vec![format!("{}-hint", p.id)];
    if err {
        describedby.push(format!("{}-error", p.id));
    }

    html! {
        <div class={classes!("fr-input-group", "sas-combobox", err.then_some("fr-input-group--error"))}>
            <label class="fr-label" for={p.id.clone()}>
                { p.label.clone() }
                <span class="fr-hint-text" id={format!("{}-hint", p.id)}>{ "Tapez au moins 2 lettres du nom ou le code postal, puis choisissez dans la liste." }</span>
            </label>
            <input
                class={classes!("fr-input", err.then_some("fr-input--error"))}
                id={p.id.clone()}
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-expanded={if expanded { "true" } else { "false" }}
                aria-controls={list_id.clone()}
                aria-activedescendant={active.filter(|_| expanded).map(|i| format!("{}-option-{i}", p.id))}
                aria-invalid={err.then_some("true")}
                aria-describedby={describedby.join(" ")}
                required={p.required}
                value={(*text).clone()}
                {oninput}
                {onkeydown}
                {onblur}
            />
            <ul id={list_id} role="listbox" aria-label={p.label.clone()} class="sas-combobox__list" hidden={!expanded}>
                { for results.iter().enumerate().map(|(i, c)| {
                    let choice = choice_of(c);
                    let select = select.clone();
                    let onmousedown = Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        select(i);
                    });
                    let is_active = *active == Some(i);
                    html! {
                        <li id={format!("{}-option-{i}", p.id)} role="option"
                            aria-selected={if is_active { "true" } else { "false" }}
                            class={classes!("sas-combobox__option", is_active.then_some("sas-combobox__option--active"))}
                            {onmousedown}>
                            { choice.label.clone() }
                            if !choice.served {
                                <span class="sas-combobox__note">{ " — non couverte par SAS" }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            <p id={status_id} class="fr-sr-only" aria-live="polite">{ status_text }</p>
            if let Some(e) = &p.error {
                <p class="fr-error-text" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            }
            if unserved {
                <p class="fr-message fr-message--warning fr-mt-1w">{ "Cette commune n’est couverte par aucune équipe SAS pour le moment : le signalement ne pourra pas être envoyé." }</p>
            }
        </div>
    }
}

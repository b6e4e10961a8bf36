//! Picker of needs (data·inclusion thematiques): selected ones as removable tags, the others
//! grouped by family in disclosure sections, with a filter that ignores accents.
use api_types::VocabularyEntry;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::logic::thematiques::{filter, group, label_of};

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub id: AttrValue,
    pub vocabulary: Vec<VocabularyEntry>,
    pub selected: Vec<String>,
    pub ontoggle: Callback<(String, bool)>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(ThematiquesPicker)]
pub fn thematiques_picker(p: &PickerProps) -> Html {
    let query = use_state(String::new);
    let families = use_memo(p.vocabulary.clone(), |v| group(v));
    let shown = filter(&families, &query);
    let filtering = !query.trim().is_empty();
    let err = p.error.is_some();

    let onfilter = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    html! {
        <fieldset class={classes!("fr-fieldset", err.then_some("fr-fieldset--error"))} id={p.id.clone()} tabindex="-1"
            aria-labelledby={format!("{}-legend", p.id)}>
            <legend class="fr-fieldset__legend" id={format!("{}-legend", p.id)}>
                { "Besoins repérés (facultatif)" }
                <span class="fr-hint-text">{ "Ce que le jeune a exprimé ou que vous avez repéré. N’indiquez aucun détail médical ou judiciaire." }</span>
            </legend>
            <div class="fr-fieldset__element">
                if p.selected.is_empty() {
                    <p class="fr-text--sm sas-muted" id={format!("{}-selection", p.id)}>{ "Aucun besoin choisi." }</p>
                } else {
                    <p class="fr-text--sm fr-mb-1w" id={format!("{}-selection", p.id)}>
                        { format!("{} besoin{} choisi{} :", p.selected.len(), if p.selected.len() > 1 { "s" } else { "" }, if p.selected.len() > 1 { "s" } else { "" }) }
                    </p>
                    <ul class="fr-tags-group">
                        { for p.selected.iter().map(|code| {
                            let label = label_of(&p.vocabulary, code).to_string();
                            let ontoggle = p.ontoggle.clone();
                            let c = code.clone();
                            let onclick = Callback::from(move |_: MouseEvent| ontoggle.emit((c.clone(), false)));
                            html! {
                                <li>
                                    <button type="button" class="fr-tag fr-tag--sm fr-tag--dismiss" aria-label={format!("Retirer {label}")} {onclick}>
                                        { label.clone() }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                }
            </div>
            <div class="fr-fieldset__element">
                <div class="fr-input-group">
                    <label class="fr-label" for={format!("{}-filtre", p.id)}>
                        { "Filtrer la liste des besoins" }
                        <span class="fr-hint-text">{ "Par exemple : logement, permis, santé" }</span>
                    </label>
                    <input class="fr-input" type="search" id={format!("{}-filtre", p.id)} value={(*query).clone()} oninput={onfilter} autocomplete="off" />
                </div>
            </div>
            <div class="fr-fieldset__element sas-picker">
                if shown.is_empty() {
                    <p class="fr-text--sm" role="status">{ "Aucun besoin ne correspond à ce filtre." }</p>
                }
                { for shown.iter().map(|fam| {
                    let picked = fam.items.iter().filter(|e| p.selected.contains(&e.value)).count();
                    html! {
                        <details class="sas-picker__family" open={filtering}>
                            <summary class="sas-picker__summary">
                                { fam.label.clone() }
                                if picked > 0 {
                                    <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1w">{ format!("{picked} choisi{}", if picked > 1 { "s" } else { "" }) }</span>
                                }
                            </summary>
                            <div class="sas-picker__items">
                                { for fam.items.iter().map(|e| {
                                    let checked = p.selected.contains(&e.value);
                                    let ontoggle = p.ontoggle.clone();
                                    let code = e.value.clone();
                                    let onchange = Callback::from(move |ev: Event| {
                                        ontoggle.emit((code.clone(), ev.target_unchecked_into::<HtmlInputElement>().checked()))
                                    });
                                    let id = format!("{}-{}", p.id, e.value);
                                    html! {
                                        <div class="fr-checkbox-group fr-checkbox-group--sm">
                                            <input type="checkbox" id={id.clone()} {checked} {onchange} />
                                            <label class="fr-label" for={id}>{ e.label.clone() }</label>
                                        </div>
                                    }
                                }) }
                            </div>
                        </details>
                    }
                }) }
            </div>
            if let Some(e) = &p.error {
                <div class="fr-messages-group" id={format!("{}-error", p.id)}>
                    <p class="fr-message fr-message--error">{ e.clone() }</p>
                </div>
            }
        </fieldset>
    }
}

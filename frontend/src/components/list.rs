//! The frame every list page shares: error, first load, empty state, the rows, "more".
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::hooks::PagedList;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListTexts {
    /// Title of the empty state.
    pub empty_title: &'static str,
    pub empty_text: &'static str,
    /// Label of the button that loads the next page.
    pub more: &'static str,
}

/// `rows` draws the loaded rows (usually with `components::table::data_table`).
pub fn list_view<T: Clone + 'static>(
    list: &PagedList<T>,
    texts: ListTexts,
    rows: impl FnOnce(&[T]) -> Html,
) -> Html {
    let more = {
        let cb = list.more.clone();
        let loading = list.loading;
        Callback::from(move |_: MouseEvent| {
            if !loading {
                cb.emit(())
            }
        })
    };
    html! {
        <>
            if let Some(e) = &list.error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            if list.first_load() {
                <Loading />
            } else if list.is_empty() {
                <div class="fr-callout">
                    <h2 class="fr-callout__title">{ texts.empty_title }</h2>
                    <p class="fr-callout__text">{ texts.empty_text }</p>
                </div>
            } else if !list.items.is_empty() {
                { rows(&list.items) }
                if list.next.is_some() {
                    <button class="fr-btn fr-btn--secondary" type="button" onclick={more}
                        aria-disabled={list.loading.then_some("true")}>{ texts.more }</button>
                }
            }
        </>
    }
}

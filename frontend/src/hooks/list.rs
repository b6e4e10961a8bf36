//! `use_paged_list`: the rows of a list endpoint for a filter, with "more" and "reload".
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::logic::list::{ListAction, ListState, Paged};
use crate::services::ApiError;

struct Rows<T>(ListState<T>);

impl<T: Clone + 'static> Reducible for Rows<T> {
    type Action = ListAction<T>;
    fn reduce(self: Rc<Self>, action: ListAction<T>) -> Rc<Self> {
        Rc::new(Rows(self.0.apply(action)))
    }
}

/// A list on screen: its state, and what the page can ask of it.
pub struct PagedList<T: Clone + 'static> {
    state: UseReducerHandle<Rows<T>>,
    /// Loads the next page (no-op on the last one).
    pub more: Callback<()>,
    /// Loads the first page again with the same filter (after an action changed the rows).
    pub reload: Callback<()>,
}

impl<T: Clone + 'static> std::ops::Deref for PagedList<T> {
    type Target = ListState<T>;
    fn deref(&self) -> &ListState<T> {
        &self.state.0
    }
}

/// The rows of `fetch(filter, cursor)`: the first page is fetched whenever `filter` changes;
/// answers to superseded requests are dropped (a quick change of filter never shows stale
/// rows).
#[hook]
pub fn use_paged_list<Q, T, F, Fut>(filter: Q, fetch: F) -> PagedList<T>
where
    Q: Clone + PartialEq + 'static,
    T: Clone + 'static,
    F: Fn(Q, Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<Paged<T>, ApiError>> + 'static,
{
    let state = use_reducer(|| Rows(ListState::default()));
    let seq = use_mut_ref(|| 0u32);
    let reloads = use_state(|| 0u32);
    let fetch = use_memo((), move |_| Rc::new(fetch));
    // What "more" needs at the time it is clicked: the filter shown and the next cursor.
    let current = use_mut_ref(|| filter.clone());
    *current.borrow_mut() = filter.clone();

    let load = {
        let (state, seq, fetch) = (state.dispatcher(), seq.clone(), (*fetch).clone());
        Rc::new(move |q: Q, cursor: Option<String>| {
            let n = {
                let mut s = seq.borrow_mut();
                *s = s.wrapping_add(1);
                *s
            };
            state.dispatch(ListAction::Sent { seq: n });
            let (state, fetch) = (state.clone(), fetch.clone());
            let append = cursor.is_some();
            yew::platform::spawn_local(async move {
                match fetch(q, cursor).await {
                    Ok(page) => state.dispatch(ListAction::Loaded {
                        seq: n,
                        append,
                        page,
                    }),
                    Err(e) => state.dispatch(ListAction::Failed {
                        seq: n,
                        message: e.message(),
                    }),
                }
            });
        })
    };

    {
        let load = load.clone();
        use_effect_with((filter, *reloads), move |(q, _)| load(q.clone(), None));
    }

    let more = {
        let (load, current, state) = (load.clone(), current.clone(), state.clone());
        Callback::from(move |_: ()| {
            if let Some(cursor) = state.0.next.clone() {
                load(current.borrow().clone(), Some(cursor));
            }
        })
    };
    let reload = {
        let reloads = reloads.clone();
        Callback::from(move |_: ()| reloads.set(*reloads + 1))
    };
    PagedList {
        state,
        more,
        reload,
    }
}

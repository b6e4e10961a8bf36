//! `use_form`: a form's values, errors and submit, over `logic::form` (the pure transitions).
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::components::feedback::SummaryItem;
use crate::logic::form::{Errors, FormAction, FormField, FormModel, FormState, IdScope};
use crate::services::ApiError;

struct State<M: FormModel>(FormState<M>);

impl<M: FormModel> PartialEq for State<M> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<M: FormModel> Reducible for State<M> {
    type Action = FormAction<M>;
    fn reduce(self: Rc<Self>, action: FormAction<M>) -> Rc<Self> {
        Rc::new(State(self.0.apply(action)))
    }
}

/// A form on screen. Edits go through a reducer, so quick successive edits never overwrite
/// each other.
pub struct Form<M: FormModel> {
    state: UseReducerHandle<State<M>>,
}

impl<M: FormModel> Clone for Form<M> {
    fn clone(&self) -> Self {
        Form {
            state: self.state.clone(),
        }
    }
}

/// Sections of a form receive it as a prop: they render again when the form changes.
impl<M: FormModel> PartialEq for Form<M> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl<M: FormModel> Form<M> {
    pub fn values(&self) -> &M {
        &self.state.0.values
    }

    pub fn busy(&self) -> bool {
        self.state.0.busy
    }

    /// Changes the value of `field`.
    pub fn edit(&self, field: M::Field, change: impl FnOnce(&mut M) + 'static) {
        self.state
            .dispatch(FormAction::Edit(field, Box::new(change)));
    }

    /// The `oninput` of a text field.
    pub fn text(&self, field: M::Field, set: fn(&mut M, String)) -> Callback<String> {
        let form = self.clone();
        Callback::from(move |v: String| form.edit(field, move |m| set(m, v)))
    }

    /// The `onchange` of a checkbox.
    pub fn flag(&self, field: M::Field, set: fn(&mut M, bool)) -> Callback<bool> {
        let form = self.clone();
        Callback::from(move |v: bool| form.edit(field, move |m| set(m, v)))
    }

    /// Replaces the values (read from the API).
    pub fn load(&self, values: M) {
        self.state.dispatch(FormAction::Load(values));
    }

    /// The error of a field, for its `error` prop.
    pub fn error(&self, field: M::Field) -> Option<AttrValue> {
        self.state
            .0
            .errors
            .get(field)
            .map(|m| AttrValue::from(m.to_string()))
    }

    /// The entries of the error summary, in field order.
    pub fn summary(&self) -> Vec<SummaryItem> {
        self.summary_in(&IdScope::default())
    }

    /// The same for an instance of the form whose ids are in `scope`.
    pub fn summary_in(&self, scope: &IdScope) -> Vec<SummaryItem> {
        self.state
            .0
            .errors
            .iter()
            .map(|(f, m)| SummaryItem {
                id: scope.field(f),
                label: f.label().to_string(),
                message: m.to_string(),
            })
            .collect()
    }

    pub fn general(&self) -> Option<AttrValue> {
        self.state.0.general.clone().map(AttrValue::from)
    }

    /// Changes each time a submit is refused: the error summary takes the focus then.
    pub fn refusals(&self) -> u32 {
        self.state.0.refusals
    }

    /// The form's `onsubmit`: `build` turns valid values into a request body (or the errors),
    /// `send` sends it, `done` runs on success (navigation, message). Field errors of the API
    /// land on their fields; other failures above the form.
    pub fn submit<B, T, Fut>(
        &self,
        build: impl Fn(&M, &M::Context) -> Result<B, Errors<M::Field>> + 'static,
        send: impl Fn(B) -> Fut + 'static,
        done: impl Fn(T) + 'static,
    ) -> Callback<SubmitEvent>
    where
        B: 'static,
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let state = self.state.clone();
        let send = Rc::new(send);
        let done = Rc::new(done);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let s = &state.0;
            if s.busy {
                return;
            }
            let body = match build(&s.values, &s.ctx) {
                Ok(b) => b,
                Err(errors) => return state.dispatch(FormAction::Invalid(errors)),
            };
            state.dispatch(FormAction::Sending);
            let (dispatcher, send, done) = (state.dispatcher(), send.clone(), done.clone());
            yew::platform::spawn_local(async move {
                match send(body).await {
                    Ok(v) => {
                        dispatcher.dispatch(FormAction::Sent);
                        done(v);
                    }
                    Err(ApiError::Validation { fields, .. }) if !fields.is_empty() => {
                        dispatcher.dispatch(FormAction::Rejected(fields))
                    }
                    Err(e) => dispatcher.dispatch(FormAction::Failed(e.message())),
                }
            });
        })
    }
}

/// A form starting from `init`, checked with `ctx`.
#[hook]
pub fn use_form<M: FormModel>(init: impl FnOnce() -> M, ctx: M::Context) -> Form<M> {
    let state = use_reducer(move || State(FormState::new(init(), ctx)));
    Form { state }
}

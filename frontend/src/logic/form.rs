//! The state of a form (values as typed, field errors, general error, busy flag) and its
//! transitions, shared by every form of the SPA through `hooks::use_form`.
//!
//! A form describes itself with [`FormModel`] (its fields, its client-side checks, where the
//! API's field errors go). Errors appear on submit; afterwards each one disappears as soon as
//! its field becomes valid, and the error summary with them.
use api_types::FieldError;

/// A field of a form: where it is in the page and how the error summary names it.
pub trait FormField: Copy + Eq + Ord + std::fmt::Debug + 'static {
    /// The `id` of its input (or fieldset) in the page: summary links point to it.
    fn id(self) -> &'static str;
    /// Its name in the error summary.
    fn label(self) -> &'static str;
    /// The group it belongs to (a phone inside "one way to reach them"): editing the field
    /// counts as editing the group.
    fn group(self) -> Option<Self> {
        None
    }
}

/// Who found an error: the form's own checks, or the API (rules the form cannot check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Form,
    Api,
}

/// Field errors, one per field, in the order of the fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Errors<F> {
    items: Vec<(F, String, Origin)>,
}

impl<F> Default for Errors<F> {
    fn default() -> Self {
        Errors { items: Vec::new() }
    }
}

impl<F: FormField> Errors<F> {
    pub fn new() -> Errors<F> {
        Errors::default()
    }

    fn insert(&mut self, field: F, message: String, origin: Origin) {
        if !self.items.iter().any(|(f, _, _)| *f == field) {
            self.items.push((field, message, origin));
            self.items.sort_by_key(|(f, _, _)| *f);
        }
    }

    /// Adds an error found by the form (the first one of a field wins).
    pub fn add(&mut self, field: F, message: impl Into<String>) {
        self.insert(field, message.into(), Origin::Form);
    }

    /// Adds an error the API reported.
    pub fn add_api(&mut self, field: F, message: impl Into<String>) {
        self.insert(field, message.into(), Origin::Api);
    }

    pub fn get(&self, field: F) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, m, _)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (F, &str)> {
        self.items.iter().map(|(f, m, _)| (*f, m.as_str()))
    }

    /// The errors still standing after an edit of `edited`, given what the form's checks
    /// (`fresh`) now find: a field the checks pass loses its error; an API error stays until
    /// its own field is edited (only the API can say whether it is fixed); no new error
    /// appears while typing.
    fn refreshed(&self, fresh: &Errors<F>, edited: F) -> Errors<F> {
        let mut out = Errors::new();
        for (f, m, origin) in &self.items {
            match fresh.get(*f) {
                Some(now) => out.insert(*f, now.to_string(), Origin::Form),
                None if *origin == Origin::Api && *f != edited && edited.group() != Some(*f) => {
                    out.insert(*f, m.clone(), Origin::Api)
                }
                None => {}
            }
        }
        out
    }
}

/// What a form is: its values, their checks, and where the API's field errors go.
pub trait FormModel: Clone + PartialEq + 'static {
    type Field: FormField;
    /// What the checks need besides the values (today, creation or edition…).
    type Context: Clone + PartialEq + 'static;

    /// The client-side checks (mirrors of the API's rules).
    fn validate(&self, ctx: &Self::Context) -> Errors<Self::Field>;

    /// The field an API field error belongs to, and the French message to show there.
    fn api_error(e: &FieldError) -> (Self::Field, String);
}

#[derive(Clone, PartialEq)]
pub struct FormState<M: FormModel> {
    pub values: M,
    pub ctx: M::Context,
    pub errors: Errors<M::Field>,
    /// A problem that belongs to no field (network, conflict…).
    pub general: Option<String>,
    /// A request is out: the submit button says so and a second submit is ignored.
    pub busy: bool,
    /// Submits refused so far: each one moves the focus to the error summary.
    pub refusals: u32,
}

pub enum FormAction<M: FormModel> {
    /// The user changed `field` (the closure applies the change to the latest values).
    Edit(M::Field, Box<dyn FnOnce(&mut M)>),
    /// Values read from the API (edition of an existing resource).
    Load(M),
    /// Submit refused by the form's checks.
    Invalid(Errors<M::Field>),
    /// Submit accepted by the form: the request is out.
    Sending,
    /// The API refused fields.
    Rejected(Vec<FieldError>),
    /// The request failed otherwise (the message is shown above the form).
    Failed(String),
    /// The request succeeded.
    Sent,
}

impl<M: FormModel> FormState<M> {
    pub fn new(values: M, ctx: M::Context) -> FormState<M> {
        FormState {
            values,
            ctx,
            errors: Errors::new(),
            general: None,
            busy: false,
            refusals: 0,
        }
    }

    pub fn apply(&self, action: FormAction<M>) -> FormState<M> {
        let mut s = self.clone();
        match action {
            FormAction::Edit(field, edit) => {
                edit(&mut s.values);
                if !s.errors.is_empty() {
                    s.errors = s.errors.refreshed(&s.values.validate(&s.ctx), field);
                }
            }
            FormAction::Load(values) => {
                s.values = values;
                s.errors = Errors::new();
            }
            FormAction::Invalid(errors) => {
                s.errors = errors;
                s.general = None;
                s.refusals += 1;
            }
            FormAction::Sending => {
                s.errors = Errors::new();
                s.general = None;
                s.busy = true;
            }
            FormAction::Rejected(fields) => {
                let mut e = Errors::new();
                for f in &fields {
                    let (field, message) = M::api_error(f);
                    e.add_api(field, message);
                }
                s.errors = e;
                s.busy = false;
                s.refusals += 1;
            }
            FormAction::Failed(message) => {
                s.general = Some(message);
                s.busy = false;
                s.refusals += 1;
            }
            FormAction::Sent => s.busy = false,
        }
        s
    }
}

/// The element ids of one instance of a form that can be on the page more than once (two
/// consent forms, one answer form per relay): every id of the instance is its form's own id
/// behind the instance's prefix, so no two elements of the page share an id. The empty
/// scope keeps the form's own ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdScope(String);

impl IdScope {
    /// `prefix` is made of letters, digits and dashes (an id, or part of one).
    pub fn new(prefix: impl Into<String>) -> IdScope {
        IdScope(prefix.into())
    }

    /// The id of the element called `local` in the form.
    pub fn id(&self, local: &str) -> String {
        if self.0.is_empty() {
            local.to_string()
        } else {
            format!("{}-{local}", self.0)
        }
    }

    /// The id of a field's input (or fieldset): what its summary link points to.
    pub fn field<F: FormField>(&self, f: F) -> String {
        self.id(f.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum F {
        Name,
        Email,
        Other,
    }

    impl FormField for F {
        fn id(self) -> &'static str {
            match self {
                F::Name => "name",
                F::Email => "email",
                F::Other => "form",
            }
        }
        fn label(self) -> &'static str {
            self.id()
        }
    }

    #[derive(Debug, Clone, PartialEq, Default)]
    struct Person {
        name: String,
        email: String,
    }

    impl FormModel for Person {
        type Field = F;
        type Context = usize;
        fn validate(&self, min_name: &usize) -> Errors<F> {
            let mut e = Errors::new();
            if self.name.chars().count() < *min_name {
                e.add(F::Name, format!("{} lettres au moins", min_name));
            }
            if !self.email.contains('@') {
                e.add(F::Email, "courriel invalide");
            }
            e
        }
        fn api_error(e: &FieldError) -> (F, String) {
            let f = match e.field.as_str() {
                "name" => F::Name,
                "email" => F::Email,
                _ => F::Other,
            };
            (f, format!("API: {}", e.code))
        }
    }

    fn edit(s: &FormState<Person>, f: F, v: &str) -> FormState<Person> {
        let v = v.to_string();
        s.apply(FormAction::Edit(
            f,
            Box::new(move |p: &mut Person| match f {
                F::Name => p.name = v,
                _ => p.email = v,
            }),
        ))
    }

    fn submitted_empty() -> FormState<Person> {
        let s = FormState::new(Person::default(), 2);
        let errors = s.values.validate(&s.ctx);
        s.apply(FormAction::Invalid(errors))
    }

    #[test]
    fn errors_wait_for_the_submit() {
        let s = FormState::new(Person::default(), 2);
        let s = edit(&s, F::Name, "x");
        assert!(s.errors.is_empty(), "no error while typing before a submit");
        let s = s.apply(FormAction::Invalid(s.values.validate(&s.ctx)));
        assert_eq!(s.errors.len(), 2);
        assert_eq!(s.refusals, 1);
    }

    #[test]
    fn each_error_goes_when_its_field_becomes_valid_and_the_summary_with_them() {
        let s = submitted_empty();
        let order: Vec<F> = s.errors.iter().map(|(f, _)| f).collect();
        assert_eq!(order, vec![F::Name, F::Email]);
        let s = edit(&s, F::Name, "L");
        assert_eq!(
            s.errors.get(F::Name),
            Some("2 lettres au moins"),
            "still too short"
        );
        let s = edit(&s, F::Name, "Léa");
        assert_eq!(s.errors.get(F::Name), None);
        assert_eq!(s.errors.len(), 1);
        let s = edit(&s, F::Email, "lea@exemple.fr");
        assert!(s.errors.is_empty(), "a complete form has no summary left");
        // Breaking a field again shows nothing until the next submit.
        let s = edit(&s, F::Name, "");
        assert!(s.errors.is_empty());
    }

    #[test]
    fn api_errors_stay_until_their_field_is_edited() {
        let s = FormState::new(
            Person {
                name: "Léa".into(),
                email: "lea@exemple.fr".into(),
            },
            2,
        )
        .apply(FormAction::Sending);
        assert!(s.busy);
        let s = s.apply(FormAction::Rejected(vec![
            FieldError::new("email", "email_taken", "x"),
            FieldError::new("somewhere", "odd", "x"),
        ]));
        assert!(!s.busy);
        assert_eq!(s.errors.get(F::Email), Some("API: email_taken"));
        assert_eq!(s.errors.get(F::Other), Some("API: odd"));
        let s = edit(&s, F::Name, "Léana");
        assert_eq!(
            s.errors.len(),
            2,
            "editing another field keeps the API's word"
        );
        let s = edit(&s, F::Email, "lea2@exemple.fr");
        assert_eq!(s.errors.get(F::Email), None);
        assert_eq!(s.errors.get(F::Other), Some("API: odd"));
        // An edit that the form's own checks refuse shows the form's message instead.
        let s = s.apply(FormAction::Rejected(vec![FieldError::new(
            "email", "x", "x",
        )]));
        let s = edit(&s, F::Email, "plus de domaine");
        assert_eq!(s.errors.get(F::Email), Some("courriel invalide"));
    }

    #[test]
    fn failures_and_refusals_count_for_the_focus_and_loading_resets() {
        let s = submitted_empty().apply(FormAction::Sending);
        assert!(s.errors.is_empty() && s.general.is_none());
        let s = s.apply(FormAction::Failed("Le service ne répond pas.".into()));
        assert_eq!(s.general.as_deref(), Some("Le service ne répond pas."));
        assert_eq!(s.refusals, 2);
        assert!(!s.busy);
        let s = s.apply(FormAction::Sending).apply(FormAction::Sent);
        assert!(!s.busy && s.general.is_none());
        let s = s.apply(FormAction::Invalid(s.values.validate(&s.ctx)));
        let s = s.apply(FormAction::Load(Person {
            name: "Awa".into(),
            email: "awa@sas.fr".into(),
        }));
        assert!(s.errors.is_empty());
        assert_eq!(s.values.name, "Awa");
    }

    #[test]
    fn an_id_scope_prefixes_every_id_and_the_empty_one_keeps_them() {
        assert_eq!(IdScope::default().field(F::Name), "name");
        assert_eq!(IdScope::new("relais").field(F::Email), "relais-email");
        assert_eq!(IdScope::new("a-1").id("titre"), "a-1-titre");
    }
}

//! Form fields in DSFR markup: label, hint, error message tied by `aria-describedby`.
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

fn describedby(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut v = Vec::new();
    if hint {
        v.push(format!("{id}-hint"));
    }
    if error {
        v.push(format!("{id}-error"));
    }
    (!v.is_empty()).then(|| v.join(" "))
}

#[derive(Properties, PartialEq)]
pub struct InputProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub disabled: bool,
    /// Invalid because of a message shown elsewhere (`described_by`), not under the field.
    #[prop_or_default]
    pub invalid: bool,
    /// The id of that message.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
}

#[function_component(InputField)]
pub fn input_field(p: &InputProps) -> Html {
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let err = p.error.is_some() || p.invalid;
    let mut described = describedby(&p.id, p.hint.is_some(), p.error.is_some());
    if let Some(extra) = &p.described_by {
        described = Some(match described {
            Some(d) => format!("{d} {extra}"),
            None => extra.to_string(),
        });
    }
    html! {
        <div class={classes!("fr-input-group", err.then_some("fr-input-group--error"), p.disabled.then_some("fr-input-group--disabled"))}>
            <label class="fr-label" for={p.id.clone()}>
                { p.label.clone() }
                if let Some(h) = &p.hint {
                    <span class="fr-hint-text" id={format!("{}-hint", p.id)}>{ h.clone() }</span>
                }
            </label>
            <input
                class={classes!("fr-input", err.then_some("fr-input--error"))}
                id={p.id.clone()}
                name={p.id.clone()}
                type={p.kind.clone()}
                value={p.value.clone()}
                {oninput}
                required={p.required}
                disabled={p.disabled}
                autocomplete={p.autocomplete.clone()}
                inputmode={p.inputmode.clone()}
                max={p.max.clone()}
                min={p.min.clone()}
                aria-invalid={err.then_some("true")}
                aria-describedby={described}
            />
            if let Some(e) = &p.error {
                <p class="fr-error-text" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextareaProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(TextareaField)]
pub fn textarea_field(p: &TextareaProps) -> Html {
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let err = p.error.is_some();
    html! {
        <div class={classes!("fr-input-group", err.then_some("fr-input-group--error"))}>
            <label class="fr-label" for={p.id.clone()}>
                { p.label.clone() }
                if let Some(h) = &p.hint {
                    <span class="fr-hint-text" id={format!("{}-hint", p.id)}>{ h.clone() }</span>
                }
            </label>
            <textarea
                class={classes!("fr-input", err.then_some("fr-input--error"))}
                id={p.id.clone()}
                name={p.id.clone()}
                rows="3"
                value={p.value.clone()}
                {oninput}
                required={p.required}
                aria-invalid={err.then_some("true")}
                aria-describedby={describedby(&p.id, p.hint.is_some(), err)}
            />
            if let Some(e) = &p.error {
                <p class="fr-error-text" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// (value, label) pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    #[prop_or_default]
    pub value: AttrValue,
    /// Text of the empty first option ("Choisir…"); none when absent.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(SelectField)]
pub fn select_field(p: &SelectProps) -> Html {
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let err = p.error.is_some();
    html! {
        <div class={classes!("fr-select-group", err.then_some("fr-select-group--error"))}>
            <label class="fr-label" for={p.id.clone()}>
                { p.label.clone() }
                if let Some(h) = &p.hint {
                    <span class="fr-hint-text" id={format!("{}-hint", p.id)}>{ h.clone() }</span>
                }
            </label>
            <select
                class={classes!("fr-select", err.then_some("fr-select--error"))}
                id={p.id.clone()}
                name={p.id.clone()}
                {onchange}
                required={p.required}
                aria-invalid={err.then_some("true")}
                aria-describedby={describedby(&p.id, p.hint.is_some(), err)}
            >
                if let Some(ph) = &p.placeholder {
                    <option value="" selected={p.value.is_empty()}>{ ph.clone() }</option>
                }
                { for p.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ l.clone() }</option>
                }) }
            </select>
            if let Some(e) = &p.error {
                <p class="fr-error-text" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub checked: bool,
    pub onchange: Callback<bool>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
}

/// A single checkbox; inside a fieldset of checkboxes, or alone with its own error.
#[function_component(Checkbox)]
pub fn checkbox(p: &CheckboxProps) -> Html {
    let onchange = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let err = p.error.is_some();
    html! {
        <div class={classes!("fr-checkbox-group", err.then_some("fr-checkbox-group--error"))}>
            <input
                type="checkbox"
                id={p.id.clone()}
                name={p.id.clone()}
                checked={p.checked}
                {onchange}
                required={p.required}
                aria-invalid={err.then_some("true")}
                aria-describedby={describedby(&p.id, p.hint.is_some(), err)}
            />
            <label class="fr-label" for={p.id.clone()}>
                { p.label.clone() }
                if let Some(h) = &p.hint {
                    <span class="fr-hint-text" id={format!("{}-hint", p.id)}>{ h.clone() }</span>
                }
            </label>
            if let Some(e) = &p.error {
                <p class="fr-error-text" id={format!("{}-error", p.id)}>{ e.clone() }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldsetProps {
    pub id: AttrValue,
    pub legend: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub inline: bool,
    #[prop_or_default]
    pub children: Children,
}

/// A group of checkboxes or radios with one legend and one error.
#[function_component(Fieldset)]
pub fn fieldset(p: &FieldsetProps) -> Html {
    let err = p.error.is_some();
    html! {
        <fieldset
            class={classes!("fr-fieldset", err.then_some("fr-fieldset--error"))}
            id={p.id.clone()}
            tabindex="-1"
            aria-labelledby={format!("{}-legend", p.id)}
            aria-describedby={describedby(&p.id, false, err)}
        >
            <legend class="fr-fieldset__legend--regular fr-fieldset__legend" id={format!("{}-legend", p.id)}>
                { p.legend.clone() }
                if let Some(h) = &p.hint {
                    <span class="fr-hint-text">{ h.clone() }</span>
                }
            </legend>
            { for p.children.iter().map(|c| html! {
                <div class={classes!("fr-fieldset__element", p.inline.then_some("fr-fieldset__element--inline"))}>
                    { c }
                </div>
            }) }
            if let Some(e) = &p.error {
                <div class="fr-messages-group" id={format!("{}-error", p.id)}>
                    <p class="fr-message fr-message--error">{ e.clone() }</p>
                </div>
            }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct RadioProps {
    pub id: AttrValue,
    pub name: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub onselect: Callback<()>,
}

#[function_component(Radio)]
pub fn radio(p: &RadioProps) -> Html {
    let onchange = {
        let cb = p.onselect.clone();
        Callback::from(move |_: Event| cb.emit(()))
    };
    html! {
        <div class="fr-radio-group">
            <input type="radio" id={p.id.clone()} name={p.name.clone()} checked={p.checked} {onchange} />
            <label class="fr-label" for={p.id.clone()}>{ p.label.clone() }</label>
        </div>
    }
}

//! The pilot's targets (`GET`/`PUT /stats/targets`): one field per indicator with a direction
//! (`logic::targets::TARGETABLE`), on `use_form`; saved, the dashboard reloads its verdicts.
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary, Loading};
use crate::components::fields::InputField;
use crate::hooks::{use_form, Form};
use crate::logic::form::FormField;
use crate::logic::targets::{unit_hint, Field, TargetsForm, TARGETABLE};
use crate::services::stats;

#[derive(Properties, PartialEq)]
pub struct TargetsProps {
    /// The territory (administrators); `None`: the pilot's own.
    pub territory: Option<Uuid>,
    /// After the targets are saved.
    pub onsaved: Callback<()>,
}

#[function_component(TargetsPanel)]
pub fn targets_panel(p: &TargetsProps) -> Html {
    let form = use_form(TargetsForm::default, ());
    let loaded = use_state(|| None::<Result<(), String>>);
    let saved = use_state(|| false);
    {
        let (form, loaded) = (form.clone(), loaded.clone());
        use_effect_with(p.territory, move |t| {
            let t = *t;
            loaded.set(None);
            yew::platform::spawn_local(async move {
                match stats::targets(t).await {
                    Ok(read) => {
                        form.load(TargetsForm::from_targets(&read, t));
                        loaded.set(Some(Ok(())));
                    }
                    Err(e) => loaded.set(Some(Err(e.message()))),
                }
            });
        });
    }
    let onsubmit = {
        let (onsaved, saved) = (p.onsaved.clone(), saved.clone());
        form.submit(TargetsForm::to_request, stats::set_targets, move |_| {
            saved.set(true);
            onsaved.emit(());
        })
    };
    let body = match &*loaded {
        None => html! { <Loading text="Chargement des objectifs…" /> },
        Some(Err(m)) => html! { <Alert kind={AlertKind::Error}>{ m.clone() }</Alert> },
        Some(Ok(())) => html! {
            <>
                if *saved && !form.busy() && form.general().is_none() {
                    <Alert kind={AlertKind::Success} small=true>{ "Objectifs enregistrés : les verdicts sont recalculés." }</Alert>
                }
                <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
                <form {onsubmit} novalidate=true id="formulaire-objectifs" aria-labelledby="titre-objectifs">
                    <div class="sas-targets">{ fields(&form) }</div>
                    { submit_button("Enregistrer les objectifs", "Enregistrement…", form.busy()) }
                </form>
            </>
        },
    };
    html! {
        <section class="fr-mb-6w" aria-labelledby="titre-objectifs">
            <h2 id="titre-objectifs">{ "Objectifs du territoire" }</h2>
            <p class="fr-text--sm">{ "Chaque indicateur peut avoir un objectif ; le tableau de bord dit alors s’il est atteint, non atteint, ou s’il y a trop peu de données pour le dire. Laissez un champ vide pour retirer son objectif." }</p>
            <details class="sas-details">
                <summary>{ "Fixer les objectifs" }</summary>
                { body }
            </details>
        </section>
    }
}

fn fields(form: &Form<TargetsForm>) -> Html {
    html! {
        { for TARGETABLE.iter().enumerate().map(|(i, (_, unit, _, label))| {
            let f = Field(i);
            let form2 = form.clone();
            let oninput = Callback::from(move |v: String| form2.edit(f, move |m: &mut TargetsForm| m.set(i, v)));
            html! {
                <div>
                    <InputField id={f.id()} label={*label} hint={Some(AttrValue::Static(unit_hint(unit)))}
                        inputmode={Some(AttrValue::Static("decimal"))}
                        value={form.values().value(i).to_string()} {oninput} error={form.error(f)} />
                </div>
            }
        }) }
    }
}

//! The diagnostic form, in sections, with a sticky save bar that says whether what is on
//! screen is saved. A save that comes back stale (a colleague saved meanwhile) keeps what the
//! user typed and names the sections the colleague changed; saving again keeps the user's.
use std::collections::BTreeMap;
use std::rc::Rc;

use api_types::{Diagnostic, DiagnosticInput, VocabularyEntry};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::fields::{Checkbox, Fieldset, SelectField, TextareaField};
use crate::components::thematiques::ThematiquesPicker;
use crate::logic::error::field_message;
use crate::logic::orient::{self, changed_sections, SaveState};
use crate::logic::thematiques::label_of;
use crate::services::{orient as service, reference, ApiError};

/// The vocabularies the form uses (defined once on the server, with their French labels).
const VOCABULARIES: [&str; 11] = [
    "housing",
    "resources",
    "education-levels",
    "mobility",
    "childcare",
    "french-levels",
    "digital-access",
    "diagnostic-barriers",
    "motivation-levers",
    "soft-skills",
    "thematiques",
];

type Vocabs = BTreeMap<&'static str, Vec<VocabularyEntry>>;

struct Draft(DiagnosticInput);

enum Edit {
    Change(Box<dyn FnOnce(&mut DiagnosticInput)>),
    Replace(Box<DiagnosticInput>),
}

impl Reducible for Draft {
    type Action = Edit;
    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        let mut d = self.0.clone();
        match action {
            Edit::Change(f) => f(&mut d),
            Edit::Replace(v) => d = *v,
        }
        Rc::new(Draft(d))
    }
}

#[derive(Properties, PartialEq)]
pub struct DiagnosticProps {
    pub referral_id: Uuid,
}

#[function_component(DiagnosticPanel)]
pub fn diagnostic_panel(p: &DiagnosticProps) -> Html {
    let base = use_state(|| None::<Diagnostic>);
    let draft = use_reducer(|| Draft(DiagnosticInput::default()));
    let status = use_state(|| None::<SaveState>);
    let errors = use_state(Vec::<String>::new);
    let vocabs = use_state(Vocabs::new);
    {
        let (base, draft, vocabs, id) = (
            base.clone(),
            draft.dispatcher(),
            vocabs.clone(),
            p.referral_id,
        );
        use_effect_with(id, move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(d) = service::diagnostic(id).await {
                    draft.dispatch(Edit::Replace(Box::new(d.content.clone())));
                    base.set(Some(d));
                }
                let mut all = Vocabs::new();
                for name in VOCABULARIES {
                    all.insert(name, reference::vocabulary(name).await.unwrap_or_default());
                }
                vocabs.set(all);
            });
        });
    }
    let Some(b) = (*base).clone() else {
        return html! { <section class="sas-card"><Loading /></section> };
    };
    let shown = match &*status {
        Some(s) => s.clone(),
        None => SaveState::of(&draft.0, &b.content),
    };
    let onsubmit = {
        let (base, draft, status, errors, id) = (
            base.clone(),
            draft.clone(),
            status.clone(),
            errors.clone(),
            p.referral_id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *status == Some(SaveState::Saving) {
                return;
            }
            let Some(from) = (*base).clone() else { return };
            status.set(Some(SaveState::Saving));
            let (base, draft, status, errors) =
                (base.clone(), draft.clone(), status.clone(), errors.clone());
            let body = draft.0.clone();
            yew::platform::spawn_local(async move {
                match service::save_diagnostic(id, body, from.version).await {
                    Ok(d) => {
                        errors.set(Vec::new());
                        draft.dispatch(Edit::Replace(Box::new(d.content.clone())));
                        base.set(Some(d));
                        status.set(None);
                    }
                    Err(ApiError::Stale) => {
                        // Keep what was typed; start from the colleague's version next time.
                        if let Ok(latest) = service::diagnostic(id).await {
                            let changed = changed_sections(&from.content, &latest.content);
                            base.set(Some(latest));
                            status.set(Some(SaveState::Stale(changed)));
                        } else {
                            status.set(Some(SaveState::Failed(ApiError::Stale.message())));
                        }
                    }
                    Err(e) => {
                        errors.set(
                            e.fields()
                                .iter()
                                .map(|f| format!("{} : {}", f.field, field_message(&f.code)))
                                .collect(),
                        );
                        status.set(Some(SaveState::Failed(e.message())));
                    }
                }
            });
        })
    };
    let edit: EditFn = {
        let (draft, status) = (draft.dispatcher(), status.clone());
        Rc::new(move |f: Box<dyn FnOnce(&mut DiagnosticInput)>| {
            if !matches!(*status, Some(SaveState::Stale(_))) {
                status.set(None);
            }
            draft.dispatch(Edit::Change(f));
        })
    };
    let d = &draft.0;
    let saved_label = match (&b.saved_by, b.saved_at) {
        (Some(who), Some(_)) => format!("Version {} enregistrée par {}", b.version, who.name),
        _ => "Pas encore enregistré".to_string(),
    };
    let unsaved = !matches!(shown, SaveState::Saved);
    html! {
        <section class="sas-card" aria-labelledby="titre-diagnostic">
            <h2 class="fr-h5" id="titre-diagnostic">{ "Diagnostic" }</h2>
            <p class="fr-text--xs sas-muted">{ saved_label }</p>
            <form id="formulaire-diagnostic" {onsubmit} novalidate=true aria-labelledby="titre-diagnostic">
                { situation(d, &vocabs, &edit) }
                { needs(d, &vocabs, &edit) }
                { codes_section("diag-freins", "Freins périphériques", Some("Des codes seulement : la santé est « Santé », jamais un détail."), "diagnostic-barriers", &d.barriers, &vocabs, &edit, |m| &mut m.barriers) }
                { codes_section("diag-leviers", "Leviers de motivation", None, "motivation-levers", &d.motivation_levers, &vocabs, &edit, |m| &mut m.motivation_levers) }
                { codes_section("diag-savoir-etre", "Savoir-être", None, "soft-skills", &d.soft_skills, &vocabs, &edit, |m| &mut m.soft_skills) }
                <h3 class="fr-h6">{ "Souhaits, compétences, disponibilités" }</h3>
                { text("diag-souhaits", "Souhaits (facultatif)", None, &d.wishes, &edit, |m| &mut m.wishes) }
                { text("diag-competences", "Compétences (facultatif)", None, &d.skills, &edit, |m| &mut m.skills) }
                { text("diag-disponibilites", "Disponibilités (facultatif)", None, &d.availability, &edit, |m| &mut m.availability) }
                <h3 class="fr-h6">{ "Paroles du jeune et synthèse partagée" }</h3>
                { text("diag-paroles", "Ses propres mots (facultatif)", None, &d.own_words, &edit, |m| &mut m.own_words) }
                { text("diag-synthese", "Synthèse pour la structure d’accueil (facultatif)", Some("La seule partie du diagnostic qu’une structure d’accueil verra."), &d.shared_summary, &edit, |m| &mut m.shared_summary) }
                if !errors.is_empty() {
                    <Alert kind={AlertKind::Error} small=true>
                        <ul>{ for errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul>
                    </Alert>
                }
                <div class={classes!("sas-savebar", unsaved.then_some("sas-savebar--unsaved"))}>
                    <p class="fr-mb-0" role="status" id="diagnostic-etat">{ shown.text() }</p>
                    <button type="submit" class="fr-btn" aria-disabled={(shown == SaveState::Saving).then_some("true")}>{ "Enregistrer le diagnostic" }</button>
                </div>
            </form>
        </section>
    }
}

type EditFn = Rc<dyn Fn(Box<dyn FnOnce(&mut DiagnosticInput)>)>;

fn options(vocabs: &Vocabs, name: &str) -> Vec<(AttrValue, AttrValue)> {
    vocabs
        .get(name)
        .map(|v| {
            v.iter()
                .map(|e| {
                    (
                        AttrValue::from(e.value.clone()),
                        AttrValue::from(e.label.clone()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn select(
    id: &'static str,
    label: &'static str,
    vocab: &'static str,
    value: &Option<String>,
    vocabs: &Vocabs,
    edit: &EditFn,
    field: fn(&mut DiagnosticInput) -> &mut Option<String>,
) -> Html {
    let edit = edit.clone();
    let onchange = Callback::from(move |v: String| {
        edit(Box::new(move |m| {
            *field(m) = Some(v).filter(|s| !s.is_empty())
        }))
    });
    html! {
        <SelectField {id} {label} options={options(vocabs, vocab)} value={value.clone().unwrap_or_default()} placeholder="Non renseigné" {onchange} />
    }
}

fn situation(d: &DiagnosticInput, vocabs: &Vocabs, edit: &EditFn) -> Html {
    let s = &d.situation;
    html! {
        <>
            <h3 class="fr-h6">{ "Situation" }</h3>
            <div class="sas-attempt-grid">
                { select("diag-logement", "Logement", "housing", &s.housing, vocabs, edit, |m| &mut m.situation.housing) }
                { select("diag-ressources", "Ressources", "resources", &s.resources, vocabs, edit, |m| &mut m.situation.resources) }
                { select("diag-niveau", "Niveau de formation", "education-levels", &s.education_level, vocabs, edit, |m| &mut m.situation.education_level) }
                { select("diag-garde", "Garde d’enfants", "childcare", &s.childcare, vocabs, edit, |m| &mut m.situation.childcare) }
                { select("diag-langue", "Maîtrise du français", "french-levels", &s.language, vocabs, edit, |m| &mut m.situation.language) }
                { select("diag-numerique", "Accès au numérique", "digital-access", &s.digital_access, vocabs, edit, |m| &mut m.situation.digital_access) }
            </div>
            { codes_section("diag-mobilite", "Mobilité", None, "mobility", &s.mobility, vocabs, edit, |m| &mut m.situation.mobility) }
        </>
    }
}

#[allow(clippy::too_many_arguments)]
fn codes_section(
    id: &'static str,
    legend: &'static str,
    hint: Option<&'static str>,
    vocab: &'static str,
    selected: &[String],
    vocabs: &Vocabs,
    edit: &EditFn,
    field: fn(&mut DiagnosticInput) -> &mut Vec<String>,
) -> Html {
    let entries = vocabs.get(vocab).cloned().unwrap_or_default();
    html! {
        <Fieldset id={id} legend={format!("{legend} (facultatif)")} hint={hint.map(AttrValue::from)} inline=true>
            { for entries.into_iter().map(|e| {
                let edit = edit.clone();
                let code = e.value.clone();
                let onchange = Callback::from(move |on: bool| {
                    let code = code.clone();
                    edit(Box::new(move |m| orient::toggle(field(m), &code, on)))
                });
                html! {
                    <Checkbox id={format!("{id}-{}", e.value)} label={e.label.clone()} checked={selected.contains(&e.value)} {onchange} />
                }
            }) }
        </Fieldset>
    }
}

fn needs(d: &DiagnosticInput, vocabs: &Vocabs, edit: &EditFn) -> Html {
    let vocab = vocabs.get("thematiques").cloned().unwrap_or_default();
    let ontoggle = {
        let edit = edit.clone();
        Callback::from(move |(code, on): (String, bool)| {
            edit(Box::new(move |m| orient::toggle(&mut m.needs, &code, on)))
        })
    };
    html! {
        <>
            <h3 class="fr-h6">{ "Besoins prioritaires" }</h3>
            if !d.needs.is_empty() {
                <ol class="sas-priorities" aria-label="Besoins, du plus important au moins important">
                    { for d.needs.iter().enumerate().map(|(i, n)| {
                        let edit = edit.clone();
                        let code = n.clone();
                        let up = Callback::from(move |_: MouseEvent| {
                            let code = code.clone();
                            edit(Box::new(move |m| orient::move_up(&mut m.needs, &code)))
                        });
                        let label = label_of(&vocab, n).to_string();
                        html! {
                            <li>
                                { label.clone() }
                                if i > 0 {
                                    { " " }
                                    <button type="button" class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" onclick={up} aria-label={format!("Monter « {label} »")}>{ "Monter" }</button>
                                }
                            </li>
                        }
                    }) }
                </ol>
            }
            <ThematiquesPicker id="diag-besoins" vocabulary={vocab.clone()} selected={d.needs.clone()} {ontoggle} />
        </>
    }
}

fn text(
    id: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    value: &Option<String>,
    edit: &EditFn,
    field: fn(&mut DiagnosticInput) -> &mut Option<String>,
) -> Html {
    let edit = edit.clone();
    let oninput = Callback::from(move |v: String| edit(Box::new(move |m| *field(m) = Some(v))));
    html! {
        <TextareaField {id} {label} hint={hint.map(AttrValue::from)} value={value.clone().unwrap_or_default()} {oninput} />
    }
}

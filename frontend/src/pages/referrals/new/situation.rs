//! Why the accompaniment ends, when, and what the young person needs.
use api_types::VocabularyEntry;
use yew::prelude::*;

use crate::components::fields::{InputField, SelectField, TextareaField};
use crate::components::thematiques::ThematiquesPicker;
use crate::hooks::Form;
use crate::logic::form::FormField;
use crate::logic::labels;
use api_types::rules::REASON_TEXT_MAX_CHARS;

use crate::logic::referral_form::{Field, ReferralForm};

pub fn situation(form: &Form<ReferralForm>, number: u8, vocabulary: &[VocabularyEntry]) -> Html {
    let f = form.values();
    let reasons: Vec<(AttrValue, AttrValue)> = labels::REASONS
        .iter()
        .map(|r| {
            (
                AttrValue::from(labels::reason_code(*r)),
                AttrValue::from(labels::reason(*r)),
            )
        })
        .collect();
    let other = f.reason == "other";
    let on_need = {
        let form = form.clone();
        Callback::from(move |(code, on): (String, bool)| {
            form.edit(Field::Needs, move |f: &mut ReferralForm| {
                f.toggle_need(&code, on)
            })
        })
    };
    let text_hint =
        format!("{REASON_TEXT_MAX_CHARS} caractères au plus. Aucun détail médical ou judiciaire.");
    html! {
        <>
            <h2 class="fr-h4 fr-mt-4w">{ format!("{}. Sa situation", number) }</h2>
            <SelectField id={Field::Reason.id()} label="Motif de fin d’accompagnement"
                placeholder={Some(AttrValue::Static("Choisir un motif"))} options={reasons}
                value={f.reason.clone()} onchange={form.text(Field::Reason, |f, v| f.reason = v)} required=true error={form.error(Field::Reason)} />
            if other || !f.reason_text.is_empty() {
                <TextareaField id={Field::ReasonText.id()}
                    label={if other { "Précisez le motif" } else { "Précisions sur le motif (facultatif)" }}
                    hint={Some(AttrValue::from(text_hint))} required={other}
                    value={f.reason_text.clone()} oninput={form.text(Field::ReasonText, |f, v| f.reason_text = v)} error={form.error(Field::ReasonText)} />
            }
            <InputField id={Field::ExitDate.id()} label="Date de fin de l’accompagnement actuel (facultatif)" kind="date"
                hint={Some(AttrValue::Static("Date prévue, ou déjà passée. À 30 jours ou moins, le signalement est traité en priorité."))}
                value={f.exit_date.clone()} oninput={form.text(Field::ExitDate, |f, v| f.exit_date = v)} error={form.error(Field::ExitDate)} />
            <ThematiquesPicker id={Field::Needs.id()} vocabulary={vocabulary.to_vec()} selected={f.needs.clone()} ontoggle={on_need} error={form.error(Field::Needs)} />
        </>
    }
}

//! The counsellor's contact panel: where reaching the young person stands, the quick attempt
//! entry (one submit, without leaving the page) and the attempts so far.
use api_types::{AttemptChannel, AttemptOutcome, ContactAttempt, Referral};
use yew::prelude::*;

use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::fields::{InputField, SelectField, TextareaField};
use crate::hooks::use_form;
use crate::logic::form::FormField;
use crate::logic::format;
use crate::logic::orient::{self, AttemptField as F, AttemptForm};
use crate::platform;
use crate::services::orient as service;

#[derive(Properties, PartialEq)]
pub struct ContactProps {
    pub referral: Referral,
    /// After an attempt is recorded (the referral may have moved on).
    pub onchange: Callback<()>,
}

#[function_component(ContactPanel)]
pub fn contact_panel(p: &ContactProps) -> Html {
    let r = &p.referral;
    let attempts = use_state(Vec::<ContactAttempt>::new);
    {
        let attempts = attempts.clone();
        use_effect_with(
            (r.id, r.version, r.contact.as_ref().map(|c| c.attempts)),
            move |(id, _, _)| {
                let (id, attempts) = (*id, attempts.clone());
                yew::platform::spawn_local(async move {
                    if let Ok(v) = service::attempts(id).await {
                        attempts.set(v);
                    }
                });
            },
        );
    }
    let form = use_form(AttemptForm::default, platform::today());
    let done = use_state(|| None::<String>);
    let onsubmit = {
        let (id, onchange, form2, done) = (r.id, p.onchange.clone(), form.clone(), done.clone());
        form.submit(
            |f: &AttemptForm, today| f.to_request(today),
            move |body| service::log_attempt(id, body),
            move |a: ContactAttempt| {
                done.set(Some(format!(
                    "Tentative notée : {} ({}).",
                    orient::outcome(a.outcome).to_lowercase(),
                    orient::channel(a.channel).to_lowercase()
                )));
                form2.load(AttemptForm::default());
                onchange.emit(());
            },
        )
    };
    let via_only = r.youth.contact_via_prescriber_only;
    let channels: Vec<(AttrValue, AttrValue)> = orient::channels_offered(via_only)
        .into_iter()
        .map(|c| (c.as_str().into(), orient::channel(c).into()))
        .collect();
    let outcomes: Vec<(AttrValue, AttrValue)> = AttemptOutcome::ALL
        .iter()
        .map(|o| (o.as_str().into(), orient::outcome(*o).into()))
        .collect();
    let v = form.values().clone();
    let on_channel = {
        let form = form.clone();
        Callback::from(move |s: String| {
            form.edit(F::Channel, move |m| m.channel = AttemptChannel::parse(&s))
        })
    };
    let on_outcome = {
        let form = form.clone();
        Callback::from(move |s: String| {
            form.edit(F::Outcome, move |m| m.outcome = AttemptOutcome::parse(&s))
        })
    };
    html! {
        <section class="sas-card" aria-labelledby="titre-contact">
            <h2 class="fr-h5" id="titre-contact">{ "Prise de contact" }</h2>
            { progress(r) }
            if via_only {
                <Alert kind={AlertKind::Info} small=true>{ "Ce jeune se contacte uniquement par l’intermédiaire du prescripteur : chaque tentative lui adresse une demande." }</Alert>
            }
            if let Some(msg) = &*done {
                <div role="status"><Alert kind={AlertKind::Success} small=true>{ msg.clone() }</Alert></div>
            }
            <ErrorSummary items={form.summary()} general={form.general()} focus_key={form.refusals()} />
            <form id={F::Form.id()} {onsubmit} novalidate=true aria-label="Noter une tentative de contact">
                <div class="sas-attempt-grid">
                    <SelectField id={F::Channel.id()} label="Moyen" options={channels} value={v.channel.map(|c| c.as_str()).unwrap_or_default()} placeholder="Choisir…" onchange={on_channel} error={form.error(F::Channel)} />
                    <SelectField id={F::Outcome.id()} label="Résultat" options={outcomes} value={v.outcome.map(|o| o.as_str()).unwrap_or_default()} placeholder="Choisir…" onchange={on_outcome} error={form.error(F::Outcome)} />
                    <InputField id={F::NextTry.id()} label="Prochaine tentative (facultatif)" kind="date" value={v.next_try.clone()} oninput={form.text(F::NextTry, |m, s| m.next_try = s)} error={form.error(F::NextTry)} />
                </div>
                <TextareaField id={F::Note.id()} label="Note (facultatif)" hint="Pour l’équipe SAS seulement, jamais montrée au prescripteur. Aucun détail médical ou judiciaire." value={v.note.clone()} oninput={form.text(F::Note, |m, s| m.note = s)} error={form.error(F::Note)} />
                if v.channel == Some(AttemptChannel::ViaPrescriber) {
                    <TextareaField id={F::Message.id()} label="Demande au prescripteur (facultatif)" hint="Ce que le prescripteur lira, sans détail personnel." value={v.message.clone()} oninput={form.text(F::Message, |m, s| m.message = s)} error={form.error(F::Message)} />
                }
                { submit_button("Noter la tentative", "Enregistrement…", form.busy()) }
            </form>
            { list(&attempts) }
        </section>
    }
}

fn n_of(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n.abs() <= 1 { one } else { many })
}

fn progress(r: &Referral) -> Html {
    let Some(c) = &r.contact else { return html! {} };
    let channels = if c.channels_tried.is_empty() {
        "aucun".to_string()
    } else {
        c.channels_tried
            .iter()
            .map(|ch| orient::channel(*ch).to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        <>
            <ul class="sas-facts" aria-label="Où en est la prise de contact">
                <li>{ match c.days_since_referral {
                    0 => "Signalé aujourd’hui".to_string(),
                    d => format!("Signalé il y a {}", n_of(d, "jour", "jours")),
                } }</li>
                <li>{ format!("{} ({} depuis l’entrée en prise de contact)", n_of(c.attempts, "tentative", "tentatives"), c.attempts_since_contacting) }</li>
                <li>{ format!("Moyens essayés : {channels}") }</li>
                <li>{ match c.days_since_last_attempt {
                    Some(0) => "Dernière tentative aujourd’hui".to_string(),
                    Some(d) => format!("Dernière tentative il y a {}", n_of(d, "jour", "jours")),
                    None => "Aucune tentative pour l’instant".to_string(),
                } }</li>
                <li>{ match c.next_try_on {
                    Some(d) => format!("Prochaine tentative prévue le {}", format::date_long(d)),
                    None => "Pas de prochaine tentative prévue".to_string(),
                } }</li>
            </ul>
            if c.unreachable_rule_met {
                <Alert kind={AlertKind::Warning} small=true>{ "Règle d’injoignabilité atteinte sur ce territoire : vous pouvez confirmer « injoignable » ou continuer d’essayer." }</Alert>
            }
        </>
    }
}

fn list(attempts: &[ContactAttempt]) -> Html {
    if attempts.is_empty() {
        return html! { <p class="sas-muted fr-mt-2w">{ "Aucune tentative notée." }</p> };
    }
    html! {
        <>
            <h3 class="fr-h6 fr-mt-3w" id="titre-tentatives">{ "Tentatives" }</h3>
            <ol class="sas-attempts" aria-labelledby="titre-tentatives">
                { for attempts.iter().map(|a| html! {
                    <li class="sas-attempts__item">
                        <p class="fr-text--sm fr-mb-0">
                            <strong>{ orient::outcome(a.outcome) }</strong>
                            { format!(" · {} · {}", orient::channel(a.channel), format::datetime_long(a.attempted_at, platform::offset_minutes(a.attempted_at))) }
                        </p>
                        if let Some(n) = &a.note {
                            <p class="fr-text--xs fr-mb-0">{ n.clone() }</p>
                        }
                        if let Some(d) = a.next_try_on {
                            <p class="fr-text--xs sas-muted fr-mb-0">{ format!("Prochaine tentative : {}", format::date_long(d)) }</p>
                        }
                    </li>
                }) }
            </ol>
        </>
    }
}

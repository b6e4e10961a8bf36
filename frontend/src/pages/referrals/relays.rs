//! The relays of a referral: the closed loop for its prescriber (where the young person was
//! relayed, taken in charge or not, each checkpoint's answer), and for the counsellor the
//! relay actions (send to a service, cancel, send again; "sans compte SAS" for a structure
//! without an account).
use api_types::{CheckpointAnswer, Referral, Relay, RelayCreate, RelayOutcome, RelayReason};
use uuid::Uuid;
use yew::prelude::*;

use crate::components::feedback::{submit_button, Alert, AlertKind, ErrorSummary};
use crate::components::fields::{Fieldset, InputField, Radio, SelectField, TextareaField};
use crate::hooks::{use_form, Form};
use crate::logic::consent_form::{ConsentForm, Place};
use crate::logic::form::IdScope;
use crate::logic::relay_answer::{self, AnswerForm, Choice, Field, Recorded};
use crate::logic::{format, relays};
use crate::services::relays::{self as service, Act};

const MSG_CONSENT_REQUIRED: &str = "Le jeune n’a pas accepté que ses informations soient partagées avec la structure : enregistrez d’abord son accord (consentement).";
const MSG_CONSENT_SAVED: &str =
    "Accord du jeune enregistré : vous pouvez envoyer la demande de relais.";

#[derive(Properties, PartialEq)]
pub struct RelaysProps {
    pub referral: Referral,
    /// The SAS team: may send and cancel.
    pub counsellor: bool,
    pub onchange: Callback<()>,
    /// A service picked elsewhere (the matching panel): pre-fills the form.
    #[prop_or_default]
    pub service_id: Option<Uuid>,
}

#[function_component(RelaysPanel)]
pub fn relays_panel(p: &RelaysProps) -> Html {
    let items = use_state(Vec::<Relay>::new);
    let reload = use_state(|| 0u32);
    let notice = use_state(|| None::<(AlertKind, String)>);
    // A relay refused for want of `share_with_receiver`: the consent form it offers.
    let consent_needed = use_state(|| false);
    let consent_open = use_state(|| false);
    {
        let items = items.clone();
        use_effect_with(
            (p.referral.id, p.referral.version, *reload),
            move |(id, _, _)| {
                let (id, items) = (*id, items.clone());
                yew::platform::spawn_local(async move {
                    if let Ok(v) = service::of_referral(id).await {
                        items.set(v);
                    }
                });
            },
        );
    }
    let done = {
        let (reload, notice, cb) = (reload.clone(), notice.clone(), p.onchange.clone());
        Callback::from(move |r: Result<String, String>| {
            match r {
                Ok(m) => notice.set(Some((AlertKind::Success, m))),
                Err(m) => notice.set(Some((AlertKind::Error, m))),
            }
            reload.set(*reload + 1);
            cb.emit(());
        })
    };
    let on_consent_required = {
        let (needed, open) = (consent_needed.clone(), consent_open.clone());
        Callback::from(move |_: ()| {
            needed.set(true);
            open.set(false);
        })
    };
    let consent_saved = {
        let (needed, open, notice, cb) = (
            consent_needed.clone(),
            consent_open.clone(),
            notice.clone(),
            p.onchange.clone(),
        );
        Callback::from(move |_: ()| {
            needed.set(false);
            open.set(false);
            notice.set(Some((AlertKind::Success, MSG_CONSENT_SAVED.into())));
            cb.emit(());
        })
    };
    let can_send = p.counsellor
        && matches!(
            p.referral.status,
            api_types::Status::Diagnosis
                | api_types::Status::Relaying
                | api_types::Status::Followed
                | api_types::Status::OnHold
        );
    if items.is_empty() && !can_send {
        return html! {};
    }
    html! {
        <section class="sas-card" aria-labelledby="titre-relais">
            <h2 class="fr-h5" id="titre-relais">{ "Relais" }</h2>
            if let Some((kind, text)) = &*notice {
                <Alert kind={*kind} small=true>{ text.clone() }</Alert>
            }
            if items.is_empty() {
                <p class="sas-muted">{ "Aucun relais pour l’instant." }</p>
            }
            <ul class="sas-plain-list">
                { for items.iter().map(|r| item(r, p.counsellor, &done)) }
            </ul>
            if can_send && *consent_needed {
                if *consent_open {
                    <super::consent_record::ConsentRecordForm referral_id={p.referral.id}
                        initial={ConsentForm::for_relay(&p.referral.consent)} ondone={consent_saved} place={Place::Relay}
                        oncancel={{ let open = consent_open.clone(); Callback::from(move |_: ()| open.set(false)) }} />
                } else {
                    <button type="button" class="fr-btn fr-btn--secondary fr-btn--sm fr-mb-2w"
                        onclick={{ let open = consent_open.clone(); Callback::from(move |_: MouseEvent| open.set(true)) }}>
                        { "Enregistrer l’accord du jeune" }
                    </button>
                }
            }
            if can_send {
                <SendForm referral_id={p.referral.id} service_id={p.service_id} ondone={done.clone()} {on_consent_required} />
            }
        </section>
    }
}

fn item(r: &Relay, counsellor: bool, done: &Callback<Result<String, String>>) -> Html {
    let answers: Vec<String> = r
        .checkpoints
        .iter()
        .filter_map(|c| {
            c.answer
                .map(|a| format!("à {} jours : {}", c.n, relays::answer(a).to_lowercase()))
        })
        .collect();
    let cancel = {
        let (id, version, done) = (r.id, r.version, done.clone());
        Callback::from(move |_: MouseEvent| {
            let done = done.clone();
            yew::platform::spawn_local(async move {
                let res = service::act(id, &Act::Cancel, version).await;
                done.emit(
                    res.map(|_| "Relais annulé.".to_string())
                        .map_err(|e| e.message()),
                );
            });
        })
    };
    html! {
        <li class="fr-mb-2w">
            <strong>{ r.structure.name.clone() }</strong>
            if let Some(s) = &r.service_name { { format!(" — {s}") } }
            { " " }<span class="fr-badge fr-badge--sm fr-badge--no-icon">{ relays::status(r.status) }</span>
            if r.off_platform { { " " }<span class="fr-badge fr-badge--sm fr-badge--info">{ "Sans compte SAS" }</span> }
            if let Some(reason) = r.reason {
                <p class="fr-text--sm fr-mb-0">
                    { format!("Motif : {}", relays::reason(reason)) }
                    if let Some(t) = &r.reason_text { { format!(" — {t}") } }
                </p>
            }
            if !answers.is_empty() { <p class="fr-text--sm fr-mb-0">{ format!("Suivi {}", answers.join(" ; ")) }</p> }
            if counsellor && relays::cancellable(r.status) {
                <button type="button" class="fr-btn fr-btn--tertiary fr-btn--sm fr-mt-1w" onclick={cancel}
                    aria-label={format!("Annuler le relais vers {}", r.structure.name)}>{ "Annuler" }</button>
            }
            if counsellor && r.off_platform && !relay_answer::choices(r.status, None).is_empty() {
                <OffPlatformAnswer key={format!("{}-{}", r.id, r.version)} relay={r.clone()} ondone={done.clone()} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct AnswerProps {
    relay: Relay,
    ondone: Callback<Result<String, String>>,
}

/// For a relay "sans compte SAS", the counsellor records what the structure answered
/// (`logic::relay_answer`): a button, then the answers its status allows. Keyed by the
/// relay's version: a new status gives a new form.
#[function_component(OffPlatformAnswer)]
fn off_platform_answer(p: &AnswerProps) -> Html {
    let open = use_state(|| false);
    let initial = AnswerForm::for_relay(&p.relay);
    let form = use_form(move || initial, ());
    let r = &p.relay;
    let ids = relay_answer::ids(r);
    let next = relay_answer::next_checkpoint(r).filter(|c| !c.overdue).map(|c| {
        html! {
            <p class="fr-text--sm fr-mb-0">{ format!("Prochain point de suivi à {} jours : à renseigner à partir du {}.", c.n, format::date_short(c.due_on)) }</p>
        }
    });
    if !*open {
        let open = open.clone();
        return html! {
            <>
                { for next }
                <button type="button" class="fr-btn fr-btn--secondary fr-btn--sm fr-mt-1w" aria-expanded="false"
                    aria-label={format!("Enregistrer sa réponse ({})", r.structure.name)}
                    onclick={Callback::from(move |_: MouseEvent| open.set(true))}>{ "Enregistrer sa réponse" }</button>
            </>
        };
    }
    let onsubmit = {
        let (id, version, ondone) = (r.id, r.version, p.ondone.clone());
        form.submit(
            |f: &AnswerForm, _| f.to_request(),
            move |body: Recorded| async move {
                service::record(id, &body, version).await.map(|_| body)
            },
            move |body: Recorded| ondone.emit(Ok(relay_answer::done_message(&body))),
        )
    };
    let cancel = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let heading = ids.id("titre");
    html! {
        <section class="sas-card fr-mt-2w" aria-labelledby={heading.clone()}>
            <h3 class="fr-h6" id={heading.clone()}>{ format!("Réponse de {}", r.structure.name) }</h3>
            <p class="fr-text--sm">{ "Cette structure n’a pas de compte SAS : notez ce qu’elle vous a répondu." }</p>
            <ErrorSummary items={form.summary_in(&ids)} general={form.general()} focus_key={form.refusals()} id={ids.id("resume-erreurs")} />
            <form {onsubmit} novalidate=true id={ids.field(Field::Form)} aria-labelledby={heading}>
                { answer_fields(&form, &ids) }
                <ul class="fr-btns-group fr-btns-group--inline-md">
                    <li>{ submit_button("Enregistrer la réponse", "Enregistrement…", form.busy()) }</li>
                    <li><button type="button" class="fr-btn fr-btn--secondary" onclick={cancel}>{ "Annuler" }</button></li>
                </ul>
            </form>
        </section>
    }
}

fn answer_fields(form: &Form<AnswerForm>, ids: &IdScope) -> Html {
    let f = form.values();
    let pick = |c: Choice| {
        let form = form.clone();
        Callback::from(move |_: ()| {
            form.edit(Field::Choice, move |f: &mut AnswerForm| f.choice = Some(c))
        })
    };
    let reasons: Vec<(AttrValue, AttrValue)> = RelayReason::ALL
        .iter()
        .map(|r| {
            (
                AttrValue::from(r.as_str()),
                AttrValue::from(relays::reason(*r)),
            )
        })
        .collect();
    let outcomes: Vec<(AttrValue, AttrValue)> = RelayOutcome::ALL
        .iter()
        .map(|o| {
            (
                AttrValue::from(o.as_str()),
                AttrValue::from(relays::outcome(*o)),
            )
        })
        .collect();
    let on_reason = {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.edit(Field::Reason, move |f: &mut AnswerForm| {
                f.reason = RelayReason::parse(&v)
            })
        })
    };
    let on_outcome = {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.edit(Field::Outcome, move |f: &mut AnswerForm| {
                f.outcome = RelayOutcome::parse(&v)
            })
        })
    };
    let answer = |a: CheckpointAnswer| {
        let form = form.clone();
        Callback::from(move |_: ()| {
            form.edit(Field::Answer, move |f: &mut AnswerForm| f.answer = Some(a))
        })
    };
    let choice = f.choice.filter(|c| f.choices().contains(c));
    html! {
        <>
            <Fieldset id={ids.field(Field::Choice)} legend="Ce que la structure a répondu" error={form.error(Field::Choice)}>
                { for f.choices().into_iter().map(|c| html! {
                    <Radio id={ids.id(&format!("reponse-{}", c.code()))} name={ids.id("reponse")}
                        label={relay_answer::choice_label(c, f.status, f.checkpoint)} checked={choice == Some(c)} onselect={pick(c)} />
                }) }
            </Fieldset>
            if choice.is_some_and(Choice::needs_reason) {
                <SelectField id={ids.field(Field::Reason)} label="Motif" options={reasons}
                    value={f.reason.map(|r| r.as_str()).unwrap_or_default().to_string()} placeholder={Some(AttrValue::from("Choisir un motif"))}
                    onchange={on_reason} required=true error={form.error(Field::Reason)} />
                <TextareaField id={ids.field(Field::ReasonText)} label="Précision (obligatoire pour « Autre »)" value={f.reason_text.clone()}
                    oninput={form.text(Field::ReasonText, |f, v| f.reason_text = v)} error={form.error(Field::ReasonText)} />
            }
            if choice == Some(Choice::Complete) {
                <SelectField id={ids.field(Field::Outcome)} label="Issue de l’accompagnement" options={outcomes}
                    value={f.outcome.map(|o| o.as_str()).unwrap_or_default().to_string()} placeholder={Some(AttrValue::from("Choisir une issue"))}
                    onchange={on_outcome} required=true error={form.error(Field::Outcome)} />
            }
            if choice == Some(Choice::Checkpoint) {
                <Fieldset id={ids.field(Field::Answer)} legend={format!("Réponse au point de suivi à {} jours", f.checkpoint.unwrap_or_default())}
                    hint={Some(AttrValue::Static("« Sortie positive » termine le relais ; « Abandon » et « Contact perdu » l’interrompent."))} error={form.error(Field::Answer)}>
                    { for CheckpointAnswer::ALL.iter().copied().map(|a| html! {
                        <Radio id={ids.id(&format!("suivi-{}", a.as_str()))} name={ids.id("suivi")}
                            label={relays::answer(a)} checked={f.answer == Some(a)} onselect={answer(a)} />
                    }) }
                </Fieldset>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SendProps {
    referral_id: Uuid,
    service_id: Option<Uuid>,
    ondone: Callback<Result<String, String>>,
    /// The API refused the relay with `consent_required`.
    on_consent_required: Callback<()>,
}

#[function_component(SendForm)]
fn send_form(p: &SendProps) -> Html {
    let service = use_state(|| p.service_id.map(|s| s.to_string()).unwrap_or_default());
    let summary = use_state(String::new);
    let off = use_state(|| false);
    {
        let service = service.clone();
        use_effect_with(p.service_id, move |s| {
            if let Some(s) = s {
                service.set(s.to_string());
            }
        });
    }
    let onsubmit = {
        let (service, summary, off, id, done, on_consent_required) = (
            service.clone(),
            summary.clone(),
            off.clone(),
            p.referral_id,
            p.ondone.clone(),
            p.on_consent_required.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(service_id) = service.trim().parse::<Uuid>() else {
                done.emit(Err(
                    "Indiquez l’identifiant du service (dans sa fiche de l’annuaire).".into(),
                ));
                return;
            };
            let consent_required = on_consent_required.clone();
            let body = RelayCreate {
                service_id,
                shared_summary: (!summary.trim().is_empty()).then(|| summary.trim().to_string()),
                off_platform: *off,
            };
            let done = done.clone();
            yew::platform::spawn_local(async move {
                let res = service::send(id, body).await;
                done.emit(res.map(|r| format!("Demande envoyée à {}.", r.structure.name)).map_err(|e| match &e {
                        crate::services::ApiError::Validation { code, .. } if code == "consent_required" => {
                        consent_required.emit(());
                        MSG_CONSENT_REQUIRED.into()
                    }
                    crate::services::ApiError::Validation { code, .. } if code == "structure_without_account" => "Cette structure n’a pas de compte SAS : cochez « Sans compte SAS » pour enregistrer un relais fait hors de SAS.".into(),
                    _ => e.message(),
                }));
            });
        })
    };
    html! {
        <form {onsubmit} novalidate=true class="fr-mt-3w">
            <h3 class="fr-h6">{ "Relayer vers un service" }</h3>
            <InputField id="relais-service" label="Service (identifiant, depuis l’annuaire ou la recherche de services)" value={(*service).clone()}
                oninput={{ let service = service.clone(); Callback::from(move |v| service.set(v)) }} />
            <TextareaField id="relais-synthese" label="Synthèse partagée avec la structure (facultatif : celle du diagnostic sinon)" value={(*summary).clone()}
                oninput={{ let summary = summary.clone(); Callback::from(move |v| summary.set(v)) }} />
            <div class="fr-checkbox-group fr-mb-2w">
                <input type="checkbox" id="relais-hors-sas" checked={*off}
                    onchange={{ let off = off.clone(); Callback::from(move |_| off.set(!*off)) }} />
                <label class="fr-label" for="relais-hors-sas">{ "Sans compte SAS : enregistrer un relais fait hors de SAS" }</label>
            </div>
            <button type="submit" class="fr-btn">{ "Envoyer la demande" }</button>
        </form>
    }
}

//! The counsellor's transitions, each with the reason it needs: pause (a hold reason), back
//! from pause, confirm unreachable (a reason), the youth reappears, back to the queue, close
//! (an outcome allowed in this state, a reason for the negative ones), resume a closed journey.
use api_types::{HoldReason, Outcome, PersonRef, Referral, Status, TransitionRequest};
use yew::prelude::*;
use yew_router::prelude::use_navigator;

use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::{Alert, AlertKind};
use crate::components::fields::{SelectField, TextareaField};
use crate::logic::labels;
use crate::logic::orient::{self, Move};
use crate::logic::referral_form::CommuneChoice;
use crate::services::{orient as orient_service, referrals};
use crate::session::flash;

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub referral: Referral,
    /// After a change, with what to say.
    pub onchange: Callback<String>,
}

#[function_component(ActionsPanel)]
pub fn actions_panel(p: &ActionsProps) -> Html {
    let r = &p.referral;
    let open = use_state(|| None::<Move>);
    let hold = use_state(|| None::<HoldReason>);
    let outcome = use_state(|| None::<Outcome>);
    let reason = use_state(String::new);
    let commune = use_state(|| None::<CommuneChoice>);
    let colleagues = use_state(Vec::<PersonRef>::new);
    let colleague = use_state(|| None::<uuid::Uuid>);
    {
        let colleagues = colleagues.clone();
        use_effect_with(*open == Some(Move::Reassign), move |wanted| {
            if *wanted && colleagues.is_empty() {
                let colleagues = colleagues.clone();
                yew::platform::spawn_local(async move {
                    if let Ok(v) = orient_service::colleagues().await {
                        colleagues.set(v);
                    }
                });
            }
        });
    }
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let navigator = use_navigator();
    let moves = orient::moves(r.status, hold_from(r));

    let on_transfer = {
        let (commune, error, busy, id, version, navigator) = (
            commune.clone(),
            error.clone(),
            busy.clone(),
            r.id,
            r.version,
            navigator.clone(),
        );
        Callback::from(move |_: ()| {
            let Some(c) = (*commune).clone() else {
                return error.set(Some("Choisissez la nouvelle commune du jeune.".into()));
            };
            busy.set(true);
            let (error, busy, navigator) = (error.clone(), busy.clone(), navigator.clone());
            yew::platform::spawn_local(async move {
                match orient_service::transfer(id, c.insee, version).await {
                    Ok(_) => {
                        flash(format!(
                            "Dossier transmis à l’équipe SAS qui sert {}.",
                            c.label
                        ));
                        if let Some(n) = navigator {
                            n.push(&Route::Queue);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    let send = {
        let (open, error, busy, onchange, r) = (
            open.clone(),
            error.clone(),
            busy.clone(),
            p.onchange.clone(),
            r.clone(),
        );
        let (hold, outcome, reason) = (hold.clone(), outcome.clone(), reason.clone());
        let colleague = colleague.clone();
        Callback::from(move |m: Move| {
            if *busy {
                return;
            }
            if m == Move::Transfer {
                return on_transfer.emit(());
            }
            if m == Move::Reassign {
                let Some(to) = *colleague else {
                    return error.set(Some(
                        "Choisissez le collègue à qui confier le dossier.".into(),
                    ));
                };
                busy.set(true);
                let (open, error, busy, onchange, id, version) = (
                    open.clone(),
                    error.clone(),
                    busy.clone(),
                    onchange.clone(),
                    r.id,
                    r.version,
                );
                yew::platform::spawn_local(async move {
                    match orient_service::reassign(id, to, version).await {
                        Ok(r) => {
                            open.set(None);
                            let who = r.assigned_counsellor.map(|c| c.name).unwrap_or_default();
                            onchange.emit(format!("Dossier confié à {who}."));
                        }
                        Err(e) => error.set(Some(e.message())),
                    }
                    busy.set(false);
                });
                return;
            }
            let text = Some(reason.trim().to_string()).filter(|s| !s.is_empty());
            let body = match m {
                Move::Hold => match *hold {
                    Some(h) => TransitionRequest {
                        to: Status::OnHold,
                        reason: Some(h.as_str().into()),
                        outcome: None,
                        counsellor_id: None,
                    },
                    None => return error.set(Some("Choisissez le motif de la pause.".into())),
                },
                Move::Unhold(s) => TransitionRequest {
                    to: s,
                    reason: None,
                    outcome: None,
                    counsellor_id: None,
                },
                Move::Unreachable => match text {
                    Some(t) => TransitionRequest {
                        to: Status::Unreachable,
                        reason: Some(t),
                        outcome: None,
                        counsellor_id: None,
                    },
                    None => {
                        return error
                            .set(Some("Indiquez pourquoi le jeune est injoignable.".into()))
                    }
                },
                Move::BackToContacting => TransitionRequest {
                    to: Status::Contacting,
                    reason: None,
                    outcome: None,
                    counsellor_id: None,
                },
                Move::Release | Move::Transfer | Move::Reassign => TransitionRequest {
                    to: Status::Submitted,
                    reason: None,
                    outcome: None,
                    counsellor_id: None,
                },
                Move::Close => match *outcome {
                    Some(o) if orient::outcome_needs_reason(o) && text.is_none() => {
                        return error.set(Some("Indiquez le motif de la clôture.".into()))
                    }
                    Some(o) => TransitionRequest {
                        to: Status::Closed,
                        reason: text,
                        outcome: Some(o),
                        counsellor_id: None,
                    },
                    None => return error.set(Some("Choisissez l’issue du dossier.".into())),
                },
            };
            busy.set(true);
            let (open, error, busy, onchange, id, version) = (
                open.clone(),
                error.clone(),
                busy.clone(),
                onchange.clone(),
                r.id,
                r.version,
            );
            yew::platform::spawn_local(async move {
                match referrals::transition(id, body, Some(version)).await {
                    Ok(r) => {
                        open.set(None);
                        error.set(None);
                        onchange.emit(format!("Statut du dossier : {}.", labels::status(r.status)));
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    let on_resume = {
        let (error, id) = (error.clone(), r.id);
        Callback::from(move |_: MouseEvent| {
            let (error, navigator) = (error.clone(), navigator.clone());
            yew::platform::spawn_local(async move {
                match orient_service::resume(id).await {
                    Ok(new) => {
                        flash("Parcours repris : un nouveau dossier est ouvert. Recueillez à nouveau l’accord du jeune avant tout relai.");
                        if let Some(n) = navigator {
                            n.push(&Route::Referral {
                                id: new.id.to_string(),
                            });
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    if moves.is_empty() && r.status != Status::Closed {
        return html! {};
    }
    html! {
        <section class="sas-card" aria-labelledby="titre-actions">
            <h2 class="fr-h5" id="titre-actions">{ "Faire avancer le dossier" }</h2>
            if let Some(e) = &*error {
                <Alert kind={AlertKind::Error} small=true>{ e.clone() }</Alert>
            }
            <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
                { for moves.iter().map(|m| {
                    let expanded = *open == Some(*m);
                    let (m, open, send, error) = (*m, open.clone(), send.clone(), error.clone());
                    let direct = matches!(m, Move::Unhold(_) | Move::BackToContacting | Move::Release);
                    let onclick = Callback::from(move |_: MouseEvent| {
                        error.set(None);
                        if direct { send.emit(m) } else { open.set(Some(m)) }
                    });
                    html! { <li><button type="button" class="fr-btn fr-btn--secondary" {onclick} aria-expanded={(!direct).then(|| expanded.to_string())}>{ m.label() }</button></li> }
                }) }
                if r.status == Status::Closed {
                    <li><button type="button" class="fr-btn fr-btn--secondary" onclick={on_resume}>{ "Reprendre le parcours" }</button></li>
                }
            </ul>
            if let Some(m) = *open {
                { detail(m, r.status, &hold, &outcome, &reason, &commune, (&colleagues, &colleague), &send, *busy) }
            }
        </section>
    }
}

fn hold_from(r: &Referral) -> Option<Status> {
    r.on_hold_from.filter(|_| r.status == Status::OnHold)
}

#[allow(clippy::too_many_arguments)]
fn detail(
    m: Move,
    status: Status,
    hold: &UseStateHandle<Option<HoldReason>>,
    outcome: &UseStateHandle<Option<Outcome>>,
    reason: &UseStateHandle<String>,
    commune: &UseStateHandle<Option<CommuneChoice>>,
    (colleagues, colleague): (&[PersonRef], &UseStateHandle<Option<uuid::Uuid>>),
    send: &Callback<Move>,
    busy: bool,
) -> Html {
    let onsubmit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(m);
        })
    };
    let reason_field = |label: &'static str| {
        let reason = reason.clone();
        html! { <TextareaField id="action-motif" {label} hint="Pour l’équipe SAS, jamais montré au prescripteur." value={(*reason).clone()} oninput={Callback::from(move |v: String| reason.set(v))} /> }
    };
    html! {
        <form class="fr-mt-2w" {onsubmit} novalidate=true aria-label={m.label()}>
            if m == Move::Hold {
                <SelectField id="action-pause" label="Motif de la pause" placeholder="Choisir…"
                    options={orient::HOLD_REASONS.iter().map(|h| (AttrValue::from(h.as_str()), AttrValue::from(labels::hold_reason(*h)))).collect::<Vec<_>>()}
                    value={hold.map(|h| h.as_str()).unwrap_or_default()}
                    onchange={{ let hold = hold.clone(); Callback::from(move |v: String| hold.set(HoldReason::parse(&v))) }} />
            }
            if m == Move::Reassign {
                <SelectField id="action-collegue" label="Collègue" placeholder="Choisir…"
                    options={colleagues.iter().map(|c| (AttrValue::from(c.id.to_string()), AttrValue::from(c.name.clone()))).collect::<Vec<_>>()}
                    value={colleague.map(|c| c.to_string()).unwrap_or_default()}
                    onchange={{ let colleague = colleague.clone(); Callback::from(move |v: String| colleague.set(v.parse().ok())) }} />
            }
            if m == Move::Transfer {
                <CommuneField id="action-commune" label="Nouvelle commune du jeune" value={(**commune).clone()} warn_unserved=true
                    onselect={{ let commune = commune.clone(); Callback::from(move |c: Option<CommuneChoice>| commune.set(c)) }} />
            }
            if m == Move::Unreachable {
                { reason_field("Pourquoi le jeune est injoignable") }
            }
            if m == Move::Close {
                <SelectField id="action-issue" label="Issue" placeholder="Choisir…"
                    options={orient::close_outcomes(status).iter().map(|o| (AttrValue::from(o.as_str()), AttrValue::from(labels::outcome(*o)))).collect::<Vec<_>>()}
                    value={outcome.map(|o| o.as_str()).unwrap_or_default()}
                    onchange={{ let outcome = outcome.clone(); Callback::from(move |v: String| outcome.set(Outcome::parse(&v))) }} />
                { reason_field("Motif (obligatoire sauf sortie positive ou prise en charge)") }
            }
            <button type="submit" class="fr-btn" aria-disabled={busy.then_some("true")}>{ if busy { "Envoi…".to_string() } else { m.label() } }</button>
        </form>
    }
}

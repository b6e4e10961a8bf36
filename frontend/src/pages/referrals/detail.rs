//! One referral: identity, status, situation, consent and timeline.
use api_types::{Event, Referral, Role, Status, VocabularyEntry};
use yew::prelude::*;

use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::link::AppLink;
use crate::logic::{format, labels, orient, thematiques::label_of};
use crate::pages::referrals::actions::ActionsPanel;
use crate::pages::referrals::attempts::ContactPanel;
use crate::pages::referrals::contact_edit::ContactEdit;
use crate::pages::referrals::diagnostic_form::DiagnosticPanel;
use crate::pages::referrals::identity_edit::IdentityEdit;
use crate::pages::referrals::matches::MatchesPanel;
use crate::pages::referrals::requests::RequestsPanel;
use crate::pages::referrals::youth_name;
use crate::pages::PageTitle;
use crate::platform;
use crate::services::{reference, referrals, ApiError};
use crate::session::{use_active_role, use_flash, use_title};

#[derive(Properties, PartialEq)]
pub struct ReferralProps {
    pub id: String,
}

/// What the page shows: the referral, its timeline, the needs' labels.
#[derive(Clone, PartialEq, Default)]
struct Loaded {
    referral: Option<Referral>,
    events: Vec<Event>,
    vocab: Vec<VocabularyEntry>,
    error: Option<ApiError>,
}

async fn load(id: String) -> Loaded {
    let (referral, error) = match referrals::get(&id).await {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    Loaded {
        referral,
        events: referrals::events(&id).await.unwrap_or_default(),
        vocab: reference::vocabulary("thematiques")
            .await
            .unwrap_or_default(),
        error,
    }
}

#[function_component(ReferralPage)]
pub fn referral_page(p: &ReferralProps) -> Html {
    let role = use_active_role();
    let flash_msg = use_flash();
    let data = use_state(Loaded::default);
    let reload = use_state(|| 0u32);
    let notice = use_state(|| None::<(AlertKind, String)>);
    let assigning = use_state(|| false);
    // The service picked with « Relayer » in the matching panel (the relay panel's form).
    let picked = use_state(|| None::<uuid::Uuid>);
    {
        let data = data.clone();
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            yew::platform::spawn_local(async move { data.set(load(id).await) });
        });
    }
    let title = match (&data.referral, &data.error) {
        (Some(r), _) => format!("Dossier de {}", youth_name(r)),
        (None, Some(_)) => "Dossier introuvable".to_string(),
        (None, None) => "Dossier".to_string(),
    };
    use_title(&title);
    let Some(r) = data.referral.clone() else {
        return not_loaded(data.error.as_ref());
    };

    let on_assign = {
        let (notice, reload, assigning, r) =
            (notice.clone(), reload.clone(), assigning.clone(), r.clone());
        Callback::from(move |_: MouseEvent| {
            if *assigning {
                return;
            }
            assigning.set(true);
            let (notice, reload, assigning, r) =
                (notice.clone(), reload.clone(), assigning.clone(), r.clone());
            yew::platform::spawn_local(async move {
                let name = youth_name(&r);
                notice.set(Some(match referrals::assign_to_me(&r).await {
                    Ok(_) => (
                        AlertKind::Success,
                        format!("Le dossier de {name} vous est attribué. À vous de le contacter."),
                    ),
                    Err(e) => (AlertKind::Warning, e.message()),
                }));
                assigning.set(false);
                reload.set(*reload + 1);
            });
        })
    };
    let counsellor = role == Some(Role::Counsellor);
    let anonymised = crate::logic::privacy::is_anonymised(&r.youth.first_name, &r.youth.last_name);
    let records_consent = crate::logic::consent_form::offered(role, r.status);
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    let on_moved = {
        let (reload, notice) = (reload.clone(), notice.clone());
        Callback::from(move |msg: String| {
            notice.set(Some((AlertKind::Success, msg)));
            reload.set(*reload + 1);
        })
    };
    let effective = if r.status == Status::OnHold {
        r.on_hold_from.unwrap_or(r.status)
    } else {
        r.status
    };
    let shows_contact = counsellor
        && !matches!(
            r.status,
            Status::PendingModeration | Status::Submitted | Status::Closed
        );
    let shows_diagnostic = counsellor
        && matches!(
            effective,
            Status::Diagnosis | Status::Relaying | Status::Followed
        );
    let back = if counsellor {
        (Route::Queue, "File d’attente")
    } else {
        (Route::Referrals, "Mes signalements")
    };

    html! {
        <>
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><AppLink to={back.0} classes={classes!("fr-breadcrumb__link")}>{ back.1 }</AppLink></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">{ youth_name(&r) }</a></li>
                </ol>
            </nav>
            <div class="sas-title-row">
                <PageTitle text={title.clone()} />
                <StatusBadge status={r.status} />
            </div>
            if counsellor {
                <p class="sas-next-action" id="prochaine-action"><strong>{ "Prochaine étape : " }</strong>{ orient::next_action(&r) }</p>
            }
            if let Some(f) = flash_msg {
                <Alert kind={AlertKind::Success} small=true>{ f }</Alert>
            }
            if let Some((kind, msg)) = &*notice {
                <Alert kind={*kind} small=true>{ msg.clone() }</Alert>
            }
            if counsellor && r.possible_duplicate == Some(true) {
                <Alert kind={AlertKind::Warning} small=true>{ "Doublon possible : ce jeune a déjà un autre dossier ouvert sur le territoire. Vérifiez avant de le contacter." }</Alert>
            }
            if counsellor && r.status == Status::Submitted {
                <div class="fr-mb-3w">
                    <button type="button" class="fr-btn" onclick={on_assign} aria-disabled={assigning.then_some("true")}>
                        { if *assigning { "Attribution…" } else { "M’attribuer ce dossier" } }
                    </button>
                </div>
            }
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-lg-7">
                    if shows_contact {
                        <ContactPanel referral={r.clone()} onchange={refresh.clone()} />
                    }
                    if counsellor {
                        <ActionsPanel referral={r.clone()} onchange={on_moved.clone()} />
                    }
                    if shows_diagnostic {
                        <DiagnosticPanel referral_id={r.id} />
                        // « Relayer » on a proposal fills the relay panel's form with its service.
                        <MatchesPanel referral_id={r.id} version={r.version}
                            on_relay={counsellor.then(|| { let picked = picked.clone(); Callback::from(move |s: uuid::Uuid| picked.set(Some(s))) })} />
                    }
                    <super::relays::RelaysPanel referral={r.clone()} counsellor={counsellor} onchange={refresh.clone()} service_id={*picked} />
                    <RequestsPanel referral_id={r.id} can_answer={!counsellor} version={r.version + i32::try_from(r.open_prescriber_requests).unwrap_or(0)} onchange={refresh.clone()} />
                    if !counsellor {
                        { sas_team(&r) }
                    }
                    { situation(&r, &data.vocab, counsellor) }
                    { identity(&r) }
                    if counsellor && !anonymised {
                        <IdentityEdit referral={r.clone()} onchange={on_moved.clone()} />
                    }
                    if !anonymised && r.status != Status::Closed && !matches!(r.status, Status::PendingModeration | Status::Submitted) {
                        <ContactEdit referral={r.clone()} onchange={on_moved.clone()} />
                    }
                    { representative(&r) }
                    { consent(&r) }
                    if records_consent {
                        <super::consent_record::NewConsent referral={r.clone()} onchange={on_moved.clone()} />
                    }
                </div>
                <div class="fr-col-12 fr-col-lg-5">
                    { timeline(&data.events) }
                </div>
            </div>
        </>
    }
}

fn not_loaded(error: Option<&ApiError>) -> Html {
    match error {
        Some(e) => html! {
            <>
                <PageTitle text="Dossier introuvable" />
                <Alert kind={AlertKind::Error}>{ e.message() }</Alert>
                <AppLink to={Route::Home} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Retour à l’accueil" }</AppLink>
            </>
        },
        None => html! { <><PageTitle text="Dossier" /><Loading /></> },
    }
}

fn row(label: &str, value: Html) -> Html {
    html! {
        <div class="sas-dl__row">
            <dt>{ label.to_string() }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

fn text_or_dash(v: Option<String>) -> Html {
    match v {
        Some(s) if !s.is_empty() => html! { { s } },
        _ => html! { <span class="sas-muted">{ "Non renseigné" }</span> },
    }
}

fn card(id: &str, title: &str, rows: Html) -> Html {
    html! {
        <section class="sas-card" aria-labelledby={id.to_string()}>
            <h2 class="fr-h5" id={id.to_string()}>{ title.to_string() }</h2>
            <dl class="sas-dl">{ rows }</dl>
        </section>
    }
}

fn situation(r: &Referral, vocab: &[VocabularyEntry], counsellor: bool) -> Html {
    let offset = platform::offset_minutes(platform::now());
    let needs = if r.needs.is_empty() {
        html! { <span class="sas-muted">{ "Aucun" }</span> }
    } else {
        html! {
            <ul class="fr-tags-group">
                { for r.needs.iter().map(|n| html! { <li><span class="fr-tag fr-tag--sm">{ label_of(vocab, n).to_string() }</span></li> }) }
            </ul>
        }
    };
    let by = r
        .prescriber_structure
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_else(|| labels::channel(r.channel).to_string());
    let on = format::datetime_long(r.submitted_at.unwrap_or(r.created_at), offset);
    card(
        "titre-situation",
        "Situation",
        html! {
            <>
                { row("Fin d’accompagnement", html! {
                    <>
                        { r.exit_date.map(format::date_long).unwrap_or_else(|| "Non renseignée".into()) }
                        { " " }
                        <Countdown days={r.days_to_exit} urgent={r.urgent} />
                    </>
                }) }
                { row("Motif", html! {
                    <>
                        { labels::reason(r.reason_code) }
                        if let Some(t) = &r.reason_text {
                            <br /><span class="fr-text--sm">{ t.clone() }</span>
                        }
                    </>
                }) }
                { row("Besoins repérés", needs) }
                { row("Signalé par", html! { { by } }) }
                { row("Signalé le", html! { { on } }) }
                if counsellor {
                    { row("Attribué à", html! { { r.assigned_counsellor.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "Personne pour l’instant".into()) } }) }
                }
                if let Some(h) = r.on_hold_reason {
                    { row("En pause", html! { { labels::hold_reason(h) } }) }
                }
                if let Some(o) = r.outcome {
                    { row("Issue", html! { { labels::outcome(o) } }) }
                }
            </>
        },
    )
}

fn sas_team(r: &Referral) -> Html {
    let Some(t) = &r.sas_team else {
        return html! {};
    };
    card(
        "titre-equipe",
        "L’équipe SAS qui suit ce jeune",
        html! {
            <>
                { row("Équipe", html! { { t.name.clone() } }) }
                { row("Téléphone", text_or_dash(t.phone.as_deref().map(format::phone))) }
                { row("Courriel", text_or_dash(t.email.clone())) }
            </>
        },
    )
}

fn identity(r: &Referral) -> Html {
    let y = &r.youth;
    let channels = if y.contact_channels.is_empty() {
        html! { <span class="sas-muted">{ "Non précisés" }</span> }
    } else {
        html! { { y.contact_channels.iter().map(|c| labels::contact_channel(*c)).collect::<Vec<_>>().join(", ") } }
    };
    card(
        "titre-identite",
        "Identité et contact",
        html! {
            <>
                { row("Nom", html! { { youth_name(r) } }) }
                if crate::logic::privacy::is_anonymised(&y.first_name, &y.last_name) {
                    // The birth date is then a placeholder, not a date.
                    { row("Date de naissance", html! { { "Effacée" } }) }
                } else {
                    { row("Date de naissance", html! { { format!("{} ({})", format::date_long(y.birth_date), format::age_label(y.age)) } }) }
                }
                { row("Téléphone", text_or_dash(y.phone.as_deref().map(format::phone))) }
                { row("Courriel", text_or_dash(y.email.clone())) }
                { row("Commune", html! { { y.commune_name.clone() } }) }
                if y.contact_via_prescriber_only {
                    { row("Contact", html! { <strong>{ "Uniquement par l’intermédiaire du prescripteur" }</strong> }) }
                } else {
                    { row("Moyens de contact acceptés", channels) }
                }
            </>
        },
    )
}

fn representative(r: &Referral) -> Html {
    let Some(rep) = &r.youth.legal_representative else {
        return html! {};
    };
    card(
        "titre-representant",
        "Représentant légal",
        html! {
            <>
                { row("Nom", html! { { rep.name.clone() } }) }
                { row("Téléphone", text_or_dash(rep.phone.as_deref().map(format::phone))) }
                { row("Courriel", text_or_dash(rep.email.clone())) }
                { row("Informé le", text_or_dash(rep.informed_on.map(format::date_long))) }
            </>
        },
    )
}

fn consent(r: &Referral) -> Html {
    let offset = platform::offset_minutes(platform::now());
    let c = &r.consent;
    card(
        "titre-consentement",
        "Information et accord du jeune",
        html! {
            <>
                { row("Informé le", html! { { format::datetime_long(c.informed_at, offset) } }) }
                { row("Par", html! { { format!("{} ({})", c.informed_by, labels::consent_method(c.method).to_lowercase()) } }) }
                { row("A accepté de", html! {
                    <ul class="sas-plain-list">
                        { for c.agreed.iter().map(|s| html! { <li>{ labels::consent_scope(*s) }</li> }) }
                    </ul>
                }) }
            </>
        },
    )
}

fn timeline(events: &[Event]) -> Html {
    html! {
        <section class="sas-card" aria-labelledby="titre-historique">
            <h2 class="fr-h5" id="titre-historique">{ "Historique" }</h2>
            if events.is_empty() {
                <p class="sas-muted">{ "Aucun événement pour l’instant." }</p>
            } else {
                <ol class="sas-timeline">
                    { for events.iter().map(|e| {
                        let (what, by) = labels::event(e);
                        html! {
                            <li class="sas-timeline__item">
                                <p class="sas-timeline__when fr-text--xs">{ format::datetime_long(e.occurred_at, platform::offset_minutes(e.occurred_at)) }</p>
                                <p class="sas-timeline__what">{ what }</p>
                                if let Some(by) = by {
                                    <p class="fr-text--xs sas-muted">{ by }</p>
                                }
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}

//! One referral: identity, status, situation, consent and timeline.
use api_types::{Event, EventPage, Referral, Role, Status, Vocabulary, VocabularyEntry};
use yew::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::badges::{Countdown, StatusBadge};
use crate::components::feedback::{Alert, AlertKind, Loading};
use crate::components::link::AppLink;
use crate::logic::{format, labels, thematiques::label_of};
use crate::pages::queue::take;
use crate::pages::referrals::youth_name;
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{use_auth, use_flash, use_title, Auth};

#[derive(Properties, PartialEq)]
pub struct ReferralProps {
    pub id: String,
}

fn row(label: &str, value: Html) -> Html {
    html! {
        <div class="sas-dl__row">
            <dt>{ label.to_string() }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

fn phone_or_dash(v: &Option<String>) -> Html {
    text_or_dash(&v.as_deref().map(format::phone))
}

fn text_or_dash(v: &Option<String>) -> Html {
    match v {
        Some(s) if !s.is_empty() => html! { { s.clone() } },
        _ => html! { <span class="sas-muted">{ "Non renseigné" }</span> },
    }
}

#[function_component(ReferralPage)]
pub fn referral_page(p: &ReferralProps) -> Html {
    let auth = use_auth();
    let flash_msg = use_flash();
    let referral = use_state(|| None::<Referral>);
    let events = use_state(Vec::<Event>::new);
    let error = use_state(|| None::<api::ApiError>);
    let notice = use_state(|| None::<(AlertKind, String)>);
    let vocab = use_state(Vec::<VocabularyEntry>::new);
    let reload = use_state(|| 0u32);
    let taking = use_state(|| false);
    let role = match &*auth {
        Auth::SignedIn { role, .. } => Some(*role),
        _ => None,
    };

    {
        let (referral, events, error, vocab) = (
            referral.clone(),
            events.clone(),
            error.clone(),
            vocab.clone(),
        );
        use_effect_with((p.id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            yew::platform::spawn_local(async move {
                match api::get::<Referral>(&format!("/api/v1/referrals/{id}")).await {
                    Ok(r) => {
                        referral.set(Some(r));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
                if let Ok(page) =
                    api::get::<EventPage>(&format!("/api/v1/referrals/{id}/events?limit=100")).await
                {
                    events.set(page.items);
                }
                if vocab.is_empty() {
                    if let Ok(v) = api::get::<Vocabulary>("/api/v1/vocabularies/thematiques").await
                    {
                        vocab.set(v.items);
                    }
                }
            });
        });
    }

    let title = match (&*referral, &*error) {
        (Some(r), _) => format!("Dossier de {}", youth_name(r)),
        (None, Some(_)) => "Dossier introuvable".to_string(),
        (None, None) => "Dossier".to_string(),
    };
    use_title(&title);

    let Some(r) = (*referral).clone() else {
        return match &*error {
            Some(e) => html! {
                <>
                    <h1 id="titre-page" tabindex="-1">{ "Dossier introuvable" }</h1>
                    <Alert kind={AlertKind::Error}>{ e.message() }</Alert>
                    <AppLink to={Route::Home} classes={classes!("fr-btn", "fr-btn--secondary")}>{ "Retour à l’accueil" }</AppLink>
                </>
            },
            None => html! {
                <>
                    <h1 id="titre-page" tabindex="-1">{ "Dossier" }</h1>
                    <Loading />
                </>
            },
        };
    };

    let on_take = {
        let (notice, reload, taking) = (notice.clone(), reload.clone(), taking.clone());
        let (id, version) = (r.id, r.version);
        let name = youth_name(&r);
        Callback::from(move |_: MouseEvent| {
            if *taking {
                return;
            }
            taking.set(true);
            let (notice, reload, taking, name) =
                (notice.clone(), reload.clone(), taking.clone(), name.clone());
            yew::platform::spawn_local(async move {
                match take(id, version).await {
                    Ok(_) => notice.set(Some((AlertKind::Success, format!("Vous avez pris en charge le dossier de {name}. À vous de le contacter.")))),
                    Err(e) => notice.set(Some((AlertKind::Warning, e.message()))),
                }
                taking.set(false);
                reload.set(*reload + 1);
            });
        })
    };

    let offset = platform::offset_minutes(platform::now());
    let counsellor = role == Some(Role::Counsellor);
    let back = if counsellor {
        (Route::Queue, "File d’attente")
    } else {
        (Route::Referrals, "Mes signalements")
    };
    let y = &r.youth;

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
                    <button type="button" class="fr-btn" onclick={on_take} disabled={*taking}>
                        { if *taking { "Prise en charge…" } else { "Prendre en charge ce dossier" } }
                    </button>
                </div>
            }

            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-lg-7">
                    <section class="sas-card" aria-labelledby="titre-situation">
                        <h2 class="fr-h5" id="titre-situation">{ "Situation" }</h2>
                        <dl class="sas-dl">
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
                            { row("Besoins repérés", if r.needs.is_empty() {
                                html! { <span class="sas-muted">{ "Aucun" }</span> }
                            } else {
                                html! {
                                    <ul class="fr-tags-group">
                                        { for r.needs.iter().map(|n| html! { <li><span class="fr-tag fr-tag--sm">{ label_of(&vocab, n).to_string() }</span></li> }) }
                                    </ul>
                                }
                            }) }
                            { row("Signalé par", html! { { r.prescriber_structure.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| labels::channel(r.channel).to_string()) } }) }
                            { row("Signalé le", html! { { r.submitted_at.map(|t| format::datetime_long(t, offset)).unwrap_or_else(|| format::datetime_long(r.created_at, offset)) } }) }
                            if counsellor {
                                { row("Suivi par", html! { { r.assigned_counsellor.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "Personne pour l’instant".into()) } }) }
                            }
                            if let Some(h) = r.on_hold_reason {
                                { row("En pause", html! { { labels::hold_reason(h) } }) }
                            }
                            if let Some(o) = r.outcome {
                                { row("Issue", html! { { labels::outcome(o) } }) }
                            }
                        </dl>
                    </section>

                    <section class="sas-card" aria-labelledby="titre-identite">
                        <h2 class="fr-h5" id="titre-identite">{ "Identité et contact" }</h2>
                        <dl class="sas-dl">
                            { row("Nom", html! { { youth_name(&r) } }) }
                            { row("Date de naissance", html! { { format!("{} ({})", format::date_long(y.birth_date), format::age_label(y.age)) } }) }
                            { row("Téléphone", phone_or_dash(&y.phone)) }
                            { row("Courriel", text_or_dash(&y.email)) }
                            { row("Commune", html! { { y.commune_name.clone() } }) }
                            { row("Moyens de contact acceptés", if y.contact_channels.is_empty() {
                                html! { <span class="sas-muted">{ "Non précisés" }</span> }
                            } else {
                                html! { { y.contact_channels.iter().map(|c| labels::contact_channel(*c)).collect::<Vec<_>>().join(", ") } }
                            }) }
                            if y.contact_via_prescriber_only {
                                { row("Contact", html! { <strong>{ "Uniquement par l’intermédiaire du prescripteur" }</strong> }) }
                            }
                        </dl>
                    </section>

                    if let Some(rep) = &y.legal_representative {
                        <section class="sas-card" aria-labelledby="titre-representant">
                            <h2 class="fr-h5" id="titre-representant">{ "Représentant légal" }</h2>
                            <dl class="sas-dl">
                                { row("Nom", html! { { rep.name.clone() } }) }
                                { row("Téléphone", phone_or_dash(&rep.phone)) }
                                { row("Courriel", text_or_dash(&rep.email)) }
                                { row("Informé le", html! { { rep.informed_on.map(format::date_long).unwrap_or_else(|| "Non renseigné".into()) } }) }
                            </dl>
                        </section>
                    }

                    <section class="sas-card" aria-labelledby="titre-consentement">
                        <h2 class="fr-h5" id="titre-consentement">{ "Information et accord du jeune" }</h2>
                        <dl class="sas-dl">
                            { row("Informé le", html! { { format::datetime_long(r.consent.informed_at, offset) } }) }
                            { row("Par", html! { { format!("{} ({})", r.consent.informed_by, labels::consent_method(r.consent.method).to_lowercase()) } }) }
                            { row("A accepté de", html! {
                                <ul class="sas-plain-list">
                                    { for r.consent.agreed.iter().map(|s| html! { <li>{ labels::consent_scope(*s) }</li> }) }
                                </ul>
                            }) }
                        </dl>
                    </section>
                </div>

                <div class="fr-col-12 fr-col-lg-5">
                    <section class="sas-card" aria-labelledby="titre-historique">
                        <h2 class="fr-h5" id="titre-historique">{ "Historique" }</h2>
                        if events.is_empty() {
                            <p class="sas-muted">{ "Aucun événement pour l’instant." }</p>
                        } else {
                            <ol class="sas-timeline">
                                { for events.iter().map(|e| html! {
                                    <li class="sas-timeline__item">
                                        <p class="sas-timeline__when fr-text--xs">{ format::datetime_long(e.occurred_at, platform::offset_minutes(e.occurred_at)) }</p>
                                        <p class="sas-timeline__what">{ labels::event(&e.kind, e.to_status) }</p>
                                        if let Some(a) = &e.actor {
                                            <p class="fr-text--xs sas-muted">{ format!("par {}", a.name) }</p>
                                        }
                                    </li>
                                }) }
                            </ol>
                        }
                    </section>
                </div>
            </div>
        </>
    }
}

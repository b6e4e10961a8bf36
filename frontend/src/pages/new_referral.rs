//! "Signaler un jeune": the prescriber's referral form.
use std::rc::Rc;

use api_types::{ConsentMethod, Referral, Vocabulary, VocabularyEntry};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, Method};
use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::{ErrorSummary, SummaryItem, SUMMARY_ID};
use crate::components::fields::{
    Checkbox, Fieldset, InputField, Radio, SelectField, TextareaField,
};
use crate::components::thematiques::ThematiquesPicker;
use crate::logic::error::ApiError;
use crate::logic::format;
use crate::logic::labels;
use crate::logic::referral_form::{Field, FormErrors, ReferralForm, MAX_AGE, MIN_AGE};
use crate::pages::PageTitle;
use crate::platform;
use crate::session::{flash, use_auth, Auth};

/// The form, edited through a reducer so that quick successive edits never overwrite each other.
#[derive(Debug, Clone, PartialEq, Default)]
struct FormState(ReferralForm);

type Edit = Box<dyn FnOnce(&mut ReferralForm)>;

impl Reducible for FormState {
    type Action = Edit;
    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut f = self.0.clone();
        edit(&mut f);
        Rc::new(FormState(f))
    }
}

#[function_component(NewReferral)]
pub fn new_referral() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let form = use_reducer(FormState::default);
    let errors = use_state(FormErrors::default);
    let general = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let vocab = use_state(Vec::<VocabularyEntry>::new);
    let today = platform::today();

    // Prefill who informs the young person with the prescriber's name and structure.
    {
        let form = form.clone();
        let who = match &*auth {
            Auth::SignedIn { me, .. } => match &me.structure {
                Some(s) => format!("{} ({})", me.name, s.name),
                None => me.name.clone(),
            },
            _ => String::new(),
        };
        use_effect_with((), move |_| {
            form.dispatch(Box::new(move |f: &mut ReferralForm| {
                if f.informed_by.is_empty() {
                    f.informed_by = who;
                }
                // The legal representative of a minor is informed, usually the same day.
                if f.rep_informed_on.is_empty() {
                    f.rep_informed_on = format::date_iso(today);
                }
            }));
        });
    }
    {
        let vocab = vocab.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(v) = api::get::<Vocabulary>("/api/v1/vocabularies/thematiques").await {
                    vocab.set(v.items);
                }
            });
        });
    }

    let f = &form.0;
    let minor = f.is_minor(today);
    let age = f.age(today).filter(|a| (MIN_AGE..=MAX_AGE).contains(a));
    let err = |field: Field| errors.get(field).map(|m| AttrValue::from(m.to_string()));

    // One callback per text field: the edit applies to the latest state.
    let text = |set: fn(&mut ReferralForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            form.dispatch(Box::new(move |f: &mut ReferralForm| set(f, v)))
        })
    };
    let flag = |set: fn(&mut ReferralForm, bool)| {
        let form = form.clone();
        Callback::from(move |v: bool| {
            form.dispatch(Box::new(move |f: &mut ReferralForm| set(f, v)))
        })
    };

    let onsubmit = {
        let (form, errors, general, busy, navigator) = (
            form.clone(),
            errors.clone(),
            general.clone(),
            busy.clone(),
            navigator.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            general.set(None);
            let body = match form.0.to_request(platform::today(), platform::now()) {
                Ok(b) => b,
                Err(errs) => {
                    errors.set(errs);
                    focus_summary();
                    return;
                }
            };
            errors.set(FormErrors::default());
            busy.set(true);
            let first_name = body.youth.first_name.clone();
            let (errors, general, busy, navigator) = (
                errors.clone(),
                general.clone(),
                busy.clone(),
                navigator.clone(),
            );
            yew::platform::spawn_local(async move {
                match api::send::<_, Referral>(Method::Post, "/api/v1/referrals", &body, None).await
                {
                    Ok(r) => {
                        flash(format!(
                            "Signalement envoyé. L’équipe SAS du territoire va contacter {first_name}."
                        ));
                        if let Some(n) = navigator {
                            n.push(&Route::Referral {
                                id: r.id.to_string(),
                            });
                        }
                    }
                    Err(ApiError::Validation { fields, .. }) if !fields.is_empty() => {
                        busy.set(false);
                        errors.set(FormErrors::from_api(&fields));
                        focus_summary();
                    }
                    Err(e) => {
                        busy.set(false);
                        general.set(Some(e.message()));
                        focus_summary();
                    }
                }
            });
        })
    };

    let summary: Vec<SummaryItem> = errors
        .iter()
        .map(|(field, msg)| SummaryItem {
            id: field.id().to_string(),
            label: field.label().to_string(),
            message: msg.clone(),
        })
        .collect();

    let on_commune = {
        let form = form.clone();
        Callback::from(move |c| form.dispatch(Box::new(move |f: &mut ReferralForm| f.commune = c)))
    };
    let on_need = {
        let form = form.clone();
        Callback::from(move |(code, on): (String, bool)| {
            form.dispatch(Box::new(move |f: &mut ReferralForm| {
                f.toggle_need(&code, on)
            }))
        })
    };
    let method = |m: ConsentMethod| {
        let form = form.clone();
        Callback::from(move |_: ()| {
            form.dispatch(Box::new(move |f: &mut ReferralForm| f.method = m))
        })
    };

    html! {
        <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-lg-9">
            <PageTitle text="Signaler un jeune" />
            <p class="fr-text--lead">{ "Un jeune de 15 à 29 ans dont l’accompagnement se termine ? Signalez-le, si possible avant la date de fin : l’équipe SAS du territoire le contactera pour l’orienter." }</p>
            <p class="fr-text--sm">{ "Tous les champs sont obligatoires, sauf mention « facultatif »." }</p>

            <ErrorSummary items={summary} general={(*general).clone().map(AttrValue::from)} />

            <form id={Field::Form.id()} onsubmit={onsubmit} novalidate=true aria-labelledby="titre-page">
                <h2 class="fr-h4 fr-mt-4w">{ "1. Le jeune" }</h2>
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id={Field::FirstName.id()} label="Prénom" autocomplete={Some(AttrValue::Static("off"))}
                            value={f.first_name.clone()} oninput={text(|f, v| f.first_name = v)} required=true error={err(Field::FirstName)} />
                    </div>
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id={Field::LastName.id()} label="Nom" autocomplete={Some(AttrValue::Static("off"))}
                            value={f.last_name.clone()} oninput={text(|f, v| f.last_name = v)} required=true error={err(Field::LastName)} />
                    </div>
                </div>
                <InputField id={Field::BirthDate.id()} label="Date de naissance" kind="date"
                    hint={Some(AttrValue::from(match age { Some(a) => format!("Le jeune a {} aujourd’hui.", format::age_label(a)), None => "Le jeune doit avoir entre 15 et 29 ans. Exemple : 14/07/2008".to_string() }))}
                    value={f.birth_date.clone()} oninput={text(|f, v| f.birth_date = v)} required=true error={err(Field::BirthDate)}
                    max={Some(AttrValue::from(format::date_iso(today)))} />

                <h2 class="fr-h4 fr-mt-4w">{ "2. Comment le joindre" }</h2>
                <div class="fr-grid-row fr-grid-row--gutters">
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id={Field::Phone.id()} label="Téléphone du jeune (facultatif)" kind="tel" inputmode={Some(AttrValue::Static("tel"))}
                            hint={Some(AttrValue::Static("Exemple : 06 12 34 56 78"))} autocomplete={Some(AttrValue::Static("off"))}
                            value={f.phone.clone()} oninput={text(|f, v| f.phone = v)} error={err(Field::Phone)} />
                    </div>
                    <div class="fr-col-12 fr-col-md-6">
                        <InputField id={Field::Email.id()} label="Courriel du jeune (facultatif)" kind="email"
                            hint={Some(AttrValue::Static("Exemple : prenom.nom@exemple.fr"))} autocomplete={Some(AttrValue::Static("off"))}
                            value={f.email.clone()} oninput={text(|f, v| f.email = v)} error={err(Field::Email)} />
                    </div>
                </div>
                <CommuneField id={Field::Commune.id()} label="Commune de résidence" value={f.commune.clone()}
                    onselect={on_commune} required=true warn_unserved=true error={err(Field::Commune)} />
                <Fieldset id={Field::ContactChannels.id()} legend="Moyens de contact acceptés par le jeune (facultatif)" inline=true error={err(Field::ContactChannels)}>
                    { for labels::CONTACT_CHANNELS.iter().map(|c| {
                        let c = *c;
                        let form = form.clone();
                        let onchange = Callback::from(move |on: bool| form.dispatch(Box::new(move |f: &mut ReferralForm| f.toggle_channel(c, on))));
                        html! {
                            <Checkbox id={format!("canal-{}", labels::contact_channel_code(c))} label={labels::contact_channel(c)}
                                checked={f.contact_channels.contains(&c)} {onchange} />
                        }
                    }) }
                </Fieldset>
                <Checkbox id="contact-via-prescripteur" label="Le jeune préfère être contacté uniquement par mon intermédiaire"
                    hint={Some(AttrValue::Static("L’équipe SAS passera alors par vous pour le joindre."))}
                    checked={f.via_prescriber_only} onchange={flag(|f, v| f.via_prescriber_only = v)} />

                if minor {
                    <section class="sas-section-minor fr-mt-4w" aria-labelledby="titre-representant">
                        <h2 class="fr-h4" id="titre-representant">{ "3. Représentant légal" }</h2>
                        <p class="fr-text--sm">{ "Le jeune est mineur : indiquez la personne qui exerce l’autorité parentale ou la tutelle. Elle doit être informée du signalement." }</p>
                        <InputField id={Field::RepName.id()} label="Nom et prénom du représentant légal" autocomplete={Some(AttrValue::Static("off"))}
                            value={f.rep_name.clone()} oninput={text(|f, v| f.rep_name = v)} required=true error={err(Field::RepName)} />
                        <div class="fr-grid-row fr-grid-row--gutters">
                            <div class="fr-col-12 fr-col-md-6">
                                <InputField id={Field::RepPhone.id()} label="Téléphone du représentant légal (facultatif)" kind="tel"
                                    inputmode={Some(AttrValue::Static("tel"))} autocomplete={Some(AttrValue::Static("off"))}
                                    value={f.rep_phone.clone()} oninput={text(|f, v| f.rep_phone = v)} error={err(Field::RepPhone)} />
                            </div>
                            <div class="fr-col-12 fr-col-md-6">
                                <InputField id={Field::RepEmail.id()} label="Courriel du représentant légal (facultatif)" kind="email"
                                    autocomplete={Some(AttrValue::Static("off"))}
                                    value={f.rep_email.clone()} oninput={text(|f, v| f.rep_email = v)} error={err(Field::RepEmail)} />
                            </div>
                        </div>
                        <InputField id={Field::RepInformedOn.id()} label="Date à laquelle il a été informé" kind="date" required=true
                            value={f.rep_informed_on.clone()} oninput={text(|f, v| f.rep_informed_on = v)} error={err(Field::RepInformedOn)}
                            max={Some(AttrValue::from(format::date_iso(today)))} />
                    </section>
                }

                <h2 class="fr-h4 fr-mt-4w">{ if minor { "4. Sa situation" } else { "3. Sa situation" } }</h2>
                <SelectField id={Field::Reason.id()} label="Motif de fin d’accompagnement"
                    placeholder={Some(AttrValue::Static("Choisir un motif"))}
                    options={labels::REASONS.iter().map(|r| (AttrValue::from(labels::reason_code(*r)), AttrValue::from(labels::reason(*r)))).collect::<Vec<_>>()}
                    value={f.reason.clone()} onchange={text(|f, v| f.reason = v)} required=true error={err(Field::Reason)} />
                if f.reason == "other" || !f.reason_text.is_empty() {
                    <TextareaField id={Field::ReasonText.id()}
                        label={if f.reason == "other" { "Précisez le motif" } else { "Précisions sur le motif (facultatif)" }}
                        hint={Some(AttrValue::Static("500 caractères au plus. Aucun détail médical ou judiciaire."))}
                        value={f.reason_text.clone()} oninput={text(|f, v| f.reason_text = v)} required={f.reason == "other"} error={err(Field::ReasonText)} />
                }
                <InputField id={Field::ExitDate.id()} label="Date de fin de l’accompagnement actuel (facultatif)" kind="date"
                    hint={Some(AttrValue::Static("Date prévue, ou déjà passée. À 30 jours ou moins, le signalement est traité en priorité."))}
                    value={f.exit_date.clone()} oninput={text(|f, v| f.exit_date = v)} error={err(Field::ExitDate)} />
                <ThematiquesPicker id={Field::Needs.id()} vocabulary={(*vocab).clone()} selected={f.needs.clone()} ontoggle={on_need} error={err(Field::Needs)} />

                <h2 class="fr-h4 fr-mt-4w">{ if minor { "5. Information du jeune" } else { "4. Information du jeune" } }</h2>
                <div class="fr-callout sas-notice" id="notice-information">
                    <h3 class="fr-callout__title fr-h6">{ "Notice à lire au jeune" }</h3>
                    <div class="fr-callout__text fr-text--md">
                        <p>{ "Votre accompagnement se termine bientôt. Pour que vous ne restiez pas sans solution, je vous propose de vous signaler à SAS, un service public qui aide les jeunes de 15 à 29 ans à trouver la suite : emploi, formation, logement, santé, démarches." }</p>
                        <ul>
                            <li>{ "Un conseiller de l’équipe SAS vous appellera ou vous écrira pour faire le point avec vous. Vous pouvez refuser à tout moment, sans conséquence sur vos droits." }</li>
                            <li>{ "SAS enregistre votre nom, votre date de naissance, vos coordonnées, votre commune et vos besoins. Rien sur votre santé ni sur la justice." }</li>
                            <li>{ "Si vous êtes d’accord, le conseiller pourra présenter votre situation à la structure qui vous accompagnera ensuite." }</li>
                            <li>{ "Seules les personnes qui vous accompagnent voient votre dossier. Il est effacé 2 ans après le dernier contact." }</li>
                            <li>{ "Vous pouvez demander à voir, corriger ou effacer vos informations auprès de l’équipe SAS." }</li>
                        </ul>
                    </div>
                </div>
                <Fieldset id={Field::Method.id()} legend="Comment avez-vous informé le jeune ?" inline=true error={err(Field::Method)}>
                    <Radio id="methode-orale" name="methode" label="À l’oral" checked={f.method == ConsentMethod::Oral} onselect={method(ConsentMethod::Oral)} />
                    <Radio id="methode-ecrite" name="methode" label="Par écrit (notice remise)" checked={f.method == ConsentMethod::Written} onselect={method(ConsentMethod::Written)} />
                </Fieldset>
                <InputField id={Field::InformedBy.id()} label="Personne qui a informé le jeune"
                    hint={Some(AttrValue::Static("Votre nom et votre structure, ou ceux du collègue qui l’a fait."))}
                    value={f.informed_by.clone()} oninput={text(|f, v| f.informed_by = v)} required=true error={err(Field::InformedBy)} />
                <Checkbox id={Field::NoticeRead.id()} label="J’ai lu cette notice au jeune (et à son représentant légal s’il est mineur)"
                    checked={f.notice_read} onchange={flag(|f, v| f.notice_read = v)} required=true error={err(Field::NoticeRead)} />
                <Checkbox id={Field::AgreeContact.id()} label="Le jeune accepte d’être contacté par l’équipe SAS"
                    checked={f.agree_contact} onchange={flag(|f, v| f.agree_contact = v)} required=true error={err(Field::AgreeContact)} />
                <Checkbox id="consent-agree-share" label="Le jeune accepte que sa situation soit présentée à la structure qui l’accompagnera (facultatif)"
                    hint={Some(AttrValue::Static("Sans cet accord, l’équipe SAS le lui redemandera avant toute orientation."))}
                    checked={f.agree_share} onchange={flag(|f, v| f.agree_share = v)} />

                <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
                    <li>
                        <button class="fr-btn" type="submit" disabled={*busy}>
                            { if *busy { "Envoi en cours…" } else { "Envoyer le signalement" } }
                        </button>
                    </li>
                </ul>
            </form>
        </div>
        </div>
    }
}

fn focus_summary() {
    // After the summary has rendered.
    yew::platform::spawn_local(async {
        yew::platform::time::sleep(std::time::Duration::from_millis(30)).await;
        platform::focus(SUMMARY_ID);
    });
}

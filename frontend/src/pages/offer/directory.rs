//! The public directory of the insertion offer (`/annuaire`): anyone, without an account,
//! searches the published services near a commune. The search lives in the address
//! (`/annuaire?commune=69266&lieu=…&thematique=…&age=…&q=…`), so it can be shared.
use api_types::ServiceResult;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::commune::CommuneField;
use crate::components::feedback::submit_button;
use crate::components::fields::{InputField, SelectField};
use crate::components::list::{list_view, ListTexts};
use crate::hooks::use_paged_list;
use crate::logic::format;
use crate::logic::offer::{self, OfferSearch};
use crate::logic::referral_form::CommuneChoice;
use crate::pages::PageTitle;
use crate::services::{offer as service, reference};

const TEXTS: ListTexts = ListTexts {
    empty_title: "Aucun service trouvé",
    empty_text: "Aucun service publié ne correspond à cette recherche. Essayez sans mot-clé ou avec un autre thème.",
    more: "Afficher plus de services",
};
const NEED_COMMUNE: &str = "Choisissez une commune dans la liste.";

#[function_component(Directory)]
pub fn directory() -> Html {
    let location = use_location();
    let navigator = use_navigator();
    let asked: OfferSearch = location
        .as_ref()
        .and_then(|l| l.query::<OfferSearch>().ok())
        .unwrap_or_default();
    let draft = use_state(|| asked.clone());
    let error = use_state(|| None::<AttrValue>);
    {
        // Back and forward bring their search into the form.
        let draft = draft.clone();
        use_effect_with(asked.clone(), move |a| draft.set(a.clone()));
    }
    let list = use_paged_list(asked.clone(), service::search);
    let thematiques = use_state(Vec::<(AttrValue, AttrValue)>::new);
    {
        let t = thematiques.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                if let Ok(v) = reference::vocabulary("thematiques").await {
                    t.set(
                        v.into_iter()
                            .map(|e| (e.value.into(), e.label.into()))
                            .collect(),
                    );
                }
            });
        });
    }
    let edit = |f: fn(&mut OfferSearch, String)| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut d = (*draft).clone();
            f(&mut d, v);
            draft.set(d);
        })
    };
    let onselect = {
        let (draft, error) = (draft.clone(), error.clone());
        Callback::from(move |c: Option<CommuneChoice>| {
            let mut d = (*draft).clone();
            (d.commune, d.lieu) = c.map(|c| (c.insee, c.label)).unwrap_or_default();
            if d.ready() {
                error.set(None);
            }
            draft.set(d);
        })
    };
    let onsubmit = {
        let (draft, error) = (draft.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !draft.ready() {
                error.set(Some(NEED_COMMUNE.into()));
                crate::platform::focus_page_heading("annuaire-commune");
                return;
            }
            if let Some(n) = &navigator {
                let _ = n.push_with_query(&Route::Directory, &*draft);
            }
        })
    };
    let commune = draft.ready().then(|| CommuneChoice {
        insee: draft.commune.clone(),
        label: draft.lieu.clone(),
        served: true,
    });
    html! {
        <>
            <PageTitle text="Trouver un accompagnement près de chez soi" />
            <p class="fr-text--lead">{ "Les services d’insertion publiés par les structures : emploi, formation, logement, santé, mobilité… Sans compte, sans donnée personnelle." }</p>
            <form class="sas-directory-form" {onsubmit} novalidate=true role="search" aria-label="Rechercher un service">
                <CommuneField id="annuaire-commune" label="Commune" value={commune} {onselect} required=true error={(*error).clone()} />
                <SelectField id="annuaire-thematique" label="Thème (facultatif)" options={(*thematiques).clone()}
                    value={draft.thematique.clone()} placeholder="Tous les thèmes" onchange={edit(|d, v| d.thematique = v)} />
                <InputField id="annuaire-age" label="Âge (facultatif)" hint="Pour ne voir que les services ouverts à cet âge."
                    kind="number" inputmode="numeric" min="0" max="120" value={draft.age.clone()} oninput={edit(|d, v| d.age = v)} />
                <InputField id="annuaire-q" label="Mots-clés (facultatif)" hint="Par exemple : atelier CV, permis, numérique."
                    value={draft.q.clone()} oninput={edit(|d, v| d.q = v)} />
                { submit_button("Rechercher", "Recherche…", list.loading && asked.ready()) }
            </form>
            if asked.ready() {
                <h2 class="fr-h4 fr-mt-4w">{ format!("Services près de {}", if asked.lieu.is_empty() { &asked.commune } else { &asked.lieu }) }</h2>
                { list_view(&list, TEXTS, results) }
            }
        </>
    }
}

fn results(items: &[ServiceResult]) -> Html {
    html! {
        <ul class="sas-results" aria-label={format!("Services ({})", format::count_label(items.len(), "affiché", "affichés"))}>
            { for items.iter().map(result) }
        </ul>
    }
}

fn result(r: &ServiceResult) -> Html {
    let facts: Vec<String> = [
        Some(offer::distance(r)),
        offer::ages(r.age_min, r.age_max),
        r.capacity
            .as_ref()
            .and_then(|c| offer::places(c.available, c.maximum)),
        Some(format!("Mis à jour le {}", format::date_short(r.date_maj))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let place = r
        .structure
        .commune
        .clone()
        .map(|c| format!(" · {c}"))
        .unwrap_or_default();
    html! {
        <li class="sas-result">
            <h3 class="fr-h6 fr-mb-1w">{ r.nom.clone() }</h3>
            <p class="fr-text--sm fr-mb-1w">{ format!("{}{place}", r.structure.nom) }</p>
            <ul class="fr-badges-group fr-mb-1w">
                <li><span class={classes!("fr-badge", "fr-badge--sm", "fr-badge--no-icon",
                    (r.eligibility == api_types::Eligibility::Eligible).then_some("fr-badge--green-menthe"))}>
                    { offer::eligibility(r.eligibility) }</span></li>
            </ul>
            <p class="fr-mb-1w">{ r.description.clone() }</p>
            <p class="fr-text--sm fr-mb-1w">{ facts.join(" · ") }</p>
            if r.telephone.is_some() || r.courriel.is_some() {
                <p class="fr-text--sm fr-mb-0">
                    if let Some(t) = &r.telephone {
                        <a class="fr-link" href={format!("tel:{}", t.replace(' ', ""))}>{ format!("Téléphone : {t}") }</a>{ " " }
                    }
                    if let Some(c) = &r.courriel {
                        <a class="fr-link" href={format!("mailto:{c}")}>{ c.clone() }</a>
                    }
                </p>
            }
        </li>
    }
}

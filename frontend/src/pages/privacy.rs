//! « Données personnelles » (`/donnees-personnelles`, open to everyone, signed in or not):
//! what SAS keeps about a young person, who sees it, for how long, where reads are logged and
//! how each right is exercised, in plain French. `docs/PRIVACY.md` says the same for a DPIA:
//! change both together. The delays come from `logic::privacy`.
use yew::prelude::*;

use crate::logic::privacy::{ACCESS_LOG_MONTHS, RETENTION_MONTHS};
use crate::pages::PageTitle;

#[function_component(Privacy)]
pub fn privacy() -> Html {
    html! {
        <div class="fr-grid-row"><div class="fr-col-12 fr-col-md-9">
            <PageTitle text="Données personnelles" />
            <p class="fr-text--lead">{ "SAS aide une équipe de votre territoire à contacter un jeune dont l’accompagnement se termine, puis à l’orienter vers une structure qui peut l’aider. Voici ce que SAS garde sur ce jeune, qui le voit, combien de temps, et comment le jeune peut faire valoir ses droits." }</p>
            { stored() }
            { who() }
            { how_long() }
            { logged() }
            { rights() }
            { other() }
        </div></div>
    }
}

fn stored() -> Html {
    html! {
        <section aria-labelledby="dp-ce-que">
            <h2 id="dp-ce-que">{ "Ce que SAS enregistre, et pourquoi" }</h2>
            <ul>
                <li><strong>{ "Son identité : " }</strong>{ "prénom, nom et date de naissance, pour savoir de qui il s’agit et vérifier qu’il a entre 15 et 29 ans." }</li>
                <li><strong>{ "Ses coordonnées : " }</strong>{ "téléphone, courriel, commune et les moyens par lesquels il accepte d’être contacté, pour que l’équipe SAS puisse le joindre. La commune désigne aussi l’équipe SAS qui s’occupe de lui." }</li>
                <li><strong>{ "Son représentant légal, " }</strong>{ "s’il est mineur : nom, coordonnées et date à laquelle il a été informé." }</li>
                <li><strong>{ "Le signalement : " }</strong>{ "la structure qui l’a signalé, la raison de la fin de son accompagnement, la date prévue de cette fin et les besoins notés." }</li>
                <li><strong>{ "Son accord : " }</strong>{ "quand et comment il a été informé, par qui, et ce qu’il a accepté (être contacté par SAS, que ses informations soient transmises à la structure qui l’accueillera). Chaque changement est gardé." }</li>
                <li><strong>{ "Le suivi : " }</strong>{ "les tentatives de contact et leurs notes, le diagnostic fait avec lui (sa situation, ses besoins, ses souhaits, ses propres mots), les demandes de relais vers des structures et leurs réponses, et les points de suivi à 1, 3 et 6 mois." }</li>
            </ul>
            <p>{ "SAS n’enregistre jamais d’information médicale ou judiciaire : la santé n’est qu’un thème de besoin, sans détail. Une structure dont le nom seul révélerait une situation judiciaire ou médicale est affichée « structure partenaire (confidentiel) »." }</p>
        </section>
    }
}

fn who() -> Html {
    html! {
        <section aria-labelledby="dp-qui">
            <h2 id="dp-qui">{ "Qui voit quoi" }</h2>
            <ul>
                <li><strong>{ "La structure qui a signalé le jeune " }</strong>{ "voit ce qu’elle a saisi, où en est son dossier et vers quelle structure il a été orienté. Elle ne voit ni le diagnostic, ni les notes, ni le nom de l’aiguilleur." }</li>
                <li><strong>{ "L’équipe SAS du territoire " }</strong>{ "(les aiguilleurs) voit tout le dossier, pour les jeunes de son territoire seulement." }</li>
                <li><strong>{ "La structure qui accueille le jeune " }</strong>{ "voit, pour les demandes qui lui sont adressées et seulement si le jeune l’a accepté : son identité, ses coordonnées (sauf s’il préfère passer par la structure qui l’a signalé), ses besoins prioritaires et le résumé que l’aiguilleur a rédigé pour elle." }</li>
                <li><strong>{ "Les pilotes " }</strong>{ "ne voient que des chiffres d’ensemble, jamais un jeune en particulier ; un chiffre de moins de 5 personnes est masqué." }</li>
                <li><strong>{ "Les administrateurs " }</strong>{ "gèrent les comptes et les structures. Ils ne lisent le dossier d’un jeune qu’en indiquant un motif, à chaque fois, et ce motif est gardé." }</li>
                <li><strong>{ "Sans compte, " }</strong>{ "on ne voit que l’annuaire des services publiés, jamais un jeune." }</li>
            </ul>
        </section>
    }
}

fn how_long() -> Html {
    html! {
        <section aria-labelledby="dp-duree">
            <h2 id="dp-duree">{ "Combien de temps" }</h2>
            <ul>
                <li>{ format!("Les données d’un jeune sont anonymisées {RETENTION_MONTHS} mois après la dernière activité sur son dernier dossier clos. Tant qu’un de ses dossiers est ouvert, rien n’est effacé.") }</li>
                <li>{ "Anonymiser veut dire effacer son identité, ses coordonnées, son représentant légal et tous les textes libres (notes, diagnostic, résumés, réponses). Il ne reste que des codes et des dates (par exemple « joint le 3 mars », « relais accepté »), qui ne permettent plus de savoir de qui il s’agit et servent aux statistiques." }</li>
                <li>{ format!("La liste des consultations (voir ci-dessous) est gardée {ACCESS_LOG_MONTHS} mois, puis supprimée.") }</li>
            </ul>
        </section>
    }
}

fn logged() -> Html {
    html! {
        <section aria-labelledby="dp-trace">
            <h2 id="dp-trace">{ "Où chaque consultation est notée" }</h2>
            <p>{ "Chaque fois qu’une personne affiche ou modifie les données d’un jeune, SAS note qui, pour quelle structure, quand et pour quoi faire, dans un journal des accès que personne ne peut modifier. Quand c’est un administrateur, son motif y est noté aussi, et ses actions sont reprises dans le journal d’administration." }</p>
            <p>{ "Les données d’un jeune n’apparaissent jamais dans les journaux techniques du serveur, dans les courriels envoyés par SAS, ni dans les messages d’erreur." }</p>
        </section>
    }
}

fn rights() -> Html {
    html! {
        <section aria-labelledby="dp-droits">
            <h2 id="dp-droits">{ "Les droits du jeune, et comment les exercer" }</h2>
            <p>{ "Le jeune (ou son représentant légal) s’adresse à l’équipe SAS de son territoire, directement ou par la structure qui l’a signalé. L’équipe SAS transmet la demande à un administrateur, qui agit en indiquant un motif, gardé dans le journal d’administration." }</p>

                <h3 class="fr-h6">{ "Obtenir une copie de ses données" }</h3>
                <p>{ "L’administrateur produit un document lisible (et le même contenu en fichier de données) avec tout ce que SAS garde sur le jeune : identité, dossiers, étapes, tentatives de contact, diagnostics, relais, accords, et la liste de qui a consulté ses données et quand." }</p>
                <h3 class="fr-h6">{ "Faire corriger ses données" }</h3>
                <p>{ "L’équipe SAS du territoire corrige son identité, sa date de naissance, son représentant légal ou ses coordonnées, même une fois le dossier clos ; la structure qui l’a signalé peut aussi corriger ses coordonnées. SAS garde la trace qu’une correction a eu lieu, pas les anciennes valeurs de son identité ; les anciennes coordonnées restent visibles de l’équipe SAS jusqu’à l’anonymisation." }</p>
                <h3 class="fr-h6">{ "Faire effacer ses données" }</h3>
                <p>{ "L’administrateur anonymise le jeune aussitôt, comme le ferait la durée de conservation. Ce n’est pas possible tant qu’une demande de relais vers une structure est en cours ou qu’un de ses dossiers est encore ouvert : l’équipe SAS annule ou termine d’abord le relais, clôt le dossier, puis l’effacement est fait." }</p>
                <h3 class="fr-h6">{ "Refuser d’être contacté ou de voir ses données transmises" }</h3>
                <p>{ "Le jeune peut à tout moment refuser d’être contacté : l’équipe SAS clôt son dossier (« le jeune refuse »). Il peut aussi retirer son accord pour que ses données soient transmises : un nouvel accord est enregistré, et les demandes de relais pas encore commencées sont annulées." }</p>

            <p>{ "Si la réponse ne lui convient pas, le jeune peut s’adresser à la Commission nationale de l’informatique et des libertés (CNIL)." }</p>
        </section>
    }
}

fn other() -> Html {
    html! {
        <section aria-labelledby="dp-autres">
            <h2 id="dp-autres">{ "Les professionnels qui utilisent SAS" }</h2>
            <p>{ "Pour les comptes des professionnels, SAS garde le nom, l’adresse électronique, la structure et les rôles. Aucun jeton de connexion n’est conservé dans le navigateur en dehors d’un cookie de session sécurisé." }</p>
        </section>
    }
}

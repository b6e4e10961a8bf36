//! The export as a document a young person can read and print: French, self-contained (no
//! script, no external style, font or image), every value escaped by [`esc`] — the one way a
//! value enters the page.
use std::fmt::Write as _;

use api_types::{
    AccessAction, Channel, ConsentMethod, ConsentScope, ContactChannel, ExportReferral, HoldReason,
    Outcome, ReasonCode, Role, Status, YouthExport,
};
use chrono::{DateTime, NaiveDate, Utc};

const STYLE: &str = "body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#161616;\
line-height:1.4}h1{font-size:1.6em}h2{border-bottom:2px solid #000091;margin-top:2em}\
h3{margin-top:1.5em}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}\
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\
th{background:#f0f0f0}dl{display:grid;grid-template-columns:16em 1fr;gap:.2em 1em}\
dt{font-weight:bold}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}\
.muted{color:#666}@media print{body{margin:0}section{break-inside:avoid-page}}";

/// HTML-escapes a value (text and attribute contexts).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%d/%m/%Y %H:%M UTC").to_string()
}

fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

fn list<T>(items: &[T], f: impl Fn(&T) -> &'static str) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

fn status(s: Status) -> &'static str {
    match s {
        Status::PendingModeration => "À modérer",
        Status::Submitted => "Signalé",
        Status::Contacting => "Prise de contact",
        Status::Unreachable => "Injoignable",
        Status::Diagnosis => "Diagnostic",
        Status::Relaying => "Relai en cours",
        Status::Followed => "Suivi",
        Status::OnHold => "En pause",
        Status::Closed => "Clos",
    }
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::TakenInCharge => "Pris en charge",
        Outcome::PositiveExit => "Sortie positive",
        Outcome::Declined => "Refus du jeune",
        Outcome::Unreachable => "Injoignable",
        Outcome::MovedAway => "Parti du territoire",
        Outcome::Duplicate => "Doublon",
        Outcome::Withdrawn => "Retiré par le prescripteur",
        Outcome::EnteredInError => "Saisi par erreur",
        Outcome::ClosedBySas => "Clôturé par le SAS",
    }
}

fn reason_code(r: ReasonCode) -> &'static str {
    match r {
        ReasonCode::AseExit => "Sortie de l’Aide sociale à l’enfance",
        ReasonCode::JudicialMeasureEnd => "Fin de mesure judiciaire",
        ReasonCode::SchoolDropout => "Décrochage scolaire",
        ReasonCode::ProgrammeEnd => "Fin de programme ou de dispositif",
        ReasonCode::RightsEnd => "Fin de droits",
        ReasonCode::Other => "Autre motif",
    }
}

fn hold(h: HoldReason) -> &'static str {
    match h {
        HoldReason::TemporarilyUnavailable => "Temporairement indisponible",
        HoldReason::WaitingList => "Liste d’attente",
        HoldReason::YouthRequest => "À la demande du jeune",
        HoldReason::Other => "Autre",
    }
}

fn channel(c: Channel) -> &'static str {
    match c {
        Channel::Institutional => "Structure prescriptrice",
        Channel::FieldActor => "Acteur de terrain",
        Channel::Relative => "Proche",
        Channel::SelfReferral => "Le jeune lui-même",
    }
}

fn contact_channel(c: &ContactChannel) -> &'static str {
    match c {
        ContactChannel::Phone => "Téléphone",
        ContactChannel::Sms => "SMS",
        ContactChannel::Email => "Courriel",
        ContactChannel::Letter => "Courrier",
        ContactChannel::HomeVisit => "Visite à domicile",
        ContactChannel::ViaPrescriber => "Par le prescripteur",
    }
}

fn method(m: ConsentMethod) -> &'static str {
    match m {
        ConsentMethod::Oral => "À l’oral",
        ConsentMethod::Written => "Par écrit",
    }
}

fn scope(s: &ConsentScope) -> &'static str {
    match s {
        ConsentScope::SasContact => "Être contacté par l’équipe SAS",
        ConsentScope::ShareWithReceiver => "Partage avec la structure d’accueil",
    }
}

fn action(a: AccessAction) -> &'static str {
    match a {
        AccessAction::Read => "Consultation",
        AccessAction::List => "Liste",
        AccessAction::Create => "Création",
        AccessAction::Update => "Modification",
        AccessAction::Export => "Export (droit d’accès)",
        AccessAction::Anonymise => "Anonymisation",
    }
}

fn role(r: &Role) -> &'static str {
    match r {
        Role::Admin => "Administrateur",
        Role::Prescriber => "Prescripteur",
        Role::Counsellor => "Aiguilleur",
        Role::Receiver => "Structure d’accueil",
        Role::Pilot => "Pilote",
    }
}

/// A `<dl>` of label/value pairs; values escaped.
fn dl(out: &mut String, rows: &[(&str, String)]) {
    out.push_str("<dl>");
    for (label, value) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    out.push_str("</dl>");
}

/// A table with its header; cells escaped. An empty table says so.
fn table(out: &mut String, head: &[&str], rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">Aucun.</p>");
        return;
    }
    out.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", esc(&cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// The whole document.
pub fn html(e: &YouthExport) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>Données personnelles détenues par SAS</title><style>{STYLE}</style></head><body>\
         <h1>Données personnelles détenues par SAS</h1>"
    );
    let _ = write!(
        out,
        "<p>Document établi le {} au titre du droit d’accès (RGPD, article 15). Motif : {}.</p>",
        esc(&time(e.generated_at)),
        esc(&e.reason)
    );
    let y = &e.youth;
    out.push_str("<h2>Identité et coordonnées</h2>");
    if let Some(at) = y.anonymised_at {
        let _ = write!(
            out,
            "<p>Ces données ont été anonymisées le {}.</p>",
            esc(&time(at))
        );
    }
    let rep = y.legal_representative.as_ref();
    dl(
        &mut out,
        &[
            ("Prénom", y.first_name.clone()),
            ("Nom", y.last_name.clone()),
            ("Date de naissance", date(y.birth_date)),
            ("Téléphone", opt(y.phone.as_deref())),
            ("Courriel", opt(y.email.as_deref())),
            (
                "Commune",
                format!(
                    "{} ({})",
                    y.commune_name.clone().unwrap_or_default(),
                    y.commune_insee
                ),
            ),
            (
                "Moyens de contact acceptés",
                list(&y.contact_channels, contact_channel),
            ),
            (
                "Contact par le prescripteur uniquement",
                if y.contact_via_prescriber_only {
                    "Oui"
                } else {
                    "Non"
                }
                .to_string(),
            ),
            (
                "Représentant légal",
                rep.map(|r| r.name.clone()).unwrap_or_default(),
            ),
            (
                "Téléphone du représentant légal",
                opt(rep.and_then(|r| r.phone.as_deref())),
            ),
            (
                "Courriel du représentant légal",
                opt(rep.and_then(|r| r.email.as_deref())),
            ),
            (
                "Représentant légal informé le",
                opt_date(rep.and_then(|r| r.informed_on)),
            ),
            ("Enregistré le", time(y.created_at)),
            ("Dernière modification", time(y.updated_at)),
        ],
    );
    out.push_str("<h2>Coordonnées remplacées</h2>");
    table(
        &mut out,
        &[
            "Remplacées le",
            "Téléphone",
            "Courriel",
            "Moyens de contact",
        ],
        e.contact_history
            .iter()
            .map(|c| {
                vec![
                    time(c.replaced_at),
                    opt(c.phone.as_deref()),
                    opt(c.email.as_deref()),
                    list(&c.contact_channels, contact_channel),
                ]
            })
            .collect(),
    );
    out.push_str("<h2>Signalements</h2>");
    if e.referrals.is_empty() {
        out.push_str("<p class=\"muted\">Aucun.</p>");
    }
    for r in &e.referrals {
        referral(&mut out, r);
    }
    out.push_str("<h2>Qui a consulté ou modifié ces données</h2>");
    table(
        &mut out,
        &[
            "Date",
            "Action",
            "Personne ou système",
            "Rôles",
            "Structure",
            "Accès",
            "Motif",
        ],
        e.accesses
            .iter()
            .map(|a| {
                vec![
                    time(a.occurred_at),
                    action(a.action).to_string(),
                    if a.actor.type_ == "api_client" {
                        format!("{} (système partenaire)", a.actor.name)
                    } else {
                        a.actor.name.clone()
                    },
                    list(&a.actor.roles, role),
                    a.structure
                        .as_ref()
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    a.route.clone(),
                    opt(a.reason.as_deref()),
                ]
            })
            .collect(),
    );
    out.push_str("</body></html>");
    out
}

fn referral(out: &mut String, r: &ExportReferral) {
    let _ = write!(
        out,
        "<section><h3>Signalement du {} ({})</h3>",
        esc(&time(r.created_at)),
        esc(&r.id.to_string())
    );
    dl(
        out,
        &[
            ("Statut", status(r.status).to_string()),
            (
                "Issue",
                r.outcome.map(outcome).unwrap_or_default().to_string(),
            ),
            ("Origine", channel(r.channel).to_string()),
            ("Territoire", r.territory.name.clone()),
            (
                "Structure prescriptrice",
                r.prescriber_structure
                    .as_ref()
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            ),
            (
                "Motif de fin d’accompagnement",
                reason_code(r.reason_code).to_string(),
            ),
            ("Précision", opt(r.reason_text.as_deref())),
            ("Fin d’accompagnement prévue", opt_date(r.exit_date)),
            ("Besoins", r.needs.join(", ")),
            (
                "Mis en pause pour",
                r.on_hold_reason.map(hold).unwrap_or_default().to_string(),
            ),
            (
                "Aiguilleur",
                r.assigned_counsellor
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            ),
            (
                "Reprise du signalement",
                r.previous_referral_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            ("Transmis le", opt_time(r.submitted_at)),
            ("Clos le", opt_time(r.closed_at)),
        ],
    );
    out.push_str("<h4>Historique</h4>");
    table(
        out,
        &[
            "Date",
            "Événement",
            "Statut",
            "Code",
            "Champs",
            "Par",
            "Note",
        ],
        r.events
            .iter()
            .map(|ev| {
                let moved = match (ev.from_status, ev.to_status) {
                    (Some(f), Some(t)) if f != t => format!("{} → {}", status(f), status(t)),
                    (None, Some(t)) => status(t).to_string(),
                    _ => String::new(),
                };
                vec![
                    time(ev.occurred_at),
                    ev.kind.clone(),
                    moved,
                    opt(ev.code.as_deref()),
                    ev.fields.join(", "),
                    ev.actor
                        .as_ref()
                        .map(|a| a.name.clone())
                        .unwrap_or_else(|| "SAS".to_string()),
                    opt(ev.note.as_deref()),
                ]
            })
            .collect(),
    );
    out.push_str("<h4>Consentement</h4>");
    table(
        out,
        &["Informé le", "Par", "Forme", "Accord", "Enregistré le"],
        r.consent_history
            .iter()
            .map(|c| {
                vec![
                    time(c.informed_at),
                    c.informed_by.clone(),
                    method(c.method).to_string(),
                    list(&c.agreed, scope),
                    time(c.recorded_at),
                ]
            })
            .collect(),
    );
    out.push_str("<h4>Tentatives de contact</h4>");
    table(
        out,
        &["Date", "Moyen", "Résultat", "Note", "Par", "Prochain essai"],
        r.contact_attempts
            .iter()
            .map(|a| {
                vec![
                    time(a.attempted_at),
                    a.channel.as_str().to_string(),
                    a.outcome.as_str().to_string(),
                    opt(a.note.as_deref()),
                    a.author
                        .as_ref()
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    opt_date(a.next_try_on),
                ]
            })
            .collect(),
    );
    out.push_str("<h4>Demandes au prescripteur</h4>");
    table(
        out,
        &["Ouverte le", "Demande", "Réponse", "Répondue le"],
        r.prescriber_requests
            .iter()
            .map(|q| {
                vec![
                    time(q.opened_at),
                    opt(q.message.as_deref()),
                    opt(q.answer.as_deref()),
                    opt_time(q.answered_at),
                ]
            })
            .collect(),
    );
    out.push_str("<h4>Diagnostic</h4>");
    if r.diagnostics.is_empty() {
        out.push_str("<p class=\"muted\">Aucun.</p>");
    }
    for d in &r.diagnostics {
        let by = d
            .saved_by
            .as_ref()
            .map(|p| format!(" par {}", p.name))
            .unwrap_or_default();
        let content = serde_json::to_string_pretty(&d.content).unwrap_or_default();
        let _ = write!(
            out,
            "<p>Version {} enregistrée le {}{}</p><pre>{}</pre>",
            d.version,
            esc(&time(d.saved_at)),
            esc(&by),
            esc(&content)
        );
    }
    out.push_str("<h4>Relais</h4>");
    table(
        out,
        &[
            "Demandé le",
            "Structure",
            "Service",
            "Statut",
            "Motif",
            "Issue",
            "Transmis",
            "Points de suivi",
        ],
        r.relays
            .iter()
            .map(|v| {
                let checkpoints = v
                    .checkpoints
                    .iter()
                    .map(|c| {
                        format!(
                            "J+{} ({}) : {}",
                            c.n,
                            date(c.due_on),
                            c.answer.map(|a| a.as_str()).unwrap_or("en attente")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ; ");
                vec![
                    time(v.requested_at),
                    v.structure.name.clone(),
                    v.service_name.clone(),
                    v.status.as_str().to_string(),
                    [
                        v.reason.map(|r| r.as_str().to_string()),
                        v.reason_text.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — "),
                    v.outcome
                        .map(|o| o.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    [
                        Some(v.needs.join(", ")).filter(|s| !s.is_empty()),
                        v.shared_summary.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — "),
                    checkpoints,
                ]
            })
            .collect(),
    );
    out.push_str("</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            esc("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(esc("Zoé Ørsted"), "Zoé Ørsted");
    }
}

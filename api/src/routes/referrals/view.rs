//! Rendering for the eyes that read: every referral, event and consent record an answer
//! carries goes through here, with the rules of `domain::referral::visibility`, so no route
//! can show a prescriber more than DOMAIN.md allows.
use api_types::{
    Consent, ConsentRecord, ContactProgress, DuplicateLink, DuplicateScope, Event,
    LegalRepresentative, PersonRef, Referral, SasTeamContact, StructureRef, Youth,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::consent::ConsentRow;
use crate::db::events::EventView;
use crate::db::referrals::ReferralView;
use crate::domain::referral::contact::{self, Summary, UnreachableRule};
use crate::domain::referral::visibility::{self, Viewer};
use crate::domain::referral::{age_on, is_urgent, today_in};
use crate::error::{ApiError, ApiResult};

pub fn referral(v: ReferralView, viewer: Viewer, now: DateTime<Utc>) -> ApiResult<Referral> {
    let tz: Tz = v
        .time_zone
        .parse()
        .map_err(|_| ApiError::internal(format!("unknown stored time zone {:?}", v.time_zone)))?;
    let today = today_in(tz, now);
    let consent = match (
        v.consent_informed_at,
        v.consent_informed_by,
        v.consent_method,
        v.consent_agreed,
    ) {
        (Some(informed_at), Some(informed_by), Some(method), Some(agreed)) => Consent {
            informed_at,
            informed_by,
            method,
            agreed,
        },
        _ => return Err(ApiError::internal("a referral without a consent record")),
    };
    let sas = viewer.is_sas();
    let counsellor = viewer == Viewer::Counsellor;
    let mut duplicates: Vec<DuplicateLink> = v
        .duplicate_ids
        .unwrap_or_default()
        .into_iter()
        .map(|id| DuplicateLink {
            scope: DuplicateScope::ThisTerritory,
            referral_id: Some(id),
        })
        .collect();
    if v.duplicate_elsewhere {
        duplicates.push(DuplicateLink {
            scope: DuplicateScope::OtherTerritory,
            referral_id: None,
        });
    }
    let prescriber_structure = match (
        v.prescriber_structure_id,
        v.prescriber_name,
        v.prescriber_kind,
    ) {
        (Some(id), Some(name), Some(kind)) => Some(StructureRef {
            id: id.uuid(),
            name,
            kind,
        }),
        _ => None,
    };
    let progress = (visibility::sees_orientation_work(viewer)).then(|| {
        let summary = Summary {
            attempts: v.attempts_since,
            contact: v.contact_since,
            channels: v.channels_since.iter().copied().collect(),
            first_day: v.first_day,
            last_day: v.last_day,
        };
        let rule = UnreachableRule {
            min_attempts: i64::from(v.rule_min_attempts),
            min_days: i64::from(v.rule_min_days),
            min_channels: i64::from(v.rule_min_channels),
        };
        ContactProgress {
            attempts: v.attempts_total,
            attempts_since_contacting: v.attempts_since,
            channels_tried: summary.channels.iter().copied().collect(),
            last_attempt_at: v.last_attempt_at,
            days_since_referral: contact::days_between(v.created_at, now, tz),
            days_since_last_attempt: v.last_attempt_at.map(|t| contact::days_between(t, now, tz)),
            next_try_on: v.next_try_on,
            unreachable_rule_met: contact::rule_met(v.status, &summary, &rule),
        }
    });
    let sas_team = v.team_name.map(|name| SasTeamContact {
        name,
        phone: v.team_phone,
        email: v.team_email,
    });
    Ok(Referral {
        contact: progress,
        sas_team,
        open_prescriber_requests: v.open_requests,
        id: v.id.uuid(),
        status: v.status,
        channel: v.channel,
        territory_id: v.territory_id.uuid(),
        prescriber_structure,
        youth: Youth {
            id: v.youth_id.uuid(),
            // An anonymised youth's birth date is a placeholder.
            age: if v.anonymised_at.is_some() {
                0
            } else {
                age_on(v.birth_date, today)
            },
            anonymised_at: v.anonymised_at,
            first_name: v.first_name,
            last_name: v.last_name,
            birth_date: v.birth_date,
            phone: v.phone,
            email: v.email,
            commune_insee: v.commune_insee,
            commune_name: v.commune_name,
            contact_channels: v.contact_channels,
            contact_via_prescriber_only: v.contact_via_prescriber_only,
            legal_representative: v.legal_rep_name.map(|name| LegalRepresentative {
                name,
                phone: v.legal_rep_phone,
                email: v.legal_rep_email,
                informed_on: v.legal_rep_informed_on,
            }),
        },
        reason_code: v.reason_code,
        reason_text: v.reason_text,
        exit_date: v.exit_date,
        days_to_exit: v.exit_date.map(|d| (d - today).num_days()),
        urgent: is_urgent(v.status, v.on_hold_from, v.exit_date, today),
        needs: v.needs,
        consent,
        assigned_counsellor: v
            .assigned_counsellor_id
            .filter(|_| sas)
            .map(|id| PersonRef {
                id: id.uuid(),
                name: v.counsellor_name.unwrap_or_default(),
            }),
        possible_duplicate: counsellor.then_some(!duplicates.is_empty()),
        duplicates: counsellor.then_some(duplicates),
        on_hold_reason: visibility::hold_reason(viewer, v.on_hold_reason),
        on_hold_from: v.on_hold_from.filter(|_| sas),
        outcome: v.outcome.map(|o| visibility::outcome(viewer, o)),
        previous_referral_id: v.previous_referral_id.map(|id| id.uuid()),
        submitted_at: v.submitted_at,
        closed_at: v.closed_at,
        created_at: v.created_at,
        updated_at: v.updated_at,
        version: v.version,
    })
}

pub fn event(e: EventView, viewer: Viewer) -> Event {
    let sees_actor = visibility::sees_actor(viewer, e.actor_structure_id);
    Event {
        id: e.id.uuid(),
        kind: e.kind.as_str().to_string(),
        from_status: e.from_status,
        to_status: e.to_status,
        code: visibility::event_code(viewer, e.kind, e.to_status, e.code.as_deref()),
        relay_id: e.relay_id,
        occurred_at: e.occurred_at,
        actor: match (e.actor_id, e.actor_name) {
            (Some(id), Some(name)) if sees_actor => Some(PersonRef { id, name }),
            _ => None,
        },
        note: visibility::note(viewer, e.actor_structure_id, e.note),
    }
}

pub fn consent(c: ConsentRow) -> ConsentRecord {
    ConsentRecord {
        id: c.id.uuid(),
        referral_id: c.referral_id.uuid(),
        informed_at: c.informed_at,
        informed_by: c.informed_by,
        method: c.method,
        agreed: c.agreed,
        recorded_at: c.recorded_at,
    }
}

pub fn attempt(a: crate::db::attempts::AttemptView) -> api_types::ContactAttempt {
    api_types::ContactAttempt {
        id: a.id,
        referral_id: a.referral_id,
        channel: a.channel,
        outcome: a.outcome,
        attempted_at: a.attempted_at,
        note: a.note,
        next_try_on: a.next_try_on,
        author: match (a.author_id, a.author_name) {
            (Some(id), Some(name)) => Some(PersonRef { id, name }),
            _ => None,
        },
        recorded_at: a.recorded_at,
        prescriber_request_id: a.request_id,
    }
}

pub fn request(r: crate::db::attempts::RequestRow) -> api_types::PrescriberRequest {
    api_types::PrescriberRequest {
        id: r.id,
        referral_id: r.referral_id.uuid(),
        status: if r.answered_at.is_some() {
            api_types::RequestStatus::Answered
        } else {
            api_types::RequestStatus::Open
        },
        message: r.message,
        opened_at: r.opened_at,
        answer: r.answer,
        answered_at: r.answered_at,
    }
}

/// A stored diagnostic version, decoded (a blanked one reads as empty).
pub fn diagnostic_content(
    content: serde_json::Value,
    shared_summary: Option<String>,
) -> ApiResult<api_types::DiagnosticInput> {
    let mut d: api_types::DiagnosticInput = serde_json::from_value(content)
        .map_err(|e| ApiError::internal(format!("a stored diagnostic does not decode: {e}")))?;
    d.shared_summary = shared_summary;
    Ok(d)
}

pub fn diagnostic_version(
    v: crate::db::diagnostics::VersionView,
) -> ApiResult<api_types::DiagnosticVersion> {
    Ok(api_types::DiagnosticVersion {
        version: v.version,
        saved_at: v.saved_at,
        saved_by: match (v.saved_by, v.saved_by_name) {
            (Some(id), Some(name)) => Some(PersonRef { id, name }),
            _ => None,
        },
        content: diagnostic_content(v.content, v.shared_summary)?,
    })
}

//! A relay as its reader may see it (`domain::relay::visibility`): every route that shows a
//! relay renders it here.
use api_types::{Checkpoint, NamedStructure, Relay, RelayYouth};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::relays::{self, RelayRow};
use crate::domain::directory::CONFIDENTIAL_PRESCRIBER;
use crate::domain::referral::today_in;
use crate::domain::relay::visibility::{self as rv, Reader, CONFIDENTIAL_PARTNER};
use crate::domain::relay::{self as rule};
use crate::error::{ApiError, ApiResult};
use crate::ids::YouthId;

/// Renders `rows` for `reader`, in their order, each with its young person's id (for the
/// access log).
pub fn relays(
    conn: &mut diesel::PgConnection,
    rows: Vec<RelayRow>,
    reader: Reader,
    now: DateTime<Utc>,
) -> ApiResult<Vec<(Relay, YouthId)>> {
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let contexts = relays::contexts(conn, &ids)?;
    let checkpoints = relays::checkpoints(conn, &ids)?;
    rows.into_iter()
        .map(|r| {
            let c = contexts
                .iter()
                .find(|c| c.relay_id == r.id)
                .ok_or_else(|| ApiError::internal("a relay without its context"))?;
            let tz: Tz = c
                .time_zone
                .parse()
                .map_err(|_| ApiError::internal("unknown stored time zone"))?;
            let today = today_in(tz, now);
            let cps: Vec<Checkpoint> = checkpoints
                .iter()
                .filter(|k| k.relay_id == r.id)
                .map(|k| Checkpoint {
                    n: k.n,
                    due_on: k.due_on,
                    overdue: rule::checkpoint_overdue(
                        r.status,
                        k.due_on,
                        k.answer.is_some(),
                        today,
                    ),
                    answer: k.answer,
                    answered_at: k.answered_at,
                })
                .collect();
            let overdue = rule::request_overdue(r.status, r.requested_at, tz, now)
                || cps.iter().any(|k| k.overdue);
            let shows_structure = rv::shows_structure(reader, c.structure_sensitive);
            let youth = rv::shows_youth(reader).then(|| {
                let contact = rv::shows_contact(reader, c.contact_via_prescriber_only);
                RelayYouth {
                    anonymised_at: c.anonymised_at,
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    birth_date: c.birth_date,
                    phone: c.phone.clone().filter(|_| contact),
                    email: c.email.clone().filter(|_| contact),
                    commune_insee: c.commune_insee.clone(),
                    commune_name: c.commune_name.clone(),
                    contact_via_prescriber_only: c.contact_via_prescriber_only,
                }
            });
            let prescriber = rv::shows_prescriber(reader).then(|| {
                if rv::names_prescriber(reader, c.prescriber_sensitive) {
                    NamedStructure {
                        id: c.prescriber_id.map(|s| s.uuid()),
                        name: c.prescriber_name.clone().unwrap_or_default(),
                    }
                } else {
                    NamedStructure {
                        id: None,
                        name: CONFIDENTIAL_PRESCRIBER.to_string(),
                    }
                }
            });
            let reasons = rv::shows_reasons(reader);
            let summary = rv::shows_summary(reader);
            Ok((
                Relay {
                    id: r.id.uuid(),
                    referral_id: r.referral_id.uuid(),
                    status: r.status,
                    off_platform: r.off_platform,
                    structure: if shows_structure {
                        NamedStructure {
                            id: Some(r.structure_id.uuid()),
                            name: c.structure_name.clone(),
                        }
                    } else {
                        NamedStructure {
                            id: None,
                            name: CONFIDENTIAL_PARTNER.to_string(),
                        }
                    },
                    service_id: shows_structure.then_some(r.service_id.uuid()),
                    service_name: shows_structure.then(|| c.service_name.clone()),
                    reason: r.reason.filter(|_| reasons),
                    reason_text: r.reason_text.filter(|_| reasons),
                    outcome: r.outcome,
                    requested_at: r.requested_at,
                    answered_at: r.answered_at,
                    started_at: r.started_at,
                    ended_at: r.ended_at,
                    expires_on: (r.status == api_types::RelayStatus::Requested)
                        .then(|| rule::expiry_date(r.off_platform, r.requested_at, tz))
                        .flatten(),
                    overdue,
                    checkpoints: cps,
                    youth,
                    needs: summary.then(|| r.needs.clone()),
                    shared_summary: r.shared_summary.filter(|_| summary),
                    prescriber,
                    version: r.version,
                },
                c.youth_id,
            ))
        })
        .collect()
}

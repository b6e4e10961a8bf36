//! `GET /youths/{id}/export`: the right of access — everything SAS holds about one young
//! person, and who read it, as JSON or as a printable French document. An administrator acts,
//! with a reason each time: the export is access-logged (`export`) and audited
//! (`youth.export`) in the transaction that reads it.
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{
    AccessAction, ExportAccess, ExportActor, ExportCheckpoint, ExportContactChange, ExportEvent,
    ExportFormat, ExportReferral, ExportRelay, ExportYouth, LegalRepresentative, NamedStructure,
    PersonRef, Role, StructureRef, TerritoryRef, YouthExport,
};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use serde::Deserialize;
use uuid::Uuid;

use super::view;
use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, attempts, consent, diagnostics, export as rows};
use crate::domain::personal_data::export_file_name;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, YouthId};
use crate::routes::admin_audit::{self, read_reason, Changes, Entry};
use crate::routes::referrals::{journal, view as referral_view};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Why you export this young person's data (1 to 500 characters, logged and audited),
    /// such as the young person's request and its date.
    pub reason: Option<String>,
    /// `json` (the default) or `html`.
    pub format: Option<ExportFormat>,
}

/// Everything SAS holds about one young person (administrators, with a `reason`): identity,
/// contact and legal representative, replaced contact details, every referral with its
/// timeline, consent history, contact attempts, requests to the prescriber, diagnostic
/// versions and relays with their checkpoints, and every access to their data. `format=html`
/// gives a printable, self-contained French document. Logged (`export`, with the reason) and
/// in the admin audit (`youth.export`). An anonymised young person exports what remains.
#[utoipa::path(
    tag = "privacy",
    params(("id" = Uuid, Path, description = "Youth id (`referral.youth.id`)"), ExportQuery),
    responses(
        (status = 200, description = "The export, as an attachment (`sas-export-<id>.json` or `.html`: no personal data in the name).", content(
            (YouthExport = "application/json"),
            (String = "text/html"),
        ), headers(("Content-Disposition" = String, description = "attachment; filename=\"sas-export-<id>.json\""))),
        (status = 422, description = "`reason_required` (missing or blank `reason`), or `reason` `too_long`.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/youths/{id}/export")]
pub async fn export(
    state: web::Data<AppState>,
    Authorized(caller): AdminOnly,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let reason = read_reason(q.reason.as_deref())?;
    let format = q.format.unwrap_or(ExportFormat::Json);
    let id = YouthId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let actor = caller.actor.user_id();
    let export = db::tx(&state.pool, move |conn| {
        let export = collect(conn, id, &reason, now)?.ok_or_else(ApiError::not_found)?;
        j.access_youth(conn, AccessAction::Export, id, Some(&reason))?;
        let mut changes = Changes::default();
        changes.set("format", &format.as_str());
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "youth.export",
                target_type: "youth",
                target_id: id.uuid(),
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(export)
    })
    .await?;
    let mut res = HttpResponse::Ok();
    res.insert_header(ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(export_file_name(
            id.uuid(),
            format.as_str(),
        ))],
    })
    .insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(match format {
        ExportFormat::Json => res.json(&export),
        ExportFormat::Html => res
            .content_type("text/html; charset=utf-8")
            .body(view::html(&export)),
    })
}

/// Reads everything about `id`; `None` when there is no such youth.
fn collect(
    conn: &mut PgConnection,
    id: YouthId,
    reason: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<YouthExport>> {
    let Some(y) = rows::youth(conn, id)? else {
        return Ok(None);
    };
    let youth = ExportYouth {
        id: y.id.uuid(),
        first_name: y.first_name,
        last_name: y.last_name,
        birth_date: y.birth_date,
        phone: y.phone,
        email: y.email,
        commune_insee: y.commune_insee,
        commune_name: y.commune_name,
        contact_channels: y.contact_channels,
        contact_via_prescriber_only: y.contact_via_prescriber_only,
        legal_representative: y.legal_rep_name.map(|name| LegalRepresentative {
            name,
            phone: y.legal_rep_phone,
            email: y.legal_rep_email,
            informed_on: y.legal_rep_informed_on,
        }),
        anonymised_at: y.anonymised_at,
        created_at: y.created_at,
        updated_at: y.updated_at,
    };
    let contact_history = rows::contact_history(conn, id)?
        .into_iter()
        .map(|c| ExportContactChange {
            referral_id: c.referral_id,
            replaced_at: c.replaced_at,
            phone: c.phone,
            email: c.email,
            contact_channels: c.contact_channels,
            contact_via_prescriber_only: c.contact_via_prescriber_only,
        })
        .collect();
    let mut referrals = Vec::new();
    for r in rows::referrals(conn, id)? {
        referrals.push(referral(conn, r)?);
    }
    let accesses = rows::accesses(conn, id)?
        .into_iter()
        .map(|a| ExportAccess {
            occurred_at: a.occurred_at,
            action: a.action,
            actor: ExportActor {
                type_: if a.by_client { "api_client" } else { "user" }.to_string(),
                id: a.actor_id,
                name: a.actor_name.unwrap_or_default(),
                roles: a
                    .actor_roles
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|r| Role::parse(r))
                    .collect(),
            },
            structure: a.structure_id.map(|sid| NamedStructure {
                id: Some(sid),
                name: a.structure_name.unwrap_or_default(),
            }),
            route: a.route,
            reason: a.reason,
            referral_id: a.referral_id,
        })
        .collect();
    Ok(Some(YouthExport {
        generated_at: now,
        reason: reason.to_string(),
        youth,
        contact_history,
        referrals,
        accesses,
    }))
}

/// One referral with every row recorded about it, oldest first.
fn referral(conn: &mut PgConnection, r: rows::ReferralView) -> ApiResult<ExportReferral> {
    let rid: ReferralId = r.id;
    let events = rows::events(conn, rid)?
        .into_iter()
        .map(|e| ExportEvent {
            id: e.id,
            kind: e.kind.as_str().to_string(),
            from_status: e.from_status,
            to_status: e.to_status,
            code: e.code,
            fields: e.fields,
            relay_id: e.relay_id,
            occurred_at: e.occurred_at,
            actor: match (e.actor_id, e.actor_name) {
                (Some(id), Some(name)) => Some(PersonRef { id, name }),
                _ => None,
            },
            note: e.note,
        })
        .collect();
    let mut consent_history: Vec<_> = consent::history(conn, rid, None, i64::MAX)?
        .into_iter()
        .map(referral_view::consent)
        .collect();
    consent_history.reverse();
    let mut contact_attempts: Vec<_> = attempts::list(conn, rid, None, i64::MAX)?
        .into_iter()
        .map(referral_view::attempt)
        .collect();
    contact_attempts.reverse();
    let mut prescriber_requests: Vec<_> = attempts::requests(conn, rid, None, i64::MAX)?
        .into_iter()
        .map(referral_view::request)
        .collect();
    prescriber_requests.reverse();
    let mut diagnostic_versions = Vec::new();
    for v in diagnostics::versions(conn, rid, None, i64::MAX)?
        .into_iter()
        .rev()
    {
        diagnostic_versions.push(referral_view::diagnostic_version(v)?);
    }
    let checkpoints = rows::checkpoints(conn, rid)?;
    let relays = rows::relays(conn, rid)?
        .into_iter()
        .map(|v| ExportRelay {
            checkpoints: checkpoints
                .iter()
                .filter(|c| c.relay_id == v.id)
                .map(|c| ExportCheckpoint {
                    n: c.n,
                    due_on: c.due_on,
                    answer: c.answer,
                    answered_at: c.answered_at,
                })
                .collect(),
            id: v.id,
            status: v.status,
            off_platform: v.off_platform,
            structure: NamedStructure {
                id: Some(v.structure_id),
                name: v.structure_name,
            },
            service_id: v.service_id,
            service_name: v.service_name,
            needs: v.needs,
            shared_summary: v.shared_summary,
            reason: v.reason,
            reason_text: v.reason_text,
            outcome: v.outcome,
            requested_at: v.requested_at,
            answered_at: v.answered_at,
            started_at: v.started_at,
            ended_at: v.ended_at,
        })
        .collect();
    Ok(ExportReferral {
        id: rid.uuid(),
        status: r.status,
        outcome: r.outcome,
        channel: r.channel,
        territory: TerritoryRef {
            id: r.territory_id,
            name: r.territory_name,
        },
        prescriber_structure: match (r.prescriber_id, r.prescriber_name, r.prescriber_kind) {
            (Some(id), Some(name), Some(kind)) => Some(StructureRef { id, name, kind }),
            _ => None,
        },
        reason_code: r.reason_code,
        reason_text: r.reason_text,
        exit_date: r.exit_date,
        needs: r.needs,
        on_hold_reason: r.on_hold_reason,
        on_hold_from: r.on_hold_from,
        assigned_counsellor: match (r.counsellor_id, r.counsellor_name) {
            (Some(id), Some(name)) => Some(PersonRef { id, name }),
            _ => None,
        },
        previous_referral_id: r.previous_referral_id,
        submitted_at: r.submitted_at,
        closed_at: r.closed_at,
        created_at: r.created_at,
        updated_at: r.updated_at,
        events,
        consent_history,
        contact_attempts,
        prescriber_requests,
        diagnostics: diagnostic_versions,
        relays,
    })
}

//! `PATCH /referrals/{id}`: its prescriber corrects a referral nobody has taken yet.
use actix_web::{patch, web, HttpRequest, HttpResponse};
use api_types::{
    AccessAction, Consent, EventKind, LegalRepresentative, ReferralCreate, ReferralUpdate, Status,
};
use uuid::Uuid;

use super::create::{check_dates, territory_for, youth_row};
use super::{journal, show, Prescriber};
use crate::auth::Authorized;
use crate::db::referrals::{self, Scope};
use crate::db::youths::{self, YouthRow};
use crate::db::{self, consent};
use crate::domain::referral::lifecycle::EventDraft;
use crate::domain::youth;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, StructureId};
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

const MSG_NOT_EDITABLE: &str = "A counsellor has taken this referral: ask them to correct it.";
const MSG_OTHER_TERRITORY: &str =
    "This commune is served by another territory: withdraw this referral and refer again.";

/// Correct a referral (its prescriber, while no counsellor has taken it; `If-Match` required).
/// The state is checked before the version: a referral taken meanwhile answers 409.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = ReferralUpdate,
    responses(
        (status = 200, description = "Corrected.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Already taken by a counsellor (`not_editable`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (the creation rules, and `commune_in_other_territory`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/referrals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Authorized(caller): Prescriber,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ReferralUpdate>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let id = ReferralId(id.into_inner());
    let b = body.into_inner();
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = Scope {
        prescriber_structure: caller.structure_id.map(StructureId),
        ..Scope::default()
    };
    let r = db::tx(&state.pool, move |conn| {
        let (mut r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        if !matches!(r.status, Status::Submitted | Status::PendingModeration) {
            return Err(ApiError::conflict("not_editable", MSG_NOT_EDITABLE));
        }
        expected.check(r.version)?;
        let latest = consent::latest(conn, id)?
            .ok_or_else(|| ApiError::internal("a referral without a consent record"))?;
        // Re-validate the whole referral as it would become, with the creation rules.
        let merged = ReferralCreate {
            youth: b.youth.clone().unwrap_or_else(|| youth_input(&y)),
            reason_code: b.reason_code.unwrap_or(r.reason_code),
            reason_text: if b.reason_code.is_some() || b.reason_text.is_some() {
                b.reason_text.clone()
            } else {
                r.reason_text.clone()
            },
            exit_date: b.exit_date.or(r.exit_date),
            needs: b.needs.clone().unwrap_or_else(|| r.needs.clone()),
            consent: Consent {
                informed_at: latest.informed_at,
                informed_by: latest.informed_by.clone(),
                method: latest.method,
                agreed: latest.agreed.clone(),
            },
        };
        let p = youth::parse(merged, latest.recorded_at.max(latest.informed_at))
            .map_err(ApiError::validation)?;
        let (territory, today) = territory_for(conn, &p.youth.commune_insee, now)?;
        if territory != r.territory_id {
            return Err(ApiError::field(
                "youth.commune_insee",
                "commune_in_other_territory",
                MSG_OTHER_TERRITORY,
            ));
        }
        check_dates(&p.youth, p.exit_date, today)?;
        let mut changed = Vec::new();
        if b.youth.is_some() {
            changed.push("youth".to_string());
        }
        youths::update(
            conn,
            &youth_row(y.id, &p.youth, y.created_at, now, y.version + 1),
        )?;
        for (field, differs) in [
            (
                "reason",
                r.reason_code != p.reason_code || r.reason_text != p.reason_text,
            ),
            ("exit_date", r.exit_date != p.exit_date),
            ("needs", r.needs != p.needs),
        ] {
            if differs {
                changed.push(field.to_string());
            }
        }
        r.reason_code = p.reason_code;
        r.reason_text = p.reason_text;
        r.exit_date = p.exit_date;
        r.needs = p.needs;
        r.updated_at = now;
        r.version += 1;
        let r = referrals::update(conn, &r)?;
        // The event names what changed, never the values (they are personal data).
        let mut event = EventDraft::new(EventKind::Corrected);
        event.fields = changed;
        j.event(conn, r.id, &event)?;
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
        show(conn, &caller, &j, r.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

pub(super) fn youth_input(y: &YouthRow) -> api_types::YouthInput {
    api_types::YouthInput {
        first_name: y.first_name.clone(),
        last_name: y.last_name.clone(),
        birth_date: y.birth_date,
        phone: y.phone.clone(),
        email: y.email.clone(),
        commune_insee: y.commune_insee.clone(),
        contact_channels: y.contact_channels.clone(),
        contact_via_prescriber_only: y.contact_via_prescriber_only,
        legal_representative: y.legal_rep_name.clone().map(|name| LegalRepresentative {
            name,
            phone: y.legal_rep_phone.clone(),
            email: y.legal_rep_email.clone(),
            informed_on: y.legal_rep_informed_on,
        }),
    }
}

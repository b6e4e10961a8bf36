//! `POST /referrals/{id}/transitions`: the one door for requested status changes; the rules
//! are `domain::referral::lifecycle`, the writing `db::referrals::transition`.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, TransitionRequest};
use uuid::Uuid;

use super::{capacity, journal, scope_of, show, transition_error, StaffOrAdmin};
use crate::auth::Authorized;
use crate::db;
use crate::db::referrals::{self, Scope};
use crate::domain::referral::lifecycle::{Capacity, Request};
use crate::error::ApiResult;
use crate::ids::{ReferralId, UserId};
use crate::routes::admin_audit::{self, Changes, Entry};
use crate::routes::support::{if_match, ok_versioned, Precondition};
use crate::state::AppState;

/// Change a referral's status: take it (`contacting`, assigned to you or to `counsellor_id`),
/// release it (`submitted`), put it on hold (with a hold reason), move it to `unreachable`,
/// close it with an outcome (DOMAIN.md's outcome table: `withdrawn` is the prescriber's,
/// `entered_in_error` an administrator's)… `If-Match` is required; the state is checked
/// first, so taking a referral someone took meanwhile answers 409 `already_taken`, not 412.
#[utoipa::path(
    tag = "referrals",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "Done.", body = api_types::Referral, headers(("ETag" = String, description = "Its new version"))),
        (status = 409, description = "Not allowed for you from the current state: `illegal_transition`, or `already_taken` when another counsellor took it; `allowed_transitions` lists what is (`[]` when nothing).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing field (`outcome` with `allowed_outcomes`, `reason_required`), an outcome that does not fit the state or your role (`outcome_not_allowed`, with `allowed_outcomes`), an invalid hold reason, a field that does not apply, an unknown counsellor.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    Authorized(caller): StaffOrAdmin,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    let expected = match if_match(&req)? {
        Precondition::Any => None,
        Precondition::Version(v) => Some(v),
    };
    let id = ReferralId(id.into_inner());
    let t = body.into_inner();
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let admin =
        !caller.has(api_types::Role::Prescriber) && !caller.has(api_types::Role::Counsellor);
    // An administrator reaches any referral, to record `entered_in_error` with its reason.
    let scope = if admin { Scope::ALL } else { scope_of(&caller) };
    let request = Request {
        to: Some(t.to),
        outcome: t.outcome,
        reason: t.reason,
        counsellor: t.counsellor_id.map(UserId),
        cause: None,
    };
    let r = db::tx(&state.pool, move |conn| {
        let by = |r: &referrals::ReferralRow| capacity(&caller, r);
        let (r, y, applied) = referrals::transition(conn, id, scope, &request, by, expected, &j)
            .map_err(transition_error)?;
        let as_admin = by(&r).capacity == Capacity::Admin;
        let logged_reason = as_admin.then_some(applied.event.note.as_deref()).flatten();
        j.access(conn, AccessAction::Update, &[(y.id, r.id)], logged_reason)?;
        // An administrator's change (`entered_in_error`, which needs its reason) is an
        // administrative action on a youth's referral: audited with that reason.
        if let (true, Some(reason)) = (as_admin, logged_reason) {
            let mut changes = Changes::default();
            changes.field(
                "status",
                &applied.event.from_status,
                &applied.event.to_status,
            );
            changes.set("outcome", &r.outcome);
            admin_audit::record(
                conn,
                Entry {
                    actor: caller.actor.user_id(),
                    action: "referral.transition",
                    target_type: "referral",
                    target_id: r.id.uuid(),
                    changes,
                    reason,
                },
                j.now,
            )?;
        }
        show(conn, &caller, &j, r.id, scope, None)
    })
    .await?;
    let v = r.version;
    Ok(ok_versioned(&r, v))
}

//! `POST /referrals/{id}/relays`: a counsellor sends the referral to a service.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, ConsentScope, RelayCreate, RelayStatus, ServiceStatus};
use uuid::Uuid;

use super::{act_error, show, Counsellor};
use crate::auth::Authorized;
use crate::db::relays::RelayRow;
use crate::db::{self, consent, diagnostics, referrals};
use crate::domain::relay::visibility::Reader;
use crate::domain::relay::{self as rule};
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, RelayId, ServiceId, TerritoryId};
use crate::routes::idempotency;
use crate::routes::referrals::journal;
use crate::state::AppState;

const MSG_NOT_NOW: &str =
    "Relays are sent once the young person is diagnosed (diagnosis, relaying, followed).";
const MSG_CONSENT: &str =
    "The latest consent record does not include share_with_receiver: record it first.";
const MSG_SERVICE: &str = "Not a published service.";
const MSG_NO_ACCOUNT: &str = "This structure has no SAS account (no active receiver, no API client): record an off-platform relay instead (off_platform: true).";
const MSG_HAS_ACCOUNT: &str =
    "This structure answers through SAS: send the relay without off_platform.";
const MSG_SUMMARY: &str = "At most 2000 characters.";
/// 409 `service_excluded` (in French: the SPA may show it as it is).
pub const MSG_EXCLUDED: &str = "Ce service a été écarté des propositions pour ce jeune : \
    retirez d’abord l’exclusion (« Remettre » dans les services écartés) avant de lui envoyer \
    une demande de relais.";

/// A 422 whose top-level `code` names the rule (the SPA keys its message on it).
fn coded(mut e: ApiError, code: &'static str, detail: &str) -> ApiError {
    e.code = code;
    e.detail = detail.to_string();
    e
}

/// Send a relay request to a published service, with the `shared_summary` the receiving
/// structure will read (by default the diagnostic's) and the diagnostic's prioritised needs.
/// The latest consent record must include `share_with_receiver`; at most one active relay
/// per service. A structure with no active receiver account nor API client gets no relay
/// through SAS: record it with `off_platform: true` (the counsellor then records its
/// answers; counted apart). The first relay moves the referral to `relaying`; the receiving
/// structure's agents are mailed. A service excluded from the referral's matches is refused
/// (409 `service_excluded`) until the exclusion is removed. `Idempotency-Key` makes retries
/// safe.
#[utoipa::path(
    tag = "relays",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h."),
    ),
    request_body = RelayCreate,
    responses(
        (status = 201, description = "Sent.", body = api_types::Relay, headers(("Location" = String, description = "URL of the relay"), ("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such referral in your territory.", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a state where relays are sent (`relay_not_allowed`), an active relay to this service exists (`relay_exists`), or the counsellor excluded this service from the referral's matches (`service_excluded`: remove the exclusion first, `DELETE /referrals/{id}/matches/exclusions/{service_id}`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "`consent_required` (the latest consent lacks `share_with_receiver`), `service_id`: `not_published`, `structure_without_account` or `structure_has_account`; `shared_summary`: `too_long`; `idempotency_key_reused`.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/relays")]
pub async fn create_relay(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<RelayCreate>,
) -> ApiResult<HttpResponse> {
    let id = ReferralId(id.into_inner());
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let now = state.clock.now();
    let summary = body
        .shared_summary
        .as_deref()
        .and_then(crate::domain::text::clean);
    if summary
        .as_deref()
        .is_some_and(|s| s.chars().count() > rule::MAX_SUMMARY_CHARS)
    {
        return Err(ApiError::field("shared_summary", "too_long", MSG_SUMMARY));
    }
    let j = journal(&caller, req.path(), now);
    let scope = referrals::Scope {
        territory: caller.territory_id.map(TerritoryId),
        ..referrals::Scope::default()
    };
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let (r, y) = referrals::lock(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
            if !rule::may_request(r.status, r.on_hold_from) {
                return Err(ApiError::conflict("relay_not_allowed", MSG_NOT_NOW));
            }
            let shared = consent::latest(conn, r.id)?
                .is_some_and(|c| c.agreed.contains(&ConsentScope::ShareWithReceiver));
            if !shared {
                return Err(coded(
                    ApiError::field("consent", "consent_required", MSG_CONSENT),
                    "consent_required",
                    MSG_CONSENT,
                ));
            }
            let service = db::services::get(conn, ServiceId(body.service_id))?
                .map(|s| s.service)
                .filter(|s| s.status == ServiceStatus::Published)
                .ok_or_else(|| ApiError::field("service_id", "not_published", MSG_SERVICE))?;
            // A service the counsellor set aside for this young person is not relayed to
            // until the exclusion is removed: the decision stays deliberate and traced.
            if db::matching::exclusion(conn, r.id, service.id)?.is_some() {
                return Err(ApiError::conflict("service_excluded", MSG_EXCLUDED));
            }
            let has_account = db::relays::has_account(conn, service.structure_id)?;
            if !has_account && !body.off_platform {
                return Err(coded(
                    ApiError::field("service_id", "structure_without_account", MSG_NO_ACCOUNT),
                    "structure_without_account",
                    MSG_NO_ACCOUNT,
                ));
            }
            if has_account && body.off_platform {
                return Err(ApiError::field(
                    "off_platform",
                    "structure_has_account",
                    MSG_HAS_ACCOUNT,
                ));
            }
            let diagnostic = diagnostics::latest(conn, r.id)?;
            let (needs, diag_summary) = diagnostic
                .and_then(|d| {
                    let summary = d.shared_summary.clone();
                    serde_json::from_value::<api_types::DiagnosticInput>(d.content)
                        .ok()
                        .map(|mut input| {
                            input.shared_summary = summary;
                            crate::domain::diagnostic::for_receiver(&input)
                        })
                })
                .unwrap_or_default();
            let row = RelayRow {
                id: RelayId::new(),
                referral_id: r.id,
                service_id: service.id,
                structure_id: service.structure_id,
                off_platform: body.off_platform,
                status: RelayStatus::Requested,
                reason: None,
                reason_text: None,
                outcome: None,
                needs,
                shared_summary: summary.clone().or(diag_summary),
                requested_by_user_id: j.who.user(),
                requested_by_client_id: j.who.client(),
                requested_at: now,
                answered_at: None,
                started_at: None,
                ended_at: None,
                updated_at: now,
                version: 1,
            };
            let row = db::relays::request(conn, &row, &j).map_err(act_error)?;
            j.access(conn, AccessAction::Update, &[(y.id, r.id)], None)?;
            let location = format!("/api/v1/relays/{}", row.id);
            let relay = show(conn, row, Reader::Counsellor, &j, None)?;
            Ok((location, idempotency::to_body(&relay)?))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

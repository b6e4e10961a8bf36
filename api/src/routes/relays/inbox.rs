//! `GET /relays`: the receiving structure's inbox.
use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, RelayPage, RelayStatus};
use serde::Deserialize;

use super::{view, Receiver};
use crate::auth::Authorized;
use crate::db::relays::InboxKey;
use crate::db::{self, cursor};
use crate::domain::relay::visibility::Reader;
use crate::error::{ApiError, ApiResult};
use crate::ids::{ReferralId, ServiceId, StructureId};
use crate::routes::referrals::journal;
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only the relays to this service (of your structure).
    pub service_id: Option<uuid::Uuid>,
    /// Only this status.
    pub status: Option<RelayStatus>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Opaque: the `next_cursor` of the previous page (empty: the first page).
    pub cursor: Option<String>,
}

/// The relay requests to your structure (through SAS): waiting ones first, oldest first —
/// the overdue ones (`overdue`: no answer after 10 days, or a checkpoint due) come first by
/// construction — then the answered ones. Keyset cursor, stable under new requests. Every
/// young person listed is access-logged.
#[utoipa::path(
    tag = "relays",
    params(InboxQuery),
    responses(
        (status = 200, description = "A page of relays.", body = RelayPage),
        (status = 400, description = "A malformed query (`invalid_cursor`, `invalid_limit`, an unknown parameter).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/relays")]
pub async fn relay_inbox(
    state: web::Data<AppState>,
    Authorized(caller): Receiver,
    req: HttpRequest,
    query: web::Query<InboxQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let after = cursor::after::<InboxKey>(q.cursor.as_deref())?;
    let structure = caller
        .structure_id
        .map(StructureId)
        .ok_or_else(ApiError::forbidden)?;
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let page = db::run(&state.pool, move |conn| {
        let rows = db::relays::inbox(
            conn,
            structure,
            q.service_id.map(ServiceId),
            q.status,
            after,
            limit,
        )?;
        let (rows, next) = cursor::page(rows, limit, InboxKey::of);
        let items = view::relays(conn, rows, Reader::Receiver, now)?;
        let logged: Vec<_> = items
            .iter()
            .map(|(r, y)| (*y, ReferralId(r.referral_id)))
            .collect();
        j.access(conn, AccessAction::List, &logged, None)?;
        Ok(RelayPage {
            items: items.into_iter().map(|(r, _)| r).collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

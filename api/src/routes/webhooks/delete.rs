use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

use super::PartnerClient;
use crate::db::{self, webhooks};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Stop a subscription: nothing more is sent to it (deliveries not yet made are dropped).
/// Kept, disabled, for its history; stopping it again changes nothing. API clients only, for
/// their structure's subscriptions.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 204, description = "Stopped."),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    partner: PartnerClient,
    path: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let structure = Some(partner.structure);
    let id = path.into_inner();
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        webhooks::get(conn, id, structure)?.ok_or_else(ApiError::not_found)?;
        webhooks::disable(conn, id, now)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::{post, web, HttpResponse};
use api_types::{WebhookCreate, WebhookCreated};
use rand::RngCore;
use uuid::Uuid;

use super::{to_api, PartnerClient};
use crate::db::{self, webhooks};
use crate::domain::text;
use crate::domain::webhooks::{check_url, secret_text, KEY_BYTES};
use crate::error::{ApiResult, FieldErrors};
use crate::routes::support::created;
use crate::state::AppState;

/// Subscribe a URL (API clients, for their structure): each status change of a referral the
/// structure may see is POSTed to it, signed per Standard Webhooks (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
/// with the key of `secret`). The payload carries codes and ids only:
/// `{"type": "referral.status_changed", "timestamp", "data": {referral_id, event_id, status,
/// previous_status, outcome}}`. Non-2xx answers are retried with backoff (30 s, doubling,
/// up to 12 attempts). `secret` is shown in this answer only.
#[utoipa::path(
    tag = "webhooks",
    request_body = WebhookCreate,
    responses(
        (status = 201, description = "Subscribed; `secret` is shown this once.", body = WebhookCreated, headers(("Location" = String, description = "URL of the subscription"))),
        (status = 422, description = "The URL is refused (`invalid_url`, `https_required`, `credentials_in_url`, `internal_address`, `too_long`) or the description too long.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    // People, administrators included, do not subscribe: a partner system does, for itself.
    PartnerClient { client, structure }: PartnerClient,
    body: web::Json<WebhookCreate>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = FieldErrors::default();
    let url = match check_url(&b.url, state.settings.webhooks.allow_local) {
        Ok(u) => u.to_string(),
        Err(r) => {
            errs.add("url", r.code(), "This URL cannot receive webhooks.");
            String::new()
        }
    };
    let description = b.description.and_then(|d| text::clean(&d));
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        errs.add("description", "too_long", "At most 200 characters.");
    }
    errs.finish()?;
    let mut key = vec![0u8; KEY_BYTES];
    rand::rng().fill_bytes(&mut key);
    let secret = secret_text(&key);
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let row = db::run(&state.pool, move |conn| {
        Ok(webhooks::insert(
            conn,
            id,
            structure,
            &url,
            description.as_deref(),
            &key,
            Some(client),
            now,
        )?)
    })
    .await?;
    Ok(created(
        format!("/api/v1/webhooks/{id}"),
        &WebhookCreated {
            webhook: to_api(row),
            secret,
        },
        None,
    ))
}

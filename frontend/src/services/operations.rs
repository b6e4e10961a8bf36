//! What administrators watch: `GET /jobs` (the jobs' state) and `GET /webhooks` (every
//! structure's subscriptions and their deliveries).
use api_types::{JobsOverview, Webhook, WebhookPage};

use super::http::{self, ApiError};
use crate::logic::list::Paged;
use crate::logic::query::with_query;

pub async fn jobs() -> Result<JobsOverview, ApiError> {
    http::get("/jobs").await
}

pub async fn webhooks(_: (), cursor: Option<String>) -> Result<Paged<Webhook>, ApiError> {
    let path = with_query(
        "/webhooks",
        &[
            ("limit", "50"),
            ("cursor", cursor.as_deref().unwrap_or_default()),
        ],
    );
    let page: WebhookPage = http::get(&path).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

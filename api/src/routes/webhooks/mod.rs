//! Webhook subscriptions (`/webhooks`): an API client subscribes URLs for its structure, sees
//! and stops its own; an administrator sees every structure's (read only). Deliveries: `jobs::webhook`.
use api_types::{Role, Webhook};
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::db::webhooks::WebhookRow;
use crate::error::{ApiError, ApiResult};

/// An API client of a structure: the only caller that subscribes or stops a subscription.
/// Checked as an extractor, before the body is read (a person learns nothing more than 403).
pub struct PartnerClient {
    pub client: Uuid,
    pub structure: Uuid,
}

impl actix_web::FromRequest for PartnerClient {
    type Error = ApiError;
    type Future = std::future::Ready<Result<PartnerClient, ApiError>>;

    fn from_request(req: &actix_web::HttpRequest, p: &mut actix_web::dev::Payload) -> Self::Future {
        // Caller's future is ready at once (the middleware already authenticated).
        let caller = Caller::from_request(req, p).into_inner();
        std::future::ready(caller.and_then(|c| match (c.actor, c.structure_id) {
            (Actor::Client(client), Some(structure)) => Ok(PartnerClient { client, structure }),
            _ => Err(ApiError::forbidden()),
        }))
    }
}

pub mod create;
pub mod delete;
pub mod get;
pub mod list;

/// Whose subscriptions the caller manages: its structure's (an API client), every one
/// (`None`, an administrator); people of other roles are refused.
pub fn scope(caller: &Caller) -> ApiResult<Option<Uuid>> {
    match caller.actor {
        Actor::Client(_) => caller
            .structure_id
            .map(Some)
            .ok_or_else(ApiError::forbidden),
        Actor::User(_) if caller.has(Role::Admin) => Ok(None),
        Actor::User(_) => Err(ApiError::forbidden()),
    }
}

pub fn to_api(r: WebhookRow) -> Webhook {
    Webhook {
        id: r.id,
        structure_id: r.structure_id,
        url: r.url,
        description: r.description,
        created_at: r.created_at,
        disabled_at: r.disabled_at,
        pending_deliveries: r.pending,
        failed_deliveries: r.failed,
        last_delivered_at: r.last_delivered_at,
    }
}

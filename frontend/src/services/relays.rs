//! Relay: `GET /relays` (the receiver's inbox), `GET /relays/{id}`, the actions
//! `POST /relays/{id}/<action>` and `…/checkpoints/{n}/answer`, and a referral's relays
//! (`GET|POST /referrals/{id}/relays`).
use api_types::{CheckpointAnswer, CheckpointAnswerInput, Relay, RelayCreate, RelayPage};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;

/// A page of the receiving structure's inbox: waiting requests first.
pub async fn inbox(_: (), cursor: Option<String>) -> Result<Paged<Relay>, ApiError> {
    let path = crate::logic::query::with_query(
        "/relays",
        &[
            ("limit", "50"),
            ("cursor", cursor.as_deref().unwrap_or_default()),
        ],
    );
    let page: RelayPage = http::get(&path).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(id: &str) -> Result<Relay, ApiError> {
    http::get(&format!("/relays/{}", crate::logic::query::encode(id))).await
}

pub use crate::logic::relays::Act;

/// An action with the version read (`If-Match`).
pub async fn act(id: Uuid, a: &Act, version: i32) -> Result<Relay, ApiError> {
    let (action, body) = a.request();
    http::send(
        Method::Post,
        &format!("/relays/{id}/{action}"),
        &body,
        Some(version),
    )
    .await
}

pub async fn answer(
    id: Uuid,
    n: i32,
    answer: CheckpointAnswer,
    version: i32,
) -> Result<Relay, ApiError> {
    http::send(
        Method::Post,
        &format!("/relays/{id}/checkpoints/{n}/answer"),
        &CheckpointAnswerInput { answer },
        Some(version),
    )
    .await
}

/// The relays of a referral (the closed loop for its prescriber).
pub async fn of_referral(id: Uuid) -> Result<Vec<Relay>, ApiError> {
    let page: RelayPage = http::get(&format!("/referrals/{id}/relays")).await?;
    Ok(page.items)
}

/// Sends a relay to a service (or records one "sans compte SAS": `off_platform`).
pub async fn send(id: Uuid, body: RelayCreate) -> Result<Relay, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/relays"),
        &body,
        None,
    )
    .await
}

/// What the counsellor recorded for a relay "sans compte SAS" (`logic::relay_answer`): an
/// action, or a checkpoint's answer, with the version read.
pub async fn record(
    id: Uuid,
    r: &crate::logic::relay_answer::Recorded,
    version: i32,
) -> Result<Relay, ApiError> {
    use crate::logic::relay_answer::Recorded;
    match r {
        Recorded::Act(a) => act(id, a, version).await,
        Recorded::Checkpoint(n, a) => answer(id, *n, *a, version).await,
    }
}

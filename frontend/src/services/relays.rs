//! Relay: `GET /relays` (the receiver's inbox), `GET /relays/{id}`, the actions
//! `POST /relays/{id}/<action>` and `…/checkpoints/{n}/answer`, and a referral's relays
//! (`GET|POST /referrals/{id}/relays`).
use api_types::{
    CheckpointAnswer, CheckpointAnswerInput, Relay, RelayCreate, RelayOutcome, RelayPage,
    RelayReason,
};
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

/// What an action carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    Accept,
    Refuse(RelayReason, Option<String>),
    Start,
    Fail(RelayReason, Option<String>),
    Complete(RelayOutcome),
    Cancel,
}

impl Act {
    /// The action's path segment and its body.
    pub fn request(&self) -> (&'static str, serde_json::Value) {
        use serde_json::json;
        match self {
            Act::Accept => ("accept", json!({})),
            Act::Refuse(r, t) => ("refuse", json!({"reason": r, "reason_text": t})),
            Act::Start => ("start", json!({})),
            Act::Fail(r, t) => ("fail", json!({"reason": r, "reason_text": t})),
            Act::Complete(o) => ("complete", json!({ "outcome": o })),
            Act::Cancel => ("cancel", json!({})),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_posts_its_segment_and_body() {
        let (a, b) = Act::Refuse(RelayReason::Other, Some("Hors public".into())).request();
        assert_eq!(a, "refuse");
        assert_eq!(
            b,
            serde_json::json!({"reason": "other", "reason_text": "Hors public"})
        );
        assert_eq!(
            Act::Complete(RelayOutcome::PositiveExit).request().1["outcome"],
            "positive_exit"
        );
        assert_eq!(Act::Cancel.request().0, "cancel");
    }
}

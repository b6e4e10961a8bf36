//! Matching: `…/matches`, `…/matches/exclusions` (+ `/{service_id}`).
use api_types::{ExclusionReason, Match, MatchExclusion, MatchExclusionInput, MatchExclusionList};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;

/// Most matches shown at once (the API's bound).
pub const MATCH_LIMIT: u32 = 50;

/// The matches of a referral, best first, as one page (the API ranks a bounded list: no
/// cursor).
pub async fn matches(id: Uuid, _cursor: Option<String>) -> Result<Paged<Match>, ApiError> {
    let page: api_types::MatchPage =
        http::get(&format!("/referrals/{id}/matches?limit={MATCH_LIMIT}")).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: None,
    })
}

pub async fn exclusions(id: Uuid) -> Result<Vec<MatchExclusion>, ApiError> {
    let list: MatchExclusionList =
        http::get(&format!("/referrals/{id}/matches/exclusions")).await?;
    Ok(list.items)
}

/// Sets a service aside (a second time answers the standing exclusion).
pub async fn exclude(
    id: Uuid,
    service_id: Uuid,
    reason: ExclusionReason,
    note: Option<String>,
) -> Result<MatchExclusion, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/matches/exclusions"),
        &MatchExclusionInput {
            service_id,
            reason,
            note,
        },
        None,
    )
    .await
}

/// Brings a service set aside back.
pub async fn restore(id: Uuid, service_id: Uuid) -> Result<(), ApiError> {
    http::request(
        Method::Delete,
        &format!("/referrals/{id}/matches/exclusions/{service_id}"),
        None,
        None,
    )
    .await
    .map(|_| ())
}

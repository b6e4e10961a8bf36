//! Referrals: `GET /referrals`, `GET /referrals/{id}`, `GET /referrals/{id}/events`,
//! `POST /referrals`, `POST /referrals/{id}/transitions`, `POST /referrals/{id}/consent`.
use api_types::{
    Consent, ConsentRecord, Event, EventPage, Referral, ReferralCreate, ReferralPage, Status,
    TransitionRequest,
};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::labels;
use crate::logic::list::Paged;
use crate::logic::query::{encode, with_query};

/// Rows per page of a referral list.
pub const PAGE_SIZE: u32 = 50;

/// The filters of `GET /referrals` that the pages use. A new filter of the API gets a field
/// here, its line in [`ReferralFilter::query`] and a case in the test below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralFilter {
    /// Name, birth date or phone (part of it).
    pub q: String,
    /// Only this status.
    pub status: Option<Status>,
    /// Counsellors: only the referrals they are assigned.
    pub assigned_to_me: bool,
    /// Open referrals only (not closed).
    pub open: bool,
    /// The planned next try is today or past.
    pub next_try_due: bool,
    /// In contacting without an attempt for 7 days.
    pub no_recent_attempt: bool,
    /// The territory's unreachable rule is met.
    pub unreachable_rule_met: bool,
}

impl ReferralFilter {
    /// The query parameters, without the empty ones.
    pub fn query(&self, cursor: Option<&str>) -> String {
        let limit = PAGE_SIZE.to_string();
        let status = self.status.map(labels::status_code).unwrap_or_default();
        with_query(
            "/referrals",
            &[
                ("q", self.q.trim()),
                ("status", status),
                (
                    "assigned_to_me",
                    if self.assigned_to_me { "true" } else { "" },
                ),
                ("open", if self.open { "true" } else { "" }),
                ("next_try_due", if self.next_try_due { "true" } else { "" }),
                (
                    "no_recent_attempt",
                    if self.no_recent_attempt { "true" } else { "" },
                ),
                (
                    "unreachable_rule_met",
                    if self.unreachable_rule_met {
                        "true"
                    } else {
                        ""
                    },
                ),
                ("limit", &limit),
                ("cursor", cursor.unwrap_or_default()),
            ],
        )
    }
}

/// One page of the referrals the caller may see, in the API's order (urgent first).
pub async fn list(
    filter: ReferralFilter,
    cursor: Option<String>,
) -> Result<Paged<Referral>, ApiError> {
    let page: ReferralPage = http::get(&filter.query(cursor.as_deref())).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(id: &str) -> Result<Referral, ApiError> {
    http::get(&format!("/referrals/{}", encode(id))).await
}

/// The timeline, oldest first (the first 100 events).
pub async fn events(id: &str) -> Result<Vec<Event>, ApiError> {
    let page: EventPage = http::get(&format!("/referrals/{}/events?limit=100", encode(id))).await?;
    Ok(page.items)
}

/// A new consent record: the latest one is the one that counts (a relay needs
/// `share_with_receiver` in it).
pub async fn record_consent(id: Uuid, body: Consent) -> Result<ConsentRecord, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/consent"),
        &body,
        None,
    )
    .await
}

pub async fn create(body: ReferralCreate) -> Result<Referral, ApiError> {
    http::send(Method::Post, "/referrals", &body, None).await
}

/// A change of status; `version` is the one read (`If-Match`).
pub async fn transition(
    id: Uuid,
    body: TransitionRequest,
    version: Option<i32>,
) -> Result<Referral, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/transitions"),
        &body,
        version,
    )
    .await
}

/// The counsellor assigns a submitted referral to themself (`submitted` → `contacting`).
pub async fn assign_to_me(r: &Referral) -> Result<Referral, ApiError> {
    let body = TransitionRequest {
        to: Status::Contacting,
        reason: None,
        outcome: None,
        counsellor_id: None,
    };
    transition(r.id, body, Some(r.version)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_query_parameters_and_empty_ones_are_left_out() {
        assert_eq!(ReferralFilter::default().query(None), "/referrals?limit=50");
        let f = ReferralFilter {
            q: " Léa ".into(),
            status: Some(Status::Submitted),
            assigned_to_me: true,
            open: true,
            ..ReferralFilter::default()
        };
        assert_eq!(
            f.query(Some("abc=")),
            "/referrals?q=L%C3%A9a&status=submitted&assigned_to_me=true&open=true&limit=50&cursor=abc%3D"
        );
        let relances = ReferralFilter {
            next_try_due: true,
            no_recent_attempt: true,
            unreachable_rule_met: true,
            ..ReferralFilter::default()
        };
        assert_eq!(
            relances.query(None),
            "/referrals?next_try_due=true&no_recent_attempt=true&unreachable_rule_met=true&limit=50"
        );
    }
}

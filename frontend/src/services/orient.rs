//! Orient: `…/contact-attempts`, `…/diagnostic` (+ `/versions`), `…/prescriber-requests`
//! (+ `/answer`), `…/transfer`, `…/resume`.
use api_types::{
    ContactAttempt, ContactAttemptCreate, ContactAttemptPage, Diagnostic, DiagnosticInput,
    PrescriberRequest, PrescriberRequestAnswer, PrescriberRequestPage, Referral,
};
use uuid::Uuid;

use super::http::{self, ApiError, Method};

/// The attempts of a referral, latest first (the first 100).
pub async fn attempts(id: Uuid) -> Result<Vec<ContactAttempt>, ApiError> {
    let page: ContactAttemptPage =
        http::get(&format!("/referrals/{id}/contact-attempts?limit=100")).await?;
    Ok(page.items)
}

pub async fn log_attempt(id: Uuid, body: ContactAttemptCreate) -> Result<ContactAttempt, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/contact-attempts"),
        &body,
        None,
    )
    .await
}

/// The current diagnostic (version 0 before the first save).
pub async fn diagnostic(id: Uuid) -> Result<Diagnostic, ApiError> {
    http::get(&format!("/referrals/{id}/diagnostic")).await
}

/// Saves a new version; `version` is the one the form started from (`If-Match`).
pub async fn save_diagnostic(
    id: Uuid,
    body: DiagnosticInput,
    version: i32,
) -> Result<Diagnostic, ApiError> {
    http::send(
        Method::Put,
        &format!("/referrals/{id}/diagnostic"),
        &body,
        Some(version),
    )
    .await
}

pub async fn requests(id: Uuid) -> Result<Vec<PrescriberRequest>, ApiError> {
    let page: PrescriberRequestPage =
        http::get(&format!("/referrals/{id}/prescriber-requests?limit=100")).await?;
    Ok(page.items)
}

pub async fn answer_request(
    id: Uuid,
    request: Uuid,
    answer: String,
) -> Result<PrescriberRequest, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/prescriber-requests/{request}/answer"),
        &PrescriberRequestAnswer { answer },
        None,
    )
    .await
}

/// Transfers a referral to the territory serving the youth's new commune (`If-Match`).
pub async fn transfer(id: Uuid, commune_insee: String, version: i32) -> Result<Referral, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/transfer"),
        &api_types::TransferRequest { commune_insee },
        Some(version),
    )
    .await
}

/// The counsellors of the caller's territory (the first 100), to hand a referral over to.
pub async fn colleagues() -> Result<Vec<api_types::PersonRef>, ApiError> {
    let page: api_types::PersonPage = http::get("/counsellors?limit=100").await?;
    Ok(page.items)
}

/// Hands a referral over to a colleague (`If-Match`).
pub async fn reassign(id: Uuid, counsellor: Uuid, version: i32) -> Result<Referral, ApiError> {
    http::send(
        Method::Post,
        &format!("/referrals/{id}/assign"),
        &api_types::AssignRequest {
            counsellor_id: counsellor,
        },
        Some(version),
    )
    .await
}

/// Resumes a closed journey: the new referral.
pub async fn resume(id: Uuid) -> Result<Referral, ApiError> {
    http::request(Method::Post, &format!("/referrals/{id}/resume"), None, None)
        .await?
        .json()
}

/// Corrects the young person's contact details (`If-Match`: the referral's version).
pub async fn correct_contact(
    id: Uuid,
    body: api_types::YouthContactUpdate,
    version: i32,
) -> Result<Referral, ApiError> {
    http::send(
        Method::Patch,
        &format!("/referrals/{id}/youth-contact"),
        &body,
        Some(version),
    )
    .await
}

/// Corrects the young person's identity (a counsellor; `If-Match`: the referral's version):
/// only the fields of `body` that are set change.
pub async fn correct_identity(
    id: Uuid,
    body: crate::logic::identity_form::YouthCorrection,
    version: i32,
) -> Result<Referral, ApiError> {
    http::send(
        Method::Patch,
        &format!("/referrals/{id}/youth"),
        &body,
        Some(version),
    )
    .await
}

//! Reference data: vocabularies (`GET /vocabularies/{name}`) and communes (`GET /communes`).
use api_types::{Commune, CommunePage, Vocabulary, VocabularyEntry};

use super::http::{self, ApiError};
use crate::logic::query::{encode, with_query};

/// The entries of a vocabulary (`thematiques`, `typologies-de-structures`…).
pub async fn vocabulary(name: &str) -> Result<Vec<VocabularyEntry>, ApiError> {
    let v: Vocabulary = http::get(&format!("/vocabularies/{}", encode(name))).await?;
    Ok(v.items)
}

/// Communes whose name or postal code starts like `q`.
pub async fn search_communes(q: &str, limit: u32) -> Result<Vec<Commune>, ApiError> {
    let limit = limit.to_string();
    let page: CommunePage = http::get(&with_query(
        "/communes",
        &[("q", q.trim()), ("limit", &limit)],
    ))
    .await?;
    Ok(page.items)
}

/// One commune by its INSEE code.
pub async fn commune(insee: &str) -> Result<Commune, ApiError> {
    http::get(&format!("/communes/{}", encode(insee))).await
}

//! The published offer: `GET /services/search` (no account needed).
use api_types::{SearchPage, ServiceResult};

use super::http::{self, ApiError};
use crate::logic::list::Paged;
use crate::logic::offer::OfferSearch;

/// A page of the directory's search; nothing is asked before a commune is chosen.
pub async fn search(
    s: OfferSearch,
    cursor: Option<String>,
) -> Result<Paged<ServiceResult>, ApiError> {
    if !s.ready() {
        return Ok(Paged {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    let page: SearchPage = http::get(&s.query(20, cursor.as_deref())).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

/// The services of the receiver's structure (`GET /services`), every status.
pub async fn mine(_: (), cursor: Option<String>) -> Result<Paged<api_types::Service>, ApiError> {
    let path = crate::logic::query::with_query(
        "/services",
        &[
            ("limit", "50"),
            ("cursor", cursor.as_deref().unwrap_or_default()),
        ],
    );
    let page: api_types::ServicePage = http::get(&path).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(id: &str) -> Result<api_types::Service, ApiError> {
    http::get(&format!("/services/{}", crate::logic::query::encode(id))).await
}

/// Creates (`version` none) or replaces a service with the version read.
pub async fn save(
    id: Option<uuid::Uuid>,
    body: api_types::ServiceInput,
    version: Option<i32>,
) -> Result<api_types::Service, ApiError> {
    match id {
        None => http::send(http::Method::Post, "/services", &body, None).await,
        Some(id) => {
            http::send(
                http::Method::Put,
                &format!("/services/{id}"),
                &body,
                version,
            )
            .await
        }
    }
}

/// A publication action (`publish`, `suspend`, `archive`) with the version read.
pub async fn act(
    id: uuid::Uuid,
    action: &str,
    version: i32,
) -> Result<api_types::Service, ApiError> {
    http::send(
        http::Method::Post,
        &format!("/services/{id}/{action}"),
        &serde_json::json!({}),
        Some(version),
    )
    .await
}

/// An administrator's import of a data·inclusion file (`POST /services/imports`): the file
/// goes as the body, the motif and its name in the query.
pub async fn start_import(
    file: web_sys::File,
    request: crate::logic::offer_import::ImportRequest,
) -> Result<api_types::OfferImport, ApiError> {
    let path = crate::logic::query::with_query(
        "/services/imports",
        &[
            ("reason", request.reason.as_str()),
            ("file_name", request.file_name.as_str()),
        ],
    );
    http::upload(&path, file).await?.json()
}

/// Where an import stands, then its report (`GET /services/imports/{id}`).
pub async fn import(id: uuid::Uuid) -> Result<api_types::OfferImport, ApiError> {
    http::get(&format!("/services/imports/{id}")).await
}

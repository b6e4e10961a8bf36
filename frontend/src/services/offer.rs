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

//! Territories (`GET /territories`).
use api_types::{Territory, TerritoryPage};

use super::http::{self, ApiError};

/// The first 100 territories (a handful in practice), for choosers.
pub async fn all() -> Result<Vec<Territory>, ApiError> {
    let page: TerritoryPage = http::get("/territories?limit=100").await?;
    Ok(page.items)
}

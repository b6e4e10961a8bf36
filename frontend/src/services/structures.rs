//! Structures: `GET /structures`, `GET /structures/{id}`, `POST /structures`,
//! `PUT /structures/{id}`.
use api_types::{Structure, StructureInput, StructurePage};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;
use crate::logic::query::{encode, with_query};

/// The filters of `GET /structures` that the pages use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StructureFilter {
    /// Part of the name.
    pub q: String,
}

impl StructureFilter {
    pub fn query(&self, limit: u32, cursor: Option<&str>) -> String {
        let limit = limit.to_string();
        with_query(
            "/structures",
            &[
                ("q", self.q.trim()),
                ("limit", &limit),
                ("cursor", cursor.unwrap_or_default()),
            ],
        )
    }
}

pub async fn list(
    filter: StructureFilter,
    cursor: Option<String>,
) -> Result<Paged<Structure>, ApiError> {
    let page: StructurePage = http::get(&filter.query(50, cursor.as_deref())).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

/// The first 100 structures by name, for choosers.
pub async fn first_hundred() -> Result<Vec<Structure>, ApiError> {
    let page: StructurePage = http::get(&StructureFilter::default().query(100, None)).await?;
    Ok(page.items)
}

pub async fn get(id: &str) -> Result<Structure, ApiError> {
    http::get(&format!("/structures/{}", encode(id))).await
}

pub async fn create(body: StructureInput) -> Result<Structure, ApiError> {
    http::send(Method::Post, "/structures", &body, None).await
}

/// Replaces a structure; `version` is the one read (`If-Match`).
pub async fn update(id: Uuid, body: StructureInput, version: i32) -> Result<Structure, ApiError> {
    http::send(
        Method::Put,
        &format!("/structures/{id}"),
        &body,
        Some(version),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_filter_is_encoded() {
        let f = StructureFilter {
            q: "Mission locale".into(),
        };
        assert_eq!(f.query(50, None), "/structures?q=Mission%20locale&limit=50");
        assert_eq!(
            StructureFilter::default().query(100, Some("c")),
            "/structures?limit=100&cursor=c"
        );
    }
}

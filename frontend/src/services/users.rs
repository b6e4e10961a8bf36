//! Accounts: `GET /users`, `GET /users/{id}`, `POST /users`, `PATCH /users/{id}`,
//! `POST /users/{id}/deactivate`, `POST /users/{id}/reactivate`.
use api_types::{AdminAction, User, UserCreate, UserPage, UserUpdate};
use uuid::Uuid;

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;
use crate::logic::query::{encode, with_query};

/// The filters of `GET /users` that the pages use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// Part of the name or the email.
    pub q: String,
    /// `Some(true)`: active accounts only; `Some(false)`: deactivated ones only.
    pub active: Option<bool>,
}

impl UserFilter {
    pub fn query(&self, cursor: Option<&str>) -> String {
        let active = match self.active {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        };
        with_query(
            "/users",
            &[
                ("q", self.q.trim()),
                ("active", active),
                ("limit", "50"),
                ("cursor", cursor.unwrap_or_default()),
            ],
        )
    }
}

pub async fn list(filter: UserFilter, cursor: Option<String>) -> Result<Paged<User>, ApiError> {
    let page: UserPage = http::get(&filter.query(cursor.as_deref())).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

pub async fn get(id: &str) -> Result<User, ApiError> {
    http::get(&format!("/users/{}", encode(id))).await
}

pub async fn create(body: UserCreate) -> Result<User, ApiError> {
    http::send(Method::Post, "/users", &body, None).await
}

/// Changes an account; `version` is the one read (`If-Match`).
pub async fn update(id: Uuid, body: UserUpdate, version: i32) -> Result<User, ApiError> {
    http::send(Method::Patch, &format!("/users/{id}"), &body, Some(version)).await
}

/// Reactivates (`active`) or deactivates the account, with the reason the API keeps in its
/// administrative audit.
pub async fn set_active(id: Uuid, active: bool, reason: &str) -> Result<(), ApiError> {
    let action = if active { "reactivate" } else { "deactivate" };
    let body = AdminAction {
        reason: reason.trim().to_string(),
    };
    http::post(&format!("/users/{id}/{action}"), &body).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_filter_is_sent_only_when_chosen() {
        assert_eq!(UserFilter::default().query(None), "/users?limit=50");
        let f = UserFilter {
            q: "chloé@".into(),
            active: Some(false),
        };
        assert_eq!(
            f.query(Some("x")),
            "/users?q=chlo%C3%A9%40&active=false&limit=50&cursor=x"
        );
    }
}

//! The user's notifications: `GET /me/notifications`, `GET`/`PUT /me/notification-settings`.
use api_types::{EmailPreference, Notification, NotificationPage, NotificationSettings};

use super::http::{self, ApiError, Method};
use crate::logic::list::Paged;
use crate::logic::query::with_query;

/// The notifications list has no filter; the unit type keeps `use_paged_list`'s shape.
pub async fn list(_: (), cursor: Option<String>) -> Result<Paged<Notification>, ApiError> {
    let path = with_query(
        "/me/notifications",
        &[
            ("limit", "20"),
            ("cursor", cursor.as_deref().unwrap_or_default()),
        ],
    );
    let page: NotificationPage = http::get(&path).await?;
    Ok(Paged {
        items: page.items,
        next_cursor: page.next_cursor,
    })
}

pub async fn settings() -> Result<NotificationSettings, ApiError> {
    http::get("/me/notification-settings").await
}

pub async fn save_settings(email: EmailPreference) -> Result<NotificationSettings, ApiError> {
    http::send(
        Method::Put,
        "/me/notification-settings",
        &NotificationSettings { email },
        None,
    )
    .await
}

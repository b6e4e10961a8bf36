use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;

/// Body of `POST /api/v1/auth/token`, selected by `grant_type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(tag = "grant_type", rename_all = "snake_case", deny_unknown_fields)]
pub enum TokenRequest {
    /// A person logs in with email and password.
    Password {
        email: String,
        password: String,
        /// Set the refresh token as the HttpOnly cookie `sas_refresh` instead of returning it.
        #[serde(default)]
        use_cookie: bool,
    },
    /// Exchange a refresh token (rotated: the old one is refused afterwards). Without
    /// `refresh_token`, the `sas_refresh` cookie is read.
    RefreshToken {
        #[serde(default)]
        refresh_token: Option<String>,
        #[serde(default)]
        use_cookie: bool,
    },
    /// A partner system authenticates with its API client credentials.
    ClientCredentials {
        client_id: String,
        client_secret: String,
    },
}

/// Tokens issued by `POST /api/v1/auth/token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT (HS256) to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: i64,
    /// Refresh token (people only, absent when `use_cookie` was set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The password was set by an administrator: until it is replaced with
    /// `POST /api/v1/me/password`, every other call answers 403 `password_change_required`.
    #[serde(default)]
    pub password_change_required: bool,
}

/// Body of `POST /api/v1/me/password`: the user replaces their password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 12 characters, different from the current one.
    #[cfg_attr(feature = "full", schema(min_length = 12, max_length = 256))]
    pub new_password: String,
    /// Set the new session's refresh token as the `sas_refresh` cookie (as at login).
    #[serde(default)]
    pub use_cookie: bool,
}

/// Body of `POST /api/v1/auth/logout` (optional: the `sas_refresh` cookie is used otherwise).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// Who is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorType {
    User,
    ApiClient,
}

/// The authenticated caller, as `GET /api/v1/me` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Me {
    pub actor_type: ActorType,
    pub id: Uuid,
    /// Email of a person; absent for an API client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Display name: "First Last" for a person, the client's name for a partner system.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    pub roles: Vec<Role>,
    pub structure: Option<StructureRef>,
    /// Territory of a counsellor: its SAS team's (the referrals it works on).
    pub territory_id: Option<Uuid>,
    /// Territory of a pilot (the figures it reads). Kept apart from `territory_id`: a user who
    /// is both pilot and counsellor has one of each.
    #[serde(default)]
    pub pilot_territory_id: Option<Uuid>,
}

/// A structure named by id, name and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct StructureRef {
    pub id: Uuid,
    pub name: String,
    /// Typology code (data·inclusion v0 `typologies-de-structures`).
    pub kind: String,
}

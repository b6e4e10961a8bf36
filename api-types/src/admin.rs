//! Administration resources: territories, structures, users and API clients.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{page_type, Role};

/// Unreachable rule of a territory: a referral with at least `min_attempts` attempts without a
/// contact, spread over at least `min_days` days, on at least `min_channels` channels, is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnreachableRule {
    #[cfg_attr(feature = "full", schema(minimum = 1, maximum = 50))]
    #[serde(deserialize_with = "crate::whole_i32")]
    pub min_attempts: i32,
    #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 365))]
    #[serde(deserialize_with = "crate::whole_i32")]
    pub min_days: i32,
    #[cfg_attr(feature = "full", schema(minimum = 1, maximum = 8))]
    #[serde(deserialize_with = "crate::whole_i32")]
    pub min_channels: i32,
}

impl Default for UnreachableRule {
    fn default() -> Self {
        UnreachableRule {
            min_attempts: 5,
            min_days: 21,
            min_channels: 2,
        }
    }
}

/// The area one SAS team serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Territory {
    pub id: Uuid,
    pub name: String,
    /// IANA time zone; day-based rules count calendar days in it.
    pub time_zone: String,
    pub unreachable_rule: UnreachableRule,
    /// Number of communes (arrondissements included) the territory serves.
    pub communes_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Optimistic-lock version, also sent as the `ETag`.
    pub version: i32,
}

page_type!(TerritoryPage, Territory, "A page of territories.");

/// Creation of a territory. Communes may be listed one by one or through their EPCI or
/// département; arrondissements follow their parent commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TerritoryCreate {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub name: String,
    /// IANA time zone, `Europe/Paris` when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub unreachable_rule: Option<UnreachableRule>,
    /// INSEE codes of communes to serve.
    #[serde(default)]
    pub communes: Vec<String>,
    /// EPCI SIRENs: all their communes are served.
    #[serde(default)]
    pub epcis: Vec<String>,
    /// Département codes: all their communes are served.
    #[serde(default)]
    pub departements: Vec<String>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// Change of a territory (needs `If-Match`). Absent fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TerritoryUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub unreachable_rule: Option<UnreachableRule>,
    /// INSEE codes to add (arrondissements follow their parent commune).
    #[serde(default)]
    pub add_communes: Vec<String>,
    /// INSEE codes to remove.
    #[serde(default)]
    pub remove_communes: Vec<String>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// An organisation: prescriber, receiving structure, SAS team (data·inclusion structure fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Structure {
    pub id: Uuid,
    pub name: String,
    /// Typology code (data·inclusion v0 `typologies-de-structures`: `ASE`, `SPIP`, `ML`…).
    pub kind: String,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub commune_insee: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Opening hours in OSM `opening_hours` syntax, as data·inclusion has them.
    pub opening_hours: Option<String>,
    /// data·inclusion `reseaux-porteurs` codes.
    pub reseaux_porteurs: Vec<String>,
    /// May refer young people.
    pub prescriber: bool,
    /// May receive relays.
    pub receiver: bool,
    /// Is a SAS team (serves `territory_id`).
    pub sas_team: bool,
    /// Its name alone reveals a judicial or medical situation (SPIP, PJJ, CSAPA…): hidden from receivers.
    pub sensitive: bool,
    pub territory_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

page_type!(StructurePage, Structure, "A page of structures.");

/// Creation or full replacement (`PUT`, with `If-Match`) of a structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StructureInput {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub kind: String,
    /// 14 digits, Luhn key checked (La Poste's establishments excepted, as INSEE does).
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(pattern = "^[0-9]{14}$"))]
    pub siret: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(pattern = "^[0-9]{5}$"))]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub commune_insee: Option<String>,
    /// Coordinates; when absent, the commune's are used.
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub opening_hours: Option<String>,
    #[serde(default)]
    pub reseaux_porteurs: Vec<String>,
    #[serde(default)]
    pub prescriber: bool,
    #[serde(default)]
    pub receiver: bool,
    #[serde(default)]
    pub sas_team: bool,
    #[serde(default)]
    pub sensitive: bool,
    /// Required for a SAS team.
    #[serde(default)]
    pub territory_id: Option<Uuid>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// A person who logs in to SAS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub roles: Vec<Role>,
    pub structure_id: Option<Uuid>,
    /// Territory of a pilot.
    pub territory_id: Option<Uuid>,
    /// Deactivated users cannot log in; they are never deleted.
    pub active: bool,
    /// The password was set by an administrator and the user has not replaced it yet.
    pub password_change_required: bool,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

page_type!(UserPage, User, "A page of users.");

/// Creation of a user by an administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    #[cfg_attr(feature = "full", schema(format = "email", max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub first_name: String,
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub last_name: String,
    /// Initial password, at least 12 characters. It is temporary: the user must replace it
    /// (`POST /api/v1/me/password`) before anything else. Without it (the SPA's default), the
    /// user is sent an invitation mail whose single-use link (valid one hour) sets their own.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(min_length = 12, max_length = 256))]
    pub password: Option<String>,
    #[cfg_attr(feature = "full", schema(min_items = 1))]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub structure_id: Option<Uuid>,
    /// Pilot's territory.
    #[serde(default)]
    pub territory_id: Option<Uuid>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// Change of a user (needs `If-Match`). Absent fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub first_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 100))]
    pub last_name: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<Role>>,
    /// Pilot's territory.
    #[serde(default)]
    pub territory_id: Option<Uuid>,
    /// New temporary password (at least 12 characters): ends the user's sessions, and the
    /// user must replace it before anything else.
    #[serde(default)]
    #[cfg_attr(feature = "full", schema(min_length = 12, max_length = 256))]
    pub password: Option<String>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// A partner system acting for one structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ApiClient {
    pub id: Uuid,
    /// Public identifier used with `grant_type=client_credentials`.
    pub client_id: String,
    pub name: String,
    pub structure_id: Uuid,
    pub roles: Vec<Role>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

page_type!(ApiClientPage, ApiClient, "A page of API clients.");

/// Answer to the creation of an API client: the only time the secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ApiClientCreated {
    #[serde(flatten)]
    pub client: ApiClient,
    /// The secret, shown once; only its hash is kept.
    pub client_secret: String,
}

/// Creation of an API client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiClientCreate {
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 200))]
    pub name: String,
    pub structure_id: Uuid,
    /// `prescriber` and/or `receiver`, bounded by the structure's flags.
    #[cfg_attr(feature = "full", schema(min_items = 1))]
    pub roles: Vec<Role>,
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// Body of an administrative action that changes nothing else (deactivate, reactivate,
/// revoke): why it is done.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdminAction {
    /// Why (kept in the administrative audit, `GET /api/v1/admin-audit`): 1 to 500 characters.
    #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// Who did an administrative action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct AuditActor {
    /// `user` (an administrator) or `system` (start-up tasks such as the bootstrap admin).
    #[serde(rename = "type")]
    pub type_: String,
    pub id: Option<Uuid>,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// What an administrative action was done on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct AuditTarget {
    /// `user`, `api_client`, `territory`, `structure`, `import`, `job`, `youth` or `referral`.
    #[serde(rename = "type")]
    pub type_: String,
    pub id: Uuid,
}

/// One administrative action, as recorded (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct AdminAuditEntry {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor: AuditActor,
    /// `user.create`, `user.update`, `user.deactivate`, `user.reactivate`,
    /// `api_client.create`, `api_client.revoke`, `territory.create`, `territory.update`,
    /// `structure.create`, `structure.replace`, `referral.read` (an administrator's read, with
    /// its reason), `referral.transition` (an administrator's `entered_in_error`, with its
    /// reason), `youth.export` (the right of access).
    pub action: String,
    pub target: AuditTarget,
    /// What changed: `{field: {"from": …, "to": …}}` (creations: `to` only). Passwords and
    /// secrets never appear, only that they were set.
    #[cfg_attr(feature = "full", schema(value_type = Object))]
    pub changes: serde_json::Value,
    pub reason: String,
}

page_type!(
    AdminAuditPage,
    AdminAuditEntry,
    "A page of the administrative audit, newest first."
);

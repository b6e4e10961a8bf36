//! API clients of partner systems (admin): create (the secret is shown once), list, read,
//! revoke. Writes record their reason in the administrative audit; a revocation also stops
//! the client's live access tokens (`auth::accounts`).
use api_types::{ApiClient, Role};

use crate::db::api_clients::ApiClientRow;

pub mod create;
pub mod get;
pub mod list;
pub mod revoke;

fn to_api(r: ApiClientRow) -> ApiClient {
    ApiClient {
        id: r.id,
        client_id: r.client_id,
        name: r.name,
        structure_id: r.structure_id,
        roles: r.roles.iter().filter_map(|s| Role::parse(s)).collect(),
        created_at: r.created_at,
        revoked_at: r.revoked_at,
        last_used_at: r.last_used_at,
    }
}

use actix_web::{get, web, HttpResponse};
use api_types::{ActorType, Me, StructureRef};

use crate::auth::{Actor, Caller};
use crate::db::{self, api_clients, structures, users};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The authenticated caller: identity, roles, structure, and the territories of its roles
/// (a counsellor's, a pilot's).
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The caller.", body = Me),
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let c = caller.clone();
    let me = db::run(&state.pool, move |conn| {
        let structure = match c.structure_id {
            Some(id) => structures::get(conn, id)?.map(|s| StructureRef {
                id: s.id,
                name: s.name,
                kind: s.kind,
            }),
            None => None,
        };
        match c.actor {
            Actor::User(id) => {
                let u = users::get(conn, id)?.filter(|u| u.active).ok_or_else(|| {
                    ApiError::unauthorized("invalid_token", "This account is no longer active.")
                })?;
                Ok(Me {
                    actor_type: ActorType::User,
                    id,
                    email: Some(u.email),
                    name: format!("{} {}", u.first_name, u.last_name),
                    first_name: Some(u.first_name),
                    last_name: Some(u.last_name),
                    roles: c.roles.clone(),
                    structure,
                    territory_id: c.territory_id,
                    pilot_territory_id: c.pilot_territory_id,
                })
            }
            Actor::Client(id) => {
                let k = api_clients::get(conn, id)?
                    .filter(|k| k.revoked_at.is_none())
                    .ok_or_else(|| {
                        ApiError::unauthorized("invalid_token", "This API client is revoked.")
                    })?;
                Ok(Me {
                    actor_type: ActorType::ApiClient,
                    id,
                    email: None,
                    name: k.name,
                    first_name: None,
                    last_name: None,
                    roles: c.roles.clone(),
                    structure,
                    territory_id: None,
                    pilot_territory_id: None,
                })
            }
        }
    })
    .await?;
    Ok(HttpResponse::Ok().json(me))
}

//! `grant_type=client_credentials`: a partner system authenticates.
use actix_web::{web, HttpRequest, HttpResponse};
use api_types::TokenResponse;
use subtle::ConstantTimeEq;

use super::{begin_attempt, sha256_hex};
use crate::auth::jwt::Subject;
use crate::db::{self, api_clients};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn run(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    client_id: String,
    secret: String,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let attempt = begin_attempt(state, req, "client", &client_id).await?;
    let lookup = client_id.clone();
    let client = db::run(&state.pool, move |conn| {
        Ok(api_clients::by_client_id(conn, &lookup)?)
    })
    .await?;
    // The secret has 256 random bits: SHA-256 is enough, and needs no Argon2 gate.
    let presented = sha256_hex(&secret);
    let valid = client.filter(|c| {
        c.revoked_at.is_none() && bool::from(c.secret_hash.as_bytes().ct_eq(presented.as_bytes()))
    });
    let Some(client) = valid else {
        return Err(ApiError::unauthorized(
            "invalid_client",
            "Unknown client or wrong secret.",
        ));
    };
    let (id, structure_id) = (client.id, client.structure_id);
    db::tx(&state.pool, move |conn| {
        attempt.succeeded(conn)?;
        Ok(api_clients::touch(conn, id, now)?)
    })
    .await?;
    let access = state
        .keys
        .issue(
            now,
            Subject {
                id,
                act: "api_client",
                roles: client.roles,
                structure_id: Some(structure_id),
                ..Subject::default()
            },
        )
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: access,
            token_type: "Bearer".into(),
            expires_in: state.keys.access_ttl_secs,
            refresh_token: None,
            password_change_required: false,
        }))
}

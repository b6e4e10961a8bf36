//! Authentication: the `Caller` extractor (Bearer access token), password hashing, tokens and
//! login throttling. Role checks are the first line of each handler: `caller.require(&[…])?`.
use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use api_types::Role;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub mod jwt;
pub mod password;
pub mod throttle;

/// Who acts: a person or a partner system. Events and logs record one or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User(Uuid),
    Client(Uuid),
}

impl Actor {
    pub fn user_id(self) -> Option<Uuid> {
        match self {
            Actor::User(id) => Some(id),
            Actor::Client(_) => None,
        }
    }

    pub fn client_id(self) -> Option<Uuid> {
        match self {
            Actor::Client(id) => Some(id),
            Actor::User(_) => None,
        }
    }

    /// Scope key of idempotency records and throttling.
    pub fn key(self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Client(id) => format!("client:{id}"),
        }
    }
}

/// The authenticated caller, from a valid access token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub roles: Vec<Role>,
    pub structure_id: Option<Uuid>,
    pub territory_id: Option<Uuid>,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// 403 unless the caller holds one of `allowed`.
    pub fn require(&self, allowed: &[Role]) -> ApiResult<()> {
        if allowed.iter().any(|r| self.has(*r)) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> ApiResult<Caller> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("AppState missing"))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "unauthenticated",
                "Send an access token: Authorization: Bearer <token>.",
            )
        })?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("unauthenticated", "Use the Bearer scheme."))?;
    let claims = state
        .keys
        .verify(token, state.clock.now())
        .map_err(|e| match e {
            jwt::TokenError::Expired => {
                ApiError::unauthorized("token_expired", "The access token has expired; refresh it.")
            }
            _ => ApiError::unauthorized("invalid_token", "The access token is not valid."),
        })?;
    let actor = match claims.act.as_str() {
        "user" => Actor::User(claims.sub),
        "api_client" => Actor::Client(claims.sub),
        _ => {
            return Err(ApiError::unauthorized(
                "invalid_token",
                "The access token is not valid.",
            ))
        }
    };
    Ok(Caller {
        actor,
        roles: claims.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        structure_id: claims.structure_id,
        territory_id: claims.territory_id,
    })
}

/// Role bits for [`Authorized`].
pub mod allow {
    pub const ADMIN: u8 = 1;
    pub const PRESCRIBER: u8 = 1 << 1;
    pub const COUNSELLOR: u8 = 1 << 2;
    pub const RECEIVER: u8 = 1 << 3;
    pub const PILOT: u8 = 1 << 4;
}

fn role_bit(r: Role) -> u8 {
    match r {
        Role::Admin => allow::ADMIN,
        Role::Prescriber => allow::PRESCRIBER,
        Role::Counsellor => allow::COUNSELLOR,
        Role::Receiver => allow::RECEIVER,
        Role::Pilot => allow::PILOT,
    }
}

/// A caller holding one of the roles in `ROLES` (bits of [`allow`]). As an extractor placed
/// before the body, the role check happens before the body is even parsed: a caller without
/// the role learns nothing about the request's rules (403, never 400/422).
#[derive(Debug, Clone)]
pub struct Authorized<const ROLES: u8>(pub Caller);

/// Administration routes.
pub type AdminOnly = Authorized<{ allow::ADMIN }>;

impl<const ROLES: u8> FromRequest for Authorized<ROLES> {
    type Error = ApiError;
    type Future = Ready<Result<Authorized<ROLES>, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|c| {
            if c.roles.iter().any(|r| role_bit(*r) & ROLES != 0) {
                Ok(Authorized(c))
            } else {
                Err(ApiError::forbidden())
            }
        }))
    }
}

//! Authentication: the access token is checked once per request by [`middleware`] (signature,
//! claims, and that its session is still the account's), then handlers take the result through
//! the extractors [`Caller`], [`Authorized`] (role check, before the body is parsed) and
//! [`SelfService`]. Also: password hashing, tokens, login throttling, the client address.
use std::future::{ready, Ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{http::header, web, FromRequest, HttpMessage, HttpRequest};
use api_types::Role;
use uuid::Uuid;

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use accounts::AccountState;

pub mod accounts;
pub mod client_ip;
pub mod jwt;
pub mod password;
pub mod public_rate;
pub mod throttle;

/// Who acts: a person or a partner system. Events and logs record one or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// The authenticated caller, from a valid access token whose session is current.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub roles: Vec<Role>,
    pub structure_id: Option<Uuid>,
    /// A counsellor's territory (its SAS team's): the scope of referral queries.
    pub territory_id: Option<Uuid>,
    /// A pilot's territory: the scope of the figures it reads, never of referrals.
    pub pilot_territory_id: Option<Uuid>,
    /// The password was set by an administrator: only [`SelfService`] lets such a caller in.
    pub password_change_required: bool,
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

/// Why a request is not authenticated; kept in the request by [`middleware`] for the
/// extractors to turn into the problem answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Missing,
    Scheme,
    Invalid,
    Expired,
    Revoked,
    /// The account state could not be read (database down).
    Unavailable,
}

impl Failure {
    fn error(self) -> ApiError {
        match self {
            Failure::Missing => ApiError::unauthorized(
                "unauthenticated",
                "Send an access token: Authorization: Bearer <token>.",
            ),
            Failure::Scheme => ApiError::unauthorized("unauthenticated", "Use the Bearer scheme."),
            Failure::Invalid => {
                ApiError::unauthorized("invalid_token", "The access token is not valid.")
            }
            Failure::Expired => {
                ApiError::unauthorized("token_expired", "The access token has expired; refresh it.")
            }
            Failure::Revoked => ApiError::token_revoked(),
            Failure::Unavailable => ApiError::unavailable("account state unreadable"),
        }
    }
}

/// What [`middleware`] found for this request.
#[derive(Debug, Clone)]
struct Authentication(Result<Caller, Failure>);

/// Checks the bearer token of every request that has one, before any extractor runs (so the
/// role check still comes before the body is read, even when the account state has to be
/// fetched): a deactivated user, a revoked client or a user whose access changed is refused
/// (401 `token_revoked`) within `SAS_SESSION_CHECK_SECONDS`, without waiting for expiry.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        if let Some(state) = req.app_data::<web::Data<AppState>>().cloned() {
            let found = authenticate(&state, req.request()).await;
            req.extensions_mut().insert(Authentication(found));
        }
    }
    next.call(req).await
}

fn bearer(req: &HttpRequest) -> Result<&str, Failure> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(Failure::Missing)?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Failure::Scheme)
}

async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<Caller, Failure> {
    let now = state.clock.now();
    let claims = state.keys.verify(bearer(req)?, now).map_err(|e| match e {
        jwt::TokenError::Expired => Failure::Expired,
        _ => Failure::Invalid,
    })?;
    let actor = match claims.act.as_str() {
        "user" => Actor::User(claims.sub),
        "api_client" => Actor::Client(claims.sub),
        _ => return Err(Failure::Invalid),
    };
    let account = match state.accounts.cached(actor, now) {
        Some(a) => a,
        None => {
            let a = db::run(&state.pool, move |conn| account_state(conn, actor))
                .await
                .map_err(|e| {
                    log::warn!("account state: {e}");
                    Failure::Unavailable
                })?;
            state.accounts.store(actor, now, a);
            a
        }
    };
    if !account.usable || account.session_version != claims.sv {
        return Err(Failure::Revoked);
    }
    Ok(Caller {
        actor,
        roles: claims.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        structure_id: claims.structure_id,
        territory_id: claims.territory_id,
        pilot_territory_id: claims.pilot_territory_id,
        password_change_required: claims.pwc,
    })
}

fn account_state(conn: &mut diesel::PgConnection, actor: Actor) -> ApiResult<AccountState> {
    Ok(match actor {
        Actor::User(id) => match db::users::session_state(conn, id)? {
            Some((active, version)) => AccountState {
                usable: active,
                session_version: version,
            },
            None => AccountState {
                usable: false,
                session_version: 0,
            },
        },
        Actor::Client(id) => AccountState {
            usable: db::api_clients::get(conn, id)?.is_some_and(|c| c.revoked_at.is_none()),
            session_version: 0,
        },
    })
}

/// The caller as [`middleware`] left it, whatever the state of its password.
fn found(req: &HttpRequest) -> ApiResult<Caller> {
    match req.extensions().get::<Authentication>() {
        Some(Authentication(Ok(c))) => Ok(c.clone()),
        Some(Authentication(Err(f))) => Err(f.error()),
        None => Err(Failure::Missing.error()),
    }
}

/// A caller with a current session, who has chosen their own password.
fn usual(req: &HttpRequest) -> ApiResult<Caller> {
    let c = found(req)?;
    if c.password_change_required {
        return Err(ApiError::password_change_required());
    }
    Ok(c)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(usual(req))
    }
}

/// A caller whose password may still have to be changed: only for `POST /me/password`, which
/// is how such a caller gets out of that state. Every other route refuses them (403
/// `password_change_required`) through [`Caller`] and [`Authorized`].
#[derive(Debug, Clone)]
pub struct SelfService(pub Caller);

impl FromRequest for SelfService {
    type Error = ApiError;
    type Future = Ready<Result<SelfService, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(found(req).map(SelfService))
    }
}

/// The caller of a public endpoint (search, export, communes, vocabularies): someone with a
/// valid token (any role, not rate-limited), or anyone without one, counted against
/// `SAS_PUBLIC_RATE_PER_MINUTE` per client address (429 with `Retry-After` beyond). A token
/// that is sent must be valid (401 otherwise): a bad token is not a way around the limit; an
/// account whose password an administrator set gets 403 `password_change_required`, as
/// everywhere.
#[derive(Debug, Clone)]
pub struct Anyone(pub Option<Caller>);

fn anyone(req: &HttpRequest) -> ApiResult<Anyone> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return usual(req).map(|c| Anyone(Some(c)));
    }
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        let s = &state.settings;
        if let Some(ip) = client_ip::ip_of(req, s.trust_proxy, s.trust_proxy_hops) {
            state
                .public_rate
                .check(ip, state.clock.now().timestamp())
                .map_err(ApiError::rate_limited)?;
        }
    }
    Ok(Anyone(None))
}

impl FromRequest for Anyone {
    type Error = ApiError;
    type Future = Ready<Result<Anyone, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(anyone(req))
    }
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
        ready(usual(req).and_then(|c| {
            if c.roles.iter().any(|r| role_bit(*r) & ROLES != 0) {
                Ok(Authorized(c))
            } else {
                Err(ApiError::forbidden())
            }
        }))
    }
}

//! What every handler can reach: the pool, the clock, token keys, throttling, the password
//! gate, cached account states and settings.
use crate::auth::accounts::AccountStates;
use crate::auth::jwt::Keys;
use crate::auth::password::Gate;
use crate::auth::public_rate::PublicRate;
use crate::auth::throttle::Throttle;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Pool;

pub struct AppState {
    pub pool: Pool,
    pub clock: SharedClock,
    pub keys: Keys,
    pub throttle: Throttle,
    pub passwords: Gate,
    pub accounts: AccountStates,
    /// Anonymous requests to the public endpoints, per client address.
    pub public_rate: PublicRate,
    pub settings: Settings,
}

impl AppState {
    pub fn new(settings: Settings, pool: Pool, clock: SharedClock) -> AppState {
        AppState {
            keys: Keys::new(&settings.jwt),
            throttle: Throttle::new(settings.throttle.window),
            passwords: Gate::new(&settings.password_checks),
            accounts: AccountStates::new(settings.sessions.state_cache),
            public_rate: PublicRate::new(settings.public_rate_per_minute),
            pool,
            clock,
            settings,
        }
    }
}

//! What every handler can reach: the pool, the clock, token keys, throttling and settings.
use crate::auth::jwt::Keys;
use crate::auth::throttle::Throttle;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Pool;

pub struct AppState {
    pub pool: Pool,
    pub clock: SharedClock,
    pub keys: Keys,
    pub throttle: Throttle,
    pub settings: Settings,
}

impl AppState {
    pub fn new(settings: Settings, pool: Pool, clock: SharedClock) -> AppState {
        AppState {
            keys: Keys::new(&settings.jwt),
            throttle: Throttle::new(settings.throttle.window),
            pool,
            clock,
            settings,
        }
    }
}

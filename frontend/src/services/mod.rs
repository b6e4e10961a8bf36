//! Every HTTP call of the SPA: one typed function per endpoint, grouped by resource, over the
//! one transport of [`http`] (token, renewal, problem+json → [`ApiError`]).
//!
//! Pages and components call these functions and never build a URL: a new endpoint gets its
//! function here (and its query type, when it takes filters, with a host test of the query).
pub mod account;
pub mod auth;
pub mod http;
pub mod matching;
pub mod notifications;
pub mod offer;
pub mod operations;
pub mod orient;
pub mod privacy;
pub mod reference;
pub mod referrals;
pub mod relays;
pub mod stats;
pub mod structures;
pub mod territories;
pub mod users;

pub use crate::logic::list::Paged;
pub use http::{on_session_expired, ApiError};

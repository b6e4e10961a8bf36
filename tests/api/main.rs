//! Black-box tests of the SAS API: each test starts the real server on a random port against
//! its own database cloned from a migrated template (`support`), with an injected clock.
mod admin;
mod audit;
mod auth;
mod errors;
mod jobs;
mod logging;
mod mail;
mod openapi;
mod privacy;
mod reference;
mod referrals;
mod relays;
mod retention;
mod roles;
mod services;
mod sessions;
mod spa;
mod stats;
mod stats_facts;
mod stats_generated;
mod support;
mod throttling;
mod webhooks;

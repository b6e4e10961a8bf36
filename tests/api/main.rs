//! Black-box tests of the SAS API: each test starts the real server on a random port against
//! its own database cloned from a migrated template (`support`), with an injected clock.
mod admin;
mod auth;
mod errors;
mod openapi;
mod reference;
mod referrals;
mod roles;
mod spa;
mod support;

//! SAS single-page app for caseworkers: Yew (client-side rendering) and the DSFR.
//!
//! `logic` is plain Rust, unit-tested on the host; `api` is the one HTTP helper (types from
//! `api-types`); `app` holds the routes, `pages` the screens, `components` the DSFR pieces.
pub mod api;
pub mod app;
pub mod components;
pub mod logic;
pub mod pages;
pub mod platform;
pub mod session;

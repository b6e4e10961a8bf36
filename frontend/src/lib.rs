//! SAS single-page app for caseworkers: Yew (client-side rendering) and the DSFR.
//!
//! `logic` is plain Rust, unit-tested on the host; `services` holds every HTTP call (types
//! from `api-types`); `hooks` the shared list and form hooks; `app` the routes, `pages` the
//! screens by area, `components` the DSFR pieces. `docs/FRONTEND.md` says where things go.
pub mod app;
pub mod components;
pub mod hooks;
pub mod logic;
pub mod pages;
pub mod platform;
pub mod services;
pub mod session;

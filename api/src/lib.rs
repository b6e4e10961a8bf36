//! SAS API server library: the binary (`sas`) and the black-box tests both build on it.
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod ids;
pub mod jobs;
pub mod mail;
pub mod openapi;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;

//! Domain rules, apart from HTTP and the database: plain functions and types with unit tests.
pub mod dates;
pub mod diagnostic;
pub mod directory;
pub mod jobs;
pub mod notifications;
pub mod password_links;
pub mod personal_data;
pub mod referral;
pub mod relay;
pub mod roles;
pub mod service;
pub mod siret;
pub mod stats;
pub mod text;
pub mod vocab;
pub mod webhooks;
pub mod youth;

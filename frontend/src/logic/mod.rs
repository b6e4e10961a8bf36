//! Pure logic of the SPA: formatting, labels, error mapping, form state and validation.
//!
//! Nothing here touches the browser, so it compiles and is unit-tested on the host
//! (`cargo test -p sas-frontend`).
pub mod access;
pub mod admin_forms;
pub mod consent_form;
pub mod error;
pub mod form;
pub mod format;
pub mod identity_form;
pub mod labels;
pub mod list;
pub mod offer;
pub mod offer_import;
pub mod orient;
pub mod password;
pub mod privacy;
pub mod query;
pub mod referral_form;
pub mod relay_answer;
pub mod relays;
pub mod stats;
pub mod targets;
pub mod thematiques;
pub mod validate;

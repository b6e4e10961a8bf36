//! The offer: the public directory (`directory.rs`, open to everyone, signed in or not), and
//! a receiving structure's services (`mine.rs`, `service_edit.rs`).
pub mod directory;
pub mod mine;
pub mod service_edit;

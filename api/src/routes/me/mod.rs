//! The caller: `GET /me`, and `POST /me/password` (a user replaces their password; the only
//! route open while the password is one an administrator set).
pub mod get;
pub mod notifications;
pub mod password;

pub use get::me;

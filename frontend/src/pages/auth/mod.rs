//! Signing in, and the forced change of a password an administrator set.
pub mod link;
pub mod login;
pub mod password;

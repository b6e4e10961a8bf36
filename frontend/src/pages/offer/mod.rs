//! The offer: the public directory (`directory.rs`, open to everyone, signed in or not).
pub mod directory;

//! Young people as a whole (issue 15), beyond any one referral: the right of access's export
//! ([`export`], rendered for reading by [`view`]). Administrators only, with a reason, logged
//! and audited.
pub mod export;
pub mod view;

//! Young people as a whole (issue 15), beyond any one referral. Administrators only, with a
//! reason, logged and audited:
//! - the right of access's export ([`export`], rendered for reading by [`view`]);
//! - erasure on request ([`erase`]). The anonymisation itself is `db::privacy::anonymise`,
//!   the rule `domain::retention`.
pub mod erase;
pub mod export;
pub mod view;

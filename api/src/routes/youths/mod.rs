//! Young people as such, apart from one referral (issue 15): erasure on request
//! ([`erase`]). The anonymisation itself is `db::privacy::anonymise`, the rule
//! `domain::retention`.
pub mod erase;

//! Wire types of the SAS HTTP API (`/api/v1`), shared by the server and the SPA.
//!
//! Everything here is plain data with serde derives, so the crate builds for
//! `wasm32-unknown-unknown`. OpenAPI schema derives are behind the `full` feature, which only
//! the server enables. Request types reject unknown fields: a client cannot smuggle a `status`,
//! `structure_id` or `role` into a body.

pub mod admin;
pub mod auth;
mod codes;
pub mod export;
pub mod matching;
pub mod ops;
pub mod orient;
pub mod privacy;
pub mod problem;
pub mod reference;
pub mod referral;
pub mod relay;
pub mod rules;
pub mod service;
pub mod stats;

pub use admin::*;
pub use auth::*;
pub use export::*;
pub use matching::*;
pub use ops::*;
pub use orient::*;
pub use privacy::*;
pub use problem::*;
pub use reference::*;
pub use referral::*;
pub use relay::*;
pub use service::*;
pub use stats::*;

/// Roles a person or partner system can hold. A user's roles are bounded by its structure's
/// flags: `prescriber` needs a prescriber structure, `receiver` a receiving one, `counsellor`
/// a SAS team; a `pilot` carries a territory.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Prescriber,
    Counsellor,
    Receiver,
    Pilot,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Prescriber,
        Role::Counsellor,
        Role::Receiver,
        Role::Pilot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Prescriber => "prescriber",
            Role::Counsellor => "counsellor",
            Role::Receiver => "receiver",
            Role::Pilot => "pilot",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// JSON Schema counts `6.0` as an integer: accept whole numbers written as floats.
pub fn whole_i32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    use serde::de::Error;
    let v = f64::deserialize(d)?;
    if v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX) {
        // Checked above: whole and in range.
        #[allow(clippy::cast_possible_truncation)]
        Ok(v as i32)
    } else {
        Err(D::Error::custom("expected a whole number"))
    }
}

/// [`whole_i32`] for an optional number (`null` or absent: `None`).
pub fn opt_whole_i32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    use serde::de::Error;
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX) => {
            // Checked above: whole and in range.
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(v as i32))
        }
        Some(_) => Err(D::Error::custom("expected a whole number")),
    }
}

use serde::Deserialize as _;

/// A page of a keyset-paginated list. `next_cursor` is opaque; pass it back as `cursor`.
macro_rules! page_type {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
        pub struct $name {
            pub items: Vec<$item>,
            /// Opaque cursor of the next page, `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}
pub(crate) use page_type;

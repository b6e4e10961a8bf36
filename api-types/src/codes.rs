//! Closed vocabularies of the API as Rust enums: one `snake_case` code per variant, the same on
//! the wire (serde), in the OpenAPI document (utoipa) and in the database (Diesel, `text`
//! columns). A stored code that no variant names is a decoding error, never a silent default.

/// Declares a code enum: `Variant = "code"` pairs, with `ALL`, `as_str` and `parse`; with the
/// `full` feature also the Diesel mapping to `text`.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "full", derive(utoipa::ToSchema, diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "full", diesel(sql_type = diesel::sql_types::Text))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant of a code, if any.
            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "full")]
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        #[cfg(feature = "full")]
        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let code = core::str::from_utf8(value.as_bytes())?;
                $name::parse(code).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " code {:?} in the database"), code)
                        .into()
                })
            }
        }
    };
}
pub(crate) use code_enum;

#[cfg(test)]
mod tests {
    code_enum! {
        /// A test vocabulary.
        pub enum Colour {
            Red = "red",
            /// Documented variants keep their docs.
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn codes_round_trip_through_serde_and_parse() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            let json = serde_json::to_string(c).expect("serialise");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Colour>(&json).ok(), Some(*c));
        }
        assert_eq!(Colour::parse("green"), None);
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
    }
}

//! Typed ids: a `ReferralId` cannot be passed where a `UserId` is expected. The wire types of
//! `api-types` keep plain `Uuid`s; ids become typed where rows are read (Diesel maps each to a
//! `uuid` column) and stay typed through the domain and the queries.
use diesel::deserialize::{FromSql, Result as DeResult};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{Output, Result as SerResult, ToSql};
use diesel::sql_types::Uuid as SqlUuid;
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = SqlUuid)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn new() -> $name {
                $name(Uuid::now_v7())
            }

            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> $name {
                $name(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql<SqlUuid, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> SerResult {
                <Uuid as ToSql<SqlUuid, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<SqlUuid, Pg> for $name {
            fn from_sql(value: PgValue<'_>) -> DeResult<Self> {
                <Uuid as FromSql<SqlUuid, Pg>>::from_sql(value).map($name)
            }
        }
    )+};
}

typed_id!(
    /// A referral (dossier).
    ReferralId,
    /// A young person.
    YouthId,
    /// A person's account.
    UserId,
    /// A partner system (API client).
    ClientId,
    /// A structure.
    StructureId,
    /// A territory.
    TerritoryId,
    /// An event of a referral's timeline.
    EventId,
    /// A record of a referral's consent history.
    ConsentId,
    /// A service of the offer.
    ServiceId,
    /// A relay of a referral to a service.
    RelayId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_on_the_wire() {
        let u = Uuid::now_v7();
        let id = ReferralId(u);
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            format!("\"{u}\"")
        );
        assert_eq!(Uuid::from(id), u);
        assert_ne!(ReferralId::new(), ReferralId::new());
    }
}

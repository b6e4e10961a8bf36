//! A small builder for the hand-written queries Diesel's DSL cannot express (CTEs that read
//! and log in one statement, laterals): text and numbered binds grow together, so a filter
//! that is absent leaves neither a placeholder nor a bind behind, and each shape of query
//! gets its own prepared statement and plan.
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Bind {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Text(String),
    Texts(Vec<String>),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Int(i64),
}

#[derive(Debug, Default)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            binds: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    fn bind(&mut self, b: Bind, cast: &str) -> String {
        self.binds.push(b);
        format!("${}::{cast}", self.binds.len())
    }

    /// A placeholder for `v` (with its cast), to write into the text.
    pub fn uuid(&mut self, v: impl Into<Uuid>) -> String {
        self.bind(Bind::Uuid(v.into()), "uuid")
    }

    pub fn opt_uuid(&mut self, v: Option<Uuid>) -> String {
        self.bind(Bind::OptUuid(v), "uuid")
    }

    pub fn text(&mut self, v: &str) -> String {
        self.bind(Bind::Text(v.to_string()), "text")
    }

    pub fn texts(&mut self, v: Vec<String>) -> String {
        self.bind(Bind::Texts(v), "text[]")
    }

    pub fn date(&mut self, v: NaiveDate) -> String {
        self.bind(Bind::Date(v), "date")
    }

    pub fn time(&mut self, v: DateTime<Utc>) -> String {
        self.bind(Bind::Time(v), "timestamptz")
    }

    pub fn int(&mut self, v: i64) -> String {
        self.bind(Bind::Int(v), "bigint")
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn query(self) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut q = diesel::sql_query(self.text).into_boxed::<Pg>();
        for b in self.binds {
            q = match b {
                Bind::Uuid(v) => q.bind::<SqlUuid, _>(v),
                Bind::OptUuid(v) => q.bind::<Nullable<SqlUuid>, _>(v),
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::Texts(v) => q.bind::<Array<Text>, _>(v),
                Bind::Date(v) => q.bind::<Date, _>(v),
                Bind::Time(v) => q.bind::<Timestamptz, _>(v),
                Bind::Int(v) => q.bind::<BigInt, _>(v),
            };
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_they_are_written() {
        let mut s = Sql::new("SELECT 1 WHERE a = ");
        let a = s.text("x");
        s.push(&a).push(" AND b = ");
        let b = s.int(2);
        s.push(&b);
        assert_eq!(s.as_str(), "SELECT 1 WHERE a = $1::text AND b = $2::bigint");
    }
}

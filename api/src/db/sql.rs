//! A small builder for the hand-written queries Diesel's DSL cannot express (CTEs that read
//! and log in one statement, laterals): text and binds grow together, so a filter that is
//! absent leaves neither a placeholder nor a bind behind. Unlike `diesel::sql_query`, whose
//! statements are parsed and planned again at every call, an [`Sql`] goes through Diesel's
//! prepared-statement cache (keyed by its text): each shape of query is parsed once per
//! connection. That was most of the cost of a read (docs/PERFORMANCE.md).
use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::result::QueryResult;
use diesel::sql_types::{
    Array, BigInt, Date, Double, Nullable, Text, Timestamptz, Untyped, Uuid as SqlUuid,
};
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
    Float(f64),
}

/// Marks a placeholder in the text (a control character no statement contains).
const MARK: char = '\u{1}';

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
        format!("{MARK}{}{MARK}::{cast}", self.binds.len())
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

    pub fn float(&mut self, v: f64) -> String {
        self.bind(Bind::Float(v), "float8")
    }

    /// How many binds so far (the number of the last one).
    pub fn binds(&self) -> usize {
        self.binds.len()
    }

    /// The text with each placeholder rewritten by `f(bind number, bind)`.
    fn rewrite(&self, mut f: impl FnMut(usize, &Bind) -> String) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut parts = self.text.split(MARK);
        if let Some(head) = parts.next() {
            out.push_str(head);
        }
        while let (Some(n), Some(tail)) = (parts.next(), parts.next()) {
            let n: usize = n.parse().unwrap_or(0);
            match n.checked_sub(1).and_then(|i| self.binds.get(i)) {
                Some(b) => out.push_str(&f(n, b)),
                None => out.push_str("NULL"),
            }
            out.push_str(tail);
        }
        out
    }

    /// The statement as Postgres receives it (`$1`, `$2`… in order of appearance).
    pub fn render(&self) -> String {
        let mut k = 0;
        self.rewrite(|_, _| {
            k += 1;
            format!("${k}")
        })
    }

    /// The text with every bind written as a literal, except those `keep` rewrites (by bind
    /// number): what a benchmark replays outside the application.
    pub fn inline(&self, keep: impl Fn(usize) -> Option<String>) -> String {
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        self.rewrite(|n, b| {
            keep(n).unwrap_or_else(|| match b {
                Bind::Uuid(v) => quote(&v.to_string()),
                Bind::OptUuid(v) => v.map_or("NULL".into(), |v| quote(&v.to_string())),
                Bind::Text(v) => quote(v),
                Bind::Texts(v) => quote(&format!("{{{}}}", v.join(","))),
                Bind::Date(v) => quote(&v.to_string()),
                Bind::Time(v) => quote(&v.to_rfc3339()),
                Bind::Int(v) => v.to_string(),
                Bind::Float(v) => format!("{v:?}"),
            })
        })
    }
}

impl QueryId for Sql {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Sql {
    type SqlType = Untyped;
}

impl RunQueryDsl<PgConnection> for Sql {}

impl QueryFragment<Pg> for Sql {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let mut parts = self.text.split(MARK);
        if let Some(head) = parts.next() {
            out.push_sql(head);
        }
        while let (Some(n), Some(tail)) = (parts.next(), parts.next()) {
            let bind = n
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.binds.get(i))
                .ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError(
                        "a placeholder without its bind".into(),
                    )
                })?;
            match bind {
                Bind::Uuid(v) => out.push_bind_param::<SqlUuid, _>(v)?,
                Bind::OptUuid(v) => out.push_bind_param::<Nullable<SqlUuid>, _>(v)?,
                Bind::Text(v) => out.push_bind_param::<Text, _>(v)?,
                Bind::Texts(v) => out.push_bind_param::<Array<Text>, _>(v)?,
                Bind::Date(v) => out.push_bind_param::<Date, _>(v)?,
                Bind::Time(v) => out.push_bind_param::<Timestamptz, _>(v)?,
                Bind::Int(v) => out.push_bind_param::<BigInt, _>(v)?,
                Bind::Float(v) => out.push_bind_param::<Double, _>(v)?,
            }
            out.push_sql(tail);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_they_appear() {
        let mut s = Sql::new("SELECT 1 WHERE b = ");
        let a = s.text("x");
        let b = s.int(2);
        s.push(&b)
            .push(" AND a = ")
            .push(&a)
            .push(" OR a = ")
            .push(&a);
        assert_eq!(
            s.render(),
            "SELECT 1 WHERE b = $1::bigint AND a = $2::text OR a = $3::text"
        );
        assert_eq!(
            s.inline(|n| (n == 2).then(|| ":n".into())),
            "SELECT 1 WHERE b = :n::bigint AND a = 'x'::text OR a = 'x'::text"
        );
    }

    #[test]
    fn the_statement_is_safe_to_prepare_once_and_reuse() {
        use diesel::query_builder::QueryBuilder;
        let mut s = Sql::new("SELECT ");
        let a = s.text("x");
        s.push(&a);
        let mut qb = diesel::pg::PgQueryBuilder::default();
        s.to_sql(&mut qb, &Pg).expect("sql");
        assert_eq!(qb.finish(), "SELECT $1::text");
        assert!(s.is_safe_to_cache_prepared(&Pg).expect("cacheable"));
    }
}

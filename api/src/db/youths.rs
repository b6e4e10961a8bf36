//! Young people: identity and contact, as the prescriber entered them.
use api_types::ContactChannel;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::schema::youths;
use crate::ids::YouthId;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = youths, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct YouthRow {
    pub id: YouthId,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub name_key: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub contact_channels: Vec<ContactChannel>,
    pub contact_via_prescriber_only: bool,
    pub legal_rep_name: Option<String>,
    pub legal_rep_phone: Option<String>,
    pub legal_rep_email: Option<String>,
    pub legal_rep_informed_on: Option<NaiveDate>,
    pub anonymised_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

pub fn insert(conn: &mut PgConnection, row: &YouthRow) -> QueryResult<YouthRow> {
    diesel::insert_into(youths::table)
        .values(row)
        .returning(YouthRow::as_returning())
        .get_result(conn)
}

pub fn get(conn: &mut PgConnection, id: YouthId) -> QueryResult<YouthRow> {
    youths::table
        .find(id)
        .select(YouthRow::as_select())
        .first(conn)
}

pub fn update(conn: &mut PgConnection, row: &YouthRow) -> QueryResult<YouthRow> {
    diesel::update(youths::table.find(row.id))
        .set(row)
        .returning(YouthRow::as_returning())
        .get_result(conn)
}

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::youths;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = youths, treat_none_as_null = true)]
pub struct YouthRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub name_key: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub commune_insee: String,
    pub contact_channels: Vec<String>,
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

pub fn update(conn: &mut PgConnection, row: &YouthRow) -> QueryResult<YouthRow> {
    diesel::update(youths::table.find(row.id))
        .set(row)
        .returning(YouthRow::as_returning())
        .get_result(conn)
}

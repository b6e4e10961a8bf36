//! The retention job's runs for administrators (issue 15): `GET /admin/retention-runs`.
pub mod list;

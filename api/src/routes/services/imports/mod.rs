//! Imports of data·inclusion's offer files by an administrator: the upload (streamed to
//! disk, then run by the `offer.import` job) and its progress and report.
use api_types::{ImportRejection, ImportStatus, OfferImport};

use crate::db::imports::ImportRow;

pub mod create;
pub mod get;

pub fn to_api(r: ImportRow) -> OfferImport {
    OfferImport {
        id: r.id,
        status: ImportStatus::parse(&r.status).unwrap_or(ImportStatus::Failed),
        file_name: r.file_name,
        bytes: r.bytes,
        bytes_read: r.bytes_read.min(r.bytes),
        rows: r.rows_read,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        suspended: r.suspended,
        rejected_rows: serde_json::from_value::<Vec<ImportRejection>>(r.report).unwrap_or_default(),
        error: r.error,
        created_at: r.created_at,
        started_at: r.started_at,
        finished_at: r.finished_at,
    }
}

//! `POST /services/imports`: an administrator uploads a data·inclusion file; it is written
//! to disk as it arrives (never held in memory, written through tokio's file API so the
//! server's threads never block on the disk), then imported by a job.
use std::path::Path;

use actix_web::{http::header, post, web, HttpRequest, HttpResponse};
use api_types::OfferImport;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::auth::{AdminOnly, Authorized};
use crate::db::{self, imports, jobs};
use crate::error::FieldErrors;
use crate::error::{ApiError, ApiResult};
use crate::routes::admin_audit::{self, check_reason, Changes, Entry};
use crate::state::AppState;

const MSG_BUSY: &str = "An import is already queued or running; wait for its report.";
const MSG_TOO_LARGE: &str = "The file is larger than SAS_IMPORT_MAX_BYTES.";
const MSG_EMPTY: &str = "The file is empty.";
const MSG_FILE_NAME: &str = "A file name of 1 to 200 characters.";

/// The upload's parameters: the body is the file itself.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Why (recorded in the administrative audit), 1 to 500 characters: required.
    #[serde(default)]
    pub reason: Option<String>,
    /// The file's name, for the report (`services-inclusion-2026-12-01.csv`).
    #[serde(default)]
    pub file_name: Option<String>,
}

/// Import a data·inclusion `structures` or `services` file (admin): a JSON array, JSON lines
/// or CSV (arrays in Python list notation, dates as epoch milliseconds are read), sent as the
/// body, up to `SAS_IMPORT_MAX_BYTES`. It is imported by a job; follow it at
/// `GET /services/imports/{id}`. Rows are matched on (source, id) — structures then by SIRET
/// — so importing again creates nothing twice; a row that fails validation is rejected with
/// its reason without stopping the rest; published services of the file's sources that it no
/// longer lists are suspended. One import at a time. Recorded in the administrative audit.
#[utoipa::path(
    tag = "administration",
    params(ImportParams),
    request_body(content = String, description = "The file (JSON, JSON lines or CSV).", content_type = "application/octet-stream"),
    responses(
        (status = 202, description = "Queued; `Location` is the import to follow.", body = OfferImport),
        (status = 400, description = "Unknown query parameter (`unknown_parameter`), or the upload broke off (`invalid_body`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another import is queued or running (`import_running`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than `SAS_IMPORT_MAX_BYTES` (`payload_too_large`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long, the file empty or its name too long (`required`, `too_long`, `empty_file`, `invalid_length`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/imports")]
pub async fn create_import(
    state: web::Data<AppState>,
    Authorized(admin): AdminOnly,
    req: HttpRequest,
    mut body: web::Payload,
) -> ApiResult<HttpResponse> {
    let params = web::Query::<ImportParams>::from_query(req.query_string())
        .map_err(|e| ApiError::bad_request("unknown_parameter", e.to_string()))?
        .into_inner();
    let mut errs = FieldErrors::default();
    let reason = check_reason(params.reason.as_deref().unwrap_or(""), &mut errs);
    let file_name = match params.file_name.as_deref().map(str::trim) {
        None | Some("") => "upload".to_string(),
        Some(n) if n.chars().count() <= 200 => n.to_string(),
        Some(_) => {
            errs.add("file_name", "invalid_length", MSG_FILE_NAME);
            String::new()
        }
    };
    errs.finish()?;
    let max = state.settings.import_max_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    if db::run(&state.pool, |conn| Ok(imports::busy(conn)?)).await? {
        return Err(ApiError::conflict("import_running", MSG_BUSY));
    }
    let id = Uuid::now_v7();
    let dir = state.settings.import_dir.clone();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| ApiError::internal(format!("import dir: {e}")))?;
    let path = dir.join(id.to_string());
    let written = match receive(&mut body, &path, max).await {
        Ok(n) => n,
        Err(e) => {
            cleanup(&path).await;
            return Err(e);
        }
    };
    let now = state.clock.now();
    let actor = admin.actor.user_id();
    let path_text = path.display().to_string();
    let result = db::tx(&state.pool, move |conn| {
        let row = imports::create(conn, id, &file_name, &path_text, written as i64, actor, now)?
            .ok_or_else(|| ApiError::conflict("import_running", MSG_BUSY))?;
        jobs::enqueue(
            conn,
            imports::RUN,
            &format!("offer.import:{id}"),
            &serde_json::json!({ "import_id": id }),
            now,
            3,
        )?;
        let mut changes = Changes::default();
        changes.field("file_name", &"", &row.file_name.as_str());
        admin_audit::record(
            conn,
            Entry {
                actor,
                action: "offer.import",
                target_type: "import",
                target_id: id,
                changes,
                reason: &reason,
            },
            now,
        )?;
        Ok(row)
    })
    .await;
    let row = match result {
        Ok(r) => r,
        Err(e) => {
            cleanup(&path).await;
            return Err(e);
        }
    };
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/api/v1/services/imports/{id}")))
        .json(super::to_api(row)))
}

/// Writes the body to `path` as it arrives; its size, or why it is refused (the caller
/// removes the file then).
async fn receive(body: &mut web::Payload, path: &Path, max: u64) -> ApiResult<u64> {
    let file = tokio::fs::File::create(path)
        .await
        .map_err(|e| ApiError::internal(format!("import file: {e}")))?;
    let mut file = tokio::io::BufWriter::with_capacity(1 << 16, file);
    let mut written: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request("invalid_body", e.to_string()))?;
        written += chunk.len() as u64;
        if written > max {
            return Err(too_large());
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| ApiError::internal(format!("import file: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| ApiError::internal(format!("import file: {e}")))?;
    if written == 0 {
        return Err(ApiError::field("file", "empty_file", MSG_EMPTY));
    }
    Ok(written)
}

async fn cleanup(path: &Path) {
    let _ = tokio::fs::remove_file(path).await;
}

fn too_large() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        MSG_TOO_LARGE,
    )
}

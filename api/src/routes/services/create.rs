//! `POST /services`: a new service of the caller's structure, as a `draft`.
use actix_web::{post, web, HttpRequest, HttpResponse};
use api_types::{Service, ServiceInput};

use super::{build_row, event, parse, structure_for, to_api, Base, Editor};
use crate::auth::Authorized;
use crate::db::{self, services};
use crate::error::ApiResult;
use crate::routes::idempotency;
use crate::state::AppState;

/// Create a service (a receiver for its own structure, an administrator for any). It starts
/// as a `draft`: publishing is an action (`POST /services/{id}/publish`).
#[utoipa::path(
    tag = "services",
    request_body = ServiceInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: same key and body → same answer, kept 24 h.")),
    responses(
        (status = 201, description = "Created, as a draft.", body = Service, headers(("Location" = String, description = "URL of the service"), ("ETag" = String, description = "Its version"))),
        (status = 422, description = "Invalid fields (`required`, `unknown_code`, `invalid_zone`, `unknown_zone`, `unknown_commune`, `age_range`, `above_maximum`, `not_your_structure`, `unknown_structure`…).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services")]
pub async fn create(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    req: HttpRequest,
    body: web::Json<ServiceInput>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let idem = idempotency::key(&req, &caller, &body)?;
    let structure = structure_for(&caller, body.structure_id)?;
    let valid = parse(body)?;
    let now = state.clock.now();
    let answer = db::tx(&state.pool, move |conn| {
        idempotency::once(conn, idem.as_ref(), now, |conn| {
            let row = build_row(conn, valid, Base::new(structure, now), now)?;
            let row = services::insert(conn, &row)?;
            services::record(conn, &event(&caller, &row, "created", None, now))?;
            let saved =
                services::get(conn, row.id)?.ok_or_else(crate::error::ApiError::not_found)?;
            Ok((
                format!("/api/v1/services/{}", row.id),
                idempotency::to_body(&to_api(saved))?,
            ))
        })
    })
    .await?;
    Ok(idempotency::created_response(answer))
}

//! `PUT /services/{id}`: replace what a service says (`If-Match` required).
use actix_web::{put, web, HttpRequest, HttpResponse};
use api_types::{Service, ServiceInput};
use uuid::Uuid;

use super::{
    build_row, event, mark_edited, parse, reachable, to_api, Base, Editor, MSG_STRUCTURE_FIXED,
};
use crate::auth::Authorized;
use crate::db::{self, services};
use crate::error::{ApiError, ApiResult};
use crate::ids::ServiceId;
use crate::routes::support::{if_match, ok_versioned};
use crate::state::AppState;

/// Replace a service's fields (its structure's receivers, administrators). The status is
/// kept: it changes through the actions only. Places given are dated now (unchanged ones
/// keep their date).
#[utoipa::path(
    tag = "services",
    params(
        ("id" = Uuid, Path, description = "Service id"),
        ("If-Match" = String, Header, description = "The version read (`ETag`)."),
    ),
    request_body = ServiceInput,
    responses(
        (status = 200, description = "Replaced.", body = Service, headers(("ETag" = String, description = "Its new version"))),
        (status = 422, description = "Invalid fields (as for creation; `structure_fixed` when `structure_id` names another structure).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/services/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    Authorized(caller): Editor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ServiceInput>,
) -> ApiResult<HttpResponse> {
    let expected = if_match(&req)?;
    let body = body.into_inner();
    let asked = body.structure_id;
    let valid = parse(body)?;
    let id = ServiceId(id.into_inner());
    let now = state.clock.now();
    let saved = db::tx(&state.pool, move |conn| {
        let r = reachable(&caller, services::get(conn, id)?)?;
        let old = services::get_for_update(conn, id)?.ok_or_else(ApiError::not_found)?;
        let expected = expected.check(old.version)?;
        if asked.is_some_and(|s| s != old.structure_id.uuid()) {
            return Err(ApiError::field(
                "structure_id",
                "structure_fixed",
                MSG_STRUCTURE_FIXED,
            ));
        }
        let mut row = build_row(conn, valid, Base::next(&old), now)?;
        mark_edited(&old, &mut row);
        let row =
            services::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)?;
        services::record(
            conn,
            &event(&caller, &row, "updated", Some(old.status), now),
        )?;
        Ok(services::WithStructure {
            service: row,
            structure_name: r.structure_name,
        })
    })
    .await?;
    let v = saved.service.version;
    Ok(ok_versioned(&to_api(saved), v))
}

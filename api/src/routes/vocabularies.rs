use actix_web::{get, web, HttpResponse};
use api_types::{Vocabulary, VocabularyEntry};

use crate::auth::Anyone;
use crate::domain::vocab;
use crate::error::{ApiError, ApiResult};

fn to_api(v: &vocab::Vocabulary) -> Vocabulary {
    Vocabulary {
        name: v.name.to_string(),
        source: v.source.to_string(),
        items: v
            .items
            .iter()
            .map(|(value, label)| VocabularyEntry {
                value: value.to_string(),
                label: label.to_string(),
            })
            .collect(),
    }
}

/// Every controlled vocabulary (data·inclusion codes and SAS lists) with French labels (no
/// account needed).
#[utoipa::path(
    tag = "reference",
    responses((status = 200, description = "All vocabularies.", body = Vec<Vocabulary>))
)]
#[get("/vocabularies")]
pub async fn list(_who: Anyone) -> HttpResponse {
    HttpResponse::Ok().json(vocab::all().iter().map(to_api).collect::<Vec<_>>())
}

/// One vocabulary by name (`thematiques`, `typologies-de-structures`, `referral-reasons`…).
#[utoipa::path(
    tag = "reference",
    params(("name" = String, Path, description = "Vocabulary name")),
    responses(
        (status = 200, description = "The vocabulary.", body = Vocabulary),
        (status = 404, description = "No such vocabulary.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/vocabularies/{name}")]
pub async fn get(_who: Anyone, name: web::Path<String>) -> ApiResult<HttpResponse> {
    let v = vocab::get(&name).ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(v)))
}

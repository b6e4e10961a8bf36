use actix_web::{get, web, HttpResponse};
use api_types::{Commune, CommuneKind, CommunePage};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::Anyone;
use crate::db::{self, communes, cursor};
use crate::domain::text::search_key;
use crate::error::{ApiError, ApiResult};
use crate::routes::support::limit;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommuneQuery {
    /// Name (accents and case ignored) or the start of a postal or INSEE code. Ranked
    /// results, no further pages. Without `q`, communes are listed by INSEE code.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only communes of this département (`69`, `2A`, `974`).
    pub departement: Option<String>,
    /// Only communes of this EPCI (SIREN).
    pub epci: Option<String>,
    /// Only communes served by this territory.
    pub territory_id: Option<Uuid>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// Cursor from a previous page (listing without `q` only).
    pub cursor: Option<String>,
}

/// Search or list communes (no account needed: reference data; anonymous callers are
/// rate-limited per address).
#[utoipa::path(
    tag = "reference",
    params(CommuneQuery),
    responses((status = 200, description = "Matching communes, best first.", body = CommunePage))
)]
#[get("/communes")]
pub async fn list(
    state: web::Data<AppState>,
    _who: Anyone,
    query: web::Query<CommuneQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if text.is_some_and(|t| t.chars().count() > 100) {
        return Err(ApiError::bad_request(
            "invalid_query",
            "q is limited to 100 characters.",
        ));
    }
    let page = match text {
        Some(t) => {
            let code: String = t
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase();
            // Postal codes and INSEE codes (Corsica's start with 2A / 2B).
            let digits = !code.is_empty()
                && code.len() <= 5
                && code.chars().enumerate().all(|(i, c)| {
                    c.is_ascii_digit()
                        || (i == 1 && (c == 'A' || c == 'B') && code.starts_with('2'))
                });
            let key = if digits { code } else { search_key(t) };
            if key.is_empty() {
                CommunePage {
                    items: vec![],
                    next_cursor: None,
                }
            } else {
                let rows = db::run(&state.pool, move |conn| {
                    communes::search(conn, &key, digits, limit)
                })
                .await?;
                CommunePage {
                    items: rows.into_iter().map(to_api).collect(),
                    next_cursor: None,
                }
            }
        }
        None => {
            let after = q
                .cursor
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(cursor::decode::<String>)
                .transpose()?;
            let filter = communes::Filter {
                departement: q.departement,
                epci: q.epci,
                territory_id: q.territory_id,
                after_insee: after,
            };
            let rows = db::run(&state.pool, move |conn| {
                communes::list(conn, &filter, limit + 1)
            })
            .await?;
            let (rows, next) = cursor::page(rows, limit, |r| r.commune.insee.clone());
            CommunePage {
                items: rows.into_iter().map(to_api).collect(),
                next_cursor: next,
            }
        }
    };
    Ok(HttpResponse::Ok().json(page))
}

/// One commune by INSEE code (no account needed).
#[utoipa::path(
    tag = "reference",
    params(("insee" = String, Path, description = "INSEE code")),
    responses(
        (status = 200, description = "The commune.", body = Commune),
        (status = 404, description = "No such commune.", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/communes/{insee}")]
pub async fn get(
    state: web::Data<AppState>,
    _who: Anyone,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let insee = path.into_inner();
    let row = db::run(&state.pool, move |conn| {
        let Some(c) = communes::get(conn, &insee)? else {
            return Ok(None);
        };
        let t = communes::territory_of(conn, &insee)?;
        Ok(Some(communes::CommuneWithTerritory {
            commune: c,
            territory_id: t,
        }))
    })
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(to_api(row)))
}

fn to_api(r: communes::CommuneWithTerritory) -> Commune {
    let c = r.commune;
    Commune {
        insee: c.insee,
        name: c.name,
        kind: if c.kind == "arrondissement" {
            CommuneKind::Arrondissement
        } else {
            CommuneKind::Commune
        },
        parent_insee: c.parent_insee,
        postal_codes: c.postal_codes,
        departement: c.departement,
        epci: c.epci,
        region: c.region,
        population: c.population,
        latitude: c.latitude,
        longitude: c.longitude,
        territory_id: r.territory_id,
    }
}

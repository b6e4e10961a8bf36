//! `GET /services/search`: the public search of the published offer, near a commune or a
//! point. No account needed (rate-limited per client address); no personal data, never a
//! draft, a suspended or an archived service.
use actix_web::{get, web, HttpResponse};
use api_types::{Capacity, FieldError, PublicStructure, SearchPage, ServiceResult};
use serde::Deserialize;

use super::modes;
use crate::auth::Anyone;
use crate::db::cursor::{self, Key};
use crate::db::services::{self, Search, SearchKey, NO_DISTANCE};
use crate::db::{self, communes};
use crate::domain::service::{age_fits, geo, zone};
use crate::domain::vocab;
use crate::error::{ApiError, ApiResult};
use crate::routes::support::limit;
use crate::state::AppState;

/// Longest free text, and most codes per filter: what an anonymous caller can make the
/// server parse and bind is bounded.
pub const MAX_Q: usize = 200;
pub const MAX_FILTER_CODES: usize = 20;
pub const DEFAULT_RADIUS_KM: i32 = 50;
pub const MAX_RADIUS_KM: i32 = 200;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// INSEE code of the commune searched from (or give `lat` and `lon`).
    #[param(max_length = 5)]
    pub commune: Option<String>,
    /// Latitude of the point searched from (with `lon`; eligibility is checked against the
    /// nearest commune).
    #[param(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[param(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
    /// In-person services within this many km (default 50); remote ones are always included.
    #[param(minimum = 1, maximum = 200)]
    pub radius_km: Option<i32>,
    /// Comma-separated `thematiques` codes: a service with any of them.
    #[param(max_length = 2000)]
    pub thematiques: Option<String>,
    /// Comma-separated `publics` codes: a service with any of them.
    #[param(max_length = 1000)]
    pub publics: Option<String>,
    /// Comma-separated `types-de-services` codes.
    #[param(max_length = 200)]
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Comma-separated `frais` codes.
    #[param(max_length = 50)]
    pub frais: Option<String>,
    /// Comma-separated `modes-accueil` codes (`en-presentiel`, `a-distance`).
    #[param(max_length = 50)]
    pub modes_accueil: Option<String>,
    /// The young person's age: services whose age range includes it.
    #[param(minimum = 0, maximum = 120)]
    pub age: Option<i32>,
    /// Free text in French (accents, case and plurals ignored); results by relevance, then distance.
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl Key for SearchKey {
    fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(28);
        v.extend_from_slice(&self.rank.to_be_bytes());
        v.extend_from_slice(&self.distance.to_be_bytes());
        v.extend_from_slice(self.id.as_bytes());
        v
    }
    fn from_bytes(mut b: &[u8]) -> SearchKey {
        let mut take = |n: usize| {
            let mut out = [0u8; 16];
            let k = b.len().min(n);
            out[..k].copy_from_slice(&b[..k]);
            b = &b[k..];
            out
        };
        let r = take(4);
        let d = take(8);
        let id = uuid::Uuid::from_bytes(take(16));
        let rank = f32::from_be_bytes([r[0], r[1], r[2], r[3]]);
        let distance = f64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
        // Any bytes are a position: non-finite numbers become the ends of the order.
        SearchKey {
            rank: if rank.is_finite() { rank } else { 0.0 },
            distance: if distance.is_finite() {
                distance.clamp(0.0, NO_DISTANCE)
            } else {
                NO_DISTANCE
            },
            id,
        }
    }
}

/// What the schema says (bounds, lengths): 400.
fn bad(field: &str, code: &str, message: &str) -> ApiError {
    let mut e = ApiError::bad_request("invalid_query", message.to_string());
    e.errors = vec![FieldError::new(field, code, message)];
    e
}

/// What only the server knows (codes, communes, which parameters go together): 422.
fn invalid(field: &str, code: &'static str, message: &str) -> ApiError {
    ApiError::field(field, code, message.to_string())
}

const MSG_PLACE: &str = "Give a commune (INSEE code) or a point (lat and lon), not both.";
const MSG_COMMUNE: &str = "Not a known INSEE code.";
const MSG_RANGE: &str = "Out of range.";
const MSG_TOO_MANY: &str = "At most 20 codes.";
const MSG_Q: &str = "q is limited to 200 characters.";

/// A comma-separated list of codes of `vocab_name`.
fn codes(raw: Option<String>, field: &str, vocab_name: &str) -> ApiResult<Vec<String>> {
    let list: Vec<String> = raw
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if list.len() > MAX_FILTER_CODES {
        return Err(invalid(field, "too_many", MSG_TOO_MANY));
    }
    if list.iter().any(|c| !vocab::is_known(vocab_name, c)) {
        return Err(invalid(
            field,
            "unknown_code",
            &format!("Use codes of the {vocab_name} vocabulary."),
        ));
    }
    Ok(list)
}

/// Search published services near a commune or a point (no account needed). Eligibility zones
/// must cover the commune (itself, its parent commune, EPCI, département, région or `france`;
/// an empty zone is included as `zone_unknown`); in-person services lie within `radius_km`,
/// remote ones are always included; filters combine with AND (codes within one filter: any).
/// Order: distance then id, or with `q` text relevance then distance. Anonymous callers are
/// limited to `SAS_PUBLIC_RATE_PER_MINUTE` requests per minute and address.
#[utoipa::path(
    tag = "offer",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of published services.", body = SearchPage),
        (status = 422, description = "A code that is not in its vocabulary (`unknown_code`), more than 20 codes in a filter (`too_many`), no place or two (`place_required`: a commune, or `lat` and `lon`), an unknown commune (`unknown_commune`).", body = api_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from your address (`rate_limited`); see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json", headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
#[get("/services/search")]
pub async fn search(
    state: web::Data<AppState>,
    _who: Anyone,
    query: web::Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = limit(q.limit)?;
    let radius = q.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    if !(1..=MAX_RADIUS_KM).contains(&radius) {
        return Err(bad("radius_km", "out_of_range", MSG_RANGE));
    }
    if q.age.is_some_and(|a| !(0..=120).contains(&a)) {
        return Err(bad("age", "out_of_range", MSG_RANGE));
    }
    let text =
        q.q.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
    if text.as_deref().is_some_and(|t| t.chars().count() > MAX_Q) {
        return Err(bad("q", "too_long", MSG_Q));
    }
    let point = match (q.commune.as_deref().map(str::trim), q.lat, q.lon) {
        (Some(c), None, None) if !c.is_empty() => Err(c.to_ascii_uppercase()),
        (None, Some(la), Some(lo))
            if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) =>
        {
            Ok((la, lo))
        }
        (None, Some(_), Some(_)) => return Err(bad("lat", "out_of_range", MSG_RANGE)),
        _ => return Err(invalid("commune", "place_required", MSG_PLACE)),
    };
    let thematiques = codes(q.thematiques, "thematiques", "thematiques")?;
    let publics = codes(q.publics, "publics", "publics")?;
    let types = codes(q.type_, "type", "types-de-services")?;
    let frais = codes(q.frais, "frais", "frais")?;
    let modes_f = codes(q.modes_accueil, "modes_accueil", "modes-accueil")?;
    let after = cursor::after::<SearchKey>(q.cursor.as_deref())?;
    let age = q.age;
    let page = db::run(&state.pool, move |conn| {
        let (insee, origin) = match point {
            Err(insee) => (insee, None),
            Ok((la, lo)) => (
                services::nearest_commune(conn, la, lo)?
                    .ok_or_else(|| invalid("lat", "no_commune", MSG_COMMUNE))?,
                Some((la, lo)),
            ),
        };
        let c = communes::get(conn, &insee)?
            .ok_or_else(|| invalid("commune", "unknown_commune", MSG_COMMUNE))?;
        let (lat, lon) = origin.unwrap_or((c.latitude, c.longitude));
        let place = zone::Place {
            insee: c.insee.clone(),
            parent_insee: c.parent_insee.clone(),
            epci: c.epci.clone(),
            departement: c.departement.clone(),
            region: c.region.clone(),
        };
        let radius_km = f64::from(radius);
        let p = Search {
            lat,
            lon,
            radius_km,
            bbox: geo::bounding_box(lat, lon, radius_km),
            zone_keys: zone::keys(&place),
            thematiques,
            publics,
            types,
            frais,
            modes: modes_f,
            age,
            q: text,
            not_full: false,
            exclude: Vec::new(),
            after,
            limit: limit + 1,
        };
        let hits = services::search(conn, &p)?;
        let (hits, next) = cursor::page(hits, limit, |h| SearchKey {
            rank: h.rank,
            distance: h.sort_distance,
            id: h.service.id.uuid(),
        });
        let items = hits
            .into_iter()
            .filter_map(|h| {
                let s = &h.service;
                // The statement filtered already; the rules say it again, and say how.
                let eligibility = zone::eligibility(&s.zone_eligibilite, &place)?;
                if let Some(a) = age {
                    if !age_fits(a, s.age_min, s.age_max) {
                        return None;
                    }
                }
                Some(result(h, eligibility))
            })
            .collect();
        Ok(SearchPage {
            items,
            next_cursor: next,
            commune: c.insee,
            radius_km: radius,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub(crate) fn result(h: services::Hit, eligibility: api_types::Eligibility) -> ServiceResult {
    let s = h.service;
    ServiceResult {
        id: s.id.uuid(),
        structure: PublicStructure {
            id: s.structure_id.uuid(),
            nom: h.structure_name,
            commune: h.structure_commune,
            site_web: h.structure_site_web,
        },
        nom: s.nom,
        description: s.description,
        type_: s.type_,
        thematiques: s.thematiques,
        frais: s.frais,
        frais_precisions: s.frais_precisions,
        publics: s.publics,
        publics_precisions: s.publics_precisions,
        conditions_acces: s.conditions_acces,
        adresse: s.adresse,
        code_postal: s.code_postal,
        code_insee: s.commune_insee,
        commune: h.commune_name,
        telephone: s.telephone,
        courriel: s.courriel,
        modes_accueil: modes(&s.modes_accueil),
        zone_eligibilite: s.zone_eligibilite,
        lien_mobilisation: s.lien_mobilisation,
        modes_mobilisation: s.modes_mobilisation,
        mobilisable_par: s.mobilisable_par,
        mobilisation_precisions: s.mobilisation_precisions,
        horaires_accueil: s.horaires_accueil,
        age_min: s.age_min,
        age_max: s.age_max,
        latitude: s.latitude,
        longitude: s.longitude,
        distance_km: (h.sort_distance < NO_DISTANCE)
            .then(|| (h.sort_distance * 10.0).round() / 10.0),
        eligibility,
        date_maj: s.date_maj,
        capacity: s.places_updated_at.map(|at| Capacity {
            available: s.places_available,
            maximum: s.places_maximum,
            updated_at: at,
        }),
    }
}

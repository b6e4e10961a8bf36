//! `GET /referrals/{id}/matches`: published services ranked for the referral's young person,
//! each with the criteria it meets and misses (`domain::service::matching`,
//! `docs/MATCHING.md`). SAS team of the territory only, logged.
use std::collections::HashSet;

use actix_web::{get, web, HttpRequest, HttpResponse};
use api_types::{AccessAction, DiagnosticInput, FieldError, Match, MatchPage};
use serde::Deserialize;
use uuid::Uuid;

use super::{journal, team_scope, time_zone, Counsellor};
use crate::auth::Authorized;
use crate::db::services::{Search, NO_DISTANCE};
use crate::db::{self, communes, diagnostics, matching as dbm, referrals, youths};
use crate::domain::service::matching::{self, Offer, Youth};
use crate::domain::service::{geo, zone};
use crate::error::{ApiError, ApiResult};
use crate::ids::ReferralId;
use crate::routes::services::search::result;
use crate::state::AppState;

/// At most this many per page (and 20 when not said).
pub const MAX_MATCHES: i64 = 50;
pub const DEFAULT_MATCHES: i64 = 20;
/// The nearest candidates that pass the hard filters are scored, at most this many
/// (`MatchPage.truncated` says when more passed).
pub const CANDIDATES: i64 = 300;

const MSG_NO_NEEDS: &str =
    "Matching reads the needs of the diagnostic: save a diagnostic with at least one need first.";
const MSG_LIMIT: &str = "limit must be between 1 and 50.";
const MSG_NO_COMMUNE: &str = "The young person's commune is not in the reference data.";

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// At most 50 (default 20): the best ones.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
    /// Also list the services set aside (flagged `excluded`).
    pub include_excluded: Option<bool>,
}

/// The services that fit the young person, best first (counsellors of the territory). Hard
/// filters: published, not full, eligibility zone covering the young person's commune (an
/// empty zone is included and said so), age (today, in the territory's time zone) within
/// the range, in-person services within 50 km (remote ones whatever the distance), at least
/// one of the diagnostic's needs, not set aside (unless `include_excluded`). Then a score
/// from the needs and their priority, distance against mobility, reception modes and
/// places, each criterion explained in French. Order: score, distance, id.
#[utoipa::path(
    tag = "referrals",
    params(("id" = Uuid, Path, description = "Referral id"), MatchQuery),
    responses(
        (status = 200, description = "The matches, best first.", body = MatchPage),
        (status = 409, description = "No diagnostic with a need yet (`diagnostic_required`).", body = api_types::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/matches")]
pub async fn list_matches(
    state: web::Data<AppState>,
    Authorized(caller): Counsellor,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<MatchQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = q.limit.unwrap_or(DEFAULT_MATCHES);
    if !(1..=MAX_MATCHES).contains(&limit) {
        let mut e = ApiError::bad_request("invalid_limit", MSG_LIMIT);
        e.errors = vec![FieldError::new("limit", "out_of_range", MSG_LIMIT)];
        return Err(e);
    }
    let include_excluded = q.include_excluded.unwrap_or(false);
    let id = ReferralId(id.into_inner());
    let now = state.clock.now();
    let j = journal(&caller, req.path(), now);
    let scope = team_scope(&caller);
    let page = db::run(&state.pool, move |conn| {
        let r = referrals::exists(conn, id, scope)?.ok_or_else(ApiError::not_found)?;
        let y = youths::get(conn, r.youth_id)?;
        let version = diagnostics::versions(conn, id, None, 1)?.pop();
        let (version, d) = match version {
            Some(v) => (
                v.version,
                serde_json::from_value::<DiagnosticInput>(v.content).unwrap_or_default(),
            ),
            None => (0, DiagnosticInput::default()),
        };
        if d.needs.is_empty() {
            return Err(ApiError::conflict("diagnostic_required", MSG_NO_NEEDS));
        }
        let c = communes::get(conn, &y.commune_insee)?
            .ok_or_else(|| ApiError::internal(MSG_NO_COMMUNE))?;
        let today = now
            .with_timezone(&time_zone(conn, r.territory_id)?)
            .date_naive();
        let age = matching::age_on(y.birth_date, today);
        let place = zone::Place {
            insee: c.insee.clone(),
            parent_insee: c.parent_insee.clone(),
            epci: c.epci.clone(),
            departement: c.departement.clone(),
            region: c.region.clone(),
        };
        let excluded: HashSet<Uuid> = dbm::exclusions(conn, id)?
            .into_iter()
            .map(|e| e.service_id.uuid())
            .collect();
        let p = Search {
            lat: c.latitude,
            lon: c.longitude,
            radius_km: matching::MAX_RADIUS_KM,
            bbox: geo::bounding_box(c.latitude, c.longitude, matching::MAX_RADIUS_KM),
            zone_keys: zone::keys(&place),
            thematiques: d.needs.clone(),
            publics: vec![],
            types: vec![],
            frais: vec![],
            modes: vec![],
            age: Some(age),
            q: None,
            not_full: true,
            exclude: if include_excluded {
                vec![]
            } else {
                excluded.iter().copied().collect()
            },
            after: None,
            limit: CANDIDATES + 1,
        };
        let mut hits = dbm::candidates(conn, &p)?;
        let truncated = hits.len() as i64 > CANDIDATES;
        hits.truncate(CANDIDATES as usize);
        let youth = Youth {
            age,
            needs: &d.needs,
            mobility: &d.situation.mobility,
            digital_access: d.situation.digital_access.as_deref(),
            place: &place,
            commune_name: &c.name,
        };
        let mut scored = Vec::with_capacity(hits.len());
        for h in hits {
            let s = &h.service;
            let distance = (h.sort_distance < NO_DISTANCE).then_some(h.sort_distance);
            let offer = Offer {
                id: s.id.uuid(),
                status: s.status,
                thematiques: &s.thematiques,
                modes_accueil: &s.modes_accueil,
                zone: &s.zone_eligibilite,
                age_min: s.age_min,
                age_max: s.age_max,
                places_available: s.places_available,
                distance_km: distance,
            };
            // The statement filtered already; the rules say it again, and say how.
            let Ok(e) = matching::evaluate(&youth, &offer) else {
                continue;
            };
            let Some(eligibility) = zone::eligibility(&s.zone_eligibilite, &place) else {
                continue;
            };
            scored.push((e, distance, h, eligibility));
        }
        scored.sort_by(|a, b| {
            matching::order(
                (a.0.score, a.1, a.2.service.id.uuid()),
                (b.0.score, b.1, b.2.service.id.uuid()),
            )
        });
        scored.truncate(limit as usize);
        let items = scored
            .into_iter()
            .map(|(e, distance, h, eligibility)| {
                let sid = h.service.id.uuid();
                Match {
                    service: result(h, eligibility),
                    score: e.score,
                    distance_km: distance.map(|d| (d * 10.0).round() / 10.0),
                    criteria: e.criteria,
                    excluded: excluded.contains(&sid),
                }
            })
            .collect();
        j.access(conn, AccessAction::Read, &[(r.youth_id, r.id)], None)?;
        Ok(MatchPage {
            items,
            diagnostic_version: version,
            commune: c.insee,
            age,
            truncated,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

//! `GET /services/export`: the published offer in the data·inclusion v1 format (`structures`
//! and `services` objects with v1 field names and codes; SAS's own fields — ages, places,
//! status, the contact person — left out). No account needed; pages by id.
use std::collections::{BTreeMap, BTreeSet};

use actix_web::{get, web, HttpResponse};
use api_types::ExportPage;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Anyone;
use crate::db::services::{self, ExportRow};
use crate::db::{self, communes, cursor, structures};
use crate::domain::service::zone::REGION_PREFIX;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub const DEFAULT_EXPORT_LIMIT: i64 = 500;
pub const MAX_EXPORT_LIMIT: i64 = 1000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Services per page: 1 to 1000, default 500.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Export the published offer in the data·inclusion v1 format, a page at a time: the
/// services of the page and their structures; each object validates against
/// `data_inclusion.schema.v1` (`Service`, `Structure`). A région in a zone is written as its
/// départements (v1 has no région code). No account needed (rate-limited per address).
#[utoipa::path(
    tag = "offer",
    params(ExportQuery),
    responses(
        (status = 200, description = "A page of the export.", body = ExportPage),
        (status = 429, description = "Too many requests from your address (`rate_limited`); see `Retry-After`.", body = api_types::Problem, content_type = "application/problem+json", headers(("Retry-After" = String, description = "Seconds to wait"))),
    )
)]
#[get("/services/export")]
pub async fn export(
    state: web::Data<AppState>,
    _who: Anyone,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let limit = match q.limit {
        None => DEFAULT_EXPORT_LIMIT,
        Some(n) if (1..=MAX_EXPORT_LIMIT).contains(&n) => n,
        Some(_) => {
            let mut e = ApiError::bad_request("invalid_limit", "limit must be between 1 and 1000.");
            e.errors = vec![api_types::FieldError::new(
                "limit",
                "out_of_range",
                "Between 1 and 1000.",
            )];
            return Err(e);
        }
    };
    let after = cursor::after::<String>(q.cursor.as_deref())?
        .map(|s| uuid::Uuid::parse_str(&s).unwrap_or_default());
    let page = db::run(&state.pool, move |conn| {
        let rows = services::export_page(conn, after, limit + 1)?;
        let (rows, next) = cursor::page(rows, limit, |r| r.service.id.uuid().to_string());
        let regions: BTreeSet<String> = rows
            .iter()
            .flat_map(|r| r.service.zone_eligibilite.iter())
            .filter_map(|z| z.strip_prefix(REGION_PREFIX).map(str::to_string))
            .collect();
        let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (r, d) in services::region_departements(conn, regions.into_iter().collect())? {
            deps.entry(r).or_default().push(d);
        }
        let ids: BTreeSet<uuid::Uuid> =
            rows.iter().map(|r| r.service.structure_id.uuid()).collect();
        // Two statements per page, whatever its size (an anonymous caller decides the size).
        let found = structures::by_ids(conn, &ids.into_iter().collect::<Vec<_>>())?;
        let names = communes::names(
            conn,
            &found
                .iter()
                .filter_map(|s| s.commune_insee.clone())
                .collect::<Vec<_>>(),
        )?;
        let structures_out = found
            .iter()
            .map(|s| {
                let commune = s.commune_insee.as_ref().and_then(|c| names.get(c).cloned());
                structure_v1(s, commune)
            })
            .collect();
        Ok(ExportPage {
            structures: structures_out,
            services: rows.iter().map(|r| service_v1(r, &deps)).collect(),
            next_cursor: next,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

fn structure_v1(s: &structures::StructureRow, commune: Option<String>) -> Value {
    json!({
        "source": "sas",
        "id": s.id.to_string(),
        "nom": s.name,
        "date_maj": s.updated_at.date_naive().to_string(),
        "description": null,
        "lien_source": null,
        "siret": s.siret,
        "commune": commune,
        "code_postal": s.postal_code,
        "code_insee": s.commune_insee,
        "adresse": s.address,
        "complement_adresse": null,
        "longitude": s.longitude,
        "latitude": s.latitude,
        "telephone": s.phone,
        "courriel": s.email,
        "site_web": s.website,
        "horaires_accueil": s.opening_hours,
        "accessibilite_lieu": null,
        "reseaux_porteurs": s.reseaux_porteurs,
    })
}

/// A zone in v1 codes: a région becomes its départements.
fn zone_v1(zone: &[String], deps: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for z in zone {
        match z.strip_prefix(REGION_PREFIX) {
            Some(r) => out.extend(deps.get(r).cloned().unwrap_or_default()),
            None => out.push(z.clone()),
        }
    }
    out.sort();
    out.dedup();
    out
}

fn service_v1(r: &ExportRow, deps: &BTreeMap<String, Vec<String>>) -> Value {
    let s = &r.service;
    let opt_list = |v: &Vec<String>| if v.is_empty() { Value::Null } else { json!(v) };
    json!({
        "source": "sas",
        "structure_id": s.structure_id.to_string(),
        "id": s.id.to_string(),
        "nom": s.nom,
        "description": s.description,
        "lien_source": s.lien_source,
        "date_maj": s.date_maj.to_string(),
        "type": s.type_.map(|t| t.as_str()),
        "thematiques": opt_list(&s.thematiques),
        "frais": s.frais.map(|f| f.as_str()),
        "frais_precisions": s.frais_precisions,
        "publics": opt_list(&s.publics),
        "publics_precisions": s.publics_precisions,
        "conditions_acces": s.conditions_acces,
        "commune": r.commune_name,
        "code_postal": s.code_postal,
        "code_insee": s.commune_insee,
        "adresse": s.adresse,
        "complement_adresse": s.complement_adresse,
        "longitude": s.longitude,
        "latitude": s.latitude,
        "telephone": s.telephone,
        "courriel": s.courriel,
        "modes_accueil": opt_list(&s.modes_accueil),
        "zone_eligibilite": if s.zone_eligibilite.is_empty() { Value::Null } else { json!(zone_v1(&s.zone_eligibilite, deps)) },
        // A person's name is not published.
        "contact_nom_prenom": null,
        "lien_mobilisation": s.lien_mobilisation,
        "modes_mobilisation": opt_list(&s.modes_mobilisation),
        "mobilisable_par": opt_list(&s.mobilisable_par),
        "mobilisation_precisions": s.mobilisation_precisions,
        "volume_horaire_hebdomadaire": s.volume_horaire_hebdomadaire,
        "nombre_semaines": s.nombre_semaines,
        "horaires_accueil": s.horaires_accueil,
    })
}

//! The local insertion offer. A receiving structure's agents keep its services up to date
//! (`create`, `update`), publication is an action (`publish`, `suspend`, `archive`: rules in
//! `domain::service::lifecycle`), and anyone — without an account — searches the published
//! ones (`search`) and exports them in the data·inclusion v1 format (`export`).
use api_types::{Capacity, ModeAccueil, Role, Service, ServiceInput, ServiceStatus};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::PgConnection;

use crate::auth::{allow, Authorized, Caller};
use crate::db::services::{self, EventDraft, ServiceRow, WithStructure};
use crate::db::{communes, structures};
use crate::domain::service::{self as rules, lifecycle};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::ids::{ServiceId, StructureId};

pub mod archive;
pub mod create;
pub mod export;
pub mod get;
pub mod imports;
pub mod list;
pub mod publish;
pub mod search;
pub mod suspend;
pub mod update;

/// Who writes services: the receivers of the structure that offers them, and administrators.
type Editor = Authorized<{ allow::RECEIVER | allow::ADMIN }>;

const MSG_NOT_YOURS: &str = "A receiver writes the services of its own structure only.";
const MSG_STRUCTURE_REQUIRED: &str = "Say which structure offers the service.";
const MSG_UNKNOWN_STRUCTURE: &str = "No such structure.";
const MSG_UNKNOWN_COMMUNE: &str = "Not a known INSEE code.";
const MSG_UNKNOWN_ZONE: &str = "No commune, EPCI, département or région has this code.";
const MSG_ILLEGAL: &str =
    "This action is not allowed for you from the service's status; see allowed_transitions.";
const MSG_STRUCTURE_FIXED: &str = "A service stays with its structure.";

/// The structure a caller writes services for: an administrator's choice, else its own.
fn is_admin(c: &Caller) -> bool {
    c.has(Role::Admin)
}

/// The services an editor reaches: every one for an administrator, its structure's for a
/// receiver (`None`: all).
fn scope(c: &Caller) -> Option<StructureId> {
    if is_admin(c) {
        None
    } else {
        // A receiver always has a structure (the database says so); without one, nothing.
        Some(StructureId(c.structure_id.unwrap_or_default()))
    }
}

/// The service `id` if `c` may reach it (404 otherwise, like an unknown id).
fn reachable(c: &Caller, row: Option<WithStructure>) -> ApiResult<WithStructure> {
    row.filter(|r| scope(c).is_none_or(|s| s == r.service.structure_id))
        .ok_or_else(ApiError::not_found)
}

pub fn to_api(r: WithStructure) -> Service {
    let s = r.service;
    let capacity = s.places_updated_at.map(|at| Capacity {
        available: s.places_available,
        maximum: s.places_maximum,
        updated_at: at,
    });
    Service {
        id: s.id.uuid(),
        structure_id: s.structure_id.uuid(),
        structure_name: r.structure_name,
        source: s.source,
        source_id: s.source_id,
        status: s.status,
        capacity,
        date_maj: s.date_maj,
        created_at: s.created_at,
        updated_at: s.updated_at,
        version: s.version,
        nom: s.nom,
        description: s.description,
        lien_source: s.lien_source,
        type_: s.type_,
        thematiques: s.thematiques,
        frais: s.frais,
        frais_precisions: s.frais_precisions,
        publics: s.publics,
        publics_precisions: s.publics_precisions,
        conditions_acces: s.conditions_acces,
        adresse: s.adresse,
        complement_adresse: s.complement_adresse,
        code_postal: s.code_postal,
        code_insee: s.commune_insee,
        telephone: s.telephone,
        courriel: s.courriel,
        modes_accueil: modes(&s.modes_accueil),
        zone_eligibilite: s.zone_eligibilite,
        contact_nom_prenom: s.contact_nom_prenom,
        lien_mobilisation: s.lien_mobilisation,
        modes_mobilisation: s.modes_mobilisation,
        mobilisable_par: s.mobilisable_par,
        mobilisation_precisions: s.mobilisation_precisions,
        volume_horaire_hebdomadaire: s.volume_horaire_hebdomadaire,
        nombre_semaines: s.nombre_semaines,
        horaires_accueil: s.horaires_accueil,
        age_min: s.age_min,
        age_max: s.age_max,
        latitude: s.latitude,
        longitude: s.longitude,
    }
}

pub fn modes(codes: &[String]) -> Vec<ModeAccueil> {
    codes.iter().filter_map(|c| ModeAccueil::parse(c)).collect()
}

/// The calendar day of a change in mainland France (the offer's `date_maj`).
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    crate::domain::referral::today_in(chrono_tz::Europe::Paris, now)
}

/// The structure a write is for: a receiver's own (absent or equal), an administrator's
/// choice (required).
fn structure_for(c: &Caller, asked: Option<uuid::Uuid>) -> ApiResult<StructureId> {
    if is_admin(c) {
        return asked
            .map(StructureId)
            .ok_or_else(|| ApiError::field("structure_id", "required", MSG_STRUCTURE_REQUIRED));
    }
    let own = c.structure_id.ok_or_else(ApiError::forbidden)?;
    match asked {
        None => Ok(StructureId(own)),
        Some(s) if s == own => Ok(StructureId(own)),
        Some(_) => Err(ApiError::field(
            "structure_id",
            "not_your_structure",
            MSG_NOT_YOURS,
        )),
    }
}

/// What a write becomes, once checked against the database: the structure, the commune of
/// the service and its zone exist; the position is the service's own, else its commune's,
/// else its structure's.
fn build_row(
    conn: &mut PgConnection,
    valid: rules::Valid,
    base: Base,
    now: DateTime<Utc>,
) -> ApiResult<ServiceRow> {
    let b = valid.input;
    let mut errs = FieldErrors::default();
    let structure = structures::get(conn, base.structure.uuid())?;
    if structure.is_none() {
        errs.add("structure_id", "unknown_structure", MSG_UNKNOWN_STRUCTURE);
    }
    let mut position = b.latitude.zip(b.longitude);
    if let Some(insee) = &b.code_insee {
        match communes::get(conn, insee)? {
            Some(c) => position = position.or(Some((c.latitude, c.longitude))),
            None => errs.add("code_insee", "unknown_commune", MSG_UNKNOWN_COMMUNE),
        }
    }
    if let Some(s) = &structure {
        position = position.or(s.latitude.zip(s.longitude));
    }
    if !b.zone_eligibilite.is_empty() {
        let unknown = services::unknown_zone_codes(conn, b.zone_eligibilite.clone())?;
        // Indices of the request (the stored list is sorted).
        for (i, z) in valid.zone.iter().enumerate() {
            if unknown.contains(&z.code()) {
                errs.add(
                    format!("zone_eligibilite[{i}]"),
                    "unknown_zone",
                    MSG_UNKNOWN_ZONE,
                );
            }
        }
    }
    errs.finish()?;
    let (places_available, places_maximum, places_updated_at) = match &b.capacity {
        Some(c) if c.available.is_some() || c.maximum.is_some() => {
            // Unchanged figures keep their date: "updated" says when they were last given.
            let same = base.places.0 == c.available && base.places.1 == c.maximum;
            let at = if same {
                base.places.2.unwrap_or(now)
            } else {
                now
            };
            (c.available, c.maximum, Some(at))
        }
        _ => (None, None, None),
    };
    Ok(ServiceRow {
        id: base.id,
        source: base.source,
        source_id: base.source_id,
        places_available,
        places_maximum,
        places_updated_at,
        status: base.status,
        date_maj: today(now),
        source_values: base.source_values,
        locally_edited: base.locally_edited,
        source_seen_at: base.source_seen_at,
        created_at: base.created_at,
        version: base.version,
        ..ServiceRow::from_input(b, base.structure, position, now)
    })
}

/// What a write keeps of the row it replaces (or starts a new one with).
struct Base {
    id: ServiceId,
    structure: StructureId,
    source: String,
    source_id: Option<String>,
    status: ServiceStatus,
    places: (Option<i32>, Option<i32>, Option<DateTime<Utc>>),
    source_values: Option<serde_json::Value>,
    locally_edited: Vec<String>,
    source_seen_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    version: i32,
}

impl Base {
    fn new(structure: StructureId, now: DateTime<Utc>) -> Base {
        Base {
            id: ServiceId::new(),
            structure,
            source: "sas".into(),
            source_id: None,
            status: ServiceStatus::Draft,
            places: (None, None, None),
            source_values: None,
            locally_edited: Vec::new(),
            source_seen_at: None,
            created_at: now,
            version: 1,
        }
    }

    /// The next version of `old`.
    fn next(old: &ServiceRow) -> Base {
        Base {
            id: old.id,
            structure: old.structure_id,
            source: old.source.clone(),
            source_id: old.source_id.clone(),
            status: old.status,
            places: (
                old.places_available,
                old.places_maximum,
                old.places_updated_at,
            ),
            source_values: old.source_values.clone(),
            locally_edited: old.locally_edited.clone(),
            source_seen_at: old.source_seen_at,
            created_at: old.created_at,
            version: old.version + 1,
        }
    }
}

fn event<'a>(
    c: &Caller,
    row: &ServiceRow,
    kind: &'a str,
    from: Option<ServiceStatus>,
    now: DateTime<Utc>,
) -> EventDraft<'a> {
    EventDraft {
        service: row.id,
        kind,
        from,
        to: row.status,
        user: c.actor.user_id(),
        client: c.actor.client_id(),
        at: now,
        version: row.version,
    }
}

/// Runs a publication action for `c` on service `id` (`If-Match` checked after the status,
/// so an action that is no longer possible says why rather than "stale").
async fn act(
    state: &crate::state::AppState,
    c: Caller,
    req: &actix_web::HttpRequest,
    id: uuid::Uuid,
    action: lifecycle::Action,
) -> ApiResult<actix_web::HttpResponse> {
    let expected = crate::routes::support::if_match(req)?;
    let now = state.clock.now();
    let id = ServiceId(id);
    let saved = crate::db::tx(&state.pool, move |conn| {
        let found = services::get(conn, id)?;
        let r = reachable(&c, found)?;
        let old = services::get_for_update(conn, id)?.ok_or_else(ApiError::not_found)?;
        let by = if is_admin(&c) {
            lifecycle::By::Admin
        } else {
            lifecycle::By::Owner
        };
        let to = lifecycle::apply(old.status, action, by).map_err(|allowed| {
            let mut e = ApiError::conflict("illegal_transition", MSG_ILLEGAL);
            e.allowed_transitions = Some(lifecycle::codes(&allowed));
            e
        })?;
        let expected = expected.check(old.version)?;
        if to == ServiceStatus::Published {
            let gaps = rules::publication_gaps(&modes(&old.modes_accueil), old.latitude.is_some());
            if !gaps.is_empty() {
                return Err(ApiError::validation(gaps));
            }
        }
        let mut row = old.clone();
        row.status = to;
        row.version = old.version + 1;
        row.updated_at = now;
        let row =
            services::update(conn, &row, expected)?.ok_or_else(ApiError::precondition_failed)?;
        let kind = match action {
            lifecycle::Action::Publish => "published",
            lifecycle::Action::Suspend => "suspended",
            lifecycle::Action::Archive => "archived",
        };
        services::record(conn, &event(&c, &row, kind, Some(old.status), now))?;
        Ok(WithStructure {
            service: row,
            structure_name: r.structure_name,
        })
    })
    .await?;
    let v = saved.service.version;
    Ok(crate::routes::support::ok_versioned(&to_api(saved), v))
}

/// For an imported service, remembers the fields this write changed as edited locally (an
/// import does not overwrite them unless the source changed them).
fn mark_edited(old: &ServiceRow, new: &mut ServiceRow) {
    if old.source == "sas" {
        return;
    }
    new.locally_edited.extend(edited_fields(old, new));
    new.locally_edited.sort();
    new.locally_edited.dedup();
}

fn edited_fields(old: &ServiceRow, new: &ServiceRow) -> Vec<String> {
    let pairs: [(&str, bool); 12] = [
        ("nom", old.nom != new.nom),
        ("description", old.description != new.description),
        ("type", old.type_ != new.type_),
        ("thematiques", old.thematiques != new.thematiques),
        ("frais", old.frais != new.frais),
        ("publics", old.publics != new.publics),
        (
            "conditions_acces",
            old.conditions_acces != new.conditions_acces,
        ),
        ("adresse", old.adresse != new.adresse),
        ("telephone", old.telephone != new.telephone),
        ("courriel", old.courriel != new.courriel),
        ("modes_accueil", old.modes_accueil != new.modes_accueil),
        (
            "zone_eligibilite",
            old.zone_eligibilite != new.zone_eligibilite,
        ),
    ];
    pairs
        .iter()
        .filter(|p| p.1)
        .map(|p| p.0.to_string())
        .collect()
}

fn parse(b: ServiceInput) -> ApiResult<rules::Valid> {
    rules::parse(b).map_err(ApiError::validation)
}

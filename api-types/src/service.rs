//! The local insertion offer: services of structures (data·inclusion v1 fields, which keep
//! their French names, plus `age_min`, `age_max`, capacity and a publication status), the
//! public search and the export in the data·inclusion v1 format.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::code_enum;
use crate::page_type;

code_enum! {
    /// Publication status of a service. Changed by actions only (`POST /services/{id}/publish`,
    /// `/suspend`, `/archive`), never written as a field. Only `published` services are public.
    pub enum ServiceStatus {
        Draft = "draft",
        Published = "published",
        Suspended = "suspended",
        Archived = "archived",
    }
}

code_enum! {
    /// data·inclusion v1 `types-de-services`.
    pub enum ServiceType {
        Accompagnement = "accompagnement",
        AideFinanciere = "aide-financiere",
        AideMaterielle = "aide-materielle",
        Atelier = "atelier",
        Formation = "formation",
        Information = "information",
    }
}

code_enum! {
    /// data·inclusion v1 `frais`.
    pub enum Frais {
        Gratuit = "gratuit",
        Payant = "payant",
    }
}

code_enum! {
    /// data·inclusion v1 `modes-accueil`.
    pub enum ModeAccueil {
        ADistance = "a-distance",
        EnPresentiel = "en-presentiel",
    }
}

code_enum! {
    /// Whether a search result's eligibility zone covers the place searched: `eligible`, or
    /// `zone_unknown` when the service gives no zone (included, and said so).
    pub enum Eligibility {
        Eligible = "eligible",
        ZoneUnknown = "zone_unknown",
    }
}

/// Places of a service, as its structure last gave them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Capacity {
    /// Places available now (`null`: not given).
    pub available: Option<i32>,
    /// Places in all (`null`: not given).
    pub maximum: Option<i32>,
    /// When these figures were given.
    pub updated_at: DateTime<Utc>,
}

/// Places given by the structure in a write. Absent figures are unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CapacityInput {
    #[serde(default, deserialize_with = "crate::opt_whole_i32")]
    #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 100000))]
    pub available: Option<i32>,
    #[serde(default, deserialize_with = "crate::opt_whole_i32")]
    #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 100000))]
    pub maximum: Option<i32>,
}

/// Declares a struct with the fields a structure writes about a service (data·inclusion v1
/// names and codes, plus `age_min` and `age_max`) after its own: the same list in the request
/// and in the answer.
macro_rules! with_service_fields {
    ($(#[$m:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$m])*
        pub struct $name {
            $($own)*
    #[cfg_attr(feature = "full", schema(min_length = 3, max_length = 150))]
            pub nom: String,
            #[cfg_attr(feature = "full", schema(min_length = 1, max_length = 10000))]
            pub description: String,
            #[serde(default)]
            pub lien_source: Option<String>,
            #[serde(default, rename = "type")]
            pub type_: Option<ServiceType>,
            /// Codes of the `thematiques` vocabulary.
            #[serde(default)]
            pub thematiques: Vec<String>,
            #[serde(default)]
            pub frais: Option<Frais>,
            #[serde(default)]
            pub frais_precisions: Option<String>,
            /// Codes of the `publics` vocabulary.
            #[serde(default)]
            pub publics: Vec<String>,
            #[serde(default)]
            pub publics_precisions: Option<String>,
            #[serde(default)]
            pub conditions_acces: Option<String>,
            #[serde(default)]
            pub adresse: Option<String>,
            #[serde(default)]
            pub complement_adresse: Option<String>,
            #[serde(default)]
            pub code_postal: Option<String>,
            /// INSEE code of the commune where the service takes place.
            #[serde(default)]
            pub code_insee: Option<String>,
            #[serde(default)]
            pub telephone: Option<String>,
            #[serde(default)]
            pub courriel: Option<String>,
            #[serde(default)]
            pub modes_accueil: Vec<ModeAccueil>,
            /// Commune INSEE codes, département codes (`69`, `2A`, `974`), EPCI SIRENs, régions as
            /// `R` + their code (`R84`) or `france`. Empty: unknown (eligible everywhere, and said so).
            #[serde(default)]
            pub zone_eligibilite: Vec<String>,
            /// A contact person: shown to the structure and administrators only.
            #[serde(default)]
            pub contact_nom_prenom: Option<String>,
            #[serde(default)]
            pub lien_mobilisation: Option<String>,
            /// Codes of the `modes-mobilisation` vocabulary.
            #[serde(default)]
            pub modes_mobilisation: Vec<String>,
            /// Codes of the `personnes-mobilisatrices` vocabulary.
            #[serde(default)]
            pub mobilisable_par: Vec<String>,
            #[serde(default)]
            pub mobilisation_precisions: Option<String>,
            #[serde(default)]
            #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 168))]
            pub volume_horaire_hebdomadaire: Option<f64>,
            #[serde(default, deserialize_with = "crate::opt_whole_i32")]
            #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 520))]
            pub nombre_semaines: Option<i32>,
            #[serde(default)]
            pub horaires_accueil: Option<String>,
            /// Youngest age admitted, inclusive (`null`: no lower bound).
            #[serde(default, deserialize_with = "crate::opt_whole_i32")]
            #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 120))]
            pub age_min: Option<i32>,
            /// Oldest age admitted, inclusive (`null`: no upper bound).
            #[serde(default, deserialize_with = "crate::opt_whole_i32")]
            #[cfg_attr(feature = "full", schema(minimum = 0, maximum = 120))]
            pub age_max: Option<i32>,
            /// Precise coordinates of the place (else the commune's, else the structure's).
            #[serde(default)]
            #[cfg_attr(feature = "full", schema(minimum = -90, maximum = 90))]
            pub latitude: Option<f64>,
            #[serde(default)]
            #[cfg_attr(feature = "full", schema(minimum = -180, maximum = 180))]
            pub longitude: Option<f64>,
        }
    };
}

with_service_fields! {
    /// A service as its structure and administrators see it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
    pub struct Service {
        pub id: Uuid,
        pub structure_id: Uuid,
        pub structure_name: String,
        /// `sas` for services written here, else the data·inclusion producer it was imported from.
        pub source: String,
        /// Its id in `source` (`null` for `sas`).
        pub source_id: Option<String>,
        pub status: ServiceStatus,
        pub capacity: Option<Capacity>,
        /// Last change of the content (data·inclusion `date_maj`): its freshness.
        pub date_maj: NaiveDate,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        /// Optimistic-lock version, also sent as the `ETag`.
        pub version: i32,
    }
}

page_type!(ServicePage, Service, "A page of services.");

with_service_fields! {
    /// Creation or replacement of a service. Its status is never written: a new service is a
    /// `draft`; see the publication actions. `latitude`/`longitude` are the place's own
    /// coordinates; without them distances are measured from the commune (`code_insee`), else
    /// from the structure.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ServiceInput {
        /// The structure offering it: a receiver's own structure (may be left out), any
        /// structure for an administrator (required).
        #[serde(default)]
        pub structure_id: Option<Uuid>,
        /// Places available and in all; dated by the server when given.
        #[serde(default)]
        pub capacity: Option<CapacityInput>,
    }
}

/// The structure of a search result (public data of the directory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct PublicStructure {
    pub id: Uuid,
    pub nom: String,
    pub commune: Option<String>,
    pub site_web: Option<String>,
}

/// A published service found by the public search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ServiceResult {
    pub id: Uuid,
    pub structure: PublicStructure,
    pub nom: String,
    pub description: String,
    #[serde(rename = "type")]
    pub type_: Option<ServiceType>,
    pub thematiques: Vec<String>,
    pub frais: Option<Frais>,
    pub frais_precisions: Option<String>,
    pub publics: Vec<String>,
    pub publics_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    pub adresse: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    /// Name of the commune of the service.
    pub commune: Option<String>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub modes_accueil: Vec<ModeAccueil>,
    pub zone_eligibilite: Vec<String>,
    pub lien_mobilisation: Option<String>,
    pub modes_mobilisation: Vec<String>,
    pub mobilisable_par: Vec<String>,
    pub mobilisation_precisions: Option<String>,
    pub horaires_accueil: Option<String>,
    pub age_min: Option<i32>,
    pub age_max: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Kilometres from the place searched (`null` when the service has no position: remote).
    pub distance_km: Option<f64>,
    pub eligibility: Eligibility,
    /// Last update of the content (freshness).
    pub date_maj: NaiveDate,
    /// Places, when the structure gives them.
    pub capacity: Option<Capacity>,
}

/// A page of search results, nearest first (best text match first with `q`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct SearchPage {
    pub items: Vec<ServiceResult>,
    /// Opaque cursor of the next page, `null` on the last page.
    pub next_cursor: Option<String>,
    /// The commune eligibility was checked against (the one given, or the nearest to the point).
    pub commune: String,
    pub radius_km: i32,
}

/// A page of the export in the data·inclusion v1 format: the services of the page and their
/// structures (each object validates against `data_inclusion.schema.v1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ExportPage {
    pub structures: Vec<serde_json::Value>,
    pub services: Vec<serde_json::Value>,
    /// Opaque cursor of the next page, `null` on the last page.
    pub next_cursor: Option<String>,
}

code_enum! {
    /// Where an import of the offer stands.
    pub enum ImportStatus {
        Queued = "queued",
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}

/// A row of an import file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct ImportRejection {
    /// The file's name.
    pub file: String,
    /// 1-based row number in the file (a CSV header is not a row).
    pub row: u64,
    /// The row's `id`, when it has one.
    pub id: Option<String>,
    /// `field: code` for each problem, `; `-separated (`thematiques[0]: unknown_code`).
    pub reason: String,
}

/// An import of data·inclusion's `structures` or `services` file: its progress, then its
/// report. Counts are exact; `rejected_rows` lists the first 1,000 rejected rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct OfferImport {
    pub id: Uuid,
    pub status: ImportStatus,
    pub file_name: String,
    /// Size of the uploaded file, and how much of it was read (the progress).
    pub bytes: i64,
    pub bytes_read: i64,
    /// Rows read so far, and what became of them.
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    /// Published services of the file's sources that it no longer lists, now `suspended`.
    pub suspended: i64,
    pub rejected_rows: Vec<ImportRejection>,
    /// Why a `failed` import stopped (the file unreadable as a whole).
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

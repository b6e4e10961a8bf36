use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::page_type;

/// Kind of a row of the communes reference table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommuneKind {
    Commune,
    /// Municipal arrondissement of Paris, Lyon or Marseille (`parent_insee` names the commune).
    Arrondissement,
}

/// A French commune (INSEE), with the territory that serves it, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Commune {
    /// INSEE code (`69123`, `2A004`, `97411`).
    pub insee: String,
    pub name: String,
    pub kind: CommuneKind,
    pub parent_insee: Option<String>,
    pub postal_codes: Vec<String>,
    pub departement: String,
    /// SIREN of the EPCI the commune belongs to.
    pub epci: Option<String>,
    pub region: Option<String>,
    pub population: Option<i32>,
    pub latitude: f64,
    pub longitude: f64,
    /// Territory serving the commune; `null` when no SAS team serves it.
    pub territory_id: Option<Uuid>,
}

page_type!(CommunePage, Commune, "A page of communes.");

/// One entry of a controlled vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct VocabularyEntry {
    /// The stable code (data·inclusion codes are kept as they are).
    pub value: String,
    /// French label.
    pub label: String,
}

/// A controlled vocabulary (`thematiques`, `typologies-de-structures`, `referral-reasons`…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Vocabulary {
    pub name: String,
    /// Where the codes come from.
    pub source: String,
    pub items: Vec<VocabularyEntry>,
}

/// Health probe answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`.
    pub status: String,
}

use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document, the body of every 4xx and 5xx answer
/// (`Content-Type: application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct Problem {
    /// URI reference naming the problem type (`about:blank` or `https://sas.example/problems/<code>`-style URN).
    #[serde(rename = "type")]
    pub type_: String,
    /// Short human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Human-readable explanation of this occurrence. Never contains personal data.
    pub detail: String,
    /// Stable machine-readable code; clients key their messages on it.
    pub code: String,
    /// Field-level validation errors (422, some 400).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With `illegal_transition` and `already_taken` (409): the states the caller may move this
    /// resource to now (`[]` when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_transitions: Option<Vec<String>>,
    /// With `outcome_not_allowed` and a missing outcome (422): the outcomes the caller may
    /// close this resource with now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_outcomes: Option<Vec<String>>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "full", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Path of the field in the request (`birth_date`, `legal_representative.phone`, `roles[1]`).
    pub field: String,
    /// Stable code of the rule that failed (`required`, `too_short`, `invalid_siret`…).
    pub code: String,
    /// English explanation for developers; the SPA shows its own French text keyed on `code`.
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

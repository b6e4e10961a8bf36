//! Reading data·inclusion's published `structures` and `services` files, row by row, into
//! what SAS stores: the files' quirks (dates as epoch milliseconds in the JSON, arrays in
//! Python list notation in the CSV cells), and the rule that keeps local edits. No SQL.
use api_types::{FieldError, ServiceInput};
use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};

use crate::domain::{siret, text, vocab};

/// The kind an imported structure gets until an administrator sets it.
pub const UNKNOWN_KIND: &str = "INCONNU";

const MSG_REQUIRED: &str = "This field is required.";
const MSG_SOURCE: &str = "A source is lowercase letters, digits, - and _ (63 at most).";
const MSG_ID: &str = "An id of 1 to 200 characters.";
const MSG_DATE: &str = "A date (YYYY-MM-DD, RFC 3339 or epoch milliseconds).";
const MSG_LIST: &str = "A list of codes (JSON array or Python list notation).";
const MSG_NUMBER: &str = "A number.";
const MSG_SIRET: &str = "A SIRET is 14 digits with a valid Luhn key.";
const MSG_MODE: &str = "en-presentiel or a-distance.";

/// A cell that cannot be read as the field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// Which file a row comes from, told by its fields (a service names its structure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Structures,
    Services,
}

impl FileKind {
    pub fn of(record: &Map<String, Value>) -> FileKind {
        if record.contains_key("structure_id") {
            FileKind::Services
        } else {
            FileKind::Structures
        }
    }
}

/// A cell of either format as a string (`None` when empty or null).
fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => text::clean_multiline(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// A list of codes: a JSON array, a Python list (`['a', 'b']`), a JSON array in a string, a
/// comma-separated string, or one code.
pub fn list(v: Option<&Value>) -> Result<Vec<String>, Unreadable> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => text::clean(s).map(Ok),
                Value::Null => None,
                _ => Some(Err(Unreadable)),
            })
            .collect(),
        Some(Value::String(s)) => Ok(list_cell(s)),
        Some(_) => Err(Unreadable),
    }
}

/// A CSV cell holding a list: `['a', "b"]`, `["a","b"]`, `{a,b}`, `a, b` or empty.
pub fn list_cell(s: &str) -> Vec<String> {
    let t = s.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| t.strip_prefix('{').and_then(|r| r.strip_suffix('}')))
        .unwrap_or(t);
    inner
        .split(',')
        .map(|p| p.trim().trim_matches(|c| c == '\'' || c == '"').trim())
        .filter(|p| !p.is_empty() && *p != "None")
        .map(str::to_string)
        .collect()
}

/// A date: epoch milliseconds (number or digits), `YYYY-MM-DD` or RFC 3339.
pub fn date(v: Option<&Value>) -> Result<Option<NaiveDate>, Unreadable> {
    let from_ms = |ms: i64| {
        DateTime::from_timestamp_millis(ms)
            .map(|d| d.date_naive())
            .ok_or(Unreadable)
    };
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)) {
            Some(ms) => from_ms(ms).map(Some),
            None => Err(Unreadable),
        },
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if s.bytes().all(|b| b.is_ascii_digit()) && s.len() > 8 {
                return s
                    .parse::<i64>()
                    .map_err(|_| Unreadable)
                    .and_then(from_ms)
                    .map(Some);
            }
            if let Ok(d) = NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
                return Ok(Some(d));
            }
            Err(Unreadable)
        }
        Some(_) => Err(Unreadable),
    }
}

fn number(v: Option<&Value>) -> Result<Option<f64>, Unreadable> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(Unreadable),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .replace(',', ".")
            .parse()
            .map(Some)
            .map_err(|_| Unreadable),
        Some(_) => Err(Unreadable),
    }
}

fn source_of(r: &Map<String, Value>, e: &mut Vec<FieldError>) -> String {
    match string(r.get("source")) {
        Some(s)
            if s != "sas"
                && (1..=63).contains(&s.len())
                && s.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
                && s.as_bytes()[0].is_ascii_alphanumeric() =>
        {
            s
        }
        Some(_) => {
            e.push(FieldError::new("source", "invalid_source", MSG_SOURCE));
            String::new()
        }
        None => {
            e.push(FieldError::new("source", "required", MSG_REQUIRED));
            String::new()
        }
    }
}

fn id_of(r: &Map<String, Value>, field: &str, e: &mut Vec<FieldError>) -> String {
    match string(r.get(field)) {
        Some(s) if s.chars().count() <= 200 => s,
        Some(_) => {
            e.push(FieldError::new(field, "invalid_id", MSG_ID));
            String::new()
        }
        None => {
            e.push(FieldError::new(field, "required", MSG_REQUIRED));
            String::new()
        }
    }
}

/// A structure row of the `structures` file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureRecord {
    pub source: String,
    pub id: String,
    pub nom: String,
    pub siret: Option<String>,
    pub kind: String,
    pub adresse: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub horaires_accueil: Option<String>,
    pub reseaux_porteurs: Vec<String>,
}

pub fn structure(r: &Map<String, Value>) -> Result<StructureRecord, Vec<FieldError>> {
    let mut e = Vec::new();
    let source = source_of(r, &mut e);
    let id = id_of(r, "id", &mut e);
    let nom = match string(r.get("nom")) {
        Some(n) if n.chars().count() <= 200 => n,
        Some(_) => {
            e.push(FieldError::new(
                "nom",
                "too_long",
                "200 characters at most.",
            ));
            String::new()
        }
        None => {
            e.push(FieldError::new("nom", "required", MSG_REQUIRED));
            String::new()
        }
    };
    let siret = string(r.get("siret")).map(|s| s.replace(' ', ""));
    if siret.as_deref().is_some_and(|s| siret::check(s).is_err()) {
        e.push(FieldError::new("siret", "invalid_siret", MSG_SIRET));
    }
    let kind = string(r.get("typologie"))
        .filter(|k| vocab::is_known("typologies-de-structures", k))
        .unwrap_or_else(|| UNKNOWN_KIND.to_string());
    let (latitude, longitude) = coords(r, &mut e);
    let reseaux_porteurs = list(r.get("reseaux_porteurs")).unwrap_or_else(|Unreadable| {
        e.push(FieldError::new(
            "reseaux_porteurs",
            "invalid_list",
            MSG_LIST,
        ));
        Vec::new()
    });
    let code_postal = string(r.get("code_postal"))
        .filter(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if e.is_empty() {
        Ok(StructureRecord {
            source,
            id,
            nom,
            siret,
            kind,
            adresse: string(r.get("adresse")),
            code_postal,
            code_insee: string(r.get("code_insee")),
            latitude,
            longitude,
            telephone: string(r.get("telephone")),
            courriel: string(r.get("courriel")).filter(|c| text::is_email(c)),
            site_web: string(r.get("site_web")),
            horaires_accueil: string(r.get("horaires_accueil")),
            reseaux_porteurs,
        })
    } else {
        Err(e)
    }
}

fn coords(r: &Map<String, Value>, e: &mut Vec<FieldError>) -> (Option<f64>, Option<f64>) {
    let mut get = |f: &str| {
        number(r.get(f)).unwrap_or_else(|Unreadable| {
            e.push(FieldError::new(f, "not_a_number", MSG_NUMBER));
            None
        })
    };
    let (la, lo) = (get("latitude"), get("longitude"));
    match (la, lo) {
        (Some(a), Some(o)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&o) => {
            (Some(a), Some(o))
        }
        _ => (None, None),
    }
}

/// A service row of the `services` file, checked as far as the service rules go (the
/// structure, commune and zone codes still need the database).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRecord {
    pub source: String,
    pub id: String,
    pub structure_id: String,
    pub date_maj: Option<NaiveDate>,
    pub input: ServiceInput,
}

const STRING_FIELDS: [&str; 16] = [
    "nom",
    "description",
    "lien_source",
    "type",
    "frais_precisions",
    "publics_precisions",
    "conditions_acces",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "telephone",
    "courriel",
    "contact_nom_prenom",
    "lien_mobilisation",
    "mobilisation_precisions",
];
const LIST_FIELDS: [&str; 6] = [
    "thematiques",
    "publics",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
];

pub fn service(r: &Map<String, Value>) -> Result<ServiceRecord, Vec<FieldError>> {
    let mut e = Vec::new();
    let source = source_of(r, &mut e);
    let id = id_of(r, "id", &mut e);
    let structure_id = id_of(r, "structure_id", &mut e);
    let date_maj = date(r.get("date_maj")).unwrap_or_else(|Unreadable| {
        e.push(FieldError::new("date_maj", "invalid_date", MSG_DATE));
        None
    });
    let mut m = Map::new();
    for f in STRING_FIELDS {
        if let Some(s) = string(r.get(f)) {
            m.insert(f.into(), Value::String(s));
        }
    }
    // v0 wrote `frais` as a list; v1 as one code.
    match list(r.get("frais")) {
        Ok(l) => {
            if let Some(f) = l.into_iter().next() {
                m.insert("frais".into(), Value::String(f));
            }
        }
        Err(Unreadable) => e.push(FieldError::new("frais", "invalid_list", MSG_LIST)),
    }
    for f in LIST_FIELDS {
        match list(r.get(f)) {
            Ok(l) => {
                m.insert(f.into(), Value::from(l));
            }
            Err(Unreadable) => e.push(FieldError::new(f, "invalid_list", MSG_LIST)),
        }
    }
    if let Some(Value::Array(modes)) = m.get("modes_accueil") {
        if modes
            .iter()
            .any(|x| !matches!(x.as_str(), Some("en-presentiel" | "a-distance")))
        {
            e.push(FieldError::new("modes_accueil", "unknown_code", MSG_MODE));
            m.insert("modes_accueil".into(), Value::Array(Vec::new()));
        }
    }
    for f in ["volume_horaire_hebdomadaire", "nombre_semaines"] {
        match number(r.get(f)) {
            Ok(Some(n)) => {
                m.insert(f.into(), Value::from(n));
            }
            Ok(None) => {}
            Err(Unreadable) => e.push(FieldError::new(f, "not_a_number", MSG_NUMBER)),
        }
    }
    let (la, lo) = coords(r, &mut e);
    if let (Some(a), Some(o)) = (la, lo) {
        m.insert("latitude".into(), Value::from(a));
        m.insert("longitude".into(), Value::from(o));
    }
    // `horaires_accueil` is v1's name; v0 said `horaires_ouverture`.
    if let Some(h) =
        string(r.get("horaires_accueil")).or_else(|| string(r.get("horaires_ouverture")))
    {
        m.insert("horaires_accueil".into(), Value::String(h));
    }
    let input = match serde_json::from_value::<ServiceInput>(Value::Object(m)) {
        Ok(i) => i,
        Err(err) => {
            e.push(FieldError::new("row", "invalid_value", err.to_string()));
            ServiceInput::default()
        }
    };
    if !e.is_empty() {
        return Err(e);
    }
    let valid = super::parse(input)?;
    Ok(ServiceRecord {
        source,
        id,
        structure_id,
        date_maj,
        input: valid.input,
    })
}

/// What the import writes over a service already there: the source's values, except the
/// fields edited here whose source value has not changed since the last import. Returns the
/// values to store and the fields still edited locally. `current` and `last_source` are
/// `ServiceInput`s as JSON objects.
pub fn merge(
    incoming: &Map<String, Value>,
    current: &Map<String, Value>,
    last_source: Option<&Map<String, Value>>,
    locally_edited: &[String],
) -> (Map<String, Value>, Vec<String>) {
    let mut out = incoming.clone();
    let mut still = Vec::new();
    for f in locally_edited {
        let before = last_source.and_then(|s| s.get(f));
        let now = incoming.get(f);
        if before == now {
            match current.get(f) {
                Some(v) => out.insert(f.clone(), v.clone()),
                None => out.remove(f),
            };
            still.push(f.clone());
        }
    }
    (out, still)
}

/// A rejected row's reasons, one line.
pub fn reasons(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.code))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn python_lists_json_lists_and_plain_cells_are_lists() {
        assert_eq!(list_cell("['a', 'b-c']"), vec!["a", "b-c"]);
        assert_eq!(list_cell("[\"a\",\"b\"]"), vec!["a", "b"]);
        assert_eq!(list_cell("{a,b}"), vec!["a", "b"]);
        assert_eq!(list_cell("a, b"), vec!["a", "b"]);
        assert_eq!(list_cell("[]"), Vec::<String>::new());
        assert_eq!(list_cell(""), Vec::<String>::new());
        assert_eq!(list(Some(&json!(["x", null]))), Ok(vec!["x".to_string()]));
        assert_eq!(list(Some(&json!(3))), Err(Unreadable));
    }

    #[test]
    fn dates_come_as_epoch_milliseconds_or_iso() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 15);
        assert_eq!(date(Some(&json!(1_710_460_800_000_i64))), Ok(d));
        assert_eq!(date(Some(&json!("1710460800000"))), Ok(d));
        assert_eq!(date(Some(&json!("2024-03-15"))), Ok(d));
        assert_eq!(date(Some(&json!("2024-03-15T10:00:00+00:00"))), Ok(d));
        assert_eq!(date(Some(&json!(""))), Ok(None));
        assert_eq!(date(Some(&json!("hier"))), Err(Unreadable));
    }

    #[test]
    fn a_structure_of_unknown_kind_is_inconnu_and_a_bad_siret_rejects_it() {
        let s = structure(&obj(json!({"source": "dora", "id": "s1", "nom": "Asso"})));
        assert_eq!(s.map(|s| s.kind), Ok(UNKNOWN_KIND.to_string()));
        let bad = structure(&obj(
            json!({"source": "dora", "id": "s1", "nom": "Asso", "siret": "12345678901234"}),
        ));
        assert!(matches!(bad, Err(e) if e[0].code == "invalid_siret"));
        let none = structure(&obj(json!({"id": "s1", "nom": "Asso"})));
        assert!(matches!(none, Err(e) if e[0].field == "source"));
    }

    #[test]
    fn a_service_row_is_checked_by_the_service_rules() {
        let ok = service(&obj(json!({
            "source": "dora", "id": "x", "structure_id": "s1", "nom": "Atelier CV",
            "description": "Un atelier", "thematiques": "['mobilite--acceder-a-un-vehicule']",
            "modes_accueil": "['en-presentiel']", "date_maj": 1_710_460_800_000_i64,
            "frais": ["gratuit"]
        })));
        let ok = ok.map_err(|e| reasons(&e));
        assert!(ok.is_ok(), "{ok:?}");
        let bad = service(&obj(json!({
            "source": "dora", "id": "x", "structure_id": "s1", "nom": "Atelier CV",
            "description": "Un atelier", "thematiques": "['pas-un-code']"
        })));
        assert!(matches!(bad, Err(e) if e[0].code == "unknown_code"));
        let bad_mode = service(&obj(json!({
            "source": "dora", "id": "x", "structure_id": "s1", "nom": "Atelier CV",
            "description": "Un atelier", "modes_accueil": ["a-pied"]
        })));
        assert!(matches!(bad_mode, Err(e) if e[0].field == "modes_accueil"));
    }

    #[test]
    fn a_local_edit_is_kept_until_the_source_changes_that_field() {
        let last = obj(json!({"nom": "A", "description": "d"}));
        let current = obj(json!({"nom": "Local", "description": "d"}));
        let edited = vec!["nom".to_string()];
        // The source did not change `nom`: the local value stays.
        let (out, still) = merge(&last, &current, Some(&last), &edited);
        assert_eq!(out.get("nom"), Some(&json!("Local")));
        assert_eq!(still, edited);
        // The source changed it: its value wins and the field is no longer edited here.
        let incoming = obj(json!({"nom": "B", "description": "d"}));
        let (out, still) = merge(&incoming, &current, Some(&last), &edited);
        assert_eq!(out.get("nom"), Some(&json!("B")));
        assert!(still.is_empty());
    }
}

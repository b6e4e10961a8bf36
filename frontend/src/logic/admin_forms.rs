//! Administration forms (structures, users): state as typed, validation mirrors, requests.
use api_types::{FieldError, Role, Structure, StructureInput, User, UserCreate, UserUpdate};
use uuid::Uuid;

use super::error::field_message;
use super::validate::{is_email, is_phone, is_siret, opt};

/// Field errors keyed by the API's field name (`name`, `siret`, `roles`…), in form order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Errors {
    order: &'static [&'static str],
    items: Vec<(String, String)>,
}

impl Errors {
    pub fn new(order: &'static [&'static str]) -> Errors {
        Errors {
            order,
            items: Vec::new(),
        }
    }

    /// `roles[1]` and `roles` are the same field on screen.
    fn base(path: &str) -> String {
        path.split('[').next().unwrap_or(path).to_string()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let f = Errors::base(field);
        if !self.items.iter().any(|(x, _)| *x == f) {
            self.items.push((f, message.into()));
            let order = self.order;
            self.items
                .sort_by_key(|(x, _)| order.iter().position(|o| o == x).unwrap_or(order.len()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.items.iter()
    }

    pub fn clear(&mut self, field: &str) {
        self.items.retain(|(f, _)| f != field);
    }

    pub fn merge_api(&mut self, errors: &[FieldError]) {
        for e in errors {
            self.add(&e.field, field_message(&e.code));
        }
    }

    /// Whether `field` is one of this form's (else the error goes to the summary only).
    pub fn knows(&self, field: &str) -> bool {
        self.order.contains(&field)
    }
}

pub const STRUCTURE_FIELDS: &[&str] = &[
    "name",
    "kind",
    "siret",
    "address",
    "postal_code",
    "commune_insee",
    "phone",
    "email",
    "website",
    "prescriber",
    "territory_id",
    "reason",
];

/// Why an administrative change is made: required by the API, kept in its audit.
pub const REASON_MISSING: &str =
    "Indiquez le motif : il est conservé dans le journal d’administration.";

/// Under every motif field.
pub const REASON_HINT: &str =
    "Conservé dans le journal d’administration, avec votre nom et la date.";

/// The error of an empty motif, if it is.
fn check_reason(reason: &str, e: &mut Errors) {
    if reason.trim().is_empty() {
        e.add("reason", REASON_MISSING);
    }
}

/// A structure as edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructureForm {
    pub name: String,
    pub kind: String,
    pub siret: String,
    pub address: String,
    pub postal_code: String,
    pub commune_insee: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub prescriber: bool,
    pub receiver: bool,
    pub sas_team: bool,
    pub sensitive: bool,
    pub territory_id: String,
    /// Why the structure is created or changed (administrative audit).
    pub reason: String,
    /// Kept from the structure read, not edited here.
    pub keep: Option<Structure>,
}

impl StructureForm {
    pub fn from_structure(s: &Structure) -> StructureForm {
        StructureForm {
            name: s.name.clone(),
            kind: s.kind.clone(),
            siret: s.siret.clone().unwrap_or_default(),
            address: s.address.clone().unwrap_or_default(),
            postal_code: s.postal_code.clone().unwrap_or_default(),
            commune_insee: s.commune_insee.clone().unwrap_or_default(),
            phone: s.phone.clone().unwrap_or_default(),
            email: s.email.clone().unwrap_or_default(),
            website: s.website.clone().unwrap_or_default(),
            prescriber: s.prescriber,
            receiver: s.receiver,
            sas_team: s.sas_team,
            sensitive: s.sensitive,
            territory_id: s.territory_id.map(|t| t.to_string()).unwrap_or_default(),
            reason: String::new(),
            keep: Some(s.clone()),
        }
    }

    pub fn validate(&self) -> Errors {
        let mut e = Errors::new(STRUCTURE_FIELDS);
        if self.name.trim().is_empty() {
            e.add("name", "Indiquez le nom de la structure.");
        }
        if self.kind.trim().is_empty() {
            e.add("kind", field_message("unknown_kind"));
        }
        if !self.siret.trim().is_empty() && !is_siret(&self.siret) {
            e.add("siret", field_message("invalid_siret"));
        }
        let pc = self.postal_code.trim();
        if !pc.is_empty() && (pc.len() != 5 || !pc.bytes().all(|b| b.is_ascii_digit())) {
            e.add("postal_code", field_message("invalid_postal_code"));
        }
        if !self.phone.trim().is_empty() && !is_phone(&self.phone) {
            e.add("phone", field_message("invalid_phone"));
        }
        if !self.email.trim().is_empty() && !is_email(&self.email) {
            e.add("email", field_message("invalid_email"));
        }
        let w = self.website.trim();
        if !(w.is_empty() || w.starts_with("https://") || w.starts_with("http://")) {
            e.add("website", field_message("invalid_url"));
        }
        if !(self.prescriber || self.receiver || self.sas_team) {
            e.add(
                "prescriber",
                "Cochez au moins une capacité : prescriptrice, d’accueil ou équipe SAS.",
            );
        }
        if self.sas_team && self.territory_id.trim().is_empty() {
            e.add(
                "territory_id",
                "Une équipe SAS sert un territoire : choisissez-le.",
            );
        }
        check_reason(&self.reason, &mut e);
        e
    }

    pub fn to_input(&self) -> Result<StructureInput, Errors> {
        let e = self.validate();
        if !e.is_empty() {
            return Err(e);
        }
        let keep = self.keep.as_ref();
        Ok(StructureInput {
            name: self.name.trim().to_string(),
            kind: self.kind.clone(),
            siret: opt(&self.siret).map(|s| s.replace(' ', "")),
            address: opt(&self.address),
            postal_code: opt(&self.postal_code),
            commune_insee: opt(&self.commune_insee),
            latitude: keep.and_then(|s| s.latitude),
            longitude: keep.and_then(|s| s.longitude),
            phone: opt(&self.phone),
            email: opt(&self.email),
            website: opt(&self.website),
            opening_hours: keep.and_then(|s| s.opening_hours.clone()),
            reseaux_porteurs: keep.map(|s| s.reseaux_porteurs.clone()).unwrap_or_default(),
            prescriber: self.prescriber,
            receiver: self.receiver,
            sas_team: self.sas_team,
            sensitive: self.sensitive,
            territory_id: Uuid::parse_str(self.territory_id.trim()).ok(),
            reason: self.reason.trim().to_string(),
        })
    }
}

pub const USER_FIELDS: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "password",
    "roles",
    "structure_id",
    "territory_id",
    "reason",
];

/// An account as edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password: String,
    pub roles: Vec<Role>,
    pub structure_id: String,
    pub territory_id: String,
    /// Why the account is created or changed (administrative audit).
    pub reason: String,
}

impl UserForm {
    pub fn from_user(u: &User) -> UserForm {
        UserForm {
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            password: String::new(),
            roles: u.roles.clone(),
            structure_id: u.structure_id.map(|s| s.to_string()).unwrap_or_default(),
            territory_id: u.territory_id.map(|s| s.to_string()).unwrap_or_default(),
            reason: String::new(),
        }
    }

    pub fn toggle_role(&mut self, r: Role, on: bool) {
        self.roles.retain(|x| *x != r);
        if on {
            self.roles.push(r);
            self.roles.sort();
        }
    }

    /// `creating`: the password is required (else optional: a new one replaces the old).
    pub fn validate(&self, creating: bool) -> Errors {
        let mut e = Errors::new(USER_FIELDS);
        if creating && !is_email(&self.email) {
            e.add("email", field_message("invalid_email"));
        }
        if self.first_name.trim().is_empty() {
            e.add("first_name", "Indiquez le prénom.");
        }
        if self.last_name.trim().is_empty() {
            e.add("last_name", "Indiquez le nom.");
        }
        let n = self.password.chars().count();
        if (creating || n > 0) && n < 12 {
            e.add("password", field_message("password_too_short"));
        }
        if self.roles.is_empty() {
            e.add("roles", "Cochez au moins un rôle.");
        }
        let needs_structure = self
            .roles
            .iter()
            .any(|r| matches!(r, Role::Prescriber | Role::Counsellor | Role::Receiver));
        if needs_structure && self.structure_id.trim().is_empty() {
            e.add("structure_id", field_message("role_needs_structure"));
        }
        if self.roles.contains(&Role::Pilot) && self.territory_id.trim().is_empty() {
            e.add("territory_id", field_message("pilot_needs_territory"));
        }
        check_reason(&self.reason, &mut e);
        e
    }

    pub fn to_create(&self) -> Result<UserCreate, Errors> {
        let e = self.validate(true);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(UserCreate {
            email: self.email.trim().to_lowercase(),
            first_name: self.first_name.trim().to_string(),
            last_name: self.last_name.trim().to_string(),
            password: self.password.clone(),
            roles: self.roles.clone(),
            structure_id: Uuid::parse_str(self.structure_id.trim()).ok(),
            territory_id: Uuid::parse_str(self.territory_id.trim()).ok(),
            reason: self.reason.trim().to_string(),
        })
    }

    pub fn to_update(&self) -> Result<UserUpdate, Errors> {
        let e = self.validate(false);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(UserUpdate {
            first_name: Some(self.first_name.trim().to_string()),
            last_name: Some(self.last_name.trim().to_string()),
            roles: Some(self.roles.clone()),
            territory_id: Uuid::parse_str(self.territory_id.trim()).ok(),
            password: (!self.password.is_empty()).then(|| self.password.clone()),
            reason: self.reason.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_structure_needs_a_name_a_kind_and_a_capacity() {
        let f = StructureForm::default();
        let e = f.validate();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["name", "kind", "prescriber", "reason"]);
    }

    #[test]
    fn a_sas_team_needs_its_territory_and_sirets_are_checked() {
        let f = StructureForm {
            name: "SAS Rhône".into(),
            kind: "ASSO".into(),
            sas_team: true,
            siret: "73282932000075".into(),
            ..StructureForm::default()
        };
        let e = f.validate();
        assert!(e.get("territory_id").is_some());
        assert!(e.get("siret").is_some());
    }

    #[test]
    fn a_valid_structure_becomes_an_input() {
        let f = StructureForm {
            name: " ML Lyon ".into(),
            kind: "ML".into(),
            siret: "732 829 320 00074".into(),
            prescriber: true,
            receiver: true,
            reason: " Nouvelle mission locale ".into(),
            ..StructureForm::default()
        };
        let i = f.to_input().expect("valid");
        assert_eq!(i.name, "ML Lyon");
        assert_eq!(i.reason, "Nouvelle mission locale");
        assert_eq!(i.siret.as_deref(), Some("73282932000074"));
        assert_eq!(i.territory_id, None);
    }

    #[test]
    fn users_need_a_long_password_on_creation_only() {
        let mut f = UserForm {
            email: "a@b.fr".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            password: "court".into(),
            roles: vec![Role::Admin],
            reason: "Arrivée".into(),
            ..UserForm::default()
        };
        assert!(f.validate(true).get("password").is_some());
        f.password.clear();
        assert!(f.validate(true).get("password").is_some());
        assert!(f.validate(false).is_empty());
        let u = f.to_update().expect("valid");
        assert_eq!(u.password, None);
        f.reason = "  ".into();
        assert_eq!(f.validate(false).get("reason"), Some(REASON_MISSING));
    }

    #[test]
    fn roles_bring_their_requirements() {
        let mut f = UserForm {
            email: "a@b.fr".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            password: "un mot de passe long".into(),
            ..UserForm::default()
        };
        f.toggle_role(Role::Prescriber, true);
        f.toggle_role(Role::Pilot, true);
        let e = f.validate(true);
        assert!(e.get("structure_id").is_some());
        assert!(e.get("territory_id").is_some());
        let mut api = Errors::new(USER_FIELDS);
        api.merge_api(&[FieldError::new(
            "roles[1]",
            "role_not_allowed_by_structure",
            "x",
        )]);
        assert_eq!(
            api.get("roles"),
            Some("La structure choisie ne permet pas ce rôle.")
        );
    }
}

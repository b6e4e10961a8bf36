//! Administration forms (structures, accounts): values as typed, their checks (mirrors of the
//! API's), the request bodies, and where the API's field errors go.
use api_types::rules::PASSWORD_MIN_CHARS;
use api_types::{FieldError, Role, Structure, StructureInput, User, UserCreate, UserUpdate};
use uuid::Uuid;

use super::error::field_message;
use super::form::{Errors, FormField, FormModel};
use super::validate::{is_email, is_phone, is_siret, opt};

/// Why an administrative change is made: required by the API, kept in its audit.
pub const REASON_MISSING: &str =
    "Indiquez le motif : il est conservé dans le journal d’administration.";

/// Under every motif field.
pub const REASON_HINT: &str =
    "Conservé dans le journal d’administration, avec votre nom et la date.";

/// The error of an empty motif, if it is.
pub fn reason_error(reason: &str) -> Option<&'static str> {
    reason.trim().is_empty().then_some(REASON_MISSING)
}

/// The API's field name of an error path, without index (`roles[1]` is `roles`).
fn base(path: &str) -> &str {
    path.split('[').next().unwrap_or(path)
}

/// The fields of the structure form, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StructureField {
    Name,
    Kind,
    Siret,
    Address,
    PostalCode,
    Commune,
    Phone,
    Email,
    Website,
    Capacities,
    Territory,
    /// Why the structure is created or changed (administrative audit).
    Reason,
    Form,
}

impl FormField for StructureField {
    fn id(self) -> &'static str {
        use StructureField::*;
        match self {
            Name => "structure-name",
            Kind => "structure-kind",
            Siret => "structure-siret",
            Address => "structure-address",
            PostalCode => "structure-postal-code",
            Commune => "structure-commune",
            Phone => "structure-phone",
            Email => "structure-email",
            Website => "structure-website",
            Capacities => "capacites",
            Territory => "structure-territory-id",
            Reason => "structure-reason",
            Form => "formulaire-structure",
        }
    }

    fn label(self) -> &'static str {
        use StructureField::*;
        match self {
            Name => "Nom",
            Kind => "Type de structure",
            Siret => "SIRET",
            Address => "Adresse",
            PostalCode => "Code postal",
            Commune => "Commune",
            Phone => "Téléphone",
            Email => "Courriel",
            Website => "Site internet",
            Capacities => "Capacités",
            Territory => "Territoire",
            Reason => "Motif",
            Form => "Structure",
        }
    }
}

impl StructureField {
    pub fn from_path(path: &str) -> StructureField {
        use StructureField::*;
        match base(path) {
            "name" => Name,
            "kind" => Kind,
            "siret" => Siret,
            "address" => Address,
            "postal_code" => PostalCode,
            "commune_insee" => Commune,
            "phone" => Phone,
            "email" => Email,
            "website" => Website,
            "prescriber" | "receiver" | "sas_team" => Capacities,
            "territory_id" => Territory,
            "reason" => Reason,
            _ => Form,
        }
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

impl FormModel for StructureForm {
    type Field = StructureField;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<StructureField> {
        use StructureField::*;
        let mut e = Errors::new();
        if self.name.trim().is_empty() {
            e.add(Name, "Indiquez le nom de la structure.");
        }
        if self.kind.trim().is_empty() {
            e.add(Kind, field_message("unknown_kind"));
        }
        if !self.siret.trim().is_empty() && !is_siret(&self.siret) {
            e.add(Siret, field_message("invalid_siret"));
        }
        let pc = self.postal_code.trim();
        if !pc.is_empty() && (pc.len() != 5 || !pc.bytes().all(|b| b.is_ascii_digit())) {
            e.add(PostalCode, field_message("invalid_postal_code"));
        }
        if !self.phone.trim().is_empty() && !is_phone(&self.phone) {
            e.add(Phone, field_message("invalid_phone"));
        }
        if !self.email.trim().is_empty() && !is_email(&self.email) {
            e.add(Email, field_message("invalid_email"));
        }
        let w = self.website.trim();
        if !(w.is_empty() || w.starts_with("https://") || w.starts_with("http://")) {
            e.add(Website, field_message("invalid_url"));
        }
        if !(self.prescriber || self.receiver || self.sas_team) {
            e.add(
                Capacities,
                "Cochez au moins une capacité : prescriptrice, d’accueil ou équipe SAS.",
            );
        }
        if self.sas_team && self.territory_id.trim().is_empty() {
            e.add(
                Territory,
                "Une équipe SAS sert un territoire : choisissez-le.",
            );
        }
        if let Some(m) = reason_error(&self.reason) {
            e.add(Reason, m);
        }
        e
    }

    fn api_error(e: &FieldError) -> (StructureField, String) {
        (StructureField::from_path(&e.field), field_message(&e.code))
    }
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

    pub fn to_input(&self) -> Result<StructureInput, Errors<StructureField>> {
        let e = self.validate(&());
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

/// The fields of the account form, in page order (the structure comes before the roles: the
/// roles a structure allows depend on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UserField {
    Email,
    FirstName,
    LastName,
    Password,
    Structure,
    Roles,
    Territory,
    /// Why the account is created or changed (administrative audit).
    Reason,
    Form,
}

impl FormField for UserField {
    fn id(self) -> &'static str {
        use UserField::*;
        match self {
            Email => "compte-email",
            FirstName => "compte-first-name",
            LastName => "compte-last-name",
            Password => "compte-password",
            Structure => "compte-structure-id",
            Roles => "compte-roles",
            Territory => "compte-territory-id",
            Reason => "compte-reason",
            Form => "formulaire-compte",
        }
    }

    fn label(self) -> &'static str {
        use UserField::*;
        match self {
            Email => "Adresse électronique",
            FirstName => "Prénom",
            LastName => "Nom",
            Password => "Mot de passe",
            Structure => "Structure",
            Roles => "Rôles",
            Territory => "Territoire",
            Reason => "Motif",
            Form => "Compte",
        }
    }
}

impl UserField {
    pub fn from_path(path: &str) -> UserField {
        use UserField::*;
        match base(path) {
            "email" => Email,
            "first_name" => FirstName,
            "last_name" => LastName,
            "password" => Password,
            "structure_id" => Structure,
            "roles" => Roles,
            "territory_id" => Territory,
            "reason" => Reason,
            _ => Form,
        }
    }
}

/// An account as edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password: String,
    /// On creation: give a temporary password instead of mailing an invitation (the default).
    pub temporary_password: bool,
    pub roles: Vec<Role>,
    pub structure_id: String,
    pub territory_id: String,
    /// Why the account is created or changed (administrative audit).
    pub reason: String,
}

/// Whether the account is being created (the email and the password are then required) or
/// edited (a new password is optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Creating(pub bool);

impl FormModel for UserForm {
    type Field = UserField;
    type Context = Creating;

    fn validate(&self, creating: &Creating) -> Errors<UserField> {
        use UserField::*;
        let creating = creating.0;
        let mut e = Errors::new();
        if creating && self.email.trim().is_empty() {
            e.add(Email, "Indiquez l’adresse électronique de la personne.");
        } else if creating && !is_email(&self.email) {
            e.add(Email, field_message("invalid_email"));
        }
        if self.first_name.trim().is_empty() {
            e.add(FirstName, "Indiquez le prénom.");
        }
        if self.last_name.trim().is_empty() {
            e.add(LastName, "Indiquez le nom.");
        }
        let n = self.password.chars().count();
        let required = creating && self.temporary_password;
        let given = n > 0 && (!creating || self.temporary_password);
        if (required || given) && n < PASSWORD_MIN_CHARS {
            e.add(Password, field_message("password_too_short"));
        }
        if self.roles.is_empty() {
            e.add(Roles, "Cochez au moins un rôle.");
        }
        if self.needs_structure() && self.structure_id.trim().is_empty() {
            e.add(Structure, field_message("role_needs_structure"));
        }
        if self.roles.contains(&Role::Pilot) && self.territory_id.trim().is_empty() {
            e.add(Territory, field_message("pilot_needs_territory"));
        }
        if let Some(m) = reason_error(&self.reason) {
            e.add(Reason, m);
        }
        e
    }

    fn api_error(e: &FieldError) -> (UserField, String) {
        (UserField::from_path(&e.field), field_message(&e.code))
    }
}

impl UserForm {
    pub fn from_user(u: &User) -> UserForm {
        UserForm {
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            password: String::new(),
            temporary_password: false,
            roles: u.roles.clone(),
            structure_id: u.structure_id.map(|s| s.to_string()).unwrap_or_default(),
            territory_id: u.territory_id.map(|s| s.to_string()).unwrap_or_default(),
            reason: String::new(),
        }
    }

    /// Prescribers, counsellors and receivers belong to a structure.
    pub fn needs_structure(&self) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Prescriber | Role::Counsellor | Role::Receiver))
    }

    pub fn toggle_role(&mut self, r: Role, on: bool) {
        self.roles.retain(|x| *x != r);
        if on {
            self.roles.push(r);
            self.roles.sort();
        }
    }

    pub fn to_create(&self) -> Result<UserCreate, Errors<UserField>> {
        let e = self.validate(&Creating(true));
        if !e.is_empty() {
            return Err(e);
        }
        Ok(UserCreate {
            email: self.email.trim().to_lowercase(),
            first_name: self.first_name.trim().to_string(),
            last_name: self.last_name.trim().to_string(),
            // Without a temporary password, the API mails an invitation.
            password: self.temporary_password.then(|| self.password.clone()),
            roles: self.roles.clone(),
            structure_id: Uuid::parse_str(self.structure_id.trim()).ok(),
            territory_id: Uuid::parse_str(self.territory_id.trim()).ok(),
            reason: self.reason.trim().to_string(),
        })
    }

    pub fn to_update(&self) -> Result<UserUpdate, Errors<UserField>> {
        let e = self.validate(&Creating(false));
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

    fn fields<F: FormField>(e: &Errors<F>) -> Vec<F> {
        e.iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_structure_needs_a_name_a_kind_and_a_capacity() {
        let e = StructureForm::default().validate(&());
        use StructureField::*;
        assert_eq!(fields(&e), vec![Name, Kind, Capacities, Reason]);
    }

    #[test]
    fn a_sas_team_needs_its_territory_and_sirets_are_checked() {
        let f = StructureForm {
            name: "SAS Rhône".into(),
            kind: "ASSO".into(),
            sas_team: true,
            siret: "73282932000075".into(),
            reason: "Nouvelle équipe".into(),
            ..StructureForm::default()
        };
        let e = f.validate(&());
        assert!(e.get(StructureField::Territory).is_some());
        assert!(e.get(StructureField::Siret).is_some());
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
    fn api_paths_land_on_the_structure_fields() {
        let on = |p: &str| StructureForm::api_error(&FieldError::new(p, "x", "x")).0;
        assert_eq!(on("commune_insee"), StructureField::Commune);
        assert_eq!(on("sas_team"), StructureField::Capacities);
        assert_eq!(on("reseaux_porteurs[0]"), StructureField::Form);
        assert_eq!(on("reason"), StructureField::Reason);
    }

    fn user() -> UserForm {
        UserForm {
            email: "a@b.fr".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            password: "un mot de passe long".into(),
            roles: vec![Role::Admin],
            reason: "Arrivée".into(),
            ..UserForm::default()
        }
    }

    #[test]
    fn an_empty_email_is_asked_for_and_a_wrong_one_is_invalid() {
        let mut f = user();
        f.email.clear();
        let e = f.validate(&Creating(true));
        assert_eq!(
            e.get(UserField::Email),
            Some("Indiquez l’adresse électronique de la personne.")
        );
        f.email = "a@b".into();
        assert_eq!(
            f.validate(&Creating(true)).get(UserField::Email),
            Some(field_message("invalid_email").as_str())
        );
        // The email of an existing account cannot change: not checked on edition.
        assert!(f.validate(&Creating(false)).is_empty());
    }

    #[test]
    fn an_invitation_is_the_default_and_a_temporary_password_is_long() {
        let mut f = user();
        f.password.clear();
        f.temporary_password = false;
        assert!(f
            .validate(&Creating(true))
            .get(UserField::Password)
            .is_none());
        assert_eq!(f.to_create().expect("valid").password, None);
        f.password = "un mot de passe long".into();
        f.temporary_password = true;
        assert_eq!(
            f.to_create().expect("valid").password.as_deref(),
            Some("un mot de passe long")
        );
    }

    #[test]
    fn users_need_a_long_password_on_creation_only() {
        let mut f = user();
        f.temporary_password = true;
        f.password = "court".into();
        assert_eq!(
            f.validate(&Creating(true)).get(UserField::Password),
            Some("Le mot de passe doit contenir au moins 12 caractères.")
        );
        f.password.clear();
        assert!(f
            .validate(&Creating(true))
            .get(UserField::Password)
            .is_some());
        assert!(f.validate(&Creating(false)).is_empty());
        let u = f.to_update().expect("valid");
        assert_eq!(u.password, None);
        assert_eq!(u.reason, "Arrivée");
        f.reason = "  ".into();
        assert_eq!(
            f.validate(&Creating(false)).get(UserField::Reason),
            Some(REASON_MISSING)
        );
    }

    #[test]
    fn roles_bring_their_requirements_and_the_structure_comes_first() {
        let mut f = user();
        f.roles.clear();
        f.toggle_role(Role::Prescriber, true);
        f.toggle_role(Role::Pilot, true);
        let e = f.validate(&Creating(true));
        assert_eq!(fields(&e), vec![UserField::Structure, UserField::Territory]);
        let (field, msg) = UserForm::api_error(&FieldError::new(
            "roles[1]",
            "role_not_allowed_by_structure",
            "x",
        ));
        assert_eq!(field, UserField::Roles);
        assert_eq!(msg, "La structure choisie ne permet pas ce rôle.");
    }
}

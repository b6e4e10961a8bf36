//! The forced password change (a password an administrator set must be replaced before
//! anything else) and the session hint cookie: rules without a browser, tested natively.
use api_types::rules::PASSWORD_MIN_CHARS;
use api_types::FieldError;

use super::error::field_message;
use super::form::{Errors, FormField, FormModel};

/// Set by the API next to the HttpOnly refresh cookie: without it there is no session to
/// restore, and the app does not ask for one (a first visit then makes no failing request).
pub const SESSION_HINT_COOKIE: &str = "sas_session";

/// Whether `document.cookie` (`a=1; b=2`) holds a non-empty cookie `name`.
pub fn cookie_set(cookies: &str, name: &str) -> bool {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .any(|(k, v)| k == name && !v.is_empty())
}

/// The fields of the password change, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Current,
    New,
    Confirmation,
    Form,
}

impl FormField for Field {
    fn id(self) -> &'static str {
        match self {
            Field::Current => "mdp-current-password",
            Field::New => "mdp-new-password",
            Field::Confirmation => "mdp-confirmation",
            Field::Form => "formulaire-mot-de-passe",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Current => "Mot de passe provisoire",
            Field::New => "Nouveau mot de passe",
            Field::Confirmation => "Confirmation",
            Field::Form => "Mot de passe",
        }
    }
}

/// The change as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub confirmation: String,
}

impl FormModel for PasswordForm {
    type Field = Field;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<Field> {
        let mut e = Errors::new();
        if self.current.is_empty() {
            e.add(Field::Current, "Indiquez le mot de passe provisoire reçu.");
        }
        if self.new.chars().count() < PASSWORD_MIN_CHARS {
            e.add(Field::New, field_message("password_too_short"));
        } else if self.new == self.current {
            e.add(Field::New, field_message("same_password"));
        }
        if self.confirmation != self.new {
            e.add(
                Field::Confirmation,
                "Les deux mots de passe ne sont pas identiques.",
            );
        }
        e
    }

    fn api_error(e: &FieldError) -> (Field, String) {
        match (e.field.as_str(), e.code.as_str()) {
            ("current_password", code) => (Field::Current, field_message(code)),
            ("new_password", "too_short") => (Field::New, field_message("password_too_short")),
            ("new_password", code) => (Field::New, field_message(code)),
            (_, code) => (Field::Form, field_message(code)),
        }
    }
}

impl PasswordForm {
    /// The two passwords to send, when the form is valid.
    pub fn to_request(&self) -> Result<(String, String), Errors<Field>> {
        let e = self.validate(&());
        if e.is_empty() {
            Ok((self.current.clone(), self.new.clone()))
        } else {
            Err(e)
        }
    }
}

/// The token of a password link's fragment (`#jeton=TOKEN`), if it holds one.
pub fn token_from_fragment(hash: &str) -> Option<String> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix("jeton="))
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .map(str::to_string)
}

/// The fields of the page that sets a password from a link, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkField {
    New,
    Confirmation,
    Form,
}

impl FormField for LinkField {
    fn id(self) -> &'static str {
        match self {
            LinkField::New => "lien-nouveau-mot-de-passe",
            LinkField::Confirmation => "lien-confirmation",
            LinkField::Form => "formulaire-lien",
        }
    }

    fn label(self) -> &'static str {
        match self {
            LinkField::New => "Mot de passe",
            LinkField::Confirmation => "Confirmation",
            LinkField::Form => "Lien",
        }
    }
}

/// A password chosen from an invitation or reset link.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkPasswordForm {
    pub new: String,
    pub confirmation: String,
}

impl FormModel for LinkPasswordForm {
    type Field = LinkField;
    type Context = ();

    fn validate(&self, _: &()) -> Errors<LinkField> {
        let mut e = Errors::new();
        if self.new.chars().count() < PASSWORD_MIN_CHARS {
            e.add(LinkField::New, field_message("password_too_short"));
        }
        if self.confirmation != self.new {
            e.add(
                LinkField::Confirmation,
                "Les deux mots de passe ne sont pas identiques.",
            );
        }
        e
    }

    fn api_error(e: &FieldError) -> (LinkField, String) {
        match (e.field.as_str(), e.code.as_str()) {
            ("new_password", "too_short") => (LinkField::New, field_message("password_too_short")),
            ("new_password", code) => (LinkField::New, field_message(code)),
            (_, code) => (LinkField::Form, link_message(code).to_string()),
        }
    }
}

impl LinkPasswordForm {
    pub fn to_request(&self) -> Result<String, Errors<LinkField>> {
        let e = self.validate(&());
        if e.is_empty() {
            Ok(self.new.clone())
        } else {
            Err(e)
        }
    }
}

/// Why a link no longer works, in French.
pub fn link_message(code: &str) -> &'static str {
    match code {
        "link_used" => "Ce lien a déjà servi. Connectez-vous, ou demandez un nouveau lien.",
        "link_expired" => "Ce lien a expiré (il vaut une heure). Demandez un nouveau lien.",
        "link_superseded" => "Un lien plus récent vous a été envoyé : utilisez le dernier reçu.",
        _ => "Ce lien n’est pas valide. Vérifiez qu’il est complet, ou demandez un nouveau lien.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_the_fragment() {
        assert_eq!(token_from_fragment("#jeton=abc-_1"), Some("abc-_1".into()));
        assert_eq!(token_from_fragment("jeton=abc"), Some("abc".into()));
        assert_eq!(token_from_fragment("#x=1&jeton=abc"), Some("abc".into()));
        assert_eq!(token_from_fragment("#jeton="), None);
        assert_eq!(token_from_fragment(""), None);
        assert_eq!(
            token_from_fragment(&format!("#jeton={}", "a".repeat(201))),
            None
        );
    }

    #[test]
    fn a_link_password_is_long_and_confirmed() {
        let f = LinkPasswordForm {
            new: "court".into(),
            confirmation: "autre".into(),
        };
        let e = f.validate(&());
        assert!(e.get(LinkField::New).is_some() && e.get(LinkField::Confirmation).is_some());
        let ok = LinkPasswordForm {
            new: "un mot de passe long".into(),
            confirmation: "un mot de passe long".into(),
        };
        assert_eq!(ok.to_request().ok(), Some("un mot de passe long".into()));
        let used = FieldError {
            field: "token".into(),
            code: "link_used".into(),
            message: String::new(),
        };
        assert_eq!(LinkPasswordForm::api_error(&used).0, LinkField::Form);
        assert!(link_message("link_expired").contains("expiré"));
        assert!(link_message("nonsense").contains("pas valide"));
    }

    #[test]
    fn the_hint_cookie_is_found_among_others() {
        assert!(cookie_set("a=1; sas_session=1", SESSION_HINT_COOKIE));
        assert!(cookie_set("sas_session=1", SESSION_HINT_COOKIE));
        assert!(!cookie_set("", SESSION_HINT_COOKIE));
        assert!(!cookie_set("sas_session=", SESSION_HINT_COOKIE));
        assert!(!cookie_set(
            "xsas_session=1; sas_sessionx=1",
            SESSION_HINT_COOKIE
        ));
    }

    fn fields(current: &str, new: &str, confirmation: &str) -> Vec<Field> {
        let f = PasswordForm {
            current: current.into(),
            new: new.into(),
            confirmation: confirmation.into(),
        };
        f.validate(&()).iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_new_password_is_long_different_and_confirmed() {
        assert_eq!(
            fields("", "court", "autre"),
            [Field::Current, Field::New, Field::Confirmation]
        );
        assert_eq!(
            fields("provisoire-123", "provisoire-123", "provisoire-123"),
            [Field::New]
        );
        assert!(fields(
            "provisoire-123",
            "un mot de passe à moi",
            "un mot de passe à moi"
        )
        .is_empty());
        let on = |f: &str, c: &str| PasswordForm::api_error(&FieldError::new(f, c, "x"));
        assert_eq!(
            on("new_password", "too_short"),
            (
                Field::New,
                "Le mot de passe doit contenir au moins 12 caractères.".to_string()
            )
        );
        assert_eq!(
            on("current_password", "invalid_password").1,
            "Ce n’est pas le mot de passe provisoire reçu."
        );
    }
}

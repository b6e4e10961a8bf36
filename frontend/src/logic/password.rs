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

#[cfg(test)]
mod tests {
    use super::*;

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

//! The forced password change (a password an administrator set must be replaced before
//! anything else) and the session hint cookie: rules without a browser, tested natively.
use super::error::field_message;

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

pub const FIELDS: &[&str] = &["current_password", "new_password", "confirmation"];

/// The problems of a change, as (field, message), in form order.
pub fn check(current: &str, new: &str, confirmation: &str) -> Vec<(&'static str, String)> {
    let mut errs = Vec::new();
    if current.is_empty() {
        errs.push((
            "current_password",
            "Indiquez le mot de passe provisoire reçu.".to_string(),
        ));
    }
    if new.chars().count() < 12 {
        errs.push(("new_password", field_message("password_too_short").into()));
    } else if new == current {
        errs.push(("new_password", field_message("same_password").into()));
    }
    if confirmation != new {
        errs.push((
            "confirmation",
            "Les deux mots de passe ne sont pas identiques.".to_string(),
        ));
    }
    errs
}

/// The message of an API field error of this form.
pub fn api_message(field: &str, code: &str) -> &'static str {
    match (field, code) {
        ("new_password", "too_short") => field_message("password_too_short"),
        _ => field_message(code),
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

    #[test]
    fn a_new_password_is_long_different_and_confirmed() {
        let fields = |c, n, k| {
            check(c, n, k)
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields("", "court", "autre"),
            ["current_password", "new_password", "confirmation"]
        );
        assert_eq!(
            fields("provisoire-123", "provisoire-123", "provisoire-123"),
            ["new_password"]
        );
        assert!(fields(
            "provisoire-123",
            "un mot de passe à moi",
            "un mot de passe à moi"
        )
        .is_empty());
        assert_eq!(
            api_message("new_password", "too_short"),
            "Le mot de passe doit contenir au moins 12 caractères."
        );
    }
}

//! The signed-in user and their active role, shared with every page through a context.
use std::rc::Rc;

use api_types::{Me, Role};
use yew::prelude::*;

use crate::logic::access;
use crate::platform;

const ROLE_KEY: &str = "sas_active_role";

#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Renewing the session from the cookie (first render after a reload).
    Checking,
    /// Not signed in; `notice` explains why (session expired, logged out).
    Anonymous {
        notice: Option<String>,
    },
    SignedIn {
        me: Rc<Me>,
        role: Role,
    },
    /// Logged in with a password an administrator set: only its replacement is open.
    PasswordChangeRequired,
}

pub enum AuthAction {
    SignedIn(Box<Me>),
    SwitchRole(Role),
    SignedOut(Option<String>),
    PasswordChangeRequired,
}

impl Reducible for Auth {
    type Action = AuthAction;

    fn reduce(self: Rc<Self>, action: AuthAction) -> Rc<Self> {
        match action {
            AuthAction::SignedIn(me) => {
                let remembered = platform::session_get(ROLE_KEY);
                match access::active_role(&me.roles, remembered.as_deref()) {
                    Some(role) => Rc::new(Auth::SignedIn {
                        me: Rc::new(*me),
                        role,
                    }),
                    None => Rc::new(Auth::Anonymous {
                        notice: Some(
                            "Votre compte n’a aucun rôle : contactez votre administrateur.".into(),
                        ),
                    }),
                }
            }
            AuthAction::SwitchRole(role) => match &*self {
                Auth::SignedIn { me, .. } if me.roles.contains(&role) => {
                    platform::session_set(ROLE_KEY, Some(role.as_str()));
                    Rc::new(Auth::SignedIn {
                        me: me.clone(),
                        role,
                    })
                }
                _ => self,
            },
            AuthAction::PasswordChangeRequired => Rc::new(Auth::PasswordChangeRequired),
            AuthAction::SignedOut(notice) => {
                platform::session_set(ROLE_KEY, None);
                Rc::new(Auth::Anonymous { notice })
            }
        }
    }
}

pub type AuthContext = UseReducerHandle<Auth>;

/// The session context (provided by the app root).
#[hook]
pub fn use_auth() -> AuthContext {
    // The app root provides it; the fallback (never used in the app) keeps hooks unconditional.
    let provided = use_context::<AuthContext>();
    let fallback = use_reducer(|| Auth::Anonymous { notice: None });
    provided.unwrap_or(fallback)
}

thread_local! {
    static FLASH: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A success message for the next page shown (after a creation, a take…).
pub fn flash(message: impl Into<String>) {
    FLASH.with(|f| *f.borrow_mut() = Some(message.into()));
}

/// Takes the pending success message, once.
#[hook]
pub fn use_flash() -> Option<String> {
    let msg = use_state(|| FLASH.with(|f| f.borrow_mut().take()));
    (*msg).clone()
}

/// Sets the document title while a page is shown.
#[hook]
pub fn use_title(title: &str) {
    let title = title.to_string();
    use_effect_with(title, |t| {
        platform::set_title(t);
    });
}

/// The active role, when signed in.
#[hook]
pub fn use_active_role() -> Option<Role> {
    match &*use_auth() {
        Auth::SignedIn { role, .. } => Some(*role),
        _ => None,
    }
}

/// The signed-in user's structure name, when they have one.
#[hook]
pub fn use_structure_name() -> Option<String> {
    match &*use_auth() {
        Auth::SignedIn { me, .. } => me.structure.as_ref().map(|s| s.name.clone()),
        _ => None,
    }
}

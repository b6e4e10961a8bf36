//! Signing in. The forced password change (`POST /me/password`, answer 403
//! `password_change_required`) gets its page here, beside the login.
pub mod login;

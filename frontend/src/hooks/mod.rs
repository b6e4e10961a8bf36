//! Shared hooks of the pages: paged lists, forms, focus after render.
//!
//! Their state machines live in `logic::list` and `logic::form` (plain Rust, tested on the
//! host); the hooks only wire them to Yew and to the services.
pub mod focus;
pub mod form;
pub mod list;

pub use focus::use_focus_on_change;
pub use form::{use_form, Form};
pub use list::{use_paged_list, PagedList};

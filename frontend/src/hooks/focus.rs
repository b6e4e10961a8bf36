//! Moving the keyboard focus once the element is on screen (after the render that shows it).
use yew::prelude::*;

use crate::platform;

/// Focuses the element `id` after each render where `key` changed to a non-zero value: an
/// error summary or an alert that has just appeared (`key` counts the refusals).
#[hook]
pub fn use_focus_on_change(id: AttrValue, key: u32) {
    use_effect_with(key, move |k| {
        if *k > 0 {
            platform::focus(&id);
        }
    });
}

//! Links inside the app: real `<a href>` (open in a new tab works), navigated without reload.
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct AppLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub current: bool,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(AppLink)]
pub fn app_link(p: &AppLinkProps) -> Html {
    let navigator = use_navigator();
    let href = p.to.to_path();
    let onclick = {
        let to = p.to.clone();
        Callback::from(move |e: MouseEvent| {
            if e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() || e.button() != 0 {
                return;
            }
            if let Some(n) = &navigator {
                e.prevent_default();
                n.push(&to);
            }
        })
    };
    html! {
        <a class={p.classes.clone()} {href} {onclick} title={p.title.clone()}
           aria-current={p.current.then_some("page")}>
            { p.children.clone() }
        </a>
    }
}

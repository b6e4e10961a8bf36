//! The few browser facilities the app needs (clock, time zone, session storage, title,
//! focus), with inert fallbacks on the host so the crate builds and tests natively.
use chrono::{DateTime, NaiveDate, Utc};

/// Now, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0).unwrap_or_default()
    }
}

/// Offset of the user's time zone east of UTC at `t`, in minutes (Paris: 60 or 120).
pub fn offset_minutes(t: DateTime<Utc>) -> i32 {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
        -(d.get_timezone_offset() as i32)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = t;
        0
    }
}

/// Today in the user's time zone.
pub fn today() -> NaiveDate {
    let n = now();
    (n.naive_utc() + chrono::Duration::minutes(i64::from(offset_minutes(n)))).date()
}

/// Reads a value of `sessionStorage` (never used for tokens).
pub fn session_get(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.session_storage().ok().flatten())
            .and_then(|s| s.get_item(key).ok().flatten())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

pub fn session_set(key: &str, value: Option<&str>) {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = match value {
                Some(v) => s.set_item(key, v),
                None => s.remove_item(key),
            };
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (key, value);
    }
}

/// Sets the page title: "Page – SAS".
pub fn set_title(page: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&format!("{page} – SAS"));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = page;
    }
}

/// Saves `text` as a file named `name` (a CSV the app fetched with the session): a link to
/// its `data:` address, clicked.
pub fn save_text(name: &str, mime: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let href = format!(
            "data:{mime};charset=utf-8,{}",
            crate::logic::query::encode(text)
        );
        if let Some(a) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
        {
            let _ = a.set_attribute("href", &href);
            let _ = a.set_attribute("download", name);
            if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
                a.click();
            }
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, mime, text);
    }
}

/// Moves the keyboard focus to the element with this id (and scrolls it into view).
pub fn focus(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
            el.scroll_into_view();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = id;
    }
}

/// On navigation: back to the top of the page, focus on its heading (announced by screen
/// readers).
pub fn focus_page_heading(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(w) = web_sys::window() {
            if let Some(el) = w
                .document()
                .and_then(|d| d.get_element_by_id(id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = id;
    }
}

/// Milliseconds since navigation start (for the first-render measurement).
pub fn since_start_ms() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Whether a cookie readable by JavaScript is set (the session hint `sas_session`: the refresh
/// token itself is HttpOnly and never visible here).
pub fn has_cookie(name: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .is_some_and(|c| crate::logic::password::cookie_set(&c, name))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = name;
        false
    }
}

/// The token of a password link, from the page's fragment (`#jeton=…`): the fragment never
/// reaches a server, nor a `Referer`.
pub fn link_token() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let hash = web_sys::window()?.location().hash().ok()?;
        crate::logic::password::token_from_fragment(&hash)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

//! Entry point of the wasm build (`trunk build`); on the host it does nothing, so that
//! `cargo test` and `cargo clippy --all-targets` cover the crate natively.
fn main() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<sas_frontend::app::App>::new().render();
}

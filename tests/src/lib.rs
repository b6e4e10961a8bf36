//! Black-box tests live under `tests/api/` (see `Cargo.toml`).

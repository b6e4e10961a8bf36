#!/usr/bin/env bash
# Builds the API binary target/debug/sas (extra arguments go to cargo).
#
# It selects the whole workspace with its test targets, as `cargo test --workspace` and
# `cargo clippy --all-targets` do, so that all three resolve the dependencies' features the
# same way and share one build of them: after `cargo test --workspace` this only links. A plain
# `cargo build -p sas-api --bin sas` resolves features for sas-api alone and recompiles some
# 200 dependencies (about 100-230 s on the 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo build --workspace --bins --tests "$@"

# syntax=docker/dockerfile:1
# Multi-stage build of the SAS API: a Rust builder, then a slim Debian runtime holding only the
# `sas` binary (migrations and reference data are embedded in it) and libpq.
#   docker build -t sas-api .
#   docker run --rm -e DATABASE_URL=... -e SAS_JWT_SECRET=... -p 8080:8080 sas-api
# The builder and the runtime share a Debian release (bookworm), so glibc and libpq match.

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the build reads: the whole workspace must be present for cargo to load it.
COPY Cargo.toml Cargo.lock ./
COPY api-types api-types
COPY api api
COPY tests tests
# The SPA crate is a workspace member too (not built here): its manifest and sources suffice.
COPY frontend/Cargo.toml frontend/Cargo.toml
COPY frontend/src frontend/src
COPY migrations migrations
COPY data data
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p sas-api --bin sas \
    && install -m 0755 target/release/sas /usr/local/bin/sas

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sas \
    && useradd --system --uid 10001 --gid sas --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin sas
COPY --from=builder /usr/local/bin/sas /usr/local/bin/sas
ENV SAS_ENV=prod \
    SAS_BIND=0.0.0.0:8080 \
    RUST_LOG=info
USER sas:sas
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health/ready"]
CMD ["sas", "serve"]

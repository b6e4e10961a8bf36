# SAS developer entry points. `make test` and `make run` work from a fresh clone on a Debian
# machine (root for the apt-get installs of scripts/setup.sh).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

SAS := target/debug/sas

# step NAME CMD...: runs CMD, then prints how long it took.
define STEP
step() {
	local name="$$1" t0=$$SECONDS; shift
	printf '\n==> %s\n' "$$name"
	"$$@" || { printf '<== %s: FAILED (%d s)\n' "$$name" $$((SECONDS - t0)); return 1; }
	printf '<== %s: ok (%d s)\n' "$$name" $$((SECONDS - t0))
}
endef

.PHONY: help setup db build frontend run test fresh e2e fuzz bench openapi communes clean-db

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-10s %s\n", $$1, $$2 }'

setup: ## Install the toolchain pieces (rustfmt, clippy, psql, Postgres, .venv tools)
	@scripts/setup.sh

db: ## Start the local database if needed and print its DATABASE_URL
	@scripts/db.sh

build: ## Build the API binary (target/debug/sas), sharing its dependencies with cargo test
	@scripts/build-server.sh

frontend: ## Install the SPA toolchain if needed and build the SPA into frontend/dist
	@scripts/frontend-setup.sh
	scripts/frontend-build.sh

run: setup build frontend ## Migrate, seed the demo data and serve on SAS_BIND (default 127.0.0.1:8080)
	@export DATABASE_URL="$$(scripts/db.sh)"
	export SAS_ENV=dev
	export SAS_BIND="$${SAS_BIND:-127.0.0.1:8080}"
	if [ -z "$${SAS_STATIC_DIR:-}" ] && [ -d frontend/dist ]; then export SAS_STATIC_DIR=frontend/dist; fi
	export SAS_PUBLIC_URL="$${SAS_PUBLIC_URL:-http://$$SAS_BIND}"
	# Mails go to the local catcher (MailDev) unless SAS_SMTP_URL says otherwise.
	if [ -z "$${SAS_SMTP_URL:-}" ]; then export SAS_SMTP_URL="$$(scripts/mail-catcher.sh start)"; fi
	$(SAS) migrate
	$(SAS) seed-demo
	echo "SAS: http://$$SAS_BIND  (API under /api/v1, health /health/ready$${SAS_STATIC_DIR:+, SPA from $$SAS_STATIC_DIR})"
	echo "Mails of the demo: http://127.0.0.1:$${SAS_MAIL_CATCHER_WEB_PORT:-1080}  (SMTP $$SAS_SMTP_URL)"
	exec $(SAS) serve

test: ## Setup, format, lint, unit + black-box tests, then the API contract checks
	@$(STEP)
	start=$$SECONDS
	step "setup" scripts/setup.sh
	step "database" scripts/db.sh
	export DATABASE_URL="$$(scripts/db.sh 2>/dev/null)"
	step "cargo fmt --check" cargo fmt --all -- --check
	step "cargo clippy" cargo clippy --all-targets -- -D warnings
	step "cargo test" cargo test --workspace
	step "build $(SAS)" scripts/build-server.sh
	step "api checks" scripts/api-checks.sh
	step "frontend setup" scripts/frontend-setup.sh
	step "frontend build" scripts/frontend-build.sh
	step "browser tests" scripts/e2e.sh
	printf '\nmake test: all steps passed (%d s)\n' $$((SECONDS - start))

fresh: ## Time `make test` of HEAD as on a new machine (docs/step-times.md)
	@scripts/fresh-make-test.sh

e2e: setup build frontend ## The browser tests alone (Playwright + Debian's Chromium)
	@export DATABASE_URL="$$(scripts/db.sh)"
	scripts/e2e.sh

fuzz: setup build ## The API checks with 200 schemathesis examples per operation
	@SCHEMATHESIS_MAX_EXAMPLES="$${SCHEMATHESIS_MAX_EXAMPLES:-200}" scripts/api-checks.sh

bench: setup ## Benchmarks on a release build: 1,000,000 referrals, the API against pgbench, the jobs' throughput, 100,000 services searched, imported and matched, the steering's figures over 1,000,000 referrals (writes docs/PERFORMANCE.md)
	@cargo build --release -p sas-api --bin sas --example bench_sql --example offer_sql
	export DATABASE_URL="$$(scripts/db.sh)"
	.venv/bin/python scripts/bench-referrals.py target/release/sas target/release/examples/bench_sql
	.venv/bin/python scripts/bench-jobs.py target/release/sas
	.venv/bin/python scripts/bench-offer.py target/release/sas target/release/examples/offer_sql
	.venv/bin/python scripts/bench-import.py target/release/sas
	.venv/bin/python scripts/bench-matching.py target/release/sas
	.venv/bin/python scripts/bench-stats.py target/release/sas

openapi: build ## Regenerate the committed openapi.yaml from the code
	@$(SAS) openapi openapi.yaml
	echo "openapi.yaml regenerated"

communes: ## Rebuild data/communes.csv from the npm open-data packages
	@npm ci --prefix scripts/communes
	node scripts/communes/build.mjs

clean-db: ## Stop the local database cluster and delete its data
	@scripts/db.sh stop
	dir="$$(scripts/db.sh path)"
	rm -rf .pgdata "$$dir"
	echo "removed $$dir"

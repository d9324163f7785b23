# Gongkao: every task a developer needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=
# Branch coverage of gongkao; fails under [tool.coverage.report] fail_under.
# `make test COV= ARGS="-k login"` runs a few tests without the gate.
COV ?= --cov=gongkao --cov-branch --cov-report=term:skip-covered
# gunicorn workers of `make serve` (gunicorn itself also reads WEB_CONCURRENCY).
WEB_CONCURRENCY ?= 2
# PostgreSQL used by `make test-postgres` / `make ci` (the machine's local server).
PG_ENV := DB=postgres DB_HOST=$${DB_HOST:-127.0.0.1} DB_PORT=$${DB_PORT:-5432} DB_USER=$${DB_USER:-postgres} DB_NAME=$${DB_NAME:-gongkao}
# Debian packages the application needs (the Noto CJK fonts that typst embeds
# in every PDF; the typst wheel ships the compiler itself) and, for the tests,
# Chromium, poppler-utils and nginx (the two-process test of tests/deploy/ puts
# it in front of gunicorn; only that test runs it, on loopback ports).
RUNTIME_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := $(RUNTIME_PACKAGES) chromium poppler-utils nginx

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed-runtime: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.lock
	$(PIP) install -q --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.lock
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.lock
	@touch $@

.PHONY: install
install: $(VENV)/.installed-dev ## Create .venv and install the locked dependencies (with dev tools)

.PHONY: install-runtime
install-runtime: $(VENV)/.installed-runtime ## Create .venv with the runtime dependencies only (production, docs/deploy.md)

.env:
	@echo "Writing .env with a fresh local development key (not for production)."
	@{ echo "# Local development settings written by 'make'. See .env.example."; \
	   echo "DEBUG=true"; \
	   echo "FIELD_ENCRYPTION_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_hex(32))')"; } > .env

# `make serve` runs with DEBUG off, which needs a real SECRET_KEY: keep one in
# .env (an older .env has none), so sessions outlive a restart.
.PHONY: secret-key
secret-key: .env
	@grep -q '^SECRET_KEY=.' .env || { \
	  echo "Adding a local SECRET_KEY to .env."; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env; }

.PHONY: migrate
migrate: $(VENV)/.installed-runtime .env ## Apply database migrations (and create the cache table)
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py createcachetable

.PHONY: seed
seed: migrate ## Seed the 2025 Jiaozuo demo campaign (idempotent) and print the demo accounts
	$(PY) manage.py seed_demo

# What `make run` changes from .env: the demo runs with DEBUG off, so a newcomer
# sees the real Chinese 404/403/500 pages; WhiteNoise serves the collected
# static files from the same process, on plain HTTP (no Secure cookies).
RUN_ENV := DEBUG=false SECURE_COOKIES=false

.PHONY: run
run: seed secret-key ## Install, migrate, seed the demo and serve it on http://127.0.0.1:8000 (SQLite, DEBUG off) with a task worker
	@$(MAKE) --no-print-directory runtime-deps || echo "Warning: without fonts-noto-cjk, PDFs (rosters, circulars) cannot be generated."
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v0
	@echo "Serving on http://$(HOST):$(PORT)/ with a background task worker beside it (Ctrl-C stops both)"
	@# The worker runs in its own process group (setsid), so that the trap
	@# stops it and its autoreloader when the server stops, however it stops.
	@$(RUN_ENV) setsid $(PY) manage.py db_worker & worker=$$!; \
	  trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  trap 'exit 130' INT; trap 'exit 143' TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# What `make serve` changes from .env: production mode on plain HTTP (no TLS on
# loopback, so cookies cannot be Secure) and gunicorn's address and workers.
SERVE_ENV := DEBUG=false SECURE_COOKIES=false GUNICORN_BIND=$(HOST):$(PORT) WEB_CONCURRENCY=$(WEB_CONCURRENCY) DB_POOL=$${DB_POOL:-true}

.PHONY: serve
serve: migrate secret-key ## Serve as production does: gunicorn (WEB_CONCURRENCY workers, 2) on http://127.0.0.1:8000, PostgreSQL if configured, a task worker
	@$(MAKE) --no-print-directory runtime-deps || echo "Warning: without fonts-noto-cjk, PDFs (rosters, circulars) cannot be generated."
	@engine=$$($(SERVE_ENV) $(PY) -c 'from gongkao import settings; print(settings.DATABASES["default"]["ENGINE"])') || exit 1; \
	  case $$engine in *postgresql) echo "Database: PostgreSQL (connection pool: $${DB_POOL:-true}).";; \
	  *) echo "Warning: serving from SQLite. Production uses PostgreSQL: set DB=postgres (and DB_*) or DATABASE_URL, see docs/deploy.md.";; esac
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input -v0
	@echo "Serving on http://$(HOST):$(PORT)/ with gunicorn ($(WEB_CONCURRENCY) workers) and a background task worker (Ctrl-C stops both)"
	@# As in `make run`: the worker has its own process group, stopped by the trap.
	@$(SERVE_ENV) setsid $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  trap 'exit 130' INT; trap 'exit 143' TERM; \
	  $(SERVE_ENV) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

.PHONY: worker
worker: migrate ## Run the background task worker alone (manage.py db_worker)
	$(PY) manage.py db_worker

.PHONY: runtime-deps
runtime-deps: ## Install the CJK fonts that PDFs need (Debian, as root) or say what is missing
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(RUNTIME_PACKAGES)"

.PHONY: system-deps
system-deps: ## Also install Chromium, poppler and nginx for the tests (Debian, as root) or say what is missing
	@$(MAKE) --no-print-directory apt-packages PACKAGES="$(TEST_PACKAGES)"

.PHONY: apt-packages
apt-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "The tests need these Debian packages:$$missing"; \
	  echo "Install them with:  sudo apt-get install -y$$missing"; exit 1; \
	fi

.PHONY: test
test: install system-deps ## Run the whole test suite on SQLite with the coverage gate (ARGS=... passes options to pytest)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(COV) $(ARGS)

.PHONY: test-postgres
test-postgres: install system-deps ## Run the whole test suite on PostgreSQL with the coverage gate
	$(PG_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(COV) $(ARGS)

.PHONY: fmt
fmt: install ## Format and auto-fix the code
	$(VENV)/bin/ruff format gongkao tests bench deploy
	$(VENV)/bin/ruff check --fix gongkao tests bench deploy

.PHONY: lint
lint: install ## Check formatting, lint and types
	$(VENV)/bin/ruff format --check gongkao tests bench deploy
	$(VENV)/bin/ruff check gongkao tests bench deploy
	$(VENV)/bin/mypy gongkao tests bench

.PHONY: migrations-check
migrations-check: install .env ## Fail if a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run -v1

.PHONY: ci
ci: lint migrations-check ## What CI runs: lint, migrations check, tests on SQLite and PostgreSQL
	$(MAKE) test ARGS="$(ARGS) --junitxml=.ci-results/sqlite.xml"
	$(MAKE) test-postgres ARGS="$(ARGS) --junitxml=.ci-results/postgres.xml"

# `make bench` runs bench/cbt_load.py smaller than its default of 2,000
# candidates, so that it stays within about two minutes; `make bench-cbt` runs
# the full size.
CBT_BENCH_ARGS ?= --candidates 200 --duration 30

.PHONY: bench
bench: install ## Run the benchmarks under bench/ and print their figures
	@for b in bench/*.py; do \
	  case $$b in bench/scale*) continue;; bench/cbt_load.py) args="$(CBT_BENCH_ARGS)";; *) args="";; esac; \
	  echo "== $$b $$args"; $(PY) $$b $$args || exit 1; done

.PHONY: bench-cbt
bench-cbt: install ## The computer-based test under load: 2,000 candidates on gunicorn and PostgreSQL (ARGS="--think 5 --duration 60")
	$(PY) bench/cbt_load.py $(ARGS)

# SCALE_N applications (default 100,000) in their own PostgreSQL database
# (DB_NAME, default gk_scale), built once and kept; see bench/scale.py.
.PHONY: bench-scale
bench-scale: install ## Every page and the submission surge at province scale on PostgreSQL (SCALE_N=100000)
	$(PY) bench/scale.py

.PHONY: clean
clean: ## Remove the virtualenv, caches and the SQLite database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .ci-results db.sqlite3* test-output

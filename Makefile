# OpenQI: `make run` serves the demo; `make test` runs every check. Both do their own set-up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := OPENQI_DEBUG=1
DEMO_ADDR ?= 127.0.0.1:8000
# Links in e-mails sent without a request (the task worker) point at the address actually serving the demo.
RUN_ENV = $(DEV_ENV) OPENQI_SITE_URL=$(or $(OPENQI_SITE_URL),http://$(DEMO_ADDR))

.PHONY: pdf-deps run test lint typecheck migrations-check unit browser bench bench-scale scale-check scale-deps wrk install install-dev browser-deps ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The SPC engine is a distribution of its own (packages/openqi-spc); the app depends on it by name.
$(VENV)/.installed: pyproject.toml packages/openqi-spc/pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e packages/openqi-spc
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml packages/openqi-spc/pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e packages/openqi-spc
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

$(VENV)/.installed-bench: pyproject.toml packages/openqi-spc/pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e packages/openqi-spc
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $@

install: $(VENV)/.installed pdf-deps
install-dev: $(VENV)/.installed-dev pdf-deps

# WeasyPrint (PDF exports) draws text with Debian's pango.
pdf-deps:
	@if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's pango for PDF exports"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	else echo "ERROR: pango is missing; install Debian's libpango-1.0-0 and libpangoft2-1.0-0 (sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0)"; exit 1; fi

run: install
	@mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "OpenQI is starting at http://$(DEMO_ADDR)"
	@echo "Sign in with a demo address, for example:"
	@echo "  qi.admin@northshire.nhs.uk      (QI team admin, improvement advisor)"
	@echo "  coach@northshire.nhs.uk         (QI coach)"
	@echo "  sam.taylor.partner@example.com  (service-user partner, non-NHS e-mail)"
	@echo "The one-time sign-in code is printed in this console (e-mail goes to the console in development)."
	@echo "The task worker (invitation e-mails, chart drawing) runs alongside the web server; Ctrl-C stops both."
	@echo
# The worker runs in its own process group (set -m), so that however the web server ends (Ctrl-C, an error)
# the trap stops the worker and its reloader's child with it.
	set -m; $(RUN_ENV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(RUN_ENV) $(PY) manage.py runserver $(DEMO_ADDR)

# Debian's chromium drives the browser tests (Playwright's own browser download cannot work here).
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "ERROR: /usr/bin/chromium is missing; install Debian's chromium package (sudo apt-get install chromium)"; exit 1; fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(DEV_ENV) $(BIN)/mypy openqi packages/openqi-spc/src

migrations-check: install-dev
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

unit: install-dev
	$(BIN)/pytest -m "not browser" -q

browser: install-dev browser-deps
	$(BIN)/pytest -m browser -q

test: lint typecheck migrations-check unit browser

bench: $(VENV)/.installed-bench
	$(PY) bench/spc_bench.py
	$(PY) bench/chart_bench.py
	$(DEV_ENV) $(PY) bench/page_bench.py
	$(PY) bench/api_bench.py
	$(PY) bench/guard_bench.py
	$(DEV_ENV) $(PY) bench/learning_bench.py
	$(DEV_ENV) $(PY) bench/coaching_bench.py
	$(DEV_ENV) $(PY) bench/signal_scan_bench.py

# A large trust (5,000 projects, 1.36 million data points) served by gunicorn, measured at 1 and 50 users.
# PostgreSQL when DATABASE_URL is set: its 'scale' organisation is dropped and rebuilt. Otherwise SQLite in
# var/. Options: make bench-scale BENCH_SCALE_ARGS="--scale small" (or --reuse, --pages search,list).
bench-scale: $(VENV)/.installed-bench wrk
	$(PY) bench/scale_bench.py $(BENCH_SCALE_ARGS)

# The load client of bench-scale: Debian's wrk, installed as root when missing.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = "0" ]; then echo "Installing Debian's wrk for bench-scale"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "ERROR: wrk is missing; install Debian's wrk (sudo apt-get install wrk)"; exit 1; fi; }

# deploy/compose.yaml's topology as processes on this machine (deploy/README.md): PostgreSQL, Redis, S3 (moto),
# two gunicorn web processes and two workers behind Debian's haproxy, and a journey through it. Not part of
# `make test`: it takes a minute or two. Options: make scale-check SCALE_CHECK_ARGS="--load-seconds 5 --keep".
scale-check: install-dev scale-deps
	$(PY) deploy/scale_check.py $(SCALE_CHECK_ARGS)

# Debian's haproxy and redis-server, and a running PostgreSQL at 127.0.0.1:5432 (as .ci/run starts it).
scale-deps:
	@missing=""; for program in haproxy redis-server; do command -v $$program >/dev/null || missing="$$missing $$program"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's$$missing for the scale-check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy redis-server >/dev/null; \
	else echo "ERROR: missing$$missing; install Debian's haproxy and redis-server (sudo apt-get install haproxy redis-server)"; exit 1; fi
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  if ! command -v pg_ctlcluster >/dev/null && [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's postgresql for the scale-check"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  fi; \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | sort -V | tail -1)" main start || true; \
	  for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi; \
	pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { echo "ERROR: no PostgreSQL at 127.0.0.1:5432"; exit 1; }

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

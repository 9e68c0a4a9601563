# OpenQI: `make run` serves the demo; `make test` runs every check. Both do their own set-up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := OPENQI_DEBUG=1
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: run test lint typecheck migrations-check unit browser bench install install-dev browser-deps ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

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
	@echo
	$(DEV_ENV) $(PY) manage.py runserver $(DEMO_ADDR)

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
	$(DEV_ENV) $(BIN)/mypy openqi

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

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_COMPILE_BYTECODE := 1
export UV_PYTHON := $(PYTHON)

VENDOR := frontend/static/vendor

.PHONY: help install run test lint services clean chromium

help:
	@echo "make run    start the platform with demo data on http://127.0.0.1:8000"
	@echo "make test   run every test (unit, SQLite and PostgreSQL, e-mail, ...)"
	@echo "make lint   ruff, ruff format --check, mypy --strict, import-linter"
	@echo "make install  set up .venv, npm packages and the database only"

$(BIN)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	$(PYTHON) -m uv sync --frozen
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

$(VENDOR)/.copied: frontend/node_modules/.installed Makefile
	mkdir -p $(VENDOR)
	cp frontend/node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht-components.css
	cp frontend/node_modules/@utrecht/design-tokens/dist/index.css $(VENDOR)/utrecht-tokens.css
	cp frontend/node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld-tokens.css
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	mkdir -p $(VENDOR)/swagger-ui
	cp frontend/node_modules/swagger-ui-dist/swagger-ui.css frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js $(VENDOR)/swagger-ui/
	mkdir -p $(VENDOR)/fonts
	cp frontend/node_modules/@fontsource-variable/noto-sans/files/noto-sans-latin-wght-normal.woff2 $(VENDOR)/fonts/
	@touch $@

install: $(BIN)/.installed $(VENDOR)/.copied
	$(BIN)/buurtbudget db upgrade

run: install
	$(BIN)/buurtbudget demo load
	BUURTBUDGET_DEMO=true BUURTBUDGET_WORKER_IN_PROCESS=true $(BIN)/buurtbudget serve --host 127.0.0.1 --port 8000

services:
	@tests/services.sh

# The browser tests drive Debian's Chromium; Playwright never downloads a browser.
chromium:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: install services chromium
	$(BIN)/pytest -n auto --dist loadfile

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) frontend/node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache

# Kring: `make run` serves the demo, `make test` runs the whole suite. Both set up from nothing.

PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
OS_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
	poppler-utils postgresql chromium chromium-driver redis-server

.PHONY: run test lint format bench os-packages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

CATALOGS := rom/translations/en/LC_MESSAGES/messages.mo

rom/translations/%/LC_MESSAGES/messages.mo: rom/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel --quiet compile -d rom/translations

run: $(VENV)/.installed $(CATALOGS)
	$(BIN)/flask db upgrade
	$(BIN)/flask rom demo --if-empty
	@echo "Starting the scheduler (one process; it plans and delivers messages) and the web server."
	trap 'kill 0' EXIT; ROM_CONSOLE_MESSAGES=true $(BIN)/flask rom scheduler & $(BIN)/flask run --host 127.0.0.1 --port 5000

os-packages:
	@missing=""; for p in $(OS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "OS packages present"; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Not root: missing OS packages$$missing; their tests will be skipped (outside CI)"; fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/axe/package.json
	npm install --prefix tests/browser/axe --no-audit --no-fund --silent

OIDC_PROVIDER := tests/oidc/node_modules/oidc-provider/package.json

$(OIDC_PROVIDER): tests/oidc/package.json
	npm ci --prefix tests/oidc --no-audit --no-fund --silent

FHIR_READERS := tests/fhir_readers/node_modules/lforms/package.json

$(FHIR_READERS): tests/fhir_readers/package.json
	npm ci --prefix tests/fhir_readers --no-audit --no-fund --silent

test: $(VENV)/.installed-test $(CATALOGS) os-packages $(AXE) $(OIDC_PROVIDER) $(FHIR_READERS) lint
	$(BIN)/pytest -n auto  # pytest-xdist: one worker per core (two in CI)

bench: $(VENV)/.installed-test $(CATALOGS)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

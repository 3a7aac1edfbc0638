# Tisser — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Two installs: what running needs (pyproject's dependencies), then the test and development
# tools (the [dev] extra) that only `make test` and its steps need.
STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
ROME_SOURCE ?= $(abspath ../shared/data/rome-v460)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and calendar files point at the server `make run` starts: the settings
# build SITE_URL from TISSER_HOST and TISSER_PORT unless SITE_URL is set (ADR 0028).
TISSER_HOST := $(HOST)
TISSER_PORT := $(PORT)
export ROME_SOURCE TISSER_HOST TISSER_PORT

.PHONY: run test install install-dev lint format pytest setup-db bench constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"

# Reinstall only when the dependencies change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

setup-db: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_rome
	$(BIN)/python manage.py seed_demo

# The web server, the task worker (emails, reminders, peer-group formations) and the
# scheduler that queues them;
# Ctrl+C stops all three.
run: setup-db
	@echo "Tisser démarre sur http://$(HOST):$(PORT)/ avec son worker de tâches (Ctrl+C pour arrêter)"
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(BIN)/python manage.py tisser_worker --queue-name default & \
	$(BIN)/python manage.py notifications_run & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint tisser/templates --lint
	$(BIN)/mypy
	$(BIN)/lint-imports
	env -u TEST_DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	env -u TEST_DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint tisser/templates --reformat

# The suite runs on every core (pytest-xdist) in a random order (pytest-randomly prints its
# seed at the top: replay an order with `-p randomly --randomly-seed=N`, or keep the written
# order with `-p no:randomly`), and lists its slowest tests, timed with the real clock.
# A random sample of test files (browser journeys aside: each is minutes long alone) also runs
# each file alone (tests/alone.py).
# On PostgreSQL the browser journeys (marker e2e) are left out: they drive the same views the
# rest of the suite already runs against PostgreSQL, and take a tenth of CI's 30 minutes.
# --dist loadfile: the tests of a file run together on one worker, so the files that commit a
# référentiel for their module (tests/referentiel, tests/bilans/test_suggestions.py…) do not
# show it to another file's tests running meanwhile.
PYTEST_ARGS ?= -n auto --dist loadfile --durations=20
ALONE_SAMPLE ?= 5

pytest: install-dev node_modules/.installed
	env -u TEST_DATABASE_URL $(BIN)/python tests/alone.py --sample $(ALONE_SAMPLE) --without-browser
	env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== Same suite on PostgreSQL ($$TEST_DATABASE_URL), browser journeys aside"; \
		$(BIN)/pytest $(PYTEST_ARGS) -m "not e2e"; \
	fi

test: lint pytest

bench: install
	$(BIN)/python bench/rome_import.py
	$(BIN)/python bench/metier_search.py

# Regenerate the lock of exact versions after changing pyproject.toml.
constraints: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^tisser' > constraints.txt

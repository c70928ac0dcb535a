# InjectTool: `make run` serves it, `make test` tests it. Both start from a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: vendor run test stack lint format docs bench stop clean

$(PY):
	@echo "==> creating the virtual environment in $(VENV) with $(PYTHON)"
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "InjectTool needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	@echo "==> installing InjectTool and its dependencies"
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-run
	@echo "==> installing the test and documentation tools"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed-run
	@echo "==> migrating the database (embedded PostgreSQL in django_data/ unless DATABASE_URL is set)"
	$(PY) manage.py migrate --no-input
	@echo "==> seeding the dictionaries and the ontology terms"
	$(PY) manage.py seed_dictionaries
	$(PY) manage.py terms_seed
	@echo "==> collecting static files"
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "==> checking for an admin account"
	$(PY) manage.py ensure_admin
	@echo "==> starting daphne, a Celery worker and Celery beat on http://127.0.0.1:$(PORT)/"
	$(PY) -m injecttool.runner --port $(PORT)

stack: $(VENV)/.installed-run
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_dictionaries
	$(PY) manage.py terms_seed
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py ensure_admin
	$(PY) -m injecttool.stack --port $(PORT)

test: $(VENV)/.installed-dev
	@echo "==> lint (ruff)"
	$(VENV)/bin/ruff check .
	@echo "==> tests (pytest; each run has its own throwaway PostgreSQL and Redis)"
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

docs: $(VENV)/.installed-dev
	@echo "==> building the documentation (warnings are errors)"
	$(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

bench: $(VENV)/.installed-dev
	@echo "==> benchmark on a throwaway instance (its own PostgreSQL and Redis, removed afterwards)"
	DJANGO_SETTINGS_MODULE=injecttool.settings.test $(PY) manage.py bench $(BENCH_ARGS)

stop: $(VENV)/.installed-run
	$(PY) manage.py embedded stop

# Browser libraries, copied from the npm registry into the static files (committed; no CDN).
CHARTJS_VERSION := 4.5.1
TOMSELECT_VERSION := 2.4.3
VENDOR := injecttool/static/vendor
vendor:
	rm -rf .vendor && mkdir -p .vendor
	cd .vendor && npm pack --silent chart.js@$(CHARTJS_VERSION) tom-select@$(TOMSELECT_VERSION)
	mkdir -p .vendor/chart.js .vendor/tom-select $(VENDOR)/chart.js $(VENDOR)/tom-select
	tar xzf .vendor/chart.js-$(CHARTJS_VERSION).tgz -C .vendor/chart.js
	tar xzf .vendor/tom-select-$(TOMSELECT_VERSION).tgz -C .vendor/tom-select
	cp .vendor/chart.js/package/dist/chart.umd.min.js .vendor/chart.js/package/LICENSE.md $(VENDOR)/chart.js/
	cp .vendor/tom-select/package/dist/js/tom-select.complete.min.js \
	   .vendor/tom-select/package/dist/css/tom-select.bootstrap5.min.css \
	   .vendor/tom-select/package/LICENSE $(VENDOR)/tom-select/
	# The source maps are not shipped: drop the comments that point at them (the static
	# files' manifest would look for them).
	sed -i '/^\/\/# sourceMappingURL=/d; s#/\*\# sourceMappingURL=[^*]*\*/##' \
	   $(VENDOR)/chart.js/chart.umd.min.js $(VENDOR)/tom-select/*.min.*
	rm -rf .vendor

clean:
	rm -rf docs/_build test-artifacts .pytest_cache

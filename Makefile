# Participe — every set-up step a newcomer needs, idempotent.
#   make demo   run the platform with demo data on http://127.0.0.1:8000 (SQLite)
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PYTEST_WORKERS ?= 2
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := participe.settings

.PHONY: totp demo geocoder test install node system-test-deps system-gettext system-pdf messages messages-update migrate serve lint typecheck clean worker

install: $(STAMP) node_modules/.installed-all system-pdf

# uv (from PyPI, its version pinned in constraints.txt) installs the pinned packages in parallel: a fresh clone
# serves the demo within a minute (README). The demo needs only the runtime packages (base.in) and the front-end
# packages the pages load (npm's dependencies, not axe-core); `make test` adds the rest.
UV := $(BIN)/uv
UV_INSTALL = VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --python $(BIN)/python -c requirements/constraints.txt
BASE_STAMP := $(VENV)/.installed-base

$(UV):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Installez python3-venv (apt-get install python3-venv) puis relancez."; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check "$$(grep '^uv==' requirements/constraints.txt)"

$(BASE_STAMP): requirements/base.in requirements/constraints.txt | $(UV)
	$(UV_INSTALL) -r requirements/base.in
	@touch $@

$(STAMP): requirements/base.in requirements/dev.in requirements/constraints.txt | $(UV)
	$(UV_INSTALL) -r requirements/dev.in
	@touch $@ $(BASE_STAMP)

# Its own mark, not npm's node_modules/.package-lock.json, which the demo's install without the test tools also writes.
node_modules/.installed-all: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@ node_modules/.demo-installed

# What the pages load (htmx, Leaflet and its plugins), without the test tools.
node_modules/.demo-installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

node: node_modules/.installed-all

# Every catalogue (the project's and each app's locale/, docs/translations.md) compiled to its .mo.
messages: $(BASE_STAMP)
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages_po

# Re-extract each app's strings into its own catalogue (GNU gettext), keeping the translations made.
messages-update: $(STAMP) system-gettext
	DJANGO_DEBUG=1 $(BIN)/python manage.py messages_update
	-DJANGO_DEBUG=1 $(BIN)/python manage.py check_translations  # lists what is left to translate

migrate: $(BASE_STAMP) node_modules/.demo-installed system-pdf messages
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py createcachetable

# The demo's address (emails, notification and unsubscribe links, exports) is the one it is served on.
# One Python process compiles the catalogues, migrates and loads the demo (load_demo --prepare); the server skips
# the checks that process already ran.
demo: $(BASE_STAMP) node_modules/.demo-installed system-pdf
	DJANGO_DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py load_demo --prepare --url http://$(HOST):$(PORT)/
	DJANGO_DEBUG=1 SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver --skip-checks $(HOST):$(PORT)

# The local geocoder (addok over Redis, the demo territory's addresses) on 127.0.0.1:7878; then, in another
# terminal, PARTICIPE_GEOCODER_URL=http://127.0.0.1:7878 make demo (docs/modules/signalements.md « Geocoder »).
geocoder: $(STAMP)
	bash deploy/addok/run.sh

worker: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker

# WeasyPrint (the bilan's PDF) renders with Pango, a system library (Debian's libpango-1.0-0, libpangoft2-1.0-0).
system-pdf:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { echo "Installation de Pango pour les PDF (paquets Debian)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }

# The browser tests drive Debian's Chromium (or the one PARTICIPE_CHROMIUM names); nothing downloads a browser.
system-test-deps: system-gettext
	@[ -x "$$PARTICIPE_CHROMIUM" ] || command -v chromium >/dev/null || { echo "Installation de Chromium (paquet Debian)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@# systemd-analyze checks the deployment's units (tests/test_deploy_units.py); Debian's systemd package has it.
	@command -v systemd-analyze >/dev/null || { echo "Installation de systemd-analyze (paquet Debian systemd)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd; }
	@# The local geocoder's tests run a real addok over Redis (participe/modules/signalements/tests/test_addok.py).
	@command -v redis-server >/dev/null || { echo "Installation de Redis (paquet Debian redis-server)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

# GNU gettext (xgettext, msgmerge): messages-update extracts with it, and so does the test comparing each app's
# strings with its catalogue.
system-gettext:
	@command -v xgettext >/dev/null && command -v msgmerge >/dev/null || { echo "Installation de gettext (paquet Debian)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

test: install system-test-deps messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	PARTICIPE_TESTING=1 $(BIN)/python manage.py check --fail-level WARNING
	PARTICIPE_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=participe.settings_test $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules var

totp: $(BASE_STAMP)
	@DJANGO_DEBUG=1 $(BIN)/python manage.py demo_totp

# Measurement and audits (docs/benchmarks.md). Sizes and options through SEED_ARGS, BENCH_ARGS, AUDIT_ARGS;
# the load test's database is BENCH_DATABASE_URL (default: a SQLite file in var/bench/).
.PHONY: seed-volume bench bench-capacity system-bench-deps audit audit-short
SEED_ARGS ?= --accounts 100000 --spaces 2000 --contributions 400000
BENCH_ARGS ?=
CAPACITY_ARGS ?=
AUDIT_ARGS ?=

seed-volume: install messages
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_volume $(SEED_ARGS)

bench: install messages system-bench-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The open-model capacity run (docs/benchmarks.md « Capacity »): constant arrival rates stepped up, wrk for the
# anonymous readers, on BENCH_DATABASE_URL holding a seed_volume volume and its manifest.
bench-capacity: install messages system-bench-deps
	$(BIN)/python bench/capacity.py $(CAPACITY_ARGS)

# wrk (Debian package) sends the anonymous part of the capacity run: a load generator in C that leaves the two
# cores to the platform.
system-bench-deps:
	@command -v wrk >/dev/null || { echo "Installation de wrk (paquet Debian)…"; $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

audit: install system-test-deps messages
	$(BIN)/python -m audit $(AUDIT_ARGS)

audit-short: install system-test-deps messages
	$(BIN)/python -m audit --short $(AUDIT_ARGS)

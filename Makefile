# Two commands for a fresh clone: `make run` and `make test`. The other targets are their steps.
# Every step leaves a stamp, so a second `make run` only migrates and starts the server.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

PYTHON_VERSION := $(shell cut -d. -f1,2 .python-version)
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# The local demo: debug pages, no TOTP for staff.
DEMO_ENV := DEBUG=1 REQUIRE_STAFF_2FA=0

PO_FILES := $(shell find bfe -name '*.po' -path '*/LC_MESSAGES/*' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test bench deps system-libs browser wrk messages translations migrate demo-data lint lint-imports format clean

## run: install everything, migrate, load demo data once, serve http://localhost:8000 with a worker
run: deps messages migrate demo-data
	@echo "BfE läuft auf http://$(ADDR)/ – Demo-Logins im README (Passwort: demo). Strg+C beendet."
	@# The workers reload on code changes like runserver; their own process groups end with it.
	@# One per queue: reading a large file (queue "extraction") never holds up e-mails.
	@$(DEMO_ENV) setsid $(PY) manage.py db_worker --queue-name default & worker=$$!; \
	$(DEMO_ENV) setsid $(PY) manage.py db_worker --queue-name extraction & reader=$$!; \
	trap 'kill -TERM -- -$$worker -$$reader 2>/dev/null; wait $$worker $$reader 2>/dev/null || true' EXIT; \
	$(DEMO_ENV) $(PY) manage.py runserver $(ADDR)

## test: the whole suite on both cores (pass options with PYTEST_ARGS="-k shelter -x")
test: deps messages browser
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## bench: figures of the key pages, write paths and the rush into BENCHMARKS.md (PostgreSQL, Redis)
# Knobs: BENCH_SECONDS=10 per row, BENCH_SCALES=small,large, BENCH_RUSH=0 to leave the rush out.
bench: deps messages wrk
	DEBUG=0 $(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) -m bench.run

deps: $(VENV)/.installed node_modules/.installed system-libs

# WeasyPrint needs Pango; Debian's package, installed when missing and we may (root).
system-libs:
	@if ! ldconfig -p | grep -q 'libpango-1.0.so'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
	      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }; \
	  else \
	    echo "Pango fehlt / is missing (PDFs): sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; \
	  fi; \
	fi

# The browser tests drive Debian's Chromium (bfe/conftest.py reads CHROMIUM_PATH) and measure pages
# in its fonts, which Chromium only recommends: installed when missing and we may (root). Without
# Chromium the browser tests are skipped (in CI they fail).
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
BROWSER_FONTS := fonts-liberation fonts-dejavu-core
browser:
	@missing=""; \
	[ -x "$(CHROMIUM_PATH)" ] || missing=chromium; \
	if command -v dpkg-query >/dev/null; then \
	  for font in $(BROWSER_FONTS); do \
	    dpkg-query -W -f='$${Status}' $$font 2>/dev/null | grep -q ' installed$$' || missing="$${missing:+$$missing }$$font"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing \
	      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; }; \
	  elif [ ! -x "$(CHROMIUM_PATH)" ]; then \
	    echo "Chromium fehlt, die Browser-Tests werden übersprungen / Chromium is missing, the browser tests are skipped: sudo apt-get install $$missing" >&2; \
	  else \
	    echo "Schriften der Browser-Tests fehlen / fonts of the browser tests are missing: sudo apt-get install $$missing" >&2; \
	  fi; \
	fi

# The load generator of `make bench`: Debian's package, installed when missing and we may (root).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk \
	      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }; \
	  else \
	    echo "wrk fehlt / is missing: sudo apt-get install wrk" >&2; exit 1; \
	  fi; \
	fi

migrate: deps
	$(DEMO_ENV) $(PY) manage.py migrate --no-input

# seed_demo is idempotent; the check only saves its run time once the demo admin exists.
demo-data: migrate
	@if $(DEMO_ENV) $(PY) manage.py shell --no-imports -c \
	  "from bfe.accounts.models import User; raise SystemExit(User.objects.filter(email='admin@bfe.example').exists())"; \
	then $(DEMO_ENV) $(PY) manage.py seed_demo --scale small; \
	else echo "Demo-Daten sind schon geladen."; fi

messages: $(MO_FILES)

## translations: collect new texts into bfe/locale/en (then fill in the English msgstr)
translations: deps
	$(PY) manage.py makemessages -l en --no-obsolete --no-location \
	  --ignore $(VENV) --ignore node_modules --ignore staticfiles

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## lint-imports: the layers of DESIGN.md as import-linter contracts (pyproject.toml)
lint-imports: deps
	$(VENV)/bin/lint-imports

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts $(MO_FILES)

# Python from .python-version: pyenv's shim resolves it in this directory.
$(PY):
	@py=""; \
	for candidate in "$$(pyenv which python 2>/dev/null)" "$$(pyenv prefix $(PYTHON_VERSION) 2>/dev/null)/bin/python" \
	    "$$(command -v python$(PYTHON_VERSION))" "$$(command -v python3)"; do \
	  if [ -n "$$candidate" ] && [ "$$("$$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$(PYTHON_VERSION)" ]; then \
	    py=$$candidate; break; \
	  fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Python $(PYTHON_VERSION) nicht gefunden (.python-version). Install it, e.g. 'pyenv install $(PYTHON_VERSION)'." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(PY)
	@have=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if [ "$$have" != "$(PYTHON_VERSION)" ]; then \
	  echo "$(VENV) uses Python $$have, not $(PYTHON_VERSION): remove it (rm -rf $(VENV)) and run make again." >&2; \
	  exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm fehlt / npm is missing: install Node.js 20 or newer." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

ifneq ($(PO_FILES),)
$(MO_FILES) &: $(PO_FILES) $(VENV)/.installed
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y gettext \
	      || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y gettext; }; \
	  else \
	    echo "msgfmt fehlt / is missing: sudo apt-get install gettext" >&2; exit 1; \
	  fi; \
	fi
	$(PY) manage.py compilemessages --ignore '$(VENV)' --ignore node_modules
	@touch $(MO_FILES)
endif

# Atelier Portal: the two commands are `make run` and `make test` (see README.md).
#
# Everything lives in .venv; each install step is guarded by a stamp file that depends on
# pyproject.toml and requirements/constraints.txt, so a second `make run` only migrates, checks
# the demo data and serves.

PYTHON ?= python3
PORT ?= 8000
ARGS ?=

VENV := .venv
PY := $(VENV)/bin/python
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

# One step after the other, even under `make -j`.
.NOTPARALLEL:
.DEFAULT_GOAL := help
.PHONY: help run install install-dev front migrate seed test lint clean distclean

help:
	@echo "make run     install, build the front end, migrate, load the demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test    install the dev tools and run the whole test suite (extra pytest args: ARGS=...)"
	@echo "make lint    ruff check ."
	@echo "make clean   remove .venv, node_modules and caches (keeps var/: database and files)"
	@echo "make distclean  clean, and also remove var/ (the SQLite database, media and private files)"

# --- Python environment -------------------------------------------------------------------

$(VENV)/.stamp-venv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Atelier Portal needs Python >= 3.11 (found " + sys.version.split()[0] + "); run e.g. make run PYTHON=python3.12")'
	@echo "==> Creating $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@touch $@

$(VENV)/.stamp-run: pyproject.toml $(CONSTRAINTS) $(VENV)/.stamp-venv
	@echo "==> Installing the project and its pinned dependencies"
	$(PIP_INSTALL) -e .
	@touch $@

# The dev install is a superset of the run install: it refreshes both stamps.
$(VENV)/.stamp-dev: pyproject.toml $(CONSTRAINTS) $(VENV)/.stamp-venv
	@echo "==> Installing the project with its dev tools"
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@ $(VENV)/.stamp-run

install: $(VENV)/.stamp-run
install-dev: $(VENV)/.stamp-dev

# --- Front end ----------------------------------------------------------------------------
# The widgets in site/ are plain ES modules served by Django's staticfiles: nothing to build.
# Browser libraries from the npm registry arrive with a package-lock.json; then `npm ci` runs
# (again only when the lock file changes).

ifneq ($(wildcard package-lock.json),)
front: node_modules/.stamp-npm
node_modules/.stamp-npm: package-lock.json package.json
	@echo "==> Installing the front-end packages (npm ci)"
	npm ci --no-audit --no-fund
	@mkdir -p node_modules && touch $@
else
front:
	@true
endif

# --- Database -----------------------------------------------------------------------------

migrate: $(VENV)/.stamp-run
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py seed_demo

# --- The two commands ---------------------------------------------------------------------

run: $(VENV)/.stamp-run front migrate seed
	@echo "==> Serving on http://127.0.0.1:$(PORT)/ (log in at /connexion/; Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.stamp-dev front
	$(PY) -m pytest $(ARGS)

lint: $(VENV)/.stamp-dev
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) node_modules site/dist var/static .pytest_cache .ruff_cache test-artifacts \
		*.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf var

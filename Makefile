# maritime-hub: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both start from `make setup`, which installs what is missing and starts nothing.

SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := postgresql-15 postgresql-15-postgis-3 chromium fonts-wqy-zenhei poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`; files stay whole on one worker, so module fixtures run once.
# Three on two cores: each worker waits on PostgreSQL about half the time (706 s in one process,
# 408 s with two workers, 356 s with three, 352 s with four).
TEST_WORKERS ?= 3

.PHONY: setup system-packages venv npm run test test-faults test-fuzz lint bench db-up db-down clean i18n

setup: system-packages venv npm

# Debian packages: installed only when one is missing (root, or sudo when available).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; \
	  else echo "need root to install:$$missing"; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing </dev/null; \
	fi

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall only when pyproject.toml changed since the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm: node_modules/.package-lock.json

db-up: setup
	$(BIN)/mh db up

db-down:
	-$(BIN)/mh db down

run: setup
	$(BIN)/mh db up
	$(BIN)/mh db migrate
	MH_DEMO=1 $(BIN)/mh demo load
	# The background worker runs beside the server and stops with it; it reconnects after a database
	# outage, and its supervisor starts it again if it dies (docs/deployment.md "Background worker").
	$(BIN)/mh worker --supervise & trap "kill $$! 2>/dev/null" EXIT; MH_DEMO=1 $(BIN)/mh serve --host $(HOST) --port $(PORT)

test: setup lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not soak" --durations=10

# The fault tests with the longer soaks: database restarts under load, worker kills, server kills.
test-faults: setup
	$(BIN)/python -m pytest tests/faults -m "faults or soak" -v

# schemathesis over the whole API with more examples than the bounded pass in `make test`
# (tests/test_api_fuzz.py): no server error, no undocumented status code or content type.
FUZZ_EXAMPLES ?= 25
test-fuzz: setup
	MH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_api_fuzz.py -v

# ruff's rules and formatting (pyproject.toml [tool.ruff]): undefined names, unused imports, import
# order, likely bugs (B), modern syntax (UP), a complexity limit (C90); `ruff format` keeps the layout.
# mypy ([tool.mypy]) checks the domain packages and the kernel modules they import; the rest of the
# kernel (web, app, demo) is not in the target yet (CONTRIBUTING.md "Typing").
LINT_DIRS = maritime_hub vessels crew mediation tests bench
TYPED_DIRS = vessels crew mediation
lint: venv
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/ruff format --check $(LINT_DIRS)
	$(BIN)/mypy $(TYPED_DIRS)

# Messages: extract from code and templates, merge into the catalogues (zh_CN is hand-translated).
# Keywords beyond gettext's: N_ (marked for later), _t(request, msg) and page_text(request, msg) in pages, Label(msg).
i18n: venv
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _t:2 -k page_text:2 -k Label -o maritime_hub/i18n/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i maritime_hub/i18n/messages.pot -d maritime_hub/i18n --no-fuzzy-matching --ignore-obsolete

bench: setup
	@for b in bench/[a-z]*.py; do echo "== $$b"; $(BIN)/python $$b --quick || exit 1; done

clean: db-down
	-$(BIN)/python -c "from pathlib import Path; from maritime_hub.db.cluster import Cluster; [Cluster(p).down() for p in [Path('var/pg-test'), *Path('var').glob('fault/*/pg'), *Path('var').glob('fault/*/restore/pg')]]"
	rm -rf var/pg-test var/test var/fault

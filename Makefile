# Two commands on a fresh machine with Python 3.11, npm and make:
#   make run    install, migrate, load the demo county, serve on 127.0.0.1:8000
#   make test   install (and the Debian packages the browser/PDF tests need), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1:8000
# The extras installed into the virtualenv: the Dockerfile builds the same .venv with EXTRAS=
# (no dev tools in the production image).
EXTRAS ?= [dev]
PYTEST_ARGS ?=

.PHONY: install venv run serve demo test test-fast lint system-packages bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".$(EXTRAS)"
	touch $@

venv: $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

run: demo
	@$(PY) manage.py demo_logins
	DEBUG=true $(PY) manage.py runserver $(HOST)

system-packages:
	@bash scripts/system-packages.sh

# Tests marked `worker` need a broker and PostgreSQL, `postgres` ones PostgreSQL: .ci/run runs
# them in its second pass.
# Two pytest processes (pytest-xdist): the machines here have two cores.
TEST_PROCESSES ?= 2
# Tests marked `postgres` need PostgreSQL itself (pg_dump, two sessions on one server).
TEST_MARKS ?= $(if $(CELERY_BROKER_URL),,not worker)$(if $(findstring postgres,$(DATABASE_URL)),, $(if $(CELERY_BROKER_URL),,and) not postgres)
test: install system-packages
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_PROCESSES) -m "$(TEST_MARKS)" $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -m "not browser and not worker" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

bench: install
	$(PY) manage.py bench_scoring

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

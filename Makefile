# Newsdesk: `make run` serves the archive, `make test` runs the whole suite.
# Both set up what they need: a virtualenv in .venv and, when DATABASE_URL is unset,
# an embedded PostgreSQL in var/pgdata (stopped by `make stop`).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# Test processes: one per core (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
MANAGE := $(BIN)/python manage.py

.PHONY: install run test bench bench-clean lint fixtures mutation stop clean backup restore

# An archive made by the old embedded PostgreSQL 16 is dumped by that server once, on the
# next start (newsdesk/embedded_upgrade.py): install it only while var/ holds one.
PG16 := $(shell grep -qx 16 $(or $(NEWSDESK_VAR_DIR),var)/pgdata/PG_VERSION 2>/dev/null && echo $(VENV)/.pg16)

install: $(VENV)/.installed $(PG16)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.pg16: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[pg16]'
	touch $@

## run: migrate, load the seed into an empty archive, collect static files, serve.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_archive
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Newsdesk is serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	$(BIN)/gunicorn -c python:newsdesk.gunicorn_config newsdesk.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS)

## test: the whole suite against PostgreSQL (embedded, or DATABASE_URL), on every core.
## Exit 5 (nothing selected, say by PYTEST_ARGS) is no failure.
## Each run keeps its test databases for the next (--reuse-db); tests/conftest.py makes one
## again when the migrations changed. `make test PYTEST_ARGS=--create-db` forces it.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest --reuse-db
test: install
	@# pytest keeps its rewritten test modules as bytecode; some shells forbid writing it,
	@# which makes every run compile the suite again.
	$(PYTEST) -n $(TEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]

## bench: load-test a synthetic archive of BENCH_STORIES stories (built once) and print figures.
bench: install
	$(BIN)/python bench/bench.py

## bench-clean: drop the bench's databases (the next bench builds its archive again).
bench-clean: install
	$(BIN)/python bench/bench.py clean

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## fixtures: rebuild fixtures/seed.json from the seed's wire text, through the importer.
fixtures: install
	$(MANAGE) migrate --noinput
	NEWSROOM_TIME_ZONE=America/New_York $(MANAGE) build_fixture fixtures/seed-north-korea-workers-russia.txt --output fixtures/seed.json

## mutation: mutation-test the wire format and the write path, each against its own tests,
## and print their scores (mutants killed of all made). Results are kept in mutants/.
MUTATION_CHILDREN ?= 2
MUTMUT := NEWSDESK_VAR_DIR=$(CURDIR)/var $(BIN)/mutmut
mutation: $(VENV)/.mutmut
	$(MUTMUT) run --max-children $(MUTATION_CHILDREN) 'articles.wire.*'
	@# The write path's tests share one test database (kept with --reuse-db): one at a time.
	$(MUTMUT) run --max-children 1 'articles.publishing.*'
	@$(MUTMUT) results --all true | awk -F': ' '\
		{ group = ($$1 ~ /articles\.wire\./) ? "wire format" : "write path"; total[group]++ } \
		$$2 == "killed" || $$2 == "timeout" { killed[group]++ } \
		END { for (g in total) printf "%s: %d of %d mutants killed (%.1f%%)\n", \
			g, killed[g], total[g], 100 * killed[g] / total[g] }'

$(VENV)/.mutmut: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	touch $@

## backup: a consistent pg_dump of the archive and its checksum in var/backups (or
## NEWSDESK_BACKUP_DIR), keeping the newest BACKUP_KEEP.
BACKUP_KEEP ?= 7
backup: install
	$(MANAGE) backup --keep $(BACKUP_KEEP)

## restore: FILE=var/backups/newsdesk-….dump into the configured database, which must be empty.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/newsdesk-....dump" >&2; exit 2; }
	$(MANAGE) restore "$(FILE)"

## stop: stop the embedded PostgreSQL.
stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m newsdesk.database_server stop; fi

clean: stop
	rm -rf $(VENV) staticfiles *.egg-info

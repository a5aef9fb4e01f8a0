# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: setup setup-dev demo test test-replica lint messages

HOST ?= 127.0.0.1
PORT ?= 8000
GAIZAO = .venv/bin/gaizao

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

## Runs the platform with the Yanhu demo data at http://127.0.0.1:8000 (SQLite file gaizao.sqlite3).
demo: setup
	$(GAIZAO) migrate --no-input -v 0
	$(GAIZAO) load_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the accounts above (Ctrl-C stops it)."
	HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

## Runs every test (unit, view, API and browser) on SQLite, or on PostgreSQL when DATABASE_URL is set:
## one worker and one test database per core, in a random order: `make test SEED=n` repeats the order printed.
test: setup-dev
	@seed=$${SEED:-$$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}; \
	echo "== test order: SEED=$$seed"; \
	.venv/bin/pytest -q -n auto -p randomly --randomly-seed=$$seed

## The database router's tests against a real PostgreSQL streaming replica: a throwaway primary and its replica
## (initdb and pg_basebackup on two free ports, stopped and removed after). Needs PostgreSQL's server programs
## (/usr/lib/postgresql/*/bin, or PG_BINDIR); without them it prints that it skipped.
test-replica: setup-dev
	scripts/test_replica.sh

lint: setup-dev
	.venv/bin/ruff check .
	$(GAIZAO) makemigrations --check --dry-run -v 1

## After changing user-facing strings: update the catalogue, translate in gaizao/locale, then compile.
messages: setup-dev
	cd gaizao && ../$(GAIZAO) makemessages -l zh_Hans --no-obsolete --no-location
	.venv/bin/python scripts/po_header_fix.py gaizao/locale/zh_Hans/LC_MESSAGES/django.po
	@msgattrib --untranslated gaizao/locale/zh_Hans/LC_MESSAGES/django.po | grep '^msgid' || echo "all translated"
	cd gaizao && ../$(GAIZAO) compilemessages

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo cycle is seen as of this day (mid-cycle); set DEMO_TODAY= to use the real date.
DEMO_TODAY ?= 2025-07-15
export DJANGO_SETTINGS_MODULE := daihoi.settings

.PHONY: demo demo-reset test install migrate lint e2e serve clean

$(BIN)/daihoi: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/daihoi

install: $(BIN)/daihoi

migrate: install
	mkdir -p var
	$(BIN)/daihoi migrate --noinput

## make demo: install, migrate, load the demo province and serve it on http://127.0.0.1:$(PORT)
demo: migrate
	$(BIN)/daihoi demo
	$(BIN)/daihoi demo_logins --url http://127.0.0.1:$(PORT)/
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background task worker; Ctrl-C stops both."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/daihoi db_worker --no-reload -v 0 & worker=$$!; \
	DAIHOI_TODAY=$(DEMO_TODAY) $(BIN)/daihoi runserver 127.0.0.1:$(PORT)

## make demo-reset: throw the demo database away (SQLite under var/) and build the demo afresh
demo-reset: install
	@if [ -n "$$DATABASE_URL" ]; then echo "DATABASE_URL is set: drop and recreate that database, then run make demo."; exit 1; fi
	rm -f var/daihoi.sqlite3 var/daihoi.sqlite3-wal var/daihoi.sqlite3-shm
	$(MAKE) demo

## make test: lint, type check, import contracts and the whole suite (browser journeys excluded)
test: install
	$(BIN)/ruff check .
	$(BIN)/mypy daihoi
	$(BIN)/lint-imports
	$(BIN)/daihoi check
	$(BIN)/daihoi makemigrations --check --dry-run
	$(BIN)/pytest -q -n 2 --dist loadfile --timeout 600 -m "not e2e" --ignore=e2e

## make e2e: browser journeys in Chromium (/usr/bin/chromium)
e2e: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q --liveserver 127.0.0.1 e2e

clean:
	rm -rf $(VENV) var

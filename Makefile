PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: venv run test test-fast fuzz browser lint typecheck migrations-check messages catalogue

venv: $(VENV)/.installed

# Reinstall only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

# The interface in Russian: GNU gettext's msgfmt compiles each catalogue (locale/ for the
# templates and eurasia/, orgs/locale/ for the app) into the .mo Django reads. The .mo files are
# built here, not kept in git (README, "Languages").
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=staticfiles --ignore=snapshots
messages: venv
	@if command -v msgfmt >/dev/null; then \
		$(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE) -v 0; \
	else \
		echo "msgfmt is missing: the site runs in English only. Install GNU gettext (apt-get install gettext)."; \
	fi

# After changing the English of a template or eurasia/: add the new strings to locale/ru (the
# app's own strings go to orgs/locale), then translate them and `make messages`.
catalogue: venv
	$(BIN)/python manage.py makemessages -l ru $(MESSAGES_IGNORE) --ignore='orgs/?*' \
		--ignore=tests --ignore=docs --ignore=scripts --ignore=test-artifacts --no-obsolete

run: venv messages
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py loaddata seed
	$(BIN)/python manage.py create_editor --username editor
	@# The task worker runs imports too large for a request, beside the server, and stops with it.
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv messages browser
	$(BIN)/pytest $(ARGS)

# The inner loop: everything but the slow tests (browser, schema fuzzing, backup and restore,
# generated atlases).
test-fast: venv messages
	$(BIN)/pytest -m "not slow" $(ARGS)

# The property-based tests with about thirty times their usual random examples (the better part
# of an hour on two cores): every API filter and field, every admin form field, list parameter
# and history address. On PostgreSQL: DATABASE_URL=postgres://… make fuzz.
fuzz: venv
	HYPOTHESIS_BUDGET=fuzz $(BIN)/pytest -m fuzz $(ARGS)

# The browser tests drive Chromium (CHROMIUM_EXECUTABLE, default /usr/bin/chromium). As root
# with apt-get this installs it; otherwise the tests skip them and say so (CI=true: they fail).
CHROMIUM_EXECUTABLE ?= /usr/bin/chromium
browser:
	@test -x "$(CHROMIUM_EXECUTABLE)" || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null \
		|| (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) \
		|| echo "Installing Chromium failed: the browser tests will not run."

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with the Django and DRF stubs; which modules are strict is set in pyproject.toml.
typecheck: venv
	$(BIN)/mypy

migrations-check: venv
	$(BIN)/python manage.py makemigrations --check --dry-run

# The benchmark (not part of the tests): PostgreSQL, Redis, gunicorn, Datasette and
# wrk on 127.0.0.1, bounded in time; writes docs/benchmarks.md. See bench/bench.py for settings
# (BENCH_SCALE=0.05 BENCH_RUNS=1 BENCH_SECONDS=3 make bench for a quick check).
.PHONY: bench
bench: venv
	$(BIN)/python bench/bench.py

.PHONY: serve soak backup restore

# Production-style serving: DEBUG off (SECRET_KEY required), static files collected for
# WhiteNoise, gunicorn with 2 sync workers on loopback behind a TLS proxy (see README).
serve: venv messages
	DEBUG=0 $(BIN)/python manage.py migrate --no-input
	DEBUG=0 $(BIN)/python manage.py collectstatic --no-input -v 0
	DEBUG=0 $(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=0 $(BIN)/gunicorn eurasia.wsgi:application --bind 127.0.0.1:8000 --workers 2 \
		--no-control-socket --access-logfile - $(ARGS)

# 60 s of readers and writers against gunicorn + PostgreSQL + Redis, restarting PostgreSQL and
# stopping Redis mid-run; ARGS=--no-faults when others share this PostgreSQL.
soak: venv
	$(BIN)/python bench/soak.py $(ARGS)

backup: venv
	$(BIN)/python scripts/backup.py backup

# make restore FILE=backups/eurasia-postgresql-….dump (default: the newest backup; asks first)
restore: venv
	$(BIN)/python scripts/backup.py restore $(FILE) $(ARGS)

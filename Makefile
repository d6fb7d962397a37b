# Two commands: `make run` (platform with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
REQS := requirements.txt requirements-dev.txt requirements-nodeps.txt build-constraints.txt
STAMP := $(VENV)/.installed-$(shell cat $(REQS) | sha1sum | cut -c1-12)
PYTEST_ARGS ?=

.PHONY: setup run test lint messages bench fuzz clean browser-deps

$(STAMP): $(REQS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)
	mkdir -p var/staticfiles
	$(PY) manage.py compile_translations
	$(PY) manage.py prepare_fonts

# HOST=0.0.0.0 serves phones on the same network too; QR signs then print this computer's address
# (PUBLIC_BASE_URL), since a sign printed with 127.0.0.1 cannot be scanned.
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@LAN=$$(hostname -I 2>/dev/null | awk '{print $$1}'); LAN=$${LAN:-127.0.0.1}; \
	if [ "$(HOST)" = "0.0.0.0" ]; then \
	  BASE=$${PUBLIC_BASE_URL:-http://$$LAN:$(PORT)}; \
	  echo "Serving on http://$$LAN:$(PORT)/ for this computer and phones on the same network (stop with Ctrl-C)"; \
	  echo "QR signs print $$BASE"; \
	  ALLOWED_HOSTS="127.0.0.1,localhost,$$LAN$${ALLOWED_HOSTS:+,$$ALLOWED_HOSTS}" PUBLIC_BASE_URL="$$BASE" \
	    $(PY) manage.py runserver 0.0.0.0:$(PORT); \
	else \
	  echo "Serving on http://127.0.0.1:$(PORT)/  (stop with Ctrl-C)"; \
	  echo "To open it from a phone on the same network: make run HOST=0.0.0.0  (then http://$$LAN:$(PORT)/)"; \
	  $(PY) manage.py runserver $(HOST):$(PORT); \
	fi

# Browser tests use Debian's Chromium and a Chinese font; install them when missing (root on Debian).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils; \
	fi

test: setup browser-deps
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

# Refresh the English catalogue from the source strings (needs GNU gettext's xgettext).
messages: setup
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compile_translations

clean:
	rm -rf var test-artifacts

# Schemathesis over the whole OpenAPI document against gunicorn on PostgreSQL (drops and rebuilds the database
# named in FUZZ_DATABASE_URL, default elevator_fuzz), as a demo maintenance company's administrator, for
# FUZZ_SECONDS (default 180); any 5xx fails. Not part of `make test` (time budget): see docs/api.md.
fuzz: setup
	$(PY) fuzz/run_fuzz.py

# City-scale benchmark on PostgreSQL (drops and rebuilds the database named in BENCH_DATABASE_URL).
bench: setup
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/elevator_bench} \
	  $(PY) bench/run_bench.py --sizes $${SIZES:-10000,100000,300000}

# Two set-up-free commands: `make run` and `make test`. Both create the virtualenv and
# install what they need on first use; afterwards the stamp file makes that step instant.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench chromium pango redis libreoffice setup

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi dejavu; then \
		echo "Installing Chromium and fonts for the browser tests (apt-get)…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# WeasyPrint (the PDFs of plans and reports) needs Pango.
pango:
	@if ! ldconfig -p | grep -q libpangoft2-1.0; then \
		echo "Installing Pango for WeasyPrint (apt-get)…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

# The open data's files for Excel are opened in LibreOffice Calc with the German locale by the tests.
libreoffice:
	@if [ ! -x /usr/bin/soffice ]; then \
		echo "Installing LibreOffice Calc for the spreadsheet tests (apt-get)…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; \
	fi

# The tests of the Redis cache and the scale-out test start their own redis-server (never a service).
redis:
	@if [ ! -x /usr/bin/redis-server ]; then \
		echo "Installing redis-server for the cache tests (apt-get)…"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; \
	fi

run: $(STAMP) pango
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_eccar
	$(PY) manage.py create_demo_users
	@echo "The portal runs at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)."
	DEBUG=true PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) chromium pango redis libreoffice
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m pytest $(PYTEST_ARGS)

# The portal at coalition scale (not part of `make test`): demo data, gunicorn, wrk; see README "Benchmark".
# Options go through BENCH_ARGS, e.g. make bench BENCH_ARGS="--members 300 --measures-per-member 10 --duration 2".
bench: $(STAMP) pango
	$(PY) bench/run $(BENCH_ARGS)

# kb — `make run` serves the site, `make test` runs the whole suite.
# Both create .venv and install requirements on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint format migrate messages eval bench clean-data

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

# Local development server on http://127.0.0.1:$(PORT) (DEBUG on unless set), with the
# background workers (embeddings) running beside it; Ctrl-C stops them all.
run: export DEBUG ?= 1
# Webhook payloads link to the site: to this port unless the address is set.
run: export KB_SITE_URL ?= http://localhost:$(PORT)
# With DEBUG=0 pages name their CSS and JS by content hash (whitenoise's manifest), which
# collectstatic writes: without it every page would fail, so run collects first.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_starter_notes
	@case "$$DEBUG" in 0|false|False|FALSE|no|off) \
		echo "DEBUG=$$DEBUG: collecting static files into staticfiles/"; \
		$(BIN)/python manage.py collectstatic --noinput -v0;; esac
	$(BIN)/python scripts/run_dev.py $(PORT)

migrate: export DEBUG ?= 1
migrate: install
	$(BIN)/python manage.py migrate --noinput

test: install
	$(BIN)/python -m pytest

# Everything but the browser tests.
test-fast: install
	$(BIN)/python -m pytest -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Compile the Japanese catalogs (*/locale/ja) after editing a .po file.
messages: export DEBUG ?= 1
messages: install
	$(BIN)/python manage.py compilemessages -l ja --ignore=.venv

# Quality of search and lookup on labelled queries (needs ../shared/corpora).
eval: eval-search eval-lookup eval-meaning

# Speed of search (1k/10k/100k generated notes) and lookup (all of tldr). Results: BENCHMARKS.md.
bench: bench-search bench-lookup bench-meaning bench-render

clean-data:
	rm -rf .data

-include mk/*.mk

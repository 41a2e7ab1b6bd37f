# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8501
NETWORK_PORT ?= 8080

.PHONY: run run-network test lint typecheck format migrate seed bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) -m data migrate

seed: migrate
	$(PY) -m data seed-demo

run: seed
	$(PY) -m streamlit run serve.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# PostgreSQL, a Dask scheduler with two workers, two app servers and nginx in front, all
# under var/network; Ctrl-C stops them. `make run` above stays one process on SQLite.
run-network: $(VENV)/.installed
	PY=$(PY) scripts/run-network --port $(NETWORK_PORT)

# scripts/with-test-services installs Chromium and PostgreSQL when it can and starts a
# throwaway PostgreSQL for the run; what it cannot have is skipped with one line.
test: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	scripts/with-test-services $(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.installed-test
	$(PY) -m mypy

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.installed-test
	$(PY) bench/staffing.py
	$(PY) bench/roster.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output

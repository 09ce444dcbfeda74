# Kosmos: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export KOSMOS_DATABASE_URL ?= sqlite:///var/kosmos.db

.PHONY: run test install migrate seed lint format typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/kosmos migrate

seed: migrate
	$(BIN)/kosmos seed demo

run: seed
	$(BIN)/kosmos serve --host 127.0.0.1 --port 8000 --demo-devices

lint: $(STAMP)
	$(BIN)/ruff check --no-cache src tests bench migrations
	$(BIN)/ruff format --no-cache --check src tests bench migrations
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests bench migrations
	$(BIN)/ruff check --fix src tests bench migrations

test: $(STAMP) lint
	$(BIN)/pytest -n 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python bench/search.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/request_cost.py
	$(BIN)/python bench/chat.py
	$(BIN)/python bench/assistant.py
	$(BIN)/python bench/pay.py
	$(BIN)/python bench/routing.py

clean:
	rm -rf $(VENV) var .pytest_cache

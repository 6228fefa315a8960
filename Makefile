# deckgen: `make` sets up .venv and builds every outline; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := all
.PHONY: all setup check test lint typecheck pytest clean distclean schema

all: setup
	$(BIN)/deckgen check

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

check: setup
	$(BIN)/deckgen check

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

schema: setup
	$(BIN)/deckgen schema > schema/outline.schema.json

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

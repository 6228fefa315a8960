# deckgen's repository: `make` sets up .venv and builds every outline; `make test` runs the suite.
#
# This repository is itself a deckgen project (deckgen.toml): the targets every project has
# (all, deck, brief, check, watch, regen, schema, clean) come from the Makefile `deckgen init`
# writes into new projects, src/deckgen/assets/project/Makefile, included below with deckgen
# taken from .venv. The targets after it are for working on deckgen itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

DECKGEN       := $(BIN)/deckgen
DECKGEN_READY := $(STAMP)
include src/deckgen/assets/project/Makefile

.PHONY: setup test lint typecheck pytest font-metrics bench bench-full distclean

all: setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

# The bundled fonts' metrics sidecars (src/deckgen/assets/fonts/*.ttf.metrics.json): rerun after
# adding or replacing a font. A test fails while one is missing or stale.
font-metrics: setup
	$(BIN)/python -m deckgen.fonts src/deckgen/assets/fonts/*.ttf

# Benchmarks (docs/benchmarks.md): speed, scaling and memory, side by side with Pandoc when it is
# installed. bench-full adds Pandoc on 1,200 sections, which takes minutes. Run on a quiet machine.
bench: setup
	$(BIN)/python bench/run.py --out docs/benchmarks.md

bench-full: setup
	$(BIN)/python bench/run.py --full --out docs/benchmarks.md

distclean: clean
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# deckgen: `make` sets up .venv and builds every outline; `make test` runs the whole suite.
#
# Each target is one format of one outline. Make tracks it through a stamp in build/.deckgen/
# that deckgen touches whenever the target is current, so an output whose bytes did not change
# keeps its old mtime (downstream rules are not disturbed) and `make` is still a true no-op the
# next time. `deckgen build --depfile` writes build/<stem>.d naming every input (outline, theme,
# fonts); those files are included below, so any input change rebuilds exactly what it affects.
# `make -j` is safe: two formats of one outline take turns on the outline's lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := build
DECKGEN = $(BIN)/deckgen

OUTLINES := $(wildcard outlines/*.yaml)
STEMS    := $(basename $(notdir $(OUTLINES)))
DECK_STAMPS  := $(STEMS:%=$(OUT)/.deckgen/%.pptx.stamp)
BRIEF_STAMPS := $(STEMS:%=$(OUT)/.deckgen/%.pdf.stamp)

.DEFAULT_GOAL := all
.PHONY: all setup deck brief check watch regen test lint typecheck pytest clean distclean schema font-metrics FORCE
.PHONY: bench bench-full

all: setup deck brief

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

deck: $(DECK_STAMPS)
brief: $(BRIEF_STAMPS)

$(OUT)/.deckgen/%.pptx.stamp: outlines/%.yaml $(STAMP)
	$(DECKGEN) build --format pptx --depfile -o $(OUT) $<

$(OUT)/.deckgen/%.pdf.stamp: outlines/%.yaml $(STAMP)
	$(DECKGEN) build --format pdf --depfile -o $(OUT) $<

# An output deleted (or never built) is rebuilt even when its stamp looks current.
$(foreach s,$(STEMS),$(if $(wildcard $(OUT)/$(s).pptx),,$(eval $(OUT)/.deckgen/$(s).pptx.stamp: FORCE)))
$(foreach s,$(STEMS),$(if $(wildcard $(OUT)/$(s).pdf),,$(eval $(OUT)/.deckgen/$(s).pdf.stamp: FORCE)))
FORCE:

-include $(wildcard $(OUT)/*.d)

check: setup
	$(DECKGEN) check

watch: setup
	$(DECKGEN) watch -o $(OUT)

# For schedulers: builds what changed, prints a JSON summary; see README "Scheduled regeneration".
regen: setup
	$(DECKGEN) build --json --depfile -o $(OUT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

schema: setup
	$(BIN)/deckgen schema > schema/outline.schema.json

# The bundled fonts' metrics sidecars (src/deckgen/assets/fonts/*.ttf.metrics.json): rerun after adding or
# replacing a font. A test fails while one is missing or stale.
font-metrics: setup
	$(BIN)/python -m deckgen.fonts src/deckgen/assets/fonts/*.ttf

# Benchmarks (docs/benchmarks.md): speed, scaling and memory, side by side with Pandoc when it is
# installed. bench-full adds Pandoc on 1,200 sections, which takes minutes. Run on a quiet machine.
bench: setup
	$(BIN)/python bench/run.py --out docs/benchmarks.md

bench-full: setup
	$(BIN)/python bench/run.py --full --out docs/benchmarks.md

clean:
	rm -rf $(OUT)

distclean: clean
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

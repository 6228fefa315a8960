"""Font metrics: the bundled fonts' sidecars are current, and a sidecar is trusted only when it
matches its font."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deckgen.fonts import load_metrics, measure, metrics_document, sidecar, with_spaces
from deckgen.project import builtin

FONTS = sorted(builtin("fonts").glob("*.ttf"))
REGULAR = builtin("fonts") / "LiberationSans-Regular.ttf"


def test_there_are_bundled_fonts() -> None:
    assert len(FONTS) >= 8


@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.name)
def test_each_bundled_font_has_a_current_metrics_sidecar(font: Path) -> None:
    """Fails when a font is added or replaced without `make font-metrics`."""
    assert sidecar(font).exists(), f"run `make font-metrics` for {font.name}"
    assert json.loads(sidecar(font).read_bytes()) == metrics_document(font)


@pytest.mark.parametrize("font", FONTS, ids=lambda p: p.name)
def test_metrics_from_the_sidecar_equal_fonttools_measurements(font: Path) -> None:
    load_metrics.cache_clear()
    assert load_metrics(font) == with_spaces(measure(font.read_bytes(), font.stem))


def test_a_font_without_a_no_break_space_measures_it_as_its_space() -> None:
    carlito = builtin("fonts") / "Carlito-Regular.ttf"
    assert 0xA0 not in measure(carlito.read_bytes(), carlito.stem).widths  # the font's own table
    m = load_metrics(carlito)
    assert m.width("12\u00a0345", 10) == m.width("12 345", 10)


def test_a_sidecar_made_from_another_font_is_ignored(tmp_path: Path) -> None:
    font = tmp_path / REGULAR.name
    shutil.copy(REGULAR, font)
    doc = metrics_document(font)
    doc["sha256"] = "0" * 64  # made from other bytes
    doc["widths"] = [[32, [1] * 95]]
    sidecar(font).write_text(json.dumps(doc), encoding="utf-8")
    load_metrics.cache_clear()
    got = load_metrics(font)
    assert got.widths[ord("A")] == measure(REGULAR.read_bytes(), font.stem).widths[ord("A")]
    assert got.widths[ord("A")] != 1


@pytest.mark.parametrize("content", ["{not json", '{"format": 1}', "[]", ""])
def test_a_damaged_sidecar_is_ignored(tmp_path: Path, content: str) -> None:
    font = tmp_path / REGULAR.name
    shutil.copy(REGULAR, font)
    doc = metrics_document(font)
    if content == '{"format": 1}':
        content = json.dumps({"format": 1, "sha256": doc["sha256"]})  # matches, but empty
    sidecar(font).write_text(content, encoding="utf-8")
    load_metrics.cache_clear()
    assert load_metrics(font) == with_spaces(measure(font.read_bytes(), font.stem))

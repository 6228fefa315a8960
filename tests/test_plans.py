"""The plans as the one contract: writers only translate, each plan is made once per outline,
both plans say the same about the document, and both are guarded whole by goldens.

Goldens are the whole ``to_json()`` of the deck's and the brief's plan for the Rutte outline in
both shipped themes and on a corporate template, compared as data (the first difference is
named). Regenerate them on purpose, after looking at what changed:
``DECKGEN_REGEN_GOLDEN=1 pytest tests/test_plans.py``.
"""

from __future__ import annotations

import ast
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from deckgen import plans
from deckgen.cli import main
from deckgen.outline import load_outline
from deckgen.plans import Job, prepare
from deckgen.project import builtin
from deckgen.theme import load_theme
from tests.conftest import ROOT, RUTTE
from tests.test_template import make_template, theme_with_template

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
GOLDEN = Path(__file__).parent / "golden"
WRITERS = sorted((ROOT / "src" / "deckgen" / "render").glob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("path", WRITERS, ids=[p.name for p in WRITERS])
def test_no_writer_imports_a_planner_the_theme_or_the_fit_engine(path: Path) -> None:
    names = imported(path)
    assert not {n for n in names if n == "deckgen.plan" or n.startswith("deckgen.plan.")}
    assert not {n for n in names if n.startswith(("deckgen.theme", "deckgen.textfit"))}
    assert not {n for n in names if n.startswith(("deckgen.outline", "deckgen.plans"))}


def test_a_build_makes_each_plan_once_for_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    made: dict[str, int] = {}
    monkeypatch.setattr(plans, "MADE", made := __import__("collections").defaultdict(int))
    pictures: list[str] = []
    real = plans.outline_images

    def counted(*args: Any) -> Any:
        pictures.append("prepared")
        return real(*args)

    monkeypatch.setattr(plans, "outline_images", counted)
    args = ["build", "-j", "2", "--format", "pptx,deck-pdf,png,pdf", "-o", str(tmp_path)]
    assert main([*args, str(RUTTE)]) == 0, capsys.readouterr().err
    assert dict(made) == {"deck": 1, "brief": 1}  # four formats, two plans
    assert len(pictures) == 1  # pictures (and the template) prepared once


def test_the_deck_and_the_brief_carry_the_same_metadata() -> None:
    outline = load_outline(RUTTE)
    prepared = prepare(Job(outline, load_theme(), RUTTE, CREATED))
    deck, brief = prepared.plan("deck"), prepared.plan("brief")
    assert deck.meta == brief.meta
    assert "**" not in json.dumps(deck.meta.title)
    assert deck.meta.created == "2025-01-09T00:00:00Z"


def test_the_deck_plan_carries_every_line_break() -> None:
    """Writers draw the planner's lines: every paragraph of every text frame has them."""
    outline = load_outline(RUTTE)
    deck = prepare(Job(outline, load_theme(), RUTTE, CREATED)).plan("deck")
    for slide in deck.slides:
        for frame in slide.frames:
            for para in getattr(frame, "paras", ()):
                assert para.lines, (slide.title, frame.role)
                joined = " ".join("".join(r.text for r in line) for line in para.lines)
                assert joined.split() == para.text.split()
            if frame.kind == "chart":
                assert frame.chart.category_lines


def test_plan_brief_prints_the_brief_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--brief", str(RUTTE)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["blocks"][0]["kind"] == "cover"
    assert data["footer"] == "As of 9 January 2025"


# --- goldens --------------------------------------------------------------------------------


def normalised(data: Any) -> Any:
    """The plan's JSON with file paths relative to the repository (checkouts differ)."""
    text = json.dumps(data, sort_keys=True)
    return json.loads(text.replace(str(ROOT) + "/", ""))


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'the plan' if key in a else 'the golden'}"
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items, the golden has {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


def compare(name: str, data: Any) -> None:
    path = GOLDEN / f"{name}.json"
    actual = normalised(data)
    if os.environ.get("DECKGEN_REGEN_GOLDEN") == "1":
        path.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    difference = first_difference(actual, expected)
    assert difference is None, (
        f"{name}: the plan changed at {difference}; look at the outputs, then regenerate with "
        "DECKGEN_REGEN_GOLDEN=1"
    )


@pytest.mark.parametrize("theme_name", ["default", "print"])
@pytest.mark.parametrize("kind", ["deck", "brief"])
def test_the_rutte_plans_match_their_goldens(kind: str, theme_name: str) -> None:
    outline = load_outline(RUTTE)
    prepared = prepare(Job(outline, load_theme(theme_name), RUTTE, CREATED))
    compare(f"rutte-{kind}-{theme_name}", prepared.plan(kind).to_json())


@pytest.mark.parametrize("kind", ["deck", "brief"])
def test_the_rutte_plans_on_a_template_match_their_goldens(kind: str, tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    theme = load_theme(theme_with_template(tmp_path))
    outline = load_outline(RUTTE)
    prepared = prepare(Job(outline, theme, RUTTE, CREATED, template))
    compare(f"rutte-{kind}-template", prepared.plan(kind).to_json())


def test_the_built_in_themes_are_the_ones_the_goldens_cover() -> None:
    assert sorted(p.stem for p in builtin("themes").glob("*.yaml")) == ["default", "print"]

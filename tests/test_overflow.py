"""Text never overflows, checked by an oracle that reads the deck PDF (``tests/overflow.py``).

1. The oracle finds overflow: text moved past its frame, a line made too long for it.
2. Every deck of the repository's outlines, both themes, compact and full, draws every
   character inside its frames and on its slide.
3. A Hypothesis property over generated valid outlines of 1 to 50 sections, with short and
   long text (every field up to its limit), both themes and both deck modes: no error, no
   frame or shape outside the slide, and the oracle finds nothing on the slides most at risk
   (the opening slides, the agenda among them, the slides with the most text, and a sample).
4. A Hypothesis property over themes with any valid sizes: the Rutte deck either fails with
   located errors (text that fits nowhere in its role's range) or the oracle finds nothing on
   any slide.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deckgen.model import DeckPlan, TextFrame
from deckgen.outline import Outline, load_outline, parse_outline
from deckgen.plans import Job, Prepared, prepare
from deckgen.render import FORMATS
from deckgen.theme import load_theme
from tests.conftest import ROOT, RUTTE
from tests.overflow import problems

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
FIXTURE = ROOT / "tests" / "fixtures" / "readiness-review.yaml"


def _prepared(outline: Outline, theme: str, deck: str | None = None) -> Prepared:
    return prepare(Job(outline, load_theme(theme), Path("gen.yaml"), CREATED, deck=deck))


def _check(prepared: Prepared, plan: DeckPlan, tmp: Path) -> list[str]:
    """The oracle's findings on ``plan`` drawn by the deck PDF writer."""
    pdf = tmp / "deck.pdf"
    pdf.write_bytes(FORMATS["deck-pdf"].writer()(plan, prepared.assets()))
    return [str(p) for p in problems(pdf, plan)]


# --- 1. the oracle can fail ----------------------------------------------------------------


def _busiest(plan: DeckPlan) -> tuple[int, int]:
    """The slide and frame index of the text frame with the most lines."""
    best = max(
        (sum(len(p.lines) for p in f.paras), i, j)
        for i, s in enumerate(plan.slides)
        for j, f in enumerate(s.frames)
        if isinstance(f, TextFrame) and f.role != "title"
    )
    return best[1], best[2]


def test_the_oracle_finds_text_that_runs_past_its_frame(rutte: Outline, tmp_path: Path) -> None:
    prepared = _prepared(rutte, "default")
    plan: DeckPlan = prepared.plan("deck")
    assert _check(prepared, plan, tmp_path) == []
    i, j = _busiest(plan)
    frame = plan.slides[i].frames[j]
    assert isinstance(frame, TextFrame)
    # The frame keeps its text but loses two thirds of its height: the text runs out of it.
    short = dataclasses.replace(frame, box=dataclasses.replace(frame.box, h=frame.box.h / 3))
    slide = dataclasses.replace(plan.slides[i], frames=[*plan.slides[i].frames])
    slide.frames[j] = short
    broken = dataclasses.replace(plan, slides=[*plan.slides[:i], slide, *plan.slides[i + 1 :]])
    found = _check(prepared, broken, tmp_path)
    assert found
    assert all(f.startswith(f"slide {i + 1}:") for f in found), found


def test_the_oracle_finds_a_line_too_long_for_its_frame(rutte: Outline, tmp_path: Path) -> None:
    prepared = _prepared(rutte, "default")
    plan: DeckPlan = prepared.plan("deck")
    i, j = _busiest(plan)
    frame = plan.slides[i].frames[j]
    assert isinstance(frame, TextFrame)
    para = frame.paras[0]
    # The first line gets the second's words too: wider than the frame, as if never broken.
    lines = (para.lines[0] + para.lines[1], *para.lines[2:])
    wide = dataclasses.replace(frame, paras=(dataclasses.replace(para, lines=lines),))
    slide = dataclasses.replace(plan.slides[i], frames=[*plan.slides[i].frames])
    slide.frames[j] = wide
    broken = dataclasses.replace(plan, slides=[*plan.slides[:i], slide, *plan.slides[i + 1 :]])
    found = _check(prepared, broken, tmp_path)
    assert any("outside every frame" in f or "off the slide" in f for f in found), found


# --- 2. the repository's outlines ---------------------------------------------------------


@pytest.mark.parametrize("deck", ["compact", "full"])
@pytest.mark.parametrize("theme", ["default", "print"])
@pytest.mark.parametrize("source", [RUTTE, FIXTURE], ids=["rutte", "fixture"])
def test_every_character_of_the_decks_is_drawn_inside_its_frame(
    source: Path, theme: str, deck: str, tmp_path: Path
) -> None:
    prepared = _prepared(load_outline(source), theme, deck)
    plan: DeckPlan = prepared.plan("deck")
    assert _check(prepared, plan, tmp_path) == []


# --- 3. generated outlines up to the section cap --------------------------------------------

_WORDS = (
    "alliance deterrence interoperability readiness a of to budget summit Secretary-General "
    "modernisation transatlantic NATO 2.1% allies posture and the reinforcement capability "
    "counter-intelligence infrastructure commitments. sustainability, (provisional) Ukraine"
)
VOCAB = _WORDS.split()


@st.composite
def text(draw: st.DrawFn, limit: int, *, long: bool) -> str:
    """Words up to ``limit`` characters: a few words, or (long) up to the limit."""
    most = max(1, limit // (4 if long else 40))
    words = draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=most))
    out = " ".join(words)
    return out[:limit].rstrip() or "x"


@st.composite
def outlines(draw: st.DrawFn) -> dict[str, Any]:
    long = draw(st.booleans())
    count = draw(st.integers(1, 50))
    # Many sections with long text would make one example take minutes; the cap on the product
    # keeps every example a few seconds while both ends (50 short, a few very long) are drawn.
    points_max = max(1, min(12, 120 // count))

    def t(limit: int) -> str:
        return draw(text(limit, long=long))

    sections = []
    for i in range(count):
        section: dict[str, Any] = {
            "id": f"s{i}",
            "title": t(120),
            "lead": t(400),
            "key_points": [
                {"headline": t(90), "detail": t(4000 if long else 600)}
                for _ in range(draw(st.integers(1, points_max)))
            ],
            "looking_ahead": t(600),
        }
        if draw(st.booleans()):
            section["assessment"] = t(120)
        metrics = draw(st.integers(0, min(12, points_max)))
        section["metrics"] = [
            {
                "label": t(60),
                "value": str(draw(st.integers(-(10**6), 10**9))),
                "unit": draw(st.sampled_from(["%", "items", "% of GDP", "bn EUR"])),
                "context": t(120),
                "source": t(200),
                "status": draw(st.sampled_from(["green", "amber", "red"])),
            }
            for _ in range(metrics)
        ]
        sections.append(section)
    judgements = [
        {
            "text": t(200),
            "confidence": draw(st.sampled_from(["low", "moderate", "high"])),
            "sections": [f"s{draw(st.integers(0, count - 1))}"],
        }
        for _ in range(draw(st.sampled_from([0, 3, 4, 5, 6])))  # 3 to 6, or none
    ]
    data: dict[str, Any] = {
        "schema": "1",
        "meta": {
            "title": t(120),
            "subtitle": t(120),
            "author": t(60),
            "date": "2025-01-09",
            "classification": "OFFICIAL",
        },
        "summary": t(1200),
        "sections": sections,
        "conclusion": {"text": t(1200), "looking_ahead": t(600)},
    }
    if judgements:
        data["key_judgements"] = judgements
    return data


def _at_risk(plan: DeckPlan, seed: int) -> list[int]:
    """The opening slides, the six with the most text, and three more from ``seed``."""
    import random

    chars = [
        sum(len(p.text) for f in s.frames if isinstance(f, TextFrame) for p in f.paras)
        for s in plan.slides
    ]
    busiest = sorted(range(len(chars)), key=lambda i: -chars[i])[:6]
    others = random.Random(seed).sample(range(len(chars)), min(3, len(chars)))
    return sorted({*range(min(5, len(chars))), *busiest, *others})


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=outlines(),
    theme=st.sampled_from(["default", "print"]),
    deck=st.sampled_from(["compact", "full"]),
    seed=st.integers(0, 1000),
)
def test_generated_outlines_of_up_to_fifty_sections_never_overflow(
    data: dict[str, Any], theme: str, deck: str, seed: int
) -> None:
    import tempfile

    outline = parse_outline(yaml.safe_dump(data, sort_keys=False).encode(), "gen.yaml")
    prepared = _prepared(outline, theme, deck)
    plan: DeckPlan = prepared.plan("deck")
    # A valid outline on a shipped theme always builds: nothing is too long for its frame.
    assert [d for d in plan.diagnostics if d.severity.name == "ERROR"] == []
    for n, slide in enumerate(plan.slides, 1):
        for frame in slide.frames:
            b = frame.box
            assert min(b.x, b.y) >= -0.01, (n, frame.role)
            assert b.right <= plan.width + 0.01, (n, frame.role)
            assert b.bottom <= plan.height + 0.01, (n, frame.role)
    picked = _at_risk(plan, seed)
    sample = dataclasses.replace(plan, slides=[plan.slides[i] for i in picked])
    with tempfile.TemporaryDirectory() as tmp:
        found = _check(prepared, sample, Path(tmp))
    assert found == [], (len(outline.sections), theme, deck, found[:5])


# --- 4. any valid theme: no overflow, or a located failure ------------------------------------

ROLES = ("title", "subtitle", "body", "card_head", "card_body", "kpi_value", "small")
DEFAULT_THEME = ROOT / "src" / "deckgen" / "assets" / "themes" / "default.yaml"


@st.composite
def size_ranges(draw: st.DrawFn) -> dict[str, tuple[float, float]]:
    """Each role's (max, min), valid for the theme schema: mostly near the default sizes, now
    and then far above them (a slide holds little text at 60 pt)."""
    out = {}
    for role in ROLES:
        top = 142.0 if role == "title" else 200.0
        big = draw(st.integers(0, 9)) == 0
        high = draw(st.floats(6, top if big else 48, allow_nan=False))
        low = draw(st.floats(6, high, allow_nan=False))
        out[role] = (round(high, 1), round(min(low, high), 1))
    return out


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sizes=size_ranges(), deck=st.sampled_from(["compact", "full"]))
# Found by this property: a 115 pt title left a chart alone on its slide 152 pt of body, and the
# chart kept its 190 pt, over the footer (a region with nothing to size was taken to fit).
@example(
    sizes={"title": (115.0, 6.0), "subtitle": (104.0, 18.6), "body": (10.9, 6.0)}
    | dict.fromkeys(("card_head", "card_body", "kpi_value", "small"), (6.0, 6.0)),
    deck="compact",
)
def test_any_valid_theme_builds_without_overflow_or_fails_located(
    sizes: dict[str, tuple[float, float]], deck: str, tmp_path_factory: pytest.TempPathFactory
) -> None:

    text = DEFAULT_THEME.read_text(encoding="utf-8")
    for role, (high, low) in sizes.items():
        text, n = re.subn(rf"(?m)^  {role}: \{{max: [\d.]+, min: [\d.]+\}}",
                          f"  {role}: {{max: {high}, min: {low}}}", text)  # fmt: skip
        assert n == 1, role
    folder = tmp_path_factory.mktemp("theme")
    path = folder / "sized.yaml"
    path.write_text(text, encoding="utf-8")
    prepared = prepare(Job(load_outline(RUTTE), load_theme(path), RUTTE, CREATED, deck=deck))
    plan: DeckPlan = prepared.plan("deck")
    errors = [d for d in plan.diagnostics if d.severity.name == "ERROR"]
    if errors:  # the build fails, each error at the text that does not fit
        assert all(d.line > 0 and d.path and "does not fit" in d.message for d in errors), errors
        return
    assert _check(prepared, plan, folder) == [], sizes


def test_a_region_with_nothing_to_size_fits_only_if_it_fits() -> None:
    """A chart alone has no text role to shrink: its region either fits as it is or not at all
    (it was taken to fit whatever its height, and a chart ran over the footer)."""
    from deckgen.plan.deck.sizes import Range, best

    ranges = {"body": Range(16, 12)}
    assert best(ranges, [], lambda sizes: True) == {}
    assert best(ranges, [], lambda sizes: False) is None


def test_key_judgements_too_large_for_two_a_slide_end_in_time(tmp_path: Path) -> None:
    """Five judgements at 40 pt fit neither five nor two a slide: the pages went 1, 2, 3 and
    then 3 again for ever (found when the theme property hung). Now one a slide, or an error."""
    import subprocess
    import sys

    text = DEFAULT_THEME.read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^  subtitle: \{max: [\d.]+, min: [\d.]+\}", "  subtitle: {max: 40, min: 40}", text
    )
    theme = tmp_path / "big.yaml"
    theme.write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "deckgen", "check", "--theme", str(theme), str(RUTTE)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr

"""The accessible deck: decorative shapes marked as PowerPoint marks them, the title first in
reading order, chart alt text that states what a chart shows and every value, and no meaning in
colour alone. The PPTX is read back with python-pptx, in shape-tree order (the order screen
readers take a slide's shapes in)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from deckgen.images import outline_images
from deckgen.model import Box, ChartFrame, DeckPlan, Para, Picture, Shape, Slide, TextFrame
from deckgen.outline import load_outline
from deckgen.plan.catalogue import words_for
from deckgen.plan.deck import plan_deck
from deckgen.plans import Job, output
from deckgen.render.reading import stacking_order
from deckgen.richtext import Run
from deckgen.theme import Theme, load_theme
from tests.conftest import RUTTE
from tests.test_template import make_template, theme_with_template

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
FIXTURE = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def decorative(shape: Any) -> bool:
    """Whether PowerPoint would call ``shape`` decorative (its cNvPr's extension)."""
    c_nv_pr = shape._element.find(".//{*}cNvPr")
    for ext in c_nv_pr.findall("{*}extLst/{*}ext"):
        mark = ext.find(DECORATIVE)
        if mark is not None:
            assert ext.get("uri") == DECORATIVE_URI
            return bool(mark.get("val") == "1")
    return False


def build(source: Path, theme: Theme, template: Path | None = None, mode: str = "") -> Any:
    outline = load_outline(source)
    if mode:
        outline = outline.model_copy(
            update={"meta": outline.meta.model_copy(update={"deck": mode})}
        )
    data = output(Job(outline, theme, source, CREATED, template), "pptx").data
    return Presentation(io.BytesIO(data))


def plan_of(source: Path, theme: Theme, mode: str = "") -> DeckPlan:
    outline = load_outline(source)
    if mode:
        outline = outline.model_copy(
            update={"meta": outline.meta.model_copy(update={"deck": mode})}
        )
    return plan_deck(outline, theme, CREATED, outline_images(outline, theme))


@pytest.fixture(scope="module")
def rutte_deck() -> tuple[DeckPlan, Any]:
    theme = load_theme()
    return plan_of(RUTTE, theme), build(RUTTE, theme)


def test_decorative_shapes_are_marked_as_powerpoint_marks_them(
    rutte_deck: tuple[DeckPlan, Any],
) -> None:
    plan, prs = rutte_deck
    marked = 0
    for slide, pptx_slide in zip(plan.slides, prs.slides, strict=True):
        for frame, shape in zip(stacking_order(slide), pptx_slide.shapes, strict=True):
            assert shape.name == ("Title" if frame.role == "title" else frame.role)
            expected = isinstance(frame, Shape) and frame.decorative
            assert decorative(shape) is expected, (slide.title, frame.role)
            marked += expected
    assert marked > 100


@pytest.mark.parametrize(("source", "mode"), [(RUTTE, "compact"), (RUTTE, "full"), (FIXTURE, "")])
def test_no_shape_the_planner_draws_carries_meaning_so_every_one_is_decorative(
    source: Path, mode: str
) -> None:
    """Rules, bands, banners' and panels' backgrounds, card stripes, tracker, meter and legend
    squares: each is decorative, and what its colour says is written beside it."""
    plan = plan_of(source, load_theme(), mode)
    shapes = [f for s in plan.slides for f in s.frames if isinstance(f, Shape)]
    assert shapes
    assert all(f.decorative for f in shapes), {f.role for f in shapes if not f.decorative}
    kinds = {f.role.split(".")[0] for f in shapes}
    assert {"rule", "banner", "kpi", "ahead", "judgement"} <= kinds
    if mode == "full":
        assert {"tracker", "divider"} <= kinds


@pytest.mark.parametrize("theme_name", ["default", "print", "template"])
@pytest.mark.parametrize("mode", ["compact", "full"])
def test_the_title_is_read_first_on_every_slide(theme_name: str, mode: str, tmp_path: Path) -> None:
    """The first shape a screen reader meets (decorative ones are skipped) is the title, with
    the plan's title text; the kicker above it comes after it."""
    template = None
    if theme_name == "template":
        template = make_template(tmp_path / "corporate.pptx")
        theme = load_theme(theme_with_template(tmp_path))
    else:
        theme = load_theme(theme_name)
    prs = build(RUTTE, theme, template, mode)
    plan = plan_of(RUTTE, theme, mode) if template is None else None
    for number, pptx_slide in enumerate(prs.slides, 1):
        read = [sh for sh in pptx_slide.shapes if not decorative(sh)]
        first = read[0]
        assert first.is_placeholder, (number, first.name)
        assert first.placeholder_format.type in TITLES, number
        names = [sh.name for sh in read]
        if "kicker" in names:
            assert names.index("kicker") > 0
        if plan is not None:
            title = next(f for f in plan.slides[number - 1].frames if f.role == "title")
            assert first.text_frame.text.replace("\x0b", " ") == title.paras[0].text


def _text(role: str, box: Box, fill: str | None = None) -> TextFrame:
    para = Para((Run("x"),), 12, "000000", 14, lines=((Run("x"),),))
    return TextFrame(role, box, (para,), fill=fill)


def test_the_title_moves_first_only_past_what_it_cannot_hide_or_be_hidden_by() -> None:
    title = _text("title", Box(40, 40, 600, 60))
    kicker = _text("kicker", Box(40, 50, 600, 12))  # inside the title's box, no fill
    panel = Shape("panel", Box(0, 0, 960, 540), "EEEEEE", decorative=True)
    card = _text("card", Box(500, 80, 200, 100), fill="DDDDDD")  # paints over the title's box
    logo = Picture("logo", Box(800, 10, 100, 40), "logo", "Logo")  # clear of the title

    def order(*frames: Any) -> list[str]:
        slide = Slide("content", "t", "s", list(frames))
        return [f.role for f in stacking_order(slide)]

    # Past unfilled text and what it does not meet; not before a decorative shape it needs not
    # pass (the panel stays under everything).
    assert order(panel, logo, kicker, title) == ["panel", "title", "logo", "kicker"]
    # Never past a filled box it overlaps: that would change what is painted.
    assert order(card, kicker, title) == ["card", "title", "kicker"]
    assert order(title, kicker) == ["title", "kicker"]
    assert order(kicker) == ["kicker"]


def test_every_chart_alt_states_what_it_shows_and_every_value() -> None:
    theme = load_theme()
    outline = load_outline(FIXTURE)
    plan = plan_of(FIXTURE, theme)
    prs = build(FIXTURE, theme)
    charts = 0
    for slide, pptx_slide in zip(plan.slides, prs.slides, strict=True):
        frames = [f for f in slide.frames if isinstance(f, ChartFrame)]
        shapes = [sh for sh in pptx_slide.shapes if sh.has_chart]
        for frame, shape in zip(frames, shapes, strict=True):
            spec, alt = frame.chart, frame.chart.alt
            assert shape._element.find(".//{*}cNvPr").get("descr") == alt
            kind = {"bar": "Bar", "column": "Column", "line": "Line", "bullet": "Bullet"}
            assert alt.startswith(f"{kind[spec.type]} chart, ")
            takeaway = spec.takeaway.rstrip(".")
            assert f"{takeaway}. " in alt  # a sentence of its own, then the values
            section = next(s for s in outline.sections if s.chart and s.chart.title == takeaway)
            for m in section.chart_metrics():
                shown = f"{m.label}: {m.value} {m.unit}" if m.unit else f"{m.label}: {m.value}"
                assert shown in alt
                if m.target:
                    target = f"{m.target} {m.unit}" if m.unit else m.target
                    assert f"against a target of {target}" in alt
            charts += 1
    assert charts == 4


@pytest.mark.parametrize(("source", "mode"), [(RUTTE, "full"), (FIXTURE, "")])
def test_no_colour_says_anything_its_slide_does_not_say_in_words(source: Path, mode: str) -> None:
    theme = load_theme()
    w = words_for("en")
    status = {color: w.status(name) for name, color in theme.palette.status.model_dump().items()}
    plan = plan_of(source, theme, mode)
    checked = 0
    for slide in plan.slides:
        words = {
            f.role: " ".join(p.text for p in f.paras) for f in slide.frames if f.kind == "text"
        }
        for f in slide.frames:
            if not isinstance(f, Shape):
                continue
            if f.role.endswith(".status") and f.fill in status:  # a card's stripe
                card = f.role.removesuffix(".status")
                assert words[f"{card}.text"].upper().startswith(status[f.fill].upper())
                checked += 1
            elif f.role.startswith("legend."):
                assert words[f"{f.role}.text"] == w.status(f.role.split(".")[1])
                checked += 1
            elif ".meter." in f.role:  # the confidence meter repeats the confidence word
                judgement = f.role.split(".meter.")[0]
                assert "confidence" in words[f"{judgement}.confidence"]
                checked += 1
            elif f.role.startswith("tracker."):  # the highlighted square: the kicker says it
                assert words["kicker"].startswith("SECTION ")
                checked += 1
    assert checked > 10

"""A deck that briefs: judgements first, action titles, one size per element, readable colour,
slides that carry their content, and charts only where the outline declares them.

Each rule of ``../shared/design/briefing.md`` that can be checked on the plan is checked here,
on the Rutte outline, on a second unrelated (fictional) outline, in both deck shapes and both
shipped themes, and on generated long outlines. The oracle for sizes, colours and fill is the
plan's own frames, measured here independently of the planner's arithmetic.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation

from deckgen.fonts import FontSet
from deckgen.model import ChartFrame, DeckPlan, Para, Shape, Slide, TextFrame
from deckgen.outline import Outline, load_outline, parse_outline
from deckgen.plan import colour
from deckgen.plan.deck import layout as L
from deckgen.plan.deck import plan_deck
from deckgen.plans import Job, output
from deckgen.textfit import wrap
from deckgen.theme import Theme, load_theme
from tests.conftest import MINIMAL, RUTTE, long_outline

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
FIXTURE = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
CONTENT = {"judgements", "summary", "key_points", "metrics", "chart", "conclusion"}


@pytest.fixture(scope="module", params=["default", "print"])
def theme_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def plan_of(path: Path, theme: str = "default", mode: str | None = None) -> DeckPlan:
    return plan_deck(load_outline(path), load_theme(theme), CREATED, mode=mode)


def fonts_of(theme: Theme) -> FontSet:
    f = theme.fonts
    return FontSet(
        f.file(False, False), f.file(True, False), f.file(False, True), f.file(True, True)
    )


# --- judgements first, action titles -------------------------------------------------------


def test_the_rutte_deck_opens_with_its_judgements_and_titles_every_section_with_its_point(
    rutte: Outline,
) -> None:
    plan = plan_of(RUTTE)
    assert len(plan.slides) <= 30
    kinds = [s.kind for s in plan.slides]
    assert kinds.index("judgements") < 3
    (kj,) = [s for s in plan.slides if s.kind == "judgements"]
    text = " ".join(p.text for f in kj.frames if isinstance(f, TextFrame) for p in f.paras)
    for judgement in rutte.key_judgements:
        assert judgement.text in text
        assert f"{judgement.confidence.capitalize()} confidence" in text  # a word, not a colour
    titles = [s.title for s in plan.slides]
    for section in rutte.sections:
        assert section.assessment in titles
    # At most two slides per section in the compact deck.
    for name, indexes in plan.sections()[1:-1]:
        assert 1 <= len(indexes) <= 2, name


def test_full_decks_add_dividers_and_an_agenda(rutte: Outline) -> None:
    plan = plan_of(RUTTE, mode="full")
    kinds = [s.kind for s in plan.slides]
    assert kinds.count("divider") == len(rutte.sections)
    assert "agenda" in kinds
    assert "ahead" not in kinds  # no one-sentence "looking ahead" slides: a panel instead


def test_the_agenda_folds_beside_the_summary_in_a_compact_deck(rutte: Outline) -> None:
    plan = plan_of(RUTTE)
    assert "agenda" not in [s.kind for s in plan.slides]
    (summary,) = [s for s in plan.slides if s.kind == "summary"]
    aside = next(f for f in summary.frames if f.role == "agenda.body")
    assert isinstance(aside, TextFrame)
    assert [p.text.split("  ", 1)[1] for p in aside.paras] == [s.title for s in rutte.sections]


def test_an_outline_without_the_new_fields_still_builds_and_is_told_what_is_missing(
    theme: Theme,
) -> None:
    outline = parse_outline(MINIMAL.encode(), "m.yaml")
    plan = plan_deck(outline, theme, CREATED)
    assert [s.kind for s in plan.slides][:2] == ["title", "summary"]
    messages = [d.message for d in plan.diagnostics]
    assert any("no key judgements" in m for m in messages)
    assert any("no assessment" in m for m in messages)
    # Without an assessment the slide says what the section is about: its lead.
    points = next(s for s in plan.slides if s.kind == "key_points")
    assert "The lead." in " ".join(
        p.text for f in points.frames if isinstance(f, TextFrame) for p in f.paras
    )


def last_line_words(para: Para) -> int:
    return len("".join(r.text for r in para.lines[-1]).split())


@pytest.mark.parametrize("path", [RUTTE, FIXTURE], ids=["rutte", "fixture"])
def test_titles_are_balanced_with_no_word_alone_on_a_last_line(path: Path) -> None:
    plan = plan_of(path)
    for slide in plan.slides:
        for f in slide.frames:
            if isinstance(f, TextFrame) and f.role == "title" and f.paras[0].hard:
                lines = f.paras[0].lines
                assert len(lines) == 2, slide.title
                assert last_line_words(f.paras[0]) >= 2, slide.title
                assert "".join(r.text for line in lines for r in line).replace(
                    " ", ""
                ) == slide.title.replace(" ", "")


# --- one size per element ----------------------------------------------------------------------


def element_sizes(plan: DeckPlan) -> dict[str, set[float]]:
    """The sizes each element of the deck is set at, across all slides."""
    out: dict[str, set[float]] = defaultdict(set)
    for slide in plan.slides:
        for f in slide.frames:
            if not isinstance(f, TextFrame) or not f.paras:
                continue
            role = re.sub(r"\.\d+", "", f.role)
            if role == "title" and slide.kind in CONTENT:
                out["title"].add(f.paras[0].size)
            elif role in {"key_points.body", "ahead.body", "conclusion.body"}:
                out["body"] |= {p.size for p in f.paras}
            elif role in {"summary.body", "judgement.text"}:
                out["lead"] |= {p.size for p in f.paras}
            elif role == "kpi.text":
                out["card value"].add(max(p.size for p in f.paras))
            elif role == "kpi.detail":
                out["card detail"].add(max(p.size for p in f.paras))
    return out


@pytest.mark.parametrize("path", [RUTTE, FIXTURE], ids=["rutte", "fixture"])
@pytest.mark.parametrize("mode", ["compact", "full"])
def test_no_element_has_more_than_two_sizes_and_body_text_is_at_least_12_pt(
    path: Path, mode: str, theme_name: str
) -> None:
    plan = plan_of(path, theme_name, mode)
    sizes = element_sizes(plan)
    assert set(sizes) >= {"title", "body", "lead"}
    for element, found in sizes.items():
        assert len(found) <= 2, (element, sorted(found))
    for slide in plan.slides:
        for f in slide.frames:
            if not isinstance(f, TextFrame):
                continue
            furniture = f.role in FURNITURE or f.role.startswith(("legend.", "tracker."))
            floor = L.FURNITURE_SIZE if furniture or ".label" in f.role else 12.0
            for p in f.paras:
                assert p.size >= floor - 0.01, (slide.title, f.role, p.size)


FURNITURE = {
    "banner.top.text",
    "banner.bottom.text",
    "footer",
    "slide_number",
    "kicker",
    "label",
    "ahead.label",
    "byline",
}


def test_a_long_section_is_split_evenly(theme: Theme) -> None:
    outline = parse_outline(long_outline(2, words=90, points=12, metrics=0).encode(), "l.yaml")
    plan = plan_deck(outline, theme, CREATED)
    groups = defaultdict(list)
    for s in plan.slides:
        if s.kind == "key_points":
            body = next(f for f in s.frames if f.role == "key_points.body")
            assert isinstance(body, TextFrame)
            groups[s.section].append(sum(len(p.text) for p in body.paras))
    assert any(len(parts) > 1 for parts in groups.values())
    for parts in groups.values():
        for before, after in zip(parts, parts[1:], strict=False):
            assert after >= 0.4 * before, parts  # never a stub after a full slide
    sizes = {
        p.size
        for s in plan.slides
        for f in s.frames
        if isinstance(f, TextFrame) and f.role == "key_points.body"
        for p in f.paras
    }
    assert len(sizes) <= 2


# --- readable colour, status in words --------------------------------------------------------


def background_of(slide: Slide, index: int, default: str) -> str:
    """What is drawn behind frame ``index``: the topmost shape under its centre, or the slide."""
    frame = slide.frames[index]
    if isinstance(frame, TextFrame) and frame.fill:
        return frame.fill
    cx, cy = frame.box.x + frame.box.w / 2, frame.box.y + frame.box.h / 2
    for f in reversed(slide.frames[:index]):
        if isinstance(f, Shape) and f.box.x <= cx <= f.box.right and f.box.y <= cy <= f.box.bottom:
            return f.fill
    return slide.background or default


@pytest.mark.parametrize("path", [RUTTE, FIXTURE], ids=["rutte", "fixture"])
@pytest.mark.parametrize("mode", ["compact", "full"])
def test_every_text_run_meets_wcag_aa_contrast(path: Path, mode: str, theme_name: str) -> None:
    theme = load_theme(theme_name)
    plan = plan_of(path, theme_name, mode)
    failures = []
    for n, slide in enumerate(plan.slides, 1):
        for i, f in enumerate(slide.frames):
            if not isinstance(f, TextFrame):
                continue
            behind = background_of(slide, i, theme.palette.background)
            for p in f.paras:
                bold = all(r.bold for r in p.runs if r.text.strip())
                need = colour.LARGE if colour.is_large(p.size, bold) else colour.NORMAL
                if colour.ratio(p.color, behind) < need:
                    failures.append(
                        (n, f.role, p.color, behind, round(colour.ratio(p.color, behind), 2))
                    )
    assert failures == []
    # The shipped themes need no rescue: no colour was adjusted to pass.
    assert not [d for d in plan.diagnostics if "contrast" in d.message]


def test_an_unreadable_theme_colour_is_darkened_and_reported(tmp_path: Path) -> None:
    text = (
        Path(__file__).parent.parent / "src" / "deckgen" / "assets" / "themes" / "default.yaml"
    ).read_text()
    text = text.replace('secondary: "2E5E8C"', 'secondary: "D89B2B"')  # gold kickers: 2.4:1
    theme_file = tmp_path / "gold.yaml"
    theme_file.write_text(text.replace("name: default", "name: gold"))
    plan = plan_deck(load_outline(RUTTE), load_theme(theme_file), CREATED)
    kickers = {f.paras[0].color for s in plan.slides for f in s.frames if f.role == "kicker"}
    assert kickers
    assert all(colour.ratio(c, "FFFFFF") >= 4.5 for c in kickers)
    assert any("D89B2B" in d.message and "contrast" in d.message for d in plan.diagnostics)


def test_status_is_a_word_with_a_legend_for_the_colours() -> None:
    plan = plan_of(FIXTURE)
    shown = 0
    for slide in plan.slides:
        stripes = [f for f in slide.frames if re.fullmatch(r"kpi\.\d+\.status", f.role)]
        words = " ".join(p.text for f in slide.frames if isinstance(f, TextFrame) for p in f.paras)
        for status, word in (("green", "ON TRACK"), ("amber", "WATCH"), ("red", "CONCERN")):
            color = load_theme().palette.status.model_dump()[status]
            if any(isinstance(f, Shape) and f.fill == color for f in stripes):
                shown += 1
                assert word in words
                assert any(f.role == f"legend.{status}" for f in slide.frames)
    assert shown


# --- slides carry their content ----------------------------------------------------------------


def text_height(frame: TextFrame, fonts: FontSet) -> float:
    width = frame.box.w - 2 * frame.inset
    total = 0.0
    for i, para in enumerate(frame.paras):
        total += len(wrap(para.runs, width - para.indent, para.size, fonts)) * para.line_pitch
        if i < len(frame.paras) - 1:
            total += para.space_after
    return total


def fill(slide: Slide, fonts: FontSet, body: tuple[float, float, float, float]) -> float:
    """Share of the body area covered by content: cards, panels, charts, pictures and text."""
    x0, y0, x1, y1 = body
    covered = 0.0
    shapes = [
        f
        for f in slide.frames
        if isinstance(f, Shape) and re.fullmatch(r"kpi\.\d+|ahead\.panel", f.role)
    ]
    for f in slide.frames:
        if f.box.y < y0 - 1 or f.box.bottom > y1 + 1:
            continue
        if f in shapes or isinstance(f, ChartFrame) or f.kind == "picture":
            covered += f.box.w * f.box.h
        elif (
            isinstance(f, TextFrame)
            and f.role
            in {
                "key_points.body",
                "summary.body",
                "conclusion.body",
                "agenda.body",
                "sources.body",
            }
            or (isinstance(f, TextFrame) and f.role.startswith("judgement."))
        ):
            inside = any(
                s.box.x <= f.box.x and f.box.right <= s.box.right + 0.5
                for s in shapes
                if s.box.y <= f.box.y <= s.box.bottom
            )
            if not inside:
                covered += f.box.w * text_height(f, fonts)
    return covered / ((x1 - x0) * (y1 - y0))


def body_area(plan: DeckPlan, theme: Theme, slide: Slide) -> tuple[float, float, float, float]:
    rule = next(f for f in slide.frames if f.role == "rule")
    top = rule.box.bottom + L.BODY_GAP
    banner = theme.slide.banner if any(f.role == "banner.top" for f in slide.frames) else 0
    bottom = plan.height - banner - L.FOOTER_GAP - L.FOOTER_HEIGHT - L.BODY_FOOTER_GAP
    m = theme.slide.margin
    return (m, top, plan.width - m, bottom)


@pytest.mark.parametrize("mode", ["compact", "full"])
def test_no_slide_of_the_rutte_deck_leaves_more_than_half_its_body_empty(
    mode: str, theme_name: str
) -> None:
    theme = load_theme(theme_name)
    fonts = fonts_of(theme)
    plan = plan_of(RUTTE, theme_name, mode)
    for n, slide in enumerate(plan.slides, 1):
        if slide.kind in CONTENT:
            share = fill(slide, fonts, body_area(plan, theme, slide))
            assert share >= L.FILL_MIN, (n, slide.kind, slide.title, round(share, 2))


def test_every_section_slide_of_a_second_outline_is_at_least_half_full(theme_name: str) -> None:
    theme = load_theme(theme_name)
    fonts = fonts_of(theme)
    plan = plan_of(FIXTURE, theme_name)
    sections = [s for s in plan.slides if s.kind in {"key_points", "metrics", "chart"}]
    assert len(sections) == 5  # five sections, one slide each: charts sit beside the points
    for slide in sections:
        share = fill(slide, fonts, body_area(plan, theme, slide))
        assert share >= L.FILL_MIN, (slide.title, round(share, 2))


def test_cards_are_sized_to_what_they_hold(theme: Theme) -> None:
    plan = plan_of(RUTTE)
    heights = [f.box.h for s in plan.slides for f in s.frames if re.fullmatch(r"kpi\.\d+", f.role)]
    assert heights
    assert max(heights) < 0.4 * (plan.height - 200)  # no card stretched to the body's height


# --- charts only where declared, drawn well ------------------------------------------------------


@pytest.mark.parametrize("path", [RUTTE, FIXTURE], ids=["rutte", "fixture"])
def test_every_chart_is_a_declared_one(path: Path) -> None:
    outline = load_outline(path)
    plan = plan_of(path)
    charts = [f.chart for s in plan.slides for f in s.frames if isinstance(f, ChartFrame)]
    declared = [s for s in outline.sections if s.chart is not None]
    assert [c.takeaway for c in charts] == [s.chart.title for s in declared if s.chart]
    for spec, section in zip(charts, declared, strict=True):
        assert spec.type == section.chart.type  # type: ignore[union-attr]
        assert list(spec.labels) == [m.value for m in section.chart_metrics()]


def test_two_numbers_in_one_unit_make_no_chart_unless_declared(theme: Theme) -> None:
    text = MINIMAL.replace(
        "    looking_ahead: Next steps.\n",
        "    looking_ahead: Next steps.\n    metrics:\n"
        + "".join(
            f"      - label: M{i}\n        value: '{i + 3}'\n        unit: items\n"
            "        context: c\n        source: s\n"
            for i in range(3)
        ),
    )
    plan = plan_deck(parse_outline(text.encode(), "c.yaml"), theme, CREATED)
    assert not [f for s in plan.slides for f in s.frames if isinstance(f, ChartFrame)]


def chart_parts(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("ppt/charts/chart")
        }


def test_native_charts_of_every_type_label_each_value_as_written() -> None:
    outline = load_outline(FIXTURE)
    data = output(Job(outline, load_theme(), FIXTURE, CREATED), "pptx").data
    parts = chart_parts(data)
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    kinds = []
    for xml in parts.values():
        plot = xml.find(f".//{c}plotArea")
        group = next(e for e in plot if e.tag in (f"{c}barChart", f"{c}lineChart"))
        direction = group.find(f"{c}barDir")
        kinds.append(
            (group.tag.split("}")[1], direction.get("val") if direction is not None else None)
        )
        for ax in xml.iter(f"{c}axId"):
            assert 0 < int(ax.get("val")) < 2**32  # unsigned, as the schema types them
    assert sorted(kinds) == sorted(
        [("barChart", "bar"), ("lineChart", None), ("barChart", "col"), ("barChart", "bar")]
    )
    # Each value is labelled in its own written form: 90.5 with one decimal, 93 with none.
    bullet = next(x for x in parts.values() if b"Mortar" in etree.tostring(x))
    formats = [e.get("formatCode") for e in bullet.iter(f"{c}numFmt")]
    assert {"0", "0.0"} <= set(formats)
    # Targets are a second series, drawn behind the values.
    names = [v.text for v in bullet.iter(f"{c}v")]
    assert "Target" in names
    prs = Presentation(io.BytesIO(data))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                assert shape.chart.plots[0].series  # python-pptx reads every chart back


def test_the_command_line_chooses_the_deck_shape(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    def slides(*extra: str) -> int:
        done = run_cli("build", "--format", "pptx", "-o", str(tmp_path), *extra, str(FIXTURE))
        assert done.returncode == 0, done.stderr
        return len(Presentation(str(tmp_path / f"{FIXTURE.stem}.pptx")).slides)

    compact = slides()
    full = slides("--deck", "full")  # a changed option rebuilds the target
    assert full == compact + 5 + 1  # a divider per section and an agenda
    assert slides("--deck", "compact") == compact
    done = run_cli("build", "--deck", "long", str(FIXTURE))
    assert done.returncode != 0
    assert "invalid choice: 'long'" in done.stderr


# --- charts and text at the edges (issue "Hardening", items 5 and 8) ------------------------


def test_charts_of_negative_and_very_large_values_keep_their_labels_inside(theme: Theme) -> None:
    from deckgen.model import Box, ChartSpec
    from deckgen.plan.charts import nice_axis
    from deckgen.render.slide_draw import Text, chart_ops

    lo, hi, step = nice_axis((-3.0, -12.5))
    assert lo < -12.5  # an axis that shows the bars, not 0 to 1
    assert hi == 0.0
    assert step > 0
    fonts = fonts_of(theme)
    for values, labels in (((-3.0, -12.5), ("-3", "-12.5")), ((1.2e23, 3e22), ("1" * 24, "3e22"))):
        lo, hi, step = nice_axis(values)
        for kind in ("bar", "column", "line", "bullet"):
            spec = ChartSpec(
                type=kind,  # type: ignore[arg-type]
                title="units",
                takeaway="t",
                categories=("First", "Second"),
                values=values,
                labels=labels,
                unit="units",
                number_format="0",
                formats=("0", "0"),
                colors=("14284B", "14284B"),
                text_color="1E2633",
                font_size=12,
                alt="a",
                targets=values if kind == "bullet" else (),
                axis_min=lo,
                axis_max=hi,
                axis_step=step,
            )
            box = Box(100, 100, 360, 240)
            for op in chart_ops(ChartFrame("chart", box, spec), fonts):
                if isinstance(op, Text):
                    width = fonts.width(op.text, op.bold, op.italic, op.size)
                    assert box.x - 0.5 <= op.x, (kind, op)
                    assert op.x + width <= box.right + 0.5, (kind, op)


def test_alt_text_and_every_new_field_are_checked_for_glyphs(tmp_path: Path, theme: Theme) -> None:
    from deckgen.plan.glyphs import check_glyphs

    text = MINIMAL.replace(
        "    looking_ahead: Next steps.\n",
        "    looking_ahead: Next steps.\n    assessment: \u4e2d\u6587 point\n"
        "    image:\n      path: img/map.png\n      alt: \u5730\u56fe of the flank\n",
    )
    outline = parse_outline(text.encode(), "g.yaml")
    paths = {d.path for d in check_glyphs(outline, theme)}
    assert {"sections[0].assessment", "sections[0].image.alt"} <= paths

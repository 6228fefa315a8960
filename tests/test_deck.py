"""The deck: plan golden, fit guarantees, PPTX structure, reproducibility, LibreOffice interop."""

from __future__ import annotations

import io
import posixpath
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from deckgen.fonts import FontSet
from deckgen.model import DeckPlan, TextFrame
from deckgen.outline import Outline, load_outline, parse_outline
from deckgen.plan.deck import plan_deck
from deckgen.plans import Job, Rendered, output
from deckgen.textfit import wrap
from deckgen.theme import Theme
from tests.conftest import (
    RUTTE,
    libreoffice_convert,
    long_outline,
    outline_with_picture,
    require_tool,
)


def render(job: Job) -> Rendered:
    return output(job, "pptx")


CREATED = datetime(2025, 1, 9, tzinfo=UTC)
P14 = "{http://schemas.microsoft.com/office/powerpoint/2010/main}"


@pytest.fixture(scope="module")
def plan(rutte: Outline, theme: Theme) -> DeckPlan:
    return plan_deck(rutte, theme, CREATED)


@pytest.fixture(scope="module")
def deck_bytes(rutte: Outline, theme: Theme) -> bytes:
    return render(Job(rutte, theme, RUTTE, CREATED)).data


def test_deck_structure_follows_the_outline(plan: DeckPlan, rutte: Outline) -> None:
    kinds = [s.kind for s in plan.slides]
    assert kinds[:3] == ["title", "judgements", "summary"]
    assert kinds[-1] == "conclusion"
    names = [name for name, _ in plan.sections()]
    assert names == ["Opening", *[s.title for s in rutte.sections], "Closing"]
    for (_name, idx), section in zip(plan.sections()[1:-1], rutte.sections, strict=True):
        group = [plan.slides[i] for i in idx]
        assert group[0].kind == "key_points"
        assert group[0].title == section.assessment
        assert {s.kind for s in group} <= {"key_points", "metrics", "chart"}
    assert all(s.title and s.notes for s in plan.slides)


@pytest.mark.parametrize("metrics", range(1, 13))
def test_every_metric_is_shown_once_and_many_are_shared_out_evenly(
    theme: Theme, metrics: int
) -> None:
    outline = parse_outline(long_outline(1, words=30, points=2, metrics=metrics).encode(), "m.yaml")
    plan = plan_deck(outline, theme, CREATED)
    shown = [
        f.paras[-1 if f.role.endswith("detail") else 0].text
        for s in plan.slides
        for f in s.frames
        if isinstance(f, TextFrame) and f.role.startswith("kpi.")
    ]
    cards = {
        f.role.split(".")[1] for s in plan.slides for f in s.frames if f.role.startswith("kpi.")
    }
    assert len(cards) == metrics  # every metric is a card or an indicator row, once
    rows = [
        sum(
            1
            for f in s.frames
            if f.kind == "shape" and f.role.count(".") == 1 and f.role.startswith("kpi.")
        )
        for s in plan.slides
        if s.kind == "metrics"
    ]
    if rows:
        assert max(rows) - min(rows) <= 1  # shared out evenly across slides
    assert shown
    assert not [f for s in plan.slides for f in s.frames if f.kind == "chart"]  # none declared
    assert_everything_fits(plan, theme)


def frame_height(frame: TextFrame, fonts: FontSet) -> float:
    width = frame.box.w - 2 * frame.inset
    total = 0.0
    for i, para in enumerate(frame.paras):
        lines = len(wrap(para.runs, width - para.indent, para.size, fonts))
        total += lines * para.line_pitch
        if i < len(frame.paras) - 1:
            total += para.space_after
    return total


def assert_everything_fits(plan: DeckPlan, theme: Theme) -> None:
    f = theme.fonts
    fonts = FontSet(
        f.file(False, False), f.file(True, False), f.file(False, True), f.file(True, True)
    )
    for n, slide in enumerate(plan.slides, 1):
        for frame in slide.frames:
            box = frame.box
            assert min(box.x, box.y) >= 0, (n, frame.role)
            assert max(box.right - plan.width, box.bottom - plan.height) <= 0.01, (n, frame.role)
            if isinstance(frame, TextFrame):
                need = frame_height(frame, fonts)
                assert need <= box.h - 2 * frame.inset + 0.01, (
                    n,
                    slide.title,
                    frame.role,
                    need,
                    box.h,
                )


def test_every_rutte_text_frame_fits_and_every_shape_is_on_the_slide(
    plan: DeckPlan, theme: Theme
) -> None:
    assert_everything_fits(plan, theme)


@pytest.mark.parametrize("words", [20, 120, 400])
def test_long_generated_outlines_fit_by_shrinking_and_continuing(theme: Theme, words: int) -> None:
    outline = parse_outline(long_outline(4, words=words, points=6, metrics=7).encode(), "long.yaml")
    plan = plan_deck(outline, theme, CREATED)
    assert_everything_fits(plan, theme)
    if words == 400:
        assert any("(cont.)" in s.title for s in plan.slides)
        assert any("continues" in d.message and d.file == "long.yaml" for d in plan.diagnostics)
    # Nothing is dropped: every key-point headline and metric value is on some slide.
    shown = " ".join(
        p.text for s in plan.slides for f in s.frames if isinstance(f, TextFrame) for p in f.paras
    )
    for section in outline.sections:
        for kp in section.key_points:
            assert kp.headline in shown
        for m in section.metrics:
            assert m.value in shown


def test_pptx_structure(deck_bytes: bytes, plan: DeckPlan) -> None:
    prs = Presentation(io.BytesIO(deck_bytes))
    assert len(prs.slides) == len(plan.slides)
    assert prs.slide_width == 960 * 12700
    for slide, planned in zip(prs.slides, plan.slides, strict=True):
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.strip()
        assert slide.shapes.title is not None
        # A balanced title's planned line break is a vertical tab in python-pptx's text.
        assert slide.shapes.title.text_frame.text.replace("\x0b", " ") == planned.title
    # Native charts, only where declared, each with its data embedded and alt text.
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == sum(1 for s in plan.slides for f in s.frames if f.kind == "chart")
    assert len(charts) == 1  # the Rutte outline declares one
    for chart in charts:
        descr = chart._element.find(".//{*}cNvPr").get("descr")
        assert descr.startswith("Bar chart")
        assert "/" not in descr.split(".")[0]
        assert chart.chart.part.chart_workbook.xlsx_part is not None
        values = list(chart.chart.plots[0].series[0].values)
        assert len(values) >= 2
    core = prs.core_properties
    assert core.title == plan.meta.title
    assert core.author == plan.meta.author
    assert core.created == datetime(2025, 1, 9)


def _sheet_cells(xlsx: bytes) -> dict[str, str]:
    """Cell reference -> value as text, for the first worksheet of a workbook."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{ns}t"))
            for si in etree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{ns}si")
        ]
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for c in sheet.iter(f"{ns}c"):
        v = c.find(f"{ns}v")
        assert v is not None
        assert v.text is not None
        cells[c.get("r")] = strings[int(v.text)] if c.get("t") == "s" else v.text
    return cells


def test_each_chart_embeds_its_own_data_as_an_editable_workbook(deck_bytes: bytes) -> None:
    prs = Presentation(io.BytesIO(deck_bytes))
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert charts
    for chart in charts:
        plot = chart.plots[0]
        cells = _sheet_cells(chart.part.chart_workbook.xlsx_part.blob)
        series = plot.series[0]
        assert cells["B1"] == series.name
        for row, (category, value) in enumerate(
            zip(plot.categories, series.values, strict=True), 2
        ):
            assert cells[f"A{row}"] == category
            assert float(cells[f"B{row}"]) == value
        assert f"A{len(plot.categories) + 2}" not in cells


def test_chart_text_that_looks_like_a_formula_stays_text_in_the_workbook() -> None:
    from deckgen.render.pptx_ooxml import chart_workbook

    book = chart_workbook("=SUM(A1)", ['=HYPERLINK("x")', "@cmd"], [1.0, 2.0], datetime(2025, 1, 9))
    cells = _sheet_cells(book)
    assert cells == {"B1": "=SUM(A1)", "A2": '=HYPERLINK("x")', "A3": "@cmd", "B2": "1", "B3": "2"}
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
        assert b"2025-01-09T00:00:00Z" in z.read("docProps/core.xml")


def test_powerpoint_sections_match_the_plan(deck_bytes: bytes, plan: DeckPlan) -> None:
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        pres = etree.fromstring(z.read("ppt/presentation.xml"))
    ids = [
        e.get("id")
        for e in pres.iter("{*}sldId")
        if e.getparent().tag.endswith("}sldIdLst") and not e.tag.startswith(P14)
    ]
    sections = pres.findall(f".//{P14}section")
    assert [s.get("name") for s in sections] == [name for name, _ in plan.sections()]
    listed = [[e.get("id") for e in s.iter(f"{P14}sldId")] for s in sections]
    assert sum(listed, []) == ids


def test_every_part_is_unique_typed_and_parses_and_every_relationship_resolves(
    deck_bytes: bytes,
) -> None:
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert len(names) == len(set(names)), "a part is written twice"
        types = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {e.get("PartName") for e in types.iter("{*}Override")}
        defaults = {e.get("Extension") for e in types.iter("{*}Default")}
        for name in names:
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))
            if name != "[Content_Types].xml":
                assert "/" + name in overrides or name.rsplit(".", 1)[-1] in defaults, name
            if not name.endswith(".rels"):
                continue
            source_dir = posixpath.dirname(posixpath.dirname(name))
            for rel in etree.fromstring(z.read(name)).iter("{*}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(source_dir, rel.get("Target")))
                assert target.lstrip("/") in names, (name, rel.get("Target"))


def test_text_is_real_text_with_explicit_sizes_and_no_autofit(deck_bytes: bytes) -> None:
    prs = Presentation(io.BytesIO(deck_bytes))
    slide = prs.slides[4]
    frames = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.strip()]
    assert frames
    for sh in frames:
        body = sh.text_frame._txBody.find("{*}bodyPr")
        assert body.find("{*}normAutofit") is None
        for p in sh.text_frame.paragraphs:
            for r in p.runs:
                assert r.font.size is not None


def test_builds_are_byte_identical(rutte: Outline, theme: Theme, deck_bytes: bytes) -> None:
    again = render(Job(rutte, theme, RUTTE, CREATED)).data
    assert again == deck_bytes
    other = render(Job(rutte, theme, RUTTE, datetime(2026, 3, 1, tzinfo=UTC))).data
    assert other != deck_bytes
    with zipfile.ZipFile(io.BytesIO(other)) as z:
        assert b"2026-03-01T00:00:00Z" in z.read("docProps/core.xml")
        assert {i.date_time[:3] for i in z.infolist()} == {(2026, 3, 1)}


def test_libreoffice_converts_with_one_page_per_slide(
    deck_bytes: bytes, plan: DeckPlan, tmp_path: Path
) -> None:
    pdfinfo = require_tool("pdfinfo")
    src = tmp_path / "deck.pptx"
    src.write_bytes(deck_bytes)
    libreoffice_convert(src, tmp_path)
    info = subprocess.run(
        [pdfinfo, str(tmp_path / "deck.pdf")], capture_output=True, text=True, check=True
    )
    pages = int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )
    assert pages == len(plan.slides)


def test_section_image_and_logo_reach_the_deck_with_alt_text(tmp_path: Path) -> None:
    from deckgen.theme import load_theme

    src = outline_with_picture(tmp_path)
    outline = load_outline(src)
    # The shipped themes carry no logo (a placeholder must not reach a deck meant for use);
    # a theme that names one gets it on the title slide.
    theme_file = tmp_path / "with-logo.yaml"
    default = (
        RUTTE.parent.parent / "src" / "deckgen" / "assets" / "themes" / "default.yaml"
    ).read_text()
    theme_file.write_text(
        "logo: deckgen-mark.png\n" + default.replace("name: default", "name: logo")
    )
    data = render(Job(outline, load_theme(theme_file), src, CREATED)).data
    prs = Presentation(io.BytesIO(data))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]  # PICTURE
    alts = sorted(sh._element.find(".//{*}cNvPr").get("descr") for sh in pictures)
    assert alts == ["Logo of Test unit", "Map of the eastern flank"]
    for sh in pictures:
        assert sh.left + sh.width <= prs.slide_width
        assert sh.top + sh.height <= prs.slide_height
    # The picture keeps its proportions (2:1) within a pixel's rounding.
    section_pic = next(
        sh for sh in pictures if "Map" in sh._element.find(".//{*}cNvPr").get("descr")
    )
    assert section_pic.width / section_pic.height == pytest.approx(2.0, rel=0.01)


def test_bad_section_image_is_a_located_error(tmp_path: Path, theme: Theme) -> None:
    from deckgen.diagnostics import InputError
    from tests.conftest import MINIMAL

    text = MINIMAL.replace(
        "    looking_ahead: Next steps.",
        "    looking_ahead: Next steps.\n    image:\n      path: ../../etc/passwd\n      alt: x",
    )
    src = tmp_path / "bad.yaml"
    src.write_text(text, encoding="utf-8")
    outline = load_outline(src)
    with pytest.raises(InputError) as info:
        render(Job(outline, theme, src, CREATED))
    (diag,) = info.value.diagnostics
    where = f"{src}:17:13: sections[0].image.path: "
    assert diag.format() == where + (
        f"image path '../../etc/passwd' resolves outside the project ({tmp_path}) "
        "and the built-in assets"
    )


def test_divider_tracker_is_bounded_and_shows_where_we_are(theme: Theme) -> None:
    outline = parse_outline(long_outline(40, words=8, points=1, metrics=0).encode(), "t.yaml")
    plan = plan_deck(outline, theme, CREATED, mode="full")
    dividers = [s for s in plan.slides if s.kind == "divider"]
    assert len(dividers) == 40
    for n, slide in enumerate(dividers, 1):
        squares = [f for f in slide.frames if f.kind == "shape" and f.role.startswith("tracker.")]
        labels = [
            f for f in slide.frames if isinstance(f, TextFrame) and f.role.startswith("tracker.")
        ]
        assert len(squares) == 15  # a window, not all 40: every divider costs the same
        numbers = [int(f.paras[0].text) for f in labels]
        assert n in numbers
        assert numbers == list(range(numbers[0], numbers[0] + 15))
        current = next(f for f in squares if f.role == f"tracker.{n}")
        assert current.fill == theme.palette.accent

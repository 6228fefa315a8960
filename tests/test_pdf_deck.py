"""The deck as PDF: pages, positions and text against the plan and the PPTX, bookmarks, metadata,
reproducible bytes."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pptx import Presentation

from deckgen.fonts import FontSet
from deckgen.images import outline_images
from deckgen.model import DeckPlan, TextFrame
from deckgen.outline import Outline, load_outline, parse_outline
from deckgen.plan.deck import plan_deck
from deckgen.plans import Job, Rendered, output
from deckgen.render import FORMATS
from deckgen.render.pdf_deck import write
from deckgen.render.reading import FURNITURE, stacking_order
from deckgen.render.slide_draw import first_lines
from deckgen.theme import Theme
from tests.conftest import RUTTE, long_outline, require_tool
from tests.tagged import open_tagged, pdffonts, problems, struct_text


def render(job: Job) -> Rendered:
    return output(job, "deck-pdf")


CREATED = datetime(2025, 1, 9, tzinfo=UTC)
EMU_PER_PT = 12700
# Liberation Sans' ascent and descent (hhea) as shares of the size: a line's glyph extent.
ASCENT, DESCENT = 0.905, 0.212
# Positions in the PDF are written to 0.01 pt; a glyph's extent reaches at most a descent
# (0.21 x 9 pt, about 2 pt) past a one-line frame as tight as the footer's 16 pt box. So a
# first line must lie inside its frame's box within 2 pt, and its baseline must be where the
# shared drawing operations put it within 0.05 pt.
BOX_TOLERANCE = 2.0
BASELINE_TOLERANCE = 0.05


@pytest.fixture(scope="module")
def plan(rutte: Outline, theme: Theme) -> DeckPlan:
    return plan_deck(rutte, theme, CREATED, outline_images(rutte, theme))


@pytest.fixture(scope="module")
def deck_pdf(rutte: Outline, theme: Theme, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deck") / "rutte-deck.pdf"
    path.write_bytes(render(Job(rutte, theme, RUTTE, CREATED)).data)
    return path


@pytest.fixture(scope="module")
def deck_pptx(rutte: Outline, theme: Theme) -> Any:
    data = output(Job(rutte, theme, RUTTE, CREATED), "pptx").data
    return Presentation(io.BytesIO(data))


def _doc(pdf: Path) -> tuple[PDFDocument, Any]:
    fh = pdf.open("rb")
    return PDFDocument(PDFParser(fh)), fh


def test_the_registry_names_the_deck_pdf_format() -> None:
    fmt = FORMATS["deck-pdf"]
    assert fmt.suffix == "-deck.pdf"
    assert fmt.writer() is write


def test_one_page_per_slide_at_the_plan_size(deck_pdf: Path, plan: DeckPlan) -> None:
    with pdfplumber.open(deck_pdf) as pdf:
        assert len(pdf.pages) == len(plan.slides)
        assert {(p.width, p.height) for p in pdf.pages} == {(plan.width, plan.height)}


def _pdf_lines(page: Any) -> list[tuple[float, list[dict[str, Any]]]]:
    """Characters grouped by baseline (top-down), each group sorted left to right."""
    groups: dict[float, list[dict[str, Any]]] = {}
    for ch in page.chars:
        groups.setdefault(round(page.height - ch["matrix"][5], 2), []).append(ch)
    return sorted((y, sorted(g, key=lambda c: c["x0"])) for y, g in groups.items())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_text_frame_agrees_between_plan_pptx_and_pdf(
    plan: DeckPlan, deck_pdf: Path, deck_pptx: Any, theme: Theme
) -> None:
    """Slide by slide: the PPTX shape has the plan frame's box and text; the PDF draws the
    frame's first line on the planned baseline, inside the frame's box."""
    fonts = FontSet.of(theme.faces())
    checked = 0
    with pdfplumber.open(deck_pdf) as pdf:
        for number, (slide, page, pptx_slide) in enumerate(
            zip(plan.slides, pdf.pages, deck_pptx.slides, strict=True), 1
        ):
            shapes = list(pptx_slide.shapes)
            assert len(shapes) == len(slide.frames), f"slide {number}"
            # The PPTX stacks the title first (reading order); the PDF draws in plan order.
            for frame, shape in zip(stacking_order(slide), shapes, strict=True):
                box = frame.box
                got = [v / EMU_PER_PT for v in (shape.left, shape.top, shape.width, shape.height)]
                assert got == pytest.approx([box.x, box.y, box.w, box.h], abs=1 / EMU_PER_PT)
                if isinstance(frame, TextFrame):
                    expected = "\n".join(p.text for p in frame.paras)
                    # A planned line break (balanced titles) reads as a vertical tab here.
                    got_text = shape.text_frame.text.replace("\x0b", " ")
                    assert got_text == expected, f"slide {number} {frame.role}"
            lines = _pdf_lines(page)
            frames = {f.role: f for f in slide.frames if isinstance(f, TextFrame)}
            for first in first_lines(slide, fonts):
                frame = frames[first.role]
                box = frame.box
                size = frame.paras[0].size
                candidates = [
                    [c for c in chars if box.x - 1 <= c["x0"] and c["x1"] <= box.right + 1]
                    for y, chars in lines
                    if abs(y - first.baseline) <= BASELINE_TOLERANCE
                ]
                texts = [_squash("".join(c["text"] for c in cs)) for cs in candidates]
                assert any(_squash(first.text) in t for t in texts), (
                    f"slide {number} {first.role}: {first.text!r} not on its baseline; {texts}"
                )
                top = first.baseline - ASCENT * size
                bottom = first.baseline + DESCENT * size
                assert box.y - BOX_TOLERANCE <= top, f"slide {number} {first.role} above box"
                assert bottom <= box.bottom + BOX_TOLERANCE, f"slide {number} {first.role}"
                xs = [c for cs in candidates for c in cs]
                assert min(c["x0"] for c in xs) >= box.x - BOX_TOLERANCE
                assert max(c["x1"] for c in xs) <= box.right + BOX_TOLERANCE
                checked += 1
    assert checked > 8 * len(plan.slides)


def test_bookmarks_are_the_sections_opening_at_their_first_slide(
    deck_pdf: Path, plan: DeckPlan
) -> None:
    doc, fh = _doc(deck_pdf)
    with fh:
        pages = {page.pageid: i for i, page in enumerate(PDFPage.create_pages(doc))}
        outlines = list(doc.get_outlines())

        def target(dest: Any) -> int:
            dest = resolve1(dest)
            if isinstance(dest, bytes):
                dest = resolve1(doc.get_dest(dest))
            if isinstance(dest, dict):
                dest = resolve1(dest["D"])
            return pages[dest[0].objid]

        # pdfminer numbers outline levels from 1: sections, then the slides beneath them.
        top = [(title, target(dest)) for level, title, dest, *_ in outlines if level == 1]
        slides = [(title, target(dest)) for level, title, dest, *_ in outlines if level == 2]
    assert top == [(name, idx[0]) for name, idx in plan.sections()]
    assert slides == [(f"{i}. {s.title}", i - 1) for i, s in enumerate(plan.slides, 1)]


def test_metadata_matches_the_plan(deck_pdf: Path, plan: DeckPlan) -> None:
    doc, fh = _doc(deck_pdf)
    with fh:
        info = {k: resolve1(v) for k, v in doc.info[0].items()}
        catalog = {k: resolve1(v) for k, v in doc.catalog.items()}
    meta = plan.meta
    assert info["Title"].decode() == meta.title
    assert info["Author"].decode() == meta.author
    assert info["Subject"].decode() == meta.subject
    assert info["Keywords"].decode() == meta.keywords
    assert info["CreationDate"].decode().startswith("D:20250109000000")
    assert catalog["Lang"] == meta.language.encode()
    assert resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"] is True


def test_builds_are_byte_identical_and_dated_by_the_job(
    rutte: Outline, theme: Theme, deck_pdf: Path
) -> None:
    again = render(Job(rutte, theme, RUTTE, CREATED)).data
    assert again == deck_pdf.read_bytes()
    other = render(Job(rutte, theme, RUTTE, datetime(2026, 3, 1, tzinfo=UTC))).data
    assert other != again
    assert b"D:20260301000000" in other


def test_a_minimal_and_a_long_outline_render_one_page_per_slide(
    minimal_outline: Path, theme: Theme
) -> None:
    for outline in (
        load_outline(minimal_outline),
        parse_outline(long_outline(3, words=120).encode(), "long.yaml"),
    ):
        planned = plan_deck(outline, theme, CREATED)
        data = render(Job(outline, theme, minimal_outline, CREATED)).data
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == len(planned.slides)


# --- accessibility: the deck PDF is tagged like the brief --------------------------------------


def test_the_deck_pdf_is_tagged_and_passes_the_checks(deck_pdf: Path) -> None:
    tagged = open_tagged(deck_pdf)
    assert problems(tagged) == []
    with pikepdf.open(deck_pdf) as pdf:
        assert pdf.pdf_version == "1.7"
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"


@pytest.mark.interop
def test_pdfinfo_and_pdffonts_see_a_tagged_deck_with_embedded_fonts(deck_pdf: Path) -> None:
    tool = require_tool("pdfinfo")
    info = subprocess.run([tool, str(deck_pdf)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    fonts = pdffonts(deck_pdf)
    assert fonts
    assert all(f["emb"] == f["uni"] == "yes" for f in fonts)
    assert all("LiberationSans" in f["name"] for f in fonts)


@pytest.mark.interop
def test_each_slide_is_a_section_read_title_first(deck_pdf: Path, plan: DeckPlan) -> None:
    """Each slide: a Sect titled as the slide, its title's text as H1 first, then its text
    frames in plan order (kicker, body, cards...), each paragraph once; no furniture."""
    read = struct_text(deck_pdf)
    starts = [i for i, (role, _) in enumerate(read) if role == "Sect"]
    assert len(starts) == len(plan.slides)
    for slide, start, end in zip(plan.slides, starts, [*starts[1:], len(read)], strict=True):
        items = read[start + 1 : end]
        frames = [f for f in slide.frames if isinstance(f, TextFrame)]
        title = next(f for f in frames if f.role == "title")
        assert (items[0][0], _flat(items[0][1])) == ("H1", _flat(title.paras[0].text))
        # Words stay apart where lines break: each line a paragraph continues ends in a space.
        texts = [_flat(t) for role, t in items[1:] if role in ("P", "LBody")]
        expected = [
            _flat(p.text)
            for f in frames
            if f.role not in FURNITURE and f is not title
            for p in f.paras
        ]
        assert texts == expected, slide.title
    everything = " ".join(t for _, t in read)
    assert "UNCLASSIFIED" not in everything  # the banners are artifacts
    footer = next(f for f in plan.slides[3].frames if f.role == "footer")
    assert _flat(footer.paras[0].text) not in _flat(everything)  # so is the footer


def test_bullets_are_list_items_and_charts_and_pictures_are_figures(
    deck_pdf: Path, plan: DeckPlan
) -> None:
    tagged = open_tagged(deck_pdf)
    sects = tagged.root.kids
    assert [s.role for s in sects] == ["Sect"] * len(plan.slides)
    assert [str(s.get("/T")) for s in sects] == [s.title for s in plan.slides]
    bullets = sum(
        1
        for s in plan.slides
        for f in s.frames
        if isinstance(f, TextFrame)
        for p in f.paras
        if p.bullet
    )
    items = tagged.elements("LI")
    assert len(items) == bullets > 20
    assert all([k.role for k in li.kids] == ["Lbl", "LBody"] for li in items)
    alts = [
        f.chart.alt if f.kind == "chart" else f.alt
        for s in plan.slides
        for f in s.frames
        if f.kind in ("chart", "picture")
    ]
    assert [str(f.get("/Alt")) for f in tagged.elements("Figure")] == alts
    assert alts

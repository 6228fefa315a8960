"""Right-to-left text (Hebrew): a right-to-left base direction in every output.

A paragraph whose first strong character is Hebrew is right-to-left (UAX #9, P2-P3): it is set
from the right, and the PDFs draw its lines in visual order, so that the full stop that ends a
Hebrew sentence stands at its left end. PowerPoint and Word are told (``rtl="1"``, ``w:bidi``)
and order the characters themselves. Liberation Sans draws Hebrew, so these builds pass the
glyph check; Arabic, which it does not draw, is refused or warned about there.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree

from deckgen.direction import is_rtl, visual
from deckgen.model import TextFrame
from deckgen.outline import Outline, parse_outline
from deckgen.plans import Job, output, prepare
from deckgen.richtext import Run
from deckgen.theme import Theme

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# "The line towards Ukraine is kept; the difference is in style (not substance)."
HEBREW = (
    "\u05d4\u05e7\u05d5 \u05e0\u05e9\u05de\u05e8; \u05d4\u05d4\u05d1\u05d3\u05dc "
    "\u05d4\u05d5\u05d0 \u05d1\u05e1\u05d2\u05e0\u05d5\u05df "
    "(\u05dc\u05d0 \u05d1\u05ea\u05d5\u05db\u05df)."
)
HEADLINE = (  # "Continuity in policy"
    "\u05d4\u05de\u05e9\u05db\u05d9\u05d5\u05ea \u05d1\u05de\u05d3\u05d9\u05e0\u05d9\u05d5\u05ea"
)
SHALOM = "\u05e9\u05dc\u05d5\u05dd"

OUTLINE = f"""\
schema: "1"
meta:
  title: Readiness review
  subtitle: A fictional outline with Hebrew paragraphs
  author: Planning staff
  date: "2025-01-09"
summary: The summary is English.
sections:
  - id: one
    title: The transition
    lead: The lead is English.
    key_points:
      - headline: "{HEADLINE}"
        detail: "{HEBREW}"
      - headline: An English headline
        detail: English text with the Hebrew word {SHALOM} in the middle.
    looking_ahead: Next steps.
conclusion:
  text: In short, a steady start.
  looking_ahead: Watch the budget.
"""


@pytest.fixture(scope="module")
def outline() -> Outline:
    return parse_outline(OUTLINE.encode(), "hebrew.yaml")


@pytest.fixture(scope="module")
def job(outline: Outline, theme: Theme) -> Job:
    return Job(outline, theme, Path("hebrew.yaml"), CREATED)


# --- the rule ------------------------------------------------------------------------------


def test_the_first_strong_character_decides_the_direction() -> None:
    assert is_rtl(HEBREW)
    assert is_rtl(f"2025 {SHALOM}")  # digits are weak: the Hebrew word decides
    assert not is_rtl(f"NATO {SHALOM}")
    assert not is_rtl("")
    assert not is_rtl("3.10 %")
    # A right-to-left isolate (U+2067 ... U+2069) does not decide the paragraph's direction.
    assert not is_rtl(f"\u2067{SHALOM}\u2069 NATO")


def test_a_line_in_visual_order_keeps_styles_and_mirrors_brackets() -> None:
    line = [Run(f"{SHALOM} "), Run("NATO 2025", bold=True), Run(f" ({SHALOM}).")]
    shown = visual(line, lambda r: r.text, lambda r, t: Run(t, r.bold, r.italic), rtl=True)
    text = "".join(r.text for r in shown)
    backwards = SHALOM[::-1]
    # Read from the left: the full stop, the bracketed word (its brackets mirrored), the
    # English words in their own order, then the first Hebrew word at the right end.
    assert text == f".({backwards}) NATO 2025 {backwards}"
    assert [r.text for r in shown if r.bold] == ["NATO 2025"]
    # Pieces without text (a PDF paragraph's anchors) are kept.
    kept = visual([Run(""), Run(SHALOM)], lambda r: r.text, lambda r, t: Run(t), rtl=True)
    assert kept[0] == Run("")


# --- the deck ------------------------------------------------------------------------------


def _paras(job: Job) -> list[Any]:
    plan = prepare(job).plan("deck")
    return [p for s in plan.slides for f in s.frames if isinstance(f, TextFrame) for p in f.paras]


def test_the_deck_plan_sets_hebrew_paragraphs_from_the_right(job: Job) -> None:
    paras = _paras(job)
    hebrew = [p for p in paras if HEBREW in p.text or HEADLINE in p.text]
    assert hebrew
    assert all(p.rtl and p.align == "r" for p in hebrew)
    english = [p for p in paras if "English text with" in p.text]
    assert english
    assert not any(p.rtl for p in english)


def test_the_pptx_says_right_to_left_only_for_hebrew_paragraphs(job: Job) -> None:
    data = output(job, "pptx").data
    seen = {"rtl": 0, "ltr": 0}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.startswith("ppt/slides/slide"):
                continue
            for p in etree.fromstring(z.read(name)).iter(f"{A}p"):
                text = "".join(t.text or "" for t in p.iter(f"{A}t"))
                ppr = p.find(f"{A}pPr")
                if HEBREW in text:
                    assert ppr is not None
                    assert ppr.get("rtl") == "1"
                    assert ppr.get("algn") == "r"
                    seen["rtl"] += 1
                elif "English text with" in text:
                    assert ppr is None or ppr.get("rtl") is None
                    seen["ltr"] += 1
    assert seen == {"rtl": 1, "ltr": 1}


def _line_of(pdf: bytes, word: str) -> tuple[list[dict[str, Any]], float]:
    """The characters of the line that draws ``word`` (its characters in any order), and the
    width of the page."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines: dict[float, list[dict[str, Any]]] = {}
            for c in page.chars:
                lines.setdefault(round(c["bottom"], 1), []).append(c)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                drawn = "".join(c["text"] for c in chars)
                if word in drawn or word[::-1] in drawn:
                    return chars, float(page.width)
    raise AssertionError(f"{word!r} is not drawn")


@pytest.mark.parametrize("fmt", ["deck-pdf", "pdf"])
def test_the_pdfs_draw_hebrew_from_the_right_with_its_full_stop_at_the_left(
    job: Job, fmt: str
) -> None:
    pdf = output(job, fmt).data
    # The last line of the Hebrew detail ends the sentence: "... (not substance)."
    chars, _ = _line_of(pdf, "\u05d1\u05ea\u05d5\u05db\u05df")
    letters = [c for c in chars if "\u0590" <= c["text"] <= "\u05ff"]
    stop = [c for c in chars if c["text"] == "."]
    assert stop
    assert letters
    assert stop[-1]["x1"] <= min(c["x0"] for c in letters) + 0.5, "full stop not at the left"
    # Each word reads right to left: its first letter is its rightmost.
    word = "\u05d1\u05ea\u05d5\u05db\u05df"
    drawn = "".join(c["text"] for c in chars)
    assert word[::-1] in drawn
    assert word not in drawn


@pytest.mark.parametrize("fmt", ["deck-pdf", "pdf"])
def test_a_hebrew_word_in_an_english_line_reads_right_to_left(job: Job, fmt: str) -> None:
    chars, _ = _line_of(output(job, fmt).data, SHALOM)
    drawn = "".join(c["text"] for c in chars).replace(" ", "")
    assert "Hebrewword" in drawn or "theHebrewword" in drawn
    assert SHALOM[::-1] in drawn
    assert SHALOM not in drawn


def test_the_hebrew_headline_is_right_aligned_in_the_brief(job: Job) -> None:
    pdf = output(job, "pdf").data
    chars, width = _line_of(pdf, HEADLINE.split()[0])
    english, _ = _line_of(pdf, "An English headline")
    # Set from the right: the Hebrew line ends where an English line's right margin is, and
    # starts right of where English lines start.
    left_margin = min(c["x0"] for c in english)
    assert min(c["x0"] for c in chars) > left_margin + 100
    assert max(c["x1"] for c in chars) > width / 2


def test_the_word_brief_marks_hebrew_paragraphs_bidi(job: Job) -> None:
    data = output(job, "docx").data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    seen = {"rtl": 0, "ltr": 0}
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        bidi = p.find(f"{W}pPr/{W}bidi")
        if HEBREW in text or HEADLINE in text:
            assert bidi is not None, text
            # w:bidi sits where the schema puts it: before spacing, indents and alignment.
            names = [etree.QName(e).localname for e in p.find(f"{W}pPr")]
            later = {"spacing", "ind", "jc", "outlineLvl", "rPr"}
            assert not any(n in later for n in names[: names.index("bidi")]), names
            seen["rtl"] += 1
        elif "English text with" in text:
            assert bidi is None
            seen["ltr"] += 1
    assert seen == {"rtl": 2, "ltr": 1}


@pytest.mark.parametrize("fmt", ["deck-pdf", "pdf"])
def test_the_structure_reads_hebrew_in_the_order_it_was_written(job: Job, fmt: str) -> None:
    """Drawn in visual order, a paragraph's structure element carries its text as written
    (``/ActualText``), which is what a screen reader reads."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(output(job, fmt).data))
    actual: list[str] = []
    stack: list[Any] = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/ActualText" in node:
                actual.append(str(node.ActualText))
            if "/K" in node:
                stack.append(node.K)
    assert any(HEBREW in a for a in actual), actual
    assert any("English text with the Hebrew word" in a for a in actual)
    assert not any("The lead is English" in a for a in actual)  # drawn as written: none


def test_arabic_is_warned_about_naming_its_field(
    outline: Outline, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arabic letters join by context; the PDFs draw one glyph per character. With the default
    fonts the glyphs are missing (one warning); with a font that has them, a warning still names
    the field, since the PDFs would print the letters unjoined. Hebrew does not join: no warning."""
    from deckgen.plan import glyphs

    arabic = "\u0645\u0631\u062d\u0628\u0627"  # "welcome"
    data = OUTLINE.replace("The lead is English.", arabic)
    with_arabic = parse_outline(data.encode(), "arabic.yaml")
    missing = glyphs.check_glyphs(with_arabic, theme)
    assert [d.path for d in missing] == ["sections[0].lead"]
    assert "no glyph" in missing[0].message

    class Everything:
        def covers(self, _: str) -> bool:
            return True

    monkeypatch.setattr(glyphs, "load_metrics", lambda _: Everything())
    found = glyphs.check_glyphs(with_arabic, theme)
    assert [d.path for d in found] == ["sections[0].lead"]
    assert "unjoined" in found[0].message
    assert found[0].line == data.splitlines().index(f"    lead: {arabic}") + 1
    assert glyphs.check_glyphs(outline, theme) == []

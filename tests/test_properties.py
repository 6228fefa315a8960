"""Properties: generated outlines build or fail cleanly, and their text survives the round trip.

1. Valid and near-valid outlines (random unicode and markup-like text, random structural
   mutations, random edits of the YAML text) given to ``deckgen build`` in-process either build
   (exit 0) or fail with located ``file:line:col:`` messages (exit 1); never an internal error.
2. The text of a generated valid outline is what the outputs hold: every field, with its markup
   removed (``deckgen.richtext.plain``) and whitespace normalised, is a word sequence of the PPTX
   slide text and of what ``pdftotext`` extracts from the brief (there, words broken at line ends
   are joined again by comparing without whitespace).
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from deckgen.cli import main
from deckgen.outline import parse_outline
from deckgen.plans import Job, prepare
from deckgen.plans import output as write_format
from deckgen.richtext import plain
from deckgen.theme import load_theme
from tests.conftest import require_tool

LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: ")
SUMMARY_LINE = re.compile(r"^deckgen: \d+ outline\(s\) failed")
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

# -- strategies -----------------------------------------------------------------------------------


def _drawable_letters() -> list[str]:
    """Letters and digits up to U+04FF that every face of the default theme's font draws."""
    import unicodedata

    from fontTools.ttLib import TTFont

    from deckgen.project import builtin

    fonts = sorted(builtin("fonts").glob("LiberationSans-*.ttf"))
    maps = [set(TTFont(f).getBestCmap()) for f in fonts]
    common = set.intersection(*maps)
    return [
        chr(c)
        for c in sorted(common)
        if c <= 0x04FF and unicodedata.category(chr(c)) in ("Lu", "Ll", "Nd")
    ]


# Letters the theme's fonts draw (Latin, Greek, Cyrillic), digits, and punctuation including what
# reportlab or XML would read as markup.
LETTERS = st.sampled_from(_drawable_letters())
PUNCT = st.sampled_from(list(".,;:!?'\"()[]-/<>&%#@=+_~^$") + ["&amp;", "<b>", "</i>", "<br/>"])
WORD = st.one_of(
    st.text(LETTERS, min_size=1, max_size=12),
    st.tuples(st.text(LETTERS, min_size=1, max_size=8), PUNCT).map("".join),
)


@st.composite
def prose(draw: st.DrawFn, min_words: int = 1, max_words: int = 12) -> str:
    """Words with some **bold**, *italic* and escaped \\* asterisks."""
    words = draw(st.lists(WORD, min_size=min_words, max_size=max_words))
    out = []
    for w in words:
        style = draw(st.sampled_from(["", "", "", "bold", "italic", "star"]))
        if style == "bold" and w[0].isalnum() and w[-1].isalnum():
            w = f"**{w}**"
        elif style == "italic" and w[0].isalnum() and w[-1].isalnum():
            w = f"*{w}*"
        elif style == "star":
            w = w + "\\*"
        out.append(w)
    return " ".join(out)


ANY_TEXT = st.one_of(
    prose(),
    st.text(max_size=60),  # any unicode at all, control characters included
    st.sampled_from(["", "  ", "NO", "3.10", "~", "null", "<img src='x'/>", "**", "*a", "\\"]),
)


@st.composite
def outline_data(draw: st.DrawFn, text: Any = None) -> dict[str, Any]:
    """A valid outline as plain data (every scalar a string)."""
    t = prose() if text is None else text
    short = prose(max_words=4)
    # Titles are plain text: the brief strips markup from them (richtext.plain), the deck shows
    # them as written; until that is settled, generated titles hold no asterisks.
    title = st.lists(WORD, min_size=1, max_size=4).map(" ".join) if text is None else text

    def section(i: int) -> dict[str, Any]:
        sec: dict[str, Any] = {
            "id": f"s{i}",
            "title": draw(title),
            "lead": draw(t),
            "key_points": [
                {"headline": draw(short), "detail": draw(t)} for _ in range(draw(st.integers(1, 3)))
            ],
            "looking_ahead": draw(t),
        }
        if draw(st.booleans()):
            sec["metrics"] = [
                {
                    "label": draw(short),
                    "value": draw(st.sampled_from(["3.10", "1,200", "42", "Oct 2024", "-7.5"])),
                    "context": draw(short),
                    "source": draw(short),
                }
            ]
        return sec

    return {
        "schema": "1",
        "meta": {
            "title": draw(title),
            "subtitle": draw(title),
            "author": draw(short),
            "date": "2025-01-09",
        },
        "summary": draw(t),
        "sections": [section(i) for i in range(draw(st.integers(1, 3)))],
        "conclusion": {"text": draw(t), "looking_ahead": draw(t)},
    }


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid outline, possibly mutated in structure, then possibly edited as text."""
    data = draw(outline_data(text=ANY_TEXT))
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(_paths(data)[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        kind = draw(st.sampled_from(["delete", "list", "map", "text", "long", "unknown", "empty"]))
        if kind == "delete":
            del parent[path[-1]]
        elif kind == "list":
            parent[path[-1]] = [draw(ANY_TEXT)]
        elif kind == "map":
            parent[path[-1]] = {"x": draw(ANY_TEXT)}
        elif kind == "text":
            parent[path[-1]] = draw(ANY_TEXT)
        elif kind == "long":
            parent[path[-1]] = "word " * draw(st.integers(100, 5000))
        elif kind == "empty":
            parent[path[-1]] = None
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "titel", "x-y", "1"]))] = "?"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80)
    edit = draw(st.sampled_from(["none", "none", "cut", "tab", "drop-line", "dup-line", "char"]))
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    if edit == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == "tab" and lines:
        lines[i] = "\t" + lines[i]
        text = "".join(lines)
    elif edit == "drop-line" and lines:
        del lines[i]
        text = "".join(lines)
    elif edit == "dup-line" and lines:
        lines.insert(i, lines[i])
        text = "".join(lines)
    elif edit == "char":
        pos = draw(st.integers(0, len(text)))
        text = (
            text[:pos]
            + draw(st.sampled_from([":", "- ", "&a ", "*a", "!!", "{", "'", "#"]))
            + text[pos:]
        )
    return text.encode("utf-8", "surrogatepass")


# -- property 1: build or a clean located failure -------------------------------------------------


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_generated_outlines_build_or_fail_with_located_messages(src: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gen.yaml"
        path.write_bytes(src)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main(["build", str(path), "-o", str(Path(tmp) / "out"), "-j", "1"])
        stderr = err.getvalue()
        assert "internal error" not in stderr, stderr
        assert "Traceback" not in stderr, stderr
        assert status in (0, 1), stderr
        if status == 1:
            lines = [ln for ln in stderr.splitlines() if ln and not SUMMARY_LINE.match(ln)]
            assert lines, stderr
            assert all(LOCATED.match(ln) and ln.startswith(str(path)) for ln in lines), stderr
        else:
            assert (Path(tmp) / "out" / "gen.pptx").is_file()
            assert (Path(tmp) / "out" / "gen.pdf").is_file()
        assert not list(Path(tmp).rglob("*.tmp"))


# -- property 2: the text round trip --------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(text.split())


def pptx_text(data: bytes) -> str:
    """Slide text: runs joined within a paragraph, paragraphs joined by spaces."""
    paras = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if re.match(r"ppt/(slides|notesSlides)/\w+\d+\.xml$", n)]
        for name in sorted(names):
            for p in etree.fromstring(z.read(name)).iter(f"{A}p"):
                paras.append("".join(t.text or "" for t in p.iter(f"{A}t")))
    return words(" ".join(paras))


def squeeze(text: str) -> str:
    """Text without whitespace or hyphens: pdftotext joins a word broken at a line end and
    drops the hyphen there, so only the order of the other characters can be compared."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def pdf_text(data: bytes) -> str:
    exe = require_tool("pdftotext")
    done = subprocess.run(
        [exe, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def texts_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every prose field of the outline as (where, text as a reader sees it)."""
    out = [("summary", data["summary"]), ("conclusion.text", data["conclusion"]["text"])]
    out.append(("conclusion.looking_ahead", data["conclusion"]["looking_ahead"]))
    out += [(f"meta.{k}", data["meta"][k]) for k in ("title", "subtitle")]
    for i, s in enumerate(data["sections"]):
        out += [(f"sections[{i}].{k}", s[k]) for k in ("title", "lead", "looking_ahead")]
        for j, kp in enumerate(s["key_points"]):
            out += [(f"sections[{i}].key_points[{j}].{k}", kp[k]) for k in ("headline", "detail")]
    return [(where, words(plain(t))) for where, t in out]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outline_data())
def test_text_round_trips_through_the_pptx_and_pdftotext(data: dict[str, Any]) -> None:
    src = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80).encode()
    outline = parse_outline(src, "gen.yaml")
    theme = load_theme("default")
    job = Job(outline, theme, Path("gen.yaml"), datetime(2025, 1, 9, tzinfo=UTC))
    prepared = prepare(job)
    pptx = write_format(prepared, "pptx")
    pdf = write_format(prepared, "pdf")
    deck = f" {pptx_text(pptx.data)} "
    brief = squeeze(pdf_text(pdf.data))
    for where, text in texts_of(data):
        # Whole, as words: a key point's headline may be followed by its full stop.
        assert re.search(rf"(?<=\s){re.escape(text)}(?=[\s.])", deck), (
            f"{where}: {text!r} not in the PPTX text"
        )
        assert squeeze(text) in brief, f"{where}: {text!r} not in the brief's text"

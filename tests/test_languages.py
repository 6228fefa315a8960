"""Languages (issue 17): every fixed word of every output comes from the outline's language's
message catalogue, dates and numbers are written its way, English and French are complete, a
language without a catalogue falls back to English with one notice, and the cover's label is
the outline's ``meta.kind``.

Two French builds of the Rutte outline are checked. The first keeps the author's English text
and only asks for French (``meta.language: fr``): its fixed words must be French, its date
"9 janvier 2025", and no English fixed word of the English catalogue may appear that the author
did not write. The second also replaces every piece of author text with French filler: then
every word of every output (slides, speaker notes, alt text, section names, PDF bookmarks, file
properties) must be a word of the French catalogue, a month name or the filler, so an English
word that never went through the catalogue is caught too.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from babel import Locale

from deckgen.cli import main
from deckgen.diagnostics import Severity
from deckgen.fonts import load_metrics
from deckgen.model import Cover, DeckPlan
from deckgen.outline import load_outline, parse_outline
from deckgen.plan.catalogue import (
    blanks,
    catalogue_file,
    languages,
    messages,
    words_for,
)
from deckgen.plan.charts import chart_for
from deckgen.plans import Job, prepare
from deckgen.project import builtin
from deckgen.richtext import plain
from deckgen.theme import load_theme
from tests.conftest import MINIMAL, RUTTE, require_tool
from tests.test_brief import _overlaps
from tests.test_deck import assert_everything_fits

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
FORMATS = "pptx,pdf,deck-pdf,docx"
KIND_FR = "Évaluation du leadership"
WORD = re.compile(r"[^\W\d_]+")  # a run of letters: "L’essentiel" is "L" and "essentiel"


# -- the outlines ---------------------------------------------------------------------------


def french(text: str, kind: str | None = KIND_FR) -> str:
    """The Rutte outline's text asking for French fixed words (its own text left in English)."""
    out = text.replace("\n  language: en\n", "\n  language: fr\n")
    kind_line = '  kind: "Leadership assessment"\n'
    assert kind_line in out
    assert "language: fr" in out
    return out.replace(kind_line, f'  kind: "{kind}"\n' if kind else "")


FILLER = [
    "les",
    "alliés",
    "renforcent",
    "leur",
    "défense",
    "commune",
    "avec",
    "prudence",
    "et",
    "fermeté",
    "depuis",
    "octobre",
    "selon",
    "plusieurs",
    "observateurs",
    "européens",
]
AUTHOR_KEYS = {
    "title",
    "subtitle",
    "author",
    "classification",
    "kind",
    "summary",
    "text",
    "lead",
    "assessment",
    "headline",
    "detail",
    "label",
    "context",
    "source",
    "unit",
    "looking_ahead",
    "notes",
    "alt",
    "publisher",
    "value",
}


def filler(original: str) -> str:
    """French words in place of ``original``: about as long, never longer, the same for the
    same text (so that the metrics of one chart keep one unit); a number stays a number."""
    if re.fullmatch(r"[\d.,]+", original.strip()):
        return original
    out: list[str] = []
    k = sum(map(ord, original))
    limit = max(len(original), 3)
    while True:
        word = FILLER[k % len(FILLER)]
        k += 7
        if len(" ".join([*out, word])) > limit - 1:
            break
        out.append(word)
    text = " ".join(out) or FILLER[0][: limit - 1]
    return text + "." if original.rstrip().endswith(".") else text


def neutral(node: Any, key: str = "") -> Any:
    """``node`` with every piece of author text replaced by French filler."""
    if isinstance(node, dict):
        return {k: neutral(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [neutral(v, key) for v in node]
    if isinstance(node, str) and (key in AUTHOR_KEYS or key == "date"):
        return filler(node)
    return node


def neutral_outline(language: str) -> str:
    data = yaml.safe_load(RUTTE.read_text(encoding="utf-8"))
    data = neutral(data)
    data["meta"]["language"] = language
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def build(folder: Path, name: str, text: str, *extra: str) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / f"{name}.yaml"
    src.write_text(text, encoding="utf-8")
    out = folder / "out"
    assert main(["build", "--format", FORMATS, "-o", str(out), *extra, str(src)]) == 0
    return {
        "deck": out / f"{name}.pptx",
        "brief": out / f"{name}.pdf",
        "deck-pdf": out / f"{name}-deck.pdf",
        "word": out / f"{name}.docx",
    }


@pytest.fixture(scope="module")
def fr_rutte(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("fr"), "rutte-fr", french(RUTTE.read_text("utf-8")))


@pytest.fixture(scope="module")
def fr_neutral(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("frn"), "neutral-fr", neutral_outline("fr"))


@pytest.fixture(scope="module")
def en_neutral(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("enn"), "neutral-en", neutral_outline("en"))


# -- reading the outputs back -----------------------------------------------------------------


XML_TEXT = re.compile(r"<(?:a:t|w:t|c:v)(?:\s[^>]*)?>([^<]*)</(?:a:t|w:t|c:v)>")
XML_ATTR = re.compile(r'\b(?:descr|title)="([^"]*)"')
SECTION_NAME = re.compile(r'<p14:section\b[^>]*\bname="([^"]*)"')


def unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def ooxml_texts(path: Path, parts: tuple[str, ...]) -> Iterator[str]:
    """Every text run, chart value, alt text, PowerPoint section name and file comment of the
    parts under ``parts`` (slides, notes, charts, the document; not the template's masters)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml") or not name.startswith(parts):
                continue
            xml = z.read(name).decode("utf-8")
            for pattern in (XML_TEXT, XML_ATTR, SECTION_NAME):
                yield from (unescape(t) for t in pattern.findall(xml))
        core = z.read("docProps/core.xml").decode("utf-8")
        yield from (unescape(t) for t in re.findall(r"<dc:description>([^<]*)<", core))


def pdftotext(pdf: Path) -> str:
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_extras(pdf: Path) -> Iterator[str]:
    """The alt text of every structure element, and every bookmark's title."""
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/Alt" in obj:
                yield str(obj["/Alt"])
        with doc.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop()
                yield str(item.title)
                stack.extend(item.children)


def texts(built: dict[str, Path]) -> dict[str, str]:
    """What each output says, as one string each (notes, alt text and bookmarks included)."""
    return {
        "deck": "\n".join(
            ooxml_texts(
                built["deck"],
                ("ppt/slides/", "ppt/notesSlides/", "ppt/charts/", "ppt/presentation"),
            )
        ),
        "brief": pdftotext(built["brief"]) + "\n".join(pdf_extras(built["brief"])),
        "deck-pdf": pdftotext(built["deck-pdf"]) + "\n".join(pdf_extras(built["deck-pdf"])),
        "word": "\n".join(ooxml_texts(built["word"], ("word/",))),
    }


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


# -- catalogues -------------------------------------------------------------------------------


def test_english_and_french_ship_and_french_translates_every_english_message() -> None:
    assert languages() == ["en", "fr"]
    en, fr = messages("en"), messages("fr")
    assert len(en) > 100
    missing = sorted(set(en) - set(fr))
    assert not missing, f"fr/LC_MESSAGES/deckgen.po lacks a translation of {missing}"
    assert not sorted(set(fr) - set(en)), "fr has messages en does not"
    for key, text in en.items():
        assert blanks(fr[key]) == blanks(text), f"{key}: the blanks differ"


def test_a_missing_translation_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The completeness check above fails when a French message is removed or left fuzzy."""
    po = catalogue_file("fr").read_text(encoding="utf-8")
    broken = po.replace('msgid "agenda"\nmsgstr "Ordre du jour"', 'msgid "agenda"\nmsgstr ""')
    broken = broken.replace('msgid "summary"', '#, fuzzy\nmsgid "summary"')
    assert broken.count('msgstr ""') > po.count('msgstr ""')
    assert "#, fuzzy" in broken
    for language, text in (("en", catalogue_file("en").read_text("utf-8")), ("fr", broken)):
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "deckgen.po").write_text(text, encoding="utf-8")
    import deckgen.plan.catalogue as catalogue

    monkeypatch.setattr(catalogue, "locale_dir", lambda: tmp_path)
    catalogue.messages.cache_clear()
    try:
        assert {"agenda", "summary"} <= set(messages("en")) - set(messages("fr"))
    finally:
        catalogue.messages.cache_clear()


def test_every_catalogue_word_has_a_glyph_in_every_bundled_font() -> None:
    """Accents, « », the no-break spaces and Babel's month names are all drawn (no boxes)."""
    faces = [load_metrics(p) for p in sorted(builtin("fonts").glob("*.ttf"))]
    for language in languages():
        w = words_for(language)
        months = Locale.parse(language).months["format"]["wide"].values()
        text = "".join([*messages(language).values(), *months, w.number(12345.5)])
        # No-break spaces are checked too (Carlito's missing U+00A0 is measured as its space,
        # as reportlab sets it; numbers use U+00A0, not Babel's U+202F).
        drawn = {c for c in text if c not in " \n"}
        missing = {c for c in drawn if not all(f.covers(c) for f in faces)}
        assert not missing, f"{language}: no glyph for {sorted(missing)}"


def test_dates_and_numbers_follow_the_language() -> None:
    assert words_for("en").date(date(2025, 1, 9)) == "9 January 2025"
    assert words_for("fr").date(date(2025, 1, 9)) == "9 janvier 2025"
    assert words_for("fr").date(date(2026, 8, 1)) == "1 août 2026"
    assert words_for("en").number(2.5) == "2.5"
    assert words_for("fr").number(2.5) == "2,5"
    outline = parse_outline(french(RUTTE.read_text("utf-8")).encode(), "fr.yaml")
    spec = chart_for(outline.sections[0], load_theme(), words=words_for("fr"))
    assert spec is not None
    assert spec.tick_labels == ("0", "2,5", "5", "7,5", "10", "12,5")
    assert spec.labels == ("10", "0.27")  # the author's values, as written
    assert spec.alt.startswith("Graphique à barres, The Transition from Jens Stoltenberg\u00a0: ")


def test_a_regional_tag_uses_its_base_language_and_an_unknown_one_english() -> None:
    assert words_for("fr-CA").language == "fr"
    assert not words_for("fr-CA").fallback
    assert words_for("en-GB").language == "en"
    assert not words_for("en-GB").fallback
    assert words_for("de").language == "en"
    assert words_for("de").fallback
    assert words_for("de")("key_judgements") == "Key judgements"


# -- the cover's label ------------------------------------------------------------------------


def cover(text: str) -> Cover:
    outline = parse_outline(text.encode(), "o.yaml")
    plan = prepare(Job(outline, load_theme(), Path("o.yaml"), CREATED)).plan("brief")
    first = plan.blocks[0]
    assert isinstance(first, Cover)
    return first


def test_the_cover_label_is_meta_kind_or_the_catalogues_generic_word() -> None:
    with_kind = MINIMAL.replace("  date: 2025-01-09\n", "  date: 2025-01-09\n  kind: Net review\n")
    assert cover(with_kind).kicker == "NET REVIEW"
    assert cover(MINIMAL).kicker == "ASSESSMENT"
    assert cover(MINIMAL.replace("  date:", "  language: fr\n  date:")).kicker == "ÉVALUATION"
    rutte = RUTTE.read_text("utf-8")
    assert cover(rutte).kicker == "LEADERSHIP ASSESSMENT"
    assert cover(french(rutte)).kicker == "ÉVALUATION DU LEADERSHIP"


# -- a French build of the Rutte outline ------------------------------------------------------


@pytest.mark.interop
def test_the_french_rutte_build_has_french_fixed_words_and_date(fr_rutte: dict[str, Path]) -> None:
    said = {k: flat(v) for k, v in texts(fr_rutte).items()}
    for name, text in said.items():
        assert "9 janvier 2025" in text, name
    for name in ("brief", "word"):
        for words in ("ÉVALUATION DU LEADERSHIP", "Jugements clés", "Synthèse", "Perspectives"):
            assert words.casefold() in said[name].casefold(), (name, words)
        assert "Situation au 9 janvier 2025" in said[name]
        assert "Confiance modérée" in said[name]
    assert re.search(r"Page 2 sur \d+", said["brief"])
    for name in ("deck", "deck-pdf"):
        for words in ("Jugements clés", "L’essentiel d’abord", "Synthèse", "Au sommaire"):
            assert words.casefold() in said[name].casefold(), (name, words)
        assert "Ouverture" in said[name]
        assert "Clôture" in said[name]
    assert "Graphique à barres" in said["deck"]
    assert "Graphique à barres" in said["brief"]


def has(text: str, words: str) -> bool:
    """Whether ``words`` are in ``text`` as whole words."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def english_pieces() -> dict[str, str]:
    """The literal words of each English message that French words differently, with their key:
    the parts between blanks that have a letter and are not in the French message too
    ("Page {page} of {total}" gives "of": "Page" is French as well)."""
    en, fr = messages("en"), messages("fr")
    out = {}
    for key, text in en.items():
        if key == "date_format":
            continue
        for piece in re.split(r"\{\w+\}", text):
            piece = flat(piece.strip(" .,:;()·\u201c\u201d"))
            if WORD.search(piece) and not has(flat(fr[key]), piece):
                out[piece] = key
    return out


def author_text(path: Path) -> str:
    """Everything the author wrote that an output may show (to tell their words from ours)."""
    from deckgen.plan.glyphs import text_fields

    return flat("\n".join(plain(text) for _, text in text_fields(load_outline(path))))


@pytest.mark.interop
def test_no_english_fixed_word_in_the_french_rutte_outputs(fr_rutte: dict[str, Path]) -> None:
    """Every piece of English fixed wording is absent from each French output, except where the
    author's own (English) text has the same words."""
    source = fr_rutte["deck"].parent.parent / "rutte-fr.yaml"
    author = author_text(source)
    pieces = english_pieces()
    excused = {p for p in pieces if has(author, p) or has(author.upper(), p.upper())}
    leaks = []
    for name, text in texts(fr_rutte).items():
        said = flat(text)
        for piece, key in pieces.items():
            if piece in excused:
                continue
            leaks += [(name, key, v) for v in (piece, piece.upper()) if has(said, v)]
    assert not leaks
    # The check sees enough: most English pieces are not in the author's text.
    assert len(excused) < len(pieces) / 3, sorted(excused)


def vocabulary(language: str) -> set[str]:
    """Every word an output of a neutral outline may have: the catalogue's, month names, the
    filler and deckgen's own name."""
    text = " ".join(messages(language).values())
    text += " " + " ".join(Locale.parse(language).months["format"]["wide"].values())
    text += " " + " ".join(FILLER) + " deckgen"
    return {w.casefold() for w in WORD.findall(text)}


def foreign_words(built: dict[str, Path], allowed: set[str]) -> dict[str, set[str]]:
    out = {}
    for name, text in texts(built).items():
        words = {w for w in WORD.findall(text) if w.casefold() not in allowed}
        if words:
            out[name] = words
    return out


@pytest.mark.interop
def test_every_word_of_every_french_output_is_french(fr_neutral: dict[str, Path]) -> None:
    """With the author's text French too, each output (slides, notes, alt text, sections,
    bookmarks, properties) has only words of the French catalogue, month names and filler."""
    assert foreign_words(fr_neutral, vocabulary("fr")) == {}


@pytest.mark.interop
def test_the_word_check_finds_english_fixed_words(en_neutral: dict[str, Path]) -> None:
    """The same check on the English build of the same outline finds its fixed words."""
    found = foreign_words(en_neutral, vocabulary("fr"))
    assert set(found) == {"deck", "brief", "deck-pdf", "word"}
    for name in found:
        assert {"judgements", "Key"} <= found[name], name
    assert {"Opening", "Figures"} <= found["deck"]  # section names and notes are read
    assert "Generated" in found["word"]  # and the file's properties


# -- fit, in French ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["compact", "full"])
def test_the_french_deck_fits_as_the_english_one_does(mode: str) -> None:
    theme = load_theme()
    plans: dict[str, DeckPlan] = {}
    for lang, text in (("en", RUTTE.read_text("utf-8")), ("fr", french(RUTTE.read_text("utf-8")))):
        outline = parse_outline(text.encode(), f"{lang}.yaml")
        plans[lang] = prepare(Job(outline, theme, RUTTE, CREATED, deck=mode)).plan("deck")
        assert_everything_fits(plans[lang], theme)
    warnings = [d for d in plans["fr"].diagnostics if d.severity is not Severity.NOTICE]
    assert not warnings
    assert len(plans["fr"].slides) == len(plans["en"].slides)


@pytest.mark.interop
def test_the_french_brief_has_no_overlapping_or_outside_text(fr_rutte: dict[str, Path]) -> None:
    import pdfplumber

    problems = []
    with pdfplumber.open(fr_rutte["brief"]) as doc:
        for n, page in enumerate(doc.pages, 1):
            words = page.extract_words()
            for w in words:
                if w["x0"] < 0 or w["top"] < 0 or w["x1"] > page.width or w["bottom"] > page.height:
                    problems.append((n, "outside", w["text"]))
            problems += [(n, *pair) for pair in _overlaps(words)]
    assert not problems[:10]


# -- a language without a catalogue -----------------------------------------------------------


def test_a_language_without_a_catalogue_is_english_with_one_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "de.yaml"
    src.write_text(MINIMAL.replace("  date:", "  language: de\n  date:"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "--format", "pptx,pdf,docx", "-o", str(out), str(src)]
    assert main([*args, "-v", "--strict"]) == 0  # a notice, never a failure
    err = capsys.readouterr().err
    notices = [line for line in err.splitlines() if "message catalogue" in line]
    assert len(notices) == 1, err
    assert notices[0].startswith(f"{src}:6:13: notice: meta.language: ")
    assert "'de'" in notices[0]
    assert "English" in notices[0]
    assert main([*args, "--force"]) == 0
    assert "message catalogue" not in capsys.readouterr().err  # notices show with -v only
    plan = prepare(Job(load_outline(src), load_theme(), src, CREATED)).plan("brief")
    assert plan.footer == "As of 9 January 2025"
    assert plan.meta.language == "de"  # the text is still German: its tag is kept


def test_a_language_with_a_catalogue_has_no_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for tag in ("fr", "fr-CA", "en"):
        src = tmp_path / f"{tag}.yaml"
        src.write_text(MINIMAL.replace("  date:", f"  language: {tag}\n  date:"), "utf-8")
        assert main(["check", "-v", str(src)]) == 0
        assert "message catalogue" not in capsys.readouterr().err


def test_markdown_export_uses_the_catalogue() -> None:
    from deckgen.export_md import to_markdown

    outline = parse_outline(french(RUTTE.read_text("utf-8")).encode(), "fr.yaml")
    md = to_markdown(outline)
    assert "## Synthèse" in md
    assert "# Conclusion" in md
    assert "Perspectives" in md
    assert "Executive summary" not in md
    assert "key figures" not in md
    assert "| Indicateur | Valeur | Contexte | Source |" in md


def test_french_charts_name_their_series_and_describe_targets_in_french(tmp_path: Path) -> None:
    """The fixture's charts (bullet, line, column, bar; with targets) in a French deck and Word
    brief: series names, workbook headings and alt text have no English word."""
    fixture = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
    text = fixture.read_text("utf-8").replace("  date:", "  language: fr\n  date:", 1)
    src = tmp_path / "fixture-fr.yaml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--format", "pptx,docx", "-o", str(out), str(src)]) == 0
    for path in (out / "fixture-fr.pptx", out / "fixture-fr.docx"):
        with zipfile.ZipFile(path) as z:
            charts = [z.read(n).decode() for n in z.namelist() if "/charts/chart" in n]
            books = [z.read(n) for n in z.namelist() if n.endswith(".xlsx")]
        assert len(charts) == 4
        xml = "".join(charts)
        assert ">Cible<" in xml
        assert ">Target<" not in xml
        assert ">Value<" not in xml
        assert 'lang="fr"' in xml
        assert 'lang="en' not in xml
        for book in books:
            with zipfile.ZipFile(io.BytesIO(book)) as x:
                strings = x.read("xl/sharedStrings.xml").decode()
            assert "Target" not in strings
    fr = words_for("fr")
    kinds = tuple(fr(f"chart_{k}") for k in ("bar", "column", "line", "bullet"))
    alts = [
        t for t in ooxml_texts(out / "fixture-fr.pptx", ("ppt/slides/",)) if t.startswith(kinds)
    ]
    assert len(alts) == 4
    assert any("pour une cible de" in alt for alt in alts)
    assert not [alt for alt in alts if "against a target of" in alt or " chart" in alt]


def test_what_changed_is_worded_in_french() -> None:
    """--since in a French outline: the slide, the brief's section, the marks and the notes."""
    from deckgen.model import Since, Text, TextFrame
    from tests.test_changes import newer

    text = french(RUTTE.read_text("utf-8"))
    old = parse_outline(text.encode(), "old.yaml")
    new = parse_outline(newer(text).encode(), "new.yaml")
    since = Since(date(2025, 1, 9), "revision", "v1")
    prepared = prepare(Job(new, load_theme(), RUTTE, CREATED, previous=old, since=since))
    deck, brief = prepared.plan("deck"), prepared.plan("brief")
    (slide,) = [s for s in deck.slides if s.kind == "changes"]
    assert slide.title == "Ce qui a changé depuis la version du 9 janvier 2025, révision v1"
    body = [p.text for f in slide.frames if f.role == "changes.body" for p in f.paras]
    assert body[0].startswith("Confiance relevée\u00a0: de modérée à élevée\u00a0: «\u00a0Rutte")
    assert any("Uneven \u2192 Improving (section 2)" in line for line in body)
    assert any(line.startswith("Section 3, Transatlantic") for line in body)
    cards = [
        f.paras[0].text
        for s in deck.slides
        for f in s.frames
        if isinstance(f, TextFrame) and f.role.startswith("kpi.") and f.role.endswith(".text")
    ]
    assert any("MODIFIÉ" in c for c in cards)
    assert not any("CHANGED" in c for c in cards)
    notes = " ".join(s.notes for s in deck.slides)
    assert "Modifié depuis la version du 9 janvier 2025, révision v1\u00a0: auparavant 32" in notes
    said = ["".join(r.text for r in b.runs) for b in brief.blocks if isinstance(b, Text)]
    assert "Depuis la version du 9 janvier 2025, révision v1\u00a0:" in said


@pytest.mark.parametrize("deck", ["compact", "full"])
@pytest.mark.parametrize("theme", ["default", "print"])
@pytest.mark.parametrize("source", ["rutte", "fixture"])
def test_every_character_of_the_french_decks_is_drawn_inside_its_frame(
    source: str, theme: str, deck: str, tmp_path: Path
) -> None:
    """The overflow oracle (tests/overflow.py: the deck PDF read back with pdfplumber) on the
    French decks: the longer French fixed words stay inside their frames too."""
    from tests.test_overflow import _check

    if source == "rutte":
        text = french(RUTTE.read_text("utf-8"))
    else:
        fixture = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
        text = fixture.read_text("utf-8").replace("  date:", "  language: fr\n  date:", 1)
    outline = parse_outline(text.encode(), f"{source}-fr.yaml")
    prepared = prepare(Job(outline, load_theme(theme), Path("fr.yaml"), CREATED, deck=deck))
    plan: DeckPlan = prepared.plan("deck")
    assert any("Jugements clés" in s.title for s in plan.slides)
    assert _check(prepared, plan, tmp_path) == []


@pytest.mark.parametrize("kind", ["brief", "deck-pdf"])
def test_the_french_pdfs_are_tagged_in_french_and_pass_the_checks(
    fr_rutte: dict[str, Path], kind: str
) -> None:
    """The accessibility checks of the English PDFs, on the French build: every mark in the
    structure tree or an artifact, figures with alt text, scoped table headers, /Lang fr."""
    from tests.tagged import open_tagged, problems

    pdf_path = fr_rutte[kind]
    assert problems(open_tagged(pdf_path)) == []
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"
            assert meta["dc:language"] == {"fr"}

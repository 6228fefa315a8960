"""Real clients open every output: LibreOffice, qpdf, poppler, lxml and python-pptx.

The Rutte outline and a generated long outline are built once through the CLI in every format
(deck, brief, deck PDF, PNG contact sheet, Word brief), with a fictional outline that has a
chart of every type. Then: LibreOffice converts each PPTX to a PDF with as many pages as the
deck has slides; ``qpdf --check`` passes on every PDF; ``pdfinfo`` reads each PDF's metadata and
finds it tagged, ``pdffonts`` every font embedded, and the PDF/UA-1 checks of ``tests/tagged.py``
pass; every part of each PPTX and DOCX parses with lxml, the file reopens with python-pptx or
python-docx, and ``openxml-audit`` (an independent validator against the ECMA-376 schemas) finds
no error in any deck or Word brief.
Locally a missing tool skips with its name; in CI (``DECKGEN_REQUIRE_INTEROP=1``) it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT, RUTTE, libreoffice_convert_all, long_outline, require_tool

pytestmark = pytest.mark.interop
FORMATS = "pptx,pdf,deck-pdf,png,docx"
FIXTURE = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
STEMS = ("rutte-first-100-days", "long", "readiness-review")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of both outlines, built as a user builds them."""
    root = tmp_path_factory.mktemp("interop")
    (root / "long.yaml").write_text(long_outline(12), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DECKGEN_DEBUG", "SOURCE_DATE_EPOCH")}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", "--format", FORMATS, "-o", "out"]
        + [str(RUTTE), "long.yaml", str(FIXTURE)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return root / "out"


def pdfs(out: Path) -> list[Path]:
    found = sorted(out.glob("*.pdf"))
    assert len(found) == 2 * len(STEMS), found
    return found


def slide_count(pptx: Path) -> int:
    from pptx import Presentation

    return len(Presentation(str(pptx)).slides)


def test_every_pptx_part_parses_and_python_pptx_reopens_it(built: Path) -> None:
    from pptx import Presentation

    for stem in STEMS:
        path = built / f"{stem}.pptx"
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            names = z.namelist()
            assert "[Content_Types].xml" in names
            for name in names:
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(z.read(name))  # raises on any malformed part
        prs = Presentation(str(path))
        assert len(prs.slides) > 3
        for slide in prs.slides:
            assert list(slide.shapes)  # every slide has content and its shapes load


def test_every_docx_part_parses_and_python_docx_reopens_it(built: Path) -> None:
    import docx

    for stem in STEMS:
        path = built / f"{stem}.docx"
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(z.read(name))  # raises on any malformed part
        document = docx.Document(str(path))
        assert len(document.paragraphs) > 10
        assert len(document.sections) == 2  # the cover, then the body


@pytest.mark.parametrize("suffix", [".pptx", ".docx"])
def test_an_independent_validator_finds_no_error_in_any_deck_or_word_brief(
    built: Path, suffix: str
) -> None:
    import json

    audit = Path(sys.executable).parent / "openxml-audit"
    assert audit.exists(), "openxml-audit is a dev dependency: make setup installs it"
    for stem in STEMS:
        done = subprocess.run(
            [str(audit), "-o", "json", str(built / f"{stem}{suffix}")],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        (report,) = json.loads(done.stdout)
        assert report["error_count"] == 0, (stem, report["errors"][:5])
        assert report["verdict"]["prediction"] == "opens-clean", (stem, report["verdict"])


def test_libreoffice_converts_each_deck_with_one_page_per_slide(
    built: Path, tmp_path: Path
) -> None:
    pdfinfo = require_tool("pdfinfo")
    decks = [built / f"{stem}.pptx" for stem in STEMS]
    libreoffice_convert_all(decks, tmp_path, "pdf", timeout=600)
    for deck in decks:
        converted = tmp_path / f"{deck.stem}.pdf"
        assert converted.is_file(), f"LibreOffice did not convert {deck.name}"
        info = subprocess.run(
            [pdfinfo, str(converted)], capture_output=True, text=True, check=True
        ).stdout
        pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        assert pages == slide_count(deck), deck.name


def test_qpdf_check_passes_on_every_pdf(built: Path) -> None:
    qpdf = require_tool("qpdf")
    for pdf in pdfs(built):
        done = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert done.returncode == 0, f"{pdf.name}: {done.stdout}{done.stderr}"
        assert "No syntax or stream encoding errors" in done.stdout, done.stdout


def test_every_pdf_is_tagged_with_every_font_embedded(built: Path) -> None:
    """Brief and deck PDF of each outline: ``pdfinfo`` says tagged, ``pdffonts`` shows every
    font embedded with a Unicode map, and the PDF/UA-1 checks of tests/tagged.py pass."""
    from tests.tagged import open_tagged, pdffonts, problems

    pdfinfo = require_tool("pdfinfo")
    require_tool("pdffonts")
    for pdf in pdfs(built):
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
        assert "Tagged:          yes" in info.stdout, pdf.name
        assert "PDF version:     1.7" in info.stdout, pdf.name
        fonts = pdffonts(pdf)
        assert fonts, pdf.name
        assert all(f["emb"] == f["uni"] == "yes" for f in fonts), (pdf.name, fonts)
        assert problems(open_tagged(pdf)) == [], pdf.name


def test_pdfinfo_reads_the_metadata_of_every_pdf(built: Path) -> None:
    pdfinfo = require_tool("pdfinfo")
    from deckgen.outline import load_outline

    titles = {
        "rutte-first-100-days": load_outline(RUTTE).meta.title,
        "long": "Generated assessment with deliberately long text everywhere",
        "readiness-review": load_outline(FIXTURE).meta.title,
    }
    for pdf in pdfs(built):
        done = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True)
        info = {
            k.strip(): v.strip()
            for k, _, v in (ln.partition(":") for ln in done.stdout.splitlines())
        }
        stem = pdf.name.removesuffix("-deck.pdf").removesuffix(".pdf")
        assert titles[stem] in info.get("Title", ""), info
        assert info.get("Author"), info
        assert int(info["Pages"]) > 1
        if pdf.name.endswith("-deck.pdf"):
            assert int(info["Pages"]) == slide_count(built / f"{stem}.pptx")


def test_png_contact_sheets_decode(built: Path) -> None:
    from PIL import Image

    for stem in STEMS:
        with Image.open(built / f"{stem}-slides.png") as img:
            img.load()
            assert img.format == "PNG"
            assert img.width > 100


def test_require_tool_fails_in_ci_and_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CI gate: with DECKGEN_REQUIRE_INTEROP=1 a missing tool is a failure, not a skip."""
    monkeypatch.setenv("DECKGEN_REQUIRE_INTEROP", "1")
    with pytest.raises(pytest.fail.Exception, match="no-such-deckgen-tool is not installed"):
        require_tool("no-such-deckgen-tool")
    monkeypatch.delenv("DECKGEN_REQUIRE_INTEROP")
    with pytest.raises(pytest.skip.Exception, match="no-such-deckgen-tool"):
        require_tool("no-such-deckgen-tool")

"""The Word brief: built as a user builds it, then read back with python-docx, lxml and
LibreOffice (headings, text, tables, charts, pictures, page furniture, metadata, bytes)."""

from __future__ import annotations

import io
import posixpath
import subprocess
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from deckgen.cli import main
from deckgen.model import Box, ChartFrame, DeckPlan, Slide
from deckgen.outline import load_outline
from deckgen.plans import Job, prepare
from deckgen.render import FORMATS
from deckgen.render import docx as docx_writer
from deckgen.render import pptx as pptx_writer
from deckgen.reproducible import pinned_time
from deckgen.richtext import plain
from deckgen.theme import load_theme

from .conftest import RUTTE, libreoffice_convert, outline_with_picture, require_tool

FIXTURE = Path(__file__).parent / "fixtures" / "readiness-review.yaml"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Rutte outline and the fixture with a chart of every type, as Word briefs."""
    out = tmp_path_factory.mktemp("docx")
    assert (
        main(["build", "-j", "1", "--format", "docx", "-o", str(out), str(RUTTE), str(FIXTURE)])
        == 0
    )
    return out


def rutte_docx(built: Path) -> Path:
    return built / f"{RUTTE.stem}.docx"


def part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def paragraph_texts(root: Any) -> list[str]:
    """Every paragraph's text (body, tables, contents), in document order."""
    return ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in root.iter(f"{{{NS['w']}}}p")]


def flat(text: str) -> str:
    """Whitespace (no-break spaces too) collapsed."""
    return " ".join(text.split())


def brief_plan(outline_path: Path = RUTTE, theme: Any = None) -> tuple[Any, Any]:
    outline = load_outline(outline_path)
    job = Job(outline, theme or load_theme(), outline_path, pinned_time(outline.meta.date, {}))
    prepared = prepare(job)
    return prepared.plan("brief"), prepared.assets()


# --- the registry -------------------------------------------------------------------------


def test_docx_is_a_format_that_writes_the_brief_plan() -> None:
    fmt = FORMATS["docx"]
    assert (fmt.suffix, fmt.plan) == (".docx", "brief")
    assert fmt.writer() is docx_writer.write


# --- structure ------------------------------------------------------------------------------


def test_headings_are_heading_1_for_every_part_of_the_brief_in_order(built: Path) -> None:
    outline = load_outline(RUTTE)
    document = docx.Document(str(rutte_docx(built)))
    headings = [flat(p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    expected = [
        "Key judgements",
        "Executive summary",
        *(f"{i} {plain(s.title)}" for i, s in enumerate(outline.sections, 1)),
        "Conclusion",
        "Sources",
    ]
    assert headings == expected
    # The navigation pane reads outline levels: Heading 1 is level 0, and it is its own style.
    style = document.styles["Heading 1"]
    assert style.element.xpath("w:pPr/w:outlineLvl/@w:val") == ["0"]


def test_every_key_point_headline_and_metric_value_is_in_the_text(built: Path) -> None:
    outline = load_outline(RUTTE)
    text = flat("\n".join(paragraph_texts(part(rutte_docx(built), "word/document.xml"))))
    for section in outline.sections:
        for kp in section.key_points:
            assert flat(plain(kp.headline)) in text
        for m in section.metrics:
            assert m.value in text, m.label


def test_data_tables_repeat_their_header_row_and_only_it(built: Path) -> None:
    outline = load_outline(RUTTE)
    root = part(rutte_docx(built), "word/document.xml")
    tables = root.xpath("//w:tbl", namespaces=NS)
    headed = [t for t in tables if t.xpath("w:tr[1]/w:trPr/w:tblHeader", namespaces=NS)]
    # A metrics table per section with metrics, and the at-a-glance table.
    assert len(headed) == sum(1 for s in outline.sections if s.metrics) + 1
    for table in tables:
        assert not table.xpath("w:tr[position() > 1]/w:trPr/w:tblHeader", namespaces=NS)
    glance = headed[0]
    assert flat(" ".join(glance.xpath("w:tr[1]//w:t/text()", namespaces=NS))) == (
        "Section Assessment Headline figure"
    )


def test_the_status_is_a_coloured_dot_with_its_word(built: Path) -> None:
    plan, _ = brief_plan()
    root = part(rutte_docx(built), "word/document.xml")
    dots = root.xpath("//w:r[w:t[starts-with(., '\u25cf')]]", namespaces=NS)
    colors = {d.xpath("string(w:rPr/w:color/@w:val)", namespaces=NS) for d in dots}
    assert dots
    assert colors <= {plan.colors["green"], plan.colors["amber"], plan.colors["red"]}
    words = {flat("".join(d.getparent().xpath(".//w:t/text()", namespaces=NS))) for d in dots}
    assert words <= {"\u25cf On track", "\u25cf Watch", "\u25cf Concern"}


def test_the_contents_is_a_field_word_fills_with_every_entry_listed_and_linked(
    built: Path,
) -> None:
    plan, _ = brief_plan()
    path = rutte_docx(built)
    root = part(path, "word/document.xml")
    (sdt,) = root.xpath("//w:sdt[.//w:docPartGallery/@w:val='Table of Contents']", namespaces=NS)
    instructions = sdt.xpath(".//w:instrText/text()", namespaces=NS)
    assert instructions[0].strip().startswith("TOC ")
    entries = sdt.xpath(".//w:p[w:pPr/w:pStyle/@w:val='TOC1']", namespaces=NS)
    labels = [h.label for h in plan.headings() if h.toc]
    assert [flat("".join(e.xpath(".//w:t/text()", namespaces=NS))) for e in entries] == labels
    bookmarks = set(root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    anchors = [e.xpath("string(w:hyperlink/@w:anchor)", namespaces=NS) for e in entries]
    assert all(a in bookmarks for a in anchors)
    settings = part(path, "word/settings.xml")
    assert settings.xpath("w:updateFields/@w:val", namespaces=NS) == ["true"]


def test_every_page_carries_the_classification_and_page_x_of_y_fields(built: Path) -> None:
    plan, _ = brief_plan()
    document = docx.Document(str(rutte_docx(built)))
    assert len(document.sections) == 2  # the cover, then the body
    for section in document.sections:
        assert plan.classification in flat(" ".join(p.text for p in section.header.paragraphs))
        assert plan.classification in flat(" ".join(p.text for p in section.footer.paragraphs))
    body = document.sections[1]
    assert plan.running_title in " ".join(p.text for p in body.header.paragraphs)
    footer = body.footer._element
    assert plan.footer in "".join(footer.xpath(".//w:t/text()"))
    fields = [f.strip() for f in footer.xpath(".//w:instrText/text()")]
    assert fields == ["PAGE", "NUMPAGES"]
    # The cover's own section has no running title, page number or footer line.
    cover = document.sections[0]
    assert not cover.footer._element.xpath(".//w:instrText")


def test_the_cover_opens_the_document_on_a_page_of_its_own(built: Path) -> None:
    plan, _ = brief_plan()
    cover = plan.blocks[0]
    root = part(rutte_docx(built), "word/document.xml")
    body = root.find("w:body", NS)
    first_section: list[str] = []
    for element in body:
        first_section += (
            paragraph_texts(element)
            if element.tag != f"{{{NS['w']}}}p"
            else ["".join(element.xpath(".//w:t/text()", namespaces=NS))]
        )
        if element.xpath("w:pPr/w:sectPr", namespaces=NS):
            break
    text = [t for t in first_section if t]
    assert text[:3] == [cover.kicker, cover.title, cover.subtitle]
    assert text[3:] == [v for row in cover.rows for v in row]
    title = docx.Document(str(rutte_docx(built))).styles["Title"]
    assert title.font.size.pt == pytest.approx(round(plan.styles["cover_title"].size * 2) / 2)


# --- charts and pictures --------------------------------------------------------------------


def chart_parts(path: Path) -> list[tuple[bytes, bytes]]:
    """Each chart the document relates to (in document order): its XML and its workbook."""
    with zipfile.ZipFile(path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {
            r.get("Id"): r.get("Target")
            for r in rels.xpath("rel:Relationship", namespaces=NS)
            if r.get("Type") == CHART_REL
        }
        out = []
        for rid in document.xpath("//c:chart/@r:id", namespaces=NS):
            name = "word/" + targets[rid]
            chart_rels = etree.fromstring(
                z.read(name.replace("charts/", "charts/_rels/") + ".rels")
            )
            (book,) = chart_rels.xpath("rel:Relationship[@Id='rId1']/@Target", namespaces=NS)
            out.append((z.read(name), z.read(posixpath.normpath("word/charts/" + book))))
        return out


def deck_chart_parts(spec: Any, assets: Any) -> tuple[bytes, bytes]:
    """The chart XML and workbook the deck's writer makes for ``spec``."""
    meta = brief_plan()[0].meta
    frame = ChartFrame("chart", Box(40, 40, 400, 200), spec)
    deck = DeckPlan(960, 540, assets.fonts.family, meta, [Slide("content", "t", "s", [frame])])
    with zipfile.ZipFile(io.BytesIO(pptx_writer.write(deck, assets))) as z:
        return z.read("ppt/charts/chart1.xml"), z.read("ppt/embeddings/Microsoft_Excel_Sheet1.xlsx")


def test_charts_are_the_decks_own_chart_parts_and_parse(built: Path) -> None:
    for outline_path in (RUTTE, FIXTURE):
        plan, assets = brief_plan(outline_path)
        specs = [b.spec for b in plan.blocks if b.kind == "chart"]
        found = chart_parts(built / f"{outline_path.stem}.docx")
        assert len(found) == len(specs) > 0
        for spec, (xml, workbook) in zip(specs, found, strict=True):
            etree.fromstring(xml)
            assert zipfile.ZipFile(io.BytesIO(workbook)).testzip() is None
            assert (xml, workbook) == deck_chart_parts(spec, assets), spec.type


def test_the_fixture_builds_a_chart_of_every_type(built: Path) -> None:
    xml = b"".join(x for x, _ in chart_parts(built / f"{FIXTURE.stem}.docx"))
    for kind in (b'<c:barDir val="bar"/>', b'<c:barDir val="col"/>', b"<c:lineChart>"):
        assert kind in xml


def test_pictures_and_charts_carry_alt_text(tmp_path: Path) -> None:
    src = outline_with_picture(tmp_path)
    default = (RUTTE.parent.parent / "src/deckgen/assets/themes/default.yaml").read_text()
    theme_file = tmp_path / "with-logo.yaml"
    theme_file.write_text("logo: deckgen-mark.png\n" + default.replace("name: default", "name: x"))
    plan, assets = brief_plan(src, load_theme(theme_file))
    data = docx_writer.write(plan, assets)
    (tmp_path / "with-image.docx").write_bytes(data)
    root = part(tmp_path / "with-image.docx", "word/document.xml")
    described = {
        d.getparent().tag.split("}")[1] + ":" + d.get("descr")
        for d in root.xpath("//wp:docPr", namespaces=NS)
    }
    assert described == {
        "anchor:Logo of Test unit",  # the cover's logo, placed on the page
        "inline:Map of the eastern flank",  # the section's picture
    }
    assert plan.logo_alt == "Logo of Test unit"


def test_the_rutte_chart_carries_its_alt_text(built: Path) -> None:
    plan, _ = brief_plan()
    root = part(rutte_docx(built), "word/document.xml")
    descr = root.xpath("//wp:inline[.//c:chart]/wp:docPr/@descr", namespaces=NS)
    assert descr == [b.spec.alt for b in plan.blocks if b.kind == "chart"]
    assert all(descr)


# --- metadata, styles, bytes --------------------------------------------------------------


def test_core_properties_and_language_are_the_plans(built: Path) -> None:
    plan, assets = brief_plan()
    document = docx.Document(str(rutte_docx(built)))
    core = document.core_properties
    meta = plan.meta
    assert (core.title, core.subject, core.author, core.keywords, core.language) == (
        meta.title,
        meta.subject,
        meta.author,
        meta.keywords,
        meta.language,
    )
    assert core.created == core.modified == datetime(2025, 1, 9, tzinfo=UTC)
    styles = part(rutte_docx(built), "word/styles.xml")
    lang = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS)
    face = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii", namespaces=NS)
    assert (lang, face) == ([meta.language], [assets.fonts.family])


def test_word_styles_are_set_from_the_plan(tmp_path: Path) -> None:
    """A translator: change a style in the plan and the Word style follows."""
    plan, assets = brief_plan()
    styles = dict(plan.styles)
    styles["h1"] = replace(styles["h1"], size=23.0, color="123456")
    styles["body"] = replace(styles["body"], size=12.5)
    path = tmp_path / "restyled.docx"
    path.write_bytes(docx_writer.write(replace(plan, styles=styles), assets))
    document = docx.Document(str(path))
    heading = document.styles["Heading 1"].font
    assert (heading.size.pt, str(heading.color.rgb)) == (23.0, "123456")
    assert document.styles["Normal"].font.size.pt == 12.5


def test_identical_input_gives_identical_bytes_with_pinned_dates(built: Path) -> None:
    plan, assets = brief_plan()
    first = docx_writer.write(plan, assets)
    assert first == docx_writer.write(brief_plan()[0], assets)
    assert first == rutte_docx(built).read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 9, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()  # the template's blank page


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.mark.interop
def test_libreoffice_converts_the_rutte_docx_with_its_content(built: Path, tmp_path: Path) -> None:
    outline = load_outline(RUTTE)
    pdf = libreoffice_convert(rutte_docx(built), tmp_path)
    assert pdf.is_file()
    tool = require_tool("pdftotext")
    text = subprocess.run(
        [tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = flat(text)
    for section in outline.sections:
        assert flat(plain(section.title)) in text
        assert flat(plain(section.key_points[0].headline)) in text
    assert "Page 2 of " in text  # the footer's fields, computed

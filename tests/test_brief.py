"""The PDF brief: the planner's blocks, and the rendered PDF read back with poppler, qpdf,
pdfminer and pdfplumber (content, metadata, bookmarks, links, safety, determinism, layout)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from deckgen.diagnostics import Severity
from deckgen.images import outline_images
from deckgen.outline import Outline, load_outline, parse_outline
from deckgen.plan import brief as bp
from deckgen.plan.charts import chart_for
from deckgen.plans import Job, Rendered, output
from deckgen.render import FORMATS
from deckgen.render.pdf_brief import markup, write
from deckgen.reproducible import pinned_time
from deckgen.richtext import Run, parse
from deckgen.theme import Theme, load_theme

from .conftest import MINIMAL, ROOT, RUTTE, long_outline, outline_with_picture, require_tool
from .tagged import open_tagged, pdffonts, problems, struct_text

CREATED = pinned_time(date(2025, 1, 9), {})


def render(job: Job) -> Rendered:
    return output(job, "pdf")


INJECTION = [
    "S&P 500",
    "a < b",
    "<b>unclosed",
    '<img src="x">',
    "&amp; stays",
    "<font color=red>red</font>",
    "x > y",
]


# --- helpers --------------------------------------------------------------------------------


def job_for(outline: Outline, theme: Theme | None = None, env: dict[str, str] | None = None) -> Job:
    theme = theme or load_theme(outline.meta.theme or "default")
    created = pinned_time(outline.meta.date, env or {})
    return Job(outline, theme, Path(outline.file), created)


def render_text(text: str, tmp_path: Path, name: str = "outline.yaml") -> tuple[Rendered, Path]:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    result = render(job_for(load_outline(src)))
    pdf = tmp_path / (src.stem + ".pdf")
    pdf.write_bytes(result.data)
    return result, pdf


def pdftotext(pdf: Path) -> str:
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped across lines still matches."""
    return " ".join(text.split())


def pdfinfo(pdf: Path) -> dict[str, str]:
    tool = require_tool("pdfinfo")
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    info = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def bookmarks(pdf: Path) -> list[tuple[int, str]]:
    with pdf.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        return [(level, title) for level, title, *_ in doc.get_outlines()]


def catalog(pdf: Path) -> dict[str, object]:
    with pdf.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        return {k: resolve1(v) for k, v in doc.catalog.items()}


@pytest.fixture(scope="module")
def rutte_pdf(rutte: Outline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "rutte-first-100-days.pdf"
    path.write_bytes(render(job_for(rutte)).data)
    return path


# --- the planner ----------------------------------------------------------------------------


def test_the_registry_points_at_this_renderer() -> None:
    assert FORMATS["pdf"].writer() is write


def cells_text(cells: tuple[bp.Cell, ...]) -> list[str]:
    return ["".join(r.text for r in c.runs) for c in cells]


def table_after(plan: bp.BriefPlan, key: str) -> bp.Table:
    """The table right after the heading ``key``."""
    i = next(i for i, b in enumerate(plan.blocks) if isinstance(b, bp.Heading) and b.key == key)
    table = plan.blocks[i + 1]
    assert isinstance(table, bp.Table)
    return table


def test_the_plan_has_every_part_of_the_brief_in_order(rutte: Outline) -> None:
    plan = bp.plan_brief(rutte, load_theme(), pinned_time(rutte.meta.date, {}))
    kinds = [b.kind for b in plan.blocks]
    assert kinds[0] == "cover"
    # Cover, key judgements, contents, summary, at a glance, sections (issue "A deck that briefs").
    keys = [b.key for b in plan.blocks if isinstance(b, bp.Heading)]
    order = ["judgements", "contents", "summary", "glance", "sec-transition", "conclusion"]
    assert [keys.index(k) for k in order] == sorted(keys.index(k) for k in order)
    assert kinds.index("contents") < kinds.index("key_point")
    labels = [h.label for h in plan.headings() if h.bookmark]
    sections = [f"{i}. {s.title}" for i, s in enumerate(rutte.sections, 1)]
    assert labels == ["Key judgements", "Executive summary", *sections, "Conclusion", "Sources"]
    judgements = table_after(plan, "judgements")
    assert [cells_text(row)[0].split("\n")[0] for row in judgements.rows] == [
        f"{kj.confidence.capitalize()} confidence" for kj in rutte.key_judgements
    ]
    assert [cells_text(row)[1] for row in judgements.rows] == [
        kj.text for kj in rutte.key_judgements
    ]
    # Each section opens with its assessment, right under its heading.
    for i, block in enumerate(plan.blocks):
        if isinstance(block, bp.Heading) and block.number:
            assessment = plan.blocks[i + 1]
            assert isinstance(assessment, bp.Text)
            assert assessment.style == "assessment"
    assert sum(k == "key_point" for k in kinds) == sum(len(s.key_points) for s in rutte.sections)
    assert sum(k == "looking_ahead" for k in kinds) == len(rutte.sections) + 1


def test_the_glance_table_has_one_row_per_section(rutte: Outline) -> None:
    plan = bp.plan_brief(rutte, load_theme(), pinned_time(rutte.meta.date, {}))
    glance = table_after(plan, "glance")
    assert [cells_text(r)[1] for r in glance.rows] == [s.title for s in rutte.sections]
    assert [r[1].link for r in glance.rows] == [f"sec-{s.id}" for s in rutte.sections]
    first = rutte.sections[0].metrics[0]
    assert cells_text(glance.rows[0])[3] == f"{first.value} {first.unit} \u2014 {first.label}"
    for row, section in zip(glance.rows, rutte.sections, strict=True):
        assert cells_text(row)[2] == section.assessment


def test_first_sentence_does_not_stop_at_initials() -> None:
    runs = parse("The U.S. Congress met *twice*. Then it rested.")
    assert "".join(r.text for r in bp.first_sentence(runs)) == "The U.S. Congress met twice."
    assert bp.first_sentence(parse("No full stop at all")) == (Run("No full stop at all"),)


def test_charts_come_from_the_shared_chart_specification(rutte: Outline) -> None:
    theme = load_theme()
    plan = bp.plan_brief(rutte, theme, pinned_time(rutte.meta.date, {}))
    charts = [b.spec for b in plan.blocks if isinstance(b, bp.Chart)]
    expected = [chart_for(s, theme, font_size=theme.brief.body * 0.8) for s in rutte.sections]
    # The same specification, with its labels broken into lines for the brief's width.
    assert [replace(c, category_lines=()) for c in charts] == [c for c in expected if c]
    assert all(c.category_lines for c in charts)
    assert len(charts) == sum(1 for s in rutte.sections if s.chart is not None)
    for spec in charts:
        assert set(spec.colors) == {theme.palette.chart[0]}  # one series, one colour


def test_the_status_column_appears_only_when_a_metric_has_a_status(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    looking_ahead: Next steps.",
        "    metrics:\n"
        "      - {label: A, value: '1', context: c, source: s, status: red}\n"
        "      - {label: B, value: '2', context: c, source: s}\n"
        "    looking_ahead: Next steps.",
    )
    outline = parse_outline(text.encode(), "t.yaml")
    plan = bp.plan_brief(outline, load_theme(), pinned_time(outline.meta.date, {}))
    (table,) = [b for b in plan.blocks if isinstance(b, bp.Table) and b.rows[0][0].style == "table"]
    assert cells_text(table.header) == ["Measure", "Value", "Context", "Status", "Source"]
    assert [cells_text(r)[3] for r in table.rows] == ["Concern", "\u2014"]
    assert [r[3].mark for r in table.rows] == [load_theme().palette.status.red, None]
    plain_plan = bp.plan_brief(
        parse_outline(MINIMAL.encode(), "m.yaml"), load_theme(), pinned_time(date(2025, 1, 9), {})
    )
    tables = [b for b in plain_plan.blocks if isinstance(b, bp.Table)]
    assert [cells_text(t.header)[1] for t in tables] == ["Section"]  # the at-a-glance table only


def test_the_plan_serialises_to_json(rutte: Outline) -> None:
    import json

    plan = bp.plan_brief(rutte, load_theme(), pinned_time(rutte.meta.date, {}))
    data = json.loads(json.dumps(plan.to_json()))
    assert data["meta"]["title"] == rutte.meta.title
    assert data["page"]["width"] == pytest.approx(595.2756)


def test_markup_is_built_from_runs_with_everything_else_escaped() -> None:
    assert markup(parse("**S&P** <b>x</b> *a < b*")) == (
        "<b>S&amp;P</b> &lt;b&gt;x&lt;/b&gt; <i>a &lt; b</i>"
    )


# --- the rendered Rutte brief ---------------------------------------------------------------


@pytest.mark.interop
def test_text_has_every_section_headline_and_metric_value(rutte: Outline, rutte_pdf: Path) -> None:
    text = flat(pdftotext(rutte_pdf))
    expected = [rutte.meta.title, rutte.meta.author, "9 January 2025", "UNCLASSIFIED"]
    for s in rutte.sections:
        expected.append(s.title)
        expected += [kp.headline for kp in s.key_points]
        expected += [m.value for m in s.metrics]
        expected += [f"{m.value} {m.unit}" if m.unit else m.value for m in s.metrics]
    missing = [e for e in expected if flat(e) not in text]
    assert not missing


@pytest.mark.interop
def test_every_page_has_banners_header_and_page_x_of_y(rutte_pdf: Path) -> None:
    pages = pdftotext(rutte_pdf).split("\f")[:-1]
    assert len(pages) >= 10
    for n, page in enumerate(pages, 1):
        assert page.count("UNCLASSIFIED") >= 2, n
        assert f"Page {n} of {len(pages)}" in page or n == 1, n
        if n > 1:
            assert "Mark Rutte's First 100 Days as NATO Chief" in page
            assert "As of 9 January 2025" in page


@pytest.mark.interop
def test_pdfinfo_shows_metadata_and_a_plausible_page_count(rutte: Outline, rutte_pdf: Path) -> None:
    info = pdfinfo(rutte_pdf)
    assert info["Title"] == rutte.meta.title
    assert info["Author"] == rutte.meta.author
    assert info["Subject"] == rutte.meta.subtitle
    assert rutte.sections[0].title in info["Keywords"]
    assert "A4" in info["Page size"]
    assert 12 <= int(info["Pages"]) <= 40
    assert info["CreationDate"].endswith("2025 UTC")
    assert "Jan  9 00:00:00" in info["CreationDate"]
    assert catalog(rutte_pdf)["Lang"] == b"en"


def test_bookmarks_mirror_the_sections(rutte: Outline, rutte_pdf: Path) -> None:
    sections = [f"{i}. {s.title}" for i, s in enumerate(rutte.sections, 1)]
    assert bookmarks(rutte_pdf) == [
        (1, t) for t in ["Key judgements", "Executive summary", *sections, "Conclusion", "Sources"]
    ]


def test_contents_links_to_every_section_and_fonts_are_embedded(rutte_pdf: Path) -> None:
    with pdfplumber.open(rutte_pdf) as pdf:
        contents = next(p for p in pdf.pages if "Contents" in (p.extract_text() or "")[:200])
        internal = [
            a for a in contents.annots if a.get("data", {}).get("Dest") or a.get("uri") is None
        ]
        assert len(internal) >= 15
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
    assert fonts
    assert all("LiberationSans" in f for f in fonts)
    assert any("Bold" in f for f in fonts)


@pytest.mark.interop
def test_qpdf_finds_no_errors(rutte_pdf: Path) -> None:
    tool = require_tool("qpdf")
    result = subprocess.run([tool, "--check", str(rutte_pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_chart_bars_use_the_deck_palette(rutte: Outline, rutte_pdf: Path) -> None:
    theme = load_theme()
    wanted = {
        tuple(round(int(h[i : i + 2], 16) / 255, 3) for i in (0, 2, 4))
        for h in theme.palette.chart[:1]
    }
    with pdfplumber.open(rutte_pdf) as pdf:
        fills = {
            tuple(round(float(c), 3) for c in r["non_stroking_color"])
            for p in pdf.pages
            for r in p.rects
            if r["non_stroking_color"] and len(r["non_stroking_color"]) == 3
        }
    assert wanted <= fills


# --- safety ---------------------------------------------------------------------------------


@pytest.mark.interop
def test_outline_text_is_never_read_as_markup(tmp_path: Path) -> None:
    def q(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    text = (
        MINIMAL.replace("title: First", f"title: {q('First ' + INJECTION[0] + ' ' + INJECTION[1])}")
        .replace("summary: A summary.", f"summary: {q(' | '.join(INJECTION))}")
        .replace("lead: The lead.", f"lead: {q('Lead ' + INJECTION[2])}")
        .replace("headline: A headline", f"headline: {q('Head ' + INJECTION[3])}")
        .replace("detail: A detail.", f"detail: {q('**Bold** then ' + INJECTION[4])}")
        .replace("looking_ahead: Next steps.", f"looking_ahead: {q(INJECTION[5])}")
        .replace("  text: The end.", f"  text: {q(INJECTION[6])}")
    )
    text += (
        "sources:\n"
        "  - title: '<a href=\"https://evil.example\">click</a>'\n"
        "    publisher: P & Q\n"
        "    date: '2025'\n"
        "    url: 'https://example.org/search?q=a&b=<c>'\n"
    )
    result, pdf = render_text(text, tmp_path)
    out = flat(pdftotext(pdf))
    for case in [*INJECTION, '<a href="https://evil.example">click</a>', "P & Q"]:
        assert case in out
    assert "https://example.org/search?q=a&b=<c>" in out
    with pdfplumber.open(pdf) as doc:
        uris = {link["uri"] for page in doc.pages for link in page.hyperlinks if link.get("uri")}
        bold = {c["text"] for page in doc.pages for c in page.chars if "Bold" in c["fontname"]}
    assert uris == {"https://example.org/search?q=a&b=<c>"}
    assert set("Bold") <= bold
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]


def test_a_character_the_font_lacks_is_a_located_warning(tmp_path: Path) -> None:
    text = MINIMAL.replace("A detail.", "A detail \u4f60\u597d.")
    result, _ = render_text(text, tmp_path)
    (diag,) = result.diagnostics
    assert diag.severity is Severity.WARNING
    line = 1 + text.splitlines().index("        detail: A detail \u4f60\u597d.")
    assert diag.file.endswith("outline.yaml")
    assert diag.line == line
    assert "U+4F60" in diag.message


# --- determinism ----------------------------------------------------------------------------


def test_identical_input_gives_identical_bytes(rutte: Outline) -> None:
    first = render(job_for(rutte)).data
    assert render(job_for(rutte)).data == first
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from deckgen.outline import load_outline\n"
        "from deckgen.theme import load_theme\n"
        "from deckgen.plans import Job, output\n"
        "from deckgen.reproducible import pinned_time\n"
        f"o = load_outline({str(RUTTE)!r})\n"
        "job = Job(o, load_theme(), Path(o.file), pinned_time(o.meta.date, {}))\n"
        'sys.stdout.buffer.write(output(job, "pdf").data)\n'
    )
    env = {"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1", "TZ": "Asia/Tokyo"}
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT, env=env
    ).stdout
    assert other == first


def test_source_date_epoch_changes_only_the_dates(rutte: Outline) -> None:
    base = render(job_for(rutte)).data
    later = render(job_for(rutte, env={"SOURCE_DATE_EPOCH": "1767225600"})).data
    assert later != base
    assert b"D:20250109000000+00'00'" in base
    assert b"D:20260101000000+00'00'" in later
    assert b"D:2025" not in later


def test_letter_paper_when_the_theme_says_so(rutte: Outline, tmp_path: Path) -> None:
    theme = load_theme()
    letter = theme.model_copy(update={"brief": theme.brief.model_copy(update={"page": "Letter"})})
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render(job_for(rutte, letter)).data)
    with pdfplumber.open(pdf) as doc:
        assert (doc.pages[0].width, doc.pages[0].height) == (612, 792)


# --- pagination -----------------------------------------------------------------------------


def _overlaps(words: list[dict[str, float]], tol: float = 0.5) -> list[tuple[str, str]]:
    out = []
    words = sorted(words, key=lambda w: w["top"])
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b["top"] >= a["bottom"] - tol:
                break
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tol:
                out.append((str(a["text"]), str(b["text"])))
    return out


def test_a_long_outline_paginates_without_overlapping_text(tmp_path: Path) -> None:
    text = long_outline(30, words=110, points=3, metrics=5)
    # One box and one paragraph at the format's maximum length, to force splits.
    longest = ("Longer text here. " * 221).strip()
    text = re.sub(r"(?m)^    looking_ahead: .*$", f"    looking_ahead: {longest}", text, count=1)
    result, pdf = render_text(text, tmp_path, "long.yaml")
    outline = load_outline(tmp_path / "long.yaml")
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]
    geometry = bp.geometry_for(load_theme(), outline.meta.classification)
    heading_size = bp.styles_for(load_theme())["kp_head"].size - 0.01
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) > 40
        problems = []
        headings = 0
        for n, page in enumerate(doc.pages, 1):
            words = page.extract_words(extra_attrs=["fontname", "size"])
            headings += sum("Bold" in w["fontname"] and w["size"] >= heading_size for w in words)
            for w in words:
                if w["x0"] < 0 or w["top"] < 0 or w["x1"] > page.width or w["bottom"] > page.height:
                    problems.append((n, "outside", w["text"]))
            problems += [(n, *pair) for pair in _overlaps(words)]
            body = [w for w in words if geometry.frame_top - 1 <= w["top"] < geometry.frame_bottom]
            if n > 1 and body:
                last = max(w["top"] for w in body)
                line = [w for w in body if abs(w["top"] - last) < 1]
                if all("Bold" in w["fontname"] and w["size"] >= heading_size for w in line):
                    problems.append((n, "heading at the foot", " ".join(w["text"] for w in line)))
            if n > 1:
                footer = re.search(r"Page (\d+) of (\d+)", page.extract_text() or "")
                assert footer
                assert footer.groups() == (str(n), str(len(doc.pages)))
    assert headings > 100  # the foot-of-page check above does see headings
    assert not problems[:10]
    assert bookmarks(pdf)[1:-2] == [
        (1, f"{i}. {s.title}") for i, s in enumerate(outline.sections, 1)
    ]


def test_section_picture_and_logo_reach_the_brief_with_their_alt_text(tmp_path: Path) -> None:
    src = outline_with_picture(tmp_path, size=(600, 300))
    outline = load_outline(src)
    theme_file = tmp_path / "with-logo.yaml"
    default = (
        RUTTE.parent.parent / "src" / "deckgen" / "assets" / "themes" / "default.yaml"
    ).read_text()
    theme_file.write_text(
        "logo: deckgen-mark.png\n" + default.replace("name: default", "name: logo")
    )
    theme = load_theme(theme_file)
    data = render(Job(outline, theme, src, pinned_time(outline.meta.date))).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [im for page in pdf.pages for im in page.images]
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert len(images) == 2  # the cover logo and the section picture
    assert "Map of the eastern flank" in words


# --- accessibility: a tagged PDF, PDF/UA-1 as the target ------------------------------------


def expected_reading(plan: bp.BriefPlan) -> list[tuple[str, str]]:
    """Every heading and paragraph the plan's blocks hold, as (structure type, text), in order."""

    def runs(r: tuple[Run, ...]) -> str:
        return "".join(x.text for x in r)

    out: list[tuple[str, str]] = []
    for b in plan.blocks:
        if isinstance(b, bp.Cover):
            out += [("P", b.kicker), ("H1", b.title), ("P", b.subtitle)]
            out += [("P", text) for row in b.rows for text in row]
        elif isinstance(b, bp.Heading):
            out.append((f"H{b.level}", f"{b.number} {b.text}" if b.number else b.text))
        elif isinstance(b, bp.Text):
            out.append(("P", runs(b.runs)))
        elif isinstance(b, bp.KeyPointBlock):
            out += [("H2", runs(b.headline)), ("P", runs(b.detail))]
        elif isinstance(b, bp.LookingAhead):
            out += [("H2", b.title), *(("P", runs(p)) for p in b.paragraphs)]
    return [(role, flat(text)) for role, text in out]


@pytest.mark.interop
def test_pdfinfo_says_tagged_pdf_1_7_with_a_metadata_stream(rutte_pdf: Path) -> None:
    info = pdfinfo(rutte_pdf)
    assert info["Tagged"] == "yes"
    assert info["PDF version"] == "1.7"
    assert info["Metadata Stream"] == "yes"


@pytest.mark.interop
def test_struct_text_lists_every_heading_and_paragraph_in_the_plans_order(
    rutte: Outline, rutte_pdf: Path
) -> None:
    plan = bp.plan_brief(rutte, load_theme(), pinned_time(rutte.meta.date, {}))
    read = [(r, flat(t)) for r, t in struct_text(rutte_pdf) if r in ("H1", "H2", "P")]
    expected = expected_reading(plan)
    assert len(expected) > 100
    assert read == expected
    # Lines end in a space in the content, so no two words of a paragraph run together.
    assert ("H1", rutte.meta.title) in read


def test_all_content_is_in_the_structure_or_an_artifact(rutte_pdf: Path) -> None:
    tagged = open_tagged(rutte_pdf)
    assert problems(tagged) == []
    roles = {e.role for e in tagged.elements()}
    assert {"Document", "Sect", "H1", "H2", "P", "Table", "TH", "TD", "TOC", "TOCI"} <= roles
    assert {"Link", "Figure", "Caption", "L", "LI", "LBody", "Div"} <= roles
    # Each page's furniture (header, footer, banners) is a pagination artifact.
    page = pikepdf.Page(tagged.pages[5])
    kinds = [
        str(operands[1].get("/Subtype"))
        for operands, op in pikepdf.parse_content_stream(page)
        if str(op) == "BDC" and str(operands[0]) == "/Artifact"
    ]
    assert kinds.count("/Header") == 2  # the top banner and the running title
    assert kinds.count("/Footer") == 2  # the footer and the bottom banner


def test_the_checks_find_untagged_content_a_figure_without_alt_and_an_unscoped_header(
    rutte_pdf: Path,
) -> None:
    """The checks above can fail: each defect put into a copy of the brief is reported."""
    with pikepdf.open(rutte_pdf) as pdf:
        pdf.pages[3].contents_add(b"0 0 m 10 10 l S", prepend=False)  # an unmarked line
        buf = io.BytesIO()
        pdf.save(buf)
    found = problems(open_tagged(buf.getvalue()))
    assert [p for p in found if p.startswith("page 4:")] == found
    assert any(p.endswith(": S outside marked content") for p in found)
    tagged = open_tagged(rutte_pdf)
    del tagged.elements("Figure")[0].obj["/Alt"]
    del next(e for e in tagged.elements("TH")).obj["/A"]
    del tagged.pdf.Root.MarkInfo
    found = problems(tagged)
    assert "a Figure without /Alt" in found
    assert "a TH without /Scope: []" in found
    assert "catalog: /MarkInfo /Marked is not true" in found


@pytest.mark.interop
def test_pdffonts_shows_every_font_embedded_with_a_unicode_map(rutte_pdf: Path) -> None:
    fonts = pdffonts(rutte_pdf)
    assert {f["name"].split("+")[-1] for f in fonts} == {
        "LiberationSans",
        "LiberationSans-Bold",
        "LiberationSans-Italic",
    }
    assert all(f["emb"] == f["uni"] == "yes" for f in fonts)


def test_xmp_has_title_language_and_the_pdfua_mark(rutte: Outline, rutte_pdf: Path) -> None:
    with pikepdf.open(rutte_pdf) as pdf, pdf.open_metadata() as meta:
        assert meta["dc:title"] == rutte.meta.title
        assert meta["dc:language"] == {"en"}
        assert meta["pdfuaid:part"] == "1"
        assert meta["xmp:CreateDate"].startswith("2025-01-09T00:00:00")
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_every_link_is_a_link_element_and_the_contents_links_both_ways(rutte_pdf: Path) -> None:
    tagged = open_tagged(rutte_pdf)
    annots = [a for page in tagged.pages for a in page.get("/Annots", [])]
    owned = [a for e in tagged.elements("Link") for a in e.annots]
    assert len(annots) == len(owned) > 30
    assert {a.objgen for a in annots} == {a.objgen for a in owned}
    entries = tagged.elements("TOCI")
    plan = bp.plan_brief(load_outline(RUTTE), load_theme(), CREATED)
    assert len(entries) == sum(h.toc for h in plan.headings())
    # Each contents entry: its title and its page number, each a link to the section.
    assert all(len(e.kids[0].annots) >= 2 for e in entries)


def test_tables_have_scoped_headers_and_a_status_dot_is_not_read(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    looking_ahead: Next steps.",
        "    metrics:\n"
        "      - {label: A, value: '1', context: c, source: s, status: red}\n"
        "    looking_ahead: Next steps.",
    )
    _, pdf = render_text(text, tmp_path)
    tagged = open_tagged(pdf)
    assert problems(tagged) == []
    tables = tagged.elements("Table")
    metrics = tables[-1]
    heads = [e for e in metrics.walk() if e.role == "TH"]
    assert len(heads) == 5
    assert {str(a.Scope) for h in heads for a in h.attributes()} == {"/Column"}
    status = [e for e in metrics.walk() if e.role == "TD"][3]
    assert str(status.get("/ActualText")) == "Concern"


def test_a_picture_and_a_chart_are_figures_with_alt_text_and_a_box(tmp_path: Path) -> None:
    src = outline_with_picture(tmp_path, size=(600, 300))
    outline = load_outline(src)
    data = render(job_for(outline)).data
    tagged = open_tagged(data)  # kept: its elements read from its open file
    (figure,) = tagged.elements("Figure")
    assert str(figure.get("/Alt")) == "Map of the eastern flank"
    (layout,) = figure.attributes()
    x0, y0, x1, y1 = (float(v) for v in layout.BBox)
    theme = load_theme()
    plan = bp.plan_brief(outline, theme, CREATED, outline_images(outline, theme))
    (planned,) = [b for b in plan.blocks if isinstance(b, bp.Figure)]
    assert (x1 - x0, y1 - y0) == pytest.approx((planned.width, planned.height), abs=0.01)
    rutte = open_tagged(render(job_for(load_outline(RUTTE))).data)
    spec = chart_for(load_outline(RUTTE).sections[0], load_theme())
    assert spec is not None
    assert [str(f.get("/Alt")) for f in rutte.elements("Figure")][0] == spec.alt
    assert rutte.elements("Figure")[0].kids[0].role == "Caption"

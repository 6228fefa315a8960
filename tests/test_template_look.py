"""A template's look, applied everywhere (issue 15): its colours and fonts on every element,
layouts chosen by their placeholders, content inside the layout's body area, the footer in the
layout's own placeholders and clear of the master's logo, the kicker readable and off the band's
edge, dividers in reading order, pictures kept, previews drawing the master; and the LibreOffice
template corpus built with no mapping at all.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pptx import Presentation

from deckgen.diagnostics import Severity
from deckgen.fonts import measuring_font
from deckgen.model import Box, ChartFrame, DeckPlan, Picture, Shape, TextFrame
from deckgen.outline import load_outline
from deckgen.plan import colour
from deckgen.plans import Job, output, prepare
from deckgen.render import png
from deckgen.template import inspect_template
from deckgen.theme import load_theme
from tests.conftest import (
    RUTTE,
    libreoffice_convert,
    libreoffice_convert_all,
    missing,
    outline_with_picture,
    require_tool,
    run_cli,
)
from tests.ministry import (
    BADGE,
    COLORS,
    CORNER_BODY,
    CORNER_TITLE,
    LOGO,
    MINOR,
    SAND_RULE,
    TEAL,
    make_master_numbered,
    make_ministry,
    make_short_body,
)
from tests.test_template import make_template

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
DECKGEN_LOOK = {"14284B", "2E5E8C", "D89B2B", "1E2633", "EEF2F7"}  # the default theme's navy...


@pytest.fixture(scope="module")
def ministry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ministry(tmp_path_factory.mktemp("ministry") / "ministry.pptx")


@pytest.fixture(scope="module")
def ministry_plan(ministry: Path) -> DeckPlan:
    job = Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, ministry, "full")
    plan: DeckPlan = prepare(job).plan("deck")
    return plan


def ministry_pptx(ministry: Path, deck: str = "full") -> Any:
    job = Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, ministry, deck)
    return Presentation(io.BytesIO(output(job, "pptx").data))


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


# --- fonts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "measured_with", "exact"),
    [
        ("Calibri", "Carlito", True),
        ("Cambria", "Caladea", True),
        ("Arial", "Liberation Sans", True),
        ("Times New Roman", "Liberation Serif", True),
        ("Courier New", "Liberation Mono", True),
        ("Georgia", "DejaVu Serif", False),
        ("Verdana", "DejaVu Sans", False),
        ("Aptos", "DejaVu Sans", False),
    ],
)
def test_each_template_font_has_a_bundled_measure(
    family: str, measured_with: str, exact: bool
) -> None:
    from deckgen.project import builtin

    sub = measuring_font(family)
    assert (sub.measured_with, sub.exact) == (measured_with, exact)
    assert sub.margin == (0.0 if exact else 0.06)
    for name in sub.files:
        assert (builtin("fonts") / name).is_file(), name


def test_the_ministry_fonts_are_named_in_the_deck_and_said_in_notices(
    ministry: Path, ministry_plan: DeckPlan
) -> None:
    said = " ".join(d.message for d in ministry_plan.diagnostics)
    assert "template body font Verdana measured with DejaVu Sans" in said
    assert "template title font Georgia measured with DejaVu Serif" in said
    prs = ministry_pptx(ministry)
    faces = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            xml = shape._element.xml
            faces |= set(re.findall(r'<a:latin typeface="([^"]+)"', xml))
    # Text boxes name the template's body font; titles inherit Georgia from the placeholder.
    assert faces == {MINOR}, faces
    titles = [f for s in ministry_plan.slides for f in s.frames if f.role == "title"]
    assert titles
    assert all(isinstance(f, TextFrame) and f.heading for f in titles)


# --- colours --------------------------------------------------------------------------------


def test_every_element_of_the_ministry_deck_uses_the_template_colours(
    ministry_plan: DeckPlan,
) -> None:
    seen: set[str] = set()
    for slide in ministry_plan.slides:
        for frame in slide.frames:
            if isinstance(frame, Shape) and not frame.role.startswith("banner"):
                seen.add(frame.fill)
            elif isinstance(frame, TextFrame):
                if frame.fill:
                    seen.add(frame.fill)
                if not frame.role.startswith("banner"):
                    seen |= {p.color for p in frame.paras}
            elif frame.kind == "chart":
                seen |= set(frame.chart.colors)
    assert not seen & DECKGEN_LOOK, seen & DECKGEN_LOOK
    scheme = set(COLORS.values())
    assert {TEAL, COLORS["accent1"], SAND_RULE} <= seen | scheme
    chart_colors = {
        c
        for s in ministry_plan.slides
        for f in s.frames
        if f.kind == "chart"
        for c in f.chart.colors
    }
    assert chart_colors <= scheme


def test_a_theme_may_still_override_a_template_role(ministry: Path, tmp_path: Path) -> None:
    from deckgen.project import builtin

    text = (builtin("themes") / "default.yaml").read_text(encoding="utf-8")
    text += "template:\n  file: ministry.pptx\n  palette:\n    accent: '8C1D40'\n"
    (tmp_path / "ministry.pptx").write_bytes(ministry.read_bytes())
    theme_file = tmp_path / "house.yaml"
    theme_file.write_text(text, encoding="utf-8")
    prepared = prepare(Job(load_outline(RUTTE), load_theme(theme_file), RUTTE, CREATED))
    assert prepared.template_path == (tmp_path / "ministry.pptx").resolve()
    palette = prepared.job.theme.palette
    assert palette.accent == "8C1D40"  # the theme's choice wins
    assert palette.primary == TEAL  # the rest is the template's


def test_the_kicker_is_readable_and_never_across_the_band(
    ministry: Path, ministry_plan: DeckPlan
) -> None:
    band = Box(0, 0, ministry_plan.width, 84 + 5)  # the band and the sand rule under it
    kickers = 0
    for slide in ministry_plan.slides:
        for frame in slide.frames:
            if not (isinstance(frame, TextFrame) and frame.role == "kicker"):
                continue
            kickers += 1
            b = frame.box
            inside = b.y >= band.y and b.bottom <= band.bottom
            assert inside or b.y >= band.bottom, (slide.title, b)
            behind = next(
                (
                    a.fill
                    for a in reversed(slide.backdrop)
                    if isinstance(a, Shape)
                    and a.box.x <= b.x + b.w / 2 <= a.box.right
                    and a.box.y <= b.y + b.h / 2 <= a.box.bottom
                ),
                "FFFFFF",
            )
            para = frame.paras[0]
            assert colour.ratio(para.color, behind) >= colour.needed(para.size, True), slide.title
    assert kickers > 20


def test_content_stays_in_the_body_area_and_the_footer_off_the_logo(
    ministry_plan: DeckPlan,
) -> None:
    logo = Box(*LOGO)
    body_top = 84 + 5  # under the band and rule
    for slide in ministry_plan.slides:
        for frame in slide.frames:
            b = frame.box
            assert min(b.x, b.y) >= 0, (slide.title, frame.role)
            assert b.right <= ministry_plan.width + 0.01
            assert b.bottom <= ministry_plan.height + 0.01
            if frame.role.startswith("banner"):
                continue
            assert not overlaps(b, logo), (slide.title, frame.role, b)
            if slide.kind not in ("title", "divider") and frame.role not in ("title",):
                assert b.y >= body_top - 0.01, (slide.title, frame.role, b)
        roles = {f.role: f for f in slide.frames if isinstance(f, TextFrame)}
        assert roles["footer"].placeholder == "FOOTER:11", slide.title
        assert roles["slide_number"].placeholder == "SLIDE_NUMBER:12"
        assert roles["date"].placeholder == "DATE:10"
        assert roles["date"].paras[0].text == "As of 9 January 2025"


def test_ministry_pptx_fills_the_layout_placeholders_and_draws_no_logo_of_its_own(
    ministry: Path,
) -> None:
    prs = ministry_pptx(ministry)
    names = {s.slide_layout.name for s in prs.slides}
    assert names == {"Title Slide", "Title and Content", "Section Header"}
    for number, slide in enumerate(prs.slides, 1):
        kinds = {ph.placeholder_format.type.name: ph for ph in slide.placeholders}
        assert slide.shapes.title is not None
        assert slide.shapes.title.text_frame.text
        assert kinds["FOOTER"].text_frame.text
        assert "slidenum" in kinds["SLIDE_NUMBER"]._element.xml, number
        assert not [sh for sh in slide.shapes if sh.shape_type == 13]  # no picture: no logo
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height


def test_dividers_read_kicker_title_lead_then_tracker(ministry_plan: DeckPlan) -> None:
    dividers = [s for s in ministry_plan.slides if s.kind == "divider"]
    assert dividers
    for slide in dividers:
        roles = {f.role: f.box for f in slide.frames}
        assert roles["kicker"].bottom <= roles["title"].y, slide.title
        assert roles["title"].bottom <= roles["divider.lead"].y, slide.title
        assert roles["divider.lead"].bottom <= roles["tracker.1"].y, slide.title
        title = next(f for f in slide.frames if f.role == "title")
        assert isinstance(title, TextFrame)
        assert title.placeholder == "TITLE:0"


def test_pictures_appear_in_templated_decks(tmp_path: Path) -> None:
    src = outline_with_picture(tmp_path)
    template = make_template(tmp_path / "corporate.pptx")
    for deck in ("compact", "full"):
        job = Job(load_outline(src), load_theme(), src, CREATED, template, deck)
        plan = prepare(job).plan("deck")
        pictures = [f for s in plan.slides for f in s.frames if isinstance(f, Picture)]
        assert [p.alt for p in pictures] == ["Map of the eastern flank"], deck
        prs = Presentation(io.BytesIO(output(job, "pptx").data))
        alts = [
            sh._element.xpath("./p:nvPicPr/p:cNvPr/@descr")
            for s in prs.slides
            for sh in s.shapes
            if sh.shape_type == 13
        ]
        assert alts == [["Map of the eastern flank"]], deck


def test_previews_draw_the_master_band_and_logo(ministry: Path, ministry_plan: DeckPlan) -> None:
    job = Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, ministry, "full")
    prepared = prepare(job)
    index = next(i for i, s in enumerate(ministry_plan.slides) if s.kind == "summary")
    faces = prepared.job.theme.faces()
    img = png.draw_slide(ministry_plan, index, faces, 960, prepared.images)
    teal = tuple(int(TEAL[i : i + 2], 16) for i in (0, 2, 4))
    assert img.getpixel((480, 60)) == teal  # the band, under the title's line
    x, y, w, h = LOGO
    pixel = img.getpixel((int(x + 2), int(y + h / 2)))  # the logo's teal ground, resampled
    assert max(abs(a - b) for a, b in zip(pixel, teal, strict=True)) <= 3
    assert any(isinstance(a, Picture) for a in ministry_plan.slides[index].backdrop)


# --- --template alone ------------------------------------------------------------------------


def test_template_alone_chooses_layouts_by_placeholders_and_says_so(tmp_path: Path) -> None:
    template = make_template(tmp_path / "plain.pptx")
    out = run_cli(
        "build", str(RUTTE), "--format", "pptx", "--template", str(template), "-v",
        "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (
        "template layouts chosen by their placeholders: title slide: 'Title Slide'; "
        "content: 'Title and Content'; section dividers: 'Section Header'" in out.stderr
    )
    assert "template body font Calibri measured with Carlito (metric-compatible)" in out.stderr
    prs = Presentation(str(tmp_path / "out" / f"{RUTTE.stem}.pptx"))
    assert prs.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"Title and Content"}


@pytest.mark.parametrize("bad", ["/etc/passwd", "missing.pptx"])
def test_template_option_is_never_silently_ignored(tmp_path: Path, bad: str) -> None:
    out = run_cli(
        "build", str(RUTTE), "--format", "pptx", "--template", bad, "-o", str(tmp_path),
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert not list(tmp_path.glob("*.pptx"))


def test_a_theme_mapping_wins_over_the_choice(tmp_path: Path) -> None:
    from tests.test_template import theme_with_template

    template = make_template(tmp_path / "corporate.pptx")
    theme = load_theme(theme_with_template(tmp_path, content="Title Only"))
    plan = prepare(Job(load_outline(RUTTE), theme, RUTTE, CREATED, template)).plan("deck")
    assert {s.layout for s in plan.slides[1:]} == {"Title Only"}
    said = [d.message for d in plan.diagnostics if "layouts chosen" in d.message]
    assert said == [
        "template layouts chosen by their placeholders: section dividers: 'Section Header'"
    ]


# --- LibreOffice: the Ministry deck looks like its previews, the corpus builds ----------------


@pytest.mark.interop
def test_libreoffice_rendering_of_a_templated_deck_matches_the_previews(
    ministry: Path, ministry_plan: DeckPlan, tmp_path: Path
) -> None:
    from tests.test_preview import DIFF_THRESHOLD, INTEROP_WIDTH, image_difference

    assert DIFF_THRESHOLD < TEMPLATED_THRESHOLD

    pdftoppm = require_tool("pdftoppm")
    job = Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, ministry, "full")
    prepared = prepare(job)
    src = tmp_path / "deck.pptx"
    src.write_bytes(output(prepared, "pptx").data)
    libreoffice_convert(src, tmp_path)
    cmd = [pdftoppm, "-png", "-scale-to-x", str(INTEROP_WIDTH), "-scale-to-y", "-1"]
    subprocess.run([*cmd, str(tmp_path / "deck.pdf"), str(tmp_path / "lo")], check=True)
    lo = [Image.open(p) for p in sorted(tmp_path.glob("lo-*.png"))]
    assert len(lo) == len(ministry_plan.slides)
    faces = prepared.job.theme.faces()
    ours = [
        png.draw_slide(ministry_plan, i, faces, INTEROP_WIDTH, prepared.images)
        for i in range(len(lo))
    ]
    same = [image_difference(ours[i], lo[i]) for i in range(len(lo))]
    drift = {i + 1: round(d, 2) for i, d in enumerate(same) if d >= TEMPLATED_THRESHOLD}
    assert not drift, f"slides drawn differently from LibreOffice's rendering: {drift}"
    # The master's band, rule and logo make the likeness: without them a slide is far off.
    from copy import copy

    bare = copy(ministry_plan)
    bare.slides = [copy(s) for s in ministry_plan.slides]
    for s in bare.slides:
        s.backdrop = []
    plain = png.draw_slide(bare, 3, faces, INTEROP_WIDTH, prepared.images)
    assert image_difference(plain, lo[3]) > same[3] + DIFF_THRESHOLD


# The Ministry's Verdana is measured with DejaVu Sans and 6 % of each line kept free, so
# LibreOffice (drawing DejaVu Sans, filling lines to the full width) can set a dense
# paragraph in a line less than the plan: measured 8.65 at most (slide 24, 14 pt key points),
# 3.9 on average; neighbouring slides differ by 10 or more.
TEMPLATED_THRESHOLD = 9.5


def test_a_short_body_in_a_corner_gives_way_to_the_free_area_clear_of_the_artwork(
    tmp_path: Path,
) -> None:
    """LibreOffice's Midnightblue: a content body 124 pt high to the lower right of a centred
    title holds no metric card (the build failed). The body takes the free area under the title,
    margin to margin, down to the footer and still clear of the layout's pictures."""
    template = make_short_body(tmp_path / "corner.pptx")
    plan = prepare(Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, template)).plan("deck")
    errors = [d.message for d in plan.diagnostics if d.severity is Severity.ERROR]
    assert not errors, errors
    said = [d.message for d in plan.diagnostics]
    assert not any("no area clear of its artwork" in m for m in said)  # not the crowded fallback
    assert any("leaves a body" in m for m in said)  # still short: the warning stays true
    pictures = [Box(*BADGE), Box(*LOGO)]
    title_bottom = CORNER_TITLE[1] + CORNER_TITLE[3]
    content = 0
    wider = False
    for slide in plan.slides:
        for frame in slide.frames:
            b = frame.box
            assert min(b.x, b.y) >= -0.01, (slide.title, frame.role, b)
            assert b.right <= plan.width + 0.01, (slide.title, frame.role, b)
            assert b.bottom <= plan.height + 0.01, (slide.title, frame.role, b)
            if frame.role.startswith("banner") or getattr(frame, "placeholder", None):
                continue
            for a in pictures:
                assert not overlaps(b, a), (slide.title, frame.role, b, a)
            if slide.layout == "Title and Content" and frame.role != "kicker":
                content += 1
                assert b.y >= title_bottom, (slide.title, frame.role, b)
                wider |= b.x < CORNER_BODY[0] - 100
    assert content > 100
    assert wider  # the body is no longer the placeholder's corner


CORPUS = Path("/usr/lib/libreoffice/share/template/common/presnt")


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.otp"))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """LibreOffice's Impress templates, converted once to .potx (slow: about a minute)."""
    require_tool("soffice")
    files = corpus_files()
    if not files:
        missing("LibreOffice's Impress templates are missing (Debian: libreoffice-common)")
    out = tmp_path_factory.mktemp("corpus")
    libreoffice_convert_all(files, out, "potx", timeout=900)
    converted = sorted(out.glob("*.potx"))
    assert len(converted) == len(files)
    return converted


def overlap(a: Box, b: Box) -> float:
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return max(0.0, w) * max(0.0, h)


# Templates the planner cannot yet fill cleanly (found by this corpus; see the README): none
# now. Midnightblue, the last, has a content body 124 pt high beside a centred title, too short
# for a section's metric cards; the body now takes the free area under the title (136 pt high,
# margin to margin, clear of the artwork). (Piano, once listed here, builds cleanly too, though
# its short body makes 87 slides: a warning says so, as for the other templates whose body is
# under 40 % of the slide.)
CROWDED: set[str] = set()
# Templates whose content body is under 40 % of the slide's height: the build warns (Midnightblue's
# free area too is only 30 % of it).
SHORT = {"Grey_Elegant", "Midnightblue", "Pencil", "Piano", "Progress", "Vintage", "Vivid"}


@pytest.mark.interop
def test_the_rutte_deck_builds_on_every_libreoffice_template_with_no_mapping(
    corpus: list[Path],
) -> None:
    assert len(corpus) >= 20
    outline = load_outline(RUTTE)
    for template in corpus:
        job = Job(outline, load_theme(), RUTTE, CREATED, template)
        prepared = prepare(job)
        plan = prepared.plan("deck")
        said = [d.message for d in plan.diagnostics]
        assert any("layouts chosen by their placeholders" in m for m in said), template.name
        short = any("leaves a body" in m for m in said)
        assert short == (template.stem in SHORT), template.name
        problems = [
            d.message
            for d in plan.diagnostics
            if d.severity is Severity.ERROR or "does not fit" in d.message
        ]
        for slide in plan.slides:
            # The template's pictures, but not a whole-slide background picture.
            pictures = [
                a.box
                for a in slide.backdrop
                if isinstance(a, Picture) and a.box.w * a.box.h < 0.6 * plan.width * plan.height
            ]
            for frame in slide.frames:
                b = frame.box
                inside = min(b.x, b.y) >= -0.01 and b.right <= plan.width + 0.01
                if not (inside and b.bottom <= plan.height + 0.01):
                    problems.append(f"{slide.title}: {frame.role} outside the slide at {b}")
                furniture = frame.role.startswith("banner") or getattr(frame, "placeholder", None)
                if isinstance(frame, ChartFrame | TextFrame) and not furniture:
                    for a in pictures:  # content is never drawn over the template's pictures
                        if overlap(b, a) > 0.05 * b.w * b.h:
                            problems.append(f"{slide.title}: {frame.role} over a picture at {a}")
        # Strict both ways: a crowded template that stops overflowing must leave the list.
        if template.stem in CROWDED:
            assert problems, f"{template.name} fits now: take it off CROWDED"
        else:
            assert not problems, (template.name, problems)
        prs = Presentation(io.BytesIO(output(prepared, "pptx").data))
        assert len(prs.slides) == len(plan.slides)
        for slide, planned in zip(prs.slides, plan.slides, strict=True):
            title = slide.shapes.title
            assert title is not None, (template.name, planned.title)
            assert title.is_placeholder, (template.name, planned.title)
            assert title.text_frame.text.replace("\v", " ").split() == planned.title.split()
        with zipfile.ZipFile(io.BytesIO(output(prepared, "pptx").data)) as z:
            assert not [n for n in z.namelist() if "vbaProject" in n or "thumbnail" in n]


def test_the_crowded_list_names_real_templates() -> None:
    if not corpus_files():
        pytest.skip("LibreOffice's templates are not installed")
    stems = {p.stem for p in corpus_files()}
    assert stems >= CROWDED


def test_a_see_through_shape_tints_the_ground_titles_are_read_on(tmp_path: Path) -> None:
    """LibreOffice's Piano draws its title on black at 81 % under white at 30 %: the title is
    read on the grey that shows, not on black (nor on white)."""
    from lxml import etree

    from tests.ministry import NS, A, P

    path = make_ministry(tmp_path / "ministry.pptx")
    prs = Presentation(str(path))
    tree = prs.slide_master._element.find("p:cSld/p:spTree", NS)
    emu = 12700
    veil = (
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="95" name="Veil"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(prs.slide_width)}" cy="{84 * emu}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>'
        '<a:srgbClr val="FFFFFF"><a:alpha val="30000"/></a:srgbClr></a:solidFill>'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )
    tree.append(etree.fromstring(veil))  # over the teal band
    prs.save(str(path))
    job = Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, path, "full")
    plan: DeckPlan = prepare(job).plan("deck")
    grey = colour.mix(TEAL, "FFFFFF", 0.3)
    slide = next(s for s in plan.slides if s.kind == "key_points")
    fills = [a.fill for a in slide.backdrop if isinstance(a, Shape)]
    assert grey in fills  # drawn in the previews as the colour that shows
    title = next(f for f in slide.frames if isinstance(f, TextFrame) and f.role == "title")
    assert colour.ratio(title.paras[0].color, grey) >= 3.0  # large text, WCAG AA


def test_a_master_that_numbers_its_slides_gets_no_second_number(
    tmp_path: Path, ministry_plan: DeckPlan
) -> None:
    """LibreOffice's Midnightblue numbers every slide on a disc drawn by its master, in a text
    shape that is no placeholder: deckgen adds no number of its own beside it. Where the layout
    has a slide-number placeholder (the plain Ministry), the number goes there."""
    numbered = [f for s in ministry_plan.slides for f in s.frames if f.role == "slide_number"]
    assert numbered  # the plain Ministry: in the layouts' number placeholders
    assert all(getattr(f, "placeholder", "").startswith("SLIDE_NUMBER") for f in numbered)
    template = make_master_numbered(tmp_path / "numbered.pptx")
    info = inspect_template(template)
    assert all(layout.numbered for layout in info.layouts)
    plan = prepare(Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, template)).plan("deck")
    assert not [f for s in plan.slides for f in s.frames if f.role == "slide_number"]
    assert not [d for d in plan.diagnostics if d.severity is Severity.ERROR]


def test_key_points_that_continue_take_the_whole_width_of_their_slide(tmp_path: Path) -> None:
    """The column beside the key points (figures, looking ahead) is on a section's first slide
    only: on its '(cont.)' slides the points run across the body instead of leaving the right
    half empty (seen on LibreOffice's short-bodied templates)."""
    template = make_short_body(tmp_path / "corner.pptx")
    plan = prepare(Job(load_outline(RUTTE), load_theme(), RUTTE, CREATED, template)).plan("deck")
    firsts: dict[str, float] = {}
    continued = []
    for slide in plan.slides:
        points = [f for f in slide.frames if f.role == "key_points.body"]
        if not points:
            continue
        others = [f for f in slide.frames if f.role.startswith(("ahead", "kpi", "chart"))]
        if slide.title.endswith("(cont.)"):
            continued.append((slide.title, points[0].box, others))
        else:
            firsts.setdefault(slide.title, points[0].box.w)
    assert continued, "the corner template should continue some key points"
    for title, box, others in continued:
        first = firsts[title.removesuffix(" (cont.)")]
        assert not others, title
        assert box.w > 1.5 * first, (title, box.w, first)

"""The PDF brief writer: a brief plan and its assets in, the bytes of the brief out (reportlab).

A translator from :class:`deckgen.plan.brief.BriefPlan` blocks to platypus flowables in the
plan's styles, colours and spacing; reportlab paginates. Outline text reaches reportlab only as
markup this module builds from rich-text runs, with ``&``, ``<`` and ``>`` escaped, so nothing an
author writes is ever read as a tag. Output is byte-identical for identical input: invariant
mode, every date pinned to the assets' time, no random identifiers.

The brief is a tagged PDF (PDF/UA-1 as the target, :mod:`deckgen.render.pdf_tags`): each block
gets its structure element when its flowables are made, so the structure tree follows the
plan's order; page furniture, rules and table grids are artifacts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from html import unescape
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import (
    Image as RLImage,
)
from reportlab.platypus.flowables import _listWrapOn
from reportlab.platypus.paragraph import _FUZZ

from deckgen import model as bp
from deckgen.direction import is_rtl, needs_reordering, visual
from deckgen.fonts import FontSet
from deckgen.model import Box, ChartFrame, PreparedImage
from deckgen.render import Assets
from deckgen.render.pdf_draw import color as _color
from deckgen.render.pdf_draw import draw_ops, pinned_canvas
from deckgen.render.pdf_fonts import PdfFonts, register_fonts
from deckgen.render.pdf_tags import Node, Tagger, tagged
from deckgen.render.slide_draw import chart_ops, shown
from deckgen.richtext import Run

ALIGN = {"l": TA_LEFT, "ctr": TA_CENTER, "r": TA_RIGHT}
_TAG = re.compile(r"<[^>]*>")  # paragraph markup's tags, left out when reading its direction
# Paragraph markup parsed by reportlab, by markup and style: parsing is about an eighth of the
# brief's writing and most paragraphs come back unchanged in a watch's next round (and labels
# repeat within one brief). Each paragraph gets copies of the fragments. Bounded: cleared when
# it grows past PARSED_MAX, room for a brief of the 50 sections an outline may have (the Rutte
# brief has 443 paragraphs); a 1,200-section benchmark brief (about 30,000) would otherwise
# keep some 25 MB of fragments it never reuses.
_PARSED: dict[tuple[str, tuple[tuple[str, str], ...]], list[Any]] = {}
PARSED_MAX = 5_000


def write(plan: bp.BriefPlan, assets: Assets) -> bytes:
    """The PDF bytes of ``plan``."""
    fonts = register_fonts(assets.fonts)
    measure = FontSet.of(assets.fonts)
    return _Translator(plan, fonts, measure, assets.created, assets.images).build()


def plain_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


# --- markup ---------------------------------------------------------------------------------


def markup(runs: Sequence[Run]) -> str:
    """Paragraph markup for ``runs``: the text escaped, emphasis as ``<b>``/``<i>`` only."""
    out = []
    for run in runs:
        text = escape(run.text)
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def text(value: str) -> str:
    """Markup for plain text (no emphasis at all)."""
    return escape(value)


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "'": "&#39;"})


# --- the document -------------------------------------------------------------------------


class _BriefDoc(BaseDocTemplate):  # type: ignore[misc]
    """Page furniture, bookmarks and page references, laid out in one pass.

    Numbers known only at the end (the total in "page X of Y", the page of each contents
    entry) are drawn as named form XObjects, which a PDF page may use before they are
    defined; :meth:`define_forms` defines them once the last page is done. So the document
    is laid out once instead of being rebuilt until its page numbers settle.
    """

    def __init__(self, buf: io.BytesIO, plan: bp.BriefPlan, **kw: Any) -> None:
        self.plan = plan
        self.heading_pages: dict[str, int] = {}
        # form name -> (text template, face, size, hex colour), drawn when the pages are known
        self.page_refs: dict[str, tuple[str, str, float, str]] = {}
        super().__init__(buf, **kw)

    def afterFlowable(self, flowable: Flowable) -> None:
        heading: bp.Heading | None = getattr(flowable, "brief_heading", None)
        if heading is None:
            return
        self.heading_pages.setdefault(heading.key, self.page)
        if heading.bookmark:
            self.canv.addOutlineEntry(heading.label, heading.key, level=0, closed=False)

    def define_forms(self, canv: Canvas) -> None:
        """Draw every pending page reference as a form, right-aligned on its origin."""
        total = self.page
        for name, (template, face, size, color) in sorted(self.page_refs.items()):
            key = name.partition(":")[2]
            value = template.format(total=total, page=self.heading_pages.get(key, ""))
            canv.beginForm(name, lowerx=-self.width, lowery=-size, upperx=0, uppery=size * 2)
            canv.setFont(face, size)
            canv.setFillColor(_color(color))
            canv.drawRightString(0, 0, value)
            canv.endForm()


class _Marked(Flowable):  # type: ignore[misc]
    """A flowable whose drawing is real content of the structure node ``tag``.

    Without a node, or drawn a second time (a table's header row repeated on the next page:
    the structure has it once), its drawing stays an artifact. A figure's node gets its
    bounding box on the page (``/BBox``, which PDF/UA readers use to show it).
    """

    tag: Node | None = None
    _drawn = False

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canvas, "tagger", None)
        node = self.tag
        if tagger is None or node is None or self._drawn:
            super().drawOn(canvas, x, y, _sW)
            return
        self._drawn = True
        if node.role == "Figure":
            left = self._hAlignAdjust(x, _sW)
            w, h = self.size()
            a, _, _, d, e, f = canvas._currentMatrix
            box = [a * left + e, d * y + f, a * (left + w) + e, d * (y + h) + f]
            node.attrs["Layout"] = {
                "BBox": [round(v, 2) for v in box],
                "Placement": "/Block",
            }
        with tagger.content(canvas, node):
            super().drawOn(canvas, x, y, _sW)

    def size(self) -> tuple[float, float]:
        """What the flowable draws, width and height (once wrapped)."""
        return self.width, self.height


class _PageRef(_Marked):
    """A contents entry's page number: a form filled in when the page is known, and a link."""

    def __init__(self, doc: _BriefDoc, key: str, style: bp.TextStyle, face: str) -> None:
        super().__init__()
        self.doc, self.key, self.style, self.face = doc, key, style, face

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self.width = aW
        return aW, self.style.leading

    def draw(self) -> None:
        st = self.style
        name = f"toc:{self.key}"
        self.doc.page_refs[name] = ("{page}", self.face, st.size, st.color)
        canv = self.canv
        canv.saveState()
        # The baseline where a one-line Paragraph of this style puts it, right-aligned.
        canv.translate(self.width, st.leading - st.size)
        canv.doForm(name)
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, st.leading), relative=1, thickness=0)


class _Paragraph(_Marked, Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width, tagged as its ``tag`` node.

    Tables, keep-togethers and frames ask a paragraph for its size several times at the same
    width (1,403 times for the 482 paragraphs of the Rutte brief); line breaking depends on the
    width alone, so the result of the last wrap at that width is reused.
    """

    _STATE = ("width", "height", "blPara", "_wrapWidths", "_width_max", "_splitLongWordCount")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            for name, value in zip(self._STATE, cached[1], strict=True):
                setattr(self, name, value)
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if availWidth >= _FUZZ:  # reportlab's "cannot fit here" answer sets nothing
            state = tuple(getattr(self, name, None) for name in self._STATE)
            self.__dict__["_wrapped"] = (availWidth, state)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # The parts of a paragraph split over pages belong to the same structure element.
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.tag = self.tag
            part.rtl = self.rtl
        return parts

    rtl = False  # the paragraph's base direction is right-to-left

    def drawPara(self, debug: int = 0) -> None:
        # Lines are broken in logical order (a split paragraph's parts come from them) and
        # drawn in visual order: right-to-left text, and any line with some, is reordered here.
        logical: Any = getattr(self, "blPara")  # noqa: B009 (reportlab sets it untyped)
        shown = _visual_lines(logical, self.rtl)
        if shown is logical:
            super().drawPara(debug)
            return
        self.blPara = shown
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


def _visual_lines(bl: Any, rtl: bool) -> Any:
    """A copy of reportlab's broken lines ``bl`` with each line in visual order (``bl`` itself
    when every line is drawn as it is written)."""
    if bl.kind == 0:  # (extra space, words) in one style
        texts = [" ".join(words) for _, words in bl.lines]
        if not rtl and not any(needs_reordering(t) for t in texts):
            return bl
        lines = [
            (extra, "".join(visual([t], str, _same, rtl=rtl)).split(" "))
            for (extra, _), t in zip(bl.lines, texts, strict=True)
        ]
        return bl.clone(lines=lines)
    if not rtl and not any(needs_reordering("".join(f.text for f in ln.words)) for ln in bl.lines):
        return bl
    lines = [ln.clone(words=visual(ln.words, _frag_text, _frag_with, rtl=rtl)) for ln in bl.lines]
    return bl.clone(lines=lines)


def _same(_: str, text: str) -> str:
    return text


def _frag_text(frag: Any) -> str:
    return str(frag.text)


def _frag_with(frag: Any, text: str) -> Any:
    return frag.clone(text=text)


class _ChartFlowable(_Marked):
    """The section's chart, drawn by the same operations as the deck's PDF and previews."""

    def __init__(self, chart: bp.Chart, faces: PdfFonts, fonts: FontSet) -> None:
        super().__init__()
        self.width, self.height = chart.width, chart.height
        # Untitled: the brief's caption names the chart.
        frame = ChartFrame("chart", Box(0, 0, chart.width, chart.height), chart.spec)
        self.ops = chart_ops(frame, fonts, title=False)
        self.faces = faces

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_ops(self.canv, self.ops, self.height, self.faces, {})


class _Image(_Marked, RLImage):  # type: ignore[misc]
    """A picture, tagged as its figure."""

    def size(self) -> tuple[float, float]:
        return self.drawWidth, self.drawHeight


class _Table(Table):  # type: ignore[misc]
    """A table that never leaves its header with a single row at the foot or head of a page.

    When a split would leave fewer than two body rows on either side, it splits a row
    earlier, or moves the whole table to the next page.
    """

    MIN_ROWS = 2

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        total = len(self._cellvalues) - head
        if total < 2 * self.MIN_ROWS:
            parts: list[Flowable] = super().split(availWidth, availHeight)
            return parts if not parts or self._rows_of(parts[0], head) >= total else []
        height = availHeight
        for _ in range(total):
            parts = super().split(availWidth, height)
            if len(parts) < 2:
                return parts
            first = self._rows_of(parts[0], head)
            if first < self.MIN_ROWS:
                return []
            if total - first >= self.MIN_ROWS:
                return parts
            # The tail would be one row: give the first part one row less.
            heights = parts[0]._rowHeights
            height = sum(heights[:-1]) - 0.01
        return []

    @staticmethod
    def _rows_of(part: Flowable, head: int) -> int:
        return len(part._cellvalues) - head


class _KeepTail(KeepTogether):  # type: ignore[misc]
    """A box kept with the end of what precedes it (a section's "looking ahead").

    Together when both fit; otherwise what precedes is split so that at least its last line
    (or, for a table, its last two rows) moves to the next page with the box, which so never
    opens a page alone; what precedes is not moved whole, which would leave a gap.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        first, *box = list(self._content)
        frame = getattr(self, "_frame", None)
        if bool(getattr(frame, "_atTop", False)):
            return [first, *box]  # a new page and still too tall: let each part split
        height = first.wrapOn(self.canv, aW, aH)[1]
        parts = first.splitOn(self.canv, aW, min(aH, height - 0.01))
        if len(parts) == 2:
            return [parts[0], FrameBreak(), parts[1], *box]
        return [FrameBreak(), first, *box]


class _KeepWithStart(KeepTogether):  # type: ignore[misc]
    """Headings kept with the start of what follows them, not with all of it.

    Whole when it fits; otherwise split in place when the headings and the first lines of the
    last flowable (a paragraph's first two lines, a table's header and first row) fit below,
    else moved to the next page. reportlab's own ``keepWithNext`` keeps the whole next
    flowable, which leaves half-empty pages before long paragraphs.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content: list[Flowable] = list(self._content)
        *heads, last = content
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        _, used = _listWrapOn(heads, aW, self.canv)
        room = aH - used - last.getSpaceBefore() - (heads[-1].getSpaceAfter() if heads else 0)
        whole = last.wrapOn(self.canv, aW, room)[1] <= room
        # What must stay whole (a KeepTogether) fits only whole; anything else may split.
        fits = room > 0 and (
            whole
            or (not isinstance(last, KeepTogether) and bool(last.splitOn(self.canv, aW, room)))
        )
        if fits or at_top:
            return content
        return [FrameBreak(), *content]


class _Translator:
    """Turns one plan into flowables and page templates, then builds the document."""

    def __init__(
        self,
        plan: bp.BriefPlan,
        fonts: PdfFonts,
        measure: FontSet,
        created: datetime,
        images: Mapping[str, PreparedImage] | None = None,
    ) -> None:
        self.plan = plan
        self.images = dict(images or {})
        self.fonts = fonts
        self.measure = measure  # the planner's metrics, for the chart's layout
        self.created = created
        self.page = plan.page
        self.sp = plan.spacing
        self.colors = {k: _color(v) for k, v in plan.colors.items()}
        self.styles = {name: self._style(name, st) for name, st in plan.styles.items()}
        self._rtl_styles: dict[str, ParagraphStyle] = {}
        self._style_keys: dict[int, tuple[tuple[str, str], ...]] = {}
        self.doc: _BriefDoc  # set by build(), before the story is made
        self.tagger = Tagger()
        self.sect = self.tagger.root  # where the next block's structure goes (a level-1 Sect)

    # -- styles

    def _style(self, name: str, st: bp.TextStyle) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=self.fonts.face(bold=st.bold, italic=st.italic),
            fontSize=st.size,
            leading=st.leading,
            textColor=_color(st.color),
            spaceBefore=st.space_before,
            spaceAfter=st.space_after,
            alignment=ALIGN[st.align],
            keepWithNext=int(st.keep_with_next),
            allowWidows=0,
            allowOrphans=0,
        )

    def para(self, markup_: str, style: str, tag: Node | None = None) -> Paragraph:
        """A paragraph in ``style``, the content of structure node ``tag`` (else an artifact).

        A right-to-left paragraph (its text's first strong character, as the deck's paragraphs)
        starts at the right: left-aligned styles become right-aligned.
        """
        reordered = needs_reordering(markup_)
        logical = unescape(_TAG.sub(" ", markup_.replace("<br/>", " "))) if reordered else ""
        rtl = reordered and is_rtl(logical)
        if reordered and tag is not None and tag.actual is None:
            # Drawn in visual order; read in the order it was written.
            tag.actual = " ".join(logical.split())
        st = self.styles[style]
        if rtl and st.alignment == TA_LEFT:
            st = self._rtl_styles.get(style) or self._rtl_styles.setdefault(
                style, st.clone(f"{style}-rtl", alignment=TA_RIGHT)
            )
        para = _Paragraph(markup_, st, frags=self._parsed(markup_, st))
        para.tag = tag
        para.rtl = rtl
        return para

    def _parsed(self, markup_: str, st: ParagraphStyle) -> list[Any]:
        """Copies of the fragments reportlab parses ``markup_`` into in style ``st``."""
        style_key = self._style_keys.get(id(st))
        if style_key is None:
            style_key = tuple(sorted((k, repr(v)) for k, v in vars(st).items() if k != "parent"))
            self._style_keys[id(st)] = style_key
        key = (markup_, style_key)
        frags = _PARSED.get(key)
        if frags is None:
            if len(_PARSED) >= PARSED_MAX:
                _PARSED.clear()
            frags = _PARSED[key] = _Paragraph(markup_, st).frags
        return [f.clone() for f in frags]

    def font(self, style: str) -> tuple[str, float]:
        st = self.plan.styles[style]
        return self.fonts.face(bold=st.bold, italic=st.italic), st.size

    # -- build

    def build(self) -> bytes:
        buf = io.BytesIO()
        meta = self.plan.meta
        pg = self.page
        doc = _BriefDoc(
            buf,
            self.plan,
            pagesize=(pg.width, pg.height),
            leftMargin=pg.margin,
            rightMargin=pg.margin,
            topMargin=pg.frame_top,
            bottomMargin=pg.height - pg.frame_bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=meta.keywords,
            creator="deckgen",
            producer="deckgen (ReportLab)",
            lang=meta.language,
            invariant=1,
            displayDocTitle=1,
            pageCompression=1,
            initialFontName=self.fonts.regular,
        )
        self.doc = doc
        doc.addPageTemplates(self._templates())
        story = self._story()
        doc._doSave = 0  # saved below, after the forms holding late page numbers are defined
        canvas = tagged(pinned_canvas(self.created), self.tagger, meta)
        doc.build(story, canvasmaker=canvas)
        doc.define_forms(doc.canv)
        doc.canv.save()
        return buf.getvalue()

    def _frame(self, box: Box, name: str) -> Frame:
        """A frame over ``box`` (top-left origin in the plan, bottom-left in reportlab)."""
        return Frame(
            box.x,
            self.page.height - box.bottom,
            box.w,
            box.h,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )

    def _templates(self) -> list[PageTemplate]:
        pg = self.page
        body = Box(pg.margin, pg.frame_top, pg.frame_width, pg.frame_bottom - pg.frame_top)
        cover = [self._frame(pg.cover_title, "panel"), self._frame(pg.cover_meta, "lower")]
        return [
            PageTemplate("cover", cover, onPage=self._draw_cover),
            PageTemplate("body", [self._frame(body, "body")], onPage=self._draw_page),
        ]

    # -- page furniture

    def _banner(self, canv: Canvas, top: bool) -> None:
        """The classification band at the top or foot of the page (running furniture)."""
        pg = self.page
        marking = self.plan.classification
        if not marking or pg.banner <= 0:
            return
        face, size = self.font("banner")
        y = pg.height - pg.banner if top else 0.0
        with self.tagger.artifact(canv, "Pagination", "Header" if top else "Footer"):
            canv.setFillColor(self.colors["banner"])
            canv.rect(0, y, pg.width, pg.banner, stroke=0, fill=1)
            canv.setFillColor(self.colors["on_banner"])
            canv.setFont(face, size)
            canv.drawCentredString(pg.width / 2, y + (pg.banner - size * 0.7) / 2, shown(marking))

    def _draw_cover(self, canv: Canvas, doc: _BriefDoc) -> None:
        pg = self.page
        canv.saveState()
        top = pg.height - pg.banner
        canv.setFillColor(self.colors["primary"])
        canv.rect(0, top - pg.cover_panel, pg.width, pg.cover_panel, stroke=0, fill=1)
        canv.setFillColor(self.colors["accent"])
        strip = pg.cover_strip
        canv.rect(0, top - pg.cover_panel - strip, pg.width, strip, stroke=0, fill=1)
        logo = self.plan.logo
        if logo is not None and "logo" in self.images:
            reader = ImageReader(io.BytesIO(self.images["logo"].data))
            y = pg.height - logo.y - logo.h
            canv.drawImage(reader, logo.x, y, logo.w, logo.h, mask="auto")
        self._banner(canv, top=True)
        self._banner(canv, top=False)
        canv.restoreState()

    def _draw_page(self, canv: Canvas, doc: _BriefDoc) -> None:
        pg, sp = self.page, self.sp
        canv.saveState()
        self._banner(canv, top=True)
        m = pg.margin
        hface, hsize = self.font("header")
        top = pg.height - pg.banner - m * 0.5
        with self.tagger.artifact(canv, "Pagination", "Header"):
            canv.setFont(hface, hsize)
            canv.setFillColor(_color(self.plan.styles["header"].color))
            canv.drawString(m, top - pg.header * sp.header_text, shown(self.plan.running_title))
            canv.setStrokeColor(self.colors["accent"])
            canv.setLineWidth(pg.rule * 2)
            rule = top - pg.header * sp.header_rule
            canv.line(m, rule, pg.width - m, rule)

        self._banner(canv, top=False)
        fface, fsize = self.font("footer")
        bottom = pg.banner + m * 0.5
        with self.tagger.artifact(canv, "Pagination", "Footer"):
            canv.setStrokeColor(self.colors["rule"])
            canv.setLineWidth(pg.rule)
            rule = bottom + pg.footer * sp.footer_rule
            canv.line(m, rule, pg.width - m, rule)
            canv.setFont(fface, fsize)
            canv.setFillColor(_color(self.plan.styles["footer"].color))
            canv.drawString(m, bottom + pg.footer * sp.footer_text, shown(self.plan.footer))
            # The total is known only at the end, so the page's whole label is a form.
            name = f"footer:{doc.page:06d}"
            color = self.plan.styles["footer"].color
            label = self.plan.page_label.replace("{page}", str(doc.page))
            doc.page_refs[name] = (label, fface, fsize, color)
            canv.translate(pg.width - m, bottom + pg.footer * sp.footer_text)
            canv.doForm(name)
        canv.restoreState()

    # -- the story

    def _story(self) -> list[Flowable]:
        story: list[Flowable] = []
        handlers: dict[str, Callable[[Any], list[Flowable]]] = {
            "cover": self._cover,
            "figure": self._figure,
            "page_break": lambda b: [PageBreak()],
            "heading": self._heading,
            "text": lambda b: [self.para(markup(b.runs), b.style, self.sect.add("P"))],
            "table": self._table,
            "contents": self._contents,
            "key_point": self._key_point,
            "chart": self._chart,
            "looking_ahead": self._ahead,
            "sources": self._sources,
        }
        pending: list[Flowable] = []  # headings waiting for the flowable they keep with
        for block in self.plan.blocks:
            if (
                block.kind == "looking_ahead"
                and story
                and not pending
                and type(story[-1]) in (_Paragraph, _Table, KeepTogether)
            ):
                # The box stays with the end of its section: with the last flowable before it
                # when both fit on a page, so it never opens a page alone.
                story.append(_KeepTail([story.pop(), *handlers[block.kind](block)]))
                continue
            for flowable in handlers[block.kind](block):
                if isinstance(flowable, Paragraph) and flowable.getKeepWithNext():
                    flowable.keepWithNext = 0
                    pending.append(flowable)
                elif pending:
                    story.append(_KeepWithStart([*pending, flowable]))
                    pending = []
                else:
                    story.extend(pending)
                    story.append(flowable)
                    pending = []
        story.extend(pending)
        return story

    def _cover(self, b: bp.Cover) -> list[Flowable]:
        sect = self.sect = self.tagger.root.add("Sect")
        head = [
            self.para(text(b.kicker), "cover_kicker", sect.add("P")),
            self.para(text(b.title), "cover_title", sect.add("H1")),
            self.para(text(b.subtitle), "cover_subtitle", sect.add("P")),
        ]
        # The title block sits at the foot of the cover panel (its frame is filled top-down).
        box = self.page.cover_title
        used = sum(f.wrap(box.w, box.h)[1] + f.getSpaceAfter() for f in head)
        out: list[Flowable] = [Spacer(box.w, max(0.0, box.h - used - 1)), *head, FrameBreak()]
        for label, value in b.rows:
            out.append(self.para(text(label), "cover_label", sect.add("P")))
            out.append(self.para(text(value), "cover_meta", sect.add("P")))
        out.append(NextPageTemplate("body"))
        return out

    def _figure(self, b: bp.Figure) -> list[Flowable]:
        """The picture (a figure with its alt text), then its caption."""
        if b.image not in self.images:
            return []
        node = self.sect.add("Figure", alt=b.alt)
        picture = _Image(io.BytesIO(self.images[b.image].data), width=b.width, height=b.height)
        picture.hAlign = "LEFT"
        picture.tag = node
        # The caption repeats the alt text, which stands for the whole figure.
        caption = self.para(f"<i>{escape(b.caption)}</i>", "caption", node.add("Caption"))
        return [KeepTogether([picture, caption])]

    def _heading(self, b: bp.Heading) -> list[Flowable]:
        if b.level == 1:  # each top-level heading opens a section of the structure
            self.sect = self.tagger.root.add("Sect")
        node = self.sect.add("H1" if b.level == 1 else "H2")
        anchor = f'<a name="{_attr(b.key)}"/>'
        if b.number:
            num = self.plan.styles["h1_number"].color
            gap = "&nbsp;" * self.sp.number_gap
            content = f'<font color="#{num}">{text(b.number)}</font>{gap}{text(b.text)}'
        else:
            content = text(b.text)
        para = self.para(anchor + content, "h1" if b.level == 1 else "h2", node)
        para.brief_heading = b
        return [para]

    def _cell(self, c: bp.Cell, node: Node) -> Paragraph:
        content = markup(c.runs).replace("\n", "<br/>")
        if c.link:
            content = f'<a href="#{_attr(c.link)}">{content}</a>'
            node = node.add("Link", contents=plain_text(c.runs))
        if c.mark:
            # The dot repeats the status word in colour: read the word alone.
            content = f'<font color="#{c.mark}">\u25cf</font> ' + content
            node.actual = plain_text(c.runs)
        return self.para(content, c.style, node)

    def _widths(self, fractions: Sequence[float]) -> list[float]:
        return [self.page.frame_width * f for f in fractions]

    def _table_rows(self, b: bp.Table) -> list[list[Paragraph]]:
        """The table's cells, each tagged: a header row of column headers (``TH`` scoped to its
        column; an empty one is a plain cell), or without one, each row headed by its first
        cell (``TH`` scoped to its row)."""
        table = self.sect.add("Table")
        data: list[list[Paragraph]] = []
        if b.header:
            row = table.add("THead").add("TR")
            data.append(
                [
                    self._cell(c, row.add("TH", keep=True, attrs={"Table": {"Scope": "/Column"}}))
                    if plain_text(c.runs).strip()
                    else self._cell(c, row.add("TD", keep=True))
                    for c in b.header
                ]
            )
        body = table.add("TBody")
        for cells in b.rows:
            row = body.add("TR")
            out = []
            for k, c in enumerate(cells):
                if k == 0 and not b.header:
                    cell = row.add("TH", keep=True, attrs={"Table": {"Scope": "/Row"}})
                else:
                    cell = row.add("TD", keep=True)
                out.append(self._cell(c, cell))
            data.append(out)
        return data

    def _table(self, b: bp.Table) -> list[Flowable]:
        data = self._table_rows(b)
        head = 1 if b.header else 0
        table = _Table(
            data, colWidths=self._widths(b.widths), repeatRows=head, splitInRow=int(b.split_rows)
        )
        sp = self.sp
        # Every cell holds paragraphs in the theme's fonts; the cell font is set anyway, else
        # reportlab selects (and lists on every page) an unembedded Helvetica.
        font = ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular)
        if b.look == "rules":
            pad = sp.judgement_pad
            table.setStyle(
                TableStyle(
                    [
                        font,
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                        ("TOPPADDING", (0, 0), (-1, -1), pad),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                        ("LINEBELOW", (0, 0), (-1, -1), sp.cell_rule, self.colors["surface"]),
                        (
                            "LINEABOVE",
                            (0, 0),
                            (-1, 0),
                            sp.judgement_top_rule,
                            self.colors["primary"],
                        ),
                    ]
                )
            )
            return [table, Spacer(1, pad * 2)]
        cmds: list[tuple[Any, ...]] = [
            font,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), sp.cell_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), sp.cell_x),
            ("TOPPADDING", (0, 0), (-1, -1), sp.cell_top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), sp.cell_bottom),
            ("LINEBELOW", (0, head), (-1, -1), sp.cell_rule, self.colors["surface"]),
            ("LINEBELOW", (0, -1), (-1, -1), sp.table_end_rule, self.colors["primary"]),
        ]
        if head:
            cmds.append(("BACKGROUND", (0, 0), (-1, 0), self.colors["primary"]))
        for r in range(head, len(data)):
            if (r - head) % 2 == 1:
                cmds.append(("BACKGROUND", (0, r), (-1, r), self.colors["surface"]))
        table.setStyle(TableStyle(cmds))
        return [Spacer(1, b.space_before), table] if b.space_before else [table]

    def _contents(self, b: bp.Contents) -> list[Flowable]:
        """Every contents heading of the plan; page numbers are filled in once known."""
        face, _ = self.font("toc_page")
        style = self.plan.styles["toc_page"]
        rows: list[list[Flowable]] = []
        toc = self.sect.add("TOC")
        for h in self.plan.blocks:
            if isinstance(h, bp.Heading) and h.toc:
                # One link per entry, holding its text and its page number (two annotations).
                link = toc.add("TOCI").add("Link", contents=h.label)
                href = f'<a href="#{_attr(h.key)}">'
                page = _PageRef(self.doc, h.key, style, face)
                page.tag = link
                rows.append([self.para(f"{href}{text(h.label)}</a>", "toc1", link), page])
        if not rows:
            return []
        sp = self.sp
        pad = sp.contents_pad
        width = self.page.frame_width
        dots_w, dash, gap = sp.contents_dots
        table = Table(rows, colWidths=self._widths(sp.contents_widths), repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                    ("LINEBELOW", (0, 0), (-1, -1), dots_w, self.colors["rule"], None, (dash, gap)),
                ]
            )
        )
        # On one page when it fits on one (never a stub of two entries over the page).
        _, height = table.wrap(width, self.page.frame_bottom - self.page.frame_top)
        fits = height <= 0.9 * (self.page.frame_bottom - self.page.frame_top)
        return [KeepTogether([table])] if fits else [table]

    def _key_point(self, b: bp.KeyPointBlock) -> list[Flowable]:
        """A key point: its headline is a heading under its section's, its detail a paragraph."""
        return [
            self.para(markup(b.headline), "kp_head", self.sect.add("H2")),
            self.para(markup(b.detail), "kp_body", self.sect.add("P")),
        ]

    def _chart(self, b: bp.Chart) -> list[Flowable]:
        node = self.sect.add("Figure", alt=b.spec.alt)
        caption = self.para(text(b.caption), "caption", node.add("Caption"))
        chart = _ChartFlowable(b, self.fonts, self.measure)
        chart.tag = node
        return [KeepTogether([caption, chart])]

    def _ahead(self, b: bp.LookingAhead) -> list[Flowable]:
        """The "looking ahead" box: a one-column table for its look, a division with a
        heading (at the level of the key points) and paragraphs for its structure."""
        sp = self.sp
        div = self.sect.add("Div")
        rows: list[list[Flowable]] = [[self.para(text(b.title), "ahead_title", div.add("H2"))]]
        rows += [[self.para(markup(p), "ahead_body", div.add("P"))] for p in b.paragraphs]
        table = Table(rows, colWidths=[self.page.frame_width], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                    ("BACKGROUND", (0, 0), (-1, -1), self.colors["ahead"]),
                    ("LINEBEFORE", (0, 0), (0, -1), sp.ahead_rule, self.colors["ahead_rule"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), sp.ahead_x),
                    ("RIGHTPADDING", (0, 0), (-1, -1), sp.ahead_x),
                    ("TOPPADDING", (0, 0), (-1, -1), sp.ahead_y),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), sp.ahead_y),
                    ("TOPPADDING", (0, 0), (-1, 0), sp.ahead_top),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), sp.ahead_bottom),
                ]
            )
        )
        return [Spacer(1, sp.ahead_before), KeepTogether([table]), Spacer(1, sp.ahead_after)]

    def _sources(self, b: bp.Sources) -> list[Flowable]:
        """The sources as a list; an entry with a URL is one link to it."""
        out: list[Flowable] = []
        link_color = self.plan.colors["secondary"]
        items = self.sect.add("L", attrs={"List": {"ListNumbering": "/Decimal"}})
        for e in b.entries:
            body = items.add("LI").add("LBody")
            parts = [
                f"{text(e.number)}.&nbsp;&nbsp;<i>{text(e.title)}</i>. "
                f"{text(e.publisher)}, {text(e.date)}."
            ]
            if e.url:
                parts.append(
                    f' <a href="{_attr(e.url)}" color="#{link_color}"><u>{text(e.url)}</u></a>'
                )
                body = body.add("Link", contents=e.url)
            out.append(self.para("".join(parts), "source", body))
        return out

"""The PDF brief writer: a brief plan and its assets in, the bytes of the brief out (reportlab).

A translator from :class:`deckgen.plan.brief.BriefPlan` blocks to platypus flowables in the
plan's styles, colours and spacing; reportlab paginates. Outline text reaches reportlab only as
markup this module builds from rich-text runs, with ``&``, ``<`` and ``>`` escaped, so nothing an
author writes is ever read as a tag. Output is byte-identical for identical input: invariant
mode, every date pinned to the assets' time, no random identifiers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
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
from deckgen.fonts import FontSet
from deckgen.images import PreparedImage
from deckgen.model import Box, ChartFrame
from deckgen.render import Assets
from deckgen.render.pdf_draw import color as _color
from deckgen.render.pdf_draw import draw_ops, pinned_canvas
from deckgen.render.pdf_fonts import PdfFonts, register_fonts
from deckgen.render.slide_draw import chart_ops
from deckgen.richtext import Run

ALIGN = {"l": TA_LEFT, "ctr": TA_CENTER, "r": TA_RIGHT}


def write(plan: bp.BriefPlan, assets: Assets) -> bytes:
    """The PDF bytes of ``plan``."""
    fonts = register_fonts(assets.fonts)
    measure = FontSet.of(assets.fonts)
    return _Translator(plan, fonts, measure, assets.created, assets.images).build()


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


class _PageRef(Flowable):  # type: ignore[misc]
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


class _Paragraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width.

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


class _ChartFlowable(Flowable):  # type: ignore[misc]
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
        self.doc: _BriefDoc  # set by build(), before the story is made

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

    def para(self, markup_: str, style: str) -> Paragraph:
        return _Paragraph(markup_, self.styles[style])

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
        doc.build(story, canvasmaker=pinned_canvas(self.created))
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

    def _banners(self, canv: Canvas) -> None:
        pg = self.page
        marking = self.plan.classification
        if not marking or pg.banner <= 0:
            return
        face, size = self.font("banner")
        for y in (pg.height - pg.banner, 0.0):
            canv.setFillColor(self.colors["banner"])
            canv.rect(0, y, pg.width, pg.banner, stroke=0, fill=1)
            canv.setFillColor(self.colors["on_banner"])
            canv.setFont(face, size)
            canv.drawCentredString(pg.width / 2, y + (pg.banner - size * 0.7) / 2, marking)

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
        self._banners(canv)
        canv.restoreState()

    def _draw_page(self, canv: Canvas, doc: _BriefDoc) -> None:
        pg, sp = self.page, self.sp
        canv.saveState()
        self._banners(canv)
        m = pg.margin
        hface, hsize = self.font("header")
        top = pg.height - pg.banner - m * 0.5
        canv.setFont(hface, hsize)
        canv.setFillColor(_color(self.plan.styles["header"].color))
        canv.drawString(m, top - pg.header * sp.header_text, self.plan.running_title)
        canv.setStrokeColor(self.colors["accent"])
        canv.setLineWidth(pg.rule * 2)
        rule = top - pg.header * sp.header_rule
        canv.line(m, rule, pg.width - m, rule)

        fface, fsize = self.font("footer")
        bottom = pg.banner + m * 0.5
        canv.setStrokeColor(self.colors["rule"])
        canv.setLineWidth(pg.rule)
        rule = bottom + pg.footer * sp.footer_rule
        canv.line(m, rule, pg.width - m, rule)
        canv.setFont(fface, fsize)
        canv.setFillColor(_color(self.plan.styles["footer"].color))
        canv.drawString(m, bottom + pg.footer * sp.footer_text, self.plan.footer)
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
            "text": lambda b: [self.para(markup(b.runs), b.style)],
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
        head = [
            self.para(text(b.kicker), "cover_kicker"),
            self.para(text(b.title), "cover_title"),
            self.para(text(b.subtitle), "cover_subtitle"),
        ]
        # The title block sits at the foot of the cover panel (its frame is filled top-down).
        box = self.page.cover_title
        used = sum(f.wrap(box.w, box.h)[1] + f.getSpaceAfter() for f in head)
        out: list[Flowable] = [Spacer(box.w, max(0.0, box.h - used - 1)), *head, FrameBreak()]
        for label, value in b.rows:
            out.append(self.para(text(label), "cover_label"))
            out.append(self.para(text(value), "cover_meta"))
        out.append(NextPageTemplate("body"))
        return out

    def _figure(self, b: bp.Figure) -> list[Flowable]:
        """The picture, then its caption (reportlab writes no /Alt tags)."""
        if b.image not in self.images:
            return []
        picture = RLImage(io.BytesIO(self.images[b.image].data), width=b.width, height=b.height)
        picture.hAlign = "LEFT"
        caption = self.para(f"<i>{escape(b.caption)}</i>", "caption")
        return [KeepTogether([picture, caption])]

    def _heading(self, b: bp.Heading) -> list[Flowable]:
        anchor = f'<a name="{_attr(b.key)}"/>'
        if b.number:
            num = self.plan.styles["h1_number"].color
            gap = "&nbsp;" * self.sp.number_gap
            content = f'<font color="#{num}">{text(b.number)}</font>{gap}{text(b.text)}'
        else:
            content = text(b.text)
        para = self.para(anchor + content, "h1" if b.level == 1 else "h2")
        para.brief_heading = b
        return [para]

    def _cell(self, c: bp.Cell) -> Paragraph:
        content = markup(c.runs).replace("\n", "<br/>")
        if c.link:
            content = f'<a href="#{_attr(c.link)}">{content}</a>'
        if c.mark:
            content = f'<font color="#{c.mark}">\u25cf</font> ' + content
        return self.para(content, c.style)

    def _widths(self, fractions: Sequence[float]) -> list[float]:
        return [self.page.frame_width * f for f in fractions]

    def _table(self, b: bp.Table) -> list[Flowable]:
        data = [[self._cell(c) for c in row] for row in ((b.header,) if b.header else ())]
        data += [[self._cell(c) for c in row] for row in b.rows]
        head = 1 if b.header else 0
        table = _Table(
            data, colWidths=self._widths(b.widths), repeatRows=head, splitInRow=int(b.split_rows)
        )
        sp = self.sp
        if b.look == "rules":
            pad = sp.judgement_pad
            table.setStyle(
                TableStyle(
                    [
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
        for h in self.plan.blocks:
            if isinstance(h, bp.Heading) and h.toc:
                href = f'<a href="#{_attr(h.key)}">'
                page = _PageRef(self.doc, h.key, style, face)
                rows.append([self.para(f"{href}{text(h.label)}</a>", "toc1"), page])
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
        return [self.para(markup(b.headline), "kp_head"), self.para(markup(b.detail), "kp_body")]

    def _chart(self, b: bp.Chart) -> list[Flowable]:
        caption = self.para(text(b.caption), "caption")
        return [KeepTogether([caption, _ChartFlowable(b, self.fonts, self.measure)])]

    def _ahead(self, b: bp.LookingAhead) -> list[Flowable]:
        sp = self.sp
        rows: list[list[Flowable]] = [[self.para(text(b.title), "ahead_title")]]
        rows += [[self.para(markup(p), "ahead_body")] for p in b.paragraphs]
        table = Table(rows, colWidths=[self.page.frame_width], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
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
        out: list[Flowable] = []
        link_color = self.plan.colors["secondary"]
        for e in b.entries:
            parts = [
                f"{text(e.number)}.&nbsp;&nbsp;<i>{text(e.title)}</i>. "
                f"{text(e.publisher)}, {text(e.date)}."
            ]
            if e.url:
                parts.append(
                    f' <a href="{_attr(e.url)}" color="#{link_color}"><u>{text(e.url)}</u></a>'
                )
            out.append(self.para("".join(parts), "source"))
        return out

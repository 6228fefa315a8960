"""The PDF brief renderer: a render job in, the bytes of the brief (reportlab platypus) out.

A thin translator from :class:`deckgen.plan.brief.BriefPlan` blocks to platypus flowables in the
plan's styles; reportlab paginates. Outline text reaches reportlab only as markup this module
builds from rich-text runs, with ``&``, ``<`` and ``>`` escaped, so nothing an author writes is
ever read as a tag. Output is byte-identical for identical input: invariant mode, every date
pinned to the job's time, no random identifiers.
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

from deckgen.images import PreparedImage, outline_images
from deckgen.model import Box, ChartFrame
from deckgen.plan import brief as bp
from deckgen.render import Job, Rendered
from deckgen.render.pdf_draw import color as _color
from deckgen.render.pdf_draw import draw_ops, pinned_canvas
from deckgen.render.pdf_fonts import PdfFonts, register_theme_fonts
from deckgen.render.slide_draw import chart_ops, theme_fonts
from deckgen.richtext import Run
from deckgen.textfit import FontSet
from deckgen.theme import Theme

ALIGN = {"l": TA_LEFT, "ctr": TA_CENTER, "r": TA_RIGHT}


def render(job: Job) -> Rendered:
    """Plan and render the brief of ``job``'s outline."""
    images = outline_images(job.outline, job.theme)
    plan = bp.plan_brief(job.outline, job.theme, job.created, images)
    data = render_plan(plan, job.theme, job.created, images)
    return Rendered(data=data, diagnostics=plan.diagnostics)


def render_plan(
    plan: bp.BriefPlan,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
) -> bytes:
    """The PDF bytes of ``plan``."""
    fonts = register_theme_fonts(theme)
    return _Translator(plan, fonts, theme_fonts(theme), created, images or {}).build()


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
        self.colors = {k: _color(v) for k, v in plan.colors.items()}
        self.styles = {name: self._style(name, st) for name, st in plan.styles.items()}
        self._cover_frame_size = (plan.page.frame_width, plan.page.cover_panel)
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
        story = self._story()  # after the templates: the cover needs its frame's size
        doc._doSave = 0  # saved below, after the forms holding late page numbers are defined
        doc.build(story, canvasmaker=pinned_canvas(self.created))
        doc.define_forms(doc.canv)
        doc.canv.save()
        return buf.getvalue()

    def _templates(self) -> list[PageTemplate]:
        pg = self.page
        h, m = pg.height, pg.margin
        body = Frame(
            m,
            h - pg.frame_bottom,
            pg.frame_width,
            pg.frame_bottom - pg.frame_top,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        panel_top = pg.banner + m * 1.1
        panel_bottom = pg.banner + pg.cover_panel
        cover_panel = Frame(
            m,
            h - panel_bottom + m * 0.6,
            pg.frame_width,
            panel_bottom - panel_top - m * 0.6,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="panel",
        )
        self._cover_frame_size = (cover_panel._aW, cover_panel._aH)
        lower_top = panel_bottom + m * 0.7
        lower_bottom = h - pg.banner - m
        cover_lower = Frame(
            m,
            h - lower_bottom,
            pg.frame_width * 0.7,
            lower_bottom - lower_top,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="lower",
        )
        return [
            PageTemplate("cover", [cover_panel, cover_lower], onPage=self._draw_cover),
            PageTemplate("body", [body], onPage=self._draw_page),
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
        canv.rect(0, top - pg.cover_panel - 5, pg.width, 5, stroke=0, fill=1)
        logo = self.plan.logo
        if logo is not None and "logo" in self.images:
            reader = ImageReader(io.BytesIO(self.images["logo"].data))
            y = pg.height - logo.y - logo.h
            canv.drawImage(reader, logo.x, y, logo.w, logo.h, mask="auto")
        self._banners(canv)
        canv.restoreState()

    def _draw_page(self, canv: Canvas, doc: _BriefDoc) -> None:
        pg = self.page
        canv.saveState()
        self._banners(canv)
        m = pg.margin
        hface, hsize = self.font("header")
        top = pg.height - pg.banner - m * 0.5
        canv.setFont(hface, hsize)
        canv.setFillColor(_color(self.plan.styles["header"].color))
        canv.drawString(m, top - pg.header * 0.45, self.plan.running_title)
        canv.setStrokeColor(self.colors["accent"])
        canv.setLineWidth(pg.rule * 2)
        canv.line(m, top - pg.header * 0.7, pg.width - m, top - pg.header * 0.7)

        fface, fsize = self.font("footer")
        bottom = pg.banner + m * 0.5
        canv.setStrokeColor(self.colors["rule"])
        canv.setLineWidth(pg.rule)
        canv.line(m, bottom + pg.footer * 0.75, pg.width - m, bottom + pg.footer * 0.75)
        canv.setFont(fface, fsize)
        canv.setFillColor(_color(self.plan.styles["footer"].color))
        canv.drawString(m, bottom + pg.footer * 0.3, f"As of {self.plan.as_of}")
        # The total is known only at the end, so the page's whole "Page X of Y" is a form.
        name = f"footer:{doc.page:06d}"
        color = self.plan.styles["footer"].color
        doc.page_refs[name] = (f"Page {doc.page} of {{total}}", fface, fsize, color)
        canv.translate(pg.width - m, bottom + pg.footer * 0.3)
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
            "glance": self._glance,
            "judgements": self._judgements,
            "contents": self._contents,
            "key_point": self._key_point,
            "metrics": self._metrics,
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
            self.para(text(b.kicker.upper()), "cover_kicker"),
            self.para(text(b.title), "cover_title"),
            self.para(text(b.subtitle), "cover_subtitle"),
        ]
        # The title block sits at the foot of the cover panel (its frame is filled top-down).
        width, height = self._cover_frame_size
        used = sum(f.wrap(width, height)[1] + f.getSpaceAfter() for f in head)
        out: list[Flowable] = [Spacer(width, max(0.0, height - used - 1)), *head, FrameBreak()]
        rows = [("Prepared by", b.author), ("As of", b.as_of)]
        if b.classification:
            rows.append(("Classification", b.classification))
        for label, value in rows:
            out.append(self.para(text(label.upper()), "cover_label"))
            out.append(self.para(text(value), "cover_meta"))
        out.append(NextPageTemplate("body"))
        return out

    def _figure(self, b: bp.Figure) -> list[Flowable]:
        """The picture, then its alt text as a caption (reportlab writes no /Alt tags)."""
        if b.image not in self.images:
            return []
        picture = RLImage(io.BytesIO(self.images[b.image].data), width=b.width, height=b.height)
        picture.hAlign = "LEFT"
        caption = self.para(
            f"<i>{escape(b.alt)}</i>", "caption" if "caption" in self.plan.styles else "body"
        )
        return [KeepTogether([picture, caption])]

    def _heading(self, b: bp.Heading) -> list[Flowable]:
        anchor = f'<a name="{_attr(b.key)}"/>'
        if b.number:
            num = self.plan.styles["h1_number"].color
            content = (
                f'<font color="#{num}">{text(b.number)}</font>&nbsp;&nbsp;&nbsp;{text(b.text)}'
            )
        else:
            content = text(b.text)
        para = self.para(anchor + content, "h1" if b.level == 1 else "h2")
        para.brief_heading = b
        return [para]

    def _table_style(self, rows: int, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
        cmds: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), self.colors["primary"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, self.colors["surface"]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, self.colors["primary"]),
        ]
        for r in range(1, rows):
            if r % 2 == 0:
                cmds.append(("BACKGROUND", (0, r), (-1, r), self.colors["surface"]))
        cmds.extend(extra)
        return TableStyle(cmds)

    def _widths(self, fractions: Sequence[float]) -> list[float]:
        return [self.page.frame_width * f for f in fractions]

    def _glance(self, b: bp.Glance) -> list[Flowable]:
        data: list[list[Flowable]] = [[self.para(text(h), "table_head") for h in b.header]]
        for row in b.rows:
            link = f'<a href="#{_attr(row.key)}">{text(row.title)}</a>'
            data.append(
                [
                    self.para(text(row.number), "table_strong"),
                    self.para(link, "table_link"),
                    self.para(markup(row.assessment), "table"),
                    self.para(text(row.metric) or "\u2014", "table"),
                ]
            )
        # An assessment or figure can be long: a row must be allowed to split (reportlab
        # raises LayoutError otherwise).
        table = _Table(data, colWidths=self._widths(b.widths), repeatRows=1, splitInRow=1)
        table.setStyle(self._table_style(len(data)))
        return [table]

    def _judgements(self, b: bp.Judgements) -> list[Flowable]:
        """Each judgement beside its confidence, in words; rules between them."""
        rows: list[list[Flowable]] = []
        for r in b.rows:
            refs = f'<br/><font size="{self.plan.styles["table"].size}">{text(r.refs)}</font>'
            rows.append(
                [
                    self.para(text(r.confidence) + (refs if r.refs else ""), "confidence"),
                    self.para(markup(r.text), "judgement"),
                ]
            )
        table = _Table(rows, colWidths=self._widths(b.widths), splitInRow=1)
        pad = self.plan.styles["body"].size * 0.6
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, self.colors["surface"]),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, self.colors["primary"]),
                ]
            )
        )
        return [table, Spacer(1, pad * 2)]

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
        pad = self.plan.styles["toc1"].size * 0.45
        width = self.page.frame_width
        table = Table(rows, colWidths=[width * 0.88, width * 0.12], repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.colors["rule"], None, (0.6, 2.4)),
                ]
            )
        )
        # On one page when it fits on one (never a stub of two entries over the page).
        _, height = table.wrap(width, self.page.frame_bottom - self.page.frame_top)
        fits = height <= 0.9 * (self.page.frame_bottom - self.page.frame_top)
        return [KeepTogether([table])] if fits else [table]

    def _key_point(self, b: bp.KeyPointBlock) -> list[Flowable]:
        return [self.para(markup(b.headline), "kp_head"), self.para(markup(b.detail), "kp_body")]

    def _metrics(self, b: bp.MetricsTable) -> list[Flowable]:
        data: list[list[Flowable]] = [[self.para(text(h), "table_head") for h in b.header]]
        for row in b.rows:
            dot = ""
            if row.status:
                dot = f'<font color="#{self.plan.colors[row.status]}">\u25cf</font> '
            cells = [
                self.para(text(row.label), "table"),
                self.para(text(row.value), "table_strong"),
                self.para(text(row.context), "table"),
                self.para(dot + text(row.status_text), "table"),
                self.para(text(row.source), "table"),
            ]
            if not b.status:
                del cells[3]
            data.append(cells)
        table = _Table(data, colWidths=self._widths(b.widths), repeatRows=1)
        table.setStyle(self._table_style(len(data)))
        return [Spacer(1, self.plan.styles["body"].size * 0.4), table]

    def _chart(self, b: bp.Chart) -> list[Flowable]:
        caption = self.para(text(b.caption), "caption")
        return [KeepTogether([caption, _ChartFlowable(b, self.fonts, self.measure)])]

    def _ahead(self, b: bp.LookingAhead) -> list[Flowable]:
        rows: list[list[Flowable]] = [[self.para(text(b.title.upper()), "ahead_title")]]
        rows += [[self.para(markup(p), "ahead_body")] for p in b.paragraphs]
        pad = self.plan.styles["body"].size
        table = Table(rows, colWidths=[self.page.frame_width], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), self.colors["ahead"]),
                    ("LINEBEFORE", (0, 0), (0, -1), 3.5, self.colors["ahead_rule"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.3),
                    ("TOPPADDING", (0, 0), (-1, -1), pad * 0.25),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.25),
                    ("TOPPADDING", (0, 0), (-1, 0), pad * 0.9),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 1.0),
                ]
            )
        )
        return [Spacer(1, pad * 1.2), KeepTogether([table]), Spacer(1, pad * 0.6)]

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

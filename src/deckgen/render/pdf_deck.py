"""The deck as PDF: a render job in, the bytes of a PDF with one page per slide out.

Draws the same :class:`DeckPlan` the PPTX renderer writes, through the drawing operations of
:mod:`deckgen.render.slide_draw` (so the PNG previews agree with it), in the theme's embedded
TrueType fonts. Each PowerPoint section is a top-level bookmark opening at its first slide, with
one entry per slide beneath it; the metadata matches the PPTX's. Output is byte-identical for
identical input: invariant mode, every date pinned to the job's time.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from deckgen.images import PreparedImage
from deckgen.model import DeckPlan
from deckgen.render import Job, Rendered
from deckgen.render.deck_job import plan_for_job
from deckgen.render.pdf_brief import _pinned_canvas
from deckgen.render.pdf_fonts import PdfFonts, register_theme_fonts
from deckgen.render.slide_draw import Image, Line, Op, Rect, Text, slide_ops, theme_fonts
from deckgen.theme import Theme


def render(job: Job) -> Rendered:
    """Plan the deck of ``job``'s outline and draw it as a PDF."""
    deck = plan_for_job(job)
    data = render_plan(deck.plan, job.theme, job.created, deck.images)
    return Rendered(data, list(deck.plan.diagnostics))


def render_plan(
    plan: DeckPlan,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
) -> bytes:
    """The PDF bytes of ``plan``: one page per slide at the plan's size in points."""
    pdf_fonts = register_theme_fonts(theme)
    fonts = theme_fonts(theme)
    buf = io.BytesIO()
    canvas_class = _pinned_canvas(created)
    c: Canvas = canvas_class(
        buf,
        pagesize=(plan.width, plan.height),
        pageCompression=1,
        lang=plan.meta.language,
        initialFontName=pdf_fonts.regular,
    )
    meta = plan.meta
    c.setTitle(meta.title)
    c.setAuthor(meta.author)
    c.setSubject(meta.subject)
    c.setKeywords(meta.keywords)
    c.setCreator("deckgen")
    c.setProducer("deckgen (ReportLab)")
    c.setViewerPreference("DisplayDocTitle", "true")
    starts = {indexes[0]: (k, name) for k, (name, indexes) in enumerate(plan.sections())}
    for i, slide in enumerate(plan.slides):
        # One destination per entry: reportlab titles an outline entry by its key, so a
        # section and its first slide sharing a key would share a title.
        if i in starts:
            k, name = starts[i]
            c.bookmarkPage(f"section-{k + 1}")
            c.addOutlineEntry(name, f"section-{k + 1}", level=0, closed=True)
        c.bookmarkPage(f"slide-{i + 1}")
        c.addOutlineEntry(f"{i + 1}. {slide.title}", f"slide-{i + 1}", level=1)
        _draw(c, slide_ops(slide, plan, fonts), plan.height, pdf_fonts, images or {})
        c.showPage()
    c.showOutline()
    c.save()
    return buf.getvalue()


def _color(hex_: str) -> Color:
    return HexColor("#" + hex_)


def _draw(
    c: Canvas,
    ops: list[Op],
    height: float,
    faces: PdfFonts,
    images: Mapping[str, PreparedImage],
) -> None:
    """Draw ``ops`` (y down from the top) on a reportlab page (y up from the bottom)."""
    for op in ops:
        if isinstance(op, Rect):
            if op.w <= 0 or op.h <= 0:
                continue
            c.setFillColor(_color(op.color))
            if op.ellipse:
                c.ellipse(op.x, height - op.y - op.h, op.x + op.w, height - op.y, stroke=0, fill=1)
            else:
                c.rect(op.x, height - op.y - op.h, op.w, op.h, stroke=0, fill=1)
        elif isinstance(op, Line):
            c.setStrokeColor(_color(op.color))
            c.setLineWidth(op.width)
            c.line(op.x1, height - op.y1, op.x2, height - op.y2)
        elif isinstance(op, Text):
            c.setFillColor(_color(op.color))
            c.setFont(faces.face(bold=op.bold, italic=op.italic), op.size)
            c.drawString(op.x, height - op.y, op.text)
        elif isinstance(op, Image) and op.key in images:
            reader = ImageReader(io.BytesIO(images[op.key].data))
            c.drawImage(reader, op.x, height - op.y - op.h, op.w, op.h, mask="auto")

"""The deck as PDF: a deck plan and its assets in, the bytes of a PDF with one page per slide out.

Draws the same :class:`DeckPlan` the PPTX renderer writes, through the drawing operations of
:mod:`deckgen.render.slide_draw` (so the PNG previews agree with it), in the theme's embedded
TrueType fonts. Each PowerPoint section is a top-level bookmark opening at its first slide, with
one entry per slide beneath it; the metadata matches the PPTX's. Output is byte-identical for
identical input: invariant mode, every date pinned to the job's time.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from deckgen.fonts import FontSet
from deckgen.model import DeckPlan
from deckgen.render import Assets
from deckgen.render.pdf_draw import draw_ops, pinned_canvas
from deckgen.render.pdf_fonts import register_fonts
from deckgen.render.slide_draw import slide_ops


def write(plan: DeckPlan, assets: Assets) -> bytes:
    """The PDF bytes of ``plan``: one page per slide at the plan's size in points."""
    pdf_fonts = register_fonts(assets.fonts)
    fonts = FontSet.of(assets.fonts)
    created, images = assets.created, assets.images
    buf = io.BytesIO()
    canvas_class = pinned_canvas(created)
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
        draw_ops(c, slide_ops(slide, plan, fonts), plan.height, pdf_fonts, images)
        c.showPage()
    c.showOutline()
    c.save()
    return buf.getvalue()

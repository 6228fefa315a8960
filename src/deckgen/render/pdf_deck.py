"""The deck as PDF: a deck plan and its assets in, the bytes of a PDF with one page per slide out.

Draws the same :class:`DeckPlan` the PPTX renderer writes, through the drawing operations of
:mod:`deckgen.render.slide_draw` (so the PNG previews agree with it), in the theme's embedded
TrueType fonts. Each PowerPoint section is a top-level bookmark opening at its first slide, with
one entry per slide beneath it; the metadata matches the PPTX's. Output is byte-identical for
identical input: invariant mode, every date pinned to the job's time.

The PDF is tagged (:mod:`deckgen.render.pdf_tags`): each slide is a ``Sect`` whose title is
its ``H1``, then its text frames in reading order (:mod:`deckgen.render.reading`) as ``P``,
bulleted paragraphs as a list, pictures and charts as ``Figure`` with their alt text. Shapes,
banners, the footer and the slide number are artifacts.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import replace

from reportlab.pdfgen.canvas import Canvas

from deckgen.direction import needs_reordering
from deckgen.fonts import FontSet
from deckgen.model import (
    ChartFrame,
    DeckPlan,
    Para,
    Picture,
    PreparedImage,
    Shape,
    Slide,
    TextFrame,
)
from deckgen.render import Assets
from deckgen.render.pdf_draw import draw_ops, pinned_canvas
from deckgen.render.pdf_fonts import PdfFonts, register_fonts
from deckgen.render.pdf_tags import Node, Tagger, tagged
from deckgen.render.reading import FURNITURE, HEADER, reading_order
from deckgen.render.slide_draw import (
    Op,
    Text,
    backdrop_ops,
    background_op,
    fill_ops,
    frame_ops,
    para_ops,
)

# What owns a text frame's paragraphs: per paragraph, the node of its text and of its bullet.
Owners = list[tuple[Node, Node | None]]


def write(plan: DeckPlan, assets: Assets) -> bytes:
    """The PDF bytes of ``plan``: one page per slide at the plan's size in points."""
    pdf_fonts = register_fonts(assets.fonts)
    fonts = FontSet.of(assets.fonts)
    created, images = assets.created, assets.images
    buf = io.BytesIO()
    tagger = Tagger()
    canvas_class = tagged(pinned_canvas(created), tagger, plan.meta)
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
        sect = tagger.root.add("Sect", title=slide.title)
        _Slide(c, tagger, plan, fonts, pdf_fonts, images).draw(slide, _structure(slide, sect))
        c.showPage()
    c.showOutline()
    c.save()
    return buf.getvalue()


def _structure(slide: Slide, sect: Node) -> dict[int, Node | Owners]:
    """The slide's structure, made in reading order: for each frame that is read (by ``id``),
    its figure node, or the owners of its paragraphs."""
    out: dict[int, Node | Owners] = {}
    for frame in reading_order(slide):
        if isinstance(frame, ChartFrame):
            out[id(frame)] = sect.add("Figure", alt=frame.chart.alt)
        elif isinstance(frame, Picture):
            out[id(frame)] = sect.add("Figure", alt=frame.alt)
        elif isinstance(frame, TextFrame) and frame.role not in FURNITURE:
            out[id(frame)] = _text_owners(frame, sect)
    return out


def _text_owners(frame: TextFrame, sect: Node) -> Owners:
    """A title is one heading; other paragraphs are ``P``, bulleted ones items of a list."""
    if frame.role == "title":
        heading = sect.add("H1", actual=_actual(frame.paras))
        return [(heading, None) for _ in frame.paras]
    owners: Owners = []
    items: Node | None = None
    for para in frame.paras:
        if para.bullet:
            items = items or sect.add("L")
            item = items.add("LI")
            label = item.add("Lbl")
            owners.append((item.add("LBody", actual=_actual([para])), label))
        else:
            items = None
            owners.append((sect.add("P", actual=_actual([para])), None))
    return owners


def _actual(paras: Sequence[Para]) -> str | None:
    """The text of paragraphs drawn in visual order (right-to-left text), in the order it was
    written, for readers of the structure; None when it is drawn as written."""
    text = " ".join(p.text for p in paras)
    return " ".join(text.split()) if needs_reordering(text) else None


class _Slide:
    """Draws one slide in z-order, each frame's content marked as its structure says."""

    def __init__(
        self,
        c: Canvas,
        tagger: Tagger,
        plan: DeckPlan,
        fonts: FontSet,
        faces: PdfFonts,
        images: Mapping[str, PreparedImage],
    ) -> None:
        self.c, self.tagger, self.plan = c, tagger, plan
        self.fonts, self.faces, self.images = fonts, faces, images

    def ops(self, ops: Sequence[Op]) -> None:
        draw_ops(self.c, ops, self.plan.height, self.faces, self.images)

    def draw(self, slide: Slide, structure: dict[int, Node | Owners]) -> None:
        c, tagger, height = self.c, self.tagger, self.plan.height
        self.ops([background_op(slide, self.plan), *backdrop_ops(slide, self.fonts)])
        for frame in slide.frames:
            owner = structure.get(id(frame))
            if isinstance(frame, TextFrame):
                self.ops(fill_ops(frame))
                paras = para_ops(frame, self.fonts)
                if not isinstance(owner, list):
                    sub = "Header" if frame.role in HEADER else "Footer"
                    with tagger.artifact(c, "Pagination", sub):
                        self.ops([op for ops in paras for op in ops])
                    continue
                for para, ops, (text, bullet) in zip(frame.paras, paras, owner, strict=True):
                    if bullet is not None and ops:
                        with tagger.content(c, bullet):
                            self.ops(ops[:1])
                        ops = ops[1:]
                    if ops:
                        with tagger.content(c, text):
                            self.ops(_spaced(para, ops))
            elif isinstance(owner, Node):
                b = frame.box
                box = [b.x, height - b.bottom, b.right, height - b.y]
                owner.attrs["Layout"] = {
                    "BBox": [round(v, 2) for v in box],
                    "Placement": "/Block",
                }
                with tagger.content(c, owner):
                    self.ops(frame_ops(frame, self.fonts))
            elif isinstance(frame, Shape | ChartFrame | Picture):
                self.ops(frame_ops(frame, self.fonts))


def _spaced(para: Para, ops: list[Text]) -> list[Text]:
    """``ops`` with a space after each line that another line follows.

    The planner breaks lines where there were spaces and draws no space there; read from the
    structure, the last word of a line would run into the next line's first. A space after the
    line's end draws nothing.
    """
    if len(para.lines) < 2:
        return ops
    out = list(ops)
    for k, op in enumerate(out[:-1]):
        if out[k + 1].y != op.y:
            out[k] = replace(op, text=op.text + " ")
    return out

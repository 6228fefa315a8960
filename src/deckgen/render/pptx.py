"""The PPTX renderer: a :class:`DeckPlan` in, the bytes of an editable PowerPoint deck out.

A translator only: every position, size and colour comes from the plan (points, converted to
EMU here at the edge). Text goes into real text frames with explicit sizes and line pitch and
auto-fit off (the planner already fitted it); charts are native and data-backed.
"""

from __future__ import annotations

import gc
import io
from datetime import datetime
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu

from deckgen.model import (
    Box,
    ChartFrame,
    ChartSpec,
    DeckPlan,
    Picture,
    PreparedImage,
    Shape,
    TextFrame,
)
from deckgen.render import Assets
from deckgen.render import pptx_ooxml as ox
from deckgen.render.reading import stacking_order
from deckgen.template import open_presentation

EMU_PER_PT = 12700
TITLE_ONLY_LAYOUT = 5


def emu(points: float) -> Emu:
    return Emu(round(points * EMU_PER_PT))


def write(plan: DeckPlan, assets: Assets) -> bytes:
    """The PPTX bytes of ``plan``."""
    # While writing, the plan, the outline and the modules are frozen out of the collector's
    # passes (they are long-lived and acyclic), but the collector stays on: the trees of finished
    # slides (see freeze_slide) are held in python-pptx's reference cycles, and only it frees them
    # (turned off, over 1 GB stayed at 1,200 sections).
    gc.freeze()
    try:
        return _write(plan, assets)
    finally:
        gc.unfreeze()


def _write(plan: DeckPlan, assets: Assets) -> bytes:
    images, template, created = assets.images, assets.template, assets.created
    if template is not None:
        prs = open_presentation(template)
        ox.remove_slides(prs)
    else:
        prs = Presentation()
        prs.slide_width = emu(plan.width)
        prs.slide_height = emu(plan.height)
        ox.set_theme_fonts(prs, plan.font_family)
    names = ox.make_linear(prs)
    # Every master's layouts, the first of a name winning (as in template.TemplateInfo.layout);
    # a template's own deck names a layout for every slide, so only the default needs layout 5.
    layouts: dict[str, Any] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            layouts.setdefault(layout.name, layout)
    lang = plan.meta.language
    for number, planned in enumerate(plan.slides, 1):
        layout = layouts[planned.layout] if planned.layout else prs.slide_layouts[TITLE_ONLY_LAYOUT]
        # Placeholders the plan fills keep the template's styling; all others go, so no
        # empty "click to add" boxes remain. Without a template every title is our own shape
        # and no placeholder is copied from the layout at all.
        used = {
            f.placeholder: f
            for f in planned.frames
            if isinstance(f, TextFrame) and f.placeholder is not None
        }
        slide = ox.add_slide(prs, layout, names, number, placeholders=bool(used))
        # python-pptx does not copy the footer, date and slide-number placeholders: copy those
        # the plan fills, so their text sits where the template designed it.
        for ph in layout.placeholders:
            fmt = ph.placeholder_format
            kind = fmt.type.name if fmt.type is not None else ""
            if kind in ("FOOTER", "SLIDE_NUMBER", "DATE") and f"{kind}:{fmt.idx}" in used:
                slide.shapes.clone_placeholder(ph)
        for ph in list(slide.placeholders):
            fmt = ph.placeholder_format
            kind = fmt.type.name if fmt.type is not None else "UNKNOWN"
            target = used.pop(f"{kind}:{fmt.idx}", None)
            if target is None:
                ph._element.getparent().remove(ph._element)
            else:
                field = number if target.role == "slide_number" else 0
                ox.fill_placeholder(ph, _body(target, None, lang, field))
                # Where the plan put it (the layout's place, or moved as the plan decided).
                ph.left, ph.top, ph.width, ph.height = _xywh(target.box)
        if planned.background:
            fill = slide.background.fill
            fill.solid()
            fill.fore_color.rgb = RGBColor.from_string(planned.background)
        shape_id = 1 + max([int(sh.shape_id) for sh in slide.shapes] + [1])
        titled = False
        pending: list[str] = []  # shape XML, parsed in one go per run of non-chart shapes
        # The shape tree is both z-order and reading order: the title goes first (see
        # deckgen.render.reading), decorative shapes are marked so screen readers skip them.
        for frame in stacking_order(planned):
            if isinstance(frame, Shape):
                prst = "ellipse" if frame.geometry == "ellipse" else "rect"
                box = _xywh(frame.box)
                pending.append(
                    ox.rect_xml(
                        shape_id, frame.role, box, frame.fill, prst, decorative=frame.decorative
                    )
                )
            elif isinstance(frame, ChartFrame):
                pending.append(
                    _chart(slide, frame, shape_id, plan.font_family, names, created, lang)
                )
            elif isinstance(frame, Picture):
                ox.append_xml(slide, pending)
                pending = []
                _picture(slide, frame, images[frame.image])
            elif isinstance(frame, TextFrame) and frame.placeholder is not None:
                pass  # filled into the template's placeholder above
            elif frame.role == "title" and not titled:
                body = _body(frame, _family(frame, assets), lang)
                pending.append(ox.title_xml(shape_id, _xywh(frame.box), body))
                titled = True
            else:
                number_field = number if frame.role == "slide_number" else 0
                body = _body(frame, _family(frame, assets), lang, number_field)
                box = _xywh(frame.box)
                pending.append(ox.textbox_xml(shape_id, frame.role, box, body, frame.fill))
            shape_id += 1
        ox.append_xml(slide, pending)
        ox.set_notes(prs, slide, names, planned.notes, lang)
        ox.freeze_slide(prs, slide)  # bytes from here on: memory stays flat per slide
    ox.set_sections(prs, plan.sections())
    core = prs.core_properties
    core.title = plan.meta.title
    core.subject = plan.meta.subject
    core.author = plan.meta.author
    core.keywords = plan.meta.keywords
    core.language = plan.meta.language
    core.last_modified_by = plan.meta.author
    core.revision = 1
    core.created = created.replace(tzinfo=None)
    core.modified = created.replace(tzinfo=None)
    core.last_printed = created.replace(tzinfo=None)
    core.comments = plan.meta.comment
    return ox.reproducible_bytes(prs, created)


def _family(frame: TextFrame, assets: Assets) -> str:
    """The font a frame names: the deck's heading family for titles, else its body family."""
    heading = assets.fonts.heading
    return heading.family if frame.heading and heading is not None else assets.fonts.family


def _picture(slide: Any, frame: Picture, image: PreparedImage) -> None:
    pic = slide.shapes.add_picture(io.BytesIO(image.data), *_xywh(frame.box))
    pic.name = frame.role
    ox.set_alt_text(pic, frame.alt)


def _xywh(box: Box) -> tuple[int, int, int, int]:
    return int(emu(box.x)), int(emu(box.y)), int(emu(box.w)), int(emu(box.h))


def _hundredths(points: float) -> int:
    return round(points * 100)


def _body(frame: TextFrame, family: str | None, lang: str, slide_number: int = 0) -> str:
    """Text body XML; with ``slide_number`` the text is a slide-number field instead of a run.

    Without ``family`` the typeface is left to the template's placeholder style; the colour
    is always the plan's (the template's own where it names one, else one made readable on
    what is behind).
    """
    paras = []
    for para in frame.paras:
        size = _hundredths(para.size)
        color = para.color
        if para.hard:  # lines the planner chose (balanced titles): break exactly there
            runs = ox.break_xml(size, lang).join(
                "".join(
                    ox.run_xml(r.text, size, r.bold, r.italic, color, family, lang) for r in line
                )
                for line in para.lines
            )
        else:
            runs = "".join(
                ox.run_xml(r.text, size, r.bold, r.italic, color, family, lang) for r in para.runs
            )
        if slide_number:
            runs = ox.slide_number_xml(runs, slide_number)
        bullet = (
            (para.bullet, int(emu(para.indent)), para.color, family or "Arial")
            if para.bullet
            else None
        )
        paras.append(
            ox.paragraph_xml(
                runs,
                align=para.align,
                line_pitch_hundredths=_hundredths(para.line_pitch),
                space_after_hundredths=_hundredths(para.space_after),
                bullet=bullet,
                end_size=size,
                lang=lang,
                rtl=para.rtl,
            )
        )
    return ox.body_xml("".join(paras), int(emu(frame.inset)), frame.anchor)


def _chart(
    slide: Any,
    frame: ChartFrame,
    shape_id: int,
    family: str,
    names: Any,
    created: datetime,
    lang: str,
) -> str:
    """A native chart with its data embedded as a workbook; returns the frame's XML."""
    spec: ChartSpec = frame.chart
    xml, workbook = ox.chart_parts(spec, family, created, lang)
    rid = ox.add_chart_part(slide, xml, workbook, names)
    return ox.chart_frame_xml(shape_id, frame.role, _xywh(frame.box), rid, spec.alt)

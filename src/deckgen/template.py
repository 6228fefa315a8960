"""Corporate templates: a .pptx or .potx file in, a plain description of its layouts out.

The planner never touches python-pptx, so this module reads the template once and hands the
planner a :class:`TemplateInfo` (slide size, layouts, placeholders with their boxes in points).
:func:`check_template` is the conformance check: every layout and placeholder the theme maps
must exist, or the build stops before anything is written, naming what is missing and what
there is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS, read_input
from deckgen.model import Box
from deckgen.template_package import sanitize
from deckgen.theme import TemplateSpec

EMU_PER_PT = 12700


@dataclass(frozen=True, slots=True)
class PlaceholderInfo:
    idx: int
    type: str  # e.g. TITLE, CENTER_TITLE, SUBTITLE, BODY
    name: str
    box: Box | None  # None when the placeholder inherits its position from the master


@dataclass(frozen=True, slots=True)
class LayoutInfo:
    index: int
    name: str
    master: int
    placeholders: tuple[PlaceholderInfo, ...]

    def placeholder(self, idx: int) -> PlaceholderInfo | None:
        return next((p for p in self.placeholders if p.idx == idx), None)


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """What the planner needs to know of a template, in points."""

    path: str
    width: float
    height: float
    layouts: tuple[LayoutInfo, ...] = field(default_factory=tuple)

    def layout(self, name: str) -> LayoutInfo | None:
        return next((lay for lay in self.layouts if lay.name == name), None)


def open_presentation(path: Path) -> Any:
    """Open a .pptx or .potx with python-pptx, after checking and stripping it.

    The file must be a regular file within its size limit; its package is bounded, refused if
    it holds macros, ActiveX, OLE objects or DTDs, and stripped of what an output must not
    inherit (see :mod:`deckgen.template_package`) before python-pptx parses any of it.
    """
    from pptx import Presentation

    data = read_input(path, limit=LIMITS["template"], what="template")
    package = sanitize(data, str(path))
    try:
        return Presentation(io.BytesIO(package))
    except Exception as exc:  # python-pptx raises many kinds on a broken package
        message = f"not a usable PowerPoint template ({type(exc).__name__}: {exc})"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)]) from None


def _box(shape: Any) -> Box | None:
    if shape.left is None or shape.width is None:
        return None
    return Box(
        shape.left / EMU_PER_PT,
        shape.top / EMU_PER_PT,
        shape.width / EMU_PER_PT,
        shape.height / EMU_PER_PT,
    )


def inspect_template(path: Path) -> TemplateInfo:
    """Read masters, layouts and placeholders (index, type, name, box) from a template."""
    prs = open_presentation(path)
    if prs.slide_width is None or prs.slide_height is None:
        message = "the presentation gives no slide size (p:sldSz)"
        raise InputError([Diagnostic(str(path), 0, 0, "ppt/presentation.xml", message)])
    try:
        info = _describe(prs, str(path))
    except Exception as exc:  # python-pptx's lazy parsing meets broken XML only here
        message = f"not a usable PowerPoint template ({type(exc).__name__}: {exc})"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)]) from None
    # PowerPoint's own bounds on the slide size: 1 to 56 inches a side.
    if not (72 <= info.width <= 4032 and 72 <= info.height <= 4032):
        message = f"slide size {info.width:g} x {info.height:g} pt is outside 72 to 4032 pt"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)])
    return info


def _describe(prs: Any, path: str) -> TemplateInfo:
    layouts = []
    n = 0
    for m, master in enumerate(prs.slide_masters):
        master_boxes = {
            ph.placeholder_format.type: _box(ph) for ph in master.placeholders if _box(ph)
        }
        for layout in master.slide_layouts:
            phs = []
            for ph in layout.placeholders:
                fmt = ph.placeholder_format
                kind = fmt.type.name if fmt.type is not None else "UNKNOWN"
                box = _box(ph) or master_boxes.get(fmt.type)
                phs.append(PlaceholderInfo(fmt.idx, kind, ph.name, box))
            layouts.append(LayoutInfo(n, layout.name, m, tuple(phs)))
            n += 1
    return TemplateInfo(
        path, prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT, tuple(layouts)
    )


def check_template(info: TemplateInfo, spec: TemplateSpec, where: str) -> None:
    """Raise :class:`InputError` unless every mapped layout and placeholder exists."""
    problems: list[Diagnostic] = []
    names = ", ".join(repr(lay.name) for lay in info.layouts)
    for kind, name in spec.layouts.items():
        layout = info.layout(name)
        if layout is None:
            problems.append(
                Diagnostic(
                    where,
                    0,
                    0,
                    f"template.layouts.{kind}",
                    f"layout {name!r} is not in {info.path}; it has: {names}",
                )
            )
            continue
        needed = {"title": spec.title_idx}
        if kind == "title" and spec.subtitle_idx is not None:
            needed["subtitle"] = spec.subtitle_idx
        for role, idx in needed.items():
            ph = layout.placeholder(idx)
            if ph is None or ph.box is None:
                have = ", ".join(f"{p.idx} ({p.type})" for p in layout.placeholders) or "none"
                problems.append(
                    Diagnostic(
                        where,
                        0,
                        0,
                        f"template.layouts.{kind}",
                        f"layout {name!r} has no {role} placeholder with index {idx}; "
                        f"its placeholders: {have}",
                    )
                )
    if problems:
        raise InputError(problems)


def describe(info: TemplateInfo) -> str:
    """A human-readable listing for ``deckgen inspect-template``."""
    lines = [f"{info.path}: slide {info.width:g} x {info.height:g} pt"]
    for lay in info.layouts:
        lines.append(f"  layout {lay.index}: {lay.name!r} (master {lay.master})")
        for ph in lay.placeholders:
            where = (
                f"at {ph.box.x:.0f},{ph.box.y:.0f} size {ph.box.w:.0f}x{ph.box.h:.0f} pt"
                if ph.box
                else "inherits position"
            )
            lines.append(f"    idx {ph.idx:>3}  {ph.type:<14} {ph.name!r}  {where}")
    return "\n".join(lines)


def write_sample(path: Path) -> bytes:
    """An annotated deck: one slide per layout, each placeholder saying its index and type."""
    prs = open_presentation(path)
    for layout in prs.slide_layouts:
        slide = prs.slides.add_slide(layout)
        for ph in slide.placeholders:
            fmt = ph.placeholder_format
            if ph.has_text_frame:
                kind = fmt.type.name if fmt.type is not None else "?"
                ph.text_frame.text = f"idx {fmt.idx}: {kind} ({ph.name}) in layout {layout.name!r}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

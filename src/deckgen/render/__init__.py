"""Writers: a plan and the prepared assets in, the bytes of one output file out.

Each output format names the plan it draws (``deck`` or ``brief``) and its writer,
``write(plan, assets) -> bytes``. The build makes each plan once per outline and hands every
writer the same plan and assets; writers translate and decide nothing about layout or wording.
The registry is plain data, so the build imports no writer it does not need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostic
from deckgen.fonts import FontFiles
from deckgen.model import PreparedImage

PlanKind = str  # "deck" or "brief" (deckgen.plans.PLANNERS)


@dataclass(frozen=True, slots=True)
class Assets:
    """What writers need besides the plan: prepared pictures, font files, time, template."""

    images: Mapping[str, PreparedImage]
    fonts: FontFiles
    created: datetime  # every date the output carries
    template: Path | None = None  # the corporate .pptx/.potx the deck is built on


@dataclass(slots=True)
class Rendered:
    """One output's bytes plus what the planner had to say."""

    data: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


Writer = Callable[[Any, Assets], bytes]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str  # appended to the outline's stem: ".pptx", ".pdf", "-deck.pdf"
    plan: PlanKind  # the plan the writer draws: "deck" or "brief"
    target: str  # the writer, "module:function", imported on first use
    description: str

    def writer(self) -> Writer:
        module, func = self.target.split(":")
        fn: Writer = getattr(importlib.import_module(module), func)
        return fn


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pptx", ".pptx", "deck", "deckgen.render.pptx:write", "editable PowerPoint deck"),
        Format("pdf", ".pdf", "brief", "deckgen.render.pdf_brief:write", "PDF brief"),
        Format("deck-pdf", "-deck.pdf", "deck", "deckgen.render.pdf_deck:write", "the deck as PDF"),
        Format("png", "-slides.png", "deck", "deckgen.render.png:write", "slide contact sheet"),
        Format("docx", ".docx", "brief", "deckgen.render.docx:write", "Word brief"),
    )
}
DEFAULT_FORMATS = ("pptx", "pdf")

"""Renderers: a plan (or outline and theme) in, the bytes of one output file out.

Each output format registers one function ``render(job) -> Rendered``; the build layer looks it
up by name and never imports a renderer it does not need, so quick commands stay quick.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from deckgen.diagnostics import Diagnostic
from deckgen.outline import Outline
from deckgen.theme import Theme


@dataclass(frozen=True, slots=True)
class Job:
    """Everything one render needs: the validated outline, its theme, source path and time."""

    outline: Outline
    theme: Theme
    source: Path
    created: datetime
    template: Path | None = None  # overrides the theme's template file (``--template``)
    deck: str | None = None  # ``--deck compact|full``; None: the outline's ``meta.deck``


@dataclass(slots=True)
class Rendered:
    """One output's bytes plus what the planner and renderer had to say."""

    data: bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


Renderer = Callable[[Job], Rendered]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str  # appended to the outline's stem: ".pptx", ".pdf", "-deck.pdf"
    target: str  # "module:function", imported on first use
    description: str

    def renderer(self) -> Renderer:
        module, func = self.target.split(":")
        fn: Renderer = getattr(importlib.import_module(module), func)
        return fn


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pptx", ".pptx", "deckgen.render.pptx:render", "editable PowerPoint deck"),
        Format("pdf", ".pdf", "deckgen.render.pdf_brief:render", "PDF brief"),
        Format("deck-pdf", "-deck.pdf", "deckgen.render.pdf_deck:render", "the deck as PDF"),
        Format("png", "-slides.png", "deckgen.render.png:render", "contact sheet of the slides"),
    )
}
DEFAULT_FORMATS = ("pptx", "pdf")

"""The plan: what the planners decide and the renderers draw, in points, with no file formats.

A :class:`DeckPlan` is a list of slides, each a list of positioned frames; everything a renderer
needs (position, size, colour, font size, line spacing) is decided here, so renderers only
translate. The plan serialises to JSON for ``deckgen plan`` and golden tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from deckgen.diagnostics import Diagnostic
from deckgen.richtext import Run

Align = Literal["l", "ctr", "r"]
Anchor = Literal["t", "ctr", "b"]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph: styled runs at one size, with explicit line pitch and space after."""

    runs: tuple[Run, ...]
    size: float
    color: str
    line_pitch: float
    space_after: float = 0.0
    align: Align = "l"
    bullet: str | None = None
    indent: float = 0.0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class TextFrame:
    """A text box; ``lines`` is how many lines the fit engine measured (for tests and previews)."""

    role: str
    box: Box
    paras: tuple[Para, ...]
    anchor: Anchor = "t"
    inset: float = 0.0
    fill: str | None = None
    lines: int = 0
    placeholder: int | None = None  # template placeholder index: text goes there, styled by it
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class Shape:
    """A filled rectangle or ellipse (banners, rules, card backgrounds, status dots)."""

    role: str
    box: Box
    fill: str
    geometry: Literal["rect", "ellipse"] = "rect"
    kind: Literal["shape"] = "shape"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A bar chart both renderers draw natively from the same data and palette."""

    title: str
    categories: tuple[str, ...]
    values: tuple[float, ...]
    labels: tuple[str, ...]  # each value as the outline wrote it, for data labels
    unit: str
    colors: tuple[str, ...]  # one per bar
    text_color: str
    font_size: float
    alt: str
    axis_max: float = 0.0  # value-axis maximum, a multiple of axis_step
    axis_step: float = 0.0  # value-axis tick spacing (whole numbers for whole-number data)
    grid_color: str = "D9DEE5"
    axis_color: str = "9AA4B2"
    gap: float = 0.6  # space between bars, as a fraction of a bar's thickness


@dataclass(frozen=True, slots=True)
class ChartFrame:
    role: str
    box: Box
    chart: ChartSpec
    kind: Literal["chart"] = "chart"


@dataclass(frozen=True, slots=True)
class Picture:
    """An image placed in ``box`` (already fitted to its aspect ratio); ``image`` is its key."""

    role: str
    box: Box
    image: str  # key into the prepared images: "logo" or "section:<id>"
    alt: str
    kind: Literal["picture"] = "picture"


Frame = TextFrame | Shape | ChartFrame | Picture


@dataclass(slots=True)
class Slide:
    """One slide: its kind, accessible title, section, frames in z-order and speaker notes."""

    kind: str
    title: str
    section: str
    frames: list[Frame] = field(default_factory=list)
    notes: str = ""
    background: str | None = None
    layout: str | None = None  # template layout name (None: deckgen's own blank design)


@dataclass(frozen=True, slots=True)
class DocMeta:
    title: str
    subject: str
    author: str
    keywords: str
    language: str
    created: str  # ISO timestamp, pinned to the outline date or SOURCE_DATE_EPOCH


@dataclass(slots=True)
class DeckPlan:
    width: float
    height: float
    font_family: str
    meta: DocMeta
    slides: list[Slide]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def sections(self) -> list[tuple[str, list[int]]]:
        """PowerPoint sections in order: name and the 0-based slide indexes in it."""
        out: list[tuple[str, list[int]]] = []
        for i, slide in enumerate(self.slides):
            if not out or out[-1][0] != slide.section:
                out.append((slide.section, []))
            out[-1][1].append(i)
        return out

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["diagnostics"] = [d.as_dict() for d in self.diagnostics]
        return data

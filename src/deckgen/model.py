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
    """A paragraph: styled runs at one size, with explicit line pitch and space after.

    ``lines``, when not empty, are the paragraph's lines as the planner broke them (balanced
    titles): every writer breaks the paragraph exactly there.
    """

    runs: tuple[Run, ...]
    size: float
    color: str
    line_pitch: float
    space_after: float = 0.0
    align: Align = "l"
    bullet: str | None = None
    indent: float = 0.0
    lines: tuple[tuple[Run, ...], ...] = ()

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


ChartType = Literal["bar", "column", "line", "bullet"]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A chart every renderer draws natively from the same data, palette and axis.

    ``type`` is ``bar`` (horizontal bars, first category on top), ``column``, ``line`` (values in
    order) or ``bullet`` (each value as a bar against its target). ``targets`` (one per category,
    or empty) are drawn as a wide, light bar behind each value bar (a dashed line for ``line``).
    ``labels`` are the values as the outline wrote them and ``number_format`` the Excel format
    code that shows the numbers the same way (``3.10`` stays ``3.10``).
    """

    type: ChartType
    title: str  # drawn in the chart: what the values measure (their unit), may be ""
    takeaway: str  # the sentence the chart supports: slide title, brief caption
    categories: tuple[str, ...]
    values: tuple[float, ...]
    labels: tuple[str, ...]  # each value as the outline wrote it, for data labels
    unit: str
    number_format: str  # the series' format, e.g. "0", "0.00", "#,##0"
    formats: tuple[str, ...]  # each value's own format, so that its label reads as written
    colors: tuple[str, ...]  # one per value (one series: the same colour)
    text_color: str
    font_size: float
    alt: str
    targets: tuple[float, ...] = ()  # one per category when any metric has a target
    target_labels: tuple[str, ...] = ()
    target_color: str = "C9D3E0"
    axis_min: float = 0.0  # value-axis minimum (below 0 only for negative values)
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

"""The plans: what the planners decide and the writers draw, in points, with no file formats.

A :class:`DeckPlan` is a list of slides, each a list of positioned frames; a :class:`BriefPlan`
is an ordered list of typed blocks with the page, styles, colours and spacing to set them in.
Everything a writer needs (position, size, colour, line breaks, wording) is decided by the
planners, so writers only translate. Both plans serialise to JSON for ``deckgen plan`` and
golden tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from deckgen.diagnostics import Diagnostic
from deckgen.richtext import Run

Align = Literal["l", "ctr", "r"]
Anchor = Literal["t", "ctr", "b"]


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """A picture's re-encoded bytes, ready to embed in any output (made by
    :mod:`deckgen.images`, which checks and cleans the file; plans refer to it by digest)."""

    data: bytes
    format: str  # "PNG" or "JPEG"
    width: int
    height: int
    digest: str  # sha256 of ``data``: the plan refers to images by it

    @property
    def aspect(self) -> float:
        return self.width / self.height


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

    ``lines`` are the paragraph's lines as the planner broke them (measured with the fonts the
    writers embed): drawing writers place exactly these. ``hard`` asks editable formats to break
    there too (balanced titles); elsewhere they let the text wrap, so that an edit reflows.
    ``rtl``: the paragraph's base direction is right-to-left (its first strong character is
    Hebrew or Arabic, :func:`deckgen.direction.is_rtl`): its lines start at the right, a bullet
    and the indent are on the right, and ``lines`` stay in logical order.
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
    hard: bool = False
    rtl: bool = False

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
    # The template placeholder (``TYPE:idx``, e.g. ``TITLE:0``) the text goes into, styled by it.
    placeholder: str | None = None
    heading: bool = False  # set in the deck's heading font (titles), else in its body font
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class Shape:
    """A filled rectangle or ellipse (banners, rules, card backgrounds, status dots).

    ``decorative`` shapes carry nothing a reader needs (what their colour says is also in
    words): PowerPoint marks them decorative and a tagged PDF draws them as artifacts, so
    screen readers pass over them.
    """

    role: str
    box: Box
    fill: str
    geometry: Literal["rect", "ellipse"] = "rect"
    kind: Literal["shape"] = "shape"
    decorative: bool = False


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
    pad: float = 8.0  # the chart's inner margin
    category_lines: tuple[tuple[str, ...], ...] = ()  # each category's label, broken into lines
    # Each value-axis tick's label, axis_min upwards, as the outline's language writes numbers.
    tick_labels: tuple[str, ...] = ()
    series: str = ""  # the values' series name (the unit, else "Value" in the language)
    target_series: str = ""  # the targets' series name ("Target" in the language)


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
    # What the template's master and layout draw under the slide (background, shapes, pictures):
    # previews draw it first; the PPTX has it from the layout already.
    backdrop: list[Shape | Picture] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Since:
    """The older version a build shows changes since (``--since``), for the outputs to name in
    their language: "the version of 9 January 2025, revision abc1234"."""

    date: date  # the older version's meta.date
    kind: Literal["file", "revision"]
    revision: str  # a file's name, or a git revision


@dataclass(frozen=True, slots=True)
class DocMeta:
    title: str
    subject: str
    author: str
    keywords: str
    language: str
    created: str  # ISO timestamp, pinned to the outline date or SOURCE_DATE_EPOCH
    comment: str = ""  # "Generated by deckgen", in the outline's language


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


# --- the brief ---------------------------------------------------------------------------------

Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How one role of text is set: size and leading in points, colour as hex."""

    size: float
    leading: float
    color: str
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    align: Literal["l", "ctr", "r"] = "l"
    keep_with_next: bool = False


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The page and its fixed furniture, in points (origin at the top-left corner)."""

    width: float
    height: float
    margin: float
    banner: float  # height of each classification band; 0 when there is no marking
    header: float  # running-header band under the top banner
    footer: float  # footer band above the bottom banner
    rule: float  # hairline width of the footer rule (the header's accent rule is twice it)
    cover_panel: float  # height of the coloured panel at the top of the cover
    cover_title: Box  # the frame of the cover's kicker, title and subtitle (set at its foot)
    cover_meta: Box  # the frame of the cover's author, date and classification
    cover_strip: float  # the accent strip under the cover panel

    @property
    def frame_top(self) -> float:
        return self.banner + self.margin * 0.5 + self.header

    @property
    def frame_bottom(self) -> float:
        return self.height - self.banner - self.margin * 0.5 - self.footer

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin


@dataclass(frozen=True, slots=True)
class Spacing:
    """Every distance the writer puts between or inside blocks, in points."""

    cell_x: float  # table cell padding, left and right
    cell_top: float
    cell_bottom: float
    cell_rule: float  # the rule under each table row
    table_end_rule: float  # the heavier rule under a table's last row
    table_before: float  # space before a data table
    judgement_pad: float
    judgement_top_rule: float
    contents_pad: float
    contents_dots: tuple[float, float, float]  # dotted leader: width, dash, gap
    contents_widths: tuple[float, float]  # entry and page-number columns, shares of the width
    ahead_x: float  # the looking-ahead box's padding, left and right
    ahead_y: float  # between its paragraphs
    ahead_top: float  # above its title
    ahead_bottom: float  # below its last paragraph
    ahead_rule: float  # the rule on its left edge
    ahead_before: float
    ahead_after: float
    header_text: float  # running header's baseline, from the top of the header band
    header_rule: float  # the accent rule, from the top of the header band
    footer_rule: float  # the footer rule, from the bottom of the footer band
    footer_text: float  # the footer's baseline, from the bottom of the footer band
    number_gap: int  # between a heading's number and its text, in spaces


# --- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cover:
    kicker: str  # as displayed: "LEADERSHIP ASSESSMENT"
    title: str
    subtitle: str
    rows: tuple[tuple[str, str], ...]  # (label as displayed, value): prepared by, as of, ...
    kind: Literal["cover"] = "cover"


@dataclass(frozen=True, slots=True)
class Figure:
    """A section's picture at a planned size in points, captioned with its alt text."""

    image: str  # key into the prepared images ("section:<id>")
    alt: str
    width: float
    height: float
    caption: str  # shown under the picture (the alt text, also the figure's /Alt)
    kind: Literal["figure"] = "figure"


@dataclass(frozen=True, slots=True)
class PageBreak:
    kind: Literal["page_break"] = "page_break"


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; ``key`` is its link and bookmark target, ``toc`` lists it in the contents."""

    text: str
    key: str
    number: str | None = None
    level: int = 1
    toc: bool = True
    bookmark: bool = True
    kind: Literal["heading"] = "heading"

    @property
    def label(self) -> str:
        """The heading as the contents and bookmarks show it."""
        return f"{self.number}. {self.text}" if self.number else self.text


@dataclass(frozen=True, slots=True)
class Text:
    runs: Runs
    style: str  # "body", "lead", ...
    kind: Literal["text"] = "text"


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: styled runs, a link target, and a status mark (a coloured dot) before."""

    runs: Runs
    style: str
    link: str | None = None  # a heading's key: the cell links to it
    mark: str | None = None  # hex colour of a dot before the text (status), with its word


@dataclass(frozen=True, slots=True)
class Table:
    """A table of cells; ``look`` is ``grid`` (a header row, banded rows) or ``rules``.

    ``header`` repeats on every page the table spans; a row may split across pages when
    ``split_rows`` (its text can be longer than a page).
    """

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # shares of the text width, one per column
    look: Literal["grid", "rules"] = "grid"
    split_rows: bool = False
    space_before: float = 0.0
    kind: Literal["table"] = "table"


@dataclass(frozen=True, slots=True)
class Contents:
    """Where the table of contents (every ``toc`` heading with its page, linked) goes."""

    kind: Literal["contents"] = "contents"


@dataclass(frozen=True, slots=True)
class KeyPointBlock:
    headline: Runs
    detail: Runs
    kind: Literal["key_point"] = "key_point"


@dataclass(frozen=True, slots=True)
class Chart:
    """A declared chart, the same specification the deck's native chart is built from."""

    spec: ChartSpec
    width: float
    height: float
    caption: str
    kind: Literal["chart"] = "chart"


@dataclass(frozen=True, slots=True)
class LookingAhead:
    """The visually distinct "looking ahead" box; kept with the end of its section."""

    title: str  # as displayed: "LOOKING AHEAD"
    paragraphs: tuple[Runs, ...]
    kind: Literal["looking_ahead"] = "looking_ahead"


@dataclass(frozen=True, slots=True)
class SourceEntry:
    number: str
    title: str
    publisher: str
    date: str
    url: str | None  # https, http or mailto only (validated by the outline)


@dataclass(frozen=True, slots=True)
class Sources:
    entries: tuple[SourceEntry, ...]
    kind: Literal["sources"] = "sources"


Block = (
    Cover
    | Figure
    | PageBreak
    | Heading
    | Text
    | Table
    | Contents
    | KeyPointBlock
    | Chart
    | LookingAhead
    | Sources
)


@dataclass(slots=True)
class BriefPlan:
    """Everything a brief writer draws, in order, with the styles, colours and spacing."""

    page: PageGeometry
    spacing: Spacing
    styles: dict[str, TextStyle]
    colors: dict[str, str]
    meta: DocMeta
    running_title: str  # the header of every page after the cover
    footer: str  # the footer's left text: "As of 9 January 2025"
    page_label: str  # the footer's right text, with {page} and {total} to fill
    classification: str | None  # the banner text, top and bottom of every page
    blocks: list[Block]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    logo: Box | None = None  # where the theme's logo sits on the cover (top-left origin)
    logo_alt: str = ""  # the logo's alternative text, for writers that carry one

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["diagnostics"] = [d.as_dict() for d in self.diagnostics]
        return data

"""The brief planner: a validated outline and a theme in, a :class:`BriefPlan` out (pure).

The brief is a flowing document, so the plan is an ordered list of typed blocks (cover, headings,
paragraphs as styled runs, tables as rows, the chart as the deck's own :class:`ChartSpec`, the
"looking ahead" box, sources) plus everything the renderer needs to draw them: page geometry,
named text styles in points and colours from the theme. Pagination is left to the renderer's
layout engine; what may not be split or stranded is said here (``keep_with_next``, boxes kept
together). The renderer translates; it decides nothing about content, wording, size or colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

from deckgen.diagnostics import Diagnostic
from deckgen.images import PreparedImage
from deckgen.model import Box, ChartSpec, DocMeta
from deckgen.outline import Metric, Outline, Section
from deckgen.plan.charts import chart_for
from deckgen.plan.glyphs import check_glyphs
from deckgen.plan.wording import first_sentence, format_date
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.theme import Theme

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595.2756, 841.8898),
    "Letter": (612.0, 792.0),
}
STATUS_WORD = {"green": "On track", "amber": "Watch", "red": "Concern"}
CONFIDENCE_LEVEL = {"low": 1, "moderate": 2, "high": 3}
TREND_MARK = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}
LEADING = 1.38
FIGURE_MAX_HEIGHT = 240.0  # points: a picture never takes more than about a third of a page
Runs = tuple[Run, ...]


# --- styles and geometry -------------------------------------------------------------------


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
    rule: float  # hairline width of header and footer rules
    cover_panel: float  # height of the coloured panel at the top of the cover

    @property
    def frame_top(self) -> float:
        return self.banner + self.margin * 0.5 + self.header

    @property
    def frame_bottom(self) -> float:
        return self.height - self.banner - self.margin * 0.5 - self.footer

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.margin


# --- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cover:
    kicker: str
    title: str
    subtitle: str
    author: str
    as_of: str
    classification: str | None
    kind: Literal["cover"] = "cover"


@dataclass(frozen=True, slots=True)
class Figure:
    """A section's picture at a planned size in points, captioned with its alt text."""

    image: str  # key into the prepared images ("section:<id>")
    alt: str
    width: float
    height: float
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
class GlanceRow:
    number: str
    title: str
    key: str  # the section heading's link target
    assessment: Runs  # the section's assessment (else the first sentence of its lead)
    metric: str  # "value unit — label", or "" when the section has no metrics


@dataclass(frozen=True, slots=True)
class Glance:
    """The at-a-glance table: one row per section, its assessment first."""

    header: tuple[str, str, str, str]
    rows: tuple[GlanceRow, ...]
    widths: tuple[float, ...] = (0.05, 0.25, 0.45, 0.25)  # fractions of the text width
    kind: Literal["glance"] = "glance"


@dataclass(frozen=True, slots=True)
class JudgementRow:
    confidence: str  # "Moderate confidence"
    level: int  # 1 low, 2 moderate, 3 high
    text: Runs
    refs: str  # "Sections 2, 4", or ""


@dataclass(frozen=True, slots=True)
class Judgements:
    """The key judgements with their confidence, right after the cover."""

    rows: tuple[JudgementRow, ...]
    widths: tuple[float, ...] = (0.2, 0.8)
    kind: Literal["judgements"] = "judgements"


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
class MetricRow:
    label: str
    value: str  # value and unit as displayed, trend mark appended
    context: str
    status: Literal["green", "amber", "red"] | None
    status_text: str
    source: str


@dataclass(frozen=True, slots=True)
class MetricsTable:
    header: tuple[str, ...]
    rows: tuple[MetricRow, ...]
    widths: tuple[float, ...]  # fractions of the text width, one per column
    status: bool  # whether the status column is shown (only when some metric has a status)
    kind: Literal["metrics"] = "metrics"


@dataclass(frozen=True, slots=True)
class Chart:
    """The section's bar chart, the same specification the deck's native chart is built from."""

    spec: ChartSpec
    width: float
    height: float
    caption: str
    kind: Literal["chart"] = "chart"


@dataclass(frozen=True, slots=True)
class LookingAhead:
    """The visually distinct "looking ahead" box; kept on one page whenever it fits on one."""

    title: str
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
    | Glance
    | Judgements
    | Contents
    | KeyPointBlock
    | MetricsTable
    | Chart
    | LookingAhead
    | Sources
)


@dataclass(slots=True)
class BriefPlan:
    """Everything the PDF renderer draws, in order, with the styles and colours to draw it in."""

    page: PageGeometry
    styles: dict[str, TextStyle]
    colors: dict[str, str]
    meta: DocMeta
    running_title: str
    as_of: str
    classification: str | None
    blocks: list[Block]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    logo: Box | None = None  # where the theme's logo sits on the cover (top-left origin)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["diagnostics"] = [d.as_dict() for d in self.diagnostics]
        return data


# --- helpers -------------------------------------------------------------------------------


def value_text(metric: Metric) -> str:
    """The value as displayed: ``3.10 % of GDP``."""
    return f"{metric.value} {metric.unit}" if metric.unit else metric.value


def headline_metric(section: Section) -> str:
    """The section's first metric as ``value unit — label`` ("" when it has none)."""
    if not section.metrics:
        return ""
    m = section.metrics[0]
    return f"{value_text(m)} \u2014 {m.label}"


def styles_for(theme: Theme) -> dict[str, TextStyle]:
    """Every named text style of the brief, scaled from the theme's body and heading sizes."""
    p = theme.palette
    body = theme.brief.body
    head = theme.brief.heading
    small = round(body * 0.84, 2)
    tiny = round(body * 0.74, 2)

    def st(size: float, color: str, **kw: Any) -> TextStyle:
        return TextStyle(size=size, leading=round(size * LEADING, 2), color=color, **kw)

    return {
        "cover_kicker": st(small, p.accent, bold=True, space_after=10),
        "cover_title": TextStyle(
            head * 1.9, round(head * 1.9 * 1.12, 2), p.on_primary, bold=True, space_after=14
        ),
        "cover_subtitle": st(round(body * 1.35, 2), p.on_primary, space_after=0),
        "cover_label": st(tiny, p.muted, bold=True, space_before=14),
        "cover_meta": st(round(body * 1.15, 2), p.text),
        "h1": TextStyle(
            head,
            round(head * 1.25, 2),
            p.primary,
            bold=True,
            space_before=head * 1.3,
            space_after=head * 0.45,
            keep_with_next=True,
        ),
        "h1_number": st(head, p.accent, bold=True),
        "assessment": st(
            round(body * 1.25, 2), p.primary, bold=True, space_after=body * 0.5, keep_with_next=True
        ),
        "lead": st(round(body * 1.14, 2), p.secondary, space_after=body * 0.9, keep_with_next=True),
        "judgement": st(round(body * 1.1, 2), p.text),
        "confidence": st(small, p.secondary, bold=True),
        "body": st(body, p.text, space_after=body * 0.7),
        "h2": st(
            round(body * 1.2, 2),
            p.primary,
            bold=True,
            space_before=body * 1.4,
            space_after=body * 0.6,
            keep_with_next=True,
        ),
        "kp_head": st(
            round(body * 1.05, 2),
            p.primary,
            bold=True,
            space_before=body * 0.5,
            space_after=body * 0.2,
            keep_with_next=True,
        ),
        "kp_body": st(body, p.text, space_after=body * 0.6),
        "table": TextStyle(small, round(small * 1.25, 2), p.text),
        "table_strong": TextStyle(small, round(small * 1.25, 2), p.text, bold=True),
        "table_head": TextStyle(tiny, round(tiny * 1.25, 2), p.on_primary, bold=True),
        "table_link": TextStyle(small, round(small * 1.25, 2), p.secondary, bold=True),
        "caption": st(
            small,
            p.primary,
            bold=True,
            space_before=body * 1.3,
            space_after=body * 0.4,
            keep_with_next=True,
        ),
        "ahead_title": st(small, p.ahead_rule, bold=True, space_after=body * 0.25),
        "ahead_body": st(body, p.text),
        "toc1": TextStyle(body, round(body * 1.3, 2), p.text),
        "toc_page": TextStyle(body, round(body * 1.3, 2), p.text, align="r"),
        "source": st(small, p.text, space_after=body * 0.5),
        "header": TextStyle(tiny, tiny * 1.2, p.muted),
        "footer": TextStyle(tiny, tiny * 1.2, p.muted),
        "banner": TextStyle(tiny, tiny * 1.2, p.on_banner, bold=True, align="ctr"),
    }


def colors_for(theme: Theme) -> dict[str, str]:
    """The theme colours the brief uses, by role."""
    p = theme.palette
    return {
        "primary": p.primary,
        "secondary": p.secondary,
        "accent": p.accent,
        "text": p.text,
        "muted": p.muted,
        "background": p.background,
        "surface": p.surface,
        "on_primary": p.on_primary,
        "ahead": p.ahead,
        "ahead_rule": p.ahead_rule,
        "banner": p.banner,
        "on_banner": p.on_banner,
        "rule": p.muted,
        "grid": p.surface,
        "green": p.status.green,
        "amber": p.status.amber,
        "red": p.status.red,
    }


def geometry_for(theme: Theme, classification: str | None) -> PageGeometry:
    width, height = PAGE_SIZES[theme.brief.page]
    body = theme.brief.body
    return PageGeometry(
        width=width,
        height=height,
        margin=theme.brief.margin,
        banner=round(body * 1.7, 2) if classification else 0.0,
        header=round(body * 2.2, 2),
        footer=round(body * 2.2, 2),
        rule=0.5,
        cover_panel=round(height * 0.46, 2),
    )


# --- the planner ---------------------------------------------------------------------------


def _section_blocks(
    number: int,
    key: str,
    section: Section,
    theme: Theme,
    width: float,
    images: Mapping[str, PreparedImage] | None = None,
) -> list[Block]:
    out: list[Block] = [Heading(plain(section.title), key, number=str(number))]
    if section.assessment:
        out.append(Text(tuple(parse(section.assessment)), "assessment"))
    out.append(Text(tuple(parse(section.lead)), "lead"))
    image_key = f"section:{section.id}"
    if section.image is not None and images and image_key in images:
        aspect = images[image_key].aspect
        w = min(width, FIGURE_MAX_HEIGHT * aspect)
        out.append(Figure(image_key, section.image.alt, round(w, 2), round(w / aspect, 2)))
    for kp in section.key_points:
        out.append(KeyPointBlock(tuple(parse(kp.headline, bold=True)), tuple(parse(kp.detail))))
    if section.metrics:
        rows = tuple(
            MetricRow(
                label=m.label,
                value=value_text(m) + (f" {TREND_MARK[m.trend]}" if m.trend else ""),
                context=m.context,
                status=m.status,
                status_text=STATUS_WORD[m.status] if m.status else "\u2014",
                source=m.source,
            )
            for m in section.metrics
        )
        if any(m.status for m in section.metrics):
            out.append(
                MetricsTable(
                    ("Measure", "Value", "Context", "Status", "Source"),
                    rows,
                    (0.23, 0.14, 0.27, 0.11, 0.25),
                    status=True,
                )
            )
        else:
            out.append(
                MetricsTable(
                    ("Measure", "Value", "Context", "Source"),
                    rows,
                    (0.25, 0.15, 0.32, 0.28),
                    status=False,
                )
            )
    spec = chart_for(section, theme, font_size=theme.brief.body * 0.8)
    if spec is not None:
        bar = theme.brief.body * 2.2
        out.append(
            Chart(
                spec=spec,
                width=width,
                height=round(bar * len(spec.values) + theme.brief.body * 2.6, 2),
                caption=f"Figure {number}. {spec.title}",
            )
        )
    out.append(
        LookingAhead(
            "Looking ahead", tuple(tuple(parse(p)) for p in paragraphs(section.looking_ahead))
        )
    )
    return out


def plan_brief(
    outline: Outline,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
) -> BriefPlan:
    """Plan the whole brief; never raises on content, reports it as diagnostics."""
    meta = outline.meta
    as_of = format_date(meta.date)
    page = geometry_for(theme, meta.classification)
    keys = [f"sec-{s.id}" for s in outline.sections]

    blocks: list[Block] = [
        Cover(
            "Leadership assessment",
            plain(meta.title),
            plain(meta.subtitle),
            plain(meta.author),
            as_of,
            meta.classification,
        ),
        PageBreak(),
    ]
    if outline.key_judgements:
        number = {s.id: i for i, s in enumerate(outline.sections, 1)}
        rows = []
        for kj in outline.key_judgements:
            nums = [str(number[r]) for r in kj.sections if r in number]
            refs = ("Section " if len(nums) == 1 else "Sections ") + ", ".join(nums) if nums else ""
            rows.append(
                JudgementRow(
                    f"{kj.confidence.capitalize()} confidence",
                    CONFIDENCE_LEVEL[kj.confidence],
                    tuple(parse(kj.text)),
                    refs,
                )
            )
        blocks.append(Heading("Key judgements", "judgements"))
        blocks.append(Judgements(tuple(rows)))
    blocks += [Heading("Contents", "contents", toc=False, bookmark=False), Contents()]
    blocks += [PageBreak(), Heading("Executive summary", "summary")]
    blocks += [Text(tuple(parse(p)), "body") for p in paragraphs(outline.summary)]
    blocks.append(Heading("At a glance", "glance", level=2, toc=False, bookmark=False))
    blocks.append(
        Glance(
            ("", "Section", "Assessment", "Headline figure"),
            tuple(
                GlanceRow(
                    str(i),
                    plain(s.title),
                    key,
                    tuple(parse(s.assessment)) if s.assessment else first_sentence(parse(s.lead)),
                    headline_metric(s),
                )
                for i, (s, key) in enumerate(zip(outline.sections, keys, strict=True), 1)
            ),
        )
    )
    blocks.append(PageBreak())
    for i, (section, key) in enumerate(zip(outline.sections, keys, strict=True), 1):
        blocks += _section_blocks(i, key, section, theme, page.frame_width * 0.8, images)

    blocks.append(Heading("Conclusion", "conclusion"))
    blocks += [Text(tuple(parse(p)), "body") for p in paragraphs(outline.conclusion.text)]
    blocks.append(
        LookingAhead(
            "Looking ahead",
            tuple(tuple(parse(p)) for p in paragraphs(outline.conclusion.looking_ahead)),
        )
    )
    if outline.sources:
        blocks.append(Heading("Sources", "sources"))
        blocks.append(
            Sources(
                tuple(
                    SourceEntry(str(i), s.title, s.publisher, s.date, s.url)
                    for i, s in enumerate(outline.sources, 1)
                )
            )
        )

    doc_meta = DocMeta(
        title=plain(meta.title),
        subject=plain(meta.subtitle),
        author=plain(meta.author),
        keywords=", ".join(plain(s.title) for s in outline.sections),
        language=meta.language,
        created=created.isoformat(),
    )
    return BriefPlan(
        page=page,
        styles=styles_for(theme),
        colors=colors_for(theme),
        meta=doc_meta,
        running_title=plain(meta.title),
        as_of=as_of,
        classification=meta.classification,
        blocks=blocks,
        diagnostics=check_glyphs(outline, theme),
        logo=_logo_box(page, images),
    )


def _logo_box(page: PageGeometry, images: Mapping[str, PreparedImage] | None) -> Box | None:
    """The cover logo: top right of the cover panel, at most 150 x 56 pt."""
    if not images or "logo" not in images:
        return None
    aspect = images["logo"].aspect
    w = min(150.0, 56.0 * aspect)
    h = w / aspect
    return Box(page.width - page.margin - w, page.banner + 28, round(w, 2), round(h, 2))

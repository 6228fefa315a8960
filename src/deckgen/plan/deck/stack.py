"""Regions: boxes of the slide body filled top-down with items (text, cards, panels, charts,
pictures, judgement rows), measured at the role sizes they are given, placed as frames.

A slide family describes a slide as a :class:`Draft`: its heading and its regions. The planner
measures every region at every candidate size (:meth:`Region.fits`) before it places anything,
so the sizes can be chosen for the whole deck (:mod:`deckgen.plan.deck.sizes`), and then places
each region at the sizes chosen (:meth:`Region.place`). Items are sized to what they hold: a
five-line card is five lines tall.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from deckgen.model import Box, ChartFrame, ChartSpec, Shape, Slide
from deckgen.outline import Metric
from deckgen.plan.catalogue import Words, sentence_case
from deckgen.plan.charts import lay_out_labels
from deckgen.plan.content import CONFIDENCE_LEVEL, TREND_MARK
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.kit import Kit, Where
from deckgen.plan.deck.sizes import at, best
from deckgen.richtext import Run, parse
from deckgen.textfit import Block, split_to_fit

Sizes = Mapping[str, float]


class Item:
    """Something placed in a region: sized to its content at the given role sizes."""

    roles: tuple[str, ...] = ()
    flex: float = 0.0  # a flexible item's minimum height (charts); 0: sized to content

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        raise NotImplementedError

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        raise NotImplementedError


@dataclass
class TextItem(Item):
    """Paragraphs of one role: running text, bulleted key points, an agenda column."""

    role: str
    blocks: list[Block]
    colors: Sequence[str]
    name: str
    bullets: bool | Sequence[bool] = False  # all paragraphs, or each one

    @property
    def roles(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.role,)

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        return kit.height(self.blocks, width, sizes[self.role])

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        flags = (
            [self.bullets] * len(self.blocks) if isinstance(self.bullets, bool) else self.bullets
        )
        bullets = ["\u25aa" if flag else None for flag in flags]
        slide.frames.append(
            kit.text_frame(
                self.name,
                box,
                self.blocks,
                sizes[self.role],
                self.colors,
                kit.background(slide),
                bullets=bullets,
            )
        )


def status_line(w: Words, m: Metric, changed: bool) -> str:
    """A card's first line: its status in words and whether it changed (``WATCH · CHANGED``)."""
    words = [w.status(m.status).upper()] if m.status else []
    if changed:
        words.append(w.upper("changed"))
    return " \u00b7 ".join(words)


def metric_card(kit: Kit, m: Metric, changed: bool = False) -> tuple[list[Block], list[str]]:
    """A compact metric card's paragraphs and colours: the status in words (when it has one),
    the value with its unit (and trend), and the label (with the target).

    The context and the source are in the speaker notes (and on indicator rows)."""
    p = kit.p
    blocks, colors = [], []
    first = status_line(kit.words, m, changed)
    if first:
        blocks.append(
            kit.block((Run(first, bold=True),), scale=L.CARD_SMALL_SCALE, space_after=0.1)
        )
        colors.append(p.text)  # the word carries the meaning; the stripe carries the colour
    blocks.append(kit.block(value_runs(m), scale=L.CARD_VALUE_SCALE, leading=1.1, space_after=0.1))
    colors.append(p.primary)
    label = [Run(m.label, bold=True)]
    if m.target:
        label.append(Run(f" \u00b7 {kit.words('target', target=m.target)}"))
    blocks.append(kit.block(label, space_after=0))
    colors.append(p.text)
    return blocks, colors


def value_runs(m: Metric) -> tuple[Run, ...]:
    """The value in bold, then its unit and trend mark."""
    runs = [Run(m.value, bold=True)]
    if m.unit:
        runs.append(Run(f" {m.unit}"))
    if m.trend:
        runs.append(Run(f" {TREND_MARK[m.trend]}", bold=True))
    return tuple(runs)


def stripe_color(kit: Kit, m: Metric) -> str:
    return kit.p.status.model_dump()[m.status] if m.status else kit.p.secondary


@dataclass
class CardItem(Item):
    """One metric as a compact card: a status stripe, the status word, value, label."""

    metric: Metric
    index: int
    changed: bool = False
    roles: tuple[str, ...] = ("card",)

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        inner = width - L.CARD_STRIPE - 2 * L.CARD_INSET
        blocks, _ = metric_card(kit, self.metric, self.changed)
        return kit.height(blocks, inner, sizes["card"]) + 2 * L.CARD_INSET

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        p, m, k = kit.p, self.metric, self.index
        blocks, colors = metric_card(kit, m, self.changed)
        slide.frames.append(Shape(f"kpi.{k}", box, p.surface, decorative=True))
        slide.frames.append(
            Shape(
                f"kpi.{k}.status",
                Box(box.x, box.y, L.CARD_STRIPE, box.h),
                stripe_color(kit, m),
                decorative=True,
            )
        )
        inner = Box(box.x + L.CARD_STRIPE, box.y, box.w - L.CARD_STRIPE, box.h)
        slide.frames.append(
            kit.text_frame(
                f"kpi.{k}.text", inner, blocks, sizes["card"], colors, p.surface, inset=L.CARD_INSET
            )
        )


@dataclass
class IndicatorItem(Item):
    """One metric as a full-width row: status and value on the left; label, context and
    source on the right. For slides that show a section's figures on their own."""

    metric: Metric
    index: int
    changed: bool = False
    roles: tuple[str, ...] = ("card",)

    def _parts(self, kit: Kit) -> tuple[list[Block], list[str], list[Block], list[str]]:
        p, m = kit.p, self.metric
        left, lc = [], []
        first = status_line(kit.words, m, self.changed)
        if first:
            left.append(
                kit.block(
                    (Run(first, bold=True),),
                    scale=L.CARD_SMALL_SCALE,
                    space_after=0.1,
                )
            )
            lc.append(p.text)
        left.append(kit.block(value_runs(m), scale=L.CARD_VALUE_SCALE, leading=1.1, space_after=0))
        lc.append(p.primary)
        label = [Run(m.label, bold=True)]
        if m.target:
            label.append(Run(f" \u00b7 {kit.words('target', target=m.target)}"))
        right = [
            kit.block(label, space_after=0.2),
            kit.block(tuple(parse(m.context)), scale=L.CARD_SMALL_SCALE, space_after=0.2),
            kit.block(
                (Run(kit.words("source", source=m.source)),),
                scale=L.CARD_SMALL_SCALE,
                space_after=0,
            ),
        ]
        return left, lc, right, [p.text, p.text, p.muted]

    def _widths(self, width: float) -> tuple[float, float]:
        inner = width - L.CARD_STRIPE - 2 * L.CARD_INSET
        left = round(inner * L.VALUE_SHARE, 2)
        return left, inner - left - L.CARD_INSET

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        left, _, right, _ = self._parts(kit)
        lw, rw = self._widths(width)
        size = sizes["card"]
        return max(kit.height(left, lw, size), kit.height(right, rw, size)) + 2 * L.CARD_INSET

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        p, m, k = kit.p, self.metric, self.index
        left, lc, right, rc = self._parts(kit)
        lw, rw = self._widths(box.w)
        slide.frames.append(Shape(f"kpi.{k}", box, p.surface, decorative=True))
        slide.frames.append(
            Shape(
                f"kpi.{k}.status",
                Box(box.x, box.y, L.CARD_STRIPE, box.h),
                stripe_color(kit, m),
                decorative=True,
            )
        )
        x = box.x + L.CARD_STRIPE + L.CARD_INSET
        y, h = box.y + L.CARD_INSET, box.h - 2 * L.CARD_INSET
        size = sizes["card"]
        slide.frames.append(
            kit.text_frame(f"kpi.{k}.text", Box(x, y, lw, h), left, size, lc, p.surface)
        )
        slide.frames.append(
            kit.text_frame(
                f"kpi.{k}.detail", Box(x + lw + L.CARD_INSET, y, rw, h), right, size, rc, p.surface
            )
        )


@dataclass
class LabelItem(Item):
    """A small bold label over what follows (e.g. "IN THIS BRIEFING")."""

    text: str

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        return L.LABEL_HEIGHT

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        slide.frames.append(
            kit.simple(
                "label",
                box,
                self.text.upper(),
                L.LABEL_SIZE,
                kit.p.secondary,
                kit.background(slide),
                bold=True,
            )
        )


@dataclass
class PanelItem(Item):
    """The "looking ahead" panel: a tinted box with a rule, a label and the forecast."""

    label: str
    blocks: list[Block]
    role: str = "body"

    @property
    def roles(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.role,)

    def _inner(self, width: float) -> float:
        return width - L.PANEL_RULE - 2 * L.PANEL_PAD

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        text = kit.height(self.blocks, self._inner(width), sizes[self.role])
        return 2 * L.PANEL_PAD + L.LABEL_HEIGHT + 4 + text

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        p = kit.p
        slide.frames.append(Shape("ahead.panel", box, p.ahead, decorative=True))
        slide.frames.append(
            Shape(
                "ahead.rule",
                Box(box.x, box.y, L.PANEL_RULE, box.h),
                p.ahead_rule,
                decorative=True,
            )
        )
        x = box.x + L.PANEL_RULE + L.PANEL_PAD
        w = self._inner(box.w)
        slide.frames.append(
            kit.simple(
                "ahead.label",
                Box(x, box.y + L.PANEL_PAD, w, L.LABEL_HEIGHT),
                self.label.upper(),
                L.LABEL_SIZE,
                p.ahead_rule,
                p.ahead,
                bold=True,
            )
        )
        top = box.y + L.PANEL_PAD + L.LABEL_HEIGHT + 4
        text = Box(x, round(top, 2), w, round(box.bottom - L.PANEL_PAD - top, 2))
        slide.frames.append(
            kit.text_frame("ahead.body", text, self.blocks, sizes[self.role], [p.text], p.ahead)
        )


@dataclass
class ChartItem(Item):
    """A declared chart: takes the height its region leaves (at least ``flex``)."""

    spec: ChartSpec
    flex: float = 190.0

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        return self.flex

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        spec = lay_out_labels(self.spec, box.w, kit.fonts)
        slide.frames.append(ChartFrame("chart", box, spec))


@dataclass
class FigureItem(Item):
    """A section's picture at the region's width, no taller than ``max_height``."""

    key: str
    alt: str
    max_height: float = 150.0

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        return min(width / kit.images[self.key].aspect, self.max_height)

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        slide.frames.append(kit.picture("section.image", self.key, box, self.alt, align="l"))


@dataclass
class LegendItem(Item):
    """What the status colours mean: a swatch and a word for each status shown."""

    statuses: list[str]

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        return 16.0

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        p, on = kit.p, kit.background(slide)
        x = box.x
        colors = p.status.model_dump()
        for status in ("green", "amber", "red"):
            if status not in self.statuses:
                continue
            word = kit.words.status(status)
            slide.frames.append(
                Shape(f"legend.{status}", Box(x, box.y + 4, 8, 8), colors[status], decorative=True)
            )
            w = kit.fonts.width(word, False, False, L.FURNITURE_SIZE + 1) / 0.9 + 4
            slide.frames.append(
                kit.simple(
                    f"legend.{status}.text",
                    Box(x + 11, box.y, w, 16),
                    word,
                    L.FURNITURE_SIZE + 1,
                    p.muted,
                    on,
                    anchor="ctr",
                )
            )
            x += 11 + w + 10


@dataclass
class JudgementItem(Item):
    """A key judgement: its confidence in words and as a three-step meter, then the sentence."""

    text: str
    confidence: str
    refs: str
    index: int
    roles: tuple[str, ...] = ("lead",)

    def _blocks(self, kit: Kit) -> list[Block]:
        return [kit.block(tuple(parse(self.text)), space_after=0)]

    def _text_width(self, width: float) -> float:
        return width - L.BADGE_WIDTH

    def height(self, kit: Kit, width: float, sizes: Sizes) -> float:
        text = kit.height(self._blocks(kit), self._text_width(width), sizes["lead"])
        badge = L.LABEL_HEIGHT + L.METER_SQUARE + 6 + (L.LABEL_HEIGHT if self.refs else 0.0)
        return max(text, badge)

    def place(self, kit: Kit, slide: Slide, box: Box, sizes: Sizes) -> None:
        p, on, k = kit.p, kit.background(slide), self.index
        word = sentence_case(kit.words.confidence(self.confidence))
        badge_w = L.BADGE_WIDTH - 12
        slide.frames.append(
            kit.simple(
                f"judgement.{k}.confidence",
                Box(box.x, box.y, badge_w, L.LABEL_HEIGHT),
                word,
                L.BADGE_SIZE,
                p.secondary,
                on,
                bold=True,
            )
        )
        level = CONFIDENCE_LEVEL[self.confidence]
        meter_y = box.y + L.LABEL_HEIGHT + 2
        for i in range(3):
            fill = p.primary if i < level else p.surface
            x = box.x + i * (L.METER_SQUARE + L.METER_GAP)
            slide.frames.append(
                Shape(
                    f"judgement.{k}.meter.{i}",
                    Box(x, meter_y, L.METER_SQUARE, L.METER_SQUARE),
                    fill,
                    decorative=True,
                )
            )
        if self.refs:
            slide.frames.append(
                kit.simple(
                    f"judgement.{k}.refs",
                    Box(box.x, meter_y + L.METER_SQUARE + 4, badge_w, L.LABEL_HEIGHT),
                    self.refs,
                    L.BADGE_SIZE,
                    p.muted,
                    on,
                )
            )
        tx = box.x + L.BADGE_WIDTH
        tw = self._text_width(box.w)
        blocks = self._blocks(kit)
        slide.frames.append(
            kit.text_frame(
                f"judgement.{k}.text",
                Box(tx, box.y, tw, box.h),
                blocks,
                sizes["lead"],
                [p.text],
                on,
            )
        )


@dataclass
class Region:
    """A box of the slide body and the items stacked in it, top-down.

    The last ``bottom`` items sit against the region's foot; flexible items (charts) share
    whatever height the others leave.
    """

    box: Box
    items: list[Item]
    bottom: int = 0
    gap: float = L.STACK_GAP

    def roles(self) -> set[str]:
        return {r for item in self.items for r in item.roles}

    def need(self, kit: Kit, sizes: Sizes) -> float:
        heights = [i.height(kit, self.box.w, sizes) for i in self.items]
        return sum(heights) + self.gap * max(0, len(self.items) - 1)

    def fits(self, kit: Kit, sizes: Sizes) -> bool:
        return self.need(kit, sizes) <= self.box.h + 0.01

    def fits_at(self, kit: Kit, point: float) -> bool:
        """Whether the region fits with every role at ``point`` (0: minimum, 1: maximum)."""
        roles = sorted(self.roles())
        top = max((kit.ranges[r].steps() for r in roles), default=0)
        return self.fits(kit, at(kit.ranges, roles, math.floor(top * point), top))

    def best(self, kit: Kit) -> dict[str, float] | None:
        return best(kit.ranges, self.roles(), lambda s: self.fits(kit, s))

    def place(self, kit: Kit, slide: Slide, sizes: Sizes) -> None:
        b = self.box
        heights = [i.height(kit, b.w, sizes) for i in self.items]
        spare = b.h - sum(heights) - self.gap * max(0, len(self.items) - 1)
        flex = [k for k, i in enumerate(self.items) if i.flex]
        if flex and spare > 0:
            for k in flex:
                heights[k] += spare / len(flex)
            spare = 0.0
        if len(self.items) == 1 and isinstance(self.items[0], TextItem):
            heights[0] = max(heights[0], b.h)  # a lone text frame takes the region
            spare = 0.0
        y = b.y
        split = len(self.items) - self.bottom
        for k, (item, h) in enumerate(zip(self.items, heights, strict=True)):
            if k == split and spare > 0:
                y += spare
            item.place(kit, slide, Box(b.x, round(y, 2), b.w, round(h, 2)), sizes)
            y += h + self.gap


@dataclass
class Draft:
    """One slide before sizing: what it is, its heading, and its regions."""

    kind: str
    title: str
    section: str
    notes: str
    where: Where
    kicker: str = ""
    regions: list[Region] = field(default_factory=list)
    dark: bool = False
    heading: bool = True
    paint: Callable[[Kit, Slide], None] | None = None  # fixed artwork drawn before the regions
    footer_left: float | None = None


def split_even(
    kit: Kit, blocks: list[Block], width: float, height: float, size: float
) -> list[list[Block]]:
    """``blocks`` in as few parts as fit ``height`` at ``size``, of about equal height.

    The fewest parts come from filling each part greedily; then the parts are evened out by
    lowering the height each may take, as long as no more parts are needed, so a continued
    slide is never a stub of the one before.
    """

    def greedy(limit: float) -> list[list[Block]]:
        parts, rest = [], blocks
        while rest:
            head, rest = split_to_fit(rest, width, limit, size, kit.fonts)
            parts.append(head)
        return parts

    parts = greedy(height)
    if len(parts) < 2:
        return parts
    total = sum(kit.height(p, width, size) for p in parts)
    target = total / len(parts)
    while target < height:
        trial = greedy(target)
        if len(trial) <= len(parts):
            return trial
        target += size * 0.6
    return parts

"""The deck planner: a validated outline and a theme in, a :class:`DeckPlan` out (pure).

Every position, size, colour and font size of every slide is decided here, measured with the
bundled fonts by :mod:`deckgen.textfit`; the renderers only translate. Text that does not fit at
the theme's minimum size continues on a "(cont.)" slide of the same group; every shrink and every
continuation is reported as a diagnostic located in the outline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from deckgen.diagnostics import Diagnostic, Severity
from deckgen.images import PreparedImage
from deckgen.model import (
    Anchor,
    Box,
    ChartFrame,
    DeckPlan,
    DocMeta,
    Frame,
    Para,
    Picture,
    Shape,
    Slide,
    TextFrame,
)
from deckgen.outline import KeyPoint, Metric, Outline, Section
from deckgen.plan.charts import chart_for
from deckgen.plan.glyphs import check_glyphs
from deckgen.plan.wording import first_sentence, format_date
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.template import TemplateInfo
from deckgen.textfit import Block, Fit, FontSet, fit, split_to_fit
from deckgen.theme import SizeRange, Theme

OPENING = "Opening"
CLOSING = "Closing"
LEADING = 1.2  # default line pitch factor; the theme's slide.leading overrides it
INSET = 10.0
TREND = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}
TRACKER_WINDOW = 15  # sections shown in a divider's agenda tracker
Where = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Geometry:
    """The slide's fixed regions, derived from the theme once."""

    width: float
    height: float
    margin: float
    gap: float
    banner: float
    title_top: float
    body_top: float
    body_bottom: float
    footer_top: float

    @property
    def body(self) -> Box:
        return Box(self.margin, self.body_top, self.width - 2 * self.margin, self.body_height)

    @property
    def body_height(self) -> float:
        return self.body_bottom - self.body_top


def _even_parts(items: Sequence[Metric], parts: int) -> list[list[Metric]]:
    """``items`` in ``parts`` consecutive runs whose lengths differ by at most one."""
    q, r = divmod(len(items), parts)
    out, k = [], 0
    for i in range(parts):
        size = q + (1 if i < r else 0)
        out.append(list(items[k : k + size]))
        k += size
    return out


def _card_cols(count: int) -> int:
    """Columns for a full-width grid of ``count`` cards: one row up to four, else two rows."""
    return count if count <= 4 else math.ceil(count / 2)


class DeckPlanner:
    """Builds the slides of one deck; one instance per plan."""

    def __init__(
        self,
        outline: Outline,
        theme: Theme,
        created: datetime,
        images: Mapping[str, PreparedImage] | None = None,
        template: TemplateInfo | None = None,
    ) -> None:
        self.images = dict(images or {})
        self.template = template
        self.spec = theme.template if template is not None else None
        self.o = outline
        self.t = theme
        self.p = theme.palette
        self.created = created
        f = theme.fonts
        self.fonts = FontSet(
            f.file(False, False), f.file(True, False), f.file(False, True), f.file(True, True)
        )
        banner = theme.slide.banner if outline.meta.classification else 0.0
        m = theme.slide.margin
        title_top = banner + 30
        width, height = theme.slide.width, theme.slide.height
        body_top = title_top + 88
        if template is not None:
            width, height = template.width, template.height
            content_title = self.placeholder_box("content")
            body_top = max(body_top, content_title.bottom + 18) if content_title else body_top
        self.g = Geometry(
            width=width,
            height=height,
            margin=m,
            gap=theme.slide.gap,
            banner=banner,
            title_top=title_top,
            body_top=body_top,
            body_bottom=height - banner - 40,
            footer_top=height - banner - 26,
        )
        self.slides: list[Slide] = []
        self.diagnostics: list[Diagnostic] = []
        self.footer = f"{outline.meta.title}  \u00b7  As of {format_date(outline.meta.date)}"

    # ----------------------------------------------------------------- templates

    def placeholder_box(self, kind: str, role: str = "title") -> Box | None:
        """The mapped template placeholder's box for a slide kind (None without a template)."""
        if self.template is None or self.spec is None:
            return None
        layout = self.template.layout(self.spec.layout_for(kind))
        idx = self.spec.title_idx if role == "title" else self.spec.subtitle_idx
        if layout is None or idx is None:
            return None
        ph = layout.placeholder(idx)
        return ph.box if ph else None

    def layout_name(self, kind: str) -> str | None:
        return self.spec.layout_for(kind) if self.spec else None

    # ----------------------------------------------------------------- primitives

    def block(self, runs: tuple[Run, ...], **kw: Any) -> Block:
        """A paragraph to fit, at the theme's line pitch unless ``leading`` is given."""
        kw.setdefault("leading", self.t.slide.leading)
        return Block(runs, **kw)

    def para(
        self,
        runs: Sequence[Run],
        size: float,
        color: str,
        *,
        align: str = "l",
        space_after: float = 0.0,
        bullet: str | None = None,
        indent: float = 0.0,
        leading: float | None = None,
    ) -> Para:
        leading = self.t.slide.leading if leading is None else leading
        return Para(
            runs=tuple(runs),
            size=size,
            color=color,
            line_pitch=round(size * leading, 2),
            space_after=round(space_after, 2),
            align=align,  # type: ignore[arg-type]
            bullet=bullet,
            indent=indent,
        )

    def fitted(
        self,
        where: Where,
        what: str,
        blocks: list[Block],
        box: Box,
        rng: SizeRange,
        *,
        inset: float = 0.0,
    ) -> Fit:
        """Fit ``blocks`` into ``box`` and record a notice when the text had to shrink."""
        result = fit(blocks, box.w - 2 * inset, box.h - 2 * inset, rng.max, rng.min, self.fonts)
        if result.fits and result.size < rng.max:
            self.note(
                where, f"{what}: text set at {result.size:g} pt (theme maximum {rng.max:g} pt)"
            )
        return result

    def note(self, where: Where, message: str, severity: Severity = Severity.NOTICE) -> None:
        line, col = self.o.where(*where)
        from deckgen.yamlsafe import format_path

        self.diagnostics.append(
            Diagnostic(self.o.file, line, col, format_path(where), message, severity)
        )

    def text_frame(
        self,
        role: str,
        box: Box,
        blocks: list[Block],
        base: float,
        colors: Sequence[str],
        *,
        aligns: Sequence[str] | None = None,
        bullets: Sequence[str | None] | None = None,
        anchor: Anchor = "t",
        inset: float = 0.0,
        fill: str | None = None,
        lines: int = 0,
    ) -> TextFrame:
        paras = []
        for i, b in enumerate(blocks):
            size = round(base * b.scale, 2)
            paras.append(
                self.para(
                    b.runs,
                    size,
                    colors[i % len(colors)],
                    align=(aligns[i] if aligns else "l"),
                    space_after=size * b.space_after if i < len(blocks) - 1 else 0.0,
                    bullet=bullets[i] if bullets else None,
                    indent=b.indent,
                    leading=b.leading,
                )
            )
        return TextFrame(role, box, tuple(paras), anchor, inset, fill, lines)

    def simple(
        self,
        role: str,
        box: Box,
        text: str,
        size: float,
        color: str,
        *,
        bold: bool = False,
        align: str = "l",
        anchor: Anchor = "t",
    ) -> TextFrame:
        """A one-paragraph frame (footers, kickers, labels): ``size`` unless it must shrink."""
        blocks = [self.block((Run(text, bold=bold),), space_after=0)]
        result = fit(blocks, box.w, box.h, size, max(6.0, round(size * 0.6 * 2) / 2), self.fonts)
        if not result.fits:
            self.note((), f"{role} text {text[:40]!r} does not fit its box", Severity.WARNING)
        para = self.para([Run(text, bold=bold)], result.size, color, align=align)
        return TextFrame(role, box, (para,), anchor, lines=result.lines)

    def picture(self, role: str, key: str, area: Box, alt: str, *, align: str = "ctr") -> Picture:
        """The image ``key`` scaled to fit inside ``area`` without distortion."""
        aspect = self.images[key].aspect
        w = min(area.w, area.h * aspect)
        h = w / aspect
        x = (
            area.x + (area.w - w) / 2
            if align == "ctr"
            else area.right - w
            if align == "r"
            else area.x
        )
        box = Box(round(x, 2), round(area.y + (area.h - h) / 2, 2), round(w, 2), round(h, 2))
        return Picture(role, box, key, alt)

    # ------------------------------------------------------------ slide furniture

    def new_slide(
        self, kind: str, title: str, section: str, notes: str, *, dark: bool = False
    ) -> Slide:
        slide = Slide(kind=kind, title=title, section=section, notes=notes.strip())
        slide.layout = self.layout_name(kind)
        if dark and self.template is None:
            slide.background = self.p.primary
        self.slides.append(slide)
        return slide

    def furniture(self, slide: Slide, *, dark: bool = False, left: float | None = None) -> None:
        """Banners, footer and slide number; added last so they sit on top."""
        g = self.g
        cls = self.o.meta.classification
        if cls:
            for role, y in (("banner.top", 0.0), ("banner.bottom", g.height - g.banner)):
                box = Box(0, y, g.width, g.banner)
                slide.frames.append(Shape(role, box, self.p.banner))
                slide.frames.append(
                    self.simple(
                        f"{role}.text",
                        box,
                        cls,
                        9,
                        self.p.on_banner,
                        bold=True,
                        align="ctr",
                        anchor="ctr",
                    )
                )
        color = self.p.on_primary if dark else self.p.muted
        x = g.margin if left is None else left
        foot = Box(x, g.footer_top, g.width - x - g.margin - 60, 16)
        slide.frames.append(self.simple("footer", foot, self.footer, 9, color, anchor="ctr"))
        num = Box(g.width - g.margin - 50, g.footer_top, 50, 16)
        slide.frames.append(
            self.simple(
                "slide_number", num, str(len(self.slides)), 9, color, align="r", anchor="ctr"
            )
        )

    def heading(self, slide: Slide, where: Where, kicker: str, title: str) -> None:
        """Kicker line, slide title and accent rule at the top of a content slide.

        With a template the title goes into the layout's title placeholder, measured at its
        real size; the kicker and rule keep to the space around it.
        """
        g = self.g
        box = self.placeholder_box(slide.kind)
        kicker_box = Box(g.margin, g.title_top - 4, g.width - 2 * g.margin, 16)
        if box is not None:
            kicker_box = Box(box.x, box.y - 20, box.w, 16)
        if kicker_box.y >= g.banner + 2:
            slide.frames.append(
                self.simple("kicker", kicker_box, kicker.upper(), 11, self.p.accent, bold=True)
            )
        if box is not None:
            self.placeholder_title(slide, where, box, title)
            return
        box = Box(g.margin, g.title_top + 14, g.width - 2 * g.margin, 58)
        blocks = [self.block((Run(title, bold=True),), leading=self.t.slide.leading, space_after=0)]
        result = self.fitted(where, "slide title", blocks, box, self.t.type.title)
        if not result.fits:  # titles are at most 120 characters; report, never cut
            self.note(where, "slide title does not fit at the minimum size", Severity.WARNING)
        slide.frames.append(
            self.text_frame(
                "title", box, blocks, result.size, [self.p.primary], anchor="b", lines=result.lines
            )
        )
        slide.frames.append(Shape("rule", Box(g.margin, g.title_top + 76, 56, 3), self.p.accent))

    def placeholder_title(self, slide: Slide, where: Where, box: Box, title: str) -> None:
        """A title fitted to a template placeholder (the template styles it)."""
        assert self.spec is not None
        blocks = [self.block((Run(title, bold=True),), space_after=0)]
        result = self.fitted(where, "slide title", blocks, box, self.t.type.title)
        if not result.fits:
            self.note(
                where, "slide title does not fit the template's placeholder", Severity.WARNING
            )
        frame = self.text_frame(
            "title", box, blocks, result.size, [self.p.primary], anchor="b", lines=result.lines
        )
        slide.frames.append(replace(frame, placeholder=self.spec.title_idx))

    # ------------------------------------------------------------------ flowing text

    def flow(
        self,
        kind: str,
        section: str,
        where: Where,
        kicker: str,
        title: str,
        notes: str,
        blocks: list[Block],
        box: Box,
        rng: SizeRange,
        *,
        color: str | None = None,
        bullets: bool = False,
        decorate: object = None,
    ) -> None:
        """Slides of flowing text: fit in ``box``, continuing on "(cont.)" slides when needed."""
        part = 0
        remaining = blocks
        while remaining:
            result = self.fitted(where, f"{kind} text", remaining, box, rng)
            if result.fits:
                page, remaining = remaining, []
            else:
                page, remaining = split_to_fit(remaining, box.w, box.h, rng.min, self.fonts)
                self.note(where, f"{kind} text continues on a '(cont.)' slide", Severity.WARNING)
                result = fit(page, box.w, box.h, rng.max, rng.min, self.fonts)
            shown = title if part == 0 else f"{title} (cont.)"
            slide = self.new_slide(
                kind, shown, section, notes if part == 0 else f"(continued) {notes}"
            )
            self.heading(slide, where, kicker, shown)
            if callable(decorate):
                decorate(slide, part)
            slide.frames.append(
                self.text_frame(
                    f"{kind}.body",
                    box,
                    page,
                    result.size,
                    [color or self.p.text],
                    bullets=["\u25a0" if bullets else None] * len(page),
                    lines=result.lines,
                )
            )
            self.furniture(slide)
            part += 1

    # ------------------------------------------------------------------------ slides

    def template_title_slide(self, slide: Slide, title_box: Box) -> None:
        """The title slide on a template: title and subtitle in the layout's placeholders."""
        o, g, p = self.o, self.g, self.p
        assert self.spec is not None
        self.placeholder_title(slide, ("meta", "title"), title_box, o.meta.title)
        sub_box = self.placeholder_box("title", "subtitle")
        below = title_box.bottom + 8
        if sub_box is not None and self.spec.subtitle_idx is not None:
            blocks = [self.block((Run(o.meta.subtitle),), space_after=0)]
            r = self.fitted(("meta", "subtitle"), "subtitle", blocks, sub_box, self.t.type.subtitle)
            frame = self.text_frame("subtitle", sub_box, blocks, r.size, [p.muted], lines=r.lines)
            slide.frames.append(replace(frame, placeholder=self.spec.subtitle_idx))
            below = sub_box.bottom + 8
        byline = f"{o.meta.author}  \u00b7  As of {format_date(o.meta.date)}"
        box = Box(title_box.x, min(below, g.footer_top - 30), title_box.w, 22)
        slide.frames.append(self.simple("byline", box, byline, 14, p.accent, bold=True))
        if "logo" in self.images:
            area = Box(g.width - g.margin - 120, g.banner + 16, 120, 60)
            slide.frames.append(
                self.picture("logo", "logo", area, f"Logo of {o.meta.author}", align="r")
            )
        self.furniture(slide)

    def title_slide(self) -> None:
        o, g, p = self.o, self.g, self.p
        notes = "\n\n".join(paragraphs(o.summary))
        slide = self.new_slide("title", o.meta.title, OPENING, notes, dark=True)
        title_box = self.placeholder_box("title")
        if title_box is not None:
            self.template_title_slide(slide, title_box)
            return
        w = g.width - 2 * g.margin - 80
        slide.frames.append(
            Shape("rule", Box(g.margin, g.height * 0.30, 72, 4), p.on_primary_accent)
        )
        box = Box(g.margin, g.height * 0.30 + 16, w, 130)
        blocks = [self.block((Run(o.meta.title, bold=True),), space_after=0)]
        rng = SizeRange(max=self.t.type.title.max * 1.4, min=self.t.type.title.min)
        r = self.fitted(("meta", "title"), "deck title", blocks, box, rng)
        slide.frames.append(
            self.text_frame("title", box, blocks, r.size, [p.on_primary], lines=r.lines)
        )
        box = Box(g.margin, box.bottom + 8, w, 60)
        blocks = [self.block((Run(o.meta.subtitle),), space_after=0)]
        r = self.fitted(("meta", "subtitle"), "subtitle", blocks, box, self.t.type.subtitle)
        slide.frames.append(
            self.text_frame("subtitle", box, blocks, r.size, [p.on_primary], lines=r.lines)
        )
        if "logo" in self.images:
            area = Box(g.width - g.margin - 120, g.banner + 24, 120, 60)
            slide.frames.append(
                self.picture("logo", "logo", area, f"Logo of {o.meta.author}", align="r")
            )
        byline = f"{o.meta.author}  \u00b7  As of {format_date(o.meta.date)}"
        slide.frames.append(
            self.simple(
                "byline",
                Box(g.margin, box.bottom + 20, w, 22),
                byline,
                14,
                p.on_primary_accent,
                bold=True,
            )
        )
        self.furniture(slide, dark=True)

    def agenda_slide(self) -> None:
        o, g = self.o, self.g
        items = [f"{i:02d}  {s.title}" for i, s in enumerate(o.sections, 1)]
        notes = "Agenda:\n" + "\n".join(items)
        cols = 1 if len(items) <= 6 else 2
        per_col = math.ceil(len(items) / cols)
        col_w = (g.body.w - (cols - 1) * g.gap * 2) / cols
        chunks = [
            o.sections[k : k + per_col * cols] for k in range(0, len(o.sections), per_col * cols)
        ]
        offset = 0
        for part, chunk in enumerate(chunks):
            title = "Agenda" if part == 0 else "Agenda (cont.)"
            slide = self.new_slide("agenda", title, OPENING, notes)
            self.heading(slide, ("sections",), o.meta.title, title)
            columns = [chunk[c * per_col : (c + 1) * per_col] for c in range(cols)]
            all_blocks = [
                [
                    self.block(
                        (Run(f"{offset + c * per_col + k + 1:02d}   ", bold=True), Run(s.title)),
                        space_after=0.55,
                    )
                    for k, s in enumerate(col)
                ]
                for c, col in enumerate(columns)
                if col
            ]
            size = min(
                fit(
                    b, col_w, g.body_height, self.t.type.body.max, self.t.type.body.min, self.fonts
                ).size
                for b in all_blocks
            )
            for c, blocks in enumerate(all_blocks):
                box = Box(g.margin + c * (col_w + 2 * g.gap), g.body_top, col_w, g.body_height)
                slide.frames.append(
                    self.text_frame(f"agenda.col{c}", box, blocks, size, [self.p.text])
                )
            self.furniture(slide)
            offset += len(chunk)

    def summary_slides(self) -> None:
        blocks = [self.block(tuple(parse(p)), space_after=0.6) for p in paragraphs(self.o.summary)]
        self.flow(
            "summary",
            OPENING,
            ("summary",),
            self.o.meta.title,
            "Executive summary",
            self.o.summary,
            blocks,
            self.g.body,
            self.t.type.body,
        )

    def divider(self, n: int, s: Section, where: Where) -> None:
        g, p, total = self.g, self.p, len(self.o.sections)
        notes = f"Section {n} of {total}: {s.title}.\n\n{plain(s.lead)}"
        if s.notes:
            notes += f"\n\n{s.notes}"
        slide = self.new_slide("divider", s.title, s.title, notes)
        if self.template is not None:
            self.template_divider(slide, n, s, where)
            return
        panel_w = round(g.width * 0.3)
        slide.frames.append(
            Shape("divider.panel", Box(0, g.banner, panel_w, g.height - 2 * g.banner), p.primary)
        )
        num_box = Box(g.margin / 2, g.height * 0.25, panel_w - g.margin, g.height * 0.4)
        blocks = [self.block((Run(f"{n:02d}", bold=True),), leading=1.0, space_after=0)]
        r = fit(
            blocks,
            num_box.w,
            num_box.h,
            self.t.type.divider_number.max,
            self.t.type.divider_number.min,
            self.fonts,
        )
        slide.frames.append(
            self.text_frame(
                "divider.number",
                num_box,
                blocks,
                r.size,
                [p.on_primary_accent],
                aligns=["ctr"],
                anchor="ctr",
            )
        )
        x = panel_w + g.margin
        w = g.width - x - g.margin
        key = f"section:{s.id}"
        if s.image is not None and key in self.images:
            # The picture takes the right part; the title and lead keep the rest.
            img_w = round(w * 0.42, 2)
            area = Box(x + w - img_w, g.height * 0.22, img_w, g.height * 0.5)
            slide.frames.append(self.picture("section.image", key, area, s.image.alt))
            w = w - img_w - g.gap
        slide.frames.append(
            self.simple(
                "kicker",
                Box(x, g.height * 0.22, w, 16),
                f"SECTION {n} OF {total}",
                12,
                p.accent,
                bold=True,
            )
        )
        box = Box(x, g.height * 0.22 + 22, w, 100)
        blocks = [self.block((Run(s.title, bold=True),), space_after=0)]
        rng = SizeRange(max=self.t.type.title.max * 1.2, min=self.t.type.title.min)
        r = self.fitted((*where, "title"), "section title", blocks, box, rng)
        slide.frames.append(
            self.text_frame("title", box, blocks, r.size, [p.primary], anchor="b", lines=r.lines)
        )
        slide.frames.append(Shape("rule", Box(x, box.bottom + 10, 56, 3), p.accent))
        box = Box(x, box.bottom + 24, w, g.height * 0.78 - box.bottom - 24 - g.banner)
        blocks = [self.block(tuple(parse(s.lead)), space_after=0)]
        r = self.fitted((*where, "lead"), "section lead", blocks, box, self.t.type.subtitle)
        if not r.fits:
            self.note(
                (*where, "lead"),
                "lead does not fit the divider at the minimum size",
                Severity.WARNING,
            )
        slide.frames.append(
            self.text_frame("divider.lead", box, blocks, r.size, [p.muted], lines=r.lines)
        )
        self.tracker(slide, n, x, w)
        self.furniture(slide, left=x)

    def template_divider(self, slide: Slide, n: int, s: Section, where: Where) -> None:
        """A section divider on a template: title in its placeholder, lead and tracker below."""
        g, p, total = self.g, self.p, len(self.o.sections)
        self.heading(slide, where, f"Section {n} of {total}", s.title)
        title_box = self.placeholder_box("divider") or g.body
        top = (
            max(g.body_top, title_box.bottom + 16)
            if title_box.bottom < g.height * 0.6
            else g.body_top
        )
        bottom = title_box.y - 16 if title_box.y > top + 60 else g.footer_top - 60
        box = Box(g.margin, top, g.width - 2 * g.margin, max(40.0, bottom - top))
        blocks = [self.block(tuple(parse(s.lead)), space_after=0)]
        r = self.fitted((*where, "lead"), "section lead", blocks, box, self.t.type.subtitle)
        if not r.fits:
            self.note((*where, "lead"), "lead does not fit the divider", Severity.WARNING)
        slide.frames.append(
            self.text_frame("divider.lead", box, blocks, r.size, [p.muted], lines=r.lines)
        )
        self.tracker(slide, n, g.margin, g.width - 2 * g.margin)
        self.furniture(slide)

    def tracker(self, slide: Slide, current: int, x: float, w: float) -> None:
        """A row of numbered squares, the current section highlighted: where we are in the deck.

        Long decks show a window of at most ``TRACKER_WINDOW`` sections around the current one,
        so every divider costs the same however many sections there are (linear decks).
        """
        g, p, total = self.g, self.p, len(self.o.sections)
        first = max(1, min(current - TRACKER_WINDOW // 2, total - TRACKER_WINDOW + 1))
        last = min(total, first + TRACKER_WINDOW - 1)
        shown = last - first + 1
        step_gap = 6.0
        size = min(26.0, (w - (shown - 1) * step_gap) / shown)
        y = g.footer_top - 16 - size
        for k, i in enumerate(range(first, last + 1)):
            box = Box(round(x + k * (size + step_gap), 2), y, round(size, 2), round(size, 2))
            fill = p.accent if i == current else (p.secondary if i < current else p.surface)
            slide.frames.append(Shape(f"tracker.{i}", box, fill))
            if size >= 14:
                color = p.on_primary if i <= current else p.muted
                slide.frames.append(
                    self.simple(
                        f"tracker.{i}.label",
                        box,
                        str(i),
                        min(10.0, size * 0.42),
                        color,
                        bold=True,
                        align="ctr",
                        anchor="ctr",
                    )
                )

    def key_point_slides(self, n: int, s: Section, where: Where) -> None:
        g, p = self.g, self.p
        notes = "\n\n".join(f"{plain(kp.headline)}: {plain(kp.detail)}" for kp in s.key_points)
        kicker = f"Section {n} \u00b7 Key points"
        cards = self.card_layout(s.key_points, where)
        if cards is None:
            blocks = [
                self.block(
                    (
                        *parse(kp.headline, bold=True),
                        Run(" \u2014 "),
                        *first_sentence(parse(kp.detail)),
                    ),
                    space_after=0.5,
                    indent=18,
                )
                for kp in s.key_points
            ]
            self.flow(
                "key_points",
                s.title,
                (*where, "key_points"),
                kicker,
                s.title,
                notes,
                blocks,
                g.body,
                self.t.type.body,
                bullets=True,
            )
            return
        cols, rows, size, card_blocks = cards
        slide = self.new_slide("key_points", s.title, s.title, notes)
        self.heading(slide, where, kicker, s.title)
        cw = (g.body.w - (cols - 1) * g.gap) / cols
        ch = (g.body_height - (rows - 1) * g.gap) / rows
        for k, blocks in enumerate(card_blocks):
            cx = g.margin + (k % cols) * (cw + g.gap)
            cy = g.body_top + (k // cols) * (ch + g.gap)
            slide.frames.append(Shape(f"card.{k}", Box(cx, cy, cw, ch), p.surface))
            slide.frames.append(Shape(f"card.{k}.bar", Box(cx, cy, cw, 4), p.accent))
            slide.frames.append(
                self.text_frame(
                    f"card.{k}.text",
                    Box(cx, cy + 4, cw, ch - 4),
                    blocks,
                    size,
                    [p.primary, p.text],
                    inset=INSET + 4,
                )
            )
        self.furniture(slide)

    def card_layout(
        self, points: Sequence[KeyPoint], where: Where
    ) -> tuple[int, int, float, list[list[Block]]] | None:
        """Cards when there are at most six points and every card fits; else None (a list)."""
        n = len(points)
        if n > 6:
            return None
        g = self.g
        cols = 1 if n == 1 else (2 if n in (2, 4) else 3)
        rows = math.ceil(n / cols)
        cw = (g.body.w - (cols - 1) * g.gap) / cols
        ch = (g.body_height - (rows - 1) * g.gap) / rows - 4
        rng = self.t.type.card_body
        head_scale = self.t.type.card_head.max / rng.max
        inner_w, inner_h = cw - 2 * (INSET + 4), ch - 2 * (INSET + 4)
        all_blocks = [
            [
                self.block(tuple(parse(kp.headline, bold=True)), scale=head_scale, space_after=0.5),
                self.block(first_sentence(parse(kp.detail)), space_after=0),
            ]
            for kp in points
        ]
        fits = [fit(b, inner_w, inner_h, rng.max, rng.min, self.fonts) for b in all_blocks]
        if not all(f.fits for f in fits):
            return None
        size = min(f.size for f in fits)
        if size < rng.max:
            self.note(
                (*where, "key_points"),
                f"key-point cards set at {size:g} pt (theme maximum {rng.max:g} pt)",
            )
        return cols, rows, size, all_blocks

    def metric_slides(self, n: int, s: Section, where: Where) -> None:
        if not s.metrics:
            return
        g, p = self.g, self.p
        chart = chart_for(s, self.t, font_size=12.0)
        notes = "\n".join(
            f"{m.label}: {m.value}{' ' + m.unit if m.unit else ''} ({m.context})."
            f" Source: {m.source}."
            for m in s.metrics
        )
        body = g.body
        left = Box(body.x, body.y, body.w * 0.55, body.h)
        kicker = f"Section {n} \u00b7 Metrics"
        metrics = list(s.metrics)
        if chart and len(metrics) <= 6 and self.kpi_cards(metrics, left, 2)[1]:
            # Every card fits beside the chart: one slide.
            slide = self.new_slide("metrics", s.title, s.title, notes)
            self.heading(slide, where, kicker, s.title)
            self.kpi_grid(slide, metrics, left, 2, where, offset=0)
            cbox = Box(left.right + g.gap, body.y, body.w - left.w - g.gap, body.h)
            slide.frames.append(Shape("chart.bg", cbox, p.background))
            slide.frames.append(ChartFrame("chart", cbox, chart))
            self.furniture(slide)
            return
        # Otherwise the cards take the full width, on as few slides as fit them at the theme's
        # minimum size, shared out evenly (never one card left alone on a "(cont.)" slide), and
        # the chart has a slide of its own.
        chunks = [metrics[k : k + 1] for k in range(len(metrics))]
        for count in (8, 6, 5, 4, 3, 2):
            parts = _even_parts(metrics, math.ceil(len(metrics) / count))
            if all(self.kpi_cards(c, body, _card_cols(len(c)))[1] for c in parts):
                chunks = parts
                break
        if len(chunks) > 1:
            self.note(
                (*where, "metrics"), "metrics continue on a '(cont.)' slide", Severity.WARNING
            )
        offset = 0
        for part, chunk in enumerate(chunks):
            title = s.title if part == 0 else f"{s.title} (cont.)"
            slide = self.new_slide("metrics", title, s.title, notes)
            self.heading(slide, where, kicker, title)
            self.kpi_grid(slide, chunk, body, _card_cols(len(chunk)), where, offset=offset)
            self.furniture(slide)
            offset += len(chunk)
        if chart:
            slide = self.new_slide("metrics", s.title, s.title, notes)
            self.heading(slide, where, kicker, s.title)
            slide.frames.append(Shape("chart.bg", body, p.background))
            slide.frames.append(ChartFrame("chart", body, chart))
            self.furniture(slide)

    def kpi_cells(self, count: int, area: Box, cols: int) -> list[Box]:
        """Card boxes for ``count`` cards in ``cols`` columns (at least two rows' height each)."""
        g = self.g
        rows = max(math.ceil(count / cols), 2 if count > 1 else 1)
        cw = (area.w - (cols - 1) * g.gap) / cols
        ch = min((area.h - (rows - 1) * g.gap) / rows, 200.0)
        return [
            Box(area.x + (k % cols) * (cw + g.gap), area.y + (k // cols) * (ch + g.gap), cw, ch)
            for k in range(count)
        ]

    def kpi_cards(
        self, metrics: Sequence[Metric], area: Box, cols: int
    ) -> tuple[float, bool, list[list[Block]]]:
        """Common text size of a set of KPI cards, whether all fit, and each card's blocks."""
        rng = self.t.type.card_body
        all_blocks = []
        for m in metrics:
            value = [Run(m.value, bold=True)]
            if m.trend:
                value.append(Run(f" {TREND[m.trend]}"))
            all_blocks.append(
                [
                    self.block(tuple(value), scale=2.2, leading=1.1, space_after=0.05),
                    self.block(
                        (Run(m.unit),) if m.unit else (Run("\u00a0"),), scale=0.9, space_after=0.35
                    ),
                    self.block((Run(m.label, bold=True),), space_after=0.25),
                    self.block(tuple(parse(m.context)), scale=0.85, space_after=0),
                ]
            )
        cells = self.kpi_cells(len(metrics), area, cols)
        fits = [
            fit(b, c.w - 8 - 2 * INSET, c.h - 2 * INSET, rng.max, rng.min, self.fonts)
            for b, c in zip(all_blocks, cells, strict=True)
        ]
        return min(f.size for f in fits), all(f.fits for f in fits), all_blocks

    def kpi_grid(
        self,
        slide: Slide,
        metrics: Sequence[Metric],
        area: Box,
        cols: int,
        where: Where,
        offset: int,
    ) -> None:
        """KPI cards: status stripe, value with unit and trend, label, context."""
        p = self.p
        size, fits, all_blocks = self.kpi_cards(metrics, area, cols)
        if not fits:
            self.note(
                (*where, "metrics", offset),
                "metric card text does not fit at the minimum size",
                Severity.WARNING,
            )
        for k, (m, blocks, cell) in enumerate(
            zip(metrics, all_blocks, self.kpi_cells(len(metrics), area, cols), strict=True)
        ):
            status = p.status.model_dump()[m.status] if m.status else p.secondary
            slide.frames.append(Shape(f"kpi.{k}", cell, p.surface))
            slide.frames.append(Shape(f"kpi.{k}.status", Box(cell.x, cell.y, 6, cell.h), status))
            slide.frames.append(
                self.text_frame(
                    f"kpi.{k}.text",
                    Box(cell.x + 8, cell.y, cell.w - 8, cell.h),
                    blocks,
                    size,
                    [p.primary, p.muted, p.text, p.muted],
                    inset=INSET,
                )
            )
        if size < self.t.type.card_body.max:
            self.note(
                (*where, "metrics"),
                f"metric cards set at {size:g} pt (theme maximum {self.t.type.card_body.max:g} pt)",
            )

    def ahead_slides(
        self, kind: str, section: str, where: Where, kicker: str, title: str, text: str
    ) -> None:
        g, p = self.g, self.p
        label_h, pad = 22.0, 22.0
        full = g.body
        text_box = Box(
            full.x + 30, full.y + pad + label_h + 6, full.w - 60, full.h - 2 * pad - label_h - 6
        )
        blocks = [self.block(tuple(parse(par)), space_after=0.5) for par in paragraphs(text)]
        rng = SizeRange(max=self.t.type.title.max - 2, min=self.t.type.body.min)
        first = fit(blocks, text_box.w, text_box.h, rng.max, rng.min, self.fonts)
        # A short forecast gets a panel its own size rather than a half-empty one.
        used = first.height if first.fits else text_box.h
        panel_h = max(full.h * 0.5, min(full.h, used + 2 * pad + label_h + 6))
        box = Box(full.x, full.y, full.w, panel_h)
        text_box = Box(text_box.x, text_box.y, text_box.w, panel_h - 2 * pad - label_h - 6)

        def panel(slide: Slide, part: int) -> None:
            slide.frames.append(Shape("ahead.panel", box, p.ahead))
            slide.frames.append(Shape("ahead.rule", Box(box.x, box.y, 6, box.h), p.ahead_rule))
            label = "LOOKING AHEAD" if part == 0 else "LOOKING AHEAD (CONT.)"
            slide.frames.append(
                self.simple(
                    "ahead.label",
                    Box(box.x + 30, box.y + pad, box.w - 60, label_h),
                    label,
                    13,
                    p.ahead_rule,
                    bold=True,
                )
            )

        self.flow(
            kind,
            section,
            where,
            kicker,
            title,
            text,
            blocks,
            text_box,
            rng,
            color=p.text,
            decorate=panel,
        )

    def conclusion_slides(self) -> None:
        o, g, p = self.o, self.g, self.p
        body = g.body
        left = Box(body.x, body.y, body.w * 0.56, body.h)
        right = Box(left.right + g.gap * 1.5, body.y, body.w - left.w - g.gap * 1.5, body.h)
        blocks = [
            self.block(tuple(parse(par)), space_after=0.6) for par in paragraphs(o.conclusion.text)
        ]
        ahead = o.conclusion.looking_ahead
        ahead_blocks = [self.block(tuple(parse(par)), space_after=0.5) for par in paragraphs(ahead)]
        inner = Box(right.x + 24, right.y + 50, right.w - 44, right.h - 70)
        where = ("conclusion", "looking_ahead")
        r_ahead = fit(
            ahead_blocks, inner.w, inner.h, self.t.type.body.max, self.t.type.body.min, self.fonts
        )
        notes = f"{o.conclusion.text}\n\nLooking ahead: {ahead}"
        beside = r_ahead.fits
        if not beside:
            # Too long to sit beside the conclusion: the forecast gets slides of its own.
            self.note(where, "conclusion looking-ahead moved to its own slide", Severity.WARNING)
        elif r_ahead.size < self.t.type.body.max:
            self.note(
                where,
                f"conclusion looking ahead: text set at {r_ahead.size:g} pt "
                f"(theme maximum {self.t.type.body.max:g} pt)",
            )

        def panel(slide: Slide, part: int) -> None:
            if part or not beside:
                return
            slide.frames.append(Shape("ahead.panel", right, p.ahead))
            slide.frames.append(
                Shape("ahead.rule", Box(right.x, right.y, 6, right.h), p.ahead_rule)
            )
            slide.frames.append(
                self.simple(
                    "ahead.label",
                    Box(right.x + 24, right.y + 18, right.w - 44, 22),
                    "LOOKING AHEAD",
                    12,
                    p.ahead_rule,
                    bold=True,
                )
            )
            slide.frames.append(
                self.text_frame(
                    "ahead.body", inner, ahead_blocks, r_ahead.size, [p.text], lines=r_ahead.lines
                )
            )

        self.flow(
            "conclusion",
            CLOSING,
            ("conclusion", "text"),
            "Closing",
            "Conclusion",
            notes,
            blocks,
            left if beside else body,
            self.t.type.body,
            decorate=panel,
        )
        if not beside:
            self.ahead_slides(
                "ahead", CLOSING, where, "Closing \u00b7 Looking ahead", "Conclusion", ahead
            )

    def sources_slides(self) -> None:
        o = self.o
        blocks = []
        for src in o.sources:
            runs = [Run(src.title, bold=True), Run(f" \u2014 {src.publisher}, {src.date}.")]
            if src.url:
                runs.append(Run(f" {src.url}"))
            blocks.append(self.block(tuple(runs), space_after=0.5, indent=18))
        blocks.append(
            self.block(
                (
                    Run(
                        "Each figure's own source is given with it in the speaker notes "
                        "and in the brief.",
                        italic=True,
                    ),
                ),
                space_after=0,
                indent=18,
            )
        )
        notes = "Sources:\n" + "\n".join(
            f"- {s.title}, {s.publisher}, {s.date}{' ' + s.url if s.url else ''}" for s in o.sources
        )
        self.flow(
            "sources",
            CLOSING,
            ("sources",),
            "Closing",
            "Sources",
            notes,
            blocks,
            self.g.body,
            self.t.type.body,
            bullets=True,
        )

    # ------------------------------------------------------------------------- plan

    def plan(self) -> DeckPlan:
        o = self.o
        self.diagnostics.extend(check_glyphs(o, self.t))
        self.title_slide()
        self.agenda_slide()
        self.summary_slides()
        for i, s in enumerate(o.sections):
            n, where = i + 1, ("sections", i)
            self.divider(n, s, where)
            self.key_point_slides(n, s, where)
            self.metric_slides(n, s, where)
            self.ahead_slides(
                "ahead",
                s.title,
                (*where, "looking_ahead"),
                f"Section {n} \u00b7 Looking ahead",
                s.title,
                s.looking_ahead,
            )
        self.conclusion_slides()
        self.sources_slides()
        self._number_slides()
        meta = DocMeta(
            title=o.meta.title,
            subject=o.meta.subtitle,
            author=o.meta.author,
            keywords=keywords([s.title for s in o.sections]),
            language=o.meta.language,
            created=self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        return DeckPlan(
            self.g.width, self.g.height, self.t.fonts.family, meta, self.slides, self.diagnostics
        )

    def _number_slides(self) -> None:
        for i, slide in enumerate(self.slides, 1):
            slide.frames = [
                replace(f, paras=(replace(f.paras[0], runs=(Run(str(i)),)),))
                if isinstance(f, TextFrame) and f.role == "slide_number"
                else f
                for f in slide.frames
            ]


def keywords(words: Sequence[str], limit: int = 255) -> str:
    """Comma-joined keywords, whole entries only, within ``limit`` characters (OOXML's cap)."""
    out = ""
    for word in words:
        candidate = f"{out}, {word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def plan_deck(
    outline: Outline,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
    template: TemplateInfo | None = None,
) -> DeckPlan:
    """Plan the whole deck for ``outline`` in ``theme``; ``created`` pins the document dates.

    ``images`` are the prepared pictures by key (see :func:`deckgen.images.outline_images`);
    the planner needs only their proportions.
    """
    return DeckPlanner(outline, theme, created, images, template).plan()


__all__ = ["Frame", "plan_deck"]

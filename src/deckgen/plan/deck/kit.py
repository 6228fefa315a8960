"""The planner's kit: an outline, a theme and the prepared pictures and template in, the shared
primitives every slide family uses out (measuring, text frames with readable colours, pictures,
titles, slide furniture, located remarks).

Nothing here decides what a slide says; the slide families do. Everything is in points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from deckgen.diagnostics import Diagnostic, Severity
from deckgen.direction import is_rtl
from deckgen.fonts import FontSet
from deckgen.model import Anchor, Box, Para, Picture, PreparedImage, Shape, Slide, TextFrame
from deckgen.outline import Outline
from deckgen.plan import colour
from deckgen.plan.changes import Changes
from deckgen.plan.content import as_of, words_of
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.sizes import Range, role_ranges
from deckgen.richtext import Run, merge, plain
from deckgen.template import (
    BODY_TYPES,
    TITLE_TYPES,
    Art,
    LayoutInfo,
    PlaceholderInfo,
    TemplateInfo,
)
from deckgen.textfit import Block, Fit, fit, measure, wrap
from deckgen.theme import Theme
from deckgen.yamlsafe import format_path

Where = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Geometry:
    """The slide's fixed regions, derived from the theme (and template) once."""

    width: float
    height: float
    margin: float
    gap: float
    banner: float
    kicker_top: float
    title_top: float
    title_height: float
    body_top: float
    body_bottom: float
    footer_top: float
    left: float  # the body's left edge (a template's body area may not be centred)
    right: float  # its right edge

    @property
    def body(self) -> Box:
        return Box(self.left, self.body_top, round(self.right - self.left, 2), self.body_height)

    @property
    def body_height(self) -> float:
        return self.body_bottom - self.body_top

    @property
    def title_box(self) -> Box:
        return Box(self.margin, self.title_top, self.width - 2 * self.margin, self.title_height)

    def columns(self, share: float = L.LEFT_SHARE) -> tuple[Box, Box]:
        """The body split into a left column of ``share`` and a right one, a gap apart."""
        b = self.body
        left_w = round((b.w - L.COLUMN_GAP) * share, 2)
        left = Box(b.x, b.y, left_w, b.h)
        right = Box(
            round(b.x + left_w + L.COLUMN_GAP, 2), b.y, round(b.w - left_w - L.COLUMN_GAP, 2), b.h
        )
        return left, right


# The theme's size range behind each deck-wide role (``deckgen.plan.deck.sizes.role_ranges``).
THEME_SIZE = {"card": "card_body", "lead": "subtitle", "aside": "small"}


class Kit:
    """Shared state and primitives of one deck plan; one instance per plan."""

    def __init__(
        self,
        outline: Outline,
        theme: Theme,
        images: Mapping[str, PreparedImage] | None,
        template: TemplateInfo | None,
        mode: str,
        changes: Changes | None = None,
    ) -> None:
        self.o = outline
        self.changes = changes
        self.words = words_of(outline)  # the fixed words of the outline's language
        self.t = theme
        self.p = theme.palette
        self.mode = mode
        self.images = dict(images or {})
        self.template = template
        self.spec = theme.template if template is not None else None
        self.fonts = FontSet.of(theme.faces())
        self.heading_fonts = self.fonts.for_heading()
        self.ranges: dict[str, Range] = role_ranges(theme)
        self.diagnostics: list[Diagnostic] = []
        self._adjusted: set[tuple[str, str]] = set()
        self.footer = f"{plain(outline.meta.title)}  \u00b7  {as_of(outline)}"
        self.crowded = False  # the template leaves no body area clear of its artwork
        self.g = self._geometry()
        if self.crowded:
            self.note(
                (),
                "the template's content layout has no area clear of its artwork; the body "
                "uses the whole slide, text made readable on what is under each frame",
                Severity.WARNING,
            )
        body = self.g.body_bottom - self.g.body_top
        if self.template is not None and not self.crowded and body < L.SHORT_BODY * self.g.height:
            self.note(
                (),
                f"the template's content layout leaves a body {body:.0f} pt high "
                f"({body / self.g.height:.0%} of the slide) clear of its artwork: sections "
                "will run over many '(cont.)' slides; a layout with a larger body area suits "
                "a briefing deck",
                Severity.WARNING,
            )
        for said in theme.origin:
            self.note((), said)

    def _geometry(self) -> Geometry:
        t, o = self.t, self.o
        banner = t.slide.banner if o.meta.classification else 0.0
        width, height = t.slide.width, t.slide.height
        if self.template is not None:
            width, height = self.template.width, self.template.height
        kicker_top = banner + L.KICKER_GAP
        title_top = kicker_top + L.KICKER_HEIGHT + 2
        title_height = round(L.TITLE_LINES * self.ranges["title"].max * L.TITLE_LEADING, 2)
        body_top = title_top + title_height + L.RULE_GAP + L.RULE_HEIGHT + L.BODY_GAP
        footer_top = height - banner - L.FOOTER_GAP - L.FOOTER_HEIGHT
        left, right = t.slide.margin, width - t.slide.margin
        body_bottom = footer_top - L.BODY_FOOTER_GAP
        layout = self.layout_info("content")
        title = self.placeholder("content")
        if layout is not None and title is not None and title.box is not None:
            tb = self.title_place(title.box, banner)
            kicker_top = max(banner + 2, tb.y - L.KICKER_HEIGHT - 4)
            title_top, title_height = tb.y, tb.h
            kicker_at = self.kicker_top(tb, layout)
            below = kicker_at + L.KICKER_HEIGHT + 2 if kicker_at > tb.y else tb.bottom
            body_top = below + L.BODY_GAP
            feet = [
                above_banner(ph.box, height, banner).y
                for ph in layout.placeholders
                if ph.type in FOOT_TYPES and ph.box is not None and ph.box.y > height / 2
            ]
            if feet:
                footer_top = min(footer_top, min(feet))
            body_bottom = footer_top - L.BODY_FOOTER_GAP
            body = layout.of_type(*BODY_TYPES)
            if body is not None and body.box is not None:
                b = body.box
                body_top = max(body_top, b.y)
                body_bottom = min(body_bottom, b.bottom)
                left, right = max(b.x, 12.0), min(b.right, width - 12.0)
            # Keep off the master's artwork (``clear_of``). Even a body placeholder may lie
            # across a band (LibreOffice's templates), where no one text colour reads on both.
            area = clear_of(layout.art, (body_top, body_bottom, left, right), t.slide.gap)
            if area[1] - area[0] < L.SHORT_BODY * height:
                # A short body placeholder in a corner of a free slide (LibreOffice's
                # Midnightblue: 124 pt beside a centred title) holds no metric card: the body
                # takes the free area under the title instead, margin to margin and down to
                # the footer, kept off the artwork the same way, when that is much larger.
                free = (below + L.BODY_GAP, footer_top - L.BODY_FOOTER_GAP)
                edges = (t.slide.margin, width - t.slide.margin)
                wider = clear_of(layout.art, (*free, *edges), t.slide.gap)
                if size(wider) >= L.FREE_GAIN * size(area):
                    area = wider
            body_top, body_bottom, left, right = area
            if body_bottom - body_top < height * 0.25 or right - left < width * 0.4:
                # No room clear of the artwork: use the slide (and say so once).
                self.crowded = True
                body_top, body_bottom = below + L.BODY_GAP, footer_top - L.BODY_FOOTER_GAP
                left, right = t.slide.margin, width - t.slide.margin
        return Geometry(
            width=width,
            height=height,
            margin=t.slide.margin,
            gap=t.slide.gap,
            banner=banner,
            kicker_top=round(kicker_top, 2),
            title_top=round(title_top, 2),
            title_height=title_height,
            body_top=round(body_top, 2),
            body_bottom=round(body_bottom, 2),
            footer_top=round(footer_top, 2),
            left=round(left, 2),
            right=round(right, 2),
        )

    # ----------------------------------------------------------------- templates

    def layout_info(self, kind: str) -> LayoutInfo | None:
        """The template layout a slide kind uses (None without a template)."""
        if self.template is None or self.spec is None:
            return None
        return self.template.layout(self.spec.layout_for(kind))

    def placeholder(self, kind: str, role: str = "title") -> PlaceholderInfo | None:
        """The layout's title (or subtitle) placeholder for a slide kind.

        The theme's index first, when the placeholder there is of the right type; else the
        first of the right type (a template saved by LibreOffice numbers its title and
        subtitle alike).
        """
        layout = self.layout_info(kind)
        if layout is None or self.spec is None:
            return None
        types = TITLE_TYPES if role == "title" else ("SUBTITLE", "BODY")
        idx = self.spec.title_idx if role == "title" else self.spec.subtitle_idx
        ph = layout.placeholder(idx) if idx is not None else None
        if ph is not None and ph.type in types and ph.box is not None:
            return ph
        if role != "title":
            return layout.of_type("SUBTITLE")
        return layout.of_type(*types)

    def title_area(self, kind: str, text: str) -> tuple[Box, float] | None:
        """A template title's box and the largest size ``text`` fits it at (0: nowhere).

        The layout's title placeholder first; a title that does not fit it in two lines at the
        theme's smallest title size gets the body's width (the plan moves the placeholder),
        then sizes down to ``TEMPLATE_TITLE_FLOOR`` (small placeholders of some templates).
        """
        ph = self.placeholder(kind)
        if ph is None or ph.box is None:
            return None
        box = self.title_place(ph.box, self.g.banner)
        size = self.title_fits(text, box)
        if size:
            return box, size
        g = self.g
        x0, x1 = min(box.x, g.left), max(box.right, g.right)
        wide = Box(round(x0, 2), box.y, round(x1 - x0, 2), box.h)
        size = self.title_fits(text, wide)
        if not size:
            t = self.ranges["title"]
            floor = min(t.min, L.TEMPLATE_TITLE_FLOOR)
            size = self.title_fits(text, wide, Range(t.min, floor))
        return wide, size

    def title_place(self, box: Box, banner: float) -> Box:
        """A template title placeholder's box as the deck uses it: never under the
        classification banner, and at least two lines of the theme's smallest title high
        (Piano's title placeholder holds one line under the banner; the body moves down)."""
        top = banner + 2 if banner else 0.0
        if box.y < top < box.bottom:
            box = Box(box.x, top, box.w, round(box.bottom - top, 2))
        need = round(L.TITLE_LINES * self.ranges["title"].min * L.TITLE_LEADING, 2)
        if box.h < need:
            box = Box(box.x, box.y, box.w, need)
        return box

    def placeholder_box(self, kind: str, role: str = "title") -> Box | None:
        """The mapped template placeholder's box for a slide kind (None without a template)."""
        ph = self.placeholder(kind, role)
        return ph.box if ph else None

    def layout_name(self, kind: str) -> str | None:
        return self.spec.layout_for(kind) if self.spec else None

    def kicker_top(self, title: Box, layout: LayoutInfo | None) -> float:
        """Where a kicker goes on a template: just above the title placeholder when there is
        room, else under it, clear of the master's bands and rules there (a kicker is never
        drawn across the edge of a band)."""
        banner = self.t.slide.banner if self.o.meta.classification else 0.0
        above = title.y - L.KICKER_HEIGHT - 4
        if above >= banner + 2:
            return above
        y = title.bottom + 4
        area = self.template.width * self.template.height if self.template else 0.0
        arts = [
            a.box
            for a in (layout.art if layout else ())
            if a.box.w * a.box.h < area / 2 and (a.image is not None or a.opacity >= 0.5)
        ]
        for _ in range(len(arts) + 1):
            moved = False
            for a in arts:
                crosses = a.y < y + L.KICKER_HEIGHT and a.bottom > y
                inside = a.y <= y and a.bottom >= y + L.KICKER_HEIGHT
                if crosses and not inside and a.x < title.right and a.right > title.x:
                    y, moved = a.bottom + 4, True
            if not moved:
                break
        return y

    def on_picture(self, slide: Slide, box: Box) -> bool:
        """Whether ``box`` lies over one of the template's pictures (not a whole-slide
        background picture)."""
        g = self.g
        for art in slide.backdrop:
            a = art.box
            if not isinstance(art, Picture) or a.w * a.h >= 0.6 * g.width * g.height:
                continue
            if a.x < box.right and box.x < a.right and a.y < box.bottom and box.y < a.bottom:
                return True
        return False

    def under(self, slide: Slide, box: Box) -> str:
        """The colour behind the middle of ``box``: the topmost template shape there, or the
        slide's background."""
        return self._ground(slide, box) or self._base(slide)

    def _ground(self, slide: Slide, box: Box) -> str | None:
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        for art in reversed(slide.backdrop[1:]):
            a = art.box
            if isinstance(art, Shape) and a.x <= cx <= a.right and a.y <= cy <= a.bottom:
                return art.fill
        return None

    def _base(self, slide: Slide) -> str:
        if slide.backdrop and isinstance(slide.backdrop[0], Shape):
            return slide.backdrop[0].fill
        return slide.background or self.p.background

    def backdrop(self, slide: Slide) -> None:
        """What the slide's layout and master draw, for previews (and for :meth:`under`)."""
        layout = self.template.layout(slide.layout) if self.template and slide.layout else None
        if layout is None:
            return
        g = self.g
        ground = layout.background or self.p.background
        slide.backdrop.append(
            Shape("template.background", Box(0, 0, g.width, g.height), ground, decorative=True)
        )
        for art in layout.art:
            b = Box(
                round(art.box.x, 2), round(art.box.y, 2), round(art.box.w, 2), round(art.box.h, 2)
            )
            if art.image is not None:
                if art.key in self.images:
                    slide.backdrop.append(Picture("template.picture", b, art.key, ""))
            elif art.fill is not None:
                fill = art.fill
                if art.opacity < 1:  # drawn as the colour it shows over what is under it
                    under = self._ground(slide, b) or self._base(slide)
                    fill = colour.mix(under, art.fill, art.opacity)
                slide.backdrop.append(
                    Shape(
                        "template.shape",
                        b,
                        fill,
                        "ellipse" if art.ellipse else "rect",
                        decorative=True,
                    )
                )

    # ----------------------------------------------------------------- remarks

    def note(self, where: Where, message: str, severity: Severity = Severity.NOTICE) -> None:
        line, col = self.o.where(*where)
        self.diagnostics.append(
            Diagnostic(self.o.file, line, col, format_path(where), message, severity)
        )

    def overflow(self, where: Where, message: str, roles: Sequence[str] = ()) -> None:
        """Text that fits nowhere in its role's size range: an error, never a cut or an overflow.

        Within the outline's limits this happens only with a theme whose smallest sizes are too
        large for the slide; the build fails, naming the text and the theme's sizes to lower,
        and keeps the last good deck.
        """
        t = self.t.type
        mins = []
        for role in dict.fromkeys(roles):
            key = THEME_SIZE.get(role, role)
            if hasattr(t, key):
                # The size the planner could not go below (a role's floor may be above the theme's).
                low = self.ranges[role].min if role in self.ranges else getattr(t, key).min
                mins.append(f"type.{key}.min ({low:g} pt)")
        what = " or ".join(mins) if mins else "the theme's smallest sizes"
        self.note(where, f"{message}; shorten it, or lower {what}", Severity.ERROR)

    # ----------------------------------------------------------------- measuring

    def block(self, runs: Sequence[Run], **kw: Any) -> Block:
        """A paragraph to fit, at the theme's line pitch unless ``leading`` is given."""
        kw.setdefault("leading", self.t.slide.leading)
        return Block(tuple(runs), **kw)

    def height(self, blocks: list[Block], width: float, size: float) -> float:
        return measure(blocks, width, size, self.fonts)[0] if blocks else 0.0

    def fit(self, blocks: list[Block], box: Box, rng: Range, inset: float = 0.0) -> Fit:
        return fit(blocks, box.w - 2 * inset, box.h - 2 * inset, rng.max, rng.min, self.fonts)

    # ----------------------------------------------------------------- colour

    def ink(self, color: str, on: str, size: float, bold: bool = False) -> str:
        """``color`` for text of ``size`` on ``on``, made readable (WCAG AA) if it is not.

        A theme colour that had to change is reported once per pair, as a notice.
        """
        need = colour.needed(size, bold)
        out = colour.readable(color, on, need)
        if out != color.upper() and (color, on) not in self._adjusted:
            self._adjusted.add((color, on))
            self.note(
                (),
                f"theme colour {color} on {on} has contrast "
                f"{colour.ratio(color, on):.2f}:1 (WCAG AA asks {need:g}:1); "
                f"text drawn in {out} instead",
            )
        return out

    def on(self, fill: str) -> str:
        """The theme's text colour that reads best on ``fill`` (for numbers on coloured tiles)."""
        candidates = (self.p.on_primary, self.p.primary, self.p.text)
        return max(candidates, key=lambda c: colour.ratio(c, fill))

    # ----------------------------------------------------------------- frames

    def para(
        self,
        runs: Sequence[Run],
        size: float,
        color: str,
        width: float,
        *,
        align: str = "l",
        space_after: float = 0.0,
        bullet: str | None = None,
        indent: float = 0.0,
        leading: float | None = None,
        lines: tuple[tuple[Run, ...], ...] | None = None,
        hard: bool = False,
    ) -> Para:
        """A paragraph set at ``size`` in a frame ``width`` points wide, its lines broken here."""
        leading = self.t.slide.leading if leading is None else leading
        # A right-to-left paragraph starts at the right: left-aligned becomes right-aligned.
        rtl = is_rtl("".join(r.text for r in runs))
        if rtl and align == "l":
            align = "r"
        if lines is None:
            broken = wrap(tuple(runs), width - indent, size, self.fonts) if runs else [[]]
            lines = tuple(tuple(merge(line)) for line in broken)
        return Para(
            runs=tuple(runs),
            size=size,
            color=color,
            line_pitch=round(size * leading, 2),
            space_after=round(space_after, 2),
            align=align,  # type: ignore[arg-type]
            bullet=bullet,
            indent=indent,
            lines=lines,
            hard=hard,
            rtl=rtl,
        )

    def text_frame(
        self,
        role: str,
        box: Box,
        blocks: Sequence[Block],
        base: float,
        colors: Sequence[str],
        on: str,
        *,
        aligns: Sequence[str] | None = None,
        bullets: Sequence[str | None] | None = None,
        anchor: Anchor = "t",
        inset: float = 0.0,
        fill: str | None = None,
    ) -> TextFrame:
        """A text frame of ``blocks`` at base size ``base``, each paragraph readable on ``on``."""
        paras = []
        width = box.w - 2 * inset
        for i, b in enumerate(blocks):
            size = round(base * b.scale, 2)
            bold = bool(b.runs) and all(r.bold for r in b.runs if r.text.strip())
            color = self.ink(colors[i % len(colors)], fill or on, size, bold)
            paras.append(
                self.para(
                    b.runs,
                    size,
                    color,
                    width,
                    align=(aligns[i] if aligns else "l"),
                    space_after=size * b.space_after if i < len(blocks) - 1 else 0.0,
                    bullet=bullets[i] if bullets else None,
                    indent=b.indent,
                    leading=b.leading,
                )
            )
        lines = sum(len(p.lines) for p in paras)
        return TextFrame(role, box, tuple(paras), anchor, inset, fill, lines)

    def simple(
        self,
        role: str,
        box: Box,
        text: str,
        size: float,
        color: str,
        on: str,
        *,
        bold: bool = False,
        align: str = "l",
        anchor: Anchor = "t",
    ) -> TextFrame:
        """A one-paragraph frame (footers, kickers, labels) at ``size``, shrunk if it must be."""
        blocks = [self.block((Run(text, bold=bold),), space_after=0)]
        result = fit(blocks, box.w, box.h, size, max(6.0, round(size * 0.6 * 2) / 2), self.fonts)
        if not result.fits:
            self.overflow((), f"{role} text {text[:40]!r} does not fit its box at {size:g} pt")
        color = self.ink(color, on, result.size, bold)
        para = self.para([Run(text, bold=bold)], result.size, color, box.w, align=align)
        return TextFrame(role, box, (para,), anchor, lines=len(para.lines))

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

    # ------------------------------------------------------------------ titles

    def title_fits(self, text: str, box: Box, rng: Range | None = None) -> float:
        """The largest title size (in the title range) at which ``text`` fits ``box``."""
        blocks = [self.block((Run(text, bold=True),), leading=L.TITLE_LEADING, space_after=0)]
        r = rng or self.ranges["title"]
        result = fit(blocks, box.w, box.h, r.max, r.min, self.heading_fonts)
        return result.size if result.fits else 0.0

    def balanced(
        self, runs: tuple[Run, ...], width: float, size: float
    ) -> tuple[tuple[Run, ...], ...]:
        """``runs`` broken into as many lines as at ``width``, but as evenly as possible.

        The narrowest width that needs no more lines is found by bisection; breaking there
        never leaves a lone word on the last line when a better break exists.
        """
        fonts = self.heading_fonts
        lines = wrap(runs, width, size, fonts)
        if len(lines) >= 2:
            lo, hi = width / len(lines), width
            for _ in range(14):
                mid = (lo + hi) / 2
                if len(wrap(runs, mid, size, fonts)) <= len(lines):
                    hi = mid
                else:
                    lo = mid
            lines = wrap(runs, hi, size, fonts)
        return tuple(tuple(merge(line)) for line in lines)

    def title_frame(self, box: Box, text: str, size: float, color: str, on: str) -> TextFrame:
        """A slide title at ``size``, its lines balanced and written as explicit breaks."""
        runs = (Run(text, bold=True),)
        lines = self.balanced(runs, box.w, size)
        color = self.ink(color, on, size, True)
        para = self.para(
            runs, size, color, box.w, leading=L.TITLE_LEADING, lines=lines, hard=len(lines) > 1
        )
        return TextFrame("title", box, (para,), "t", 0.0, None, len(lines), heading=True)

    # ------------------------------------------------------------ slide furniture

    def new_slide(self, kind: str, title: str, section: str, notes: str, dark: bool) -> Slide:
        slide = Slide(kind=kind, title=title, section=section, notes=notes.strip())
        slide.layout = self.layout_name(kind)
        if dark and self.template is None:
            slide.background = self.p.primary
        self.backdrop(slide)
        return slide

    def background(self, slide: Slide) -> str:
        """What the body's text is read on: on a template, the ground of the body area."""
        if slide.backdrop:
            return self._ground(slide, self.g.body) or self._base(slide)
        return slide.background or self.p.background

    def heading(self, slide: Slide, where: Where, kicker: str, title: str, size: float) -> None:
        """Kicker, title and accent rule at the top of a content slide.

        The title sits on the rule (a one-line title lower than a two-line one) and the
        kicker just above its first line; the rule and the body start at the same place on
        every slide. With a template the title goes into the layout's title placeholder (the
        template styles it) and the kicker keeps to the space above it.
        """
        g, on = self.g, self.background(slide)
        if size <= 0:  # fits nowhere in the range: report it, never cut it
            self.overflow(where, "slide title does not fit in two lines", ["title"])
            size = self.ranges["title"].min
        ph = self.placeholder(slide.kind)
        area = self.title_area(slide.kind, title)
        box = area[0] if area is not None else None
        if box is not None:
            assert self.template is not None
            color = self.template.title_color or self.p.primary
            frame = self.title_frame(box, title, size, color, self.under(slide, box))
            kicker_top = self.kicker_top(box, self.layout_info(slide.kind))
        else:
            frame = self.title_frame(g.title_box, title, size, self.p.primary, on)
            used = max(1, frame.lines) * frame.paras[0].line_pitch
            kicker_top = g.title_box.bottom - used - L.KICKER_HEIGHT - 2
        if kicker:
            x = box.x if box is not None else g.margin
            w = box.w if box is not None else g.width - 2 * g.margin
            kicker_box = Box(x, round(kicker_top, 2), w, L.KICKER_HEIGHT)
            slide.frames.append(
                self.simple(
                    "kicker",
                    kicker_box,
                    kicker.upper(),
                    L.KICKER_SIZE,
                    self.p.secondary,
                    self.under(slide, kicker_box),
                    bold=True,
                )
            )
        if ph is not None and box is not None:
            slide.frames.append(replace(frame, anchor="b", placeholder=key(ph)))
            return
        slide.frames.append(replace(frame, anchor="b"))
        rule_y = round(g.title_box.bottom + L.RULE_GAP, 2)
        slide.frames.append(
            Shape(
                "rule",
                Box(g.margin, rule_y, L.RULE_WIDTH, L.RULE_HEIGHT),
                self.p.accent,
                decorative=True,
            )
        )

    def furniture(
        self, slide: Slide, number: int, *, dark: bool = False, left: float | None = None
    ) -> None:
        """Banners, footer and slide number; added last so they sit on top."""
        g = self.g
        cls = self.o.meta.classification
        if cls:
            for role, y in (("banner.top", 0.0), ("banner.bottom", g.height - g.banner)):
                box = Box(0, y, g.width, g.banner)
                slide.frames.append(Shape(role, box, self.p.banner, decorative=True))
                slide.frames.append(
                    self.simple(
                        f"{role}.text",
                        box,
                        cls,
                        L.FURNITURE_SIZE,
                        self.p.on_banner,
                        self.p.banner,
                        bold=True,
                        align="ctr",
                        anchor="ctr",
                    )
                )
        on = self.background(slide)
        color = self.p.on_primary if dark and slide.background else self.p.muted
        layout = self.template.layout(slide.layout) if self.template and slide.layout else None
        if layout is not None:
            self.template_furniture(slide, layout, number, color)
            return
        x = g.margin if left is None else left
        foot = Box(x, g.footer_top, g.width - x - g.margin - L.NUMBER_WIDTH - 10, L.FOOTER_HEIGHT)
        slide.frames.append(
            self.simple("footer", foot, self.footer, L.FURNITURE_SIZE, color, on, anchor="ctr")
        )
        num = Box(
            g.width - g.margin - L.NUMBER_WIDTH, g.footer_top, L.NUMBER_WIDTH, L.FOOTER_HEIGHT
        )
        slide.frames.append(
            self.simple(
                "slide_number",
                num,
                str(number),
                L.FURNITURE_SIZE,
                color,
                on,
                align="r",
                anchor="ctr",
            )
        )

    def template_furniture(self, slide: Slide, layout: LayoutInfo, number: int, color: str) -> None:
        """Footer, date and slide number in the layout's own placeholders where it has them;
        elsewhere in boxes of deckgen's that keep clear of the master's artwork (its logo)."""
        g = self.g
        title, date = plain(self.o.meta.title), as_of(self.o)
        dated = layout.of_type("DATE")
        numbers = layout.of_type("SLIDE_NUMBER")
        parts: list[tuple[str, str, PlaceholderInfo | None, str]] = [
            ("footer", title if dated else self.footer, layout.of_type("FOOTER"), "l"),
        ]
        if numbers is not None or not layout.numbered:  # else the master numbers the slide
            parts.append(("slide_number", str(number), numbers, "r"))
        if dated:
            parts.append(("date", date, dated, "l"))
        # deckgen's own boxes: the footer band, less any artwork in it
        x0, x1 = g.margin, g.width - g.margin
        band = Box(0, g.footer_top, g.width, L.FOOTER_HEIGHT)
        for art in slide.backdrop[1:]:
            a = art.box
            if a.bottom <= band.y or a.y >= band.bottom or a.w > g.width * 0.5:
                continue
            if a.x + a.w / 2 < g.width / 2:
                x0 = max(x0, a.right + 8)
            else:
                x1 = min(x1, a.x - 8)
        for role, text, ph, align in parts:
            if ph is not None and ph.box is not None:
                box = ph.box
                box = above_banner(box, g.height, g.banner)
            elif role == "slide_number":
                box = Box(x1 - L.NUMBER_WIDTH, g.footer_top, L.NUMBER_WIDTH, L.FOOTER_HEIGHT)
            else:
                box = Box(
                    x0, g.footer_top, max(40.0, x1 - x0 - L.NUMBER_WIDTH - 10), L.FOOTER_HEIGHT
                )
            if role == "footer" and not self.fits_line(text, box):
                text = title if self.fits_line(title, box) else ""
            if not text:
                continue
            frame = self.simple(
                role,
                box,
                text,
                L.FURNITURE_SIZE,
                color,
                self.under(slide, box),
                align=align,
                anchor="ctr",
            )
            if ph is not None and ph.box is not None:
                frame = replace(frame, placeholder=key(ph))
            slide.frames.append(frame)

    def fits_line(self, text: str, box: Box) -> bool:
        """Whether ``text`` fits ``box`` at the furniture size (or a little under)."""
        blocks = [self.block((Run(text),), space_after=0)]
        return fit(blocks, box.w, box.h, L.FURNITURE_SIZE, 7.0, self.fonts).fits


def above_banner(box: Box, height: float, banner: float) -> Box:
    """A footer placeholder's box, raised just above the classification banner where it lies
    in the banner's strip at the slide's foot (a template's bottom band), or it would be hidden
    under the banner."""
    if banner and box.bottom > height - banner:
        return replace(box, y=max(0.0, height - banner - box.h))
    return box


def key(ph: PlaceholderInfo) -> str:
    """How a plan names a template placeholder: its type and index (``TITLE:0``)."""
    return f"{ph.type}:{ph.idx}"


FOOT_TYPES = ("FOOTER", "SLIDE_NUMBER", "DATE")


Area = tuple[float, float, float, float]  # top, bottom, left, right


def size(area: Area) -> float:
    """An area's size in square points (0 when nothing is left of it)."""
    top, bottom, left, right = area
    return max(0.0, bottom - top) * max(0.0, right - left)


def clear_of(arts: Sequence[Art], area: Area, gap: float) -> Area:
    """``area`` kept off the master's artwork: a band or picture that crosses it pushes it down
    or up, a strip at a side pushes it in. A shape that covers the whole area is its ground (text
    is made readable on it), as is a solid band under most of it (the area keeps to the band);
    a mostly see-through shape only tints what is under it."""
    top, bottom, left, right = area
    for art in arts:
        a = art.box
        if art.image is None and art.opacity < 0.5:
            continue  # mostly see-through: it tints what is under it, nothing more
        if a.right <= left or a.x >= right or a.bottom <= top or a.y >= bottom:
            continue
        covers = a.x <= left and a.right >= right and a.y <= top
        if covers and a.bottom >= bottom:
            continue  # the body's ground
        overlap = max(0.0, min(a.bottom, bottom) - max(a.y, top))
        wide = a.x <= left and a.right >= right
        if art.image is None and wide and overlap > (bottom - top) / 2:
            # A solid band under most of the body: the body keeps to it, as its ground.
            top, bottom = max(top, a.y), min(bottom, a.bottom)
            continue
        if a.h > a.w and a.h > (bottom - top) / 2:
            if a.x + a.w / 2 < (left + right) / 2:
                left = max(left, a.right + gap)
            else:
                right = min(right, a.x - gap)
        elif a.y + a.h / 2 < (top + bottom) / 2:
            top = max(top, a.bottom + gap)
        else:
            bottom = min(bottom, a.y - gap)
    return top, bottom, left, right

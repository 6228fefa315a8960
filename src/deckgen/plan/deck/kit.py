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
from deckgen.images import PreparedImage
from deckgen.model import Anchor, Box, Para, Picture, Shape, Slide, TextFrame
from deckgen.outline import Outline
from deckgen.plan import colour
from deckgen.plan.changes import Changes
from deckgen.plan.content import as_of, words_of
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.sizes import Range, role_ranges
from deckgen.richtext import Run, merge, plain
from deckgen.template import TemplateInfo
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

    @property
    def body(self) -> Box:
        return Box(self.margin, self.body_top, self.width - 2 * self.margin, self.body_height)

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
        self.ranges: dict[str, Range] = role_ranges(theme)
        self.diagnostics: list[Diagnostic] = []
        self._adjusted: set[tuple[str, str]] = set()
        self.footer = f"{plain(outline.meta.title)}  \u00b7  {as_of(outline)}"
        self.g = self._geometry()

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
        placeholder = self.placeholder_box("content")
        if placeholder is not None:
            kicker_top = max(banner + 2, placeholder.y - L.KICKER_HEIGHT - 4)
            title_top, title_height = placeholder.y, placeholder.h
            body_top = max(body_top, placeholder.bottom + L.BODY_GAP + L.RULE_HEIGHT)
        footer_top = height - banner - L.FOOTER_GAP - L.FOOTER_HEIGHT
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
            body_bottom=round(footer_top - L.BODY_FOOTER_GAP, 2),
            footer_top=round(footer_top, 2),
        )

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

    def title_fits(self, text: str, box: Box) -> float:
        """The largest title size (in the title range) at which ``text`` fits ``box``."""
        blocks = [self.block((Run(text, bold=True),), leading=L.TITLE_LEADING, space_after=0)]
        result = self.fit(blocks, box, self.ranges["title"])
        return result.size if result.fits else 0.0

    def balanced(
        self, runs: tuple[Run, ...], width: float, size: float
    ) -> tuple[tuple[Run, ...], ...]:
        """``runs`` broken into as many lines as at ``width``, but as evenly as possible.

        The narrowest width that needs no more lines is found by bisection; breaking there
        never leaves a lone word on the last line when a better break exists.
        """
        lines = wrap(runs, width, size, self.fonts)
        if len(lines) >= 2:
            lo, hi = width / len(lines), width
            for _ in range(14):
                mid = (lo + hi) / 2
                if len(wrap(runs, mid, size, self.fonts)) <= len(lines):
                    hi = mid
                else:
                    lo = mid
            lines = wrap(runs, hi, size, self.fonts)
        return tuple(tuple(merge(line)) for line in lines)

    def title_frame(self, box: Box, text: str, size: float, color: str, on: str) -> TextFrame:
        """A slide title at ``size``, its lines balanced and written as explicit breaks."""
        runs = (Run(text, bold=True),)
        lines = self.balanced(runs, box.w, size)
        color = self.ink(color, on, size, True)
        para = self.para(
            runs, size, color, box.w, leading=L.TITLE_LEADING, lines=lines, hard=len(lines) > 1
        )
        return TextFrame("title", box, (para,), "t", 0.0, None, len(lines))

    # ------------------------------------------------------------ slide furniture

    def new_slide(self, kind: str, title: str, section: str, notes: str, dark: bool) -> Slide:
        slide = Slide(kind=kind, title=title, section=section, notes=notes.strip())
        slide.layout = self.layout_name(kind)
        if dark and self.template is None:
            slide.background = self.p.primary
        return slide

    def background(self, slide: Slide) -> str:
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
        box = self.placeholder_box(slide.kind)
        if box is not None:
            frame = self.title_frame(box, title, size, self.p.primary, on)
            kicker_top = max(g.banner + 2, box.y - L.KICKER_HEIGHT - 4)
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
                    on,
                    bold=True,
                )
            )
        if box is not None:
            assert self.spec is not None
            slide.frames.append(replace(frame, anchor="b", placeholder=self.spec.title_idx))
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

"""Slide drawing: one slide of a :class:`DeckPlan` in, flat drawing operations in points out.

The deck as PDF and the PNG previews both draw these operations, so they cannot disagree about
where anything goes; this module decides it once, the way the PPTX renderer asks PowerPoint and
LibreOffice to: lines broken where the plan broke them (the planner's own measure), each
line at the paragraph's exact pitch, bullets hanging at the paragraph's indent, the text block
anchored top, middle or bottom inside the frame's insets. Coordinates are points from the
slide's top-left corner; each backend converts at its edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.direction import is_rtl, needs_reordering, visual
from deckgen.fonts import FontSet
from deckgen.model import (
    Box,
    ChartFrame,
    ChartSpec,
    DeckPlan,
    Para,
    Picture,
    Shape,
    Slide,
    TextFrame,
)
from deckgen.richtext import Run

# With exact line spacing, LibreOffice puts each baseline this share of the font size above
# the bottom of the line's pitch (measured on its PDF export of the deck: the first baseline
# of a 20 pt paragraph at 24 pt pitch lies 20.0 pt below the top inset, of 33 pt at 36.3 pt
# pitch 29.7 pt below). The same rule places every later line and paragraph.
BASELINE_DESCENT = 0.2


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: str
    ellipse: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float = 0.75


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of text in one face, its left end at ``x`` on the baseline ``y``."""

    x: float
    y: float
    text: str
    size: float
    color: str
    bold: bool = False
    italic: bool = False
    heading: bool = False  # in the deck's heading faces (titles), else its body faces


@dataclass(frozen=True, slots=True)
class Image:
    """A prepared image (by its key in the job's images) stretched over a box."""

    x: float
    y: float
    w: float
    h: float
    key: str


Op = Rect | Line | Text | Image


@dataclass(frozen=True, slots=True)
class FirstLine:
    """Where a text frame's first line was placed: for tests and cross-renderer checks."""

    role: str
    x: float
    baseline: float
    text: str


def slide_ops(slide: Slide, plan: DeckPlan, fonts: FontSet) -> list[Op]:
    """The drawing operations of ``slide`` in z-order, background first."""
    ops: list[Op] = [background_op(slide, plan), *backdrop_ops(slide, fonts)]
    for frame in slide.frames:
        if isinstance(frame, TextFrame):
            ops.extend(fill_ops(frame))
            ops.extend(text_ops(frame, fonts))
        else:
            ops.extend(frame_ops(frame, fonts))
    return ops


def background_op(slide: Slide, plan: DeckPlan) -> Rect:
    return Rect(0, 0, plan.width, plan.height, slide.background or "FFFFFF")


def backdrop_ops(slide: Slide, fonts: FontSet) -> list[Op]:
    """What the template's master and layout draw under the slide (nothing without one)."""
    return [op for frame in slide.backdrop for op in frame_ops(frame, fonts)]


def fill_ops(frame: TextFrame) -> list[Op]:
    """A text frame's background, if it has one."""
    b = frame.box
    return [Rect(b.x, b.y, b.w, b.h, frame.fill)] if frame.fill else []


def frame_ops(frame: Shape | ChartFrame | Picture, fonts: FontSet) -> list[Op]:
    """The operations of a frame that holds no text frame's paragraphs."""
    b = frame.box
    if isinstance(frame, Shape):
        return [Rect(b.x, b.y, b.w, b.h, frame.fill, frame.geometry == "ellipse")]
    if isinstance(frame, ChartFrame):
        return chart_ops(frame, fonts)
    return [Image(b.x, b.y, b.w, b.h, frame.image)]


def _line_width(line: list[Run], size: float, fonts: FontSet) -> float:
    return sum(fonts.width(r.text, r.bold, r.italic, size) for r in line)


def _run_text(run: Run) -> str:
    return run.text


def _run_with(run: Run, text: str) -> Run:
    return Run(text, run.bold, run.italic)


def shown(text: str) -> str:
    """One line of plain text (a chart's label) in the order it is drawn."""
    if not needs_reordering(text):
        return text
    return "".join(visual([text], str, lambda _, t: t, rtl=is_rtl(text)))


def _para_lines(para: Para) -> list[list[Run]]:
    """The paragraph's lines, as the planner broke them."""
    if para.lines:
        return [list(line) for line in para.lines]
    # One line: keep the runs as written (wrapping folds runs of spaces, the PPTX keeps them).
    return [[Run(r.text.replace("\n", " "), r.bold, r.italic) for r in para.runs]]


def text_ops(frame: TextFrame, fonts: FontSet) -> list[Text]:
    """The lines of a text frame, broken and placed as the PPTX asks its renderers to."""
    return [op for para in para_ops(frame, fonts) for op in para]


def para_ops(frame: TextFrame, fonts: FontSet) -> list[list[Text]]:
    """The operations of each of the frame's paragraphs (its bullet, when it has one,
    first)."""
    box, inset = frame.box, frame.inset
    heading = frame.heading
    if heading:
        fonts = fonts.for_heading()
    inner_w = box.w - 2 * inset
    laid = [(para, _para_lines(para)) for para in frame.paras]
    height = sum(len(lines) * para.line_pitch for para, lines in laid)
    height += sum(para.space_after for para, _ in laid[:-1])
    if frame.anchor == "b":
        top = box.bottom - inset - height
    elif frame.anchor == "ctr":
        top = box.y + inset + (box.h - 2 * inset - height) / 2
    else:
        top = box.y + inset
    out: list[list[Text]] = []
    y = top
    for para, lines in laid:
        ops: list[Text] = []
        out.append(ops)
        # The indent (and the bullet in it) is on the side the paragraph starts from.
        left = box.x + inset + (0.0 if para.rtl else para.indent)
        avail = inner_w - para.indent
        for k, line in enumerate(lines):
            baseline = y + para.line_pitch - BASELINE_DESCENT * para.size
            if para.bullet and k == 0:
                bx = box.x + inset
                if para.rtl:
                    bx = box.right - inset - fonts.width(para.bullet, False, False, para.size)
                ops.append(Text(bx, baseline, para.bullet, para.size, para.color, heading=heading))
            line = visual(line, _run_text, _run_with, rtl=para.rtl)
            width = _line_width(line, para.size, fonts)
            x = left
            if para.align == "ctr":
                x = left + (avail - width) / 2
            elif para.align == "r":
                x = left + avail - width
            for run in line:
                if run.text.strip():
                    ops.append(
                        Text(
                            x,
                            baseline,
                            run.text,
                            para.size,
                            para.color,
                            run.bold,
                            run.italic,
                            heading,
                        )
                    )
                x += fonts.width(run.text, run.bold, run.italic, para.size)
            y += para.line_pitch
        y += para.space_after
    return out


def first_lines(slide: Slide, fonts: FontSet) -> list[FirstLine]:
    """Each non-empty text frame's first line: role, left end, baseline and text."""
    out = []
    for frame in slide.frames:
        if not isinstance(frame, TextFrame):
            continue
        ops = text_ops(frame, fonts)
        words = [op for op in ops if not (frame.paras[0].bullet and op is ops[0])]
        if not words:
            continue
        y = words[0].y
        line = [op for op in words if abs(op.y - y) < 0.01]
        out.append(FirstLine(frame.role, line[0].x, y, "".join(op.text for op in line)))
    return out


def _fmt_tick(value: float) -> str:
    return f"{value:g}"


def _ticks(spec: ChartSpec, lo: float, hi: float, step: float) -> list[tuple[float, str]]:
    """Each value-axis tick and its label: the plan's (in the outline's language) when it has
    them for this axis, else the value as ``%g`` writes it."""
    ticks = int(round((hi - lo) / step))
    values = [lo + i * step for i in range(ticks + 1)]
    if len(spec.tick_labels) == len(values):
        return list(zip(values, spec.tick_labels, strict=True))
    return [(v, _fmt_tick(v)) for v in values]


def chart_ops(frame: ChartFrame, fonts: FontSet, *, title: bool = True) -> list[Op]:
    """A chart laid out like LibreOffice's rendering of the PPTX's chart part.

    Title (the unit) centred at the top; then the plot: horizontal bars (``bar``, ``bullet``)
    with category labels in a column on the left, or columns and lines with category labels
    under the plot. Bars are ``spec.gap`` of a bar apart; a target is a light bar of the same
    thickness behind its value bar (a dashed line in a line chart); value labels in bold past
    each bar's end (above a line's points), kept inside the chart; a value axis from
    ``axis_min`` to ``axis_max`` with a tick label and a light gridline every ``axis_step``.
    Without ``title`` (the brief captions its charts) the plot starts at the top.
    """
    spec: ChartSpec = frame.chart
    box = frame.box
    fs = spec.font_size
    ops: list[Op] = []
    if title and spec.title:
        title_size = fs + 1
        title_w = fonts.width(spec.title, True, False, title_size)
        title_base = box.y + spec.pad + 3 + title_size
        x = box.x + max(0.0, (box.w - title_w) / 2)
        ops.append(Text(x, title_base, shown(spec.title), title_size, spec.text_color, True))
        plot_top = title_base + fs * 1.35
    else:
        plot_top = box.y + fs * 0.8
    if spec.type in ("bar", "bullet"):
        ops += _horizontal(spec, box, plot_top, fonts)
    else:
        ops += _vertical(spec, box, plot_top, fonts)
    return ops


def _labels(spec: ChartSpec) -> tuple[tuple[str, ...], ...]:
    """Each category's label lines, as the planner broke them (else one line each)."""
    return spec.category_lines or tuple((c,) for c in spec.categories)


def _axis(spec: ChartSpec) -> tuple[float, float, float]:
    lo = spec.axis_min
    hi = spec.axis_max or max((*spec.values, 1.0))
    step = spec.axis_step or (hi - lo) or 1.0
    return lo, hi, step


def _label_fit(text: str, size: float, fonts: FontSet, room: float) -> float:
    """The size (at most ``size``) at which ``text`` is at most ``room`` wide."""
    w = fonts.width(text, True, False, size)
    return size if w <= room or w == 0 else max(size * room / w, 1.0)


def _horizontal(spec: ChartSpec, box: Box, plot_top: float, fonts: FontSet) -> list[Op]:
    ops: list[Op] = []
    fs = spec.font_size
    tick_size = fs - 1
    plot_bottom = box.bottom - spec.pad - tick_size * 1.6
    # The label column: as wide as the longest line of the labels the planner broke.
    labels = _labels(spec)
    label_w = max(
        (fonts.width(t, False, False, fs) for lines in labels for t in lines), default=0.0
    )
    plot_left = box.x + spec.pad + label_w + 8
    lo, hi, step = _axis(spec)
    widest_value = max((fonts.width(t, True, False, fs) for t in spec.labels), default=0.0)
    ticks = _ticks(spec, lo, hi, step)
    last_tick = ticks[-1][1]
    plot_right = (
        box.right
        - spec.pad
        - max(fonts.width(last_tick, False, False, tick_size) / 2, widest_value * 0.5)
    )
    plot_w = max(plot_right - plot_left, 1.0)

    def xv(value: float) -> float:
        return plot_left + plot_w * (max(lo, min(value, hi)) - lo) / (hi - lo)

    for value, label in ticks:
        x = xv(value)
        if abs(value) > 1e-12:
            ops.append(Line(x, plot_top, x, plot_bottom, spec.grid_color))
        w = fonts.width(label, False, False, tick_size)
        ops.append(Text(x - w / 2, box.bottom - spec.pad, label, tick_size, spec.text_color))
    zero = xv(0.0)
    ops.append(Line(zero, plot_top, zero, plot_bottom, spec.axis_color))
    n = max(len(spec.values), 1)
    band = (plot_bottom - plot_top) / n
    bar_h = band / (1 + spec.gap)
    for i, value in enumerate(spec.values):
        mid = plot_top + band * (i + 0.5)
        if spec.targets:
            end_t = xv(spec.targets[i])
            ops.append(
                Rect(min(zero, end_t), mid - bar_h / 2, abs(end_t - zero), bar_h, spec.target_color)
            )
        color = spec.colors[i % len(spec.colors)] if spec.colors else spec.text_color
        end = xv(value)
        ops.append(Rect(min(zero, end), mid - bar_h / 2, abs(end - zero), bar_h, color))
        ops.append(
            Line(
                plot_left - 4, plot_top + band * i, plot_left, plot_top + band * i, spec.axis_color
            )
        )
        label = spec.labels[i] if i < len(spec.labels) else _fmt_tick(value)
        outer = max(end, xv(spec.targets[i])) if spec.targets else end
        if value >= 0:
            room = box.right - spec.pad - (outer + 4)
            size = _label_fit(label, fs, fonts, room)
            ops.append(Text(outer + 4, mid + size * 0.35, label, size, spec.text_color, True))
        else:
            room = max(end - plot_left - 4, 8.0)
            size = _label_fit(label, fs, fonts, room)
            w = fonts.width(label, True, False, size)
            ops.append(Text(end - 4 - w, mid + size * 0.35, label, size, spec.text_color, True))
        lines = labels[i] if i < len(labels) else ()
        pitch = fs * 1.2
        first = mid - pitch * len(lines) / 2 + pitch - BASELINE_DESCENT * fs
        for k, text in enumerate(lines):
            w = fonts.width(text, False, False, fs)
            x = plot_left - 8 - label_w + (label_w - w) / 2
            ops.append(Text(x, first + k * pitch, shown(text), fs, spec.text_color))
    ops.append(Line(plot_left - 4, plot_bottom, plot_left, plot_bottom, spec.axis_color))
    return ops


def _vertical(spec: ChartSpec, box: Box, plot_top: float, fonts: FontSet) -> list[Op]:
    """Columns or a line: categories along the bottom, values up the left."""
    ops: list[Op] = []
    fs = spec.font_size
    tick_size = fs - 1
    lo, hi, step = _axis(spec)
    ticks = _ticks(spec, lo, hi, step)
    tick_w = max(fonts.width(t, False, False, tick_size) for _, t in ticks)
    plot_left = box.x + spec.pad + tick_w + 6
    plot_right = box.right - spec.pad
    n = max(len(spec.values), 1)
    band = (plot_right - plot_left) / n
    labels = _labels(spec)
    rows = max((len(lines) for lines in labels), default=1)
    pitch = fs * 1.2
    plot_bottom = box.bottom - spec.pad - rows * pitch - 4
    plot_top += fs * 1.4  # room for the value labels above the highest point
    plot_h = max(plot_bottom - plot_top, 1.0)

    def yv(value: float) -> float:
        return plot_bottom - plot_h * (max(lo, min(value, hi)) - lo) / (hi - lo)

    for value, label in ticks:
        y = yv(value)
        if abs(value) > 1e-12:
            ops.append(Line(plot_left, y, plot_right, y, spec.grid_color))
        w = fonts.width(label, False, False, tick_size)
        ops.append(Text(plot_left - 6 - w, y + tick_size * 0.35, label, tick_size, spec.text_color))
    zero = yv(0.0)
    ops.append(Line(plot_left, zero, plot_right, zero, spec.axis_color))
    ops.append(Line(plot_left, plot_top, plot_left, plot_bottom, spec.axis_color))
    bar_w = band / (1 + spec.gap)
    color = spec.colors[0] if spec.colors else spec.text_color
    points: list[tuple[float, float]] = []
    for i, value in enumerate(spec.values):
        mid = plot_left + band * (i + 0.5)
        top = yv(value)
        if spec.type == "column":
            if spec.targets:
                t = yv(spec.targets[i])
                ops.append(
                    Rect(mid - bar_w / 2, min(t, zero), bar_w, abs(zero - t), spec.target_color)
                )
            ops.append(Rect(mid - bar_w / 2, min(top, zero), bar_w, abs(zero - top), color))
        points.append((mid, top))
        label = spec.labels[i] if i < len(spec.labels) else _fmt_tick(value)
        size = _label_fit(label, fs, fonts, band - 2)
        w = fonts.width(label, True, False, size)
        above = min(top, yv(spec.targets[i])) if spec.targets and spec.type == "column" else top
        y = above - 5 if value >= 0 else top + size + 3
        ops.append(Text(mid - w / 2, y, label, size, spec.text_color, True))
        for k, text in enumerate(labels[i]):
            lw = fonts.width(text, False, False, fs)
            base = plot_bottom + 4 + pitch * (k + 1) - BASELINE_DESCENT * fs
            ops.append(Text(mid - lw / 2, base, shown(text), fs, spec.text_color))
    if spec.type == "line":
        if spec.targets:
            tpts = [(plot_left + band * (i + 0.5), yv(t)) for i, t in enumerate(spec.targets)]
            for (x1, y1), (x2, y2) in zip(tpts, tpts[1:], strict=False):
                ops.append(Line(x1, y1, x2, y2, spec.target_color, 1.75))
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            ops.append(Line(x1, y1, x2, y2, color, 2.25))
        for x, y in points:
            ops.append(Rect(x - 3.5, y - 3.5, 7, 7, color, ellipse=True))
    return ops

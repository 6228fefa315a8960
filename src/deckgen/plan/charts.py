"""Charts: a section's declared chart and its metrics in, the :class:`ChartSpec` every output
draws (or None when the section declares none).

A chart is drawn only where the outline declares one (``sections[].chart``): the author knows
which comparison matters, and the outline check has already refused a declared chart whose
metrics are not numbers in one unit. Deck and brief call this one function, so the native
PowerPoint chart and the PDF's chart show the same data, labels, axis and colours.
"""

from __future__ import annotations

import math
from dataclasses import replace

from deckgen.fonts import FontSet
from deckgen.model import ChartSpec
from deckgen.outline import Section, decimals
from deckgen.plan.catalogue import Words, words_for
from deckgen.plan.content import metric_value, value_text
from deckgen.richtext import Run, plain
from deckgen.textfit import WIDTH_SAFETY, wrap
from deckgen.theme import Theme


def nice_axis(values: tuple[float, ...]) -> tuple[float, float, float]:
    """Value-axis minimum, maximum and tick step: about five round ticks, room for labels.

    The axis always includes 0 (bars start there); it goes below 0 only for negative values,
    and an all-zero series gets the axis 0 to 1.
    """
    hi = max((*values, 0.0))
    lo = min((*values, 0.0))
    span = (hi - lo) * 1.15 or 1.0
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if all(v == int(v) for v in values):
        step = max(1.0, float(math.ceil(step)))
    top = math.ceil(hi * 1.15 / step) * step if hi > 0 else 0.0
    bottom = math.floor(lo * 1.15 / step) * step if lo < 0 else 0.0
    if top == bottom:
        top = step
    return bottom, top, step


def number_format(written: list[str]) -> str:
    """The Excel number format that shows numbers as they were written.

    As many decimals as the most precise value (``3.10`` -> ``0.00``), with thousands
    separators when any value was written with them (``1,200`` -> ``#,##0``).
    """
    places = max((decimals(w) for w in written), default=0)
    whole = "#,##0" if any("," in w for w in written) else "0"
    return whole + ("." + "0" * places if places else "")


def chart_for(
    section: Section, theme: Theme, font_size: float = 12.0, words: Words | None = None
) -> ChartSpec | None:
    """The chart ``section`` declares, or None; its description and axis ticks in the language
    of ``words`` (default: English)."""
    w = words or words_for("en")
    decl = section.chart
    metrics = section.chart_metrics()
    if decl is None or not metrics or any(m.number is None for m in metrics):
        return None
    unit = metrics[0].unit or ""
    p = theme.palette
    values = tuple(m.number or 0.0 for m in metrics)
    has_target = any(m.target is not None for m in metrics)
    targets = tuple(m.target_number or 0.0 for m in metrics) if has_target else ()
    target_labels = tuple(m.target or "" for m in metrics) if has_target else ()
    written = [m.value for m in metrics] + [t for t in target_labels if t]
    lo, hi, step = nice_axis(values + targets)
    # Alt text states what the chart shows and every value with its unit (and target): the
    # chart's whole content for someone who cannot see it.
    described = w("list_semicolon").join(
        w(
            "chart_value_target" if m.target else "chart_value",
            label=m.label,
            value=value_text(m),
            target=metric_value(m.target or "", m.unit),
        )
        for m in metrics
    )
    kind = w(f"chart_{decl.type}")
    takeaway = plain(decl.title)
    ticks = int(round((hi - lo) / step)) if step else 0
    return ChartSpec(
        type=decl.type,
        title=unit,
        takeaway=takeaway,
        categories=tuple(m.label for m in metrics),
        values=values,
        labels=tuple(m.value for m in metrics),
        unit=unit,
        number_format=number_format(written),
        formats=tuple(number_format([m.value]) for m in metrics),
        colors=(p.chart[0],) * len(metrics),
        text_color=p.text,
        font_size=font_size,
        alt=w(
            "chart_alt",
            kind=kind,
            section=plain(section.title),
            takeaway=sentence(takeaway),
            values=described,
        ),
        targets=targets,
        target_labels=target_labels,
        target_color=p.chart_target,
        axis_min=lo,
        axis_max=hi,
        axis_step=step,
        tick_labels=tuple(w.number(tick_value(lo, step, i)) for i in range(ticks + 1)),
        series=unit or w("col_value"),
        target_series=w("series_target"),
        grid_color=p.grid,
        axis_color=p.axis,
        gap=0.6,
    )


def sentence(text: str) -> str:
    """``text`` ending as a sentence does (a takeaway is often written without a full stop)."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def tick_value(lo: float, step: float, i: int) -> float:
    """The value of the ``i``-th value-axis tick (0: the axis minimum), rounded as ``%g`` would
    show it, so that 0.1 * 3 is 0.3."""
    return float(f"{lo + i * step:g}")


def tick_label(value: float) -> str:
    """A value-axis tick in English digits, for a spec made without tick labels."""
    return f"{value:g}"


def lay_out_labels(spec: ChartSpec, width: float, fonts: FontSet) -> ChartSpec:
    """``spec`` with each category label broken into the lines it takes in a chart ``width``
    points wide, so that every writer draws the same lines without measuring again.

    Horizontal bars keep their labels in a column at most 45 % of the chart wide (LibreOffice
    kept a 211 pt label whole and wrapped a 230 pt one in a 380 pt chart); columns and lines put
    each label under its own band of the plot.
    """
    fs = spec.font_size
    if spec.type in ("bar", "bullet"):
        widest = max((fonts.width(c, False, False, fs) for c in spec.categories), default=0.0)
        limit = min(width * 0.45, widest + 1) / (1 - WIDTH_SAFETY)
    else:
        ticks = int(round((spec.axis_max - spec.axis_min) / (spec.axis_step or 1.0)))
        labels = list(spec.tick_labels) or [
            tick_label(spec.axis_min + i * spec.axis_step) for i in range(ticks + 1)
        ]
        tick_w = max((fonts.width(t, False, False, fs - 1) for t in labels), default=0.0)
        plot = width - 2 * spec.pad - tick_w - 6
        limit = max(plot / max(len(spec.categories), 1) - 4, 1.0)
    lines = tuple(
        tuple("".join(r.text for r in line) for line in wrap((Run(c),), limit, fs, fonts))
        for c in spec.categories
    )
    return replace(spec, category_lines=lines)

"""Chart choice: a section's metrics in, the :class:`ChartSpec` both outputs draw (or None).

A chart is drawn when two or more metrics of a section are numbers in the same unit; the largest
such group wins (ties: the group that appears first). Deck and brief call this one function, so
the native PowerPoint chart and the PDF chart show the same data in the same colours.
"""

from __future__ import annotations

import math

from deckgen.model import ChartSpec
from deckgen.outline import Metric, Section
from deckgen.theme import Theme


def comparable_metrics(section: Section) -> list[Metric]:
    """The metrics that go into the section's chart (empty when fewer than two compare)."""
    groups: dict[str, list[Metric]] = {}
    for metric in section.metrics:
        if metric.number is not None:
            groups.setdefault(metric.unit or "", []).append(metric)
    best: list[Metric] = []
    for group in groups.values():
        if len(group) > len(best):
            best = group
    return best if len(best) >= 2 else []


def nice_axis(values: tuple[float, ...]) -> tuple[float, float]:
    """A value-axis maximum and tick step with about five round ticks and room for labels."""
    top = max((*values, 0.0)) * 1.15 or 1.0
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if all(v == int(v) for v in values):
        step = max(1.0, float(math.ceil(step)))
    return math.ceil(top / step) * step, step


def chart_for(section: Section, theme: Theme, font_size: float = 12.0) -> ChartSpec | None:
    """The bar chart of ``section``'s comparable metrics, or None."""
    metrics = comparable_metrics(section)
    if not metrics:
        return None
    unit = metrics[0].unit or ""
    palette = theme.palette.chart
    colors = tuple(palette[i % len(palette)] for i in range(len(metrics)))
    values = tuple(m.number or 0.0 for m in metrics)
    described = "; ".join(f"{m.label}: {m.value}{' ' + m.unit if m.unit else ''}" for m in metrics)
    title = f"Figures compared ({unit})" if unit else "Figures compared"
    axis_max, axis_step = nice_axis(values)
    return ChartSpec(
        title=title,
        categories=tuple(m.label for m in metrics),
        values=values,
        labels=tuple(m.value for m in metrics),
        unit=unit,
        colors=colors,
        text_color=theme.palette.text,
        font_size=font_size,
        alt=f"Bar chart, {section.title}: {title.lower()}. {described}.",
        axis_max=axis_max,
        axis_step=axis_step,
        grid_color=theme.palette.grid,
        axis_color=theme.palette.axis,
        gap=0.6,
    )

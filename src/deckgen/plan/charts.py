"""Chart choice: a section's metrics in, the :class:`ChartSpec` both outputs draw (or None).

A chart is drawn when two or more metrics of a section are numbers in the same unit; the largest
such group wins (ties: the group that appears first). Deck and brief call this one function, so
the native PowerPoint chart and the PDF chart show the same data in the same colours.
"""

from __future__ import annotations

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
    title = f"{section.title}: figures in {unit}" if unit else f"{section.title}: figures"
    return ChartSpec(
        title=title,
        categories=tuple(m.label for m in metrics),
        values=values,
        labels=tuple(m.value for m in metrics),
        unit=unit,
        colors=colors,
        text_color=theme.palette.text,
        font_size=font_size,
        alt=f"Bar chart, {title}. {described}.",
    )

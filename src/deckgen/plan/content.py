"""The content step: a validated outline in, what every output says the same way out.

Both planners (and ``export-markdown`` and the change summary) take from here the document
metadata, the plain text of titles, a metric's value with its unit, the trend marks and the
fixed words of the outputs in the outline's language (:mod:`deckgen.plan.catalogue`), so that the
deck, the brief and the other formats cannot drift apart. Pure: no file, no renderer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from deckgen.model import DocMeta
from deckgen.outline import Metric, Outline
from deckgen.plan.catalogue import Words, words_for
from deckgen.richtext import plain

TREND_MARK = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}
CONFIDENCE_LEVEL = {"low": 1, "moderate": 2, "high": 3}
KEYWORDS_LIMIT = 255  # OOXML's cap on cp:keywords, kept in every format's metadata


def words_of(outline: Outline) -> Words:
    """The fixed words, dates and numbers of the outline's language (``meta.language``)."""
    return words_for(outline.meta.language)


def as_of(outline: Outline) -> str:
    """``As of 9 January 2025`` (``Situation au 9 janvier 2025``)."""
    return words_of(outline).as_of(outline.meta.date)


def kind(outline: Outline) -> str:
    """The cover's label: the outline's ``meta.kind``, else the catalogue's generic one."""
    return plain(outline.meta.kind) if outline.meta.kind else words_of(outline)("kind_default")


def value_text(metric: Metric) -> str:
    """A metric's value with its unit: ``3.10 % of GDP``."""
    return metric_value(metric.value, metric.unit)


def metric_value(value: str, unit: str | None) -> str:
    """``value`` and ``unit`` as every output shows them (also for snapshot dictionaries)."""
    return f"{value} {unit}" if unit else value


def value_with_trend(metric: Metric) -> str:
    """``3.10 % of GDP ▲``: the value, its unit and its trend mark."""
    text = value_text(metric)
    return f"{text} {TREND_MARK[metric.trend]}" if metric.trend else text


def keywords(words: Sequence[str], limit: int = KEYWORDS_LIMIT) -> str:
    """Comma-joined keywords, whole entries only, within ``limit`` characters."""
    out = ""
    for w in words:
        candidate = f"{out}, {w}" if out else w
        if len(candidate) > limit:
            break
        out = candidate
    return out


def doc_meta(outline: Outline, created: datetime) -> DocMeta:
    """The document metadata of every output: plain text (no markup), one timestamp form."""
    meta = outline.meta
    return DocMeta(
        title=plain(meta.title),
        subject=plain(meta.subtitle),
        author=plain(meta.author),
        keywords=keywords([plain(s.title) for s in outline.sections]),
        language=meta.language,
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        comment=words_of(outline)("generator"),
    )


def section_refs(outline: Outline, ids: Sequence[str]) -> str:
    """``Sections 2, 4`` for the sections ``ids`` (by their number in the outline), or ""."""
    number: Mapping[str, int] = {s.id: i for i, s in enumerate(outline.sections, 1)}
    return words_of(outline).section_refs(sorted({number[r] for r in ids if r in number}))

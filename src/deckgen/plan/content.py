"""The content step: a validated outline in, what every output says the same way out.

Both planners (and ``export-markdown`` and the change summary) take from here the document
metadata, the plain text of titles, a metric's value with its unit, the words for status, trend
and confidence, and the fixed words of the outputs, so that the deck, the brief and the other
formats cannot drift apart. Pure: no file, no renderer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from deckgen.model import DocMeta
from deckgen.outline import Metric, Outline
from deckgen.plan.wording import format_date
from deckgen.richtext import plain

STATUS_WORD = {"green": "On track", "amber": "Watch", "red": "Concern"}
TREND_MARK = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}
CONFIDENCE_LEVEL = {"low": 1, "moderate": 2, "high": 3}
KEYWORDS_LIMIT = 255  # OOXML's cap on cp:keywords, kept in every format's metadata

# The fixed words of the outputs, by role (one place, for a later message catalogue).
WORDS = {
    "kind": "Leadership assessment",
    "as_of": "As of {date}",
    "as_of_label": "As of",
    "prepared_by": "Prepared by",
    "classification": "Classification",
    "key_judgements": "Key judgements",
    "what_changed": "What changed",
    "bottom_line": "Bottom line up front",
    "contents": "Contents",
    "summary": "Executive summary",
    "glance": "At a glance",
    "looking_ahead": "Looking ahead",
    "conclusion": "Conclusion",
    "sources": "Sources",
    "agenda": "Agenda",
    "in_this_briefing": "In this briefing",
    "page": "Page {page} of {total}",
    "confidence": "{level} confidence",
    "figure": "Figure {number}. {caption}",
    "logo": "Logo of {author}",
}


def word(key: str, **values: Any) -> str:
    """The fixed word ``key``, with ``values`` filled in."""
    return WORDS[key].format(**values)


def as_of(outline: Outline) -> str:
    """``As of 9 January 2025``."""
    return word("as_of", date=format_date(outline.meta.date))


def template(key: str) -> str:
    """The fixed words ``key`` with their blanks left to fill (``Page {page} of {total}``)."""
    return WORDS[key]


def confidence(level: str) -> str:
    """``moderate`` -> ``Moderate confidence``."""
    return word("confidence", level=level.capitalize())


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
    )


def section_refs(outline: Outline, ids: Sequence[str]) -> str:
    """``Sections 2, 4`` for the sections ``ids`` (by their number in the outline), or ""."""
    number: Mapping[str, int] = {s.id: i for i, s in enumerate(outline.sections, 1)}
    nums = [str(n) for n in sorted({number[r] for r in ids if r in number})]
    if not nums:
        return ""
    return ("Section " if len(nums) == 1 else "Sections ") + ", ".join(nums)

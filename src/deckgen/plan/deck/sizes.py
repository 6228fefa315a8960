"""Deck-wide type sizes: how large each text role may be on each slide, in, one size per role
(and at most one smaller fallback) out.

The same element must look the same on every slide. So the planner first finds, for every
region of every slide, the largest size at which its text fits (:func:`best`), then chooses per
role the largest size at which all but a few regions fit (``primary``) and the size the tightest
region needs (``fallback``). Each region is then set at ``primary`` when it fits there, else at
``fallback``; because text never grows taller when it gets smaller, both fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from deckgen.plan.deck.layout import BODY_FLOOR, CARD_SMALL_SCALE, FALLBACK_SHARE
from deckgen.theme import Theme

STEP = 0.5


@dataclass(frozen=True, slots=True)
class Range:
    max: float
    min: float

    def steps(self) -> int:
        return max(0, int(round((self.max - self.min) / STEP)))


def snap(size: float) -> float:
    """``size`` rounded down to the half point."""
    return math.floor(size / STEP + 1e-9) * STEP


def role_ranges(theme: Theme) -> dict[str, Range]:
    """Each fitted role's size range: the theme's, with nothing body-like under 12 pt.

    ``title``: slide titles; ``body``: running text, key points, looking-ahead panels and the
    conclusion; ``card``: metric cards (their smallest line is 0.9 of the card size);
    ``lead``: the key judgements and the executive summary; ``aside``: the agenda beside the
    summary, sources under the conclusion.
    """
    t = theme.type

    def rng(top: float, bottom: float, floor: float = BODY_FLOOR) -> Range:
        lo = max(snap(bottom), floor)
        return Range(max(snap(top), lo), lo)

    card_floor = math.ceil(BODY_FLOOR / CARD_SMALL_SCALE / STEP) * STEP
    return {
        "title": rng(t.title.max, t.title.min),
        "body": rng(t.body.max, t.body.min),
        "card": rng(t.card_body.max, t.card_body.min, card_floor),
        "lead": rng(t.subtitle.max, t.subtitle.min),
        "aside": rng(max(t.small.max, BODY_FLOOR + 1), t.small.min),
    }


def at(ranges: Mapping[str, Range], roles: Iterable[str], k: int, top: int) -> dict[str, float]:
    """The sizes of ``roles`` at point ``k`` of ``top`` steps between their minimum and maximum.

    Roles sharing a region shrink together, each across its own range.
    """
    out = {}
    for role in roles:
        r = ranges[role]
        out[role] = r.min if top == 0 else snap(r.min + (r.max - r.min) * k / top)
    return out


def best(
    ranges: Mapping[str, Range], roles: Iterable[str], fits: Callable[[dict[str, float]], bool]
) -> dict[str, float] | None:
    """The largest sizes (shrinking together) at which ``fits`` holds; None if not even at min."""
    roles = sorted(set(roles))
    if not roles:  # nothing to size (a chart alone): it fits as it is, or nowhere
        return {} if fits({}) else None
    top = max(ranges[r].steps() for r in roles)
    if not fits(at(ranges, roles, 0, top)):
        return None
    lo, hi = 0, top
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(at(ranges, roles, mid, top)):
            lo = mid
        else:
            hi = mid - 1
    return at(ranges, roles, lo, top)


@dataclass(slots=True)
class Sizes:
    """The chosen sizes: per role a primary size and a fallback (equal when one size fits all)."""

    primary: dict[str, float] = field(default_factory=dict)
    fallback: dict[str, float] = field(default_factory=dict)

    def pick(self, role: str, fits_at: float) -> float:
        """The size for a region whose text fits up to ``fits_at``."""
        p = self.primary[role]
        return p if fits_at >= p - 1e-9 else self.fallback[role]

    def for_region(self, found: Mapping[str, float]) -> dict[str, float]:
        return {role: self.pick(role, size) for role, size in found.items()}


def choose(samples: Mapping[str, list[float]], ranges: Mapping[str, Range]) -> Sizes:
    """Per role: the largest size all but ``FALLBACK_SHARE`` of its regions fit at, and the
    smallest any region needs."""
    out = Sizes()
    for role, r in ranges.items():
        values = sorted(samples.get(role, []), reverse=True)
        if not values:
            out.primary[role] = out.fallback[role] = r.max
            continue
        keep = max(1, math.ceil(len(values) * (1 - FALLBACK_SHARE)))
        out.primary[role] = values[keep - 1]
        out.fallback[role] = values[-1]
    return out

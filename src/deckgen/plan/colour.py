"""Colour contrast: a text colour and what is behind it in, the WCAG 2.1 ratio (or a readable
replacement colour) out.

WCAG 2.1 success criterion 1.4.3 asks 4.5:1 for normal text and 3:1 for large text (at least
18 pt, or 14 pt bold). The planner knows what is behind every text frame it places, so it checks
each one here and darkens (or, on dark grounds, lightens) a theme colour that would be
unreadable, keeping its hue.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

NORMAL = 4.5
LARGE = 3.0


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=1024)
def luminance(hex_: str) -> float:
    """Relative luminance of an ``RRGGBB`` colour (WCAG 2.1 definition)."""
    r, g, b = (int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(fg: str, bg: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    a, b = luminance(fg), luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: str, b: str, share: float) -> str:
    """Colour ``a`` moved ``share`` of the way to ``b`` (``b`` over ``a`` at opacity ``share``)."""
    x = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    y = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(p + (q - p) * share):02X}" for p, q in zip(x, y, strict=True))


def is_large(size: float, bold: bool) -> bool:
    """Large text in WCAG's sense: 18 pt, or 14 pt bold."""
    return size >= 18 or (bold and size >= 14)


def needed(size: float, bold: bool) -> float:
    return LARGE if is_large(size, bold) else NORMAL


@lru_cache(maxsize=1024)
def readable(fg: str, bg: str, minimum: float) -> str:
    """``fg``, or the nearest colour of its hue that reaches ``minimum`` against ``bg``.

    Lightness moves away from the background's (darker on light grounds, lighter on dark
    ones) in small steps; black or white is the last resort.
    """
    if ratio(fg, bg) >= minimum:
        return fg.upper()
    r, g, b = (int(fg[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    darker = luminance(bg) > 0.18
    for step in range(1, 101):
        lv = max(0.0, light - step / 100) if darker else min(1.0, light + step / 100)
        rr, gg, bb = colorsys.hls_to_rgb(h, lv, s)
        cand = f"{round(rr * 255):02X}{round(gg * 255):02X}{round(bb * 255):02X}"
        if ratio(cand, bg) >= minimum:
            return cand
    return "000000" if darker else "FFFFFF"

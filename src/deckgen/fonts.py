"""Font metrics: a bundled TrueType file in, advance widths and vertical metrics in points out.

The planner measures text with the same files the PDF embeds, and those files are
metric-compatible with the font the PPTX names (Liberation Sans for Arial), so one measurement
holds in PowerPoint, LibreOffice and the PDF. Kerning is not applied by any of the three
renderers as deckgen drives them, so plain advance widths are the right measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """Advance widths (font units) by code point, plus the font's vertical metrics."""

    name: str
    units_per_em: int
    ascent: int
    descent: int  # positive, below the baseline
    widths: dict[int, int]
    missing_width: int

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.widths

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` set at ``size`` points, in points."""
        get = self.widths.get
        miss = self.missing_width
        return sum(get(ord(c), miss) for c in text) * size / self.units_per_em

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` the font has no glyph for (whitespace aside)."""
        return {c for c in text if ord(c) not in self.widths and not c.isspace()}


@lru_cache(maxsize=16)
def load_metrics(path: Path) -> FontMetrics:
    """Read the metrics of one font file (cached per process)."""
    font = TTFont(str(path), lazy=True)
    try:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        widths = {cp: hmtx[glyph][0] for cp, glyph in cmap.items() if glyph in hmtx}
        hhea = font["hhea"]
        return FontMetrics(
            name=path.stem,
            units_per_em=int(font["head"].unitsPerEm),
            ascent=int(hhea.ascent),
            descent=abs(int(hhea.descent)),
            widths=widths,
            missing_width=int(hmtx[".notdef"][0]) if ".notdef" in hmtx else 1000,
        )
    finally:
        font.close()

"""Font metrics: a bundled TrueType file in, advance widths and vertical metrics in points out.

The planner measures text with the same files the PDF embeds, and those files are
metric-compatible with the font the PPTX names (Liberation Sans for Arial), so one measurement
holds in PowerPoint, LibreOffice and the PDF. Kerning is not applied by any of the three
renderers as deckgen drives them, so plain advance widths are the right measure.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckgen.diagnostics import InputError
from deckgen.files import LIMITS, read_input
from deckgen.richtext import Run

METRICS_SUFFIX = ".metrics.json"  # the sidecar beside a font file, see load_metrics
METRICS_FORMAT = 1


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
        """Characters of ``text`` the font has no glyph for (line ends and tabs aside: a
        space the font lacks, such as U+202F, would be drawn as a box)."""
        return {c for c in text if ord(c) not in self.widths and c not in " \t\r\n"}


class FontSet:
    """The four faces of one family, with a cache of text widths at 1 pt.

    Widths scale linearly with size, so each distinct word is measured once per face.
    """

    __slots__ = (
        "_cache",
        "_faces",
        "_words",
        "bold",
        "bold_italic",
        "heading",
        "italic",
        "margin",
        "regular",
    )

    def __init__(
        self,
        regular: Path,
        bold: Path,
        italic: Path,
        bold_italic: Path,
        *,
        margin: float = 0.0,
        heading: FontSet | None = None,
    ) -> None:
        self.regular, self.bold, self.italic, self.bold_italic = regular, bold, italic, bold_italic
        # A share of every line kept free beyond the fit engine's own, when these files stand in
        # for a font they are not metric-compatible with (see measuring_font).
        self.margin = margin
        self.heading = heading  # the titles' set, when they are in another family
        self._faces = {
            (False, False): load_metrics(regular),
            (True, False): load_metrics(bold),
            (False, True): load_metrics(italic),
            (True, True): load_metrics(bold_italic),
        }
        self._cache: dict[tuple[str, bool, bool], float] = {}
        self._words: dict[tuple[Run, ...], list[tuple[tuple[float, ...], float]]] = {}

    def width(self, text: str, bold: bool, italic: bool, size: float) -> float:
        """Width of ``text`` in points at ``size``."""
        key = (text, bold, italic)
        unit = self._cache.get(key)
        if unit is None:
            unit = self._faces[(bold, italic)].width(text, 1.0)
            if len(self._cache) < 500_000:
                self._cache[key] = unit
        return unit * size

    def metrics(self, bold: bool, italic: bool) -> FontMetrics:
        return self._faces[(bold, italic)]

    def word_widths(self, runs: tuple[Run, ...]) -> list[tuple[tuple[float, ...], float]]:
        """Per word of ``runs``: the widths at 1 pt of its pieces, and of the space before it.

        The fit engine measures one paragraph at many sizes; this splits and measures it once.
        """
        out = self._words.get(runs)
        if out is None:
            out = [
                (
                    tuple(self.width(p.text, p.bold, p.italic, 1.0) for p in word),
                    self.width(" ", word[0].bold, word[0].italic, 1.0),
                )
                for word in words_of(runs)
            ]
            if len(self._words) < 100_000:
                self._words[runs] = out
        return out

    def for_heading(self) -> FontSet:
        """The set titles are measured (and drawn) with."""
        return self.heading or self

    @classmethod
    def of(cls, files: FontFiles) -> FontSet:
        """The measuring set of ``files`` (and of its heading faces, when it has them)."""
        heading = cls.of(files.heading) if files.heading is not None else None
        return cls(
            files.regular,
            files.bold,
            files.italic,
            files.bold_italic,
            margin=files.margin,
            heading=heading,
        )


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The four faces of one family as files, and the name the deck shows for them."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    margin: float = 0.0  # extra share of each line kept free (a substitute that is not exact)
    heading: FontFiles | None = None  # the titles' faces when they are another family

    def face(self, bold: bool, italic: bool) -> Path:
        return {
            (False, False): self.regular,
            (True, False): self.bold,
            (False, True): self.italic,
            (True, True): self.bold_italic,
        }[(bold, italic)]


@dataclass(frozen=True, slots=True)
class Substitute:
    """The bundled font that measures (and draws previews of) a font deckgen does not have."""

    family: str  # the font the deck names, as the template names it
    files: tuple[str, str, str, str]  # bundled regular, bold, italic, bold-italic files
    measured_with: str  # the bundled family's name
    exact: bool  # metric-compatible: the same advance widths as ``family``

    @property
    def margin(self) -> float:
        return 0.0 if self.exact else WIDE_MARGIN


def _faces(stem: str, italic: str = "Italic", regular: str = "-Regular") -> tuple[str, ...]:
    return (
        f"{stem}{regular}.ttf",
        f"{stem}-Bold.ttf",
        f"{stem}-{italic}.ttf",
        f"{stem}-Bold{italic}.ttf",
    )


# Metric-compatible open fonts, bundled: the same advance widths as the font they stand for, so
# a line measured in one breaks in the same place in the other.
_EXACT = {
    "Carlito": _faces("Carlito"),
    "Caladea": _faces("Caladea"),
    "Liberation Sans": _faces("LiberationSans"),
    "Liberation Serif": _faces("LiberationSerif"),
    "Liberation Mono": _faces("LiberationMono"),
}
COMPATIBLE = {
    "calibri": "Carlito",
    "carlito": "Carlito",
    "cambria": "Caladea",
    "caladea": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arimo": "Liberation Sans",
    "liberation sans": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "tinos": "Liberation Serif",
    "liberation serif": "Liberation Serif",
    "courier new": "Liberation Mono",
    "courier": "Liberation Mono",
    "cousine": "Liberation Mono",
    "liberation mono": "Liberation Mono",
}
# Every other font is measured with a deliberately wide one (DejaVu, as wide as Verdana and
# wider than Georgia, Aptos or Segoe UI) and this share of each line kept free besides, so that
# the real font, drawn by PowerPoint, is never wider than what was measured.
WIDE = {
    "sans": ("DejaVu Sans", _faces("DejaVuSans", "Oblique", "")),
    "serif": ("DejaVu Serif", _faces("DejaVuSerif", "Italic", "")),
}
WIDE_MARGIN = 0.06
_SERIF_HINTS = (
    "serif",
    "times",
    "georgia",
    "garamond",
    "cambria",
    "roman",
    "book",
    "palatino",
    "baskerville",
    "bodoni",
    "caslon",
    "century",
    "minion",
    "didot",
    "constantia",
    "charter",
    "rockwell",
    "merriweather",
    "playfair",
    "gelasio",
)


def measuring_font(family: str) -> Substitute:
    """The bundled faces that measure ``family``: metric-compatible, else wide with a margin."""
    key = " ".join(family.lower().split())
    if key in COMPATIBLE:
        name = COMPATIBLE[key]
        return Substitute(family, _four(_EXACT[name]), name, True)
    kind = "serif" if any(h in key for h in _SERIF_HINTS) and "sans" not in key else "sans"
    name, files = WIDE[kind]
    return Substitute(family, _four(files), name, False)


def _four(files: tuple[str, ...]) -> tuple[str, str, str, str]:
    return files[0], files[1], files[2], files[3]


def words_of(runs: tuple[Run, ...]) -> list[list[Run]]:
    """Split runs into words (lists of styled pieces); whitespace separates words."""
    words: list[list[Run]] = [[]]
    for run in runs:
        parts = run.text.replace("\n", " ").split(" ")
        for i, part in enumerate(parts):
            if i > 0 and words[-1]:
                words.append([])
            if part:
                words[-1].append(Run(part, run.bold, run.italic))
    return [w for w in words if w]


class NotAFont(ValueError):
    """A font file that deckgen cannot measure or embed (its message says why)."""


# The first four bytes of a font file (its sfnt version): TrueType outlines only, because the
# PDF renderer (reportlab) embeds nothing else.
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_NOT_EMBEDDABLE = {
    b"OTTO": "has PostScript (CFF) outlines; the PDFs can embed only TrueType outlines",
    b"ttcf": "is a font collection; name one TrueType font file",
    b"wOFF": "is a web font (WOFF); use the TrueType file",
    b"wOF2": "is a web font (WOFF2); use the TrueType file",
}


def check_font(data: bytes) -> None:
    """Raise :class:`NotAFont` unless ``data`` starts like a TrueType font."""
    magic = data[:4]
    if magic in _NOT_EMBEDDABLE:
        raise NotAFont(_NOT_EMBEDDABLE[magic])
    if magic not in _TRUETYPE:
        raise NotAFont("is not a TrueType font file")


def sidecar(path: Path) -> Path:
    """Where the precomputed metrics of font file ``path`` live."""
    return path.with_name(path.name + METRICS_SUFFIX)


@lru_cache(maxsize=16)
def load_metrics(path: Path) -> FontMetrics:
    """Read the metrics of one font file (cached per process).

    Like an AFM file beside a Type 1 font, a sidecar ``<font>.metrics.json`` holds the same
    figures precomputed, with the SHA-256 of the font it was made from; it is used only when
    that matches the file, so a changed font is measured afresh. The bundled fonts have
    sidecars (``make font-metrics``), which spares every build importing and running fontTools
    (about 0.1 s per process).
    """
    data = read_input(path, limit=LIMITS["font"], what="font")
    check_font(data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        doc = json.loads(read_input(sidecar(path), limit=LIMITS["sidecar"]))
    except (InputError, ValueError):
        doc = None
    if (
        isinstance(doc, dict)
        and doc.get("format") == METRICS_FORMAT
        and doc.get("sha256") == digest
    ):
        try:
            return with_spaces(_from_document(doc, path.stem))
        except (KeyError, TypeError, ValueError):
            pass  # a damaged sidecar: measure the font instead
    return with_spaces(measure(data, path.stem))


def with_spaces(metrics: FontMetrics) -> FontMetrics:
    """``metrics`` with the no-break space measured as the space when the font lacks it
    (Carlito has no U+00A0): reportlab sets it as a space, the previews draw no glyph for
    white space, and PowerPoint uses the real font. Sidecars keep the font's own table."""
    widths = metrics.widths
    if 0x20 in widths:
        widths.setdefault(0xA0, widths[0x20])
    return metrics


def measure(data: bytes, name: str) -> FontMetrics:
    """The metrics of a TrueType font's bytes, read with fontTools.

    A file fontTools cannot read (or that lacks the tables measured here) is :class:`NotAFont`.
    """
    try:
        return _measure(data, name)
    except Exception as exc:  # fontTools raises TTLibError, KeyError, struct.error, ...
        raise NotAFont(f"cannot be read as a font ({type(exc).__name__}: {exc})") from None


def _measure(data: bytes, name: str) -> FontMetrics:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    try:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        widths = {cp: hmtx[glyph][0] for cp, glyph in cmap.items() if glyph in hmtx}
        hhea = font["hhea"]
        return FontMetrics(
            name=name,
            units_per_em=int(font["head"].unitsPerEm),
            ascent=int(hhea.ascent),
            descent=abs(int(hhea.descent)),
            widths=widths,
            missing_width=int(hmtx[".notdef"][0]) if ".notdef" in hmtx else 1000,
        )
    finally:
        font.close()


def metrics_document(path: Path) -> dict[str, Any]:
    """The sidecar content for font file ``path``: its metrics, measured now, and its hash.

    Widths are stored as runs of consecutive code points: ``[first, [advance, ...]]``.
    """
    data = path.read_bytes()
    m = measure(data, path.stem)
    runs: list[list[Any]] = []
    for cp in sorted(m.widths):
        if runs and runs[-1][0] + len(runs[-1][1]) == cp:
            runs[-1][1].append(m.widths[cp])
        else:
            runs.append([cp, [m.widths[cp]]])
    return {
        "format": METRICS_FORMAT,
        "font": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "units_per_em": m.units_per_em,
        "ascent": m.ascent,
        "descent": m.descent,
        "missing_width": m.missing_width,
        "widths": runs,
    }


def _from_document(doc: dict[str, Any], name: str) -> FontMetrics:
    widths: dict[int, int] = {}
    for first, advances in doc["widths"]:
        for offset, advance in enumerate(advances):
            widths[int(first) + offset] = int(advance)
    return FontMetrics(
        name=name,
        units_per_em=int(doc["units_per_em"]),
        ascent=int(doc["ascent"]),
        descent=int(doc["descent"]),
        widths=widths,
        missing_width=int(doc["missing_width"]),
    )


def write_sidecars(paths: list[Path]) -> None:
    """Write (or refresh) the metrics sidecar of each font file in ``paths``."""
    for path in paths:
        text = json.dumps(metrics_document(path), separators=(",", ":")) + "\n"
        sidecar(path).write_text(text, encoding="utf-8")
        print(f"wrote {sidecar(path)}")


if __name__ == "__main__":  # python -m deckgen.fonts FONT.ttf ...  (make font-metrics)
    write_sidecars([Path(a) for a in sys.argv[1:]])

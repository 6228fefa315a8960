"""PDF fonts: four TrueType files in, the reportlab font names that embed them out.

Both PDF renderers (the brief, and later the deck as PDF) draw text only in fonts registered here,
so every PDF embeds the same files the planners measure with. Registration is global in
reportlab and costs a parse of each file, so it happens once per file per process.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from deckgen.fonts import FontFiles


@dataclass(frozen=True, slots=True)
class PdfFonts:
    """The registered reportlab names of a theme's four faces; ``family`` maps ``<b>``/``<i>``."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    heading: PdfFonts | None = None  # the titles' faces, when they are another family

    def face(self, *, bold: bool = False, italic: bool = False, heading: bool = False) -> str:
        """The font name of one face (of the heading family with ``heading``, if there is one)."""
        if heading and self.heading is not None:
            return self.heading.face(bold=bold, italic=italic)
        return {
            (False, False): self.regular,
            (True, False): self.bold,
            (False, True): self.italic,
            (True, True): self.bold_italic,
        }[(bold, italic)]


@lru_cache(maxsize=32)
def _register_file(path: Path) -> str:
    name = f"deckgen-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@lru_cache(maxsize=8)
def _register(regular: Path, bold: Path, italic: Path, bold_italic: Path) -> PdfFonts:
    names = [_register_file(p) for p in (regular, bold, italic, bold_italic)]
    family = "deckgen-family-" + "|".join(p.stem for p in (regular, bold, italic, bold_italic))
    # One family name of its own maps every face, so <b> and <i> in paragraph markup (and
    # reportlab's bold/italic lookups from any of the four names) pick the right file.
    for (is_bold, is_italic), face in zip(
        ((False, False), (True, False), (False, True), (True, True)), names, strict=True
    ):
        addMapping(family, int(is_bold), int(is_italic), face)
    return PdfFonts(family, names[0], names[1], names[2], names[3])


def register_fonts(files: FontFiles) -> PdfFonts:
    """Register (once) and name the regular, bold, italic and bold-italic faces of ``files``
    (and of its heading faces, when it has them)."""
    body = _register(files.regular, files.bold, files.italic, files.bold_italic)
    if files.heading is None:
        return body
    h = files.heading
    return replace(body, heading=_register(h.regular, h.bold, h.italic, h.bold_italic))

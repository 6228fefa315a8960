"""A template's look: a theme and what a corporate template says of itself in, the theme a
templated deck is drawn in out (pure).

The template's colour scheme (``dk1``/``lt1``/``dk2``/``lt2``, ``accent1``-``6``, resolved
through the master's colour map) is mapped onto deckgen's colour roles, and its title and body
fonts onto the deck's heading and body families, each measured with a bundled font
(:func:`deckgen.fonts.measuring_font`). What a theme's ``template.palette`` sets wins over the
template. The classification banner and the status colours keep the theme's: they carry
meaning (a protective marking; green, amber, red), not a house style. Readability is the kit's
business: every text colour is checked against what is behind it where it is drawn.
"""

from __future__ import annotations

from deckgen.fonts import FontFiles, measuring_font
from deckgen.plan.colour import mix
from deckgen.project import builtin
from deckgen.template import TemplateInfo
from deckgen.theme import Fonts, Palette, Theme


def palette(theme: Theme, info: TemplateInfo) -> Palette:
    """The template's colour scheme as deckgen's roles (the theme's where it gives none)."""
    c = info.colors
    if not all(k in c for k in ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2")):
        mapped = theme.palette
    else:
        text, ground = c.get("tx1", c["dk1"]), c.get("bg1", c["lt1"])
        strong, soft = c.get("tx2", c["dk2"]), c.get("bg2", c["lt2"])
        accents = [c[f"accent{i}"] for i in range(1, 7) if f"accent{i}" in c]
        mapped = theme.palette.model_copy(
            update={
                "primary": strong,  # deckgen's own titles, numbers, dark panels
                "secondary": c["accent1"],  # kickers, labels
                "accent": c["accent2"],  # rules, highlights, the current section
                "text": text,
                "muted": mix(text, ground, 0.35),
                "background": ground,
                "surface": mix(soft, ground, 0.5),  # cards
                "on_primary": ground,
                "ahead": mix(c["accent1"], ground, 0.88),
                "ahead_rule": c["accent1"],
                "highlight": c["accent2"],
                "chart": accents,
                "grid": mix(text, ground, 0.85),
                "axis": mix(text, ground, 0.6),
                "chart_target": mix(c["accent1"], ground, 0.7),
            }
        )
    spec = theme.template
    if spec is not None:
        chosen = spec.palette.model_dump(exclude_none=True)
        if chosen:
            data = mapped.model_dump()
            data.update(chosen)
            mapped = Palette.model_validate(data)
    return mapped


def _files(family: str) -> tuple[FontFiles, str, float]:
    sub = measuring_font(family)
    folder = builtin("fonts")
    regular, bold, italic, bold_italic = (folder / f for f in sub.files)
    files = FontFiles(family, regular, bold, italic, bold_italic, margin=sub.margin)
    how = "metric-compatible" if sub.exact else f"a wide substitute, {sub.margin:.0%} kept free"
    return files, f"{family} measured with {sub.measured_with} ({how})", sub.margin


def templated(theme: Theme, info: TemplateInfo) -> Theme:
    """``theme`` in ``info``'s colours and fonts (the fonts only where the template names one)."""
    body_name = info.body_font or info.minor
    heading_name = info.title_font or info.major
    origin: list[str] = []
    fonts, margin, heading = theme.fonts, 0.0, None
    if body_name:
        files, said, margin = _files(body_name)
        origin.append(f"template body font {said}")
        fonts = Fonts(
            family=body_name[:64],
            regular=files.regular.name,
            bold=files.bold.name,
            italic=files.italic.name,
            bold_italic=files.bold_italic.name,
        )
        for face, path in (
            ("regular", files.regular),
            ("bold", files.bold),
            ("italic", files.italic),
            ("bold_italic", files.bold_italic),
        ):
            fonts._paths[face] = path
    if heading_name and heading_name != body_name:
        heading, said, _ = _files(heading_name)
        origin.append(f"template title font {said}")
    return theme.templated(palette(theme, info), fonts, margin, heading, tuple(origin))

"""Glyph coverage: outline and theme in, a located warning per text field with characters the
bundled fonts cannot draw (which would otherwise print as empty boxes)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.diagnostics import Diagnostic
from deckgen.fonts import load_metrics
from deckgen.outline import Outline
from deckgen.theme import Theme

TextPath = tuple[str | int, ...]

# Scripts whose letters join (take a form by their neighbours): Arabic, Syriac, N'Ko, Mongolian.
# PowerPoint and Word shape them; the PDF writers and previews draw one glyph per character, so
# such text would print unjoined there even in a font that has the glyphs.
_JOINING = re.compile(
    "[\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u07c0-\u07ff\u0860-\u08ff"
    "\u1800-\u18af\ufb50-\ufdff\ufe70-\ufeff]"
)


def text_fields(outline: Outline) -> Iterator[tuple[TextPath, str]]:
    """Every text value of the outline with its key path."""
    meta = outline.meta
    for key in ("title", "subtitle", "author", "classification", "kind"):
        value = getattr(meta, key)
        if value:
            yield ("meta", key), value
    yield ("summary",), outline.summary
    for i, kj in enumerate(outline.key_judgements):
        yield ("key_judgements", i, "text"), kj.text
    for i, s in enumerate(outline.sections):
        for key in ("title", "lead", "assessment", "looking_ahead", "notes"):
            value = getattr(s, key)
            if value:
                yield ("sections", i, key), value
        if s.image is not None:  # the brief prints it as the picture's caption
            yield ("sections", i, "image", "alt"), s.image.alt
        if s.chart is not None:
            yield ("sections", i, "chart", "title"), s.chart.title
        for j, kp in enumerate(s.key_points):
            yield ("sections", i, "key_points", j, "headline"), kp.headline
            yield ("sections", i, "key_points", j, "detail"), kp.detail
        for j, m in enumerate(s.metrics):
            for key in ("label", "value", "unit", "context", "source", "target"):
                value = getattr(m, key)
                if value:
                    yield ("sections", i, "metrics", j, key), value
    yield ("conclusion", "text"), outline.conclusion.text
    yield ("conclusion", "looking_ahead"), outline.conclusion.looking_ahead
    for i, src in enumerate(outline.sources):
        for key in ("title", "publisher", "date"):
            yield ("sources", i, key), getattr(src, key)


def check_glyphs(outline: Outline, theme: Theme) -> list[Diagnostic]:
    """Warnings for characters that no bundled face of the theme's font can draw."""
    faces = [load_metrics(p) for p in theme.font_files()]
    out = []
    for path, text in text_fields(outline):
        missing = sorted(
            {c for c in set(text) if c not in " \t\r\n" and not any(f.covers(c) for f in faces)}
        )
        if missing:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            out.append(
                outline.diagnostic(
                    path, f"the font {theme.fonts.family!r} has no glyph for {shown}{more}"
                )
            )
        elif _JOINING.search(text):
            out.append(
                outline.diagnostic(
                    path,
                    "has letters that join (Arabic script): PowerPoint and Word join them, but "
                    "the PDF brief, the deck PDF and the previews would print them unjoined",
                )
            )
    return out

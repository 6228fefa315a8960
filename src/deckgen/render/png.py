"""PNG previews: a slide plan in, one PNG per slide and a contact sheet of them out (Pillow).

Slides are drawn from the drawing operations of :mod:`deckgen.render.slide_draw` (the same ones
the deck PDF draws) with the theme's bundled fonts, scaled to the chosen width. Glyphs are placed
one by one at the planner's measured offsets, so hinting at small pixel sizes can neither make a
line drift nor close the space between two words. PNGs carry no timestamps or text chunks, and
FreeType's basic layout is used whether or not Raqm is installed, so the same plan gives the same
bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from deckgen.fonts import FontFiles, FontSet
from deckgen.model import DeckPlan, PreparedImage
from deckgen.render import Assets
from deckgen.render.slide_draw import Image as Picture
from deckgen.render.slide_draw import Line, Op, Rect, Text, slide_ops

DEFAULT_WIDTH = 1280
THUMB_WIDTH = 320
SHEET_COLUMNS = 5
SHEET_GAP = 16
LABEL_HEIGHT = 22
SHEET_BACKGROUND = "EEF0F3"
# Narrower images are drawn at least this wide and reduced: at small pixel sizes hinting widens
# glyphs enough to close the gaps between words placed at their measured offsets.
MIN_DRAW_WIDTH = 1280


def write(plan: DeckPlan, assets: Assets) -> bytes:
    """The contact sheet of ``plan`` (the ``png`` build format)."""
    return contact_sheet(plan, assets.fonts, images=assets.images)


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


@lru_cache(maxsize=256)
def _font(path: Path, pixels: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), pixels, layout_engine=ImageFont.Layout.BASIC)


Images = Mapping[str, PreparedImage]


def draw_slide(
    plan: DeckPlan, index: int, files: FontFiles, width: int, images: Images | None = None
) -> Image.Image:
    """Slide ``index`` (0-based) of ``plan`` as an RGB image ``width`` pixels wide."""
    fonts = FontSet.of(files)
    height = round(plan.height * width / plan.width)
    factor = max(1, math.ceil(MIN_DRAW_WIDTH / width))
    big = width * factor
    img = Image.new("RGB", (big, round(plan.height * big / plan.width)), "white")
    ops = slide_ops(plan.slides[index], plan, fonts)
    _draw(img, ops, big / plan.width, files, fonts, images or {})
    if factor == 1:
        return img
    return img.resize((width, height), Image.Resampling.LANCZOS)


def _draw(
    img: Image.Image, ops: list[Op], s: float, files: FontFiles, fonts: FontSet, images: Images
) -> None:
    draw = ImageDraw.Draw(img)
    for op in ops:
        if isinstance(op, Rect):
            x0, y0 = round(op.x * s), round(op.y * s)
            x1, y1 = round((op.x + op.w) * s), round((op.y + op.h) * s)
            if x1 <= x0 or y1 <= y0:
                continue
            if op.ellipse:
                draw.ellipse((x0, y0, x1 - 1, y1 - 1), fill=_rgb(op.color))
            else:
                draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=_rgb(op.color))
        elif isinstance(op, Line):
            width = max(1, round(op.width * s))
            draw.line(
                (op.x1 * s, op.y1 * s, op.x2 * s, op.y2 * s), fill=_rgb(op.color), width=width
            )
        elif isinstance(op, Text):
            faces = files.heading if op.heading and files.heading is not None else files
            measure = fonts.for_heading() if op.heading else fonts
            font = _font(faces.face(op.bold, op.italic), op.size * s)
            fill = _rgb(op.color)
            x = op.x
            # Each glyph at its measured offset: FreeType's hinting widens glyphs at small
            # pixel sizes, and drawn word by word 14 pt body text at 1,280 px closed the
            # spaces between words ("advocatedmulti-year").
            for ch in op.text:
                if not ch.isspace():
                    draw.text((x * s, op.y * s), ch, font=font, fill=fill, anchor="ls")
                x += measure.width(ch, op.bold, op.italic, op.size)
        elif isinstance(op, Picture) and op.key in images:
            w, h = max(1, round(op.w * s)), max(1, round(op.h * s))
            with Image.open(io.BytesIO(images[op.key].data)) as src:
                pic = src.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS)
            img.paste(pic, (round(op.x * s), round(op.y * s)), pic)


def png_bytes(img: Image.Image, *, palette: bool = False) -> bytes:
    """PNG bytes with no metadata chunks (no time, no text): the same pixels, the same bytes.

    With ``palette`` the image is reduced to 256 colours first (median cut, no dithering, so
    still deterministic): a contact sheet shrinks to about a third and stays crisp.
    """
    if palette:
        img = img.quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False, compress_level=9 if palette else 6)
    return out.getvalue()


def slide_pngs(
    plan: DeckPlan,
    files: FontFiles,
    width: int = DEFAULT_WIDTH,
    slides: Sequence[int] | None = None,
    images: Images | None = None,
) -> dict[str, bytes]:
    """``{"NN.png": bytes}`` for the chosen 0-based slide indexes (default: all), 1-based names."""
    chosen = range(len(plan.slides)) if slides is None else slides
    digits = max(2, len(str(len(plan.slides))))
    return {
        f"{i + 1:0{digits}d}.png": png_bytes(draw_slide(plan, i, files, width, images))
        for i in chosen
    }


def contact_sheet(
    plan: DeckPlan,
    files: FontFiles,
    slides: Sequence[int] | None = None,
    *,
    thumb_width: int = THUMB_WIDTH,
    columns: int = SHEET_COLUMNS,
    images: Images | None = None,
) -> bytes:
    """A grid of slide thumbnails, each numbered and titled beneath, as PNG bytes."""
    chosen = list(range(len(plan.slides)) if slides is None else slides)
    thumb_h = round(plan.height * thumb_width / plan.width)
    cols = max(1, min(columns, len(chosen)))
    rows = max(1, math.ceil(len(chosen) / cols))
    cell_w, cell_h = thumb_width + SHEET_GAP, thumb_h + LABEL_HEIGHT + SHEET_GAP
    sheet = Image.new(
        "RGB", (cols * cell_w + SHEET_GAP, rows * cell_h + SHEET_GAP), _rgb(SHEET_BACKGROUND)
    )
    draw = ImageDraw.Draw(sheet)
    label_font = _font(files.bold, 12)
    title_font = _font(files.regular, 12)
    for k, index in enumerate(chosen):
        x = SHEET_GAP + (k % cols) * cell_w
        y = SHEET_GAP + (k // cols) * cell_h
        thumb = draw_slide(plan, index, files, thumb_width, images)
        draw.rectangle((x - 1, y - 1, x + thumb_width, y + thumb_h), fill=_rgb("B8C0CC"))
        sheet.paste(thumb, (x, y))
        number = str(index + 1)
        base = y + thumb_h + 16
        draw.text((x, base), number, font=label_font, fill=_rgb("1B2A41"), anchor="ls")
        left = x + label_font.getlength(number) + 8
        title = _ellipsis(plan.slides[index].title, title_font, x + thumb_width - left)
        draw.text((left, base), title, font=title_font, fill=_rgb("4A5568"), anchor="ls")
    return png_bytes(sheet, palette=True)


def _ellipsis(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "\u2026") > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def preview_files(
    plan: DeckPlan,
    files: FontFiles,
    stem: str,
    *,
    width: int = DEFAULT_WIDTH,
    slides: Sequence[int] | None = None,
    images: Images | None = None,
) -> dict[str, bytes]:
    """Every preview file by path relative to the output directory.

    ``<stem>-slides/NN.png`` for each chosen slide, and the contact sheet ``<stem>-slides.png``
    when every slide is chosen (a partial sheet would overwrite the build's whole one).
    """
    out = {
        f"{stem}-slides/{name}": data
        for name, data in slide_pngs(plan, files, width, slides, images).items()
    }
    if slides is None:
        out[f"{stem}-slides.png"] = contact_sheet(plan, files, images=images)
    return out


def parse_slides(spec: str, count: int) -> list[int]:
    """``"5-8,10"`` -> 0-based indexes [4, 5, 6, 7, 9]; ranges are 1-based and inclusive.

    Raises ValueError naming the problem for anything else or for slides outside 1..count.
    """
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        lo_s, sep, hi_s = part.partition("-")
        try:
            lo = int(lo_s) if lo_s.strip() else 1
            hi = (int(hi_s) if hi_s.strip() else count) if sep else lo
        except ValueError:
            raise ValueError(f"--slides: {part!r} is not a slide number or range") from None
        if not 1 <= lo <= hi <= count:
            raise ValueError(f"--slides: {part!r} is outside 1-{count} (the deck has {count})")
        out.extend(i - 1 for i in range(lo, hi + 1) if i - 1 not in out)
    if not out:
        raise ValueError("--slides: no slides chosen")
    return out

"""What both PDF renderers share: a reproducible reportlab canvas, and drawing operations on it.

The deck PDF draws whole slides and the brief draws its charts from the same operations of
:mod:`deckgen.render.slide_draw` (so a chart looks alike in the deck, its PDF and the brief).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from hashlib import md5
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfgen.canvas import Canvas

from deckgen.model import PreparedImage
from deckgen.render.pdf_fonts import PdfFonts
from deckgen.render.slide_draw import Image, Line, Op, Rect, Text


def color(hex_: str) -> Color:
    """A reportlab colour from ``RRGGBB``."""
    return HexColor("#" + hex_)


def pinned_canvas(created: datetime) -> type[Canvas]:
    """A canvas class whose document dates and file identifier derive from ``created`` only."""
    when = created.astimezone(UTC)
    epoch = int(when.timestamp())

    class PinnedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            super().__init__(*args, **kwargs)
            stamp = TimeStamp(invariant=1)
            stamp.t = epoch
            stamp.lt = when.timetuple()
            stamp.YMDhms = tuple(when.timetuple())[:6]
            stamp.dhh = stamp.dmm = 0
            stamp.tzname = "UTC"
            doc = self._doc
            doc._timeStamp = stamp
            # The file identifier is a digest seeded with the timestamp; reseed it with ours so
            # that neither the clock nor the environment leaks into the bytes.
            doc.signature = md5(b"a reportlab document", usedforsecurity=False)
            doc.signature.update(ascii(epoch).encode("ascii"))

    return PinnedCanvas


def draw_ops(
    c: Canvas,
    ops: Sequence[Op],
    height: float,
    faces: PdfFonts,
    images: Mapping[str, PreparedImage],
) -> None:
    """Draw ``ops`` (y down from the top of an area ``height`` tall) with reportlab (y up)."""
    for op in ops:
        if isinstance(op, Rect):
            if op.w <= 0 or op.h <= 0:
                continue
            c.setFillColor(color(op.color))
            if op.ellipse:
                c.ellipse(op.x, height - op.y - op.h, op.x + op.w, height - op.y, stroke=0, fill=1)
            else:
                c.rect(op.x, height - op.y - op.h, op.w, op.h, stroke=0, fill=1)
        elif isinstance(op, Line):
            c.setStrokeColor(color(op.color))
            c.setLineWidth(op.width)
            c.line(op.x1, height - op.y1, op.x2, height - op.y2)
        elif isinstance(op, Text):
            c.setFillColor(color(op.color))
            c.setFont(faces.face(bold=op.bold, italic=op.italic, heading=op.heading), op.size)
            c.drawString(op.x, height - op.y, op.text)
        elif isinstance(op, Image) and op.key in images:
            reader = ImageReader(io.BytesIO(images[op.key].data))
            c.drawImage(reader, op.x, height - op.y - op.h, op.w, op.h, mask="auto")

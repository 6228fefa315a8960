"""An overflow oracle that does not trust the planner's arithmetic.

It reads the deck PDF as a PDF reader does (pdfplumber: every drawn character with the box its
font gives it) and checks what was drawn, not what was planned:

- every character is on the page;
- every character lies inside the box of a text frame or a chart of the slide's plan (the frames
  are where the deck's text may be; text that ran past its frame is outside every frame, or
  lands on another frame's text);
- no character is drawn over a character of another line (two lines on top of each other are
  what overflowing text looks like on a slide).

The planner's own check (``textfit``'s wrap against each frame's height) is the same arithmetic
that placed the text; this one only shares the font files with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from deckgen.model import ChartFrame, DeckPlan, TextFrame

# A glyph's box reaches a descent past its line (about 0.21 x size: 2 pt at the footer's 9 pt),
# and positions are written to 0.01 pt: a character may stand 2 pt outside its frame's box.
TOLERANCE = 2.0
# Characters of two lines overlap when their boxes share more than this part of the smaller one's
# height and any width: glyph boxes of lines set at the theme's leading touch but do not overlap.
OVERLAP = 0.25


@dataclass(frozen=True)
class Problem:
    slide: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"slide {self.slide}: {self.text!r} {self.why}"


def _inside(c: dict[str, Any], box: Any) -> bool:
    return (
        c["x0"] >= box.x - TOLERANCE
        and c["x1"] <= box.x + box.w + TOLERANCE
        and c["top"] >= box.y - TOLERANCE
        and c["bottom"] <= box.y + box.h + TOLERANCE
    )


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped by baseline (the same ``bottom`` within 0.1 pt and the same size)."""
    lines: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for c in chars:
        lines.setdefault((round(c["bottom"], 1), round(c["size"], 1)), []).append(c)
    return list(lines.values())


def _word(line: list[dict[str, Any]], near: dict[str, Any]) -> str:
    """The word of ``line`` around character ``near``, to name a problem."""
    ordered = sorted(line, key=lambda c: c["x0"])
    i = ordered.index(near)
    lo, hi = i, i
    while lo > 0 and ordered[lo - 1]["text"].strip():
        lo -= 1
    while hi < len(ordered) - 1 and ordered[hi + 1]["text"].strip():
        hi += 1
    return "".join(c["text"] for c in ordered[lo : hi + 1])


def problems(pdf: Path, plan: DeckPlan) -> list[Problem]:
    """Every drawn character of ``pdf`` that is off its page, outside every frame of its slide,
    or over a character of another line."""
    found: list[Problem] = []
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(plan.slides)
        for number, (slide, page) in enumerate(zip(plan.slides, doc.pages, strict=True), 1):
            boxes = [f.box for f in slide.frames if isinstance(f, TextFrame | ChartFrame)]
            chars = [c for c in page.chars if c["text"].strip()]
            lines = _lines(chars)
            for line in lines:
                for c in line:
                    if (
                        c["x0"] < -TOLERANCE
                        or c["x1"] > plan.width + TOLERANCE
                        or (c["top"] < -TOLERANCE or c["bottom"] > plan.height + TOLERANCE)
                    ):
                        found.append(Problem(number, _word(line, c), "is off the slide"))
                        break
                    if not any(_inside(c, b) for b in boxes):
                        found.append(Problem(number, _word(line, c), "is outside every frame"))
                        break
            found += _overlaps(number, lines)
    return found


def _overlaps(number: int, lines: list[list[dict[str, Any]]]) -> list[Problem]:
    spans = [
        (min(c["x0"] for c in ln), max(c["x1"] for c in ln), ln[0]["top"], ln[0]["bottom"], ln)
        for ln in lines
    ]
    out = []
    for i, (x0, x1, top, bottom, line) in enumerate(spans):
        for ox0, ox1, otop, obottom, other in spans[i + 1 :]:
            if x1 <= ox0 or ox1 <= x0:
                continue
            shared = min(bottom, obottom) - max(top, otop)
            if shared <= OVERLAP * min(bottom - top, obottom - otop):
                continue
            for c in line:
                hit = next(
                    (
                        o
                        for o in other
                        if c["x0"] < o["x1"]
                        and o["x0"] < c["x1"]
                        and min(c["bottom"], o["bottom"]) - max(c["top"], o["top"])
                        > OVERLAP * min(c["bottom"] - c["top"], o["bottom"] - o["top"])
                    ),
                    None,
                )
                if hit is not None:
                    why = f"is drawn over {_word(other, hit)!r}"
                    out.append(Problem(number, _word(line, c), why))
                    break
    return out

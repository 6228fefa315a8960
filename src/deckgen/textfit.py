"""The fit engine: styled paragraphs and a box in, the largest font size that fits (or none) out.

Text is wrapped with the real advance widths of the bundled fonts; a word longer than a line is
broken between characters, as PowerPoint, LibreOffice and reportlab all do. Heights use an
explicit line pitch (``size * leading``) that the renderers write out, so what is measured here
is what is drawn.

Results are kept per process, keyed by the text (its styled runs), the box (width, and height
for a fit), the size or size range, and the fonts (the four faces' metrics). A deck plans every
paragraph of every slide again after each edit in ``deckgen watch``; with the results kept, only
the text that changed is measured again (Rutte, one title edited: the deck plan fell from about
0.10 s to about 0.03 s warm; see docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from deckgen.fonts import FontMetrics, FontSet, words_of
from deckgen.richtext import Run

# Measured widths are compared with the box width less this share, so that small differences
# between renderers' line breaking (hyphens, rounding of widths) never push a line over.
WIDTH_SAFETY = 0.04
SIZE_STEP = 0.5

# Kept results, by (what was measured, the fonts' key). Each is emptied when it reaches its
# bound, so a long watch session or a 1,200-section deck holds at most a few tens of megabytes.
CACHE_LIMIT = 200_000
_LINES: dict[tuple[object, ...], tuple[tuple[Run, ...], ...]] = {}
_COUNTS: dict[tuple[object, ...], int] = {}
_FITS: dict[tuple[object, ...], Fit] = {}
# The metrics objects a font key was made from, kept alive so that their ids stay theirs.
_FACES: dict[tuple[float, ...], tuple[FontMetrics, ...]] = {}


class _Last:
    """The font set last asked for, and its key."""

    fonts: FontSet | None = None
    key: tuple[float, ...] = ()


_STYLES = ((False, False), (True, False), (False, True), (True, True))


def _font_key(fonts: FontSet) -> tuple[float, ...]:
    """A key for the four faces of ``fonts``: the identities of their metrics, and the share
    of each line kept free when they stand in for another font (``FontSet.margin``).

    Metrics are loaded once per font file and process (:func:`deckgen.fonts.load_metrics`), so
    a changed font is a new object and a new key once that cache is cleared. A plan measures
    with one font set throughout, so its key is remembered.
    """
    if _Last.fonts is fonts:
        return _Last.key
    faces = tuple(fonts.metrics(b, i) for b, i in _STYLES)
    key = (*(id(f) for f in faces), fonts.margin)
    _FACES.setdefault(key, faces)
    _Last.fonts, _Last.key = fonts, key
    return key


def clear_cache() -> None:
    """Forget every kept result (after a font changed, or to measure a cold plan)."""
    for cache in (_LINES, _COUNTS, _FITS, _FACES):
        cache.clear()
    _Last.fonts, _Last.key = None, ()


_V = TypeVar("_V")


def _kept(
    cache: dict[tuple[object, ...], _V], key: tuple[object, ...], make: Callable[[], _V]
) -> _V:
    """The value kept under ``key``, made (and kept) on first use; a full cache starts over."""
    value = cache.get(key)
    if value is None:
        value = make()
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cache[key] = value
    return value


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph to fit: runs, a scale relative to the frame's base size, and spacing."""

    runs: tuple[Run, ...]
    scale: float = 1.0
    leading: float = 1.2
    space_after: float = 0.4  # in multiples of the paragraph's size
    indent: float = 0.0  # points, for bullets


def wrap(runs: tuple[Run, ...], width: float, size: float, fonts: FontSet) -> list[list[Run]]:
    """Greedy line breaking of ``runs`` at ``size`` into lines no wider than ``width`` points."""
    kept = _kept(
        _LINES,
        (runs, width, size, _font_key(fonts)),
        lambda: tuple(tuple(line) for line in _wrap(runs, width, size, fonts)),
    )
    return [list(line) for line in kept]


def _wrap(runs: tuple[Run, ...], width: float, size: float, fonts: FontSet) -> list[list[Run]]:
    usable = width * (1 - WIDTH_SAFETY - fonts.margin)
    lines: list[list[Run]] = []
    line: list[Run] = []
    used = 0.0

    for word in words_of(runs):
        w = sum(fonts.width(p.text, p.bold, p.italic, size) for p in word)
        space = fonts.width(" ", word[0].bold, word[0].italic, size) if line else 0.0
        if line and used + space + w <= usable:
            line.append(Run(" ", word[0].bold, word[0].italic))
            line.extend(word)
            used += space + w
            continue
        if line:
            lines.append(line)
            line, used = [], 0.0
        if w <= usable:
            line, used = list(word), w
            continue
        # A word wider than the line: break it between characters.
        for piece in word:
            chunk = ""
            for ch in piece.text:
                cw = fonts.width(ch, piece.bold, piece.italic, size)
                if used + cw > usable and (chunk or line):
                    if chunk:
                        line.append(Run(chunk, piece.bold, piece.italic))
                    lines.append(line)
                    line, used, chunk = [], 0.0, ""
                chunk += ch
                used += cw
            if chunk:
                line.append(Run(chunk, piece.bold, piece.italic))
    if line:
        lines.append(line)
    return lines or [[]]


def line_count(runs: tuple[Run, ...], width: float, size: float, fonts: FontSet) -> int:
    """``len(wrap(runs, width, size, fonts))``, without building the lines.

    The same greedy algorithm and the same floating-point operations as :func:`wrap`, on word
    widths measured once per paragraph; a word wider than a line takes the exact slow path.
    """
    key = (runs, width, size, _font_key(fonts))
    return _kept(_COUNTS, key, lambda: _line_count(runs, width, size, fonts))


def _line_count(runs: tuple[Run, ...], width: float, size: float, fonts: FontSet) -> int:
    usable = width * (1 - WIDTH_SAFETY - fonts.margin)
    n = 0
    used = 0.0
    open_line = False
    for units, space_unit in fonts.word_widths(runs):
        w = sum(u * size for u in units)
        space = space_unit * size if open_line else 0.0
        if open_line and used + space + w <= usable:
            used += space + w
            continue
        if open_line:
            n += 1
            open_line, used = False, 0.0
        if w <= usable:
            open_line, used = True, w
            continue
        return len(wrap(runs, width, size, fonts))
    return n + 1 if open_line else max(n, 1)


def block_height(
    block: Block, width: float, size: float, fonts: FontSet, last: bool
) -> tuple[float, int]:
    """Height in points and line count of one block at base ``size``."""
    s = size * block.scale
    n = line_count(block.runs, width - block.indent, s, fonts)
    h = n * s * block.leading
    if not last:
        h += s * block.space_after
    return h, n


def measure(blocks: list[Block], width: float, size: float, fonts: FontSet) -> tuple[float, int]:
    """Total height and line count of ``blocks`` set at base ``size`` in ``width`` points."""
    total, lines = 0.0, 0
    for i, block in enumerate(blocks):
        h, n = block_height(block, width, size, fonts, i == len(blocks) - 1)
        total += h
        lines += n
    return total, lines


@dataclass(frozen=True, slots=True)
class Fit:
    size: float
    height: float
    lines: int
    fits: bool


def fit(
    blocks: list[Block],
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    fonts: FontSet,
) -> Fit:
    """The largest base size in [min_size, max_size] (steps of 0.5 pt) at which blocks fit.

    When nothing fits, the result has ``fits=False`` at ``min_size`` and the caller continues
    the content elsewhere. Binary search: height is monotone in size.
    """
    key = (tuple(blocks), width, height, max_size, min_size, _font_key(fonts))
    return _kept(_FITS, key, lambda: _fit(blocks, width, height, max_size, min_size, fonts))


def _fit(
    blocks: list[Block],
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    fonts: FontSet,
) -> Fit:
    steps = max(0, int(round((max_size - min_size) / SIZE_STEP)))
    sizes = [min_size + i * SIZE_STEP for i in range(steps + 1)]
    lo, hi = 0, len(sizes) - 1
    h, n = measure(blocks, width, sizes[0], fonts)
    if h > height:
        return Fit(sizes[0], h, n, False)
    best = Fit(sizes[0], h, n, True)
    lo = 1
    while lo <= hi:
        mid = (lo + hi) // 2
        h, n = measure(blocks, width, sizes[mid], fonts)
        if h <= height:
            best = Fit(sizes[mid], h, n, True)
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def split_to_fit(
    blocks: list[Block], width: float, height: float, size: float, fonts: FontSet
) -> tuple[list[Block], list[Block]]:
    """Split ``blocks`` at ``size`` into what fits in ``height`` and the rest.

    Splits between blocks where possible: a block that does not fit after others starts the
    rest whole (a key point is not cut mid-sentence across two slides). Only a first block that
    does not fit on its own is split, between lines (the first part keeps whole lines). Always
    places at least one line so that continuation terminates.
    """
    used = 0.0
    for i, block in enumerate(blocks):
        h, _ = block_height(block, width, size, fonts, last=True)
        if used + h <= height:
            used += h + size * block.scale * block.space_after
            continue
        if i > 0:
            return blocks[:i], blocks[i:]
        s = size * block.scale
        lines = wrap(block.runs, width - block.indent, s, fonts)
        room = int((height - used) // (s * block.leading))
        room = max(room, 1)
        head_runs = _join_lines(lines[:room])
        tail_runs = _join_lines(lines[room:])
        head = Block(head_runs, block.scale, block.leading, block.space_after, block.indent)
        if not tail_runs:
            return [*blocks[:i], head], blocks[i + 1 :]
        tail = Block(tail_runs, block.scale, block.leading, block.space_after, block.indent)
        return [*blocks[:i], head], [tail, *blocks[i + 1 :]]
    return blocks, []


def _join_lines(lines: list[list[Run]]) -> tuple[Run, ...]:
    out: list[Run] = []
    for k, line in enumerate(lines):
        if k and line:
            out.append(Run(" ", line[0].bold, line[0].italic))
        out.extend(line)
    merged: list[Run] = []
    for run in out:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)

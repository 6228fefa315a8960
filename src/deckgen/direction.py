"""Text direction: a paragraph's base direction and its lines in visual order.

A paragraph's base direction follows its text, by the Unicode Bidirectional Algorithm's rules
P2 and P3 (UAX #9): its first strong character decides, Hebrew or Arabic right-to-left, Latin,
Greek or Cyrillic left-to-right. The planners ask :func:`is_rtl` and align right-to-left
paragraphs to the right; each writer then says it in its own terms (``rtl="1"`` in the PPTX,
``w:bidi`` in the Word brief).

PowerPoint, Word and LibreOffice order a line's characters themselves. The PDF writers and the
previews draw each line as positioned runs, so they need the line in visual order:
:func:`visual` gives it, by the full algorithm (python-bidi's implementation of UAX #9, with
mirrored brackets), keeping each piece's style.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Characters that can make a line's visual order differ from its logical order: the right-to-left
# scripts' blocks and the explicit right-to-left marks, embeddings, overrides and isolates.
# A line with none of them is drawn as it is (the fast path of every left-to-right line).
_RTL_CHARS = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ISOLATE_OPEN = {"LRI", "RLI", "FSI"}


def is_rtl(text: str) -> bool:
    """Whether ``text``'s base direction is right-to-left (UAX #9, P2 and P3).

    The first strong character (bidi class L, R or AL) outside isolates decides; text with none
    (digits, punctuation, empty) is left-to-right.
    """
    if not _RTL_CHARS.search(text):
        return False
    depth = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _ISOLATE_OPEN:
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and kind in ("L", "R", "AL"):
            return kind != "L"
    return False


def needs_reordering(text: str) -> bool:
    """Whether a line of ``text`` may be drawn in another order than it is written."""
    return _RTL_CHARS.search(text) is not None


def visual(
    pieces: Sequence[T],
    text: Callable[[T], str],
    remake: Callable[[T, str], T],
    *,
    rtl: bool,
) -> list[T]:
    """One line's ``pieces`` (runs, fragments: anything with text and a style) in the order they
    are drawn from left to right, each piece's characters in visual order.

    ``text`` gives a piece's text, ``remake`` a piece of the same style with other text. A piece
    that the algorithm splits (a left-to-right word inside a right-to-left run) becomes several;
    a piece without text comes first.
    """
    whole = "".join(text(p) for p in pieces)
    if not rtl and not needs_reordering(whole):
        return list(pieces)
    from bidi import algorithm as uax9

    storage = uax9.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uax9.get_embedding_levels(whole, storage)
    # Each character remembers the piece it came from, through the reordering below.
    owner = [i for i, p in enumerate(pieces) for _ in text(p)]
    for ch, i in zip(storage["chars"], owner, strict=True):
        ch["piece"] = i
    debug = False
    uax9.explicit_embed_and_overrides(storage, debug)
    uax9.resolve_weak_types(storage, debug)
    uax9.resolve_neutral_types(storage, debug)
    uax9.resolve_implicit_levels(storage, debug)
    uax9.reorder_resolved_levels(storage, debug)
    uax9.apply_mirroring(storage, debug)
    # Pieces without text (a PDF paragraph's anchors) have no place in the order: first.
    out: list[T] = [p for p in pieces if not text(p)]
    current, chars = -1, list[str]()
    for ch in storage["chars"]:
        if ch["piece"] != current and chars:
            out.append(remake(pieces[current], "".join(chars)))
            chars = []
        current = ch["piece"]
        chars.append(ch["ch"])
    if chars:
        out.append(remake(pieces[current], "".join(chars)))
    return out

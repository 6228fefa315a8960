"""Wording the planners share: a paragraph's first sentence (dates: :mod:`.catalogue`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from deckgen.richtext import Run

# A sentence ends at . ! or ? followed by space and a capital (or the end), but not after an
# initial such as the "S." of "U.S." or a single capital ("J. Smith").
_SENTENCE_END = re.compile(r"(?<!\.[A-Z])(?<!\b[A-Z])[.!?](?=\s+[\"'\u201c\u2018(A-Z0-9]|\s*$)")


def first_sentence(runs: Sequence[Run]) -> tuple[Run, ...]:
    """The runs up to the end of the first sentence (the short form of a paragraph)."""
    out: list[Run] = []
    for run in runs:
        m = _SENTENCE_END.search(run.text)
        if m:
            out.append(Run(run.text[: m.end()], run.bold, run.italic))
            return tuple(out)
        out.append(run)
    return tuple(out)

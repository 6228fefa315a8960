"""Inline emphasis: outline text in, styled runs out.

The outline format has exactly two kinds of markup, ``**bold**`` and ``*italic*``; a backslash
escapes an asterisk. Everything else, ``<``, ``&`` and ``>`` included, is literal text, and an
unmatched asterisk is literal too. Both renderers consume the runs, never the raw string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\\\*|\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.S)


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


def parse(text: str, *, bold: bool = False, italic: bool = False) -> list[Run]:
    """Split ``text`` into runs; ``bold``/``italic`` give the base style."""
    runs: list[Run] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold, italic))
        if m.group(0) == "\\*":
            runs.append(Run("*", bold, italic))
        elif m.group(1) is not None:
            runs.extend(parse(m.group(1), bold=True, italic=italic))
        else:
            runs.extend(parse(m.group(2), bold=bold, italic=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return merge(runs)


def merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style and drop empty ones."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and (out[-1].bold, out[-1].italic) == (run.bold, run.italic):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(run)
    return out


def plain(text: str) -> str:
    """The text without its markup, as a reader sees it."""
    return "".join(r.text for r in parse(text))


def paragraphs(text: str) -> list[str]:
    """Split text at blank lines; single newlines inside a paragraph become spaces."""
    parts = re.split(r"\n\s*\n", text.strip())
    return [" ".join(p.split()) for p in parts if p.strip()]

"""Diagnostics: one message about one place in one input file, and the error that carries them.

Every layer reports problems as :class:`Diagnostic` values instead of raising on the first one,
so a user sees all the problems of an outline at once, each as ``file:line:col: path: message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

COMMAND_LINE = "<command line>"  # the "file" of problems with options (``--theme``)


class Severity(StrEnum):
    """How bad a diagnostic is; ``--strict`` promotes warnings to errors."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"  # normal adaptation worth knowing (text shrunk within the theme's range)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem (or remark) at one place in an input file.

    ``line`` and ``col`` are 1-based; 0 means "the whole file". ``path`` is the key path inside
    the document (``sections[3].metrics[1].value``), empty for file-level problems.
    """

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """Render as ``file:line:col: path: message`` (``warning:`` prefixed for warnings)."""
        where = f"{self.file}:{self.line}:{self.col}:"
        kind = "" if self.severity is Severity.ERROR else f" {self.severity.value}:"
        key = f" {self.path}:" if self.path else ""
        return f"{where}{kind}{key} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": self.path,
            "message": self.message,
            "severity": self.severity.value,
        }


class DeckgenError(Exception):
    """Base class of every error deckgen raises on purpose."""


class UsageError(DeckgenError):
    """The command line asks for something that does not exist (``--format odt``)."""


class InputError(DeckgenError):
    """Bad input: carries every diagnostic found, sorted by position."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.file, d.line, d.col, d.path))
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def errors_in(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> list[Diagnostic]:
    """The diagnostics that stop a build: errors, plus warnings when ``strict``.

    Notices (text set smaller within the theme's range) are normal adaptations, never failures.
    """
    stopping = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    return [d for d in diagnostics if d.severity in stopping]

"""Build reporting: target results in, plain lines, a progress display or a JSON summary out.

Diagnostics always go to stderr as ``file:line:col: path: message``; status lines and the JSON
summary go to stdout. Errors and warnings are always shown; notices (normal adaptations, such as
text set smaller within the theme's range) are listed with ``-v`` and otherwise only counted.
rich is imported only when a progress display is actually shown.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from deckgen.build import FAILED, STALE, UP_TO_DATE, Reporter, Summary, TargetResult
from deckgen.diagnostics import Severity


def _line(r: TargetResult) -> str:
    shown = r.path or r.outline
    took = f" ({r.seconds:.2f} s)" if r.status not in (UP_TO_DATE, STALE) and r.seconds else ""
    return f"{r.status:<10} {shown}{took}"


def _diagnostics(
    r: TargetResult, err: TextIO, seen: set[str], hidden: set[str] | None = None
) -> None:
    """Print ``r``'s diagnostics once each; notices go into ``hidden`` instead, when given."""
    if r.status == UP_TO_DATE:
        return  # said when it was built; the JSON summary still carries them
    for d in r.diagnostics:
        text = d.format()
        if d.severity is Severity.NOTICE and hidden is not None:
            hidden.add(text)
            continue
        if text not in seen:  # an outline's input errors are shared by all its targets
            seen.add(text)
            print(text, file=err)


def _refused_by_strict(summary: Summary) -> list[TargetResult]:
    """Failed targets with warnings and no error: only ``--strict`` can have failed them."""
    return [
        t
        for t in summary.targets
        if t.status == FAILED
        and t.diagnostics
        and not any(d.severity is Severity.ERROR for d in t.diagnostics)
    ]


def _totals(summary: Summary) -> str:
    counts = summary.counts()
    parts = [f"{n} {status}" for status, n in sorted(counts.items())]
    verb = "checked" if summary.check else "built"
    return (
        f"deckgen: {verb} {len(summary.targets)} targets in {summary.seconds:.2f} s: "
        + ", ".join(parts)
    )


class PlainReporter(Reporter):
    """One line per target; for logs, pipes and single outlines."""

    def __init__(
        self,
        out: TextIO | None = None,
        err: TextIO | None = None,
        quiet_ok: bool = False,
        verbose: bool = False,
    ):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.quiet_ok = quiet_ok
        self._seen: set[str] = set()
        self._notices: set[str] | None = None if verbose else set()

    def result(self, result: TargetResult) -> None:
        _diagnostics(result, self.err, self._seen, self._notices)
        if not (self.quiet_ok and result.status == UP_TO_DATE):
            print(_line(result), file=self.out, flush=True)

    def finish(self, summary: Summary) -> None:
        stale = [t for t in summary.targets if t.status == STALE]
        if summary.check and stale:
            print(f"deckgen: {len(stale)} targets would change", file=self.err)
        strict = _refused_by_strict(summary)
        if strict:
            warned = {
                d.format() for t in strict for d in t.diagnostics if d.severity is Severity.WARNING
            }
            n = len(warned)
            print(
                f"deckgen: --strict: the {n} warning{'s' if n != 1 else ''} above stopped "
                f"{', '.join(t.path for t in strict)}; nothing was written for them",
                file=self.err,
            )
        if self._notices:
            n = len(self._notices)
            print(
                f"deckgen: {n} notice{'s' if n != 1 else ''} (text set smaller to fit, and the "
                "like); -v lists them",
                file=self.err,
            )
        failed = {t.outline for t in summary.targets if t.status == FAILED}
        if failed:
            print(
                f"deckgen: {len(failed)} outline(s) failed: {', '.join(sorted(failed))}",
                file=self.err,
            )
        if len(summary.targets) > 2 or summary.check:
            print(_totals(summary), file=self.out, flush=True)


class JsonReporter(Reporter):
    """Nothing but diagnostics until the end, then the whole summary as one JSON document."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._seen: set[str] = set()

    def result(self, result: TargetResult) -> None:
        _diagnostics(result, self.err, self._seen)

    def finish(self, summary: Summary) -> None:
        json.dump(summary.as_dict(), self.out, indent=2)
        print(file=self.out, flush=True)


class RichReporter(PlainReporter):
    """A progress bar over the outlines being built, with the per-target lines above it."""

    def __init__(self, verbose: bool = False) -> None:
        super().__init__(verbose=verbose)
        self._progress: Any = None
        self._task: Any = None
        self._outlines: set[str] = set()

    def start(self, outlines: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._progress.add_task("outlines", total=outlines)
        self._progress.start()

    def result(self, result: TargetResult) -> None:
        if self._progress is None:
            super().result(result)
            return
        _diagnostics(result, self.err, self._seen, self._notices)
        self._progress.console.print(_line(result), markup=False, highlight=False)
        if result.status != UP_TO_DATE and result.outline not in self._outlines:
            self._outlines.add(result.outline)
            self._progress.advance(self._task)

    def finish(self, summary: Summary) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        super().finish(summary)

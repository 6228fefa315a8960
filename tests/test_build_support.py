"""Fake formats for the build tests: fast renderers whose bytes depend on the outline and theme.

``python -m tests.test_build_support ARGS`` runs the deckgen CLI with the fakes registered (for
subprocess tests); ``FAKE_HANG_ON_FSYNC=<file>`` makes it create ``<file>`` and hang while an
output is being written, so a test can kill it at that moment; ``FAKE_RENDER_SLEEP=<s>`` makes
each render take that long and ``FAKE_RENDER_MARKER=<folder>`` has each rendering process leave
its pid there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from deckgen.diagnostics import Diagnostic, Severity
from deckgen.render import FORMATS, Format, Job, Rendered

FAKES = {
    "fake": Format("fake", ".fake", "tests.test_build_support:render", "fake format"),
    "fake2": Format("fake2", ".fake2.txt", "tests.test_build_support:render", "another"),
}


def render(job: Job) -> Rendered:
    """Bytes that change with the outline's content, the theme and the pinned time."""
    title = job.outline.meta.title
    if "BOOM" in title:
        raise RuntimeError("the fake renderer exploded")
    marker = os.environ.get("FAKE_RENDER_MARKER")
    if marker:  # a folder: each rendering process leaves its pid there
        (Path(marker) / str(os.getpid())).touch()
    delay = float(os.environ.get("FAKE_RENDER_SLEEP", "0"))
    if delay:
        time.sleep(delay)
    payload = {
        "title": title,
        "sections": [s.model_dump(mode="json") for s in job.outline.sections],
        "theme": job.theme.name,
        "primary": job.theme.palette.primary,
        "created": job.created.isoformat(),
    }
    diags = []
    line, col = job.outline.where("meta", "title")
    if "WARN" in title:
        diags.append(
            Diagnostic(str(job.source), line, col, "meta.title", "a warning", Severity.WARNING)
        )
    if "NOTE" in title:
        diags.append(
            Diagnostic(str(job.source), line, col, "meta.title", "a notice", Severity.NOTICE)
        )
    return Rendered(json.dumps(payload, sort_keys=True).encode() * 8, diags)


def register() -> None:
    FORMATS.update(FAKES)


def _hang_on_fsync(marker: str) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        Path(marker).write_text("writing")
        time.sleep(60)
        real(fd)

    os.fsync = fsync


if __name__ == "__main__":
    register()
    if os.environ.get("FAKE_HANG_ON_FSYNC"):
        _hang_on_fsync(os.environ["FAKE_HANG_ON_FSYNC"])
    from deckgen.cli import main

    sys.exit(main(sys.argv[1:]))

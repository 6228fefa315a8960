"""Fake formats for the build tests: a fast plan and writer whose bytes depend on the outline,
the theme and the pinned time.

The fake formats name a plan kind of their own, ``fake``, registered beside the deck's and the
brief's: its planner reports a warning or a notice when the title asks for one, and the writer
turns the plan into bytes. ``python -m tests.test_build_support ARGS`` runs the deckgen CLI with
the fakes registered (for subprocess tests); ``FAKE_HANG_ON_FSYNC=<file>`` makes it create
``<file>`` and hang while an output is being written, so a test can kill it at that moment;
``FAKE_RENDER_SLEEP=<s>`` makes each write take that long and ``FAKE_RENDER_MARKER=<folder>``
has each writing process leave its pid there.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostic, Severity
from deckgen.plans import PLANNERS, Prepared
from deckgen.render import FORMATS, Assets, Format

FAKES = {
    "fake": Format("fake", ".fake", "fake", "tests.test_build_support:write", "fake format"),
    "fake2": Format("fake2", ".fake2.txt", "fake", "tests.test_build_support:write", "another"),
}


@dataclass
class FakePlan:
    payload: dict[str, Any]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def plan(prepared: Prepared) -> FakePlan:
    """A plan of the outline's content, theme and time, with what its title asks to report."""
    job = prepared.job
    title = job.outline.meta.title
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
    return FakePlan(payload, diags)


def write(plan: FakePlan, assets: Assets) -> bytes:
    """Bytes that change with the plan."""
    if "BOOM" in plan.payload["title"]:
        raise RuntimeError("the fake writer exploded")
    marker = os.environ.get("FAKE_RENDER_MARKER")
    if marker:  # a folder: each writing process leaves its pid there
        (Path(marker) / str(os.getpid())).touch()
    delay = float(os.environ.get("FAKE_RENDER_SLEEP", "0"))
    if delay:
        time.sleep(delay)
    return json.dumps(plan.payload, sort_keys=True).encode() * 8


def register() -> None:
    FORMATS.update(FAKES)
    PLANNERS["fake"] = plan


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

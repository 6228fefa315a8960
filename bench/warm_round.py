"""Where a warm watch round's time goes: an outline in, per-step seconds of its warm rounds out.

    python bench/warm_round.py OUTLINE EDITS

Runs in one process what ``deckgen watch --serve`` runs after a save, step by step and one
format after the other (the watch writes the brief in its writer process beside the deck): after
one cold round to warm up, EDITS saves each change the first section's assessment, and each
step is timed. Prints one JSON object: step name -> list of seconds. ``bench/run.py`` reports
the medians.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EDITED = "Rutte inherits Stoltenberg's course on Ukraine and unity"


def main(outline: Path, edits: int) -> dict[str, list[float]]:
    from deckgen.live import Live
    from deckgen.plans import Job, prepare
    from deckgen.preflight import preflight
    from deckgen.render import FORMATS
    from deckgen.reproducible import pinned_time

    steps: dict[str, list[float]] = {}
    live = Live()
    with tempfile.TemporaryDirectory(prefix="deckgen-warm-") as tmp:
        copy = Path(tmp) / "rutte.yaml"
        shutil.copy(outline, copy)
        original = copy.read_text(encoding="utf-8")
        pdf = Path(tmp) / "rutte.pdf"
        for k in range(edits + 1):
            copy.write_text(original.replace(EDITED, f"{EDITED} ({k})", 1), encoding="utf-8")
            marks = [("start", time.perf_counter())]
            checked = preflight(copy)
            marks.append(("read and check the outline and its inputs", time.perf_counter()))
            created = pinned_time(checked.outline.meta.date)
            prepared = prepare(Job(checked.outline, checked.theme, copy, created))
            prepared.plan("brief")
            marks.append(("plan the brief", time.perf_counter()))
            prepared.plan("deck")
            marks.append(("plan the deck", time.perf_counter()))
            FORMATS["pptx"].writer()(prepared.plan("deck"), prepared.assets())
            marks.append(("write the deck (PPTX)", time.perf_counter()))
            pdf.write_bytes(FORMATS["pdf"].writer()(prepared.plan("brief"), prepared.assets()))
            marks.append(("write the brief (PDF)", time.perf_counter()))
            view = live.views.setdefault(str(copy), _view(copy))
            view.slides = live._draw_slides(prepared)
            marks.append(("previews: draw the slides that changed", time.perf_counter()))
            live._draw_pages(view, [_result(pdf)])
            marks.append(("previews: draw every page, encode the changed", time.perf_counter()))
            if k == 0:
                continue  # the cold round
            for (_, before), (name, after) in zip(marks, marks[1:], strict=False):
                steps.setdefault(name, []).append(after - before)
    return steps


def _view(path: Path) -> Any:
    from deckgen.live import View

    return View(str(path), path.stem)


def _result(pdf: Path) -> Any:
    from deckgen.build import BUILT, TargetResult

    return TargetResult(str(pdf), "pdf", str(pdf), BUILT)


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]))))

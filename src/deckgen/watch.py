"""Watching: outline paths in, a build after every save of any of their inputs out.

Each round is an ordinary incremental build, so only the targets whose inputs changed are
rendered; an invalid save prints its errors and leaves the last good outputs in place. The
watched set is the outlines plus every input the state files record (theme, fonts), re-read
after each round so that a newly referenced theme is watched too.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from deckgen.build import Options, run
from deckgen.build_report import PlainReporter
from deckgen.build_state import read_state, state_path


def _outlines(given: Sequence[str], folder: Path) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    return sorted(folder.glob("*.yaml"))


def _watched(outlines: Sequence[Path], opts: Options) -> set[str]:
    files = {os.path.abspath(p) for p in outlines}
    for outline in outlines:
        files.update(read_state(state_path(opts.out_dir, outline.stem)).inputs)
    if opts.theme and opts.theme.endswith((".yaml", ".yml")):
        files.add(os.path.abspath(opts.theme))
    return files


def _round(
    given: Sequence[str], opts: Options, jobs: int | None, folder: Path, verbose: bool = False
) -> tuple[list[Path], set[str]]:
    outlines = _outlines(given, folder)
    print(f"[{time.strftime('%H:%M:%S')}] building {len(outlines)} outline(s)", flush=True)
    if outlines:
        run(outlines, opts, jobs=jobs, reporter=PlainReporter(quiet_ok=True, verbose=verbose))
    return outlines, _watched(outlines, opts)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def watch(
    given: Sequence[str],
    opts: Options,
    *,
    jobs: int | None = None,
    debounce_ms: int = 300,
    folder: Path = Path("outlines"),
    verbose: bool = False,
) -> int:
    """Build, then rebuild on every change until Ctrl-C or SIGTERM; return the exit status.

    With no outlines ``given``, every outline in ``folder`` is built, new ones as they appear;
    ``verbose`` lists notices as well as counting them.
    """
    import watchfiles

    previous = signal.signal(signal.SIGTERM, _stop)
    default_dir = str(folder.absolute())
    try:
        outlines, found = _round(given, opts, jobs, folder, verbose)
        files = set(found)

        def relevant(change: watchfiles.Change, path: str) -> bool:
            if path in files:
                return True
            # A new or renamed outline in outlines/ (when no outlines were named).
            return not given and os.path.dirname(path) == default_dir and path.endswith(".yaml")

        while True:
            dirs = {os.path.dirname(f) for f in files} | (set() if given else {default_dir})
            roots = sorted(d for d in dirs if os.path.isdir(d))
            print(f"watching {len(files)} files; Ctrl-C to stop", flush=True)
            for _changes in watchfiles.watch(
                *roots,
                watch_filter=relevant,
                debounce=debounce_ms,
                step=50,
                recursive=False,
                raise_interrupt=True,
            ):
                outlines, found = _round(given, opts, jobs, folder, verbose)
                files.clear()
                files.update(found)
                if {os.path.dirname(f) for f in files} - set(roots):
                    break  # a new directory to watch: start a new watcher
    except KeyboardInterrupt:
        print("deckgen watch: stopped", file=sys.stderr)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)

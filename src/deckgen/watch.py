"""Watching: outline paths in, a build after every save of any of their inputs out (and, with
``--serve``, a local page showing the slides and the brief as they are now).

Each round is an ordinary incremental build, so only the targets whose inputs changed are
rendered; an invalid save prints its errors and leaves the last good outputs in place. The
watched set is the outlines plus every input the state files record (theme, fonts), re-read
after each round so that a newly referenced theme is watched too.

Rounds are warm: this process keeps what does not change between saves. Font metrics, the
reportlab fonts, prepared pictures and the fit engine's results stay in memory. An outline's
first format is written in this process, the second (with two cores or more) in a long-lived
writer process beside it (:mod:`deckgen.warm_writer`), which keeps its writers warm too; the
writers, here and there, are run once after the first round (their output thrown away), so
that even a first round that found everything up to date leaves them warm. The theme is read
again each round (2 ms). A font file whose bytes change under the same name makes the watch
start afresh in a new process, and its writer process with it (:class:`FontChanged`), so a
warm rebuild always gives a cold build's bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from deckgen.build import Options, Summary, run
from deckgen.build_report import PlainReporter
from deckgen.build_state import read_state, state_path

if TYPE_CHECKING:
    from deckgen.live import Live
    from deckgen.serve import Server
    from deckgen.warm_writer import WarmWriter

FONT_SUFFIXES = (".ttf", ".otf")


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


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


class FontChanged(Exception):
    """A font file this process measured with has other bytes now, under the same name.

    Font metrics, the preview renderer's fonts and reportlab's font registry are all kept by
    the font's name for the life of a process (reportlab will not register a name twice), so
    the watch starts afresh in a new process rather than mix old and new.
    """

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Session:
    """What a watch keeps from round to round: the fonts it measured with, whether the writers
    are warm, the previews (with ``--serve``), and the prepared jobs of the current round."""

    def __init__(self, opts: Options, live: Live | None = None, cores: int | None = None) -> None:
        self.opts = opts
        self.live = live
        self.fonts: dict[str, str] = {}  # font file -> SHA-256 when last measured
        self.warm = False
        self.planned: dict[str, Any] = {}  # outline (as given) -> its prepared job, this round
        cores = cores if cores is not None else os.cpu_count() or 1
        # With a core to spare, an outline's second format is written beside the first.
        self.writer: WarmWriter | None = None
        if cores > 1 and len(opts.formats) > 1:
            from deckgen.warm_writer import WarmWriter

            self.writer = WarmWriter()

    def close(self) -> None:
        """End the writer process, if any."""
        if self.writer is not None:
            self.writer.close()

    def keep(self, outline: Path, prepared: Any) -> None:
        """The build's hook: an outline's targets are written from ``prepared``."""
        self.planned[str(outline)] = prepared

    def before(self) -> None:
        """Start a round; raise :class:`FontChanged` if a font it measured with has changed."""
        self.planned.clear()
        changed = [path for path, digest in self.fonts.items() if _digest(path) != digest]
        if changed:
            raise FontChanged(changed[0])

    def after(self, outlines: Sequence[Path], summary: Summary) -> None:
        """End a round: note the fonts used and update the previews."""
        for outline in outlines:
            for path in read_state(state_path(self.opts.out_dir, outline.stem)).inputs:
                if path.lower().endswith(FONT_SUFFIXES):
                    self.fonts[path] = _digest(path)
        if self.live is not None:
            for outline in outlines:
                if str(outline) not in self.planned and not self._has_previews(outline):
                    # Up to date when the watch started: plan it here for its previews.
                    prepared = prepare_quietly(outline, self.opts)
                    if prepared is not None:
                        self.planned[str(outline)] = prepared
            self.live.finish(summary, self.planned, [str(o) for o in outlines])

    def warm_up(self, outlines: Sequence[Path]) -> None:
        """Warm the writers, once (after the first round's previews are out)."""
        if not self.warm and outlines:
            self.warm = warm_up(
                self.planned.get(str(outlines[0])), outlines[0], self.opts, self.writer
            )

    def _has_previews(self, outline: Path) -> bool:
        assert self.live is not None
        view = self.live.views.get(str(outline))
        return view is not None and bool(view.slides)


def prepare_quietly(outline: Path, opts: Options) -> Any:
    """The prepared job of ``outline`` as the build would make it, or None if it does not load."""
    from deckgen.plans import Job, prepare
    from deckgen.preflight import preflight
    from deckgen.reproducible import pinned_time

    try:
        checked = preflight(
            outline, theme=opts.theme, template=opts.template, max_sections=opts.max_sections
        )
        created = pinned_time(checked.outline.meta.date, {"SOURCE_DATE_EPOCH": opts.epoch})
        template = Path(opts.template) if opts.template else None
        return prepare(Job(checked.outline, checked.theme, outline, created, template, opts.deck))
    except Exception:  # reported by the build's own round
        return None


def warm_up(prepared: Any, outline: Path, opts: Options, writer: WarmWriter | None = None) -> bool:
    """Run every requested writer once in this process, and the formats after the first in the
    ``writer`` process, and throw the bytes away.

    Otherwise the first round that writes a format would import its writer (reportlab:
    about 0.2 s) and register its fonts then. Returns
    whether the writers are warm now (not when the outline does not load yet).
    """
    from deckgen.render import FORMATS

    prepared = prepared or prepare_quietly(outline, opts)
    if prepared is None:
        return False
    specs = [FORMATS[name] for name in opts.formats if name in FORMATS]
    try:
        pending = []
        if writer is not None:
            from deckgen.warm_writer import WriterGone

            with contextlib.suppress(WriterGone):
                for spec in specs[1:]:
                    pending.append(
                        writer.submit(spec.name, prepared.plan(spec.plan), prepared.assets())
                    )
        for spec in specs:
            spec.writer()(prepared.plan(spec.plan), prepared.assets())
        for job in pending:
            job.result()
    except Exception:  # the build reports it; warming is only an optimisation
        return False
    return True


def _round(
    given: Sequence[str],
    opts: Options,
    jobs: int | None,
    folder: Path,
    session: Session,
    publish: Callable[[], None],
    verbose: bool = False,
) -> tuple[list[Path], set[str]]:
    outlines = _outlines(given, folder)
    print(f"[{time.strftime('%H:%M:%S')}] building {len(outlines)} outline(s)", flush=True)
    session.before()
    if session.live is not None:
        session.live.start()
        publish()
    summary = Summary([], 0.0)
    if outlines:
        reporter = PlainReporter(quiet_ok=True, verbose=verbose)
        # With previews, outlines are built in this process (their plans are wanted here).
        planned = session.keep if session.live is not None else None
        # An outline's second format is written in the session's writer process, not in a
        # process forked each round as a cold build does: warm, the fork costs 25 to 50 ms on
        # the brief's path (a child's first writes copy the pages it shares with this large
        # process), and the page's server is a thread (a process with threads is best not
        # forked). With one core, the formats are written here one after the other.
        summary = run(
            outlines,
            opts,
            jobs=jobs,
            reporter=reporter,
            planned=planned,
            format_jobs=None if session.writer is not None else 1,
            writer=session.writer,
        )
    session.after(outlines, summary)
    publish()
    session.warm_up(outlines)
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
    serve: int | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Build, then rebuild on every change until Ctrl-C or SIGTERM; return the exit status.

    With no outlines ``given``, every outline in ``folder`` is built, new ones as they appear;
    ``verbose`` lists notices as well as counting them. With ``serve`` (a port; 0 for any free
    one) a page on 127.0.0.1 shows the previews and updates itself after every round. ``argv``
    is the command line (without the program) that starts the watch afresh when a font changes.
    """
    import watchfiles

    server: Server | None = None
    live: Live | None = None
    if serve is not None:
        from deckgen.live import Live
        from deckgen.serve import Hub, Server

        live = Live()
        server = Server(Hub(), serve)  # a port in use is a usage error, before any build
    session = Session(opts, live, cores=jobs)

    def publish() -> None:
        if server is not None and live is not None:
            server.hub.publish(live.state(), live.pictures, live.briefs)

    previous = signal.signal(signal.SIGTERM, _stop)
    default_dir = str(folder.absolute())
    try:
        if server is not None:
            server.start()
            print(f"live preview: {server.url}", flush=True)
        outlines, found = _round(given, opts, jobs, folder, session, publish, verbose)
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
                # A round starts once no change has come for this long. An editor's save (a
                # write, or a write and a rename) takes a few milliseconds; at 50 ms a round
                # started about 60 ms after the save, at 20 ms about 30 ms after.
                step=20,
                recursive=False,
                raise_interrupt=True,
            ):
                outlines, found = _round(given, opts, jobs, folder, session, publish, verbose)
                files.clear()
                files.update(found)
                if {os.path.dirname(f) for f in files} - set(roots):
                    break  # a new directory to watch: start a new watcher
    except KeyboardInterrupt:
        print("deckgen watch: stopped", file=sys.stderr)
        return 0
    except FontChanged as change:
        restart = [sys.executable, "-m", "deckgen", *(sys.argv[1:] if argv is None else argv)]
        print(f"deckgen watch: {change.path} changed; starting afresh", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
        session.close()
        if server is not None:
            server.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, restart)

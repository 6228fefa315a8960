"""Builds: outline files and options in, up-to-date output files and one result per target out.

A target is one format of one outline (``build/<stem>.pptx``). Each outline has a small state
file (``build/.deckgen/<stem>.json``) recording the content hash of every input (outline, theme,
fonts), the options and deckgen code that matter, and the hash of each output. A target whose
recorded key still matches is skipped; that check needs only hashes and stats, so the no-op path
never parses an outline or imports a renderer. Outputs are written atomically and only when
their bytes change; a failed or killed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen.build_state import (
    STATE_LIMIT,
    Hasher,
    OutlineState,
    TargetRecord,
    clean_temp_files,
    code_fingerprint,
    locked,
    read_state,
    sha256_bytes,
    state_dir,
    state_path,
    target_key,
    touch,
    write_if_changed,
)
from deckgen.diagnostics import COMMAND_LINE, Diagnostic, InputError, Severity, UsageError
from deckgen.files import check_own, read_own

if TYPE_CHECKING:
    from deckgen.model import Since
    from deckgen.outline import Outline
    from deckgen.preflight import Inputs
    from deckgen.warm_writer import WarmWriter

# The default of ``--format``; equal to deckgen.render.DEFAULT_FORMATS (a test checks it), kept
# here so that the no-op path need not import the renderer registry.
DEFAULT_FORMATS = ("pptx", "pdf")

# Exit statuses (README "Exit statuses"); the CLI adds 2 for a usage error and 130 for Ctrl-C.
EXIT_OK = 0
EXIT_INPUT = 1  # bad input, a failed outline, an output that could not be written, stale (--check)
EXIT_INTERNAL = 70  # a bug in deckgen (EX_SOFTWARE in sysexits.h)

BUILT = "built"  # rendered, and the output's bytes changed
UNCHANGED = "unchanged"  # rendered, and the bytes were already there: file untouched
UP_TO_DATE = "up-to-date"  # inputs unchanged since the last build: not rendered
STALE = "stale"  # --check: would be rebuilt
FAILED = "failed"

CLI_FILE = COMMAND_LINE


@dataclass(frozen=True, slots=True)
class Options:
    """What to build, where, and how; only ``theme`` and ``epoch`` change what a target is."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    theme: str | None = None
    template: str | None = None  # --template: a .pptx/.potx overriding the theme's template file
    epoch: str = ""  # SOURCE_DATE_EPOCH, captured once per run
    force: bool = False
    strict: bool = False
    depfile: bool = False
    max_sections: int | None = None  # --max-sections: lifts the 50-section cap (benchmarks)
    deck: str | None = None  # --deck compact|full: overrides the outline's meta.deck
    since: str | None = None  # --since REF: the older version the outputs show changes since

    def hashed(self) -> dict[str, str]:
        """The options a target's bytes depend on (part of its key)."""
        theme = self.theme or ""
        if theme.endswith((".yaml", ".yml")):
            theme = os.path.abspath(theme)
        template = os.path.abspath(self.template) if self.template else ""
        out = {"theme": theme, "template": template, "source_date_epoch": self.epoch}
        if self.max_sections is not None:  # only when given: default keys stay as they were
            out["max_sections"] = str(self.max_sections)
        if self.deck is not None:
            out["deck"] = self.deck
        if self.since is not None:  # the older version's content is an input of its own
            out["since"] = self.since
        return out


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """A resolved format: plain data, so it crosses to worker processes."""

    name: str
    suffix: str
    target: str
    plan: str = "deck"  # the plan its writer draws: deck or brief


@dataclass(slots=True)
class TargetResult:
    """What happened to one target in one run."""

    outline: str
    format: str
    path: str
    status: str
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    internal: bool = False  # failed because of a bug rather than bad input

    def as_dict(self) -> dict[str, Any]:
        return {
            "outline": self.outline,
            "format": self.format,
            "path": self.path,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


@dataclass(slots=True)
class Summary:
    """Every target's result, in outline order then format order."""

    targets: list[TargetResult]
    seconds: float
    check: bool = False

    @property
    def exit_status(self) -> int:
        """0 all good; 1 bad input, a failed outline or write, or (``--check``) stale targets;
        70 a bug."""
        if any(t.internal for t in self.targets):
            return EXIT_INTERNAL
        if any(t.status in (FAILED, STALE) for t in self.targets):
            return EXIT_INPUT
        if any(d.severity is Severity.ERROR for t in self.targets for d in t.diagnostics):
            return EXIT_INPUT  # built, but a record after it could not be written (state, depfile)
        return EXIT_OK

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in self.targets:
            out[t.status] = out.get(t.status, 0) + 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_status == 0,
            "exit_status": self.exit_status,
            "check": self.check,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "targets": [t.as_dict() for t in self.targets],
        }


class Reporter:
    """Receives results as they happen; the CLI picks plain lines, a progress bar or JSON."""

    def start(self, outlines: int) -> None:
        """``outlines`` outlines are about to be built."""

    def result(self, result: TargetResult) -> None:
        """One target is done (called in the parent process)."""

    def finish(self, summary: Summary) -> None:
        """The run is over."""


def output_path(out_dir: Path, stem: str, suffix: str) -> Path:
    return out_dir / f"{stem}{suffix}"


def stamp_path(out_dir: Path, stem: str, fmt: str) -> Path:
    """The Make stamp of one target, touched whenever ``--depfile`` finds it current."""
    return state_dir(out_dir) / f"{stem}.{fmt}.stamp"


def resolve_formats(names: Sequence[str]) -> tuple[FormatSpec, ...]:
    """Look the names up in the renderer registry; an unknown name is a usage error."""
    from deckgen.render import FORMATS

    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise UsageError(
            f"--format: unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}"
        )
    return tuple(
        FormatSpec(n, FORMATS[n].suffix, FORMATS[n].target, FORMATS[n].plan) for n in names
    )


# -- the no-op path -------------------------------------------------------------------------------


def _current_targets(
    outline: Path, opts: Options, hasher: Hasher, code: str
) -> tuple[OutlineState, dict[str, bool]]:
    """The outline's state and, per requested format, whether its target is current."""
    state = read_state(state_path(opts.out_dir, outline.stem))
    verdict = dict.fromkeys(opts.formats, False)
    if opts.force or state.outline != os.path.abspath(outline) or not state.inputs:
        return state, verdict
    if any(_current_hash(p, hasher) != h for p, h in state.inputs.items()):
        return state, verdict
    for name in opts.formats:
        rec = state.targets.get(name)
        if rec is None:
            continue
        expected = os.path.abspath(output_path(opts.out_dir, outline.stem, rec.suffix))
        key = target_key(state.inputs, _fmt_dict(name, rec.suffix, rec.target), opts.hashed(), code)
        verdict[name] = (
            rec.key == key
            and rec.path == expected
            and not (opts.strict and _has_warnings(rec))
            and rec.output_intact(hasher)
        )
    return state, verdict


def _fmt_dict(name: str, suffix: str, target: str) -> dict[str, str]:
    return {"name": name, "suffix": suffix, "target": target}


def _has_warnings(rec: TargetRecord) -> bool:
    """Whether the target's last build left warnings (which ``--strict`` refuses), notices aside."""
    return any(w.get("severity", "warning") == "warning" for w in rec.warnings)


def _warnings_of(rec: TargetRecord) -> list[Diagnostic]:
    out = []
    for d in rec.warnings:
        try:
            out.append(Diagnostic(**{**d, "severity": Severity(d.get("severity", "warning"))}))
        except (TypeError, ValueError):
            continue
    return out


# -- depfiles -------------------------------------------------------------------------------------


# Characters Make cannot take in a rule's file names, escaped or not (each tried with GNU Make
# 4.3): ';' starts a recipe, '=' makes a variable assignment, '|' starts order-only
# prerequisites, '%' makes a target a pattern, '*?[]' glob, and control characters end lines.
# '$', '#', ' ' and ':' are escaped instead (':' as '\:', which Make reads back as ':').
MAKE_UNSAFE = frozenset(";=|%*?[]\n\r\t\v\f")


def make_unsafe(path: str) -> str:
    """The characters of ``path`` that no escape gets through Make ("" when there are none)."""
    return "".join(sorted({c for c in path if c in MAKE_UNSAFE}))


def _refused_by_make(path: str, unsafe: str) -> Diagnostic:
    shown = " ".join(repr(c) for c in unsafe)
    return Diagnostic(
        path,
        0,
        0,
        "",
        f"Make cannot take {shown} in a file name, so no depfile can name it: rename it, "
        "or build without --depfile",
    )


def make_path(path: str) -> str:
    """A path as Make wants it: relative to the working directory when inside it, escaped.

    Call :func:`make_unsafe` first: what it finds cannot be escaped.
    """
    rel = os.path.relpath(path)
    shown = path if rel.startswith("..") else rel
    return shown.replace("$", "$$").replace("#", r"\#").replace(" ", r"\ ").replace(":", r"\:")


def _current_hash(key: str, hasher: Hasher) -> str | None:
    """The hash an input has now: a file's content, or what a git revision (--since) names."""
    from deckgen.history import GIT_KEY

    if key.startswith(GIT_KEY):
        from deckgen.history import fingerprint

        return fingerprint(key)
    return hasher.file(key)


def depfile_text(outline: Path, out_dir: Path, state: OutlineState) -> str:
    """Make rules saying every target of ``outline`` (and its stamp) depends on every input."""
    from deckgen.history import GIT_KEY

    targets = []
    for name, rec in sorted(state.targets.items()):
        targets += [make_path(rec.path), make_path(str(stamp_path(out_dir, outline.stem, name)))]
    # A git revision (--since REV) is no file Make could watch; the build state checks it.
    inputs = [make_path(p) for p in state.inputs if not p.startswith(GIT_KEY)]
    lines = [f"# deckgen build --depfile: the inputs of {outline}; written by deckgen, do not edit"]
    lines.append(" ".join(targets) + ": \\")
    lines += [f"  {p} \\" for p in inputs[:-1]]
    lines.append(f"  {inputs[-1]}" if inputs else "")
    lines.append("")
    lines += [f"{p}:" for p in inputs]  # like gcc -MP: a deleted input does not break make
    return "\n".join(lines) + "\n"


def _write_depfile(
    outline: Path, opts: Options, state: OutlineState, current: Sequence[str]
) -> list[Diagnostic]:
    """Write the depfile and touch the stamps of the ``current`` formats; return any problem."""
    if not state.targets or not state.inputs:
        return []
    depfile = opts.out_dir / f"{outline.stem}.d"
    for path in state.inputs:
        if unsafe := make_unsafe(path):
            return [_refused_by_make(path, unsafe)]
    try:
        write_if_changed(depfile, depfile_text(outline, opts.out_dir, state).encode())
        for name in current:
            touch(stamp_path(opts.out_dir, outline.stem, name))
    except OSError as exc:
        return [_write_failure(exc, depfile)]
    return []


def _write_failure(exc: OSError, default: Path) -> Diagnostic:
    """A failed write (full disk, read-only folder, planted link), naming the path."""
    where = exc.filename or default
    return Diagnostic(str(where), 0, 0, "", f"cannot write: {exc.strerror or exc}")


# -- the build of one outline (runs in a worker process for batches) ------------------------------


# Called with an outline and its prepared job (its plans made) after its targets were written:
# ``deckgen watch --serve`` draws its previews from the same plans as the outputs.
Planned = Callable[[Path, Any], None]


def build_outline(
    outline: Path,
    opts: Options,
    specs: tuple[FormatSpec, ...],
    format_jobs: int = 1,
    planned: Planned | None = None,
    writer: WarmWriter | None = None,
) -> list[TargetResult]:
    """Bring every target of one outline up to date, holding the outline's lock.

    Given a ``writer`` process, up to ``format_jobs`` formats are written at once: the others
    in that process (see :func:`_build_locked`).
    """
    with locked(state_dir(opts.out_dir) / f"{outline.stem}.lock"):
        return _build_locked(outline, opts, specs, format_jobs, planned, writer)


def _write(spec: FormatSpec, prepared: Any) -> Any:
    """One format's bytes, written from the prepared job's plan (made once per outline)."""
    from deckgen.render import FORMATS, Rendered

    plan = prepared.plan(spec.plan)
    data = FORMATS[spec.name].writer()(plan, prepared.assets())
    return Rendered(data, list(plan.diagnostics))


def _background(spec: FormatSpec, prepared: Any, writer: WarmWriter) -> Any:
    """Start writing one format in the writer process beside this one. Returns what waits for
    it, or None if the writer cannot take it (the format is then written in this process)."""
    from deckgen.warm_writer import WriterGone

    try:
        return writer.submit(spec.name, prepared.plan(spec.plan), prepared.assets())
    except WriterGone:
        return None


def _reap(children: dict[str, Any]) -> None:
    """Wait for background writers whose results are no longer wanted (planning failed)."""
    for child in children.values():
        with contextlib.suppress(Exception):
            child.result()
    children.clear()


def _failed_all(
    outline: Path,
    opts: Options,
    specs: Sequence[FormatSpec],
    diags: list[Diagnostic],
    internal: bool,
) -> list[TargetResult]:
    return [
        TargetResult(
            str(outline),
            s.name,
            str(output_path(opts.out_dir, outline.stem, s.suffix)),
            FAILED,
            diagnostics=diags,
            internal=internal,
        )
        for s in specs
    ]


def _failed_target(
    outline: Path,
    spec: FormatSpec,
    out: Path,
    t0: float,
    diags: list[Diagnostic],
    internal: bool = False,
) -> TargetResult:
    """One target that failed after ``t0`` (a ``perf_counter`` reading), with its reasons."""
    elapsed = time.perf_counter() - t0
    return TargetResult(
        str(outline), spec.name, str(out), FAILED, elapsed, diags, internal=internal
    )


def _internal(file: str, exc: BaseException) -> Diagnostic:
    # An error in another process (a writer's) comes already described.
    described = getattr(exc, "described", None) or f"{type(exc).__name__}: {exc}"
    return Diagnostic(file, 0, 0, "", f"internal error: {described}")


def _crashed(
    outline: Path, opts: Options, specs: tuple[FormatSpec, ...], exc: BaseException
) -> list[TargetResult]:
    """Every target failed because of ``exc``: a bug, or (OSError) the machine refusing a write.

    A full disk or a read-only output folder is not deckgen's fault: it is reported with the
    path and reason, and the run exits 1, not as an internal error.
    """
    if isinstance(exc, OSError) and exc.errno is not None:
        where = exc.filename or str(outline)
        diag = Diagnostic(str(where), 0, 0, "", f"cannot write: {exc.strerror}")
        return _failed_all(outline, opts, specs, [diag], internal=False)
    return _failed_all(outline, opts, specs, [_internal(str(outline), exc)], internal=True)


def _load(outline: Path, opts: Options, hasher: Hasher) -> Inputs:
    """Everything :mod:`deckgen.preflight` checks before rendering, as ``deckgen check`` does."""
    from deckgen.preflight import preflight

    return preflight(
        outline,
        theme=opts.theme,
        template=opts.template,
        max_sections=opts.max_sections,
        hasher=hasher,
        since=opts.since,
    )


def _build_locked(
    outline: Path,
    opts: Options,
    specs: tuple[FormatSpec, ...],
    format_jobs: int = 1,
    planned: Planned | None = None,
    writer: WarmWriter | None = None,
) -> list[TargetResult]:
    from deckgen.diagnostics import errors_in
    from deckgen.plans import Job, prepare
    from deckgen.reproducible import pinned_time

    sdir = state_dir(opts.out_dir)
    clean_temp_files([opts.out_dir, sdir])
    hasher = Hasher()
    code = code_fingerprint()
    try:
        checked = _load(outline, opts, hasher)
    except InputError as err:
        return _failed_all(outline, opts, specs, list(err.diagnostics), internal=False)
    except Exception as exc:
        return _crashed(outline, opts, specs, exc)

    parsed, theme, inputs = checked.outline, checked.theme, checked.hashes
    state = read_state(state_path(opts.out_dir, outline.stem))
    if state.outline != os.path.abspath(outline):
        state.targets.clear()
    previous_inputs = dict(state.inputs)
    created = pinned_time(parsed.meta.date, {"SOURCE_DATE_EPOCH": opts.epoch})
    results: list[TargetResult] = []
    built_any = False
    template = Path(opts.template) if opts.template else None
    job = Job(parsed, theme, outline, created, template, opts.deck, checked.previous, checked.since)

    def is_current(spec: FormatSpec) -> bool:
        out = output_path(opts.out_dir, outline.stem, spec.suffix)
        key = target_key(
            inputs, _fmt_dict(spec.name, spec.suffix, spec.target), opts.hashed(), code
        )
        rec = state.targets.get(spec.name)
        return (
            not opts.force
            and rec is not None
            and rec.key == key
            and previous_inputs == inputs
            and rec.path == os.path.abspath(out)
            and not (opts.strict and _has_warnings(rec))
            and rec.output_intact(hasher)
        )

    todo = [s for s in specs if not is_current(s)]
    # With cores to spare, other formats are written meanwhile in a writer process: a cold
    # build's, forked before the outline was read for the formats it imported the writers of,
    # or a watch's, for those after the first. Without one (one core, -j 1, or no fork, as on
    # Windows) the formats are written here one after the other.
    if writer is None:
        forks = []
    elif writer.formats is not None:
        forks = [s for s in todo if s.name in writer.formats]  # what its imports were for
    else:
        forks = todo[1 : max(1, format_jobs)]
    prepared: Any = None
    planning: list[Diagnostic] | None = None  # why planning failed, when it did
    background: dict[str, Any] = {}
    if todo:
        # Pictures and template once, then each plan the formats need once (issue: the plan
        # as the one contract); the writers only translate. The plans of the forked formats
        # come first, so that their processes write while this one makes the others: the
        # brief's plan takes about 10 ms for Rutte, the deck's 30 to 100 ms, so the brief
        # (the longer writer) no longer waits for the deck's plan.
        try:
            prepared = prepare(job)
            for kind in dict.fromkeys(s.plan for s in forks):
                prepared.plan(kind)
            started = {s.name: _background(s, prepared, writer) for s in forks if writer}
            background = {name: job for name, job in started.items() if job is not None}
            for kind in dict.fromkeys(s.plan for s in todo):
                prepared.plan(kind)
        except InputError as err:
            planning = list(err.diagnostics)
        except Exception as exc:
            _reap(background)
            return _crashed(outline, opts, specs, exc)
        if planning is not None:
            _reap(background)
    for spec in specs:
        out = output_path(opts.out_dir, outline.stem, spec.suffix)
        key = target_key(
            inputs, _fmt_dict(spec.name, spec.suffix, spec.target), opts.hashed(), code
        )
        rec = state.targets.get(spec.name)
        if spec not in todo and rec is not None:
            # Another process built it while this one waited for the lock.
            results.append(
                TargetResult(str(outline), spec.name, str(out), UP_TO_DATE, 0.0, _warnings_of(rec))
            )
            continue
        t0 = time.perf_counter()
        if planning is not None:
            results.append(_failed_target(outline, spec, out, t0, planning))
            continue
        try:
            rendered = None
            if spec.name in background:
                from deckgen.warm_writer import WriterGone

                with contextlib.suppress(WriterGone):  # the writer died: write it here
                    rendered, seconds = background.pop(spec.name).result()
                    t0 = time.perf_counter() - seconds
            if rendered is None:
                rendered = _write(spec, prepared)
        except InputError as err:
            results.append(_failed_target(outline, spec, out, t0, list(err.diagnostics)))
            continue
        except Exception as exc:
            results.append(
                _failed_target(outline, spec, out, t0, [_internal(str(outline), exc)], True)
            )
            continue
        diags = [*checked.warnings, *rendered.diagnostics]
        if errors_in(diags, strict=opts.strict):
            results.append(_failed_target(outline, spec, out, t0, diags))
            continue
        try:
            wrote = write_if_changed(out, rendered.data)
            st = out.stat()
        except OSError as exc:
            # The machine, not the input or deckgen: a full disk, a read-only folder. The old
            # output is untouched (the write is atomic); report the path and carry on.
            results.append(_failed_target(outline, spec, out, t0, [_write_failure(exc, out)]))
            continue
        state.targets[spec.name] = TargetRecord(
            path=os.path.abspath(out),
            suffix=spec.suffix,
            target=spec.target,
            key=key,
            output=sha256_bytes(rendered.data),
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            warnings=[d.as_dict() for d in diags if d.severity is not Severity.ERROR],
        )
        built_any = True
        status = BUILT if wrote else UNCHANGED
        results.append(
            TargetResult(str(outline), spec.name, str(out), status, time.perf_counter() - t0, diags)
        )

    # The outputs above are written and stay reported as they are; a failure to write the
    # records that follow (a full disk, a planted link) is an error of its own, naming its path.
    late: list[Diagnostic] = []
    if built_any:
        try:
            _write_changes(outline, opts, parsed, checked.previous, checked.since)
        except OSError as exc:
            late.append(_write_failure(exc, opts.out_dir / f"{outline.stem}.changes.md"))
    state.outline = os.path.abspath(outline)
    state.inputs = inputs
    state_file = state_path(opts.out_dir, outline.stem)
    try:
        write_if_changed(state_file, state.to_json())
    except OSError as exc:
        late.append(_write_failure(exc, state_file))
    if opts.depfile:
        late += _write_depfile(
            outline, opts, state, [r.format for r in results if r.status != FAILED]
        )
    for r in results:
        r.diagnostics = [*r.diagnostics, *late]
    if planned is not None and prepared is not None and planning is None:
        planned(outline, prepared)
    return results


def _write_changes(
    outline: Path, opts: Options, parsed: Outline, previous: Outline | None, since: Since | None
) -> None:
    """Write ``<stem>.changes.md``: the changes since the older version the build was given
    (``--since``), else since the last build's snapshot, when they differ from what it says."""
    import json

    from deckgen.build_changes import summarise

    snap_file = state_dir(opts.out_dir) / f"{outline.stem}.snapshot.json"
    new = parsed.model_dump(mode="json", by_alias=True)
    old: dict[str, Any] | None
    if previous is not None:
        old = previous.model_dump(mode="json", by_alias=True)
        against = since
    else:
        try:
            raw = read_own(snap_file, STATE_LIMIT)
            old = json.loads(raw) if raw is not None else None
        except (OSError, ValueError):  # unreadable or planted: a first build (write refused)
            old = None
        against = None
    changes = opts.out_dir / f"{outline.stem}.changes.md"
    check_own(changes)  # a link planted there is reported even when nothing is to be written
    write_if_changed(changes, summarise(str(outline), old, new, against).encode())
    write_if_changed(snap_file, (json.dumps(new, indent=1, sort_keys=True) + "\n").encode())


# -- a run over many outlines ---------------------------------------------------------------------


def _init_worker(parent: int) -> None:
    import signal

    from deckgen.lifeline import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for the batch
    die_with_parent(parent)  # and a parent killed outright takes its workers with it


def run(
    outlines: Sequence[Path],
    opts: Options,
    *,
    jobs: int | None = None,
    check: bool = False,
    reporter: Reporter | None = None,
    planned: Planned | None = None,
    format_jobs: int | None = None,
    writer: WarmWriter | None = None,
) -> Summary:
    """Build (or with ``check``, only judge) every target of every outline.

    With ``planned``, outlines are built one after another in this process and ``planned``
    receives each one's prepared job. ``format_jobs`` caps the formats of one outline written
    side by side (default: the cores no other outline is using; 1: one after the other, in
    this process). With a ``writer`` (a watch's), the formats written beside this process
    when outlines are built here are written in that process instead of forked ones.
    """
    reporter = reporter or Reporter()
    t_start = time.perf_counter()
    clean_temp_files([opts.out_dir, state_dir(opts.out_dir)])
    hasher = Hasher()
    code = code_fingerprint()
    results: dict[Path, list[TargetResult]] = {}
    pending: list[Path] = []

    def emit(outline: Path, rs: list[TargetResult]) -> None:
        results[outline] = rs
        for r in rs:
            reporter.result(r)

    seen: dict[str, Path] = {}
    for outline in outlines:
        if outline.stem in seen and os.path.abspath(seen[outline.stem]) != os.path.abspath(outline):
            msg = f"has the same name as {seen[outline.stem]}; their outputs would collide"
            diag = Diagnostic(str(outline), 0, 0, "", msg)
            emit(
                outline,
                [
                    TargetResult(str(outline), f, "", FAILED, diagnostics=[diag])
                    for f in opts.formats
                ],
            )
            continue
        seen[outline.stem] = outline
        where = (str(outline), str(opts.out_dir))
        unsafe = make_unsafe("".join(where)) if opts.depfile and not check else ""
        if unsafe:
            bad = next(p for p in where if make_unsafe(p))
            diag = _refused_by_make(bad, make_unsafe(bad))
            emit(
                outline,
                [
                    TargetResult(str(outline), f, "", FAILED, diagnostics=[diag])
                    for f in opts.formats
                ],
            )
            continue
        state, verdict = _current_targets(outline, opts, hasher, code)
        if all(verdict.values()):
            rs = [
                TargetResult(
                    str(outline),
                    n,
                    str(output_path(opts.out_dir, outline.stem, state.targets[n].suffix)),
                    UP_TO_DATE,
                    0.0,
                    _warnings_of(state.targets[n]),
                )
                for n in opts.formats
            ]
            if opts.depfile and not check:
                late = _write_depfile(outline, opts, state, list(opts.formats))
                for r in rs:
                    r.diagnostics = [*r.diagnostics, *late]
            emit(outline, rs)
        elif check:
            by_name = {s.name: s for s in resolve_formats(opts.formats)}
            emit(
                outline,
                [
                    TargetResult(
                        str(outline),
                        n,
                        str(output_path(opts.out_dir, outline.stem, by_name[n].suffix)),
                        UP_TO_DATE if ok else STALE,
                    )
                    for n, ok in verdict.items()
                ],
            )
        else:
            pending.append(outline)

    if pending:
        specs = resolve_formats(opts.formats)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
        if workers == 1 or planned is not None:
            # By default, the cores no other outline is using.
            format_jobs = format_jobs or jobs or os.cpu_count() or 1
            early = writer is None and format_jobs > 1 and hasattr(os, "fork")
            if early:
                # A process that imports the writers of the formats written beside this one
                # (the only format, if one) while this one reads and plans. Forked before the
                # reporter starts any display thread.
                from deckgen.warm_writer import EarlyWriter

                names = [s.name for s in specs]
                writer = EarlyWriter(names if len(names) == 1 else names[1:format_jobs])
            reporter.start(len(pending))
            try:
                for outline in pending:
                    try:
                        emit(
                            outline,
                            build_outline(outline, opts, specs, format_jobs, planned, writer),
                        )
                    except Exception as exc:  # e.g. the output directory cannot be created
                        emit(
                            outline,
                            _crashed(outline, opts, specs, exc),
                        )
            finally:
                if early and writer is not None:
                    writer.close()
        else:
            _run_pool(pending, opts, specs, workers, reporter, emit)

    ordered = [r for o in outlines if o in results for r in results.pop(o, [])]
    summary = Summary(ordered, time.perf_counter() - t_start, check=check)
    reporter.finish(summary)
    return summary


def _run_pool(
    pending: list[Path],
    opts: Options,
    specs: tuple[FormatSpec, ...],
    workers: int,
    reporter: Reporter,
    emit: Callable[[Path, list[TargetResult]], None],
) -> None:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),)
    )
    try:
        futures = {pool.submit(build_outline, o, opts, specs): o for o in pending}
        # Workers are forked on the first submit, before the reporter starts any display thread.
        reporter.start(len(pending))
        for fut in as_completed(futures):
            outline = futures[fut]
            try:
                rs = fut.result()
            except Exception as exc:  # a worker died (killed, out of memory) or could not pickle
                rs = _crashed(outline, opts, specs, exc)
            emit(outline, rs)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

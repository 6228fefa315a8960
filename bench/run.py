"""Benchmarks: speed, scaling and memory of deckgen, side by side with Pandoc.

    make bench        # Rutte cold build, no-op, scaling 12/120/1,200, Pandoc on 12 and 120
    make bench-full   # the same, plus Pandoc on 1,200 sections (minutes)

Every figure comes from a fresh process (``deckgen build`` as a user runs it), timed with
``time.perf_counter`` around ``subprocess`` and with the child's peak memory from ``wait4``'s
``ru_maxrss``. The results go to docs/benchmarks.md (``--out``) and are printed. These are
measurements, not tests: nothing here fails on a slow machine; the report says which targets
were met.

Bytecode: this machine's environment sets PYTHONDONTWRITEBYTECODE=1, which makes every process
recompile deckgen's modules. An installed deckgen has its ``.pyc`` files, so the children run
without that variable and with a private ``PYTHONPYCACHEPREFIX``, warmed by one untimed run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import RUTTE, write

ROOT = Path(__file__).resolve().parent.parent
DECKGEN = [sys.executable, "-m", "deckgen"]
LIBRARIES = ("python-pptx", "reportlab", "rl-accel", "lxml", "pydantic", "pyyaml", "fonttools")
SHARED_IMPORTS = "deckgen.cli, deckgen.build, deckgen.outline, deckgen.theme, deckgen.render"
RENDERERS = {"deck": "deckgen.render.pptx", "brief": "deckgen.render.pdf_brief"}
# Times, in one fresh process, the imports a build makes before its formats split into two
# processes, then one renderer's imports; prints both. os._exit: no teardown, as the CLI.
IMPORT_PROBE = (
    "import importlib, os, sys, time\n"
    "t0 = time.perf_counter()\n"
    f"import {SHARED_IMPORTS}\n"
    "t1 = time.perf_counter()\n"
    "importlib.import_module(sys.argv[1])\n"
    "t2 = time.perf_counter()\n"
    "print(t1 - t0, t2 - t1, flush=True)\n"
    "os._exit(0)\n"
)
TARGET_COLD = 1.0  # s, Rutte deck and brief
TARGET_NOOP = 0.2  # s
TARGET_RATIO = 1.5  # time per slide, 1,200 sections over 12
TARGET_MEMORY = 1.5 * 1024**3  # bytes
TARGET_PANDOC = 5.0  # Pandoc time over deckgen's at 1,200 sections
TARGET_WATCH = 0.35  # watch mode: save to both outputs, over the cold build
TARGET_PAGE = 0.5  # s, the live page updated after the outputs are written
TARGET_RUTTE_PANDOC = 1.5  # the Rutte deck cold, over Pandoc's time for the same content
# The sentence edited in watch mode: the first section's assessment, its slide's title.
EDITED = "Rutte inherits Stoltenberg's course on Ukraine and unity"
# Times, in one fresh process, each step of a cold build of the Rutte deck alone (what the
# Pandoc comparison runs), imports included where they happen; prints one JSON object.
DECK_PROBE = (
    "import json, os, sys, time\n"
    "from pathlib import Path\n"
    "t = [time.perf_counter()]\n"
    "from deckgen.cli import main\n"
    "from deckgen.build import Options\n"
    "t.append(time.perf_counter())\n"
    "from deckgen.preflight import preflight\n"
    "checked = preflight(Path(sys.argv[1]))\n"
    "t.append(time.perf_counter())\n"
    "from deckgen.plans import Job, prepare\n"
    "from deckgen.reproducible import pinned_time\n"
    "job = Job(checked.outline, checked.theme, Path(sys.argv[1]),"
    " pinned_time(checked.outline.meta.date))\n"
    "prepared = prepare(job)\n"
    "plan = prepared.plan('deck')\n"
    "t.append(time.perf_counter())\n"
    "from deckgen.render import FORMATS\n"
    "writer = FORMATS['pptx'].writer()\n"
    "t.append(time.perf_counter())\n"
    "data = writer(plan, prepared.assets())\n"
    "t.append(time.perf_counter())\n"
    "Path(sys.argv[2]).write_bytes(data)\n"
    "t.append(time.perf_counter())\n"
    "print(json.dumps([b - a for a, b in zip(t, t[1:])]), flush=True)\n"
    "os._exit(0)\n"
)
DECK_STEPS = (
    "CLI and build code imported",
    "outline read and validated, theme and pictures checked (pydantic, the outline model, "
    "PyYAML and Pillow imported on the way)",
    "deck planned (the planner's modules imported on the way)",
    "the deck writer imported (python-pptx, lxml, XlsxWriter)",
    "the deck written (PPTX bytes)",
    "the file written",
)


@dataclass
class Run:
    seconds: float
    maxrss: int  # bytes
    stdout: str
    timed_out: bool = False  # stopped at the time limit: ``seconds`` is a lower bound


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)
        for line in lines:
            print(line, flush=True)

    def target(self, name: str, figure: str, ok: bool | None) -> None:
        self.verdicts.append((name, figure, ok))


def child_env(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("DECKGEN_DEBUG", None)
    return env


def timed(cmd: list[str], env: dict[str, str], cwd: Path = ROOT, limit: float | None = None) -> Run:
    """Run ``cmd`` to the end (or until ``limit`` seconds); wall time, peak memory and stdout."""
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE, start_new_session=True
        )
        # The whole process group: a child left running would hold the stderr pipe open.
        stop = lambda: os.killpg(proc.pid, signal.SIGKILL)  # noqa: E731
        stopper = threading.Timer(limit, stop) if limit else None
        if stopper:
            stopper.start()
        stderr = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        if stopper:
            stopper.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if limit and seconds >= limit and proc.returncode == -signal.SIGKILL:
            return Run(seconds, usage.ru_maxrss * 1024, "", timed_out=True)
        if proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr.decode(errors='replace')}"
            )
        out.seek(0)
        return Run(seconds, usage.ru_maxrss * 1024, out.read().decode(errors="replace"))


def wait_for(predicate: Any, what: str, seconds: float = 120) -> Any:
    """The first true value of ``predicate``, polled every 5 ms (a measurement's resolution)."""
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.005)
    return value


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a watch as Ctrl-C does."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def browser_missing() -> str:
    """Why the live page cannot be measured here ("" when it can)."""
    for tool, package in (("chromium", "chromium"), ("chromedriver", "chromium-driver")):
        if not shutil.which(tool):
            return f"{tool} is not installed (Debian: {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return ""


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fmt_mb(nbytes: float) -> str:
    return f"{nbytes / 1024**2:.0f} MB"


def ok_mark(ok: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[ok]


# -- facts ----------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GB"
    except OSError:
        pass
    versions = []
    for lib in LIBRARIES:
        try:
            versions.append(f"{lib} {metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{lib} (not installed)")
    pandoc = shutil.which("pandoc")
    pandoc_version = "not installed"
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=False)
        pandoc_version = first.stdout.splitlines()[0] if first.stdout else "unknown version"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (`nproc`)",
        f"- Memory: {mem}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- deckgen {deckgen_version()}; " + ", ".join(versions),
        f"- Pandoc: {pandoc_version}",
    ]


def deckgen_version() -> str:
    """The version of the deckgen package (distributed as assessment-deckgen)."""
    from deckgen import __version__

    return __version__


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def pptx_slides(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def count_units(path: Path) -> int:
    return pptx_slides(path) if path.suffix == ".pptx" else pdf_pages(path)


# -- the benchmarks -------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.env = child_env(work / "pycache")
        self.n = 0
        self.cold_seconds: float | None = None

    def fresh_dir(self) -> Path:
        self.n += 1
        d = self.work / f"out{self.n}"
        d.mkdir()
        return d

    def build(self, outline: Path, out: Path, *extra: str) -> Run:
        cmd = [*DECKGEN, "build", "-j", "1", "--force", "-o", str(out), *extra, str(outline)]
        return timed(cmd, self.env)

    def warm_up(self) -> None:
        """One untimed build of every format: fills the bytecode cache and the page cache."""
        self.build(RUTTE, self.fresh_dir())
        for module in RENDERERS.values():
            self.imports(module)

    def imports(self, module: str) -> tuple[float, float]:
        """Seconds to import what every build imports, then the renderer ``module``."""
        out = timed([sys.executable, "-c", IMPORT_PROBE, module], self.env).stdout.split()
        return float(out[0]), float(out[1])

    def cold(self, rep: Report) -> None:
        runs = self.args.runs
        cmd = [*DECKGEN, "build", "--force", "-o"]  # default -j: formats render side by side
        builds = [timed([*cmd, str(self.fresh_dir()), str(RUTTE)], self.env) for _ in range(runs)]
        serial = median([self.build(RUTTE, self.fresh_dir()).seconds for _ in range(runs)])
        bare = [timed([sys.executable, "-c", "pass"], self.env).seconds for _ in range(runs)]
        probes = {
            name: [self.imports(module) for _ in range(runs)] for name, module in RENDERERS.items()
        }
        shared = median([t[0] for ts in probes.values() for t in ts])
        own = {name: median([t[1] for t in ts]) for name, ts in probes.items()}
        cold = median([b.seconds for b in builds])
        start = median(bare)
        critical = shared + own["deck"]
        rest = cold - start - critical
        rss = max(b.maxrss for b in builds)
        rep.add(
            "## Rutte cold build",
            "",
            f"`deckgen build --force -o NEW_DIR {RUTTE.relative_to(ROOT)}` (deck and brief, "
            f"the default formats and `-j`: the build forks a writer process before it reads the "
            f"outline, which imports the brief's writer meanwhile and writes the brief while the "
            f"first process writes the deck), a fresh process and a new output directory each "
            f"run, {runs} runs. With `-j 1` (one process, formats one after the other): median "
            f"{fmt_s(serial)}.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| median wall time | **{fmt_s(cold)}** (min {fmt_s(min(b.seconds for b in builds))},"
            f" max {fmt_s(max(b.seconds for b in builds))}) |",
            f"| of which interpreter start (`python -c pass`) | {fmt_s(start)} "
            f"({start / cold:.0%}) |",
            f"| imports every build makes (CLI, build, outline model with pydantic, "
            f"theme) | {fmt_s(shared)} ({shared / cold:.0%}) |",
            f"| then the deck renderer's imports (python-pptx, XlsxWriter, planner) / the brief "
            f"renderer's (reportlab, planner; in the writer process, while the outline is read) "
            f"| {fmt_s(own['deck'])} / {fmt_s(own['brief'])} |",
            f"| imports in the first process (every build's + the deck's) | "
            f"{fmt_s(critical)} ({critical / cold:.0%}) |",
            f"| the rest: read, validate, plan, render, write | {fmt_s(rest)} "
            f"({rest / cold:.0%}) |",
            f"| peak memory of one process (ru_maxrss) | {fmt_mb(rss)} |",
            "",
            f"Imports are timed inside fresh processes ({runs} of each) that import what every "
            f"build imports ({SHARED_IMPORTS}) and then one renderer "
            f"module; medians. Both renderers' imports in one process, as `-j 1` makes them: "
            f"{fmt_s(shared + sum(own.values()))}.",
            "",
        )
        rep.target("Rutte cold build (deck and brief)", fmt_s(cold), cold < TARGET_COLD)
        self.cold_seconds = cold

    def noop(self, rep: Report) -> None:
        out = self.fresh_dir()
        self.build(RUTTE, out)
        cmd = [*DECKGEN, "build", "-j", "1", "-o", str(out), str(RUTTE)]
        runs = [timed(cmd, self.env) for _ in range(self.args.runs)]
        assert all("up-to-date" in r.stdout for r in runs), runs[0].stdout
        t = median([r.seconds for r in runs])
        rep.add(
            "## No-op rebuild",
            "",
            f"`deckgen build -j 1 -o DIR {RUTTE.relative_to(ROOT)}` with both targets up to date, "
            f"{self.args.runs} runs: median **{fmt_s(t)}**, peak memory "
            f"{fmt_mb(max(r.maxrss for r in runs))}.",
            "",
        )
        rep.target("No-op rebuild", fmt_s(t), t < TARGET_NOOP)

    # -- watch mode and the live page ---------------------------------------------------------

    def _watch(self, folder: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Path]:
        """``deckgen watch EXTRA outlines/rutte.yaml`` in ``folder``, after its first build."""
        log = folder / f"watch{len(extra)}.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [*DECKGEN, "watch", *extra, "outlines/rutte.yaml"],
                cwd=folder,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: "watching" in log.read_text() or proc.poll() is not None, "a watch")
        if proc.poll() is not None:
            raise RuntimeError(f"deckgen watch exited:\n{log.read_text()}")
        time.sleep(2.0)  # the writers warm up after the first round
        return proc, log

    def _edits(
        self, folder: Path, page: Any = None, between: Any = None
    ) -> tuple[list[float], list[float]]:
        """Save the outline ``--edits`` times, one changed sentence each: per save, seconds
        from the save to both outputs written, and (with a page open) from the outputs to the
        page showing them, and to the page having the state at all."""
        outline = folder / "outlines" / "rutte.yaml"
        original = outline.read_text(encoding="utf-8")
        outs = [folder / "build" / "rutte.pptx", folder / "build" / "rutte.pdf"]
        to_outputs: list[float] = []
        to_page: list[float] = []
        for k in range(self.args.edits):
            if between is not None:
                between()  # while the watch is idle: a cold build, for the ratio
                time.sleep(0.5)
            before = [p.stat().st_mtime_ns for p in outs]
            shown = page.execute_script("return window.deckgenShown") if page else None
            text = original.replace(EDITED, f"{EDITED} (save {k + 1})", 1)
            saved = time.time()
            outline.write_text(text, encoding="utf-8")
            mtimes = wait_for(
                lambda b=before: (
                    (m := [p.stat().st_mtime_ns for p in outs])
                    and all(x != y for x, y in zip(m, b, strict=True))
                    and m
                ),
                "both outputs",
            )
            written = max(mtimes) / 1e9
            to_outputs.append(written - saved)
            if page is not None:
                last = shown["version"] if shown else 0
                now = wait_for(
                    lambda v=last: (
                        (s := page.execute_script("return window.deckgenShown"))
                        and s["version"] > v + 1
                        and s
                    ),
                    "the page",
                )
                to_page.append(now["at"] / 1000 - written)
            time.sleep(1.0)  # a person does not save twice a second; let the round finish
        outline.write_text(original, encoding="utf-8")
        return to_outputs, to_page

    def watch(self, rep: Report, cold: float | None) -> None:
        folder = self.work / "watch"
        (folder / "outlines").mkdir(parents=True)
        shutil.copy(RUTTE, folder / "outlines" / "rutte.yaml")
        edits = self.args.edits
        proc, _ = self._watch(folder)
        colds: list[float] = []

        def cold_build() -> None:
            cmd = [*DECKGEN, "build", "--force", "-o", str(self.fresh_dir()), str(RUTTE)]
            colds.append(timed(cmd, self.env).seconds)

        try:
            plain, _ = self._edits(folder, between=cold_build)
        finally:
            stop(proc)
        page_figures: list[float] = []
        served: list[float] = []
        why_no_page = browser_missing()
        if not why_no_page:
            from tests.browser import chromium

            proc, log = self._watch(folder, "--serve", "--port", "0")
            try:
                url = re.search(r"live preview: (\S+)", log.read_text())
                assert url, log.read_text()
                with chromium(
                    shutil.which("chromium") or "", shutil.which("chromedriver") or ""
                ) as web:
                    web.get(url.group(1))
                    wait_for(lambda: web.execute_script("return window.deckgenShown"), "the page")
                    served, page_figures = self._edits(folder, web)
            finally:
                stop(proc)
        t = median(plain)
        rep.add(
            "## Watch mode and the live page",
            "",
            "`deckgen watch outlines/rutte.yaml` (default `-j` and debounce) on a copy of the "
            f"Rutte outline, {edits} saves, each changing one sentence (the first section's "
            "assessment, its slide's title) and waiting a second before the next. *Save to "
            "outputs* runs from just before the outline is written to the later modification "
            "time of the deck and the brief; it includes the file watcher's quiet time (20 ms). "
            "Before each save, while the watch is idle, one cold build of the same outline "
            "(`deckgen build --force`, a fresh process, default `-j`) is timed, so that the "
            "ratio compares rounds and cold builds made in the same minutes on this shared "
            "machine. "
            "Then the same with `--serve` and the page open in headless Chromium: *outputs to "
            "page* runs from the outputs to the moment the page has shown the new state, every "
            "changed picture "
            "decoded (the page's `Date.now()`, same clock).",
            "",
            "| figure | median | min | max |",
            "|---|---:|---:|---:|",
            f"| save to both outputs, `deckgen watch` | **{fmt_s(t)}** | {fmt_s(min(plain))} | "
            f"{fmt_s(max(plain))} |",
            f"| cold build between the saves | **{fmt_s(median(colds))}** | {fmt_s(min(colds))} | "
            f"{fmt_s(max(colds))} |",
        )
        if served:
            rep.add(
                f"| save to both outputs, `deckgen watch --serve` with the page open | "
                f"{fmt_s(median(served))} | {fmt_s(min(served))} | {fmt_s(max(served))} |",
                f"| outputs to page updated | **{fmt_s(median(page_figures))}** | "
                f"{fmt_s(min(page_figures))} | {fmt_s(max(page_figures))} |",
            )
        rep.add("")
        probe = [sys.executable, str(ROOT / "bench" / "warm_round.py"), str(RUTTE), str(edits)]
        steps = json.loads(timed(probe, self.env).stdout)
        rep.add(
            "Where a warm round's time goes: the same saves replayed step by step in one "
            "process (`bench/warm_round.py`), formats one after the other (the watch writes "
            "the brief in its writer process while it writes the deck, so a round takes about "
            "the brief's steps, not the sum); medians. With `--serve` the previews draw slides "
            "and pages side by side.",
            "",
            "| step | median |",
            "|---|---:|",
            *(f"| {name} | {fmt_s(median(times))} |" for name, times in steps.items()),
            "",
        )
        ratio = t / median(colds)
        rep.add(
            f"Save to outputs is **{ratio:.2f}x** the cold build made between the saves "
            f"(target {TARGET_WATCH}x)"
            + (
                f"; against the section above's cold build ({fmt_s(cold)}), {t / cold:.2f}x."
                if cold
                else "."
            ),
            "",
        )
        rep.target(
            "Watch: save to both outputs, over the cold build",
            f"{ratio:.2f}x",
            ratio <= TARGET_WATCH,
        )
        if page_figures:
            worst = max(page_figures)
            rep.target(
                "Live page updated after the outputs (median; worst)",
                f"{fmt_s(median(page_figures))}; {fmt_s(worst)}",
                median(page_figures) <= TARGET_PAGE,
            )
        else:
            rep.add(f"The page was not measured: {why_no_page}.", "")
            rep.target("Live page updated after the outputs", "not measured", None)

    def rutte_pandoc(self, rep: Report) -> None:
        """The Rutte deck alone, cold, against Pandoc on the same content, and where its time
        goes."""
        rep.add("## The Rutte deck against Pandoc", "")
        pandoc = self._pandoc(rep, "Rutte deck cold, over Pandoc")
        if pandoc is None:
            return
        md = self.work / "rutte.md"
        timed([*DECKGEN, "export-markdown", str(RUTTE), "-o", str(md)], self.env)
        p_times, d_times, serial, stopped = [], [], [], False
        deck = [*DECKGEN, "build", "--force", "--format", "pptx", "-o"]  # the default -j
        for _ in range(self.args.runs):
            p = timed(
                [pandoc, str(md), "-o", str(self.fresh_dir() / "x.pptx")],
                self.env,
                limit=self.args.pandoc_limit,
            )
            stopped = stopped or p.timed_out
            p_times.append(p.seconds)
            d_times.append(timed([*deck, str(self.fresh_dir()), str(RUTTE)], self.env).seconds)
            serial.append(self.build(RUTTE, self.fresh_dir(), "--format", "pptx").seconds)
        pt, dt, st = median(p_times), median(d_times), median(serial)
        at_least = "\u2264 " if stopped else ""
        steps = [
            json.loads(
                timed(
                    [
                        sys.executable,
                        "-c",
                        DECK_PROBE,
                        str(RUTTE),
                        str(self.fresh_dir() / "x.pptx"),
                    ],
                    self.env,
                ).stdout
            )
            for _ in range(self.args.runs)
        ]
        start = median([timed([sys.executable, "-c", "pass"], self.env).seconds for _ in range(3)])
        rep.add(
            f"`deckgen build --force --format pptx {RUTTE.relative_to(ROOT)}` against "
            f"`pandoc rutte.md -o x.pptx` on the same content (`deckgen export-markdown`), "
            f"{self.args.runs} alternating runs of each, whole commands: Pandoc "
            f"{fmt_s(pt)}, deckgen {fmt_s(dt)}: deckgen takes **{at_least}{dt / pt:.2f}x** "
            f"Pandoc's time (target {TARGET_RUTTE_PANDOC}x). With the default `-j` the deck is "
            f"written by a process forked before the outline is read, which imports "
            f"python-pptx while the first process reads and plans; with `-j 1` (one process) "
            f"deckgen took {fmt_s(st)}, {at_least}{st / pt:.2f}x Pandoc's time.",
            "",
            "Where the deck's cold time goes, step by step in one fresh process, as `-j 1` runs "
            f"it (medians of {self.args.runs}; imports counted where they happen):",
            "",
            "| step | time |",
            "|---|---:|",
            f"| interpreter start (`python -c pass`) | {fmt_s(start)} |",
            *(
                f"| {name} | {fmt_s(median([s[i] for s in steps]))} |"
                for i, name in enumerate(DECK_STEPS)
            ),
            "",
        )
        rep.target(
            "Rutte deck cold, over Pandoc",
            f"{at_least}{dt / pt:.2f}x",
            dt / pt <= TARGET_RUTTE_PANDOC,
        )

    def outline(self, sections: int) -> Path:
        path = self.work / f"bench-{sections}.yaml"
        if not path.exists():
            write(sections, path)
        return path

    def scaling(self, rep: Report) -> None:
        sizes = self.args.sizes
        rows: dict[tuple[str, int], tuple[float, float, int, int]] = {}
        for fmt in self.args.formats:
            for n in sizes:
                outline = self.outline(n)
                runs_n = self.args.runs if n < 1000 else self.args.big_runs
                walls, works, rss, units = [], [], 0, 0
                for _ in range(runs_n):
                    out = self.fresh_dir()
                    r = self.build(
                        outline, out, "--format", fmt, "--json", "--max-sections", str(n)
                    )
                    summary = json.loads(r.stdout)
                    target = summary["targets"][0]
                    walls.append(r.seconds)
                    works.append(float(target["seconds"]))
                    rss = max(rss, r.maxrss)
                    units = count_units(Path(target["path"]))
                rows[fmt, n] = (median(walls), median(works), rss, units)
                print(f"  scaling {fmt} {n}: {rows[fmt, n]}", flush=True)
        rep.add(
            "## Scaling: 12, 120 and 1,200 sections",
            "",
            "Outlines from `bench/generate.py` (Rutte's 12 sections reused in a cycle, ids and "
            "titles made unique), one format per process: `deckgen build -j 1 --force --format F "
            "--max-sections N --json`. *Wall* is the whole command (interpreter start and imports "
            "included); *render* is the time the build reports for the target (plan, render and "
            "write, after the outline is read). Per unit means per slide for the deck and per page "
            "for the brief. Medians of "
            f"{self.args.runs} runs ({self.args.big_runs} at 1,200 sections).",
            "",
            "| format | sections | slides / pages | wall | wall per unit | render per unit "
            "| peak memory |",
            "|---|---:|---:|---:|---:|---:|---:|",
        )
        for fmt in self.args.formats:
            for n in sizes:
                wall, work, rss, units = rows[fmt, n]
                rep.add(
                    f"| {fmt} | {n:,} | {units:,} | {fmt_s(wall)} | {fmt_ms(wall / units)} "
                    f"| {fmt_ms(work / units)} | {fmt_mb(rss)} |"
                )
        rep.add("")
        lo, hi = min(sizes), max(sizes)
        if lo == hi:
            return
        for fmt in self.args.formats:
            wall_lo, work_lo, _, u_lo = rows[fmt, lo]
            wall_hi, work_hi, rss_hi, u_hi = rows[fmt, hi]
            ratio = (work_hi / u_hi) / (work_lo / u_lo)
            wall_ratio = (wall_hi / u_hi) / (wall_lo / u_lo)
            rep.add(
                f"- {fmt}: render time per unit at {hi:,} sections is **{ratio:.2f}x** that at "
                f"{lo:,} (wall time per unit: {wall_ratio:.2f}x, flattered by the fixed start-up "
                f"cost); peak memory {fmt_mb(rss_hi)}."
            )
            rep.target(
                f"{fmt}: time per unit, {hi:,} vs {lo:,} sections",
                f"{ratio:.2f}x",
                ratio <= TARGET_RATIO,
            )
            rep.target(
                f"{fmt}: peak memory at {hi:,} sections", fmt_mb(rss_hi), rss_hi < TARGET_MEMORY
            )
        rep.add("")

    def _pandoc(self, rep: Report, target: str) -> str | None:
        """Pandoc's path, or None after reporting why ``target`` was skipped."""
        pandoc = shutil.which("pandoc")
        if pandoc and not self.args.no_pandoc:
            return pandoc
        why = (
            "--no-pandoc was given"
            if self.args.no_pandoc
            else "pandoc is not installed (Debian: `apt-get install pandoc`)"
        )
        rep.add(f"Skipped: {why}.", "")
        rep.target(target, "skipped", None)
        return None

    def pandoc(self, rep: Report) -> None:
        rep.add("## Side by side with Pandoc", "")
        pandoc = self._pandoc(rep, "1,200-section deck vs Pandoc")
        if pandoc is None:
            return
        sizes = self.args.pandoc_sizes
        rep.add(
            "The same content: `deckgen export-markdown OUTLINE -o deck.md` (one slide per key "
            "point, metrics as a pipe table, a section slide per section), then "
            "`pandoc deck.md -o x.pptx` against `deckgen build -j 1 --force --format pptx "
            "--max-sections N OUTLINE`, in alternating runs, both as whole commands (wall time). "
            "The export is not timed.",
            "",
            "| sections | runs | Pandoc slides | deckgen slides | Pandoc | deckgen | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        )
        notes: list[str] = []
        for n in sizes:
            outline = self.outline(n)
            md = self.work / f"bench-{n}.md"
            timed(
                [
                    *DECKGEN,
                    "export-markdown",
                    "--max-sections",
                    str(n),
                    str(outline),
                    "-o",
                    str(md),
                ],
                self.env,
            )
            runs_n = self.args.runs if n < 1000 else self.args.big_runs
            p_times, d_times = [], []
            p_units = d_units = 0
            stopped = False  # a Pandoc run hit the limit: its time and the ratio are lower bounds
            for _ in range(runs_n):
                pptx = self.fresh_dir() / "x.pptx"
                p = timed(
                    [pandoc, str(md), "-o", str(pptx)], self.env, limit=self.args.pandoc_limit
                )
                p_times.append(p.seconds)
                stopped = stopped or p.timed_out
                if not p.timed_out:
                    p_units = pptx_slides(pptx)
                out = self.fresh_dir()
                d = self.build(outline, out, "--format", "pptx", "--max-sections", str(n))
                d_times.append(d.seconds)
                d_units = pptx_slides(out / f"{outline.stem}.pptx")
                print(f"  pandoc {n}: {p.seconds:.2f} s vs deckgen {d.seconds:.2f} s", flush=True)
            pt, dt = median(p_times), median(d_times)
            at_least = "\u2265 " if stopped else ""
            shown_units = f"{p_units:,}" if p_units else "(unfinished)"
            rep.add(
                f"| {n:,} | {runs_n} | {shown_units} | {d_units:,} | {at_least}{fmt_s(pt)} "
                f"| {fmt_s(dt)} | **{at_least}{pt / dt:.1f}x** |"
            )
            if stopped:
                notes.append(
                    f"At {n:,} sections Pandoc was stopped after {self.args.pandoc_limit:.0f} s "
                    "(`--pandoc-limit`) in at least one run, so its time and the ratio are lower "
                    "bounds."
                )
            if n >= 1000:
                rep.target(
                    f"{n:,}-section deck vs Pandoc",
                    f"{at_least}{pt / dt:.1f}x",
                    pt / dt >= TARGET_PANDOC,
                )
        rep.add("", *(f"{note}\n" for note in notes))
        if not any(n >= 1000 for n in sizes):
            rep.add("The 1,200-section comparison runs in `make bench-full`.", "")
            rep.target("1,200-section deck vs Pandoc", "run `make bench-full`", None)


def render_report(rep: Report, header: list[str], loads: tuple[str, str]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit by hand. "
        "`make bench-full` adds Pandoc on 1,200 sections.",
        "",
        "## Machine",
        "",
        *header,
        f"- Load average (1, 5, 15 min) at the start: {loads[0]}; at the end: {loads[1]}",
        "",
        "## Targets",
        "",
        "| target | figure | verdict |",
        "|---|---|---|",
        *[f"| {name} | {figure} | {ok_mark(ok)} |" for name, figure, ok in rep.verdicts],
        "",
        *rep.lines,
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="deckgen benchmarks; writes docs/benchmarks.md")
    p.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="report file")
    p.add_argument("--runs", type=int, default=7, help="runs per small measurement (median)")
    p.add_argument("--big-runs", type=int, default=3, help="runs per 1,200-section measurement")
    p.add_argument("--sizes", default="12,120,1200", help="section counts for scaling")
    p.add_argument("--formats", default="pptx,pdf", help="formats for scaling")
    p.add_argument("--pandoc-sizes", default="12,120", help="section counts against Pandoc")
    p.add_argument("--full", action="store_true", help="also Pandoc on 1,200 sections")
    p.add_argument("--no-pandoc", action="store_true", help="skip the Pandoc comparison")
    p.add_argument("--edits", type=int, default=7, help="saves timed in watch mode (median)")
    p.add_argument("--no-watch", action="store_true", help="skip watch mode and the live page")
    p.add_argument(
        "--pandoc-limit",
        type=float,
        default=3600.0,
        help="stop a Pandoc run after this many seconds and report a lower bound (default 3600)",
    )
    p.add_argument(
        "--notes",
        default=str(ROOT / "bench" / "notes.md"),
        help="text appended to the report, if the file exists (default: bench/notes.md)",
    )
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.formats = [s.strip() for s in args.formats.split(",") if s.strip()]
    args.pandoc_sizes = [int(s) for s in args.pandoc_sizes.split(",") if s.strip()]
    if args.full and 1200 not in args.pandoc_sizes:
        args.pandoc_sizes.append(1200)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rep = Report()
    start_load = loadavg()
    print(f"load average: {start_load}", flush=True)
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        bench.warm_up()
        bench.cold(rep)
        if not args.no_watch:
            bench.watch(rep, bench.cold_seconds)
        bench.rutte_pandoc(rep)
        bench.noop(rep)
        bench.scaling(rep)
        bench.pandoc(rep)
    if args.notes and Path(args.notes).is_file():
        rep.add(Path(args.notes).read_text(encoding="utf-8").rstrip("\n"), "")
    text = render_report(rep, machine(), (start_load, loadavg()))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

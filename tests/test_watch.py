"""deckgen watch's warm rounds: the same bytes as a cold build, previews drawn only where they
changed, the last good previews kept while the outline is broken, imports per format, options."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from deckgen.build import Options
from deckgen.cli import main
from deckgen.live import Live
from deckgen.project import builtin
from deckgen.warm_writer import WarmWriter
from deckgen.watch import Session, _round

from .conftest import ROOT, RUTTE

TRANSITION = "Rutte inherits Stoltenberg's course on Ukraine and unity"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the Rutte outline and a copy of the default theme and its fonts."""
    (tmp_path / "outlines").mkdir()
    shutil.copy(RUTTE, tmp_path / "outlines" / "rutte.yaml")
    themes = tmp_path / "theme"
    themes.mkdir()
    shutil.copy(builtin("themes") / "default.yaml", themes / "copied.yaml")
    for font in (builtin("fonts")).glob("LiberationSans-*.ttf"):
        shutil.copy(font, themes / font.name)
    return tmp_path


_SESSIONS: list[Session] = []


@pytest.fixture(autouse=True)
def _close_sessions() -> Iterator[None]:
    """End the writer process of every session a test made."""
    yield
    while _SESSIONS:
        _SESSIONS.pop().close()


def _session(
    project: Path, live: Live | None = None, cores: int | None = None
) -> tuple[Session, Options]:
    opts = Options(out_dir=project / "warm", theme=str(project / "theme" / "copied.yaml"))
    session = Session(opts, live, cores=cores)
    _SESSIONS.append(session)
    return session, opts


def _warm_round(project: Path, session: Session, opts: Options) -> None:
    outline = str(project / "outlines" / "rutte.yaml")
    _round([outline], opts, None, project / "outlines", session, lambda: None)


def _cold(project: Path, out: Path) -> dict[str, bytes]:
    """A cold build of the project as it is now, in a process of its own."""
    args = ["build", "--force", "-o", str(out), "--theme", str(project / "theme" / "copied.yaml")]
    done = subprocess.run(
        [sys.executable, "-m", "deckgen", *args, str(project / "outlines" / "rutte.yaml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {s: (out / f"rutte{s}").read_bytes() for s in (".pptx", ".pdf")}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {s: (folder / f"rutte{s}").read_bytes() for s in (".pptx", ".pdf")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("cores", [1, 2])
def test_warm_rebuilds_give_a_cold_builds_bytes(project: Path, cores: int) -> None:
    """Edit the outline, then the theme: after each, the warm watch writes exactly what a fresh
    process writes (with two cores the brief in its writer process, with one here)."""
    session, opts = _session(project, cores=cores)
    outline = project / "outlines" / "rutte.yaml"
    _warm_round(project, session, opts)
    assert session.warm  # the writers ran once in this process
    if cores == 1:
        assert session.writer is None

    _edit(outline, TRANSITION, "Rutte keeps Stoltenberg's course on Ukraine and unity")
    _warm_round(project, session, opts)
    warm = _outputs(project / "warm")
    assert warm == _cold(project, project / "cold1")

    _edit(project / "theme" / "copied.yaml", 'primary: "14284B"', 'primary: "5A1E4B"')
    _warm_round(project, session, opts)
    assert _outputs(project / "warm") == _cold(project, project / "cold2")
    assert _outputs(project / "warm") != warm
    if session.writer is not None:
        # The brief of the first round, of the warm-up and of the two edits: one process.
        assert (session.writer.started, session.writer.served) == (1, 4)


def test_a_writer_process_that_dies_costs_a_round_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watch's writer process killed while it writes the brief: the round writes the brief
    itself, with a cold build's bytes; the next round starts a new writer process."""
    session, opts = _session(project, cores=2)
    outline = project / "outlines" / "rutte.yaml"
    _warm_round(project, session, opts)
    writer = session.writer
    assert writer is not None
    assert writer.started == 1

    submit = WarmWriter.submit

    def submit_then_die(self: WarmWriter, *args: Any) -> Any:
        pending = submit(self, *args)
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)
        return pending

    monkeypatch.setattr(WarmWriter, "submit", submit_then_die)
    _edit(outline, TRANSITION, "Rutte keeps Stoltenberg's course on Ukraine and unity")
    _warm_round(project, session, opts)
    assert _outputs(project / "warm") == _cold(project, project / "cold1")

    monkeypatch.setattr(WarmWriter, "submit", submit)
    _edit(outline, "Rutte keeps", "Rutte holds")
    _warm_round(project, session, opts)
    assert writer.started == 2  # a new process, used
    assert _outputs(project / "warm") == _cold(project, project / "cold2")


def _wait(predicate: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_a_changed_font_starts_the_watch_afresh_with_a_cold_builds_bytes(project: Path) -> None:
    """Font metrics and reportlab's fonts are kept by file name, so a font file replaced under
    the same name makes the watch start a new process, whose bytes are a cold build's."""
    theme = project / "theme" / "copied.yaml"
    args = ["watch", "--debounce", "50", "-o", "warm", "--theme", str(theme), "outlines/rutte.yaml"]
    log = project / "watch.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deckgen", *args], cwd=project, stdout=out, stderr=out
        )
    pdf = project / "warm" / "rutte.pdf"
    try:
        _wait(lambda: "watching" in log.read_text(), "the first build")
        before = pdf.read_bytes()
        time.sleep(1.0)  # the writers warm up after the first round
        shutil.copy(
            theme.parent / "LiberationSans-Bold.ttf", theme.parent / "LiberationSans-Regular.ttf"
        )
        _wait(lambda: log.read_text().count("watching") >= 2, "the build after the font change")
        assert "LiberationSans-Regular.ttf changed; starting afresh" in log.read_text()
        assert proc.poll() is None  # still watching, in the new process
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    assert proc.returncode == 0, log.read_text()
    after = _outputs(project / "warm")
    assert after[".pdf"] != before
    assert after == _cold(project, project / "cold")


def test_previews_of_unchanged_slides_and_pages_are_not_drawn_again(project: Path) -> None:
    live = Live(slide_width=480)
    session, opts = _session(project, live)
    _warm_round(project, session, opts)
    view = live.views[str(project / "outlines" / "rutte.yaml")]
    slides, pages = list(view.slides), list(view.pages)
    assert live.counts.slides_drawn == len(slides) > 10
    assert live.counts.pages_encoded == len(pages) > 10

    _edit(project / "outlines" / "rutte.yaml", TRANSITION, "Rutte keeps Stoltenberg's course")
    _warm_round(project, session, opts)
    changed = [
        i for i, (old, new) in enumerate(zip(slides, view.slides, strict=True)) if old != new
    ]
    assert changed  # the section's slide shows the new title...
    assert any("Rutte keeps Stoltenberg" in title for title, _ in view.slides)
    # ...and only the slides that changed were drawn again.
    assert live.counts.slides_drawn == len(slides) + len(changed) < 2 * len(slides)
    new_pages = [d for d in view.pages if d not in pages]
    assert new_pages
    assert live.counts.pages_encoded == len(pages) + len(new_pages)
    # Pictures of what is no longer shown are let go.
    assert set(live.pictures) == {d for _, d in view.slides} | set(view.pages)


def test_a_broken_outline_keeps_its_last_good_previews_beside_its_located_errors(
    project: Path,
) -> None:
    live = Live(slide_width=320)
    session, opts = _session(project, live)
    outline = project / "outlines" / "rutte.yaml"
    _warm_round(project, session, opts)
    good = live.state()["outlines"][0]
    good_pptx = (project / "warm" / "rutte.pptx").read_bytes()

    lines = outline.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = "  title: an unquoted: colon\n"  # line 6
    outline.write_text("".join(lines), encoding="utf-8")
    _warm_round(project, session, opts)
    broken = live.state()["outlines"][0]
    assert broken["status"] == "failed"
    assert broken["stale"]
    assert broken["slides"] == good["slides"]
    assert broken["pages"] == good["pages"]
    where = [d["text"] for d in broken["diagnostics"] if d["severity"] == "error"]
    assert where
    assert where[0].startswith(f"{outline}:6:"), where
    assert (project / "warm" / "rutte.pptx").read_bytes() == good_pptx


def _imported_by_a_build(tmp_path: Path, fmt: str) -> list[str]:
    code = (
        "import sys; from deckgen.cli import main; "
        f"rc = main(['build', '-j', '1', '--format', '{fmt}', '-o', {str(tmp_path)!r}, "
        f"{str(RUTTE)!r}]); "
        "heavy = ('reportlab', 'pptx', 'lxml', 'xlsxwriter', 'starlette', 'uvicorn', 'pypdfium2'); "
        "print(rc, sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    rc, _, modules = done.stdout.strip().splitlines()[-1].partition(" ")
    assert rc == "0", done.stdout + done.stderr
    return json.loads(modules.replace("'", '"'))


def test_a_build_imports_only_what_its_formats_need(tmp_path: Path) -> None:
    assert _imported_by_a_build(tmp_path / "deck", "pptx") == ["lxml", "pptx", "xlsxwriter"]
    assert _imported_by_a_build(tmp_path / "brief", "pdf") == ["reportlab"]


def test_port_needs_serve_and_a_busy_port_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["watch", "--port", "8123", str(RUTTE)]) == 2
    assert "--port needs --serve" in capsys.readouterr().err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = ["watch", "--serve", "--port", str(port), "-o", str(tmp_path), str(RUTTE)]
        assert main(args) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert not list(tmp_path.iterdir())  # refused before building anything

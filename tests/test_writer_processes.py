"""Formats written in other processes: a cold build's writer forked before the outline is read
(its imports overlap reading and planning), with a cold build's bytes either way and nothing
lost if it dies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.build import BUILT, Options, run
from deckgen.warm_writer import EarlyWriter

from .conftest import ROOT, RUTTE

HEAVY = ("reportlab", "pptx", "lxml", "xlsxwriter")


def _build(out: Path, *args: str) -> tuple[int, list[str]]:
    """Build the Rutte outline in a fresh process; its exit status and the heavy writer
    libraries the building process itself imported."""
    code = (
        "import sys; from deckgen.cli import main; "
        f"rc = main(['build', *{list(args)!r}, '-o', {str(out)!r}, {str(RUTTE)!r}]); "
        f"print(rc, sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    rc, _, modules = done.stdout.strip().splitlines()[-1].partition(" ")
    return int(rc), json.loads(modules.replace("'", '"'))


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the early writer is forked")
def test_a_one_format_build_is_written_by_a_process_forked_before_the_outline_is_read(
    tmp_path: Path,
) -> None:
    """With two cores, ``--format pptx`` plans here and writes the deck in the early writer:
    this process never imports python-pptx, and the bytes are those of a one-process build."""
    rc, imported = _build(tmp_path / "two", "-j", "2", "--format", "pptx")
    assert (rc, imported) == (0, [])
    rc, imported = _build(tmp_path / "one", "-j", "1", "--format", "pptx")
    assert (rc, imported) == (0, ["lxml", "pptx", "xlsxwriter"])
    assert _bytes(tmp_path / "two") == _bytes(tmp_path / "one")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the early writer is forked")
def test_deck_and_brief_side_by_side_give_a_one_process_builds_bytes(tmp_path: Path) -> None:
    """The default formats with two cores: the brief in the early writer (this process imports
    no reportlab), the deck here; the same bytes as ``-j 1``."""
    rc, imported = _build(tmp_path / "two", "-j", "2")
    assert (rc, imported) == (0, ["lxml", "pptx", "xlsxwriter"])
    assert _build(tmp_path / "one", "-j", "1")[0] == 0
    assert _bytes(tmp_path / "two") == _bytes(tmp_path / "one")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the early writer is forked")
def test_an_early_writer_that_dies_costs_the_build_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer killed as soon as it is forked: the build writes the brief itself, with the
    bytes a one-process build writes, and reports it built."""
    killed: list[int] = []
    start = EarlyWriter.__init__

    def start_then_die(self: EarlyWriter, formats: tuple[str, ...]) -> None:
        start(self, formats)
        assert self.pid is not None
        os.kill(self.pid, signal.SIGKILL)
        killed.append(self.pid)

    monkeypatch.setattr(EarlyWriter, "__init__", start_then_die)
    summary = run([RUTTE], Options(out_dir=tmp_path / "two"), jobs=2)
    assert killed
    assert [r.status for r in summary.targets] == [BUILT, BUILT]
    assert _build(tmp_path / "one", "-j", "1")[0] == 0
    assert _bytes(tmp_path / "two") == _bytes(tmp_path / "one")

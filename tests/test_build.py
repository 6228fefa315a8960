"""deckgen build: incremental rules, --check, depfiles, write-if-changed, atomicity, batches."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deckgen import build, build_state
from deckgen.build_changes import summarise
from deckgen.cli import main
from deckgen.project import builtin
from tests.conftest import MINIMAL, ROOT
from tests.test_build_support import FAKES
from tests.test_build_support import plan as fake_plan

WITH_METRIC = MINIMAL.replace(
    "    looking_ahead: Next steps.\n",
    "    metrics:\n"
    "      - label: Spending\n"
    "        value: '2.0'\n"
    "        unit: '% of GDP'\n"
    "        context: 2024\n"
    "        source: NATO\n"
    "    looking_ahead: Next steps.\n",
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project dir (the cwd) with one outline, a theme using its own font copies, fake formats."""
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "a.yaml").write_text(WITH_METRIC, encoding="utf-8")
    theme = (builtin("themes") / "default.yaml").read_text(encoding="utf-8")
    theme = theme.replace(": LiberationSans-", ": fonts/LiberationSans-")  # beside the theme
    (tmp_path / "theme.yaml").write_text(theme, encoding="utf-8")
    shutil.copytree(builtin("fonts"), tmp_path / "fonts")
    from deckgen.plans import PLANNERS
    from deckgen.render import FORMATS

    for name, fmt in FAKES.items():
        monkeypatch.setitem(FORMATS, name, fmt)
    monkeypatch.setitem(PLANNERS, "fake", fake_plan)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def build_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object]]:
    """Run ``deckgen build --json`` in-process on the fake formats; return (status, summary)."""
    capsys.readouterr()
    status = main(["build", "--format", "fake,fake2", "--theme", "theme.yaml", "--json", *args])
    out = capsys.readouterr().out
    return status, json.loads(out)


def statuses(summary: dict[str, object]) -> list[str]:
    return [t["status"] for t in summary["targets"]]  # type: ignore[attr-defined,index]


def test_first_build_writes_outputs_state_and_changes(project: Path, capsys) -> None:
    status, summary = build_json(capsys)
    assert status == 0
    assert statuses(summary) == ["built", "built"]
    assert (project / "build" / "a.fake").is_file()
    assert (project / "build" / "a.fake2.txt").is_file()
    state = json.loads((project / "build" / ".deckgen" / "a.json").read_text())
    assert set(state["targets"]) == {"fake", "fake2"}
    assert any(p.endswith("theme.yaml") for p in state["inputs"])
    assert sum(p.endswith(".ttf") for p in state["inputs"]) == 4
    assert "First build" in (project / "build" / "a.changes.md").read_text()


def test_json_summary_shape(project: Path, capsys) -> None:
    _, summary = build_json(capsys)
    assert set(summary) == {"ok", "exit_status", "check", "seconds", "counts", "targets"}
    assert summary["ok"] is True
    assert summary["counts"] == {"built": 2}
    target = summary["targets"][0]  # type: ignore[index]
    assert set(target) == {"outline", "format", "path", "status", "seconds", "diagnostics"}
    assert target["outline"] == "outlines/a.yaml"
    assert target["path"] == "build/a.fake"


def test_noop_skips_and_leaves_mtimes(project: Path, capsys) -> None:
    build_json(capsys)
    out = project / "build" / "a.fake"
    before = out.stat().st_mtime_ns
    time.sleep(0.01)
    status, summary = build_json(capsys)
    assert status == 0
    assert statuses(summary) == ["up-to-date", "up-to-date"]
    assert out.stat().st_mtime_ns == before


def test_unrelated_change_and_touch_do_not_rebuild(project: Path, capsys) -> None:
    build_json(capsys)
    (project / "outlines" / "notes.txt").write_text("unrelated")
    (project / "README.md").write_text("unrelated")
    os.utime(project / "outlines" / "a.yaml")  # a new mtime, the same bytes
    os.utime(project / "theme.yaml")
    _, summary = build_json(capsys)
    assert statuses(summary) == ["up-to-date", "up-to-date"]


def test_forced_rebuild_with_same_bytes_does_not_touch_the_file(project: Path, capsys) -> None:
    build_json(capsys)
    out = project / "build" / "a.fake"
    before = out.stat().st_mtime_ns
    time.sleep(0.01)
    _, summary = build_json(capsys, "--force")
    assert statuses(summary) == ["unchanged", "unchanged"]
    assert out.stat().st_mtime_ns == before


def test_outline_change_rebuilds_and_summarises(project: Path, capsys) -> None:
    build_json(capsys)
    outline = project / "outlines" / "a.yaml"
    outline.write_text(
        outline.read_text()
        .replace("value: '2.0'", "value: '2.5'")
        .replace(
            "      - headline: A headline\n        detail: A detail.\n",
            "      - headline: A headline\n        detail: A detail.\n"
            "      - headline: New point\n        detail: Something new.\n",
        )
    )
    _, summary = build_json(capsys)
    assert statuses(summary) == ["built", "built"]
    changes = (project / "build" / "a.changes.md").read_text()
    assert "Metric changed: **Spending**: 2.0 % of GDP → 2.5 % of GDP" in changes
    assert "Key point added: **New point**" in changes


def test_comment_only_change_rebuilds_to_identical_bytes(project: Path, capsys) -> None:
    build_json(capsys)
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text() + "# a comment\n")
    _, summary = build_json(capsys)
    assert statuses(summary) == ["unchanged", "unchanged"]
    _, summary = build_json(capsys)
    assert statuses(summary) == ["up-to-date", "up-to-date"]


def test_theme_change_rebuilds(project: Path, capsys) -> None:
    build_json(capsys)
    theme = project / "theme.yaml"
    theme.write_text(theme.read_text().replace('primary: "14284B"', 'primary: "000000"'))
    _, summary = build_json(capsys)
    assert statuses(summary) == ["built", "built"]


def test_font_change_rebuilds(project: Path, capsys) -> None:
    build_json(capsys)
    font = project / "fonts" / "LiberationSans-Bold.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    _, summary = build_json(capsys)
    assert statuses(summary) == ["unchanged", "unchanged"]  # rebuilt; the fake ignores fonts


def test_source_date_epoch_is_an_input(project: Path, capsys, monkeypatch) -> None:
    build_json(capsys)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _, summary = build_json(capsys)
    assert statuses(summary) == ["built", "built"]
    assert b"2023-11-14" in (project / "build" / "a.fake").read_bytes()


def test_deleted_or_edited_output_is_rebuilt(project: Path, capsys) -> None:
    build_json(capsys)
    good = (project / "build" / "a.fake").read_bytes()
    (project / "build" / "a.fake").write_bytes(b"edited by hand")
    (project / "build" / "a.fake2.txt").unlink()
    _, summary = build_json(capsys)
    assert statuses(summary) == ["built", "built"]
    assert (project / "build" / "a.fake").read_bytes() == good


def test_check_builds_nothing_and_reports_stale(project: Path, capsys) -> None:
    status, summary = build_json(capsys, "--check")
    assert status == 1
    assert statuses(summary) == ["stale", "stale"]
    assert not (project / "build" / "a.fake").exists()
    build_json(capsys)
    status, summary = build_json(capsys, "--check")
    assert (status, statuses(summary)) == (0, ["up-to-date", "up-to-date"])
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("First", "Premier"))
    before = (project / "build" / "a.fake").read_bytes()
    capsys.readouterr()
    status = main(["build", "--format", "fake", "--theme", "theme.yaml", "--check"])
    out = capsys.readouterr().out
    assert status == 1
    assert "stale      build/a.fake" in out
    assert (project / "build" / "a.fake").read_bytes() == before


def test_depfile_lists_every_input(project: Path, capsys) -> None:
    build_json(capsys, "--depfile")
    text = (project / "build" / "a.d").read_text()
    assert text.startswith("# ")
    rule = text.split("\n", 1)[1].split("\n\n")[0]
    head, _, deps = rule.partition(":")
    targets = head.splitlines()[-1].split()
    assert set(targets) >= {"build/a.fake", "build/a.fake2.txt", "build/.deckgen/a.fake.stamp"}
    for dep in ("outlines/a.yaml", "theme.yaml", "fonts/LiberationSans-Regular.ttf"):
        assert dep in deps
        assert f"\n{dep}:\n" in text or text.endswith(f"\n{dep}:\n")
    assert (project / "build" / ".deckgen" / "a.fake.stamp").is_file()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_reads_the_depfile(project: Path, capsys) -> None:
    (project / "Makefile").write_text(
        "build/.deckgen/a.fake.stamp: outlines/a.yaml\n\tfalse\n-include build/*.d\n"
    )
    build_json(capsys, "--depfile")

    def up_to_date() -> bool:
        q = subprocess.run(["make", "-q", "build/.deckgen/a.fake.stamp"], cwd=project, check=False)
        return q.returncode == 0

    assert up_to_date()
    time.sleep(0.01)
    (project / "fonts" / "LiberationSans-Italic.ttf").touch()
    assert not up_to_date()
    build_json(capsys, "--depfile")  # up to date for deckgen (same bytes): it refreshes the stamp
    assert up_to_date()


def test_invalid_outline_keeps_previous_outputs(project: Path, capsys) -> None:
    build_json(capsys)
    before = (project / "build" / "a.fake").read_bytes()
    (project / "outlines" / "a.yaml").write_text(MINIMAL.replace("title: First", "titel: First"))
    capsys.readouterr()
    status = main(["build", "--format", "fake", "--theme", "theme.yaml"])
    err = capsys.readouterr().err
    assert status == 1
    assert "outlines/a.yaml:10:5: sections[0].titel: unknown key 'titel'" in err
    assert "Traceback" not in err
    assert (project / "build" / "a.fake").read_bytes() == before


def test_renderer_crash_is_an_internal_error(project: Path, capsys) -> None:
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("Test assessment", "BOOM"))
    status, summary = build_json(capsys)
    assert status == 70  # EX_SOFTWARE: not 2, which is a usage error
    assert statuses(summary) == ["failed", "failed"]
    assert summary["exit_status"] == 70


def test_unknown_format_is_a_usage_error(project: Path, capsys) -> None:
    assert main(["build", "--format", "nope"]) == 2
    assert (
        "deckgen build: error: --format: unknown format 'nope'; choose from pptx, pdf, "
        "deck-pdf, png, docx" in capsys.readouterr().err
    )


def test_warnings_print_and_strict_refuses(project: Path, capsys) -> None:
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("Test assessment", "WARN me"))
    status = main(["build", "--format", "fake", "--theme", "theme.yaml", "--strict"])
    assert status == 1
    err = capsys.readouterr().err
    assert "outlines/a.yaml:3:10: warning: meta.title: a warning" in err
    assert (
        "deckgen: --strict: the 1 warning above stopped build/a.fake; nothing was written for them"
    ) in err
    assert not (project / "build" / "a.fake").exists()
    assert main(["build", "--format", "fake", "--theme", "theme.yaml"]) == 0
    assert (project / "build" / "a.fake").exists()
    # Built with a warning: --strict does not accept it as up to date.
    assert main(["build", "--format", "fake", "--theme", "theme.yaml", "--strict"]) == 1


def test_notices_never_fail_strict_and_are_listed_with_v(project: Path, capsys) -> None:
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("Test assessment", "NOTE me"))
    status = main(["build", "--format", "fake", "--theme", "theme.yaml", "--strict"])
    assert status == 0
    err = capsys.readouterr().err
    assert "a notice" not in err
    assert "deckgen: 1 notice (text set smaller to fit, and the like); -v lists them" in err
    assert main(["build", "--format", "fake", "--theme", "theme.yaml", "--strict"]) == 0
    assert "up-to-date build/a.fake" in capsys.readouterr().out  # notices do not make it stale
    status = main(["build", "--format", "fake", "--theme", "theme.yaml", "--force", "-v"])
    err = capsys.readouterr().err
    assert "outlines/a.yaml:3:10: notice: meta.title: a notice" in err
    assert "-v lists them" not in err


def test_failure_while_writing_keeps_old_file_and_no_temp(project: Path, capsys, monkeypatch):
    build_json(capsys)
    out = project / "build" / "a.fake"
    before = out.read_bytes()
    outline = project / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("First", "Changed"))

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_state.os, "fsync", broken_fsync)
    status, summary = build_json(capsys)
    monkeypatch.undo()
    assert status == 1  # the environment failed, not deckgen: no "internal error"
    assert "failed" in statuses(summary)
    assert "No space left on device" in json.dumps(summary)
    assert out.read_bytes() == before
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp")]


def test_batch_with_one_bad_outline(project: Path, capsys) -> None:
    for name in ("b", "c"):
        (project / "outlines" / f"{name}.yaml").write_text(MINIMAL)
    (project / "outlines" / "bad.yaml").write_text(MINIMAL.replace("schema: 1", "schema: 9"))
    status, summary = build_json(capsys, "--jobs", "2")
    assert status == 1
    by = {(t["outline"], t["format"]): t for t in summary["targets"]}  # type: ignore[attr-defined]
    assert [t["outline"] for t in summary["targets"]][::2] == [  # type: ignore[index]
        "outlines/a.yaml",
        "outlines/b.yaml",
        "outlines/bad.yaml",
        "outlines/c.yaml",
    ]
    assert by[("outlines/bad.yaml", "fake")]["status"] == "failed"
    assert by[("outlines/bad.yaml", "fake")]["diagnostics"][0]["line"] == 1
    for stem in ("a", "b", "c"):
        assert (project / "build" / f"{stem}.fake").is_file()
    assert not (project / "build" / "bad.fake").exists()


def test_default_formats_match_the_registry() -> None:
    from deckgen import project
    from deckgen.render import DEFAULT_FORMATS, FORMATS

    assert build.DEFAULT_FORMATS == DEFAULT_FORMATS == project.DEFAULT_FORMATS
    assert tuple(FORMATS) == project.KNOWN_FORMATS  # what deckgen.toml may name


def test_change_summary_lists_structure_changes() -> None:
    from deckgen.outline import parse_outline

    def snapshot(text: str) -> dict[str, object]:
        return parse_outline(text.encode(), "x.yaml").model_dump(mode="json", by_alias=True)

    old = snapshot(MINIMAL)
    new = snapshot(
        MINIMAL.replace("title: Test assessment", "title: Test assessment two")
        .replace("id: one", "id: two")
        .replace("title: First", "title: Second")
    )
    text = summarise("x.yaml", old, new)
    assert "Since the previous successful build:" in text
    assert "- Title: Test assessment → Test assessment two" in text
    assert "- Section added: **Second** (`two`)" in text
    assert "- Section removed: **First** (`one`)" in text
    assert "No content changes" in summarise("x.yaml", new, new)


# -- subprocesses: the no-op path's imports, kills, concurrency, watch ---------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DECKGEN_DEBUG", "SOURCE_DATE_EPOCH")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def fake_cli(cwd: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.test_build_support", *args],
        cwd=cwd,
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(p: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


@pytest.fixture
def subproject(tmp_path: Path) -> Path:
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "a.yaml").write_text(WITH_METRIC, encoding="utf-8")
    return tmp_path


def test_noop_imports_no_model_and_no_renderer(subproject: Path) -> None:
    assert finish(fake_cli(subproject, "build", "--format", "fake"))[0] == 0
    code = (
        "import sys, time; t = time.perf_counter(); from deckgen.cli import main; "
        "rc = main(['build', '--format', 'fake']); "
        "bad = [m for m in ('pydantic', 'pptx', 'reportlab', 'deckgen.render', 'rich') "
        "if m in sys.modules]; print(bad, rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=subproject,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip().endswith("[] 0"), done.stdout + done.stderr
    assert "up-to-date build/a.fake" in done.stdout


def test_killed_build_keeps_old_outputs_and_next_run_cleans(subproject: Path) -> None:
    assert finish(fake_cli(subproject, "build", "--format", "fake"))[0] == 0
    out = subproject / "build" / "a.fake"
    before = out.read_bytes()
    outline = subproject / "outlines" / "a.yaml"
    outline.write_text(outline.read_text().replace("First", "Changed"))
    marker = subproject / "writing"
    p = fake_cli(subproject, "build", "--format", "fake", FAKE_HANG_ON_FSYNC=str(marker))
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    finish(p)
    assert marker.exists()
    temps = [q for q in (subproject / "build").iterdir() if q.name.endswith(".tmp")]
    assert temps, "the kill should have left a temporary file behind"
    assert out.read_bytes() == before
    assert finish(fake_cli(subproject, "build", "--format", "fake"))[0] == 0
    assert b"Changed" in out.read_bytes()
    assert not [q for q in (subproject / "build").iterdir() if q.name.endswith(".tmp")]


@pytest.mark.parametrize("force", [False, True])
def test_eight_concurrent_builds_of_one_outline(subproject: Path, force: bool) -> None:
    args = ["build", "--format", "fake,fake2", *(["--force"] if force else [])]
    procs = [fake_cli(subproject, *args, FAKE_RENDER_SLEEP="0.05") for _ in range(8)]
    results = [finish(p) for p in procs]
    assert all(rc == 0 for rc, _, _ in results), results
    outs = "".join(o for _, o, _ in results)
    assert outs.count("built      build/a.fake ") == 1
    rc, out, _ = finish(fake_cli(subproject, "build", "--format", "fake,fake2", "--force"))
    assert rc == 0
    assert "unchanged  build/a.fake" in out
    json.loads((subproject / "build" / ".deckgen" / "a.json").read_text())
    leftovers = [q.name for q in (subproject / "build").rglob("*.tmp")]
    assert leftovers == []


def test_watch_rebuilds_after_a_save_and_stops_cleanly(subproject: Path) -> None:
    p = fake_cli(subproject, "watch", "--format", "fake", "--debounce", "50")
    out = subproject / "build" / "a.fake"
    try:
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert out.exists()
        time.sleep(0.5)  # let the watcher start
        outline = subproject / "outlines" / "a.yaml"
        outline.write_text(outline.read_text().replace("First", "Saved"))
        deadline = time.monotonic() + 20
        while b"Saved" not in out.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert b"Saved" in out.read_bytes()
        good = out.read_bytes()
        outline.write_text("schema: 1\nmeta: [\n")  # an invalid save
        time.sleep(1.5)  # debounce plus a (failing) build
        assert out.read_bytes() == good
    finally:
        p.send_signal(signal.SIGINT)
        rc, _, stderr = finish(p, 20)
    assert rc == 0, stderr
    assert "Traceback" not in stderr
    assert "outlines/a.yaml:" in stderr  # the invalid save was reported
    assert "deckgen watch: stopped" in stderr


def test_real_formats_build_reproducibly_and_then_skip(tmp_path: Path) -> None:
    """End to end with the real deck and brief: built, up to date, then identical on --force."""
    out = tmp_path / "out"
    args = ["build", "-o", str(out), "--json", str(ROOT / "outlines" / "rutte-first-100-days.yaml")]
    runs = []
    for extra in ([], [], ["--force"]):
        done = subprocess.run(
            [sys.executable, "-m", "deckgen", *args, *extra],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        runs.append([t["status"] for t in json.loads(done.stdout)["targets"]])
    assert runs == [["built", "built"], ["up-to-date", "up-to-date"], ["unchanged", "unchanged"]]
    assert (out / "rutte-first-100-days.pptx").read_bytes()[:2] == b"PK"
    assert (out / "rutte-first-100-days.pdf").read_bytes()[:5] == b"%PDF-"


# A Python without the POSIX-only fcntl module (as on Windows): any import of it fails.
NO_FCNTL = (
    "import runpy, sys\n"
    "sys.modules['fcntl'] = None\n"
    "sys.argv = ['deckgen', *sys.argv[1:]]\n"
    "runpy.run_module(sys.argv.pop(1), run_name='__main__')\n"
)


def test_builds_take_turns_without_fcntl(subproject: Path) -> None:
    """Four concurrent builds with the fake formats, then one with the real ones, no fcntl."""
    args = ["tests.test_build_support", "build", "--format", "fake,fake2"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", NO_FCNTL, *args],
            cwd=subproject,
            env=_env(FAKE_RENDER_SLEEP="0.2"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [finish(p) for p in procs]
    assert [rc for rc, _, _ in results] == [0] * 4, results
    assert not any(err for _, _, err in results), results  # no warning, no traceback
    outs = "".join(o for _, o, _ in results)
    assert outs.count("built      build/a.fake ") == 1, outs
    assert outs.count("up-to-date build/a.fake\n") == 3, outs
    real = ["deckgen", "build", "-o", "real", "-j", "2", "outlines/a.yaml"]
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", NO_FCNTL, *real],
        cwd=subproject,
        env={**_env(), "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "built      real/a.pptx" in done.stdout
    assert (subproject / "real" / "a.pdf").read_bytes()[:5] == b"%PDF-"


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, waiting to be reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


@pytest.mark.parametrize("outlines", [2, 1], ids=["pool-workers", "forked-renderer"])
def test_killing_a_parallel_build_ends_its_children_and_frees_the_lock(
    subproject: Path, outlines: int
) -> None:
    """kill -9 of a ``-j 2`` build mid-render: two outlines run in pool workers, one outline's
    second format in a forked renderer; every child is gone within seconds (each render would
    take 60 s) and the next build gets the lock at once."""
    if outlines == 2:
        (subproject / "outlines" / "b.yaml").write_text(WITH_METRIC, encoding="utf-8")
    markers = subproject / "rendering"
    markers.mkdir()
    args = ["build", "--format", "fake,fake2", "-j", "2"]
    p = fake_cli(subproject, *args, FAKE_RENDER_SLEEP="60", FAKE_RENDER_MARKER=str(markers))
    deadline = time.monotonic() + 60
    while len(list(markers.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    children = [int(m.name) for m in markers.iterdir() if int(m.name) != p.pid]
    assert len(children) == outlines, children
    p.kill()
    p.wait(timeout=10)  # not its pipes: a surviving child would hold them open
    deadline = time.monotonic() + 5
    while any(_running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in children if _running(pid)]
    for pid in survivors:  # do not leave them running past the test
        os.kill(pid, signal.SIGKILL)
    assert p.stdout is not None
    assert p.stderr is not None
    p.stdout.close()
    p.stderr.close()
    assert not survivors, "children outlived the killed build"
    t0 = time.monotonic()
    rc, out, err = finish(fake_cli(subproject, *args), timeout=30)
    assert rc == 0, err
    assert "built      build/a.fake " in out
    assert time.monotonic() - t0 < 20


# -- write failures after the outputs, and file names Make cannot take -----------------------------


def test_a_failed_state_write_names_the_state_file_and_the_outputs_stay_built(
    project: Path, capsys, monkeypatch
) -> None:
    """The disk fills up after both outputs are written, as the state file is: the outputs are
    reported built, the failure names the state file (not the outline), the run exits 1."""
    import errno

    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        try:
            name = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            name = ""
        if ".a.json." in name:  # the state file's temporary
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(build_state.os, "write", write)
    capsys.readouterr()
    status = main(["build", "--format", "fake,fake2", "--theme", "theme.yaml", "--json"])
    monkeypatch.setattr(build_state.os, "write", real_write)  # (undo() would leave the cwd)
    out, err = capsys.readouterr()
    assert status == 1, err
    summary = json.loads(out)
    assert statuses(summary) == ["built", "built"]
    diags = [d for t in summary["targets"] for d in t["diagnostics"]]  # type: ignore[attr-defined]
    assert {(d["file"], d["message"]) for d in diags} == {
        ("build/.deckgen/a.json", "cannot write: No space left on device")
    }
    assert (project / "build" / "a.fake").is_file()
    assert not list((project / "build").rglob("*.tmp"))
    status, summary = build_json(capsys)  # room again: rendered anew, the same bytes
    assert status == 0
    assert statuses(summary) == ["unchanged", "unchanged"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_makefile_builds_an_outline_named_with_a_colon(tmp_path: Path) -> None:
    """The project Makefile, run by real make, on outlines named 'a:b.yaml' (escaped in
    the rules and the depfile) and 'c;d.yaml' (which no escape gets through: left out with a
    warning by make, refused by name by deckgen build --depfile)."""
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "a:b.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "outlines" / "c;d.yaml").write_text(MINIMAL, encoding="utf-8")
    # The project Makefile (deckgen init writes it; the repository's Makefile includes it).
    shutil.copy(ROOT / "src" / "deckgen" / "assets" / "project" / "Makefile", tmp_path)
    variables = [f"DECKGEN={sys.executable} -m deckgen"]
    env = {**_env(), "PYTHONPATH": str(ROOT / "src")}

    def make(*goals: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", *variables, *goals], cwd=tmp_path, env=env, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip

    first = make("deck", "brief")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "outlines/c;d.yaml: left out: Make cannot take ';'" in first.stderr
    assert (tmp_path / "build" / "a:b.pptx").is_file()
    assert (tmp_path / "build" / "a:b.pdf").is_file()
    assert (
        r"build/a\:b.pptx build/.deckgen/a\:b.pptx.stamp"
        in (tmp_path / "build" / "a:b.d").read_text()
    )
    again = make("deck", "brief")
    assert again.returncode == 0, again.stderr
    assert "Nothing to be done" in again.stdout
    (tmp_path / "outlines" / "a:b.yaml").write_text(MINIMAL.replace("First", "Edited"))
    edited = make("deck")
    assert edited.returncode == 0, edited.stderr
    assert "built      build/a:b.pptx" in edited.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", "--depfile", "outlines/c;d.yaml"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "outlines/c;d.yaml:0:0: Make cannot take ';' in a file name" in refused.stderr
    assert not (tmp_path / "build" / "c;d.pptx").exists()


def test_a_changed_message_catalogue_changes_the_code_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fixed word edited in a .po file rebuilds the outputs, as an edited renderer does."""
    from deckgen import build_state

    package = tmp_path / "deckgen"
    (package / "assets" / "locale" / "fr").mkdir(parents=True)
    (package / "build_state.py").write_text("# code\n")
    po = package / "assets" / "locale" / "fr" / "deckgen.po"
    po.write_text('msgid "agenda"\nmsgstr "Ordre du jour"\n', encoding="utf-8")
    monkeypatch.setattr(build_state, "__file__", str(package / "build_state.py"))
    monkeypatch.setattr(build_state, "_CODE", None)
    before = build_state.code_fingerprint()
    po.write_text('msgid "agenda"\nmsgstr "Sommaire"\n', encoding="utf-8")
    monkeypatch.setattr(build_state, "_CODE", None)
    assert build_state.code_fingerprint() != before

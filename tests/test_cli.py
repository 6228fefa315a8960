"""The CLI as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from deckgen.cli import main
from tests.conftest import MINIMAL, ROOT, RUTTE, outline_with_picture, run_cli


def test_version_and_help_in_a_subprocess() -> None:
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("deckgen ")
    helped = run_cli("--help")
    assert helped.returncode == 0
    assert "check" in helped.stdout


def test_check_ok_summarises(minimal_outline: Path, capsys: object) -> None:
    assert main(["check", str(minimal_outline)]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    # The minimal outline has no key judgements and no assessment: two notices, counted.
    assert out == f"{minimal_outline}: ok: 1 sections, 1 key points, 0 metrics; 2 notices (-v)\n"


def test_check_bad_outline_exit_1_located_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("title: First", "title: [First]"))
    out = run_cli("check", str(bad))
    assert out.returncode == 1
    assert f"{bad}:10:12: sections[0].title: expected text" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_hazards_each_located(tmp_path: Path) -> None:
    cases = {
        "dup.yaml": (
            MINIMAL + "summary: again\n",
            ":19:1: summary: duplicate key 'summary' (first defined on line 7)",
        ),
        "alias.yaml": (
            MINIMAL.replace("summary: A summary.", "summary: &s A summary.\nx: *s"),
            ":7:10: summary: YAML anchors (&s) are not allowed",
        ),
        "tag.yaml": (
            MINIMAL.replace("A summary.", "!!python/object/apply:os.system [ls]"),
            ":7:10: summary: YAML tags (!!python/object/apply:os.system) are not allowed",
        ),
        "tab.yaml": (MINIMAL.replace("  title: Test", "\ttitle: Test"), ":3:1: YAML syntax error"),
        "latin1.yaml": (None, ":7:15: file is not UTF-8 text (byte 0xe9)"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / name
        if text is None:
            path.write_bytes(MINIMAL.replace("A summary.", "A caf\xe9 summary.").encode("latin-1"))
        else:
            path.write_text(text, encoding="utf-8")
        out = run_cli("check", str(path))
        assert out.returncode == 1, name
        assert f"{path}{expected}" in out.stderr, (name, out.stderr)
        assert "Traceback" not in out.stderr


def test_schema_command_prints_json_schema(capsys: object) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert schema["title"] == "deckgen outline"
    assert "sections" in schema["required"]


def test_new_writes_a_valid_starter(tmp_path: Path) -> None:
    target = tmp_path / "outlines" / "mine.yaml"
    assert main(["new", str(target)]) == 0
    assert main(["check", str(target)]) == 0
    assert main(["new", str(target)]) == 2  # never overwrites without --force


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    out = run_cli("check", str(tmp_path / "nope.yaml"))
    assert out.returncode == 1
    assert "nope.yaml:0:0: cannot read file: No such file or directory" in out.stderr


def test_check_judges_pictures_as_build_does(tmp_path: Path) -> None:
    src = outline_with_picture(tmp_path)
    assert run_cli("check", str(src)).returncode == 0
    (tmp_path / "img" / "map.png").write_bytes(b"not a picture")
    out = run_cli("check", str(src))
    assert out.returncode == 1
    assert f"{src}:17:13: sections[0].image.path: not a PNG or JPEG image" in out.stderr


def test_check_counts_notices_and_lists_them_with_v() -> None:
    out = run_cli("check", str(RUTTE))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{RUTTE}: ok: 12 sections, 48 key points, ")
    assert " notices (-v)" in out.stdout
    assert "notice:" not in out.stderr
    verbose = run_cli("check", "-v", str(RUTTE))
    assert verbose.returncode == 0
    assert f"{RUTTE}:" in verbose.stderr
    assert " notice: " in verbose.stderr


def test_exit_statuses_tell_usage_from_input_from_bugs(
    tmp_path: Path, minimal_outline: Path
) -> None:
    helped = run_cli("build", "--help")
    assert "exit statuses:" in helped.stdout
    assert "70   internal error" in helped.stdout
    for args in (["biuld"], ["build", "--formats", "pdf"], ["build", "-j", "0"]):
        assert run_cli(*args).returncode == 2, args  # argparse's usage errors
    out = run_cli("build", "--format", "odt", str(minimal_outline), "-o", str(tmp_path))
    assert (out.returncode, "unknown format 'odt'" in out.stderr) == (2, True)
    empty = run_cli("build", cwd=tmp_path)
    assert (empty.returncode, empty.stderr) == (
        2,
        "deckgen: no outlines given and none in outlines/\n",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("schema: 1", "schema: 9"))
    assert run_cli("build", str(bad), "-o", str(tmp_path)).returncode == 1
    crash = tmp_path / "crash.yaml"
    crash.write_text(MINIMAL.replace("Test assessment", "BOOM"))
    done = subprocess.run(
        [sys.executable, "-m", "tests.test_build_support", "build", "--format", "fake"]
        + ["-o", str(tmp_path / "out"), str(crash)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 70, done.stderr
    assert "internal error: RuntimeError: the fake writer exploded" in done.stderr

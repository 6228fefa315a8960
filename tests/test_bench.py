"""The benchmark tooling works: generator, the --max-sections lift, and a tiny bench run.

These are not timed tests; docs/benchmarks.md holds the figures (``make bench``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.generate import generate, generate_data

from deckgen.outline import MAX_SECTIONS, parse_outline, scaled_limits
from deckgen.yamlsafe import Limits
from tests.conftest import ROOT, RUTTE, run_cli


def test_generator_is_deterministic_and_valid() -> None:
    text = generate(30)
    assert text == generate(30)
    outline = parse_outline(text.encode(), "bench-30.yaml")
    ids = [s.id for s in outline.sections]
    assert len(ids) == 30 == len(set(ids))
    assert outline.sections[12].title.endswith("(2)")
    assert outline.sections[12].key_points == outline.sections[0].key_points


def test_twelve_sections_are_rutte() -> None:
    rutte = parse_outline(RUTTE.read_bytes(), str(RUTTE))
    gen = parse_outline(generate(12).encode(), "bench-12.yaml")
    assert gen.model_dump() == rutte.model_dump()


def test_limits_scale_with_the_section_cap() -> None:
    assert scaled_limits(MAX_SECTIONS) == Limits()
    big = scaled_limits(1200)
    assert big.max_bytes == Limits().max_bytes * 24
    assert big.max_nodes == Limits().max_nodes * 24
    assert big.max_depth == Limits().max_depth
    data = generate_data(120)
    assert len(data["sections"]) == 120


def test_build_refuses_then_lifts_the_cap(tmp_path: Path) -> None:
    outline = tmp_path / "bench-51.yaml"
    outline.write_text(generate(51), encoding="utf-8")
    out = tmp_path / "out"
    refused = run_cli("build", "-j", "1", "--format", "pptx", "-o", str(out), str(outline))
    assert refused.returncode == 1
    assert "has 51 sections; at most 50 allowed" in refused.stderr
    args = ("build", "-j", "1", "--format", "pptx", "--max-sections", "51", "-o", str(out))
    built = run_cli(*args, str(outline))
    assert built.returncode == 0, built.stderr
    assert (out / "bench-51.pptx").exists()
    again = run_cli(*args, str(outline))
    assert "up-to-date" in again.stdout
    # Without the flag the recorded key differs: the outline is read again, and refused.
    assert run_cli("build", "-j", "1", "--format", "pptx", "-o", str(out), str(outline)).returncode
    bad = run_cli("check", "--max-sections", "0", str(outline))
    assert bad.returncode == 2
    assert "positive" in bad.stderr


def test_bench_runs_on_a_tiny_size(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--runs", "1", "--big-runs", "1"]
    cmd += ["--sizes", "1,2", "--no-pandoc", "--edits", "1", "--notes", "", "--out", str(report)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    text = report.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets", "## Rutte cold build", "## No-op rebuild"):
        assert heading in text
    assert "| save to both outputs, `deckgen watch` |" in text
    assert "Watch: save to both outputs, over the cold build" in text
    assert "| pptx | 2 |" in text
    assert "| pdf | 2 |" in text
    assert "Skipped: --no-pandoc was given" in text


def test_a_pandoc_run_over_the_limit_is_reported_as_a_lower_bound(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "pandoc"  # answers --version, then never finishes a conversion
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\n[ "$1" = --version ] && { echo "pandoc 0.0-fake"; exit 0; }\nsleep 60\n'
    )
    fake.chmod(0o755)
    report = tmp_path / "benchmarks.md"
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--runs", "1", "--big-runs", "1"]
    cmd += ["--sizes", "1", "--formats", "pptx", "--pandoc-sizes", "1", "--pandoc-limit", "1"]
    cmd += ["--notes", "", "--no-watch"]
    cmd += ["--out", str(report)]
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env=env
    )
    assert proc.returncode == 0, proc.stderr
    text = report.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 1 | 1 |"))
    assert "(unfinished)" in row, row
    assert "\u2265" in row, row
    assert "stopped after 1 s" in text
    assert "Rutte deck cold, over Pandoc | \u2264 " in text  # Pandoc stopped: an upper bound

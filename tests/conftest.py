"""Shared fixtures: paths, a minimal valid outline, and a CLI runner in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUTTE = ROOT / "outlines" / "rutte-first-100-days.yaml"

MINIMAL = """\
schema: 1
meta:
  title: Test assessment
  subtitle: A subtitle
  author: Test unit
  date: 2025-01-09
summary: A summary.
sections:
  - id: one
    title: First
    lead: The lead.
    key_points:
      - headline: A headline
        detail: A detail.
    looking_ahead: Next steps.
conclusion:
  text: The end.
  looking_ahead: Watch this.
"""


@pytest.fixture
def minimal_outline(tmp_path: Path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m deckgen`` as a user would, in a subprocess."""
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "deckgen", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )

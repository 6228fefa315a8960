"""Shared fixtures: paths, a minimal valid outline, and a CLI runner in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Tests stop `deckgen watch` processes with Ctrl-C (SIGINT). A suite started in the background
# by a non-interactive shell (`make test &`, some CI runners) inherits SIGINT ignored, and an
# ignored signal stays ignored across exec: every watch the tests start would ignore Ctrl-C and
# the tests would hang until their timeouts. A handled signal is reset to the default on exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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


def require_tool(name: str, debian: str = "libreoffice-impress, poppler-utils, qpdf") -> str:
    """Path of an external tool, or skip naming it; in CI (DECKGEN_REQUIRE_INTEROP=1) fail."""
    import shutil

    path = shutil.which(name)
    if path:
        return path
    missing(f"{name} is not installed (Debian: {debian})")
    raise AssertionError("unreachable")  # missing() skips or fails


def missing(message: str) -> None:
    """Skip a test for want of an installed client, naming it; in CI (DECKGEN_REQUIRE_INTEROP=1)
    fail instead."""
    if os.environ.get("DECKGEN_REQUIRE_INTEROP") == "1":
        pytest.fail(message)
    pytest.skip(message)


def long_outline(sections: int = 12, *, words: int = 60, points: int = 4, metrics: int = 3) -> str:
    """A generated outline with long text, for fit and pagination tests (deterministic)."""
    import random

    rng = random.Random(sections * 1000 + words)
    vocab = [
        "alliance",
        "deterrence",
        "capability",
        "readiness",
        "interoperability",
        "procurement",
        "resilience",
        "infrastructure",
        "cooperation",
        "assessment",
        "partnership",
        "modernisation",
        "commitment",
        "allies",
        "sustainable",
        "transatlantic",
        "coordination",
        "strategic",
        "posture",
        "reinforcement",
    ]

    def text(n: int, limit: int = 4000) -> str:
        words = " ".join(rng.choice(vocab) for _ in range(n)).capitalize()
        return words[: limit - 1].rsplit(" ", 1)[0] + "." if len(words) >= limit else words + "."

    out = [
        "schema: 1",
        "meta:",
        "  title: Generated assessment with deliberately long text everywhere",
        "  subtitle: A stress test for fitting and pagination",
        "  author: Test unit",
        "  date: 2025-01-09",
        "  classification: OFFICIAL",
        f"summary: {text(words * 3)}",
        "sections:",
    ]
    for i in range(sections):
        out += [
            f"  - id: s{i}",
            f"    title: Section {i} {text(8, 100)[:-1]}",
            f"    lead: {text(words // 2, 400)}",
            "    key_points:",
        ]
        for j in range(points):
            out += [
                f"      - headline: Point {j} {text(5, 80)[:-1]}",
                f"        detail: {text(words)}",
            ]
        if metrics:
            out.append("    metrics:")
        for j in range(metrics):
            out += [
                f"      - label: Measure {j} {text(3, 48)[:-1]}",
                f"        value: '{rng.randint(1, 500)}'",
                "        unit: items",
                f"        context: {text(10, 120)}",
                f"        source: {text(6, 200)}",
                f"        status: {rng.choice(['green', 'amber', 'red'])}",
                f"        trend: {rng.choice(['up', 'down', 'flat'])}",
            ]
        out.append(f"    looking_ahead: {text(words)}")
    out += [
        "conclusion:",
        f"  text: {text(words * 4)}",
        f"  looking_ahead: {text(words)}",
        "sources:",
        "  - title: A source",
        "    publisher: A publisher",
        "    date: '2025'",
        "    url: https://example.org/x",
    ]
    return "\n".join(out) + "\n"


def libreoffice_convert(src: Path, out_dir: Path, to: str = "pdf") -> Path:
    """Convert ``src`` with headless LibreOffice (a private profile); return the new file."""
    return libreoffice_convert_all([src], out_dir, to)[0]


def libreoffice_convert_all(
    sources: list[Path], out_dir: Path, to: str = "pdf", timeout: float = 300
) -> list[Path]:
    """Convert every file of ``sources`` in one headless LibreOffice process (a private
    profile); return the new files, in the same order."""
    soffice = require_tool("soffice")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{out_dir}/lo-profile"]
        + ["--convert-to", to, "--outdir", str(out_dir), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return [out_dir / f"{src.stem}.{to}" for src in sources]


@pytest.fixture(scope="session")
def theme() -> Any:
    """The default theme (immutable, so shared by every test module)."""
    from deckgen.theme import load_theme

    return load_theme()


@pytest.fixture(scope="session")
def rutte() -> Any:
    """The validated Rutte outline (immutable, so shared by every test module)."""
    from deckgen.outline import load_outline

    return load_outline(RUTTE)


def outline_with_picture(folder: Path, size: tuple[int, int] = (800, 400)) -> Path:
    """MINIMAL with a section picture (``img/map.png``, a plain PNG of ``size``) in ``folder``."""
    from PIL import Image as PILImage

    (folder / "img").mkdir(exist_ok=True)
    PILImage.new("RGB", size, (20, 90, 160)).save(folder / "img" / "map.png")
    text = MINIMAL.replace(
        "    looking_ahead: Next steps.",
        "    looking_ahead: Next steps.\n    image:\n      path: img/map.png\n"
        "      alt: Map of the eastern flank",
    )
    src = folder / "with-image.yaml"
    src.write_text(text, encoding="utf-8")
    return src

"""The wheel, as a unit installs it: built from a copy of the source, installed into a fresh venv
outside the checkout, and used from an unrelated folder (slow: about half a minute)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import MINIMAL, ROOT

# What a source copy leaves out: local state, outputs, and what the wheel does not need.
SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "tests",
    "bench",
    "docs",
)


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_the_wheel_in_a_fresh_venv_builds_a_unit_project_anywhere(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DECKGEN_DEBUG", "SOURCE_DATE_EPOCH")
    }
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    sh(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "-w",
        tmp_path / "wheels",
        source,
        cwd=tmp_path,
        env=env,
    )
    (wheel,) = (tmp_path / "wheels").glob("assessment_deckgen-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    for packaged in (
        "deckgen/assets/themes/default.yaml",
        "deckgen/assets/themes/print.yaml",
        "deckgen/assets/fonts/LiberationSans-Regular.ttf",
        "deckgen/assets/fonts/LiberationSans-Regular.ttf.metrics.json",
        "deckgen/assets/fonts/LICENSE-Liberation-OFL.txt",
        "deckgen/assets/logos/deckgen-mark.png",
        "deckgen/assets/project/Makefile",
        "deckgen/assets/locale/en/LC_MESSAGES/deckgen.po",
        "deckgen/assets/locale/fr/LC_MESSAGES/deckgen.po",
        "deckgen/assets/live/page.html",  # deckgen watch --serve
        "deckgen/assets/live/page.js",
        "deckgen/assets/live/page.css",
        "deckgen/py.typed",
    ):
        assert packaged in names, packaged

    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    sh(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path, env=env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = sh("python", "-c", "import deckgen; print(deckgen.__file__)", cwd=elsewhere, env=env)
    assert where.stdout.startswith(str(venv)), where.stdout  # not the checkout

    # deckgen init unit && cd unit && deckgen build
    sh("deckgen", "init", "unit", cwd=elsewhere, env=env)
    unit = elsewhere / "unit"
    built = sh("deckgen", "build", cwd=unit, env=env)
    assert "built      build/example.pptx" in built.stdout
    assert "built      build/example.pdf" in built.stdout

    # The unit's own picture and logo, through the house theme, reach both outputs.
    Image.new("RGB", (123, 45), (200, 20, 20)).save(unit / "assets" / "logos" / "logo.png")
    Image.new("RGB", (321, 160), (20, 20, 200)).save(unit / "assets" / "images" / "map.png")
    (unit / "outlines" / "mine.yaml").write_text(
        MINIMAL.replace(
            "    looking_ahead: Next steps.\n",
            "    looking_ahead: Next steps.\n    image:\n"
            "      path: ../assets/images/map.png\n      alt: A map\n",
        ),
        encoding="utf-8",
    )
    sh("deckgen", "check", cwd=unit, env=env)
    sh("deckgen", "build", "outlines/mine.yaml", cwd=unit, env=env)
    with zipfile.ZipFile(unit / "build" / "mine.pptx") as z:
        media = [
            Image.open(io.BytesIO(z.read(n))) for n in z.namelist() if n.startswith("ppt/media/")
        ]
    sizes = {(im.size, im.convert("RGB").getpixel((5, 5))) for im in media}
    assert ((123, 45), (200, 20, 20)) in sizes
    assert ((321, 160), (20, 20, 200)) in sizes
    import pdfplumber

    with pdfplumber.open(unit / "build" / "mine.pdf") as pdf:
        drawn = {tuple(im["srcsize"]) for page in pdf.pages for im in page.images}
    assert {(123, 45), (321, 160)} <= drawn

    # The installed catalogues (read with Babel from the wheel's package data) word a French
    # outline: its cover, headings and date are French.
    (unit / "outlines" / "fr.yaml").write_text(
        MINIMAL.replace("  date:", "  language: fr\n  date:"), encoding="utf-8"
    )
    sh("deckgen", "build", "outlines/fr.yaml", cwd=unit, env=env)
    with pdfplumber.open(unit / "build" / "fr.pdf") as pdf:
        said = " ".join(page.extract_text() or "" for page in pdf.pages)
    for words in ("ÉVALUATION", "Synthèse", "Perspectives", "9 janvier 2025", "Page 2 sur"):
        assert words.casefold() in said.casefold(), words

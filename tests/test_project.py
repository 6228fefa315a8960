"""Projects as a unit uses them: `deckgen init`, deckgen.toml, and where themes, logos, fonts and
pictures are found (project first, then the built-in assets; never outside either)."""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from deckgen.cli import main
from deckgen.project import builtin
from tests.conftest import MINIMAL, ROOT

LOGO_SIZE = (123, 45)
MAP_SIZE = (321, 160)


@pytest.fixture
def unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project made by `deckgen init unit`, with the working directory inside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["init", "unit"]) == 0
    monkeypatch.chdir(tmp_path / "unit")
    return tmp_path / "unit"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def with_meta(extra: str, text: str = MINIMAL) -> str:
    return text.replace("  date: 2025-01-09\n", f"  date: 2025-01-09\n{extra}")


def with_picture(path: str, text: str = MINIMAL) -> str:
    return text.replace(
        "    looking_ahead: Next steps.\n",
        f"    looking_ahead: Next steps.\n    image:\n      path: {path}\n      alt: A map\n",
    )


def pptx_pictures(path: Path) -> list[Image.Image]:
    with zipfile.ZipFile(path) as z:
        return [
            Image.open(io.BytesIO(z.read(n))) for n in z.namelist() if n.startswith("ppt/media/")
        ]


def pdf_picture_sizes(path: Path) -> set[tuple[int, int]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return {tuple(im["srcsize"]) for page in pdf.pages for im in page.images}


# -- deckgen init ---------------------------------------------------------------------------------


def test_init_writes_a_project_that_builds_its_example(unit: Path, capsys) -> None:
    for rel in (
        "deckgen.toml",
        "Makefile",
        ".gitignore",
        "outlines/example.yaml",
        "schema/outline.schema.json",
        "assets/themes/house.yaml",
        "assets/logos/logo.png",
    ):
        assert (unit / rel).is_file(), rel
    assert (unit / "assets" / "templates").is_dir()
    assert (unit / "assets" / "images").is_dir()
    first = (unit / "outlines" / "example.yaml").read_text().splitlines()[0]
    schema_ref = first.split("$schema=")[1]
    assert json.loads((unit / "outlines" / schema_ref).read_text())["title"] == "deckgen outline"
    status, out, err = run(capsys, "build")
    assert status == 0, err
    assert "built      build/example.pptx" in out
    assert (unit / "build" / "example.pdf").is_file()
    state = json.loads((unit / "build" / ".deckgen" / "example.json").read_text())
    assert str(unit / "assets" / "themes" / "house.yaml") in state["inputs"]
    assert str(unit / "assets" / "logos" / "logo.png") in state["inputs"]


def test_init_keeps_what_exists_unless_forced(tmp_path: Path, capsys) -> None:
    (tmp_path / "deckgen.toml").write_text('output = "out"\n')
    status, out, _ = run(capsys, "init", str(tmp_path))
    assert status == 0
    assert f"kept  {tmp_path / 'deckgen.toml'} (exists" in out
    assert (tmp_path / "deckgen.toml").read_text() == 'output = "out"\n'
    assert (tmp_path / "outlines" / "example.yaml").is_file()
    assert run(capsys, "init", str(tmp_path), "--force")[0] == 0
    assert 'theme = "house"' in (tmp_path / "deckgen.toml").read_text()


def test_house_theme_is_the_default_theme_with_the_projects_logo(unit: Path) -> None:
    house = (unit / "assets" / "themes" / "house.yaml").read_text()
    default = (builtin("themes") / "default.yaml").read_text()
    assert "name: house" in house
    assert "logo: ../logos/logo.png" in house
    assert [ln for ln in default.splitlines() if not ln.startswith(("#", "name:", "logo:"))] == [
        ln for ln in house.splitlines() if not ln.startswith(("#", "name:", "logo:"))
    ]


def test_picture_and_logo_of_the_project_reach_deck_and_brief(unit: Path, capsys) -> None:
    Image.new("RGB", LOGO_SIZE, (200, 20, 20)).save(unit / "assets" / "logos" / "logo.png")
    Image.new("RGB", MAP_SIZE, (20, 20, 200)).save(unit / "assets" / "images" / "map.png")
    outline = unit / "outlines" / "mine.yaml"
    outline.write_text(with_picture("../assets/images/map.png"), encoding="utf-8")
    status, _, err = run(capsys, "build", "outlines/mine.yaml")
    assert status == 0, err
    pictures = {
        (p.size, p.convert("RGB").getpixel((5, 5)))
        for p in pptx_pictures(unit / "build" / "mine.pptx")
    }
    assert (LOGO_SIZE, (200, 20, 20)) in pictures
    assert (MAP_SIZE, (20, 20, 200)) in pictures
    assert {LOGO_SIZE, MAP_SIZE} <= pdf_picture_sizes(unit / "build" / "mine.pdf")


def test_the_placeholder_logo_is_a_warning_until_replaced(unit: Path, capsys) -> None:
    """A new project's house theme uses deckgen's mark as its logo: fine for a try, but a deck
    meant for use must not carry it, so --strict refuses it until the unit's logo is in place."""
    status, _, err = run(capsys, "build", "--strict", "outlines/example.yaml")
    assert status == 1
    assert (
        "assets/themes/house.yaml:6:1: warning: logo: the logo assets/logos/logo.png is "
        "deckgen's placeholder mark" in err
    )
    assert run(capsys, "check", "--strict")[0] == 1  # check judges as build does
    Image.new("RGB", LOGO_SIZE, (200, 20, 20)).save(unit / "assets" / "logos" / "logo.png")
    status, _, err = run(capsys, "build", "--strict", "outlines/example.yaml")
    assert status == 0, err
    assert "placeholder" not in err


def test_build_from_a_subfolder_uses_the_projects_folders(unit: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(unit / "outlines")
    status, out, err = run(capsys, "build", "--format", "pdf")
    assert status == 0, err
    assert "built      ../build/example.pdf" in out
    assert (unit / "build" / "example.pdf").is_file()


def test_deckgen_toml_sets_output_formats_and_theme(unit: Path, capsys) -> None:
    (unit / "deckgen.toml").write_text('output = "out"\nformats = ["pdf"]\ntheme = "print"\n')
    status, out, err = run(capsys, "build")
    assert status == 0, err
    assert out.splitlines() == [
        "built      out/example.pdf" + out.split("out/example.pdf")[1].split("\n")[0]
    ]
    state = json.loads((unit / "out" / ".deckgen" / "example.json").read_text())
    assert str(builtin("themes") / "print.yaml") in state["inputs"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            'outputs = "out"\n',
            "deckgen.toml:1:1: outputs: unknown key 'outputs'; did you mean 'output'?",
        ),
        (
            'formats = ["pptx", "odt"]\n',
            "deckgen.toml:1:1: formats: unknown format 'odt'; choose from pptx, pdf, "
            "deck-pdf, png, docx",
        ),
        ('theme = "My Theme"\n', "deckgen.toml:1:1: theme: expected a theme name"),
        ('output = "build\n', "deckgen.toml:1:16: TOML syntax error: "),
        (
            'theme = "nope"\n',
            "deckgen.toml:1:1: theme: unknown theme 'nope': not in assets/themes/ nor "
            "among the built-in themes; available: house, default, print",
        ),
    ],
)
def test_deckgen_toml_problems_are_located(unit: Path, capsys, config: str, expected: str) -> None:
    (unit / "deckgen.toml").write_text(config)
    for command in ("check", "build"):
        status, _, err = run(capsys, command)
        assert status == 1, (command, err)
        assert expected in err, (command, err)
        assert "Traceback" not in err


# -- themes ---------------------------------------------------------------------------------------


def test_unknown_meta_theme_is_reported_at_its_line(unit: Path, capsys) -> None:
    (unit / "outlines" / "example.yaml").write_text(with_meta("  theme: nope\n"))
    expected = (
        "outlines/example.yaml:7:10: meta.theme: unknown theme 'nope': not in assets/themes/ "
        "nor among the built-in themes; available: house, default, print"
    )
    for command in ("check", "build"):
        status, _, err = run(capsys, command)
        assert status == 1
        assert expected in err.splitlines(), err


def test_unknown_theme_on_the_command_line(unit: Path, capsys) -> None:
    status, _, err = run(capsys, "build", "--theme", "nope")
    assert status == 1
    assert "<command line>:0:0: --theme: unknown theme 'nope'" in err


def test_project_themes_come_before_the_built_in_ones(unit: Path, capsys) -> None:
    own = (builtin("themes") / "default.yaml").read_text().replace('"14284B"', '"123456"')
    (unit / "assets" / "themes" / "default.yaml").write_text(own)
    (unit / "outlines" / "example.yaml").write_text(with_meta("  theme: default\n"))
    status, out, _ = run(capsys, "plan", "outlines/example.yaml")
    assert status == 0
    assert '"123456"' in out
    status, out, _ = run(capsys, "plan", "outlines/example.yaml", "--theme", "print")
    assert '"123456"' not in out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "logo: missing.png",
            "assets/themes/house.yaml:6:7: logo: logo not found: missing.png "
            "(looked in assets/themes/ and among the built-in logos)",
        ),
        (
            "logo: ../../../outside.png",
            "assets/themes/house.yaml:6:7: logo: logo path '../../../outside.png' resolves "
            "outside the project (/",
        ),
        (
            "logo: /etc/x.png",
            "assets/themes/house.yaml:6:7: logo: ",
        ),
    ],
)
def test_a_themes_files_are_found_beside_it_and_stay_inside(
    unit: Path, capsys, line: str, expected: str
) -> None:
    Image.new("RGB", (10, 10)).save(unit.parent / "outside.png")
    theme = unit / "assets" / "themes" / "house.yaml"
    text = theme.read_text()
    theme.write_text("\n".join(line if ln.startswith("logo:") else ln for ln in text.splitlines()))
    status, _, err = run(capsys, "check")
    assert status == 1
    assert any(e.startswith(expected) for e in err.splitlines()), err


def test_a_theme_font_beside_the_theme_and_a_missing_one(unit: Path, capsys) -> None:
    fonts = unit / "assets" / "fonts"
    fonts.mkdir()
    (fonts / "House-Regular.ttf").write_bytes(
        (builtin("fonts") / "LiberationSerif-Regular.ttf").read_bytes()
    )
    theme = unit / "assets" / "themes" / "house.yaml"
    text = theme.read_text()
    theme.write_text(
        text.replace("regular: LiberationSans-Regular.ttf", "regular: ../fonts/House-Regular.ttf")
    )
    assert run(capsys, "build", "--format", "pdf")[0] == 0
    state = json.loads((unit / "build" / ".deckgen" / "example.json").read_text())
    assert str(fonts / "House-Regular.ttf") in state["inputs"]
    theme.write_text(text.replace("regular: LiberationSans-Regular.ttf", "regular: Nope.ttf"))
    status, _, err = run(capsys, "check")
    assert status == 1
    assert (
        "assets/themes/house.yaml:9:12: fonts.regular: font file not found: Nope.ttf "
        "(looked in assets/themes/ and among the built-in fonts)"
    ) in err


# -- pictures -------------------------------------------------------------------------------------


def test_pictures_are_relative_to_the_outline_and_stay_in_the_project(unit: Path, capsys) -> None:
    Image.new("RGB", (40, 20)).save(unit / "assets" / "images" / "map.png")
    Image.new("RGB", (40, 20)).save(unit.parent / "outside.png")
    outline = unit / "outlines" / "example.yaml"
    outline.write_text(with_picture("../assets/images/map.png"))
    assert run(capsys, "check")[0] == 0
    outline.write_text(with_picture("../../outside.png"))
    status, _, err = run(capsys, "check")
    assert status == 1
    assert (
        "outlines/example.yaml:17:13: sections[0].image.path: image path '../../outside.png' "
        f"resolves outside the project ({unit}) and the built-in assets"
    ) in err
    outline.write_text(with_picture("../assets/images/nope.png"))
    status, _, err = run(capsys, "check")
    assert "image not found: ../assets/images/nope.png (looked in outlines/)" in err


# -- the project's Makefile -----------------------------------------------------------------------


def make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in ``project`` with this deckgen first on PATH, as after installing it."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["make", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_projects_makefile_builds_checks_and_regenerates(unit: Path) -> None:
    done = make(unit)
    assert done.returncode == 0, done.stderr
    assert (unit / "build" / "example.pptx").is_file()
    assert (unit / "build" / "example.pdf").is_file()
    again = make(unit)
    assert "Nothing to be done" in again.stdout
    assert make(unit, "check").returncode == 0
    regen = make(unit, "regen")
    assert regen.returncode == 0, regen.stderr
    summary = json.loads(regen.stdout)  # nothing but the JSON summary on stdout
    assert summary["counts"] == {"up-to-date": 2}


def test_this_repository_is_a_deckgen_project_with_the_same_makefile() -> None:
    from deckgen.project import read_config

    assert read_config(ROOT / "deckgen.toml").theme == "default"
    assert "include src/deckgen/assets/project/Makefile" in (ROOT / "Makefile").read_text()
    init_makefile = builtin("project") / "Makefile"
    assert init_makefile == ROOT / "src" / "deckgen" / "assets" / "project" / "Makefile"


# -- the README's scheduler recipes ---------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_block(lang: str) -> str:
    return README.split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def as_installed(command: str, project: Path) -> str:
    """A README recipe with its example paths replaced by this project and this deckgen."""
    deckgen = Path(sys.executable).parent / "deckgen"
    return command.replace("/opt/deckgen/bin/deckgen", str(deckgen)).replace(
        "/srv/unit", str(project)
    )


def scheduler_env(home: Path) -> dict[str, str]:
    """What cron and systemd give a job: a short PATH and little else."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def test_the_readme_cron_recipe_works_in_a_fresh_project(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "unit")]) == 0
    unit = tmp_path / "unit"
    # The unit's logo in place of the placeholder mark, whose warning would fill errors.log.
    Image.new("RGB", LOGO_SIZE, (200, 20, 20)).save(unit / "assets" / "logos" / "logo.png")
    (line,) = [ln for ln in readme_block("cron").splitlines() if ln.strip()]
    command = as_installed(line.split(maxsplit=5)[5], unit)
    for expected in (["built", "built"], ["up-to-date", "up-to-date"]):
        done = subprocess.run(
            ["/bin/sh", "-c", command],
            cwd=tmp_path,
            env=scheduler_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, (done.stdout, done.stderr)
        summary = json.loads((unit / "build" / "last-run.json").read_text())
        assert [t["status"] for t in summary["targets"]] == expected
    assert (unit / "build" / "example.pptx").is_file()
    assert (unit / "build" / "errors.log").read_text() == ""


def test_the_readme_systemd_recipe_works_in_a_fresh_project(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "unit")]) == 0
    unit = tmp_path / "unit"
    service = dict(
        ln.split("=", 1) for ln in readme_block("ini").splitlines() if "=" in ln and ln[0] != "#"
    )
    done = subprocess.run(
        shlex.split(as_installed(service["ExecStart"], unit)),
        cwd=as_installed(service["WorkingDirectory"], unit),
        env=scheduler_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True
    assert (unit / "build" / "example.pdf").is_file()

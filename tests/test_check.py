"""`deckgen check` and `deckgen build` agree: a corpus of outlines in one project, each judged by
both commands as a user runs them, with and without --strict."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from deckgen.cli import main
from deckgen.project import builtin
from tests.conftest import MINIMAL

Setup = Callable[[Path], None]


def meta(extra: str) -> str:
    return MINIMAL.replace("  date: 2025-01-09\n", f"  date: 2025-01-09\n{extra}")


def picture(path: str) -> str:
    return MINIMAL.replace(
        "    looking_ahead: Next steps.\n",
        f"    looking_ahead: Next steps.\n    image:\n      path: '{path}'\n      alt: A map\n",
    )


def theme(name: str, change: Callable[[str], str]) -> Setup:
    """A project theme ``name``: the house theme changed by ``change``."""

    def setup(unit: Path) -> None:
        text = (unit / "assets" / "themes" / "house.yaml").read_text(encoding="utf-8")
        text = change(text.replace("name: house", f"name: {name}"))
        (unit / "assets" / "themes" / f"{name}.yaml").write_text(text, encoding="utf-8")

    return setup


def with_template(content: str) -> Callable[[str], str]:
    block = (
        "template:\n  file: ../templates/corporate.pptx\n"
        f'  layouts:\n    content: "{content}"\n    title: "Title Slide"\n'
    )
    return lambda text: text + block


# name -> (outline text, what to set up, refused by build, refused by build --strict)
CORPUS: dict[str, tuple[str, list[Setup], bool, bool]] = {
    "good": (MINIMAL, [], False, False),
    "good-picture": (picture("../assets/images/map.png"), [], False, False),
    "theme-print": (meta("  theme: print\n"), [], False, False),
    "theme-unknown": (meta("  theme: nope\n"), [], True, True),
    "theme-not-a-name": (meta("  theme: ../x\n"), [], True, True),
    "picture-missing": (picture("../assets/images/nope.png"), [], True, True),
    "picture-escaping": (picture("../../outside.png"), [], True, True),
    "picture-absolute": (picture("/etc/hostname"), [], True, True),
    "picture-not-an-image": (picture("../assets/images/fake.png"), [], True, True),
    "template-ok": (
        meta("  theme: corporate\n"),
        [theme("corporate", with_template("Title Only"))],
        False,
        False,
    ),
    "template-no-such-layout": (
        meta("  theme: corporate-bad\n"),
        [theme("corporate-bad", with_template("Corporate Body"))],
        True,
        True,
    ),
    "template-no-title-placeholder": (
        meta("  theme: corporate-blank\n"),
        [theme("corporate-blank", with_template("Blank"))],
        True,
        True,
    ),
    "theme-font-missing": (
        meta("  theme: nofont\n"),
        [theme("nofont", lambda t: t.replace("regular: LiberationSans-", "regular: Nope-"))],
        True,
        True,
    ),
    "theme-logo-escaping": (
        meta("  theme: farlogo\n"),
        [theme("farlogo", lambda t: t.replace("logo: ../logos/logo.png", "logo: ../../../x.png"))],
        True,
        True,
    ),
    "glyph-missing": (MINIMAL.replace("A summary.", "A summary, \u6f22\u5b57."), [], False, True),
    "metric-unit-inside": (
        MINIMAL.replace(
            "    looking_ahead: Next steps.\n",
            "    metrics:\n      - label: Growth\n        value: 3.5%\n        context: c\n"
            "        source: s\n    looking_ahead: Next steps.\n",
        ),
        [],
        False,
        True,
    ),
    "yaml-syntax": (MINIMAL.replace("title: First", "title: First: second"), [], True, True),
    "misspelt-key": (MINIMAL.replace("  subtitle:", "  subtitel:"), [], True, True),
}


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project (made by deckgen init) holding every outline of the corpus."""
    root = tmp_path_factory.mktemp("agree")
    unit = root / "unit"
    assert main(["init", str(unit)]) == 0
    (unit / "outlines" / "example.yaml").unlink()
    # The unit's own logo in place of deckgen's placeholder (which --strict refuses).
    Image.new("RGB", (90, 30), (160, 30, 30)).save(unit / "assets" / "logos" / "logo.png")
    Image.new("RGB", (64, 32), (30, 90, 160)).save(unit / "assets" / "images" / "map.png")
    (unit / "assets" / "images" / "fake.png").write_text("not a picture")
    Image.new("RGB", (8, 8)).save(root / "outside.png")
    Image.new("RGB", (8, 8)).save(root.parent / "x.png")
    Presentation().save(unit / "assets" / "templates" / "corporate.pptx")
    for name, (text, setups, _, _) in CORPUS.items():
        (unit / "outlines" / f"{name}.yaml").write_text(text, encoding="utf-8")
        for setup in setups:
            setup(unit)
    return unit


def refused_by_check(unit: Path, *extra: str) -> dict[str, bool]:
    out = {}
    for name in CORPUS:
        status = main(["check", *extra, str(unit / "outlines" / f"{name}.yaml")])
        assert status in (0, 1), name
        out[name] = status == 1
    return out


def refused_by_build(
    unit: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> dict[str, bool]:
    capsys.readouterr()
    status = main(["build", "--json", "-j", "2", "-o", str(unit / "build"), *extra])
    summary = json.loads(capsys.readouterr().out)
    assert status == (1 if any(t["status"] == "failed" for t in summary["targets"]) else 0)
    failed: dict[str, bool] = {}
    for target in summary["targets"]:
        name = Path(target["outline"]).stem
        failed[name] = failed.get(name, False) or target["status"] == "failed"
    return failed


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
def test_check_and_build_refuse_exactly_the_same_outlines(
    unit: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    monkeypatch.chdir(unit)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    extra = ("--strict",) if strict else ()
    expected = {name: case[3 if strict else 2] for name, case in CORPUS.items()}
    assert refused_by_check(unit, *extra) == expected
    assert refused_by_build(unit, capsys, *extra) == expected


def test_every_refusal_is_located_and_names_what_it_looked_at(
    unit: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(unit)
    expected = {
        "theme-unknown": "outlines/theme-unknown.yaml:7:10: meta.theme: unknown theme 'nope': "
        "not in assets/themes/ nor among the built-in themes; available: corporate, "
        "corporate-bad, corporate-blank, farlogo, house, nofont, default, print",
        "picture-escaping": "outlines/picture-escaping.yaml:17:13: sections[0].image.path: "
        f"image path '../../outside.png' resolves outside the project ({unit}) and the built-in "
        "assets",
        "template-no-such-layout": "assets/templates/corporate.pptx:0:0: "
        "template.layouts.content: layout 'Corporate Body' is not in "
        f"{unit}/assets/templates/corporate.pptx; it has: 'Title Slide', ",
        "theme-font-missing": "assets/themes/nofont.yaml:9:12: fonts.regular: font file not "
        "found: Nope-Regular.ttf (looked in assets/themes/ and among the built-in fonts)",
    }
    for name, line in expected.items():
        capsys.readouterr()
        assert main(["check", f"outlines/{name}.yaml"]) == 1
        err = capsys.readouterr().err
        assert any(e.startswith(line) for e in err.splitlines()), err
        assert "Traceback" not in err


def test_the_built_in_themes_and_the_rutte_outline_pass_strict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import RUTTE

    for name in ("default", "print"):
        assert (builtin("themes") / f"{name}.yaml").is_file()
        assert main(["check", "--strict", "--theme", name, str(RUTTE)]) == 0, capsys.readouterr()

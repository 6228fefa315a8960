"""What changed since the last briefing (``--since``): one comparison, shown on a slide, in the
brief and in changes.md; against a file or a git revision; and nothing at all without it."""

from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.cli import main
from deckgen.model import Since, TextFrame
from deckgen.outline import load_outline, parse_outline
from deckgen.plan.changes import compare
from deckgen.plans import Job, prepare
from deckgen.theme import load_theme
from tests.conftest import RUTTE

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
SINCE = Since(date(2025, 1, 9), "revision", "v1")
OLD_JUDGEMENT = (
    '  - text: "Rutte treats the two percent of GDP target as a contractual obligation, naming '
    'laggards and seeking higher targets for frontline states."\n    confidence: moderate'
)
OLD_ASSESSMENT = (
    'assessment: "Rutte courts both U.S. parties and recasts burden sharing as a collaborative '
    'alliance, not a subsidized one"'
)
NEW_ASSESSMENT = (
    'assessment: "Rutte courts both U.S. parties and frames burden sharing as a shared effort, '
    'not American charity"'
)


def newer(text: str) -> str:
    """The second version: one judgement's confidence raised, one assessment reworded, two
    metric values changed; everything else (every looking-ahead among it) as it was."""
    for old, new in (
        (OLD_JUDGEMENT, OLD_JUDGEMENT.replace("moderate", "high")),
        (OLD_ASSESSMENT, NEW_ASSESSMENT),
        ('        value: "32"', '        value: "33"'),
        ('        value: "Uneven"', '        value: "Improving"'),
    ):
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "briefed.yaml"
    old.write_text(RUTTE.read_text(encoding="utf-8"), encoding="utf-8")
    new = tmp_path / "rutte.yaml"
    new.write_text(newer(RUTTE.read_text(encoding="utf-8")), encoding="utf-8")
    return old, new


def deck_text(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    # A balanced title's planned line break reads as a vertical tab in python-pptx's text.
    return [
        " ".join(sh.text_frame.text.replace("\x0b", " ") for sh in s.shapes if sh.has_text_frame)
        for s in prs.slides
    ]


EXPECTED = [
    "Confidence raised: from moderate to high",
    "Section 3, Transatlantic Relations Under Rutte: now",
    "Allies' compliance with the target: Uneven \u2192 Improving (section 2)",
    "Member states to keep united: 32 allies \u2192 33 allies, up (section 12)",
]


def test_the_comparison_finds_exactly_the_changes_made(versions: tuple[Path, Path]) -> None:
    old, new = (load_outline(p) for p in versions)
    changes = compare(old, new, Since(date(2025, 1, 9), "file", "briefed.yaml"))
    kinds = sorted((c.area, c.kind, c.subject[:40]) for c in changes.items)
    assert kinds == [
        ("judgement", "confidence", "Rutte treats the two percent of GDP targ"),
        ("metric", "value", "Allies' compliance with the target"),
        ("metric", "value", "Member states to keep united"),
        ("section", "assessment", "Transatlantic Relations Under Rutte"),
    ]
    assert [c.direction for c in changes.items if c.kind == "value"] == [None, "up"]


def test_the_slide_the_brief_and_changes_md_show_those_changes(
    versions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = versions
    out = tmp_path / "out"
    args = ["build", "--since", str(old), "--format", "pptx,pdf", "--depfile", "-o", str(out)]
    args.append(str(new))
    assert main(args) == 0, capsys.readouterr().err
    slides = deck_text((out / "rutte.pptx").read_bytes())
    (changes,) = [s for s in slides if "What changed since the version of 9 January 2025" in s]
    for line in EXPECTED:
        assert line in changes
    assert slides.index(changes) == 2  # right after the key judgements
    assert len([ln for ln in changes.split("\u25aa") if ln.strip()]) <= 5
    brief = subprocess.run(
        ["pdftotext", str(out / "rutte.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(brief.split())
    assert "What changed" in flat
    for line in EXPECTED:
        assert " ".join(line.split()) in flat
    assert "(was Uneven)" in flat
    assert "(was 32 allies)" in flat
    md = (out / "rutte.changes.md").read_text(encoding="utf-8")
    assert "Since the version of 9 January 2025, file briefed.yaml:" in md
    assert "Confidence moderate \u2192 high" in md
    assert "Uneven \u2192 Improving" in md
    assert "32 allies \u2192 33 allies (up)" in md
    assert "Looking ahead changed" not in md  # the unchanged looking-aheads are not listed
    # The depfile names the older version: editing it rebuilds.
    assert old.name in (out / "rutte.d").read_text()


def test_changed_items_carry_a_mark_and_their_old_value_in_the_notes(
    versions: tuple[Path, Path],
) -> None:
    old, new = (load_outline(p) for p in versions)
    job = Job(new, load_theme(), RUTTE, CREATED, previous=old, since=SINCE)
    deck = prepare(job).plan("deck")
    cards = [
        (s, f)
        for s in deck.slides
        for f in s.frames
        if isinstance(f, TextFrame) and f.role.startswith("kpi.") and f.role.endswith(".text")
    ]
    marked = [f.paras[0].text for _, f in cards if "CHANGED" in f.paras[0].text]
    assert marked  # the word, not only a colour
    notes = " ".join(s.notes for s in deck.slides)
    assert "Changed since the version of 9 January 2025, revision v1: was 32 allies." in notes


def test_identical_versions_give_the_one_line_consistent_slide(tmp_path: Path) -> None:
    outline = load_outline(RUTTE)
    job = Job(outline, load_theme(), RUTTE, CREATED, previous=outline, since=SINCE)
    deck = prepare(job).plan("deck")
    (slide,) = [s for s in deck.slides if s.kind == "changes"]
    since = "the version of 9 January 2025, revision v1"
    assert slide.title == f"Judgements are consistent with {since}"
    body = [f for f in slide.frames if f.role == "changes.body"]
    assert [p.text for f in body for p in f.paras] == [
        "No key judgement, assessment or figure has changed since then."
    ]


def test_without_since_the_outputs_are_as_before() -> None:
    outline = load_outline(RUTTE)
    plain = prepare(Job(outline, load_theme(), RUTTE, CREATED))
    assert plain.changes is None
    assert "changes" not in [s.kind for s in plain.plan("deck").slides]
    assert not [b for b in plain.plan("brief").blocks if getattr(b, "key", "") == "changes"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_a_git_revision_works_and_a_moving_tag_rebuilds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    outline = repo / "r.yaml"
    outline.write_text(RUTTE.read_text(encoding="utf-8"), encoding="utf-8")
    git("init", "-q", cwd=repo)
    git("add", "r.yaml", cwd=repo)
    git("commit", "-qm", "briefed", cwd=repo)
    git("tag", "briefed", cwd=repo)
    outline.write_text(newer(RUTTE.read_text(encoding="utf-8")), encoding="utf-8")
    args = ["build", "--json", "--since", "briefed", "--format", "pptx", "-o", str(tmp_path / "o")]

    def build() -> dict[str, object]:
        capsys.readouterr()
        assert main([*args, str(outline)]) == 0
        return json.loads(capsys.readouterr().out)

    first = build()
    assert first["counts"] == {"built": 1}
    slides = deck_text((tmp_path / "o" / "r.pptx").read_bytes())
    assert any(re.search(r"What changed since .* revision [0-9a-f]{7}", s) for s in slides)
    assert build()["counts"] == {"up-to-date": 1}
    git("commit", "-qam", "newer", cwd=repo)  # the outline as it is now, tagged: nothing changed
    git("tag", "-f", "briefed", cwd=repo)
    assert build()["counts"] == {"built": 1}
    slides = deck_text((tmp_path / "o" / "r.pptx").read_bytes())
    assert any("Judgements are consistent with" in s for s in slides)


@pytest.mark.parametrize(
    ("setup", "ref", "message"),
    [
        ("plain", "HEAD", "is not in a git repository"),
        ("repo", "no-such-tag", "no such revision in the repository"),
        ("repo", "first", "r.yaml did not exist at first"),
        ("repo", "--upload-pack=x", "may not start with '-'"),
    ],
)
def test_a_since_that_names_nothing_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, ref: str, message: str
) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    outline = folder / "r.yaml"
    if setup == "repo":
        git("init", "-q", cwd=folder)
        (folder / "other.txt").write_text("x")
        git("add", "other.txt", cwd=folder)
        git("commit", "-qm", "first", cwd=folder)
        git("tag", "first", cwd=folder)
    outline.write_text(RUTTE.read_text(encoding="utf-8"), encoding="utf-8")
    status = main(["build", f"--since={ref}", "-o", str(tmp_path / "o"), str(outline)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"<command line>:0:0: --since: {ref}: " in err
    assert message in err
    assert not (tmp_path / "o" / "r.pptx").exists()


def test_an_invalid_older_version_is_located_in_it(tmp_path: Path, capsys) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(RUTTE.read_text(encoding="utf-8").replace("schema: 1", "schema: 2"))
    status = main(["check", "--since", str(old), str(RUTTE)])
    assert status == 1
    err = capsys.readouterr().err
    assert re.search(rf"^{re.escape(str(old))}:\d+:9: schema: expected one of 1$", err, re.M)
    parse_outline(RUTTE.read_bytes(), "r.yaml")  # the newer version itself is fine


def test_make_since_and_deckgen_toml_since_brief_against_a_tag(tmp_path: Path) -> None:
    import os
    import shutil
    import sys

    from tests.conftest import ROOT

    project = tmp_path / "unit"
    (project / "outlines").mkdir(parents=True)
    outline = project / "outlines" / "r.yaml"
    outline.write_text(RUTTE.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(ROOT / "src" / "deckgen" / "assets" / "project" / "Makefile", project)
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-qm", "briefed", cwd=project)
    git("tag", "briefed", cwd=project)
    outline.write_text(newer(RUTTE.read_text(encoding="utf-8")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOURCE_DATE_EPOCH", None)
    make = ["make", f"DECKGEN={sys.executable} -m deckgen", "SINCE=briefed", "deck"]
    done = subprocess.run(make, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    slides = deck_text((project / "build" / "r.pptx").read_bytes())
    assert any("What changed since" in s for s in slides)
    # The same through deckgen.toml, for a scheduled job on a moving tag.
    (project / "deckgen.toml").write_text('since = "briefed"\noutput = "out2"\n')
    done = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", "--format", "pptx", "outlines/r.yaml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    slides = deck_text((project / "out2" / "r.pptx").read_bytes())
    assert any("What changed since" in s for s in slides)

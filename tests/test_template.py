"""Corporate templates: inspection, the conformance check, and decks built on a real master."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.diagnostics import InputError
from deckgen.outline import load_outline
from deckgen.plans import Job, output
from deckgen.project import builtin
from deckgen.template import check_template, describe, inspect_template, write_sample
from deckgen.theme import load_theme
from tests.conftest import RUTTE, libreoffice_convert, run_cli

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
TEMPLATE_BLOCK = """
template:
  file: corporate.pptx
  layouts:
    content: {content}
    title: {title}
"""


def make_template(path: Path) -> Path:
    """A 4:3 corporate template (python-pptx's default master) with no slides."""
    Presentation().save(path)
    return path


def theme_with_template(
    tmp_path: Path, content: str = "Title Only", title: str = "Title Slide"
) -> Path:
    text = (builtin("themes") / "default.yaml").read_text(encoding="utf-8")
    text += TEMPLATE_BLOCK.format(content=f'"{content}"', title=f'"{title}"')
    path = tmp_path / "corporate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build_on(template: Path, theme_file: Path) -> Presentation:
    theme = load_theme(theme_file)
    outline = load_outline(RUTTE)
    data = output(Job(outline, theme, RUTTE, CREATED, template), "pptx").data
    return Presentation(io.BytesIO(data))


def test_inspect_lists_layouts_and_placeholders(tmp_path: Path) -> None:
    info = inspect_template(make_template(tmp_path / "corporate.pptx"))
    assert (info.width, info.height) == (720.0, 540.0)
    names = [lay.name for lay in info.layouts]
    assert "Title Only" in names
    assert "Title Slide" in names
    title_only = info.layout("Title Only")
    assert title_only is not None
    ph = title_only.placeholder(0)
    assert ph is not None
    assert ph.type == "TITLE"
    assert ph.box is not None
    text = describe(info)
    assert "layout 5: 'Title Only'" in text
    assert "idx   0  TITLE" in text


def test_sample_deck_labels_every_placeholder(tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    prs = Presentation(io.BytesIO(write_sample(template)))
    assert len(prs.slides) == len(prs.slide_layouts)
    texts = [sh.text_frame.text for s in prs.slides for sh in s.placeholders if sh.has_text_frame]
    assert any(t.startswith("idx 0: TITLE") for t in texts)
    out = run_cli("inspect-template", str(template), "--sample", str(tmp_path / "sample.pptx"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "sample.pptx").is_file()


def test_deck_is_built_on_the_template_master_and_sizes(tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    prs = build_on(template, theme_with_template(tmp_path))
    assert (prs.slide_width, prs.slide_height) == (720 * 12700, 540 * 12700)
    first = prs.slides[0]
    assert first.slide_layout.name == "Title Slide"
    assert all(s.slide_layout.name == "Title Only" for s in list(prs.slides)[1:])
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None
        assert title.text_frame.text
        # Text lands in the template's placeholder and inherits its typeface; its colour is
        # the plan's (checked readable on what is behind it).
        for p in title.text_frame.paragraphs:
            for r in p.runs:
                assert r._r.find("{*}rPr/{*}solidFill") is not None
                assert r._r.find("{*}rPr/{*}latin") is None
        # No empty "click to add" placeholders are left behind.
        for ph in slide.placeholders:
            assert ph.text_frame.text.strip()
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
    subtitle = first.placeholders[1]
    assert subtitle.text_frame.text.startswith("Leadership style")


def test_missing_layout_is_an_error_naming_what_exists(tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    theme = load_theme(theme_with_template(tmp_path, content="Corporate Body"))
    assert theme.template is not None
    with pytest.raises(InputError) as info:
        check_template(inspect_template(template), theme.template, "corporate.yaml")
    (diag,) = info.value.diagnostics
    assert diag.path == "template.layouts.content"
    assert "'Corporate Body' is not in" in diag.message
    assert "'Title Only'" in diag.message


def test_missing_placeholder_is_an_error(tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    theme = load_theme(theme_with_template(tmp_path, content="Blank"))
    assert theme.template is not None
    with pytest.raises(InputError) as info:
        check_template(inspect_template(template), theme.template, "corporate.yaml")
    assert "has no title placeholder with index 0" in info.value.diagnostics[0].message


def test_cli_build_with_a_bad_template_writes_nothing(tmp_path: Path) -> None:
    template = make_template(tmp_path / "corporate.pptx")
    theme = theme_with_template(tmp_path, content="Nope")
    out = run_cli(
        "build",
        str(RUTTE),
        "--format",
        "pptx",
        "--theme",
        str(theme),
        "--template",
        str(template),
        "-o",
        str(tmp_path / "out"),
    )
    assert out.returncode == 1
    assert "layout 'Nope' is not in" in out.stderr
    assert "Traceback" not in out.stderr
    assert not list((tmp_path / "out").glob("*.pptx"))


def test_template_saved_by_libreoffice(tmp_path: Path) -> None:
    src = make_template(tmp_path / "python-pptx.pptx")
    template = tmp_path / "corporate.pptx"
    shutil.copy(libreoffice_convert(src, tmp_path / "lo", "pptx"), template)
    info = inspect_template(template)
    # LibreOffice rewrites the master; map whatever layouts it kept that have a title.
    titled = [lay.name for lay in info.layouts if (ph := lay.placeholder(0)) and ph.box]
    assert titled, describe(info)
    prs = build_on(template, theme_with_template(tmp_path, content=titled[0], title=titled[0]))
    assert len(prs.slides) > 40
    assert all(s.shapes.title is not None and s.shapes.title.text_frame.text for s in prs.slides)

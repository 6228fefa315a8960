"""PNG previews: sizes and counts, the contact sheet, deterministic bytes, `deckgen preview`,
`--format png` in builds, and LibreOffice's rendering of the PPTX against the previews."""

from __future__ import annotations

import io
import math
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from deckgen.build import Options, run
from deckgen.cli import main
from deckgen.images import outline_images
from deckgen.model import DeckPlan
from deckgen.outline import Outline
from deckgen.plan.deck import plan_deck
from deckgen.plans import Job, output
from deckgen.render import FORMATS, png
from deckgen.theme import Theme
from tests.conftest import RUTTE, libreoffice_convert, require_tool

CREATED = datetime(2025, 1, 9, tzinfo=UTC)
# Coarse image difference: greyscale, box-averaged down to 80 x 45 (each cell about 12 pt of
# the slide, so line breaks and anti-aliasing wash out while layout, fills and text blocks
# stay), then the mean absolute difference of the cells on a 0-255 scale. Measured on the
# Rutte deck (21 slides, LibreOffice 7.4, 640 px): a slide against LibreOffice's rendering of
# the same slide differs by 3.4 on average and 7.0 at most (dense 14 pt key points, where
# LibreOffice fills lines to the full width that the planner keeps 4 % short of, so a paragraph
# can take a line less); against the neighbouring slide by 8.6 at least (a section's key points
# and its indicators, under one title) and 24.6 on average. The threshold sits between the two.
DIFF_SIZE = (80, 45)
DIFF_THRESHOLD = 7.8
INTEROP_WIDTH = 640


@pytest.fixture(scope="module")
def plan(rutte: Outline, theme: Theme) -> DeckPlan:
    return plan_deck(rutte, theme, CREATED, outline_images(rutte, theme))


def _png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _chunks(data: bytes) -> list[bytes]:
    out, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        out.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return out


def test_the_registry_names_the_png_format() -> None:
    assert FORMATS["png"].suffix == "-slides.png"
    assert FORMATS["png"].writer() is png.write


def test_one_png_per_chosen_slide_at_the_chosen_width(plan: DeckPlan, theme: Theme) -> None:
    last = len(plan.slides) - 1
    files = png.slide_pngs(plan, theme.faces(), width=480, slides=[0, 4, last])
    assert list(files) == ["01.png", "05.png", f"{last + 1:02d}.png"]
    for data in files.values():
        assert _png(data).size == (480, 270)
    assert len(png.preview_files(plan, theme.faces(), "x", width=200)) == len(plan.slides) + 1


def test_the_contact_sheet_is_a_grid_of_every_slide(plan: DeckPlan, theme: Theme) -> None:
    sheet = _png(png.contact_sheet(plan, theme.faces()))
    rows = math.ceil(len(plan.slides) / png.SHEET_COLUMNS)
    thumb_h = round(plan.height * png.THUMB_WIDTH / plan.width)
    gap = png.SHEET_GAP
    assert sheet.size == (
        png.SHEET_COLUMNS * (png.THUMB_WIDTH + gap) + gap,
        rows * (thumb_h + png.LABEL_HEIGHT + gap) + gap,
    )


def test_pngs_are_deterministic_and_carry_no_metadata(plan: DeckPlan, theme: Theme) -> None:
    first = png.slide_pngs(plan, theme.faces(), width=320, slides=[5])["06.png"]
    assert png.slide_pngs(plan, theme.faces(), width=320, slides=[5])["06.png"] == first
    sheet = png.contact_sheet(plan, theme.faces(), slides=[0, 1, 2])
    assert png.contact_sheet(plan, theme.faces(), slides=[0, 1, 2]) == sheet
    for data in (first, sheet):
        assert set(_chunks(data)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("5-8", [4, 5, 6, 7]), ("1,3", [0, 2]), ("9-", [8, 9]), ("2,1-2", [1, 0])],
)
def test_slide_ranges_are_one_based_and_inclusive(spec: str, expected: list[int]) -> None:
    assert png.parse_slides(spec, 10) == expected


@pytest.mark.parametrize("spec", ["0", "11", "3-2", "a", "1-x", ","])
def test_bad_slide_ranges_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="--slides"):
        png.parse_slides(spec, 10)


def test_preview_command_writes_pages_then_drops_leftovers(tmp_path: Path, plan: DeckPlan) -> None:
    out = tmp_path / "out"
    count = len(plan.slides)
    assert main(["preview", str(RUTTE), "--slides", "5-6", "--width", "320", "-o", str(out)]) == 0
    folder = out / f"{RUTTE.stem}-slides"
    assert sorted(p.name for p in folder.iterdir()) == ["05.png", "06.png"]
    assert not (out / f"{RUTTE.stem}-slides.png").exists()  # only a whole deck makes a sheet
    (folder / "99.png").write_bytes(b"left over from a longer deck")
    assert main(["preview", str(RUTTE), "--width", "160", "-o", str(out)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == count
    assert names[0] == "01.png"
    assert names[-1] == f"{count:02d}.png"
    assert _png((folder / "01.png").read_bytes()).size == (160, 90)
    assert (out / f"{RUTTE.stem}-slides.png").exists()


def test_preview_command_refuses_bad_options(tmp_path: Path) -> None:
    # Usage errors (2): the command line asks for what cannot be, not a bad input file.
    assert main(["preview", str(RUTTE), "--slides", "99", "-o", str(tmp_path)]) == 2
    assert main(["preview", str(RUTTE), "--width", "10", "-o", str(tmp_path)]) == 2
    assert not list(tmp_path.iterdir())


def test_build_writes_the_contact_sheet_and_deck_pdf(minimal_outline: Path, tmp_path: Path) -> None:
    opts = Options(out_dir=tmp_path, formats=("png", "deck-pdf"))
    summary = run([minimal_outline], opts, jobs=1)
    assert summary.exit_status == 0, summary.as_dict()
    assert _png((tmp_path / "minimal-slides.png").read_bytes()).format == "PNG"
    assert (tmp_path / "minimal-deck.pdf").read_bytes().startswith(b"%PDF-")
    again = run([minimal_outline], opts, jobs=1)
    assert {t.status for t in again.targets} == {"up-to-date"}


# --- LibreOffice's rendering of the PPTX against the previews ---------------------------------


def _coarse(img: Image.Image) -> Image.Image:
    return img.convert("L").resize(DIFF_SIZE, Image.Resampling.BOX)


def image_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference (0-255) of two images' coarse greyscale versions."""
    return float(ImageStat.Stat(ImageChops.difference(_coarse(a), _coarse(b))).mean[0])


@pytest.mark.interop
def test_libreoffice_rendering_of_the_pptx_matches_the_previews(
    rutte: Outline, theme: Theme, plan: DeckPlan, tmp_path: Path
) -> None:
    pdftoppm = require_tool("pdftoppm")
    src = tmp_path / "deck.pptx"
    src.write_bytes(output(Job(rutte, theme, RUTTE, CREATED), "pptx").data)
    libreoffice_convert(src, tmp_path)
    w = str(INTEROP_WIDTH)
    cmd = [pdftoppm, "-png", "-scale-to-x", w, "-scale-to-y", "-1"]
    subprocess.run([*cmd, str(tmp_path / "deck.pdf"), str(tmp_path / "lo")], check=True)
    lo = [Image.open(p) for p in sorted(tmp_path.glob("lo-*.png"))]
    assert len(lo) == len(plan.slides)
    images = outline_images(rutte, theme)
    ours = [png.draw_slide(plan, i, theme.faces(), INTEROP_WIDTH, images) for i in range(len(lo))]
    same = [image_difference(ours[i], lo[i]) for i in range(len(lo))]
    drift = {i + 1: round(d, 2) for i, d in enumerate(same) if d >= DIFF_THRESHOLD}
    assert not drift, f"slides drawn differently from LibreOffice's rendering: {drift}"
    # The measure must tell slides apart: each slide against its neighbour is over the line.
    for i in range(1, len(lo)):
        assert image_difference(ours[i], lo[i - 1]) > DIFF_THRESHOLD, f"slides {i}, {i + 1}"

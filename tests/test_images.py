"""Image assets: paths stay inside the project, only real PNG/JPEG, bounded, stripped, stable."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.images import MAX_PIXELS, MAX_SIDE, prepare, resolve


def fail(message: str) -> Diagnostic:
    return Diagnostic("o.yaml", 12, 7, "sections[0].image.path", message)


def png(path: Path, size: tuple[int, int] = (40, 20), **save: object) -> Path:
    Image.new("RGB", size, (200, 30, 30)).save(path, **save)  # type: ignore[arg-type]
    return path


def problem(call: object) -> str:
    with pytest.raises(InputError) as info:
        call()  # type: ignore[operator]
    (diag,) = info.value.diagnostics
    assert diag.format().startswith("o.yaml:12:7: sections[0].image.path: ")
    return diag.message


@pytest.mark.parametrize(
    "raw",
    [
        "../secret.png",
        "/etc/passwd",
        "~/x.png",
        "img/..%2f..%2fx.png",
        "C:\\x.png",
        "a/../../b.png",
    ],
)
def test_paths_that_escape_are_refused(tmp_path: Path, raw: str) -> None:
    assert "path" in problem(lambda: resolve(raw, tmp_path, [tmp_path], fail))


def test_symlink_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    png(outside / "x.png")
    project = tmp_path / "project"
    project.mkdir()
    os.symlink(outside / "x.png", project / "link.png")
    assert "outside" in problem(lambda: resolve("link.png", project, [project], fail))


def test_missing_file_names_the_folder_searched(tmp_path: Path) -> None:
    assert (
        problem(lambda: resolve("nope.png", tmp_path, [tmp_path], fail))
        == f"image not found: nope.png (looked in {tmp_path}/)"
    )


def test_dotdot_that_stays_inside_the_project_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "outlines").mkdir()
    (tmp_path / "assets" / "images").mkdir(parents=True)
    picture = png(tmp_path / "assets" / "images" / "map.png")
    outlines = tmp_path / "outlines"
    assert resolve("../assets/images/map.png", outlines, [tmp_path], fail) == picture
    message = problem(lambda: resolve("../../etc/passwd", outlines, [tmp_path], fail))
    assert message == (f"image path '../../etc/passwd' resolves outside the project ({tmp_path})")


def test_disguised_and_disallowed_formats(tmp_path: Path) -> None:
    gif = tmp_path / "a.png"
    Image.new("P", (4, 4)).save(gif, "GIF")
    assert "not a PNG or JPEG" in problem(lambda: prepare(gif, fail))
    svg = tmp_path / "b.png"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert "not a PNG or JPEG" in problem(lambda: prepare(svg, fail))
    jpeg_named_png = png(tmp_path / "c.png", format="JPEG")
    assert "really JPEG" in problem(lambda: prepare(jpeg_named_png, fail))


def test_truncated_image_fails_on_full_decode(tmp_path: Path) -> None:
    whole = png(tmp_path / "whole.png", (300, 300))
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:200])
    assert "cannot be decoded" in problem(lambda: prepare(cut, fail))


def test_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    # A tiny file whose header claims 100,000 x 100,000 pixels.
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    message = problem(lambda: prepare(bomb, fail))
    assert "bomb" in message or str(MAX_PIXELS // 1_000_000) in message


def test_large_legal_image_is_downscaled_and_metadata_stripped(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    img = Image.new("RGB", (4000, 3000), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (52.0, 22.0, 0.0)}  # GPSInfo: latitude
    img.save(src, "JPEG", exif=exif.tobytes())
    assert b"CameraMaker" in src.read_bytes()
    out = prepare(src, fail)
    assert max(out.width, out.height) == MAX_SIDE
    assert out.format == "JPEG"
    assert b"CameraMaker" not in out.data
    assert b"Exif" not in out.data
    again = Image.open(io.BytesIO(out.data))
    assert not again.getexif()
    assert prepare(src, fail).data == out.data  # deterministic


def test_png_keeps_transparency_and_drops_text_chunks(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    src = tmp_path / "logo.png"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret author note")
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(src, pnginfo=info)
    out = prepare(src, fail)
    assert out.format == "PNG"
    assert b"secret author note" not in out.data
    assert Image.open(io.BytesIO(out.data)).mode == "RGBA"

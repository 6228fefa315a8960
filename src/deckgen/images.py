"""Image assets: a path named by an outline or theme in, safe re-encoded bytes and size out.

Images come from many hands, so each is treated as hostile: the path must stay inside the
outline's project or the built-in assets (symlinks resolved; see :mod:`deckgen.project`), the
file must really be PNG or JPEG, its
header must be within a pixel budget before anything is decoded, it is decoded in full (a
truncated file fails here, not in a reader's viewer), turned upright from its EXIF orientation,
downscaled to what a slide or page can show, stripped of all metadata (EXIF, GPS, text chunks)
and re-encoded deterministically. Problems are located diagnostics.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS, read_input
from deckgen.model import PreparedImage
from deckgen.outline import Outline
from deckgen.project import NotFound, builtin, builtin_assets, locate, project_root
from deckgen.theme import Theme

if TYPE_CHECKING:
    from deckgen.template import TemplateInfo

# 40 megapixels: far above any photo a slide needs, well below Pillow's bomb limit (~179 MP).
MAX_PIXELS = 40_000_000
# Longest side after downscaling: a full-width 16:9 slide at about 150 dpi.
MAX_SIDE = 2000
FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


Locate = Callable[[str], Diagnostic]


def resolve(raw: str, base: Path, roots: list[Path], fail: Locate) -> Path:
    """Resolve ``raw`` against ``base``; it must stay inside one of ``roots`` after symlinks."""
    try:
        return locate(raw, base, roots, "image")
    except NotFound as err:
        raise InputError([fail(str(err))]) from None


# Prepared images by content: the build checks every picture before rendering and each renderer
# (or a forked child of the process that checked) prepares the same bytes again for free.
_PREPARED: dict[tuple[str, str, int], PreparedImage] = {}


def prepare(path: Path, fail: Locate, *, max_side: int = MAX_SIDE) -> PreparedImage:
    """Check, decode, orient, downscale, strip and re-encode one PNG or JPEG file."""
    data = read_input(path, limit=LIMITS["picture"], what="image", locate=fail)
    key = (hashlib.sha256(data).hexdigest(), path.suffix.lower(), max_side)
    if key not in _PREPARED:
        _PREPARED[key] = _prepare(data, path, fail, max_side)
    return _PREPARED[key]


def _prepare(data: bytes, path: Path, fail: Locate, max_side: int) -> PreparedImage:
    # Pillow is imported here, by the first picture: a deck without pictures does not need it.
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if img.format not in FORMATS:
                raise InputError(
                    [fail(f"image format {img.format} is not allowed; use PNG or JPEG")]
                )
            if path.suffix.lower() not in FORMATS[img.format]:
                raise InputError(
                    [fail(f"file named {path.name} is really {img.format}; rename or convert it")]
                )
            w, h = img.size
            if w * h > MAX_PIXELS:
                limit = MAX_PIXELS // 1_000_000
                raise InputError(
                    [fail(f"image is {w}x{h} pixels; the limit is {limit} megapixels")]
                )
            img.load()
            img = ImageOps.exif_transpose(img) or img
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError([fail("image is a decompression bomb (too many pixels)")]) from None
    except UnidentifiedImageError:
        raise InputError([fail("not a PNG or JPEG image")]) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError([fail(f"image cannot be decoded ({exc})")]) from None
    fmt = img.format or ("JPEG" if path.suffix.lower() in (".jpg", ".jpeg") else "PNG")
    if max(img.size) > max_side:
        scale = max_side / max(img.size)
        img = img.resize(
            (max(1, round(img.width * scale)), max(1, round(img.height * scale))),
            Image.Resampling.LANCZOS,
        )
    # A new image from the pixels alone: nothing of the original's metadata can come along.
    alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
    mode = "RGBA" if alpha else "RGB"
    clean = Image.new(mode, img.size)
    clean.paste(img.convert(mode))
    out = io.BytesIO()
    if fmt == "JPEG" and mode == "RGB":
        clean.save(out, "JPEG", quality=88, optimize=False, progressive=False)
        fmt = "JPEG"
    else:
        clean.save(out, "PNG", optimize=False, compress_level=6)
        fmt = "PNG"
    blob = out.getvalue()
    return PreparedImage(
        blob, fmt, clean.width, clean.height, hashlib.sha256(blob).hexdigest()[:16]
    )


def outline_images(outline: Outline, theme: Theme) -> dict[str, PreparedImage]:
    """Every image the outputs embed, by key: ``logo`` and ``section:<id>``."""
    base = Path(outline.file).parent if outline.file else Path.cwd()
    roots = [project_root(Path(outline.file)) if outline.file else base, builtin_assets()]
    out: dict[str, PreparedImage] = {}
    problems: list[Diagnostic] = []
    logo = theme.logo_path()
    if theme.logo and logo is not None:
        theme_where = str(theme.file or logo)

        def theme_fail(message: str) -> Diagnostic:
            return Diagnostic(theme_where, 0, 0, "logo", f"{theme.logo}: {message}")

        try:
            if theme.file is None:  # a theme made in code: only the built-in logos
                logo = resolve(theme.logo, builtin("logos"), [builtin_assets()], theme_fail)
            out["logo"] = prepare(logo, theme_fail)
        except InputError as err:
            problems.extend(err.diagnostics)
    for i, section in enumerate(outline.sections):
        if section.image is None:
            continue
        where = ("sections", i, "image", "path")

        def fail(message: str, where: tuple[str | int, ...] = where) -> Diagnostic:
            return outline.diagnostic(where, message, warning=False)

        try:
            path = resolve(section.image.path, base, roots, fail)
            out[f"section:{section.id}"] = prepare(path, fail)
        except InputError as err:
            problems.extend(err.diagnostics)
    if problems:
        raise InputError(problems)
    return out


def image_files(outline: Outline, theme: Theme) -> list[Path]:
    """The image files an outline and theme name (for build hashing); unresolvable ones skipped."""
    base = Path(outline.file).parent if outline.file else Path.cwd()
    logo = theme.logo_path()
    named = [logo] if logo is not None else []
    named += [base / s.image.path for s in outline.sections if s.image is not None]
    return sorted({p.resolve() for p in named if p.is_file()})


def template_images(info: TemplateInfo) -> dict[str, PreparedImage]:
    """The pictures of a template's masters and layouts, prepared like any other, by key
    ``template:<n>`` in the order :func:`template_keys` gives (previews draw them)."""
    from deckgen.template import template_keys

    out: dict[str, PreparedImage] = {}
    for key, art in template_keys(info).items():
        assert art.image is not None
        suffix = ".png" if art.image[:4] == b"\x89PNG" else ".jpg"

        def fail(message: str) -> Diagnostic:
            return Diagnostic(info.path, 0, 0, "", f"a picture of the master: {message}")

        try:
            out[key] = _prepare(art.image, Path(key + suffix), fail, MAX_SIDE)
        except InputError:
            continue  # artwork a preview cannot draw is left out of previews, not fatal
    return out

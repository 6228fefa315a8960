"""Projects: a path in, its project (``deckgen.toml``, defaults) and where its files are found out.

A project is a folder holding ``deckgen.toml``: outlines in ``outlines/``, the unit's own themes,
logos, templates and pictures in ``assets/``, outputs in ``build/``. The project of an outline is
the nearest folder at or above it holding ``deckgen.toml``, else the outline's own folder.

Every rule about where a file is looked for lives here, so that the build, ``deckgen check`` and
the messages agree: theme names resolve in the project's ``assets/themes/`` first, then among the
built-in themes; a theme's logo, template and fonts are relative to the theme file (a plain file
name falls back to the built-in one); an outline's pictures are relative to the outline. Every
path must stay inside the project or the built-in assets once symlinks are resolved.

The built-in themes, fonts and logo ship inside the package (``deckgen/assets/``) and are found
with :mod:`importlib.resources`, so an installed wheel finds them wherever it is installed.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.resources
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostic, InputError

CONFIG_NAME = "deckgen.toml"
# Every format deckgen.render registers (a test checks they agree); deckgen.toml is checked
# against it without importing the renderers.
KNOWN_FORMATS = ("pptx", "pdf", "deck-pdf", "png", "docx")
DEFAULT_FORMATS = ("pptx", "pdf")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@cache
def builtin_assets() -> Path:
    """The built-in assets' folder (``themes/``, ``fonts/``, ``logos/``), symlinks resolved."""
    ref = importlib.resources.files("deckgen").joinpath("assets")
    if isinstance(ref, Path):  # an ordinary install or checkout: the files are on disk
        return ref.resolve()
    # A zipped install: fonts must be real files for reportlab and Pillow, so the folder is
    # extracted once and kept for the life of the process.
    stack = contextlib.ExitStack()
    return stack.enter_context(importlib.resources.as_file(ref)).resolve()


def builtin(kind: str) -> Path:
    """One folder of the built-in assets: ``themes``, ``fonts``, ``logos`` or ``templates``."""
    return builtin_assets() / kind


def shown(path: Path | str) -> str:
    """A path as messages show it: relative to the working directory when inside it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive (Windows)
        return text
    return text if rel.startswith("..") else rel


class NotFound(Exception):
    """A file a name or path refers to cannot be used; the message says where it looked."""


class Missing(NotFound):
    """The file does not exist (as opposed to: it exists but lies outside the project)."""


@dataclass(frozen=True, slots=True)
class Project:
    """A project folder and the defaults its ``deckgen.toml`` sets."""

    root: Path  # absolute, symlinks resolved
    config: Path | None = None  # root / deckgen.toml, when there is one
    output: str = "build"  # where builds go, relative to root
    theme: str | None = None  # the theme of outlines that name none
    formats: tuple[str, ...] = DEFAULT_FORMATS
    outlines: str = "outlines"  # the outlines built when none are named
    since: str | None = None  # --since's default: a file, or a git revision (e.g. a moving tag)

    @property
    def themes(self) -> Path:
        """The project's own themes: ``assets/themes/``."""
        return self.root / "assets" / "themes"

    @property
    def roots(self) -> tuple[Path, Path]:
        """Where every file an outline or theme names must stay: the project, the built-ins."""
        return (self.root, builtin_assets())


def find_config(start: Path) -> Path | None:
    """The nearest ``deckgen.toml`` in ``start`` (a folder) or a folder above it."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        config = candidate / CONFIG_NAME
        if config.is_file():
            return config
    return None


def project_root(path: Path) -> Path:
    """The root of the project of file ``path``, without reading ``deckgen.toml``."""
    folder = path.resolve().parent
    config = find_config(folder)
    return config.parent if config else folder


def project_of(path: Path) -> Project:
    """The project of the file ``path`` (an outline): its defaults read from ``deckgen.toml``."""
    folder = path.resolve().parent
    config = find_config(folder)
    return read_config(config) if config else Project(folder)


def project_here(cwd: Path | None = None) -> Project | None:
    """The project the working directory is in, when a ``deckgen.toml`` marks one."""
    config = find_config(cwd or Path.cwd())
    return read_config(config) if config else None


# -- deckgen.toml ---------------------------------------------------------------------------------

_KEYS = {
    "output": "the folder builds are written to, relative to this file",
    "theme": "the theme of outlines whose meta.theme is not set",
    "formats": f"what deckgen build makes, a list from {', '.join(KNOWN_FORMATS)}",
    "outlines": "the folder of outlines built when none are named",
    "since": "an older version to show changes since: a file or a git revision (--since)",
}


def read_config(file: Path) -> Project:
    """Read and check ``deckgen.toml``; every problem is a located :class:`InputError`."""
    name = shown(file)
    try:
        text = file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError([Diagnostic(name, 0, 0, "", f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Diagnostic(name, 1, 1, "", "not UTF-8 text; save it as UTF-8")]) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError(
            [Diagnostic(name, line, col, "", f"TOML syntax error: {message}")]
        ) from None

    def at(key: str) -> tuple[int, int]:
        for i, raw in enumerate(text.splitlines(), 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", raw):
                return i, len(raw) - len(raw.lstrip()) + 1
        return 1, 1

    problems: list[Diagnostic] = []

    def bad(key: str, message: str) -> None:
        problems.append(Diagnostic(name, *at(key), key, message))

    values: dict[str, Any] = {}
    for key, value in doc.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(_KEYS)}"
            )
            bad(key, f"unknown key {key!r}; {hint}")
        elif key == "formats":
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) for v in value)
            ):
                bad(key, 'expected a list of format names, e.g. ["pptx", "pdf"]')
                continue
            unknown = [v for v in value if v not in KNOWN_FORMATS]
            if unknown:
                bad(key, f"unknown format {unknown[0]!r}; choose from {', '.join(KNOWN_FORMATS)}")
                continue
            values[key] = tuple(dict.fromkeys(value))
        elif not isinstance(value, str) or not value.strip():
            bad(key, f"expected text: {_KEYS[key]}")
        elif key == "theme" and not (_SLUG.match(value) or value.endswith((".yaml", ".yml"))):
            bad(key, "expected a theme name (lowercase letters, digits, hyphens) or a .yaml path")
        else:
            values[key] = value.strip()
    if problems:
        raise InputError(problems)
    return Project(file.parent.resolve(), file, **values)


# -- where files are found ------------------------------------------------------------------------


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether ``path`` (already resolved) is one of ``roots`` or below one."""
    return any(path == r or r in path.parents for r in roots)


def describe_roots(roots: Sequence[Path]) -> str:
    """``the project (/srv/unit) and the built-in assets`` for messages (logs read them too)."""
    builtin_root = builtin_assets()
    parts = ["the built-in assets" if r == builtin_root else f"the project ({r})" for r in roots]
    return " and ".join(parts)


def is_plain(raw: str) -> bool:
    """A relative path with nothing a shell, a URL or Windows would read differently."""
    return bool(raw) and not (
        raw.startswith(("/", "~")) or any(c in raw for c in "\\%:") or Path(raw).is_absolute()
    )


def locate(raw: str, base: Path, roots: Sequence[Path], what: str) -> Path:
    """``base / raw`` resolved; it must exist and stay inside one of ``roots``.

    ``..`` is allowed as long as the result stays inside (``../assets/images/map.png`` from
    ``outlines/``): containment is judged on the real path, after symlinks, never on the text.
    """
    if not is_plain(raw):
        raise NotFound(f"{what} path {raw!r} must be a plain relative path")
    candidate = base / raw
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise Missing(f"{what} not found: {raw} (looked in {shown(base)}/)") from None
    allowed = [r.resolve() for r in roots]
    if not inside(real, allowed):
        raise NotFound(f"{what} path {raw!r} resolves outside {describe_roots(allowed)}")
    if not real.exists():
        raise Missing(f"{what} not found: {raw} (looked in {shown(base)}/)")
    if not real.is_file():
        raise NotFound(f"{what} {raw!r} is not a regular file")
    return real


def theme_asset(raw: str, kind: str, theme_file: Path, what: str) -> Path:
    """A file a theme names (``kind``: fonts, logos, templates), found for that theme.

    Relative to the theme file first; a plain file name not found there is looked up among the
    built-in assets of its kind, so a theme copied out of deckgen keeps its fonts and logo. The
    file must stay inside the theme's project or the built-in assets.
    """
    theme_file = theme_file.resolve()
    base = theme_file.parent
    if inside(theme_file, [builtin_assets()]):
        roots: tuple[Path, ...] = (builtin_assets(),)
    else:
        roots = (project_root(theme_file), builtin_assets())
    try:
        return locate(raw, base, roots, what)
    except Missing:
        if "/" in raw:
            raise
        fallback = builtin(kind) / raw
        if fallback.is_file():
            return fallback.resolve()
        raise Missing(
            f"{what} not found: {raw} (looked in {shown(base)}/ and among the built-in {kind})"
        ) from None


def theme_names(project: Project) -> list[str]:
    """Every theme name ``project`` can use: its own, then the built-in ones not shadowed."""
    own = sorted(p.stem for p in project.themes.glob("*.yaml"))
    builtins = sorted(p.stem for p in builtin("themes").glob("*.yaml"))
    return own + [n for n in builtins if n not in own]


def theme_file(ref: str, project: Project, base: Path | None = None) -> Path:
    """The file of theme ``ref``: a name (project's ``assets/themes/``, then built-in) or a path.

    A path (``.yaml``/``.yml``) is relative to ``base`` (the working directory for
    ``--theme``, the project root for ``deckgen.toml``).
    """
    if ref.endswith((".yaml", ".yml")):
        path = Path(ref) if base is None or Path(ref).is_absolute() else base / ref
        if not path.exists():  # a FIFO or a device is refused by name when it is read
            raise Missing(f"theme file not found: {shown(path)}")
        return path
    if not _SLUG.match(ref):
        raise NotFound(
            f"theme {ref!r} is neither a theme name (lowercase letters, digits, hyphens) "
            "nor a .yaml file"
        )
    for folder in (project.themes, builtin("themes")):
        candidate = folder / f"{ref}.yaml"
        if candidate.is_file():
            if folder == project.themes and not inside(candidate.resolve(), project.roots):
                raise NotFound(
                    f"theme {ref!r} ({shown(candidate)}) resolves outside "
                    f"{describe_roots(project.roots)}"
                )
            return candidate
    available = ", ".join(theme_names(project))
    raise Missing(
        f"unknown theme {ref!r}: not in {shown(project.themes)}/ nor among the built-in themes; "
        f"available: {available}"
    )

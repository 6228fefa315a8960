"""Preflight: an outline path and the build's options in, checked inputs (or every problem) out.

Everything that can reject an outline before rendering happens here, in one place: the outline,
its project's ``deckgen.toml``, the theme (found by name or path), its fonts, logo and template
(conformance of the mapped layouts and placeholders), every picture (decoded in full) and the
metric values. ``deckgen build`` runs it before rendering any target and ``deckgen check`` runs it
(then plans, for the planners' warnings), so the two reject exactly the same inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from deckgen.diagnostics import COMMAND_LINE, Diagnostic, InputError, Severity
from deckgen.project import NotFound, Project, project_of, shown, theme_file

if TYPE_CHECKING:
    from deckgen.build_state import Hasher
    from deckgen.model import Since
    from deckgen.outline import Outline
    from deckgen.theme import Theme


@dataclass(slots=True)
class Inputs:
    """An outline with everything it is built from, checked."""

    outline: Outline
    project: Project
    theme: Theme
    template: Path | None  # --template, overriding the theme's template file
    hashes: dict[str, str]  # absolute path -> SHA-256 of every input file ("" if unreadable)
    warnings: list[Diagnostic] = field(default_factory=list)  # found before any planning
    previous: Outline | None = None  # --since: the older version the outputs say changes since
    since: Since | None = None  # what the outputs call it: its date, and its file or revision


def _theme_ref(
    outline: Outline, project: Project, override: str | None
) -> tuple[Path, Diagnostic | None]:
    """The theme file the outline is built with, or the located reason it cannot be found.

    Which one wins: ``--theme``, then the outline's ``meta.theme``, then the project's
    ``deckgen.toml``, then ``default``. A problem is reported where the name was written.
    """
    if override:
        ref, base, where = override, Path.cwd(), (COMMAND_LINE, 0, 0, "--theme")
    elif outline.meta.theme:
        line, col = outline.where("meta", "theme")
        ref, base, where = outline.meta.theme, project.root, (outline.file, line, col, "meta.theme")
    elif project.theme and project.config is not None:
        line, col = _toml_position(project.config, "theme")
        ref, base, where = project.theme, project.root, (shown(project.config), line, col, "theme")
    else:
        ref, base, where = "default", project.root, (outline.file, 0, 0, "")
    try:
        return theme_file(ref, project, base), None
    except NotFound as err:
        return Path(ref), Diagnostic(*where, str(err))


def _toml_position(config: Path, key: str) -> tuple[int, int]:
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0, 0
    for i, raw in enumerate(lines, 1):
        if raw.split("=", 1)[0].strip() == key:
            return i, len(raw) - len(raw.lstrip()) + 1
    return 0, 0


def _fonts(theme: Theme) -> list[Diagnostic]:
    """Each font the theme names must be a font the planners can measure."""
    from deckgen.fonts import load_metrics

    problems = []
    for path in theme.font_files():
        try:
            load_metrics(path)
        except Exception as exc:  # fontTools raises many kinds on a file that is not a font
            where = shown(theme.file) if theme.file else shown(path)
            message = f"{path.name} is not a usable TrueType font ({type(exc).__name__})"
            problems.append(Diagnostic(where, 0, 0, "fonts", message))
    return problems


PLACEHOLDER_LOGO = "deckgen-mark.png"  # the built-in mark deckgen init copies in as a logo


def _placeholder_logo(theme: Theme) -> list[Diagnostic]:
    """A warning while the theme's logo is deckgen's placeholder mark, not the unit's own:
    a deck meant for use must not carry it (``--strict`` refuses it)."""
    import hashlib

    from deckgen.project import builtin

    logo = theme.logo_path()
    if logo is None or not logo.is_file():
        return []
    mark = builtin("logos") / PLACEHOLDER_LOGO
    if hashlib.sha256(logo.read_bytes()).digest() != hashlib.sha256(mark.read_bytes()).digest():
        return []
    where, line = shown(theme.file) if theme.file else shown(logo), 0
    if theme.file:
        lines = theme.file.read_text(encoding="utf-8", errors="replace").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if text.startswith("logo:")), 0)
    message = (
        f"the logo {shown(logo)} is deckgen's placeholder mark: replace it with your "
        "organisation's logo, or delete the theme's logo line"
    )
    return [Diagnostic(where, line, 1 if line else 0, "logo", message, Severity.WARNING)]


def _template(theme: Theme, override: Path | None) -> list[Diagnostic]:
    """The template's mapped layouts and placeholders must exist (as the deck needs them)."""
    path = override or theme.template_path()
    if path is None or theme.template is None:
        return []
    from deckgen.template import check_template, inspect_template

    try:
        check_template(inspect_template(path), theme.template, shown(path))
    except InputError as err:
        return list(err.diagnostics)
    return []


def _language(outline: Outline) -> list[Diagnostic]:
    """One notice when the outline's language has no message catalogue (English stands in)."""
    from deckgen.plan.catalogue import language_notice

    line, col = outline.where("meta", "language")
    notice = language_notice(outline.file, line, col, outline.meta.language)
    return [notice] if notice is not None else []


def preflight(
    path: Path,
    *,
    theme: str | None = None,
    template: str | None = None,
    max_sections: int | None = None,
    hasher: Hasher | None = None,
    since: str | None = None,
) -> Inputs:
    """Read and check ``path`` and everything it draws on; raise every problem found.

    Inputs are hashed before (or as) they are read, so an edit during a build can only make the
    next run rebuild, never make it skip.
    """
    from deckgen.build_state import Hasher, sha256_bytes
    from deckgen.images import image_files, outline_images
    from deckgen.outline import (
        MAX_SECTIONS,
        metric_warnings,
        parse_outline,
        read_outline,
        scaled_limits,
    )
    from deckgen.theme import load_theme

    hasher = hasher or Hasher()
    limits = scaled_limits(max_sections or MAX_SECTIONS)
    data = read_outline(path, limits.max_bytes)  # a FIFO or a huge file: refused unread
    hashes = {os.path.abspath(path): sha256_bytes(data)}
    project = project_of(path)
    if project.config is not None:
        hashes[os.path.abspath(project.config)] = hasher.file(project.config) or ""
    outline = parse_outline(
        data, str(path), limits=limits, max_sections=max_sections or MAX_SECTIONS
    )
    found, unknown = _theme_ref(outline, project, theme)
    if unknown is not None:
        raise InputError([unknown])
    hashes[os.path.abspath(found)] = hasher.file(found) or ""
    override = Path(template) if template else None
    loaded = load_theme(found, need_template=override is None)
    problems = _fonts(loaded) + _template(loaded, override)
    try:
        outline_images(outline, loaded)
    except InputError as err:
        problems += err.diagnostics
    if problems:
        raise InputError(problems)
    extra = [override] if override else []
    for file in [*loaded.files(), *image_files(outline, loaded), *extra]:
        hashes[os.path.abspath(file)] = hasher.file(file) or ""
    warnings = metric_warnings(outline) + _placeholder_logo(loaded) + _language(outline)
    previous, label = None, None
    if since:
        from deckgen.history import older
        from deckgen.model import Since

        found_older = older(path, since)
        hashes[found_older.key] = found_older.fingerprint
        previous = parse_outline(
            found_older.data,
            found_older.file,
            limits=limits,
            max_sections=max_sections or MAX_SECTIONS,
        )
        kind: Literal["file", "revision"] = (
            "file" if found_older.key.startswith("/") else "revision"
        )
        label = Since(previous.meta.date, kind, found_older.revision)
    return Inputs(outline, project, loaded, override, hashes, warnings, previous, label)


def plan_diagnostics(
    inputs: Inputs, formats: tuple[str, ...], epoch: str = "", deck: str | None = None
) -> list[Diagnostic]:
    """What the planners of ``formats`` have to say (fit, continuations, glyphs), without rendering.

    The renderers report exactly these (each plans the same way), so ``deckgen check`` can judge
    ``--strict`` as ``deckgen build`` would.
    """
    from deckgen.plans import Job, prepare
    from deckgen.render import FORMATS
    from deckgen.reproducible import pinned_time

    created = pinned_time(inputs.outline.meta.date, {"SOURCE_DATE_EPOCH": epoch})
    source = Path(inputs.outline.file)
    job = Job(inputs.outline, inputs.theme, source, created, inputs.template, deck)
    prepared = prepare(job)
    found: list[Diagnostic] = []
    for kind in dict.fromkeys(FORMATS[f].plan for f in formats if f in FORMATS):
        found += prepared.plan(kind).diagnostics
    return list(dict.fromkeys(found))  # the deck and the brief both report missing glyphs

"""Project scaffolding: a folder in, a ready deckgen project in it out (``deckgen init``).

The project has everything a unit needs to keep its assessments in its own repository:
``deckgen.toml`` (the root marker and defaults), ``outlines/`` with a commented example,
``assets/`` with a house theme to edit (the default theme, with the unit's logo in
``assets/logos/``), folders for templates and pictures, the Makefile every deckgen project shares,
a ``.gitignore``, and the outline JSON Schema that the outlines' first line points editors at.
Files that already exist are kept unless ``force`` is given, so ``init`` also adopts an existing
folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from deckgen.project import builtin

HOUSE_LOGO = "assets/logos/logo.png"


def house_theme() -> str:
    """The built-in default theme, renamed ``house``, with its logo in the project's logos."""
    text = (builtin("themes") / "default.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # The default theme's own header comment and its name/logo lines are replaced; the rest
    # (palette, fonts, sizes, each with its comment) is the unit's to edit.
    body = [ln for ln in lines if not ln.startswith(("#", "name:", "logo:"))]
    head = [
        "# The house theme: the look of this project's decks and briefs, to make your own.",
        "# It started as deckgen's built-in default theme. Paths are relative to this file; the",
        "# font names below are deckgen's built-in fonts (put your own .ttf files beside this",
        "# theme, or in a folder of the project, and name them by path to use them instead).",
        "name: house",
        "logo: ../logos/logo.png             # replace assets/logos/logo.png with your own mark",
    ]
    tail = [
        "# Build the deck on a corporate slide master (see `deckgen inspect-template FILE`):",
        "# template:",
        "#   file: ../templates/corporate.pptx",
        "#   layouts:",
        '#     content: "Title Only"',
        '#     title: "Title Slide"',
    ]
    return "\n".join([*head, *body, *tail]) + "\n"


def _schema() -> str:
    from deckgen.outline import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def _starter() -> str:
    from deckgen.starter import STARTER

    return STARTER


def _skeleton(name: str) -> Callable[[], bytes]:
    return lambda: (builtin("project") / name).read_bytes()


def _text(make: Callable[[], str]) -> Callable[[], bytes]:
    return lambda: make().encode("utf-8")


# Relative path -> its bytes, in the order they are reported.
FILES: dict[str, Callable[[], bytes]] = {
    "deckgen.toml": _skeleton("deckgen.toml"),
    "Makefile": _skeleton("Makefile"),
    ".gitignore": _skeleton("gitignore"),
    "outlines/example.yaml": _text(_starter),
    "schema/outline.schema.json": _text(_schema),
    "assets/README.md": _skeleton("README.md"),
    "assets/themes/house.yaml": _text(house_theme),
    HOUSE_LOGO: lambda: (builtin("logos") / "deckgen-mark.png").read_bytes(),
    # Empty folders are not kept by git; a placeholder keeps them in a fresh clone.
    "assets/templates/.gitkeep": lambda: b"",
    "assets/images/.gitkeep": lambda: b"",
}


def init_project(folder: Path, *, force: bool = False) -> list[tuple[str, bool]]:
    """Write the project files into ``folder``; return each path and whether it was written.

    An existing file is kept (False) unless ``force``.
    """
    done = []
    for rel, make in FILES.items():
        path = folder / rel
        if path.exists() and not force:
            done.append((rel, False))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        done.append((rel, True))
    return done

"""Projects: a path in, its project (``deckgen.toml``, defaults) and where its files are found out.

The built-in themes, fonts and logo ship inside the package (``deckgen/assets/``) and are found
with :mod:`importlib.resources`, so an installed wheel finds them wherever it is installed.
"""

from __future__ import annotations

import contextlib
import importlib.resources
from functools import cache
from pathlib import Path


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

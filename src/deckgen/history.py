"""History: an outline path and a reference to an older version of it in, that version's bytes,
the words that name it and a fingerprint for the build state out.

The reference is a file (``--since briefed.yaml``) or a git revision of the outline's repository
(``--since briefed-2025-01-09``, ``--since HEAD~3``), read with ``git show REV:path``. Either way
the older version is an input of the build: its fingerprint is recorded with the other inputs,
so a moving tag that now names another commit rebuilds what depends on it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from deckgen.diagnostics import COMMAND_LINE, Diagnostic, InputError
from deckgen.files import LIMITS, read_input

GIT_KEY = "git:"  # state-input keys of git revisions (not files: no depfile line)


@dataclass(frozen=True, slots=True)
class Older:
    """An older version of an outline."""

    data: bytes
    file: str  # how diagnostics name it: the file, or "REV:path"
    revision: str  # "abc1234", or the file's name
    key: str  # its key among the build's inputs (an absolute path, or a git key)
    fingerprint: str  # what changes when the version the reference names changes


def _refuse(ref: str, message: str) -> InputError:
    return InputError([Diagnostic(COMMAND_LINE, 0, 0, "--since", f"{ref}: {message}")])


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise FileNotFoundError("git")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(
        [git, *args], cwd=cwd, capture_output=True, timeout=60, check=False, env=env
    )


def older(outline: Path, ref: str, base: Path | None = None) -> Older:
    """The version of ``outline`` that ``ref`` names: a file (relative to ``base``, by default
    the working directory), else a git revision of the outline's repository."""
    candidate = Path(ref) if Path(ref).is_absolute() or base is None else base / ref
    if candidate.exists():
        data = read_input(candidate, limit=LIMITS["outline"], what="older outline")
        digest = hashlib.sha256(data).hexdigest()
        return Older(data, str(candidate), candidate.name, os.path.abspath(candidate), digest)
    if ref.startswith("-") or not ref.strip():
        raise _refuse(ref, "not a file, and not a revision name (it may not start with '-')")
    folder = outline.resolve().parent
    try:
        top = _git("rev-parse", "--show-toplevel", cwd=folder)
    except FileNotFoundError:
        raise _refuse(ref, "no such file, and git is not installed to read a revision") from None
    if top.returncode != 0:
        raise _refuse(
            ref, f"no such file, and {folder} is not in a git repository to read a revision of"
        )
    root = Path(top.stdout.decode().strip())
    commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=root)
    if commit.returncode != 0:
        raise _refuse(ref, f"no such file, and no such revision in the repository {root}")
    sha = commit.stdout.decode().strip()
    rel = outline.resolve().relative_to(root.resolve()).as_posix()
    shown = _git("show", f"{sha}:{rel}", cwd=root)
    if shown.returncode != 0:
        raise _refuse(ref, f"{rel} did not exist at {ref} (commit {sha[:7]})")
    data = shown.stdout
    if len(data) > LIMITS["outline"]:
        raise _refuse(ref, f"{rel} at {ref} is {len(data)} bytes; the limit is {LIMITS['outline']}")
    digest = hashlib.sha256(data).hexdigest()
    key = f"{GIT_KEY}{root}:{ref}:{rel}"
    return Older(data, f"{ref}:{rel}", sha[:7], key, f"{sha}:{digest}")


def fingerprint(key: str) -> str | None:
    """The current fingerprint of a git input key (None when it no longer resolves)."""
    body = key.removeprefix(GIT_KEY)
    root, ref, rel = body.split(":", 2) if body.count(":") >= 2 else ("", "", "")
    # ``root`` is absolute (no colon in it on POSIX); the revision may contain none either.
    try:
        commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=Path(root))
    except (FileNotFoundError, OSError):
        return None
    if commit.returncode != 0:
        return None
    sha = commit.stdout.decode().strip()
    shown = _git("show", f"{sha}:{rel}", cwd=Path(root))
    if shown.returncode != 0:
        return None
    return f"{sha}:{hashlib.sha256(shown.stdout).hexdigest()}"

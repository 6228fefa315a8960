"""Build state on disk: input files in, content hashes, state records and atomic writes out.

Everything here is cheap to import (standard library only) because the no-op path of
``deckgen build`` runs on it alone: it hashes the recorded inputs, compares them with the state
file and stats the outputs, without parsing an outline or importing a renderer.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1
STATE_DIR = ".deckgen"
_TEMP = re.compile(r"^\..+\.(\d+)\.tmp$")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Hasher:
    """Content hashes of files, computed once per process (fonts are shared by every outline)."""

    def __init__(self) -> None:
        self._cache: dict[str, str | None] = {}

    def file(self, path: str | Path) -> str | None:
        """The SHA-256 of the file's bytes, or None when it cannot be read."""
        key = str(path)
        if key not in self._cache:
            try:
                with open(key, "rb") as fh:
                    self._cache[key] = hashlib.file_digest(fh, "sha256").hexdigest()
            except OSError:
                self._cache[key] = None
        return self._cache[key]

    def forget(self, path: str | Path) -> None:
        self._cache.pop(str(path), None)


_CODE: str | None = None


def code_fingerprint() -> str:
    """deckgen's version plus a hash of its own source, so a changed renderer rebuilds."""
    global _CODE
    if _CODE is None:
        from deckgen import __version__

        root = Path(__file__).resolve().parent
        h = hashlib.sha256(__version__.encode())
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
        _CODE = f"{__version__}+{h.hexdigest()[:16]}"
    return _CODE


def target_key(
    inputs: Mapping[str, str],
    fmt: Mapping[str, str],
    options: Mapping[str, str],
    code: str,
) -> str:
    """One hash over everything a target is made from; equal keys mean equal inputs."""
    blob = json.dumps(
        {"inputs": dict(sorted(inputs.items())), "format": fmt, "options": options, "code": code},
        sort_keys=True,
        separators=(",", ":"),
    )
    return sha256_bytes(blob.encode())


@dataclass(slots=True)
class TargetRecord:
    """What the last successful build of one format of one outline made, and from what."""

    path: str
    suffix: str
    target: str
    key: str
    output: str  # SHA-256 of the output bytes
    size: int
    mtime_ns: int
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def output_intact(self, hasher: Hasher) -> bool:
        """The output file is still the one recorded (size+mtime fast path, then content)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        if st.st_size != self.size:
            return False
        if st.st_mtime_ns == self.mtime_ns:
            return True
        hasher.forget(self.path)
        return hasher.file(self.path) == self.output


@dataclass(slots=True)
class OutlineState:
    """The state file of one outline: its inputs' hashes and one record per format built."""

    outline: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    targets: dict[str, TargetRecord] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {
            "version": STATE_VERSION,
            "outline": self.outline,
            "inputs": dict(sorted(self.inputs.items())),
            "targets": {
                name: {
                    "path": t.path,
                    "suffix": t.suffix,
                    "target": t.target,
                    "key": t.key,
                    "output": t.output,
                    "size": t.size,
                    "mtime_ns": t.mtime_ns,
                    "warnings": t.warnings,
                }
                for name, t in sorted(self.targets.items())
            },
        }
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def read_state(path: Path) -> OutlineState:
    """The state at ``path``; an empty state when it is missing, unreadable or from elsewhere."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("version") != STATE_VERSION:
            return OutlineState()
        targets = {name: TargetRecord(**rec) for name, rec in data["targets"].items()}
        return OutlineState(str(data["outline"]), dict(data["inputs"]), targets)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return OutlineState()


def state_dir(out_dir: Path) -> Path:
    return out_dir / STATE_DIR


def state_path(out_dir: Path, stem: str) -> Path:
    return state_dir(out_dir) / f"{stem}.json"


def temp_path(path: Path) -> Path:
    """The temporary sibling ``path`` is written through: ``.<name>.<pid>.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically make ``path`` hold ``data``; leave it untouched when it already does.

    The bytes go to a temporary file in the same directory, are flushed to disk, then renamed
    over ``path``, so a reader (or a crash) sees the old file or the new one, never a mix.
    Returns True when the file was written.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)
    return True


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_temp_files(directories: Sequence[Path]) -> list[Path]:
    """Remove temporary files left by killed builds (their writer's pid is gone)."""
    removed: list[Path] = []
    for directory in directories:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            m = _TEMP.match(name)
            if m and not _alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)
                    removed.append(directory / name)
    return removed


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (created if needed) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def touch(path: Path) -> None:
    """Create ``path`` or bump its mtime (Make stamps)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab"):
        pass
    os.utime(path)

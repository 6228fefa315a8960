"""Build state on disk: input files in, content hashes, state records and atomic writes out.

Everything here is cheap to import (standard library only) because the no-op path of
``deckgen build`` runs on it alone: it hashes the recorded inputs, compares them with the state
file and stats the outputs, without parsing an outline or importing a renderer.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.files import (
    BINARY,
    CLOEXEC,
    NONBLOCK,
    check_own,
    create_temp,
    own_dir,
    read_own,
)

STATE_VERSION = 1
STATE_DIR = ".deckgen"
# Temporary files: ``.<name>.<pid>.<random>.tmp`` (see files.temp_name); the older
# ``.<name>.<pid>.tmp`` of earlier versions is still cleaned up.
_TEMP = re.compile(r"^\..+\.(\d+)(\.[0-9a-f]{16})?\.tmp$")
# State and snapshot files are a few kB per section; anything far larger is not ours.
STATE_LIMIT = 64 * 1024 * 1024
# No input may be larger than this (see files.LIMITS; outlines scale with --max-sections).
HASH_LIMIT = 1024 * 1024 * 1024


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Hasher:
    """Content hashes of files, computed once per process (fonts are shared by every outline)."""

    def __init__(self) -> None:
        self._cache: dict[str, str | None] = {}

    def file(self, path: str | Path) -> str | None:
        """The SHA-256 of the file's bytes, or None when it cannot be read.

        Only a regular file within :data:`HASH_LIMIT` is hashed (a FIFO does not block, a huge
        sparse file is not read); anything else is None, "changed", and the build that follows
        reports it.
        """
        key = str(path)
        if key not in self._cache:
            self._cache[key] = None
            with contextlib.suppress(OSError):
                fd = os.open(key, os.O_RDONLY | NONBLOCK | CLOEXEC | BINARY)
                with os.fdopen(fd, "rb") as fh:
                    st = os.fstat(fd)
                    if stat.S_ISREG(st.st_mode) and st.st_size <= HASH_LIMIT:
                        self._cache[key] = hashlib.file_digest(fh, "sha256").hexdigest()
        return self._cache[key]

    def forget(self, path: str | Path) -> None:
        self._cache.pop(str(path), None)


_CODE: str | None = None


def code_fingerprint() -> str:
    """deckgen's version plus a hash of its own source and message catalogues, so a changed
    renderer or fixed word rebuilds (themes, fonts and logos are inputs of their own)."""
    global _CODE
    if _CODE is None:
        from deckgen import __version__

        root = Path(__file__).resolve().parent
        h = hashlib.sha256(__version__.encode())
        for path in sorted([*root.rglob("*.py"), *root.rglob("*.po")]):
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
            st = os.lstat(self.path)  # a link in the output's place is not the output
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode) or st.st_size != self.size:
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
        raw = read_own(path, STATE_LIMIT)
        if raw is None:
            return OutlineState()
        data = json.loads(raw)
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


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically make ``path`` hold ``data``; leave it untouched when it already does.

    The bytes go to a new temporary file in the same directory (created with ``O_EXCL`` under an
    unpredictable name), are flushed to disk, then renamed over ``path``, so a reader (or a
    crash) sees the old file or the new one, never a mix. A link, folder or FIFO at ``path``
    is refused (:class:`RefusedPath`) and left as it is. Returns True when the file was written.
    """
    if read_own(path, len(data)) == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temp(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        check_own(path)  # planted since the comparison above: still refused
        os.replace(tmp, path)  # replaces the name itself, never a link's target
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.filename != str(path):
            # os.write and fsync name no file, os.replace names the temporary one: name the
            # file that could not be written.
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
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
    """Hold an exclusive lock on ``path`` (created if needed) for the block.

    The lock comes from the ``filelock`` library: ``flock`` where the system has it (POSIX),
    ``LockFileEx`` on Windows, and elsewhere (no ``fcntl`` module) a lock file holding the
    owner's pid that a later build takes over once that process is gone. ``filelock`` opens the
    file with ``O_NOFOLLOW``; the lock file lives in deckgen's state folder, and a link in the
    place of either is refused by name. A forked child does not keep the lock (``filelock``
    closes it there), so a killed build's lock is free as soon as the build is gone.
    """
    own_dir(path.parent)
    check_own(path)
    lock = _file_lock(path)
    try:
        lock.acquire()
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # a link planted since check_own
            check_own(path)
        raise
    try:
        yield
    finally:
        lock.release()


def _file_lock(path: Path) -> Any:
    """A ``filelock.FileLock`` (imported here: the no-op path takes no lock)."""
    import warnings

    with warnings.catch_warnings():
        # Without fcntl, filelock says once that it falls back to its pid-file lock: expected.
        warnings.filterwarnings("ignore", "only soft file lock is available")
        import filelock

    return filelock.FileLock(str(path))


def touch(path: Path) -> None:
    """Give the Make stamp ``path`` a new mtime: a fresh empty file renamed into its place.

    Nothing is opened at ``path`` itself, so nothing planted there is written to.
    """
    own_dir(path.parent)
    check_own(path)
    fd, tmp = create_temp(path)
    os.close(fd)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc

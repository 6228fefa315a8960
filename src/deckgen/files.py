"""Paths in, checked file descriptors out: deckgen's own files are never reached through a link.

An output folder may be shared (a scheduled job running as root on a group-writable folder), so
anything found at the place of one of deckgen's own files (output, temporary, lock, stamp, state,
depfile, ``changes.md``) is treated as planted until proven otherwise: a symbolic link there is
refused with a message naming the path, never followed, and the link's target is left alone.
New files are created with ``O_CREAT | O_EXCL`` (which never follows a link) under names that
carry the writer's pid and a random part, so no name can be predicted and prepared in advance.

Standard library only: the no-op path of ``deckgen build`` imports this.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

# Flags that do not exist everywhere (O_NOFOLLOW and O_NONBLOCK are POSIX, O_BINARY Windows).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once (and is then refused by fstat)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
BINARY = getattr(os, "O_BINARY", 0)

TEMP_SUFFIX = ".tmp"


class RefusedPath(OSError):
    """Something that is not deckgen's own regular file stands where deckgen keeps one.

    An :class:`OSError` (``errno``, ``strerror``, ``filename``), so every place that reports a
    failed write reports this too, naming the path; kept to the standard constructor so that it
    crosses from a worker process intact.
    """


def refused(path: str | Path, what: str, own: str = "file") -> RefusedPath:
    """The error for ``path`` holding ``what`` (e.g. "a symbolic link (to /etc/passwd)")."""
    message = (
        f"{what} stands where deckgen keeps its own {own}; deckgen does not write through it "
        "(remove it and build again)"
    )
    return RefusedPath(errno.EEXIST, message, str(path))


def kind_of(mode: int) -> str:
    """A reader's name for a file type: "a folder", "a FIFO", ..."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _link(path: str | Path, own: str = "file") -> RefusedPath:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return refused(path, f"a symbolic link (to {target})", own)


def check_own(path: str | Path) -> None:
    """Raise :class:`RefusedPath` when ``path`` exists and is not a regular file (links too)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _link(path)
    if not stat.S_ISREG(st.st_mode):
        raise refused(path, kind_of(st.st_mode))


def open_own(path: str | Path, flags: int, mode: int = 0o666) -> int:
    """Open one of deckgen's own files without following a link; the descriptor is a regular file.

    ``flags`` are the access flags (``os.O_RDONLY``, ``os.O_RDWR | os.O_CREAT``...). A link at
    ``path`` is refused (``O_NOFOLLOW``; where the system lacks it, checked just before), as is a
    folder, FIFO or device, without blocking on it.
    """
    if not NOFOLLOW:
        check_own(path)
    try:
        fd = os.open(path, flags | NOFOLLOW | NONBLOCK | CLOEXEC | BINARY, mode)
    except OSError as exc:
        # O_NOFOLLOW on a link fails with ELOOP (Linux, macOS) or EMLINK (FreeBSD).
        if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise _link(path) from None
        raise
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise refused(path, kind_of(st.st_mode))
    return fd


def read_own(path: str | Path, limit: int) -> bytes | None:
    """The bytes of one of deckgen's own files, or None when it is missing or over ``limit``.

    A link, folder or FIFO in its place raises :class:`RefusedPath` (it is never read).
    """
    try:
        fd = open_own(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        if os.fstat(fd).st_size > limit:
            return None
        return read_all(fd, limit)
    finally:
        os.close(fd)


def read_all(fd: int, limit: int) -> bytes | None:
    """Read ``fd`` to its end; None when it holds more than ``limit`` bytes (reading stops)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


def temp_name(path: Path) -> Path:
    """A fresh temporary sibling of ``path``: ``.<name>.<pid>.<16 random hex digits>.tmp``.

    The pid lets a later run see that the writer is gone (see ``clean_temp_files``); the random
    part makes the name impossible to predict, so nothing can be planted there beforehand.
    """
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}{TEMP_SUFFIX}")


def create_temp(path: Path) -> tuple[int, Path]:
    """Create a new temporary sibling of ``path`` (``O_EXCL``: never an existing file or link)."""
    for _ in range(16):
        tmp = temp_name(path)
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC | BINARY, 0o666
            )
        except FileExistsError:  # 64 random bits taken: astronomically unlikely, try again
            continue
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def own_dir(path: Path) -> Path:
    """Create deckgen's own folder ``path`` (and its parents); a link in its place is refused."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise _link(path, "folder")
    path.mkdir(parents=True, exist_ok=True)  # a file there: FileExistsError, naming it
    return path

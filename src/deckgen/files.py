"""Paths in, checked file descriptors and bytes out: own files never reached through a link,
inputs read only when they are regular files within their size limit.

An output folder may be shared (a scheduled job running as root on a group-writable folder), so
anything found at the place of one of deckgen's own files (output, temporary, lock, stamp, state,
depfile, ``changes.md``) is treated as planted until proven otherwise: a symbolic link there is
refused with a message naming the path, never followed, and the link's target is left alone.
New files are created with ``O_CREAT | O_EXCL`` (which never follows a link) under names that
carry the writer's pid and a random part, so no name can be predicted and prepared in advance.

Inputs (outline, theme, template, picture, font) come from many hands: :func:`read_input` opens
each once, without blocking, checks the open descriptor (a FIFO, device or folder is refused at
once, a file over its limit before a byte is read) and reads it whole. The limits of every kind
of input are named here, in :data:`LIMITS`.

Standard library only (and the diagnostics): the no-op path of ``deckgen build`` imports this.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from deckgen.diagnostics import Diagnostic, InputError

# Flags that do not exist everywhere (O_NOFOLLOW and O_NONBLOCK are POSIX, O_BINARY Windows).
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once (and is then refused by fstat)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
BINARY = getattr(os, "O_BINARY", 0)

TEMP_SUFFIX = ".tmp"

MB = 1024 * 1024
# The largest input of each kind, in bytes, checked on the open descriptor before reading.
LIMITS = {
    # The YAML loader's own bound (yamlsafe.Limits), scaled with --max-sections for benchmarks.
    "outline": 4 * MB,
    # Shipped themes are about 3 kB; a thousand times that is still a theme.
    "theme": 1 * MB,
    # Corporate templates with their pictures and fonts embedded run to tens of MB; the zip's
    # members are bounded again before anything is inflated (see deckgen.template).
    "template": 100 * MB,
    # 40 megapixels (images.MAX_PIXELS) of 8-bit RGB is 120 MB even stored uncompressed.
    "picture": 128 * MB,
    # The largest common fonts (Noto Sans CJK, variable fonts) are 16 to 30 MB.
    "font": 32 * MB,
    # A font's metrics sidecar (JSON) is under 200 kB for the bundled fonts.
    "sidecar": 16 * MB,
}


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


Locate = Callable[[str], Diagnostic]


def read_input(
    path: str | Path,
    *,
    limit: int,
    what: str = "file",
    locate: Locate | None = None,
    missing_hint: str = "",
) -> bytes:
    """The bytes of input file ``path``, read only if it is a regular file of at most ``limit``.

    The file is opened once (links followed: an outline may well be a link) without blocking,
    so a FIFO cannot hang the build; the open descriptor is checked with ``fstat``: a FIFO,
    device or folder is refused at once, a file over ``limit`` before a byte is read (a 3 GB
    sparse file costs nothing), and reading stops past ``limit`` should the file grow meanwhile.
    Problems raise :class:`InputError`, located by ``locate`` (default: the file, line 0);
    ``missing_hint`` follows the message when the file cannot be opened.
    """

    def fail(message: str) -> InputError:
        diag = locate(message) if locate else Diagnostic(str(path), 0, 0, "", message)
        return InputError([diag])

    try:
        fd = os.open(path, os.O_RDONLY | NONBLOCK | CLOEXEC | BINARY)
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror}{missing_hint}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise fail(f"{what} is {kind_of(st.st_mode)}, not a regular file; it is not read")
        if st.st_size > limit:
            raise fail(f"file is {st.st_size} bytes; the limit is {limit}")
        data = read_all(fd, limit)
        if data is None:
            raise fail(f"file grew past the limit of {limit} bytes while being read")
        return data
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror}") from None
    finally:
        os.close(fd)


def regular_size(path: str | Path) -> int | None:
    """The size of ``path`` when it is a regular file (links followed), else None; never blocks."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None

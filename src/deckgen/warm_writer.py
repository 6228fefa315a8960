"""Writer processes: plans and prepared assets in, one format's bytes out, written in another
process while this one plans or writes another format. A watch keeps one for its whole life
(:class:`WarmWriter`); a cold build forks one before it reads the outline (:class:`EarlyWriter`),
so that the writers' imports overlap reading and planning.

A cold build used to fork its second format's writer after planning, so that writer imported
its libraries only then. A watch should not fork each round at all: the child's first writes
copy pages of a large, warm process (25 to 50 ms on the brief's path), and a process running
the live page's server threads is best not forked. So a watch starts its writer process once,
which imports the writers and keeps them, with reportlab's registered fonts, warm from round
to round. A round sends it a plan and the assets, about 50 KB pickled for the Rutte brief (4 ms
each way), and reads the bytes back when its own format is written.

The watch's process is started with the running interpreter and the running ``deckgen``
package; the cold build's is forked while the building process is still small. Either ends
when its input closes (the build or watch ended, or the watch exec'd itself afresh after a
font changed), ignores Ctrl-C (its parent handles it) and dies with its parent if the parent is
killed. If it dies, the format is written in the parent's own process (and a watch starts a
new writer with the next round).

Framing on both pipes: an 8-byte big-endian length, then a pickle. Requests are
``(format name, plan, assets)``; replies are what a forked writer sends: ``("ok", Rendered,
seconds)``, ``("input", diagnostics)`` or ``("internal", message)``, in the order asked.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

LENGTH = 8


class WriterGone(Exception):
    """The writer process ended before it replied, or cannot be sent the plan: write the format
    here instead."""


def _send(pipe: IO[bytes], obj: Any) -> None:
    _send_bytes(pipe, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _send_bytes(pipe: IO[bytes], data: bytes) -> None:
    pipe.write(len(data).to_bytes(LENGTH, "big"))
    pipe.write(data)
    pipe.flush()


def _receive(pipe: IO[bytes]) -> Any:
    """The next object on ``pipe``; EOFError when the other end has closed."""
    head = pipe.read(LENGTH)
    if len(head) < LENGTH:
        raise EOFError
    size = int.from_bytes(head, "big")
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class RemoteError(RuntimeError):
    """An exception raised in a writer process, as it was described there ("Type: message")."""

    def __init__(self, described: str) -> None:
        super().__init__(described)
        self.described = described


class Pending:
    """One format asked of the writer: :meth:`result` waits for its reply."""

    def __init__(self, writer: WarmWriter, ticket: int) -> None:
        self.writer = writer
        self.ticket = ticket
        self.generation = writer.started  # the process asked

    def result(self) -> tuple[Any, float]:
        """``(Rendered, seconds)``; InputError or RuntimeError as the writer reported them,
        :class:`WriterGone` if it ended first."""
        from deckgen.diagnostics import InputError

        if self.generation != self.writer.started:
            raise WriterGone("the writer process was restarted")
        payload = self.writer._reply(self.ticket)
        if payload[0] == "input":
            raise InputError(payload[1])
        if payload[0] == "internal":
            raise RemoteError(payload[1])
        return payload[1], payload[2]


class _Process:
    """A writer process and the two pipes to it."""

    def __init__(
        self, pid: int, requests: IO[bytes], replies: IO[bytes], alive: Any, end: Any
    ) -> None:
        self.pid = pid
        self.requests, self.replies = requests, replies
        self.alive, self._end = alive, end

    def close(self) -> None:
        for pipe in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                pipe.close()
        self._end()


class WarmWriter:
    """The watch's handle on its writer process (started on first use, and again after one
    died)."""

    def __init__(self) -> None:
        self._proc: _Process | None = None
        self._asked = 0  # tickets handed out, in order
        self._answered = 0  # replies read
        self._replies: dict[int, Any] = {}
        self.started = 0  # processes started, for tests and the curious
        self.served = 0  # replies read, over all of them
        self.formats: tuple[str, ...] | None = None  # what it writes (None: any it is asked)

    @property
    def pid(self) -> int | None:
        """The writer process's pid, while there is one."""
        return self._proc.pid if self._proc is not None else None

    def _spawn(self) -> _Process:
        """A fresh interpreter running :func:`serve` (not a fork of this process)."""
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "deckgen.warm_writer", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdin is not None
        assert proc.stdout is not None

        def end() -> None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

        return _Process(proc.pid, proc.stdin, proc.stdout, lambda: proc.poll() is None, end)

    def _start(self) -> _Process:
        if self._proc is not None and self._proc.alive():
            return self._proc
        self.close()
        self._proc = self._spawn()
        self._asked = self._answered = 0
        self._replies.clear()
        self.started += 1
        return self._proc

    def submit(self, fmt: str, plan: Any, assets: Any) -> Pending:
        """Ask for one format's bytes; raises :class:`WriterGone` if the process cannot take
        the request (the caller writes the format itself)."""
        try:
            request = pickle.dumps((fmt, plan, assets), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise WriterGone(f"the plan cannot be sent: {exc}") from exc  # the process lives on
        proc = self._start()
        try:
            _send_bytes(proc.requests, request)
        except (BrokenPipeError, OSError) as exc:
            self.close()
            raise WriterGone(str(exc)) from exc
        self._asked += 1
        return Pending(self, self._asked)

    def _reply(self, ticket: int) -> Any:
        proc = self._proc
        while ticket not in self._replies:
            if proc is None or ticket <= self._answered:
                raise WriterGone("the writer process ended")
            try:
                payload = _receive(proc.replies)
            except (EOFError, OSError) as exc:
                self.close()
                raise WriterGone("the writer process ended") from exc
            self._answered += 1
            self.served += 1
            self._replies[self._answered] = payload
        return self._replies.pop(ticket)

    def close(self) -> None:
        """End the process (it sees its input close) and wait for it."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.close()


class EarlyWriter(WarmWriter):
    """A cold build's writer: forked at once, before the outline is read, importing the
    writers of ``formats`` while this process reads, checks and plans the outline.

    Measured on the Rutte deck alone (``--format pptx``): the deck writer's imports
    (python-pptx, lxml, XlsxWriter: about 0.15 s) overlap reading the outline (about 0.3 s)
    instead of following the plan; sending the plan costs about 10 ms here and 15 to 40 ms
    there (unpickling). Forked, not spawned: this process is small yet (the CLI and build code,
    no model), so the fork is cheap, and the child needs no interpreter start. It is used once
    and never restarted: if it dies, the build writes the format itself.
    """

    def __init__(self, formats: Sequence[str]) -> None:
        super().__init__()
        self.formats = tuple(formats)
        self._proc = self._fork(self.formats)
        self.started = 1

    @staticmethod
    def _fork(formats: tuple[str, ...]) -> _Process:
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: import the writers, answer, never return
            status = 0
            try:
                os.close(requests_w)
                os.close(replies_r)
                with (
                    os.fdopen(requests_r, "rb") as requests,
                    os.fdopen(replies_w, "wb") as replies,
                ):
                    serve(parent, requests, replies, formats)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(requests_r)
        os.close(replies_w)
        done: list[bool] = []

        def alive() -> bool:
            if not done:
                with contextlib.suppress(ChildProcessError):
                    if os.waitpid(pid, os.WNOHANG)[0] == 0:
                        return True
                done.append(True)
            return False

        def end() -> None:
            if not done:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
                done.append(True)

        return _Process(pid, os.fdopen(requests_w, "wb"), os.fdopen(replies_r, "rb"), alive, end)

    def _start(self) -> _Process:
        if self._proc is None:  # used once: a dead one is not replaced
            raise WriterGone("the writer process ended")
        return self._proc


def serve(
    parent: int, requests: IO[bytes], replies: IO[bytes], formats: Sequence[str] = ()
) -> None:
    """The writer process: import the writers of ``formats``, then answer requests until the
    input closes."""
    from deckgen.diagnostics import InputError
    from deckgen.lifeline import die_with_parent
    from deckgen.render import FORMATS, Rendered

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with_parent(parent)
    for fmt in formats:
        FORMATS[fmt].writer()
    while True:
        try:
            fmt, plan, assets = _receive(requests)
        except EOFError:
            return
        t0 = time.perf_counter()
        try:
            data = FORMATS[fmt].writer()(plan, assets)
            payload: tuple[Any, ...] = (
                "ok",
                Rendered(data, list(plan.diagnostics)),
                time.perf_counter() - t0,
            )
        except InputError as err:
            payload = ("input", list(err.diagnostics))
        except Exception as exc:
            payload = ("internal", f"{type(exc).__name__}: {exc}")
        try:
            _send(replies, payload)
        except (BrokenPipeError, OSError):
            return


if __name__ == "__main__":
    # Replies go on the real stdout only: anything a library prints goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(int(sys.argv[1]), sys.stdin.buffer, out)

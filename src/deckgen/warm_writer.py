"""A watch's second writer: plans and prepared assets in, one format's bytes out, written in a
long-lived process beside the watch while the watch writes the other format itself.

A cold build writes its second format in a process forked after planning
(:func:`deckgen.build._fork_render`). A watch should not fork each round: the child's first
writes copy pages of a large, warm process (25 to 50 ms on the brief's path), the child starts
with cold writers when the watch's were never used, and a process running the live page's
server threads is best not forked at all. So a watch starts this process once; it imports the
writers and keeps them, with reportlab's registered fonts, warm from round to round. A round
sends it a plan and the assets, about 50 KB pickled for the Rutte brief (4 ms each way), and
reads the bytes back when its own format is written.

The process is started with the running interpreter and the running ``deckgen`` package, ends
when its input closes (the watch ended, or exec'd itself afresh after a font changed), ignores
Ctrl-C (the watch handles it) and dies with the watch if the watch is killed. If it dies, the
format is written in the watch's own process and a new writer starts with the next round.

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
from pathlib import Path
from typing import IO, Any

LENGTH = 8


class WriterGone(Exception):
    """The writer process ended before it replied: write the format here instead."""


def _send(pipe: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
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
            raise RuntimeError(payload[1])
        return payload[1], payload[2]


class WarmWriter:
    """The watch's handle on its writer process (started on first use)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._asked = 0  # tickets handed out, in order
        self._answered = 0  # replies read
        self._replies: dict[int, Any] = {}
        self.started = 0  # processes started, for tests and the curious
        self.served = 0  # replies read, over all of them

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self.close()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "deckgen.warm_writer", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._asked = self._answered = 0
        self._replies.clear()
        self.started += 1
        return self._proc

    def submit(self, fmt: str, plan: Any, assets: Any) -> Pending:
        """Ask for one format's bytes; raises :class:`WriterGone` if the process cannot take
        the request (the caller writes the format itself)."""
        proc = self._start()
        assert proc.stdin is not None
        try:
            _send(proc.stdin, (fmt, plan, assets))
        except (BrokenPipeError, OSError) as exc:
            self.close()
            raise WriterGone(str(exc)) from exc
        self._asked += 1
        return Pending(self, self._asked)

    def _reply(self, ticket: int) -> Any:
        proc = self._proc
        while ticket not in self._replies:
            if proc is None or proc.stdout is None or ticket <= self._answered:
                raise WriterGone("the writer process ended")
            try:
                payload = _receive(proc.stdout)
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
        if proc is None:
            return
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(parent: int, requests: IO[bytes], replies: IO[bytes]) -> None:
    """The writer process: answer requests until the input closes."""
    from deckgen.diagnostics import InputError
    from deckgen.lifeline import die_with_parent
    from deckgen.render import FORMATS, Rendered

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the watch's to handle
    die_with_parent(parent)
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

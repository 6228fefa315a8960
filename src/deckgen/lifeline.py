"""A forked worker or renderer in, a process that ends when its parent ends (however it ends) out.

A build's pool workers wait on a queue whose both ends they hold themselves, and a forked
renderer writes only at the end of its render, so neither notices a parent killed with SIGKILL:
measured before this module, the two workers of a killed ``-j 2`` build waited forever (about
70 MB each) and a forked renderer ran its whole render on. On Linux the kernel ends the child
with the parent (``PR_SET_PDEATHSIG``, set through ``prctl`` with ctypes); elsewhere, or if that
fails, a daemon thread looks every 0.2 s whether the parent is gone and ends the process then.
A dead worker's descriptors close, so the outline's lock is released with it.
"""

from __future__ import annotations

import os
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.2


def die_with_parent(parent: int) -> None:
    """Make this process end when process ``parent`` (its parent when forked) ends.

    Call it first thing in a forked child, with the parent's pid taken before the fork.
    """
    direct = os.getppid() == parent
    if not direct and os.name == "nt":
        return  # os.kill(pid, 0) would end the parent there: no watch for a grandchild
    if direct and _kernel_pdeathsig():
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
        return
    threading.Thread(
        target=_watch, args=(parent, direct), name="deckgen-lifeline", daemon=True
    ).start()


def _kernel_pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError, ImportError):
        return False


def _watch(parent: int, direct: bool) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if (os.getppid() != parent) if direct else not _alive(parent):
            os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True

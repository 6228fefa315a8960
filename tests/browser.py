"""Debian's Chromium, driven through its ChromeDriver with Selenium, for the live page's tests
and the README's screenshot; and ``deckgen watch --serve`` started in a folder of its own.

The flags are those that make headless Chromium work here as root and on a machine with no
network beyond the package registries: no sandbox (root), no GPU, no QUIC, and none of the
background connections (updates, sync, component downloads) a first start would try.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


@contextmanager
def chromium(binary: str, driver: str) -> Iterator[Any]:
    """A headless Chromium session with a new, empty profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="deckgen-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        browser = webdriver.Chrome(service=Service(driver), options=options)
        try:
            yield browser
        finally:
            browser.quit()


def wait_for(predicate: Callable[[], Any], what: str, seconds: float = 90) -> Any:
    """The first true value of ``predicate``, polled; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@contextmanager
def serving(folder: Path, *args: str) -> Iterator[tuple[str, Path]]:
    """``deckgen watch --serve --port 0 ARGS`` in ``folder``: the page's address and the log."""
    log = folder / "watch.log"
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deckgen", "watch", "--serve", "--port", "0", *args],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        found = wait_for(
            lambda: (
                re.search(r"live preview: (http://127\.0\.0\.1:\d+/)", log.read_text())
                or proc.poll() is not None
            ),
            "the page's address",
        )
        assert proc.poll() is None, log.read_text()
        yield found.group(1), log
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

"""The live page in a real browser: Debian's Chromium, headless, driven through ChromeDriver.

``deckgen watch --serve`` runs in a folder of its own on the Rutte outline; the test loads the
page, checks that it shows every slide and every page of the brief, edits the outline and sees
the new title appear without a reload, breaks the outline and sees the located error beside the
last good previews, mends it, and opens a slide large. Set ``DECKGEN_SCREENSHOTS=DIR`` to keep
screenshots of the page (the README's come from here).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .browser import chromium, serving, wait_for
from .conftest import RUTTE, require_tool

pytestmark = pytest.mark.interop

TRANSITION = "Rutte inherits Stoltenberg's course on Ukraine and unity"
EDITED = "Rutte keeps Stoltenberg's course on Ukraine and unity"


def _js(browser: Any, script: str) -> Any:
    return browser.execute_script(script)


def _counts(build: Path) -> tuple[int, int]:
    import pypdfium2 as pdfium

    with zipfile.ZipFile(build / "rutte.pptx") as z:
        slides = sum(1 for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    doc = pdfium.PdfDocument((build / "rutte.pdf").read_bytes())
    try:
        return slides, len(doc)
    finally:
        doc.close()


SHOWN = """
const loaded = (sel) => [...document.querySelectorAll(sel)]
  .filter((img) => img.complete && img.naturalWidth > 0).length;
return {
  version: Number(document.body.dataset.version || 0),
  slides: loaded("ol.slides img"),
  pages: loaded("ol.pages img"),
  titles: [...document.querySelectorAll("ol.slides .title")].map((n) => n.textContent),
  errors: [...document.querySelectorAll("ul.problems li.error")].map((n) => n.textContent),
  stale: Boolean(document.querySelector("section.outline .stale:not([hidden])")),
  status: document.getElementById("status").textContent,
  first: document.querySelector("ol.slides img") && document.querySelector("ol.slides img").src,
  stayed: window.stayed || null,
};
"""


def _shot(browser: Any, name: str) -> None:
    folder = os.environ.get("DECKGEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / name))


def test_the_live_page_shows_the_deck_and_brief_and_follows_every_save(tmp_path: Path) -> None:
    binary = require_tool("chromium", "chromium")
    driver = require_tool("chromedriver", "chromium-driver")
    outline = tmp_path / "outlines" / "rutte.yaml"
    outline.parent.mkdir()
    shutil.copy(RUTTE, outline)
    with serving(tmp_path, "outlines/rutte.yaml") as (url, log), chromium(binary, driver) as web:
        wait_for(lambda: "watching" in log.read_text(), "the first build")
        slides, pages = _counts(tmp_path / "build")
        web.get(url)
        first = wait_for(
            lambda: (s := _js(web, SHOWN))["slides"] == slides and s["pages"] == pages and s,
            f"{slides} slides and {pages} pages on the page",
        )
        assert slides > 10
        assert pages > 10
        assert TRANSITION in " ".join(first["titles"])
        assert first["status"] == "Up to date"
        assert not first["errors"]
        _shot(web, "live-preview.png")
        _js(web, "window.stayed = 'no reload';")

        # A save: the new title appears, and the page was not reloaded.
        outline.write_text(outline.read_text().replace(TRANSITION, EDITED), encoding="utf-8")
        edited = wait_for(
            lambda: (
                (s := _js(web, SHOWN))["version"] > first["version"]
                and EDITED in " ".join(s["titles"])
                and (s["slides"], s["pages"]) == (slides, pages)  # every new picture loaded
                and s
            ),
            "the edited title",
        )
        assert edited["stayed"] == "no reload"
        assert TRANSITION not in " ".join(edited["titles"])
        assert (edited["slides"], edited["pages"]) == (slides, pages)
        assert edited["first"] == first["first"]  # the title slide's picture did not change

        # A broken save: the error, located, beside the last good previews.
        good = outline.read_text()
        lines = good.splitlines(keepends=True)
        lines[5] = "  title: an unquoted: colon\n"
        outline.write_text("".join(lines), encoding="utf-8")
        broken = wait_for(lambda: (s := _js(web, SHOWN))["errors"] and s, "the located error")
        assert broken["errors"][0].startswith("outlines/rutte.yaml:6:"), broken["errors"]
        assert broken["stale"]
        assert broken["titles"] == edited["titles"]  # the last good previews stay
        assert (broken["slides"], broken["pages"]) == (slides, pages)
        assert broken["stayed"] == "no reload"
        _shot(web, "live-preview-error.png")

        # Mended: the error goes.
        outline.write_text(good, encoding="utf-8")
        wait_for(lambda: not (s := _js(web, SHOWN))["errors"] and not s["stale"], "the mend")

        # A slide large on click, and Esc closes it.
        web.find_element("css selector", "ol.slides li:nth-child(4) button").click()
        big = wait_for(
            lambda: _js(
                web,
                "const d = document.getElementById('large'); const i = d.querySelector('img');"
                "return d.open && i.complete && i.naturalWidth > 0"
                " && [i.naturalWidth, i.getBoundingClientRect().width,"
                " d.querySelector('figcaption').textContent];",
            ),
            "the large slide",
        )
        assert big[0] == 1280
        assert big[1] > 900  # drawn large, not as the grid's thumbnail
        assert big[2].startswith("4. ")
        assert EDITED in big[2]
        _shot(web, "live-preview-large.png")
        from selenium.webdriver.common.keys import Keys

        web.find_element("css selector", "body").send_keys(Keys.ESCAPE)
        wait_for(lambda: not _js(web, "return document.getElementById('large').open"), "Esc")

        # A page of the brief, drawn large only when it is opened.
        web.find_element("css selector", "ol.pages li:nth-child(2) button").click()
        page = wait_for(
            lambda: _js(
                web,
                "const d = document.getElementById('large'); const i = d.querySelector('img');"
                "return d.open && i.complete && i.naturalWidth > 0"
                " && [i.naturalWidth, d.querySelector('figcaption').textContent];",
            ),
            "the large page",
        )
        assert page[0] > 2 * _js(web, "return document.querySelector('ol.pages img').naturalWidth")
        assert page[1] == "2. Brief, page 2"

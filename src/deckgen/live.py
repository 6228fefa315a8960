"""Live previews: each watch round's results and plans in, the page's state and pictures out.

Slides are drawn by the preview renderer (:mod:`deckgen.render.png`) from the deck plan the build
has just written, each slide keyed by a digest of its drawing operations: a slide whose
operations did not change keeps its picture and is not drawn again (a slide costs 30 to 60 ms
to draw and encode; its operations, about 0.2 ms to list). The brief's pages are drawn small from
the PDF the build wrote (:mod:`deckgen.render.pdf_pages`), all of them, since a change can move
every page after it; each is keyed by a digest of its pixels and only new pixels are encoded. A
page opened large is drawn then, from the PDF kept here. While an outline is broken its last
good previews stay, beside the errors that stop it.

Pictures are served by digest, so the page fetches only what changed and may keep the rest.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.build import BUILT, FAILED, UNCHANGED, UP_TO_DATE, Summary, TargetResult
from deckgen.diagnostics import Diagnostic

# Slides are drawn 1,280 pixels wide: the large view on click; the grid shows them smaller.
SLIDE_WIDTH = 1280


@dataclass(slots=True)
class View:
    """What the page shows of one outline."""

    outline: str
    stem: str
    status: str = "waiting"  # "ok", "failed", or "waiting" before its first build
    built: str = ""  # the time of day of the last good build
    seconds: float = 0.0  # how long that build took
    stale: bool = False  # the previews are from an earlier build than the last round's
    diagnostics: list[Diagnostic] = field(default_factory=list)
    slides: list[tuple[str, str]] = field(default_factory=list)  # (title, picture digest)
    pages: list[str] = field(default_factory=list)  # picture digests
    brief: str = ""  # the SHA-256 of the PDF the pages were drawn from

    def as_dict(self) -> dict[str, Any]:
        return {
            "outline": self.outline,
            "stem": self.stem,
            "status": self.status,
            "built": self.built,
            "seconds": round(self.seconds, 3),
            "stale": self.stale,
            "diagnostics": [
                {"severity": d.severity.value, "text": d.format(), **_where(d)}
                for d in self.diagnostics
            ],
            "slides": [
                {"n": i + 1, "title": title, "src": f"/img/{digest}.png"}
                for i, (title, digest) in enumerate(self.slides)
            ],
            "pages": [
                {
                    "n": i + 1,
                    "src": f"/img/{digest}.png",
                    "large": f"/brief/{self.brief}/{i + 1}.png",
                }
                for i, digest in enumerate(self.pages)
            ],
        }


def _where(d: Diagnostic) -> dict[str, Any]:
    return {"file": d.file, "line": d.line, "col": d.col}


@dataclass(slots=True)
class Counts:
    """How many pictures were made (the tests' and the benchmark's view of the work done)."""

    slides_drawn: int = 0
    pages_encoded: int = 0


class Live:
    """The previews of every watched outline, kept between rounds."""

    def __init__(self, *, slide_width: int = SLIDE_WIDTH) -> None:
        self.slide_width = slide_width
        self.views: dict[str, View] = {}
        self.pictures: dict[str, bytes] = {}  # digest -> PNG bytes; what the page may fetch
        self.briefs: dict[str, bytes] = {}  # SHA-256 -> PDF bytes: the briefs shown, for pages
        # opened large (drawn on request, not after every save)
        self._slides: dict[str, str] = {}  # digest of a slide's operations -> picture digest
        self.version = 0
        self.building = False
        self.counts = Counts()

    # -- a round ---------------------------------------------------------------------------------

    def start(self) -> None:
        """A round is starting (the page says so)."""
        self.building = True
        self.version += 1

    def finish(
        self, summary: Summary, planned: Mapping[str, Any], outlines: Iterable[str] = ()
    ) -> None:
        """Take a round's results; ``planned`` maps outline paths to their prepared jobs, and
        ``outlines`` are those watched now (the views of others, removed since, go)."""
        watched = set(outlines)
        for gone in [o for o in self.views if watched and o not in watched]:
            del self.views[gone]
        by_outline: dict[str, list[TargetResult]] = {}
        for result in summary.targets:
            by_outline.setdefault(result.outline, []).append(result)
        for outline, results in by_outline.items():
            self._outline(outline, results, planned.get(outline), summary.seconds)
        self._prune()
        self.building = False
        self.version += 1

    def _outline(
        self, outline: str, results: list[TargetResult], prepared: Any, seconds: float
    ) -> None:
        view = self.views.get(outline)
        if view is None:
            view = self.views[outline] = View(outline, Path(outline).stem)
        view.diagnostics = list(dict.fromkeys(d for r in results for d in r.diagnostics))
        if any(r.status == FAILED for r in results):
            view.status = "failed"
            view.stale = bool(view.slides or view.pages)
            return
        view.status, view.stale = "ok", False
        briefs = [
            r for r in results if r.format == "pdf" and r.status in (BUILT, UNCHANGED, UP_TO_DATE)
        ]
        # The pages are drawn in a thread while the slides are drawn here: PDFium (through
        # ctypes), hashing and PNG compression all let go of the GIL, so on two cores the
        # previews take the longer of the two instead of their sum (Rutte, one section
        # edited: about 0.2 s against 0.3 s).
        pages = threading.Thread(target=self._draw_pages, args=(view, briefs)) if briefs else None
        if pages is not None:
            pages.start()
        try:
            if prepared is not None:
                view.slides = self._draw_slides(prepared)
                view.built = time.strftime("%H:%M:%S")
                view.seconds = seconds
            elif not view.built:
                view.built = time.strftime("%H:%M:%S")  # up to date when the watch started
        finally:
            if pages is not None:
                pages.join()

    # -- pictures --------------------------------------------------------------------------------

    def _draw_slides(self, prepared: Any) -> list[tuple[str, str]]:
        from deckgen.fonts import FontSet
        from deckgen.render.png import draw_slide
        from deckgen.render.slide_draw import Image, slide_ops

        plan = prepared.plan("deck")
        files = prepared.job.theme.faces()
        fonts = FontSet.of(files)
        images = prepared.images
        out = []
        for index, slide in enumerate(plan.slides):
            ops = slide_ops(slide, plan, fonts)
            pictures = [images[op.key].digest for op in ops if isinstance(op, Image)]
            key = _digest(repr((self.slide_width, plan.width, plan.height, ops, pictures)))
            digest = self._slides.get(key)
            if digest is None or digest not in self.pictures:
                img = draw_slide(plan, index, files, self.slide_width, images)
                data = _png(img)
                digest = hashlib.sha256(data).hexdigest()
                self.pictures[digest] = data
                self._slides[key] = digest
                self.counts.slides_drawn += 1
            out.append((slide.title, digest))
        return out

    def _draw_pages(self, view: View, briefs: list[TargetResult]) -> None:
        from deckgen.render.pdf_pages import pages

        try:
            data = Path(briefs[0].path).read_bytes()
        except OSError:
            return
        brief = hashlib.sha256(data).hexdigest()
        if brief == view.brief and all(d in self.pictures for d in view.pages):
            return
        digests = []
        for page in pages(data):
            if page.digest not in self.pictures:
                self.pictures[page.digest] = page.png()  # one thread adds, none removes meanwhile
                self.counts.pages_encoded += 1
            digests.append(page.digest)
        self.briefs[brief] = data
        view.pages, view.brief = digests, brief

    def _prune(self) -> None:
        """Keep only the pictures some view shows: a long session does not grow."""
        shown = {d for v in self.views.values() for d in _shown(v)}
        self.pictures = {d: data for d, data in self.pictures.items() if d in shown}
        briefs = {v.brief for v in self.views.values()}
        self.briefs = {d: data for d, data in self.briefs.items() if d in briefs}
        self._slides = {k: d for k, d in self._slides.items() if d in shown}

    # -- the page's state ------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "building": self.building,
            "outlines": [v.as_dict() for v in self.views.values()],
        }


def _shown(view: View) -> Iterable[str]:
    yield from (d for _, d in view.slides)
    yield from view.pages


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _png(img: Any) -> bytes:
    """PNG bytes, compressed fast: about 15 ms for a slide against 45 ms at level 6."""
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=1)
    return out.getvalue()

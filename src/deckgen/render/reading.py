"""Reading order: a slide of the deck plan in, the order its frames are read, and the order to
stack them in a PowerPoint shape tree, out.

A slide's frames are planned in z-order (what comes later is drawn on top), which puts the small
kicker line above a title before the title. Screen readers take a PowerPoint slide's shapes in
shape-tree order, which is also its z-order; the tagged deck PDF reads in the order its
structure is made, which is free. Both writers want the title first.
"""

from __future__ import annotations

from deckgen.model import Box, Frame, Shape, Slide, TextFrame

# Text frames that repeat on every slide: running furniture, artifacts in a tagged PDF.
FURNITURE = frozenset({"banner.top.text", "banner.bottom.text", "footer", "slide_number"})
HEADER = frozenset({"banner.top.text"})


def is_title(frame: Frame) -> bool:
    return isinstance(frame, TextFrame) and frame.role == "title"


def reading_order(slide: Slide) -> list[Frame]:
    """The slide's frames as they are read: its title first, then the rest in plan order."""
    titles = [f for f in slide.frames if is_title(f)][:1]
    return titles + [f for f in slide.frames if not any(f is t for t in titles)]


def _meet(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def _passable(frame: Frame, title: TextFrame) -> bool:
    """Whether ``title`` may move under ``frame`` without changing what the slide shows.

    When their boxes do not meet, or when neither paints a background: the planner sets text
    apart (a kicker sits above its title's first line, inside the title's box).
    """
    if not _meet(frame.box, title.box):
        return True
    return isinstance(frame, TextFrame) and frame.fill is None and title.fill is None


def stacking_order(slide: Slide) -> list[Frame]:
    """The frames in the order to write them into a slide's shape tree.

    The plan's z-order, with the title moved back before every frame that is not decorative
    (which screen readers skip), as far as it can go without changing what is painted. A title
    in a template's placeholder stays: placeholders come first in a slide's shape tree.
    """
    frames = list(slide.frames)
    i = next((k for k, f in enumerate(frames) if is_title(f)), None)
    if i is None:
        return frames
    title = frames[i]
    assert isinstance(title, TextFrame)
    if title.placeholder is not None:
        return frames
    to = i
    k = i - 1
    while k >= 0 and _passable(frames[k], title):
        passed = frames[k]
        if not (isinstance(passed, Shape) and passed.decorative):
            to = k
        k -= 1
    frames.insert(to, frames.pop(i))
    return frames

"""Change summaries: an older and a newer outline (as snapshot data) in, ``<stem>.changes.md`` out.

A regenerated deck should say at a glance what it says differently. The comparison itself is
:func:`deckgen.plan.changes.compare`, the same one the deck's "What changed" slide and the brief's
section use (``--since``); this module only writes it as Markdown, every change with its old and
new text. Snapshots are the outline's content as plain JSON (``Outline.model_dump``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deckgen.model import Since

Snapshot = dict[str, Any]


def _short(text: Any, limit: int = 80) -> str:
    s = " ".join(str(text).split()) if text is not None else "(none)"
    return s if len(s) <= limit else s[: limit - 1] + "\u2026"


def _line(c: Any) -> str:
    """One change as a Markdown bullet."""
    from deckgen.plan.catalogue import words_for

    what = c.kind.replace("_", " ")
    if c.area == "judgement":
        if c.kind == "added":
            return f"- Judgement added ({c.new} confidence): \u201c{_short(c.subject, 160)}\u201d"
        if c.kind == "removed":
            return f"- Judgement removed (was {c.old}): \u201c{_short(c.subject, 160)}\u201d"
        if c.kind == "reworded":
            old, new = _short(c.old, 120), _short(c.new, 120)
            return f"- Judgement reworded: \u201c{old}\u201d \u2192 \u201c{new}\u201d"
        return f"- Confidence {c.old} \u2192 {c.new}: \u201c{_short(c.subject, 120)}\u201d"
    if c.area == "section" and c.kind in ("added", "removed"):
        return f"- Section {c.kind}: **{c.subject}** (`{c.section}`)"
    if c.area == "section" and c.kind == "reordered":
        return f"- Sections reordered: {c.subject}"
    if c.area == "key_point":
        if c.kind == "added":
            return f"- Key point added: **{c.subject}**: {_short(c.new)}"
        if c.kind == "removed":
            return f"- Key point removed: **{c.subject}**"
        if c.kind == "reordered":
            return "- Key points reordered"
        old, new = _short(c.old), _short(c.new)
        return f"- Key point changed: **{c.subject}**: \u201c{old}\u201d \u2192 \u201c{new}\u201d"
    if c.area == "metric":
        if c.kind == "added":
            return f"- Metric added: **{c.subject}**: {c.new}"
        if c.kind == "removed":
            return f"- Metric removed: **{c.subject}** (was {c.old})"
        if c.kind == "value":
            trend = f" ({c.direction})" if c.direction else ""
            return f"- Metric changed: **{c.subject}**: {c.old} \u2192 {c.new}{trend}"
        old, new = _short(c.old), _short(c.new)
        if c.kind == "status":
            english = words_for("en")
            old, new = english.status(c.old), english.status(c.new)
        return f"- Metric {what} changed: **{c.subject}**: {old} \u2192 {new}"
    if c.area == "source":
        return f"- {c.kind.capitalize()}: {c.subject}"
    old, new = _short(c.old), _short(c.new)
    return f"- {what.capitalize()} changed: \u201c{old}\u201d \u2192 \u201c{new}\u201d"


def summarise(source: str, old: Snapshot | None, new: Snapshot, since: Since | None = None) -> str:
    """Markdown describing what changed from ``old`` to ``new`` (``old`` None: a first build)
    since ``since`` (None: the last build's snapshot).

    A build report for the outline's author, like the diagnostics: in English whatever the
    outline's language (the outputs' fixed words follow ``meta.language``; this does not)."""
    from deckgen.outline import Outline
    from deckgen.plan.catalogue import words_for
    from deckgen.plan.changes import compare

    out = [
        f"# Changes in {new.get('meta', {}).get('title', source)}",
        "",
        f"Outline: `{source}`",
        "",
    ]
    # Snapshots were validated when they were built (under whatever --max-sections then applied):
    # the section cap is not applied again here.
    uncapped = {"max_sections": 10**9}
    current = Outline.model_validate(new, context=uncapped)
    try:
        previous = Outline.model_validate(old, context=uncapped) if old is not None else None
    except ValueError:  # a snapshot of another format: as if there were none
        previous = None
    if previous is None:
        points = sum(len(s.key_points) for s in current.sections)
        metrics = sum(len(s.metrics) for s in current.sections)
        out += [
            "First build: there is no previous build to compare with.",
            "",
            f"{len(current.sections)} sections, {points} key points, {metrics} metrics.",
            "",
        ]
        return "\n".join(out)
    changes = compare(previous, current, since)
    against = words_for("en").since(since)
    titles = {s.id: s.title for s in current.sections} | {
        s.id: s.title for s in previous.sections if s.id not in {x.id for x in current.sections}
    }
    groups: dict[str, list[str]] = {}

    def add(group: str, line: str) -> None:
        groups.setdefault(group, []).append(line)

    for c in changes.items:
        if c.area == "meta":
            add("Title page", f"- {c.kind.capitalize()}: {_short(c.old)} \u2192 {_short(c.new)}")
        elif c.area == "summary":
            add("Executive summary", f"- Changed: \u201c{_short(c.new, 160)}\u201d")
        elif c.area == "judgement":
            add("Key judgements", _line(c))
        elif c.area == "section" and c.kind in ("added", "removed", "reordered"):
            add("Sections", _line(c))
        elif c.section is not None:
            add(f"{titles.get(c.section, c.section)} (`{c.section}`)", _line(c))
        elif c.area == "conclusion":
            add("Conclusion", _line(c))
        elif c.area == "source":
            add("Sources", _line(c))
    body: list[str] = []
    for group, lines in groups.items():
        body += [f"## {group}", "", *lines, ""]
    if not body:
        body = ["No content changes.", ""]
    return "\n".join(out + [f"Since {against}:", "", *body])

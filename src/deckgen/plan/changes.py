"""Changes: an older and a newer version of one outline in, what changed between them out (pure).

One comparison for every output: the deck's "What changed" slide and marks, the brief's section
and ``<stem>.changes.md`` all read the same :class:`Changes`. Key judgements have no ids, so a
judgement is matched by its text, then the closest remaining one (a rewording); sections are
matched by id, metrics by label within their section, key points by headline.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from deckgen.model import Since
from deckgen.outline import Metric, Outline, Section
from deckgen.plan.catalogue import Words, sentence_case
from deckgen.plan.content import CONFIDENCE_LEVEL, metric_value
from deckgen.richtext import plain

REWORDED = 0.5  # a judgement this similar (difflib ratio) to an unmatched old one is a rewording


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``area`` says what kind of thing changed, ``kind`` how."""

    area: str  # meta, summary, judgement, section, key_point, metric, conclusion, source
    kind: str  # added, removed, reworded, confidence, assessment, value, status, changed, ...
    subject: str  # the judgement's text, the section's title, the metric's label, the field
    section: str | None = None  # the id of the section it belongs to
    old: str | None = None
    new: str | None = None
    direction: str | None = None  # a metric's value: "up", "down" (numbers only)


@dataclass(slots=True)
class Changes:
    """Every difference between two versions, and what the newer one is compared with."""

    since: Since | None  # the older version (None: the last build's snapshot)
    items: list[Change] = field(default_factory=list)

    @property
    def briefed(self) -> list[Change]:
        """What a reader of the last briefing asks about: judgements, assessments, sections
        added or removed, metric values and statuses (the rest is in changes.md)."""
        keep = {("judgement", k) for k in ("added", "removed", "reworded", "confidence")} | {
            ("section", k) for k in ("added", "removed", "assessment")
        }
        keep |= {("metric", k) for k in ("added", "removed", "value", "status")}
        return [c for c in self.items if (c.area, c.kind) in keep]

    def metric(self, section: str, label: str) -> list[Change]:
        return [
            c
            for c in self.items
            if c.area == "metric"
            and c.section == section
            and c.subject == label
            and c.kind in ("added", "value", "status")
        ]

    def point_changed(self, section: str, headline: str) -> bool:
        return any(
            c.area == "key_point"
            and c.section == section
            and c.subject == headline
            and c.kind in ("added", "changed")
            for c in self.items
        )


def _direction(old: Metric, new: Metric) -> str | None:
    if old.number is None or new.number is None or old.number == new.number:
        return None
    return "up" if new.number > old.number else "down"


def _judgements(old: Outline, new: Outline) -> list[Change]:
    out: list[Change] = []
    olds = list(old.key_judgements)
    unmatched_new = []
    for kj in new.key_judgements:
        twin = next((o for o in olds if o.text == kj.text), None)
        if twin is None:
            unmatched_new.append(kj)
            continue
        olds.remove(twin)
        if twin.confidence != kj.confidence:
            out.append(
                Change(
                    "judgement", "confidence", plain(kj.text), None, twin.confidence, kj.confidence
                )
            )
    for kj in unmatched_new:
        scored = [(difflib.SequenceMatcher(None, o.text, kj.text).ratio(), o) for o in olds]
        best = max(scored, key=lambda s: s[0], default=None)
        if best is not None and best[0] >= REWORDED:
            olds.remove(best[1])
            out.append(
                Change(
                    "judgement",
                    "reworded",
                    plain(kj.text),
                    None,
                    plain(best[1].text),
                    plain(kj.text),
                )
            )
            if best[1].confidence != kj.confidence:
                out.append(
                    Change(
                        "judgement",
                        "confidence",
                        plain(kj.text),
                        None,
                        best[1].confidence,
                        kj.confidence,
                    )
                )
        else:
            out.append(Change("judgement", "added", plain(kj.text), None, None, kj.confidence))
    for o in olds:
        out.append(Change("judgement", "removed", plain(o.text), None, o.confidence, None))
    return out


def _section(old: Section, new: Section) -> list[Change]:
    sid, title = new.id, plain(new.title)
    out: list[Change] = []
    if (old.assessment or "") != (new.assessment or ""):
        out.append(Change("section", "assessment", title, sid, old.assessment, new.assessment))
    for name in ("title", "lead", "looking_ahead", "notes"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Change("section", name, title, sid, a, b))
    old_kp = {kp.headline: kp for kp in old.key_points}
    new_kp = {kp.headline: kp for kp in new.key_points}
    for h, kp in new_kp.items():
        if h not in old_kp:
            out.append(Change("key_point", "added", h, sid, None, kp.detail))
        elif old_kp[h].detail != kp.detail:
            out.append(Change("key_point", "changed", h, sid, old_kp[h].detail, kp.detail))
    out += [
        Change("key_point", "removed", h, sid, kp.detail, None)
        for h, kp in old_kp.items()
        if h not in new_kp
    ]
    if set(old_kp) == set(new_kp) and list(old_kp) != list(new_kp):
        out.append(Change("key_point", "reordered", title, sid))
    old_m = {m.label: m for m in old.metrics}
    new_m = {m.label: m for m in new.metrics}
    for label, m in new_m.items():
        before = old_m.get(label)
        if before is None:
            out.append(Change("metric", "added", label, sid, None, metric_value(m.value, m.unit)))
            continue
        was, now = metric_value(before.value, before.unit), metric_value(m.value, m.unit)
        if was != now:
            out.append(Change("metric", "value", label, sid, was, now, _direction(before, m)))
        if before.status != m.status:
            out.append(Change("metric", "status", label, sid, before.status, m.status))
        for name in ("context", "source", "trend", "target"):
            if getattr(before, name) != getattr(m, name):
                out.append(
                    Change("metric", name, label, sid, getattr(before, name), getattr(m, name))
                )
    out += [
        Change("metric", "removed", label, sid, metric_value(m.value, m.unit), None)
        for label, m in old_m.items()
        if label not in new_m
    ]
    return out


def compare(old: Outline, new: Outline, since: Since | None) -> Changes:
    """What changed from ``old`` to ``new``; ``since`` names the older version for readers."""
    items: list[Change] = []
    for name in ("title", "subtitle", "author", "date", "classification", "language", "theme"):
        a, b = getattr(old.meta, name), getattr(new.meta, name)
        if a != b:
            items.append(Change("meta", name, name, None, _text(a), _text(b)))
    if old.summary != new.summary:
        items.append(Change("summary", "changed", "summary", None, old.summary, new.summary))
    items += _judgements(old, new)
    old_s = {s.id: s for s in old.sections}
    new_s = {s.id: s for s in new.sections}
    items += [
        Change("section", "added", plain(s.title), i) for i, s in new_s.items() if i not in old_s
    ]
    items += [
        Change("section", "removed", plain(s.title), i) for i, s in old_s.items() if i not in new_s
    ]
    common_old = [i for i in old_s if i in new_s]
    common_new = [i for i in new_s if i in old_s]
    if common_old != common_new:
        items.append(Change("section", "reordered", ", ".join(common_new)))
    for i, s in new_s.items():
        if i in old_s:
            items += _section(old_s[i], s)
    for name in ("text", "looking_ahead"):
        a, b = getattr(old.conclusion, name), getattr(new.conclusion, name)
        if a != b:
            items.append(Change("conclusion", name, name, None, a, b))
    old_src = {s.title for s in old.sources}
    new_src = {s.title for s in new.sources}
    items += [Change("source", "added", t) for t in sorted(new_src - old_src)]
    items += [Change("source", "removed", t) for t in sorted(old_src - new_src)]
    return Changes(since, items)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def titles(sections: Sequence[Section]) -> dict[str, str]:
    return {s.id: plain(s.title) for s in sections}


def shown_old(c: Change, w: Words) -> str:
    """What a changed metric was, as a reader reads it: its value, or its status in words."""
    if c.area == "metric" and c.kind == "status":
        return w.status(c.old)
    return c.old or ""


def describe(c: Change, numbers: dict[str, int], w: Words) -> tuple[str, str]:
    """A briefed change as a lead (set in bold) and the rest of its sentence, in ``w``'s
    language."""
    if c.section in numbers:
        where = w("in_section", number=numbers[c.section or ""])
    else:
        where = w("in_removed_section")
    if c.area == "judgement":
        quoted = w.quoted(c.subject)
        if c.kind == "added":
            return w("judgement_added"), w(
                "judgement_with_confidence", text=quoted, confidence=w.confidence(c.new or "")
            )
        if c.kind == "removed":
            return w("judgement_withdrawn"), w(
                "judgement_was_confidence", text=quoted, confidence=w.confidence(c.old or "")
            )
        if c.kind == "reworded":
            return w("judgement_reworded"), w("now_was", new=w.quoted(c.new), old=w.quoted(c.old))
        raised = CONFIDENCE_LEVEL.get(c.new or "", 0) > CONFIDENCE_LEVEL.get(c.old or "", 0)
        lead = w("confidence_raised" if raised else "confidence_lowered")
        return lead, w("from_to", old=w.level(c.old), new=w.level(c.new), text=quoted)
    if c.area == "section":
        if c.kind == "added":
            return w("section_added"), c.subject
        if c.kind == "removed":
            return w("section_removed"), c.subject
        lead = f"{sentence_case(where)}, {c.subject}"
        if not c.old:
            return lead, w("assessment_added", text=w.quoted(c.new))
        if not c.new:
            return lead, w("assessment_removed", text=w.quoted(c.old))
        return lead, w("now_was_paren", new=w.quoted(c.new), old=w.quoted(c.old))
    if c.kind == "added":
        return w("figure_added"), w("figure_added_rest", label=c.subject, value=c.new, where=where)
    if c.kind == "removed":
        return w("figure_removed"), w(
            "figure_removed_rest", label=c.subject, value=c.old, where=where
        )
    if c.kind == "status":
        return w("status_of", label=c.subject), (
            f"{w.status(c.old)} \u2192 {w.status(c.new)} ({where})"
        )
    trend = f", {w(f'trend_{c.direction}')}" if c.direction else ""
    return c.subject, f"{c.old} \u2192 {c.new}{trend} ({where})"

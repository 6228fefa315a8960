"""Change summaries: the snapshot of the last built outline and the new one in, Markdown out.

A regenerated deck should say at a glance what it says differently: sections, key points and
metrics added, removed or changed, with old and new values. Snapshots are the outline's content
as plain JSON (``Outline.model_dump``), so this module needs no model import.
"""

from __future__ import annotations

from typing import Any

Snapshot = dict[str, Any]

_META = ("title", "subtitle", "author", "date", "classification", "language", "theme")
_METRIC = ("value", "unit", "context", "source", "status", "trend")


def _short(text: Any, limit: int = 80) -> str:
    s = " ".join(str(text).split()) if text is not None else "(none)"
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _metric_value(m: dict[str, Any]) -> str:
    unit = m.get("unit")
    return f"{m.get('value')} {unit}" if unit else str(m.get("value"))


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out.setdefault(str(item.get(key)), item)
    return out


def _section_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for fld in ("title", "lead", "looking_ahead", "notes"):
        if old.get(fld) != new.get(fld):
            label = fld.replace("_", " ")
            lines.append(
                f"- {label.capitalize()} changed: “{_short(old.get(fld))}” → "
                f"“{_short(new.get(fld))}”"
            )
    old_kp, new_kp = (
        _by(old.get("key_points", []), "headline"),
        _by(new.get("key_points", []), "headline"),
    )
    for h in new_kp:
        if h not in old_kp:
            lines.append(f"- Key point added: **{h}**: {_short(new_kp[h].get('detail'))}")
    for h in old_kp:
        if h not in new_kp:
            lines.append(f"- Key point removed: **{h}**")
    for h in new_kp:
        if h in old_kp and old_kp[h].get("detail") != new_kp[h].get("detail"):
            lines.append(
                f"- Key point changed: **{h}**: “{_short(old_kp[h].get('detail'))}” → "
                f"“{_short(new_kp[h].get('detail'))}”"
            )
    old_m, new_m = _by(old.get("metrics", []), "label"), _by(new.get("metrics", []), "label")
    for label, m in new_m.items():
        if label not in old_m:
            lines.append(f"- Metric added: **{label}**: {_metric_value(m)}")
    for label in old_m:
        if label not in new_m:
            lines.append(f"- Metric removed: **{label}** (was {_metric_value(old_m[label])})")
    for label, m in new_m.items():
        if label not in old_m:
            continue
        before = old_m[label]
        if _metric_value(before) != _metric_value(m):
            lines.append(
                f"- Metric changed: **{label}**: {_metric_value(before)} → {_metric_value(m)}"
            )
        for fld in _METRIC[2:]:
            if before.get(fld) != m.get(fld):
                lines.append(
                    f"- Metric {fld} changed: **{label}**: {_short(before.get(fld))} → "
                    f"{_short(m.get(fld))}"
                )
    if [k.get("headline") for k in old.get("key_points", [])] != [
        k.get("headline") for k in new.get("key_points", [])
    ] and set(old_kp) == set(new_kp):
        lines.append("- Key points reordered")
    return lines


def summarise(source: str, old: Snapshot | None, new: Snapshot) -> str:
    """Markdown describing what changed from ``old`` to ``new`` (``old`` None: first build)."""
    out = [
        f"# Changes in {new.get('meta', {}).get('title', source)}",
        "",
        f"Outline: `{source}`",
        "",
    ]
    if old is None:
        sections = new.get("sections", [])
        points = sum(len(s.get("key_points", [])) for s in sections)
        metrics = sum(len(s.get("metrics", [])) for s in sections)
        out += [
            "First build: there is no previous build to compare with.",
            "",
            f"{len(sections)} sections, {points} key points, {metrics} metrics.",
            "",
        ]
        return "\n".join(out)
    body: list[str] = []

    meta_lines = [
        f"- {k.capitalize()}: {_short(old.get('meta', {}).get(k))} → "
        f"{_short(new.get('meta', {}).get(k))}"
        for k in _META
        if old.get("meta", {}).get(k) != new.get("meta", {}).get(k)
    ]
    if meta_lines:
        body += ["## Title page", "", *meta_lines, ""]
    if old.get("summary") != new.get("summary"):
        body += ["## Executive summary", "", f"- Changed: “{_short(new.get('summary'), 160)}”", ""]

    old_s, new_s = _by(old.get("sections", []), "id"), _by(new.get("sections", []), "id")
    structure = [
        f"- Added section **{new_s[i].get('title')}** (`{i}`)" for i in new_s if i not in old_s
    ]
    structure += [
        f"- Removed section **{old_s[i].get('title')}** (`{i}`)" for i in old_s if i not in new_s
    ]
    common_old = [i for i in old_s if i in new_s]
    common_new = [i for i in new_s if i in old_s]
    if common_old != common_new:
        structure.append(f"- Sections reordered: {', '.join(common_new)}")
    if structure:
        body += ["## Sections", "", *structure, ""]
    for sid in new_s:
        if sid in old_s:
            lines = _section_changes(old_s[sid], new_s[sid])
            if lines:
                body += [f"## {new_s[sid].get('title')} (`{sid}`)", "", *lines, ""]

    if old.get("conclusion") != new.get("conclusion"):
        oc, nc = old.get("conclusion", {}), new.get("conclusion", {})
        lines = [
            f"- {k.replace('_', ' ').capitalize()} changed: “{_short(nc.get(k), 160)}”"
            for k in ("text", "looking_ahead")
            if oc.get(k) != nc.get(k)
        ]
        body += ["## Conclusion", "", *lines, ""]
    old_src = {str(s.get("title")) for s in old.get("sources", [])}
    new_src = {str(s.get("title")) for s in new.get("sources", [])}
    src_lines = [f"- Added: {t}" for t in sorted(new_src - old_src)]
    src_lines += [f"- Removed: {t}" for t in sorted(old_src - new_src)]
    if src_lines:
        body += ["## Sources", "", *src_lines, ""]

    if not body:
        body = ["No content changes since the previous build.", ""]
    return "\n".join(out + ["Since the previous successful build:", "", *body])

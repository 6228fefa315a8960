"""Pandoc Markdown export: a validated outline in, the same content as Markdown slides out.

For comparison with Pandoc (``pandoc deck.md -o deck.pptx``, see docs/benchmarks.md) and for
anyone who wants the content in Markdown. The layout follows Pandoc's slide rules with slide
level 2: a YAML metadata block (title slide), a level-1 heading per section (Pandoc makes a
section header slide), one level-2 slide per key point, the metrics as a pipe table, and the
looking-ahead text on a slide of its own; the lead and the section notes become speaker notes
(``::: notes``). Outline text is literal except ``**bold**`` and ``*italic*``, so every other
character that Markdown would read as markup is backslash-escaped.
"""

from __future__ import annotations

import json
import re

from deckgen.outline import Metric, Outline, Section
from deckgen.plan.catalogue import Words, words_for
from deckgen.richtext import Run, paragraphs, parse

# ASCII punctuation that Pandoc Markdown may read as markup anywhere in a line. Pandoc accepts a
# backslash before any ASCII punctuation, so escaping more than needed is harmless.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~^@&])")
# Constructs that only matter at the start of a line: list markers, ordered list numbers,
# block quotes, definitions and fenced divs, setext underlines, title blocks.
_LINE_START = re.compile(r"^(\s*)([-+%>:=]|\d+(?=[.)]))")
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """``text`` as literal Markdown on one line: markup characters escaped, runs of white space
    (newlines included) made single spaces."""
    text = _SPACE.sub(" ", text)
    text = _SPECIAL.sub(r"\\\1", text)
    m = _LINE_START.match(text)
    if m:
        if m.group(2)[0].isdigit():  # "2024. A year" is not an ordered list
            end = m.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: m.start(2)] + "\\" + text[m.start(2) :]
    return text


def _run(run: Run) -> str:
    text = escape(run.text)
    stripped = text.strip()
    if not stripped or not (run.bold or run.italic):
        return text
    mark = ("**" if run.bold else "") + ("*" if run.italic else "")
    # Emphasis may not start or end with a space: keep the spaces outside the markers.
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark[::-1]}{trail}"


def inline(text: str) -> str:
    """Outline text with its ``**bold**`` and ``*italic*`` as Markdown emphasis, rest escaped."""
    return "".join(_run(r) for r in parse(_SPACE.sub(" ", text).strip()))


def _block(text: str) -> str:
    return "\n\n".join(inline(p) for p in paragraphs(text))


def _plain_block(text: str) -> str:
    return "\n\n".join(escape(p) for p in paragraphs(text))


def _notes(*parts: str | None) -> list[str]:
    body = [p for p in parts if p]
    if not body:
        return []
    return ["::: notes", "", "\n\n".join(body), "", ":::", ""]


def _cell(text: str | None) -> str:
    return escape(text or "")


def _metrics_table(metrics: list[Metric], w: Words) -> list[str]:
    head = (w(k) for k in ("col_measure", "col_value", "col_context", "col_source"))
    rows = ["| " + " | ".join(escape(h) for h in head) + " |", "|---|---:|---|---|"]
    for m in metrics:
        value = m.value + (f" {m.unit}" if m.unit else "")
        cells = (m.label, value, m.context, m.source)
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return [*rows, ""]


def _section(n: int, s: Section, w: Words) -> list[str]:
    out = [f"# {escape(s.title)}", ""]
    for i, kp in enumerate(s.key_points):
        out += [f"## {escape(kp.headline)}", "", _block(kp.detail), ""]
        if i == 0:
            label = escape(w.colon(w("section_one", number=n)))
            out += _notes(f"{label} " + _plain_block(s.lead), _plain_block(s.notes or ""))
    if s.metrics:
        figures = escape(w("md_key_figures", title=s.title))
        out += [f"## {figures}", "", *_metrics_table(s.metrics, w)]
    out += [f"## {escape(w('md_looking_ahead', title=s.title))}", "", _block(s.looking_ahead), ""]
    return out


def _meta(o: Outline) -> list[str]:
    def quoted(text: str) -> str:
        # Pandoc reads metadata strings as Markdown: escape, then quote for YAML.
        return json.dumps(escape(text), ensure_ascii=False)

    lines = [
        "---",
        f"title: {quoted(o.meta.title)}",
        f"subtitle: {quoted(o.meta.subtitle)}",
        f"author: {quoted(o.meta.author)}",
        f"date: {quoted(o.meta.date.isoformat())}",
        f"lang: {quoted(o.meta.language)}",
        "---",
        "",
    ]
    return lines


def to_markdown(outline: Outline) -> str:
    """The outline as Pandoc Markdown slides (deterministic), its fixed words in the outline's
    language."""
    o = outline
    w = words_for(o.meta.language)
    out = _meta(o)
    out += [f"## {escape(w('summary'))}", "", _block(o.summary), ""]
    for n, s in enumerate(o.sections, 1):
        out += _section(n, s, w)
    out += [f"# {escape(w('conclusion'))}", "", f"## {escape(w('col_assessment'))}"]
    out += ["", _block(o.conclusion.text), ""]
    out += [f"## {escape(w('looking_ahead'))}", "", _block(o.conclusion.looking_ahead), ""]
    if o.sources:
        out += [f"## {escape(w('sources'))}", ""]
        for src in o.sources:
            line = f"- {escape(src.title)}, {escape(src.publisher)}, {escape(src.date)}"
            if src.url:
                safe = not any(c in src.url for c in "<>")
                line += f", <{src.url}>" if safe else f", {escape(src.url)}"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

"""The closing slides: the conclusion, its "looking ahead" and the sources in, the conclusion
slide (with the sources beneath it when they are few) and, if needed, sources slides out."""

from __future__ import annotations

from deckgen.diagnostics import Severity
from deckgen.outline import Source
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.kit import Kit
from deckgen.plan.deck.stack import Draft, Item, PanelItem, Region, TextItem, split_even
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.textfit import Block

FOLDED_SOURCES = 3  # at most this many sources sit under the conclusion


def source_runs(src: Source) -> tuple[Run, ...]:
    runs = [Run(src.title, bold=True), Run(f" \u2014 {src.publisher}, {src.date}.")]
    if src.url:
        runs.append(Run(f" {src.url}"))
    return tuple(runs)


def source_notes(kit: Kit) -> str:
    return (
        kit.words.colon(kit.words("sources"))
        + "\n"
        + "\n".join(
            f"- {s.title}, {s.publisher}, {s.date}{' ' + s.url if s.url else ''}"
            for s in kit.o.sources
        )
    )


def drafts(kit: Kit) -> list[Draft]:
    o, g, p, w = kit.o, kit.g, kit.p, kit.words
    rng = kit.ranges["body"]
    blocks = [
        kit.block(tuple(parse(par)), space_after=L.PARA_GAP)
        for par in paragraphs(o.conclusion.text)
    ]
    ahead = [
        kit.block(tuple(parse(par)), space_after=L.PARA_GAP)
        for par in paragraphs(o.conclusion.looking_ahead)
    ]
    left, right = g.columns()
    ahead_label = w("looking_ahead")
    notes = f"{o.conclusion.text}\n\n{w.colon(ahead_label)} {o.conclusion.looking_ahead}"
    if o.sources:
        notes += "\n\n" + source_notes(kit)
    sources: list[Block] = []
    if o.sources and len(o.sources) <= FOLDED_SOURCES:
        label = w.colon(w("source_one" if len(o.sources) == 1 else "source_many")) + " "
        sources = [
            kit.block(
                (*((Run(label, bold=True),) if k == 0 else ()), *source_runs(s)), space_after=0.2
            )
            for k, s in enumerate(o.sources)
        ]
    foot: list[Item] = [TextItem("aside", sources, [p.muted], "sources.body")] if sources else []
    # The sources go under the looking-ahead panel when they fit there.
    panel = Region(right, [PanelItem(ahead_label, ahead), *foot], bottom=len(foot))
    folded = bool(foot)
    if foot and not panel.fits_at(kit, L.COMFORT):
        panel = Region(right, [PanelItem(ahead_label, ahead)])
        folded = False
    beside = panel.fits_at(kit, 0)
    text_box = left if beside else g.body
    if not beside:
        folded = False
    parts = split_even(kit, blocks, text_box.w, text_box.h, rng.min)
    if len(parts) > 1:
        kit.note(
            ("conclusion", "text"),
            "conclusion text continues on a '(cont.)' slide",
            Severity.WARNING,
        )
    if not beside:
        kit.note(
            ("conclusion", "looking_ahead"),
            "conclusion looking-ahead moved to its own slide",
            Severity.WARNING,
        )
    out = []
    for k, part in enumerate(parts):
        regions = [Region(text_box, [TextItem("body", part, [p.text], "conclusion.body")])]
        if k == 0 and beside:
            regions.append(panel)
        out.append(
            Draft(
                "conclusion",
                w.continued(w("conclusion"), k),
                w("closing"),
                notes,
                ("conclusion", "text"),
                w("closing"),
                regions,
            )
        )
    if not beside:
        for k, part in enumerate(split_even(kit, ahead, g.body.w - 60, g.body.h - 80, rng.min)):
            out.append(
                Draft(
                    "ahead",
                    w.continued(w("conclusion_ahead"), k),
                    w("closing"),
                    notes,
                    ("conclusion", "looking_ahead"),
                    w("closing"),
                    [Region(g.body, [PanelItem(ahead_label, part)])],
                )
            )
    if o.sources and not folded:
        out += sources_slides(kit)
    return out


def sources_slides(kit: Kit) -> list[Draft]:
    o, g, w = kit.o, kit.g, kit.words
    blocks = [kit.block(source_runs(s), space_after=0.5, indent=18) for s in o.sources]
    blocks.append(kit.block((Run(w("sources_note"), italic=True),), space_after=0, indent=18))
    parts = split_even(kit, blocks, g.body.w, g.body.h, kit.ranges["body"].min)
    return [
        Draft(
            "sources",
            w.continued(w("sources"), k),
            w("closing"),
            source_notes(kit),
            ("sources",),
            w("closing"),
            [Region(g.body, [TextItem("body", part, [kit.p.text], "sources.body", bullets=True)])],
        )
        for k, part in enumerate(parts)
    ]


__all__ = ["drafts", "plain"]

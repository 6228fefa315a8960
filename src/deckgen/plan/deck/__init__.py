"""The deck planner: a validated outline and a theme in, a :class:`DeckPlan` out (pure).

The slide families (:mod:`.opening`, :mod:`.section`, :mod:`.closing`) describe every slide as
a draft of regions; this module sizes every text role once for the whole deck
(:mod:`.sizes`), then places each draft at those sizes, so the same element has the same size
on every slide. Everything is measured with the bundled fonts; nothing overflows: text that
does not fit at a role's smallest size was already shared out over "(cont.)" slides, and every
such continuation is reported at the outline line it concerns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from deckgen.model import DeckPlan, PreparedImage, Slide
from deckgen.outline import Outline
from deckgen.plan.changes import Changes
from deckgen.plan.content import doc_meta
from deckgen.plan.deck import closing, opening, section
from deckgen.plan.deck.kit import Kit
from deckgen.plan.deck.sizes import Sizes, choose
from deckgen.plan.deck.stack import Draft
from deckgen.plan.glyphs import check_glyphs
from deckgen.template import TemplateInfo
from deckgen.theme import Theme

ROLE_NAMES = {
    "title": "slide titles",
    "body": "body text",
    "card": "metric cards",
    "lead": "key judgements and summary",
    "aside": "side notes",
}


def plan_deck(
    outline: Outline,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
    template: TemplateInfo | None = None,
    mode: str | None = None,
    changes: Changes | None = None,
) -> DeckPlan:
    """Plan the whole deck for ``outline`` in ``theme``; ``created`` pins the document dates.

    ``images`` are the prepared pictures by key (the planner needs only their proportions);
    ``mode`` is ``compact`` or ``full`` (default: the outline's ``meta.deck``); ``changes``
    (``--since``) adds a "What changed" slide after the key judgements and marks what changed.
    """
    kit = Kit(outline, theme, images, template, mode or outline.meta.deck, changes)
    kit.diagnostics.extend(check_glyphs(outline, theme))
    drafts = opening.drafts(kit)
    for i, s in enumerate(outline.sections):
        drafts += section.drafts(kit, i + 1, s, ("sections", i))
    drafts += closing.drafts(kit)
    slides = place(kit, drafts)
    meta = doc_meta(outline, created)
    return DeckPlan(kit.g.width, kit.g.height, theme.fonts.family, meta, slides, kit.diagnostics)


def place(kit: Kit, drafts: list[Draft]) -> list[Slide]:
    """Size every role for the whole deck, then lay out each draft at those sizes."""
    samples: dict[str, list[float]] = defaultdict(list)
    found: list[tuple[list[dict[str, float]], float]] = []
    for d in drafts:
        per = []
        for r in d.regions:
            sizes = r.best(kit)
            if sizes is None:
                kit.overflow(d.where, f"{d.kind} slide content does not fit", sorted(r.roles()))
                sizes = {role: kit.ranges[role].min for role in r.roles()}
            per.append(sizes)
            for role, v in sizes.items():
                samples[role].append(v)
        title = 0.0
        if d.heading:
            area = kit.title_area(d.kind, d.title)
            title = area[1] if area else kit.title_fits(d.title, kit.g.title_box)
            if title:
                samples["title"].append(title)
        found.append((per, title))
    chosen = choose(samples, kit.ranges)
    report(kit, chosen, samples)
    slides: list[Slide] = []
    for number, (d, (per, title)) in enumerate(zip(drafts, found, strict=True), 1):
        slide = kit.new_slide(d.kind, d.title, d.section, d.notes, d.dark)
        if d.paint is not None:
            d.paint(kit, slide)
        if d.heading:
            kit.heading(
                slide, d.where, d.kicker, d.title, chosen.pick("title", title) if title else 0.0
            )
        for r, sizes in zip(d.regions, per, strict=True):
            r.place(kit, slide, chosen.for_region(sizes))
        kit.furniture(slide, number, dark=d.dark, left=d.footer_left)
        slides.append(slide)
    return slides


def report(kit: Kit, chosen: Sizes, samples: Mapping[str, list[float]]) -> None:
    """One notice per role set below the theme's largest size: what size, and how often."""
    for role, values in sorted(samples.items()):
        rng = kit.ranges[role]
        p, f = chosen.primary[role], chosen.fallback[role]
        if p >= rng.max and f >= rng.max:
            continue
        name = ROLE_NAMES.get(role, role)
        text = f"{name} set at {p:g} pt throughout (theme maximum {rng.max:g} pt)"
        if f < p:
            n = sum(1 for v in values if v < p)
            text += f"; {n} of {len(values)} at {f:g} pt"
        kit.note((), text)


__all__ = ["plan_deck"]

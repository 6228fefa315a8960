"""The opening slides: the outline's front matter in, the title slide, the key judgements
(bottom line up front), the agenda and the executive summary out.

In a ``compact`` deck the agenda folds into the key-judgements slide when it fits beside them;
a deck without key judgements (or a ``full`` one) has an agenda slide of its own.
"""

from __future__ import annotations

from dataclasses import replace

from deckgen.diagnostics import Severity
from deckgen.model import Box, Shape, Slide, TextFrame
from deckgen.plan.changes import describe
from deckgen.plan.content import as_of, section_refs
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.kit import Kit, key
from deckgen.plan.deck.sizes import Range
from deckgen.plan.deck.stack import (
    Draft,
    Item,
    JudgementItem,
    LabelItem,
    Region,
    TextItem,
    split_even,
)
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.textfit import Block
from deckgen.theme import TITLE_SLIDE_SCALE


def drafts(kit: Kit) -> list[Draft]:
    out = [title_slide(kit)]
    if kit.o.key_judgements:
        out += key_judgements(kit)
    else:
        kit.note(
            (),
            "no key judgements: the deck does not open with its bottom line "
            "(add key_judgements, 3 to 6)",
        )
    if kit.changes is not None:
        out += what_changed(kit)
    summary_slides, folded = summary(kit)
    if not folded:
        out += agenda(kit)
    return out + summary_slides


# ------------------------------------------------------------------------------ title


def title_slide(kit: Kit) -> Draft:
    o = kit.o
    notes = "\n\n".join(paragraphs(o.summary))

    def paint(kit: Kit, slide: Slide) -> None:
        box = kit.placeholder_box("title")
        if box is not None:
            template_title(kit, slide, box)
        else:
            plain_title(kit, slide)

    return Draft(
        "title",
        plain(o.meta.title),
        kit.words("opening"),
        notes,
        ("meta", "title"),
        heading=False,
        dark=True,
        paint=paint,
    )


def byline(kit: Kit) -> str:
    return f"{plain(kit.o.meta.author)}  \u00b7  {as_of(kit.o)}"


def plain_title(kit: Kit, slide: Slide) -> None:
    o, g, p = kit.o, kit.g, kit.p
    on = kit.background(slide)
    w = g.width - 2 * g.margin - 80
    slide.frames.append(
        Shape("rule", Box(g.margin, g.height * 0.30, 72, 4), p.on_primary_accent, decorative=True)
    )
    box = Box(g.margin, g.height * 0.30 + 16, w, 130)
    blocks = [kit.block((Run(plain(o.meta.title), bold=True),), space_after=0)]
    t = kit.ranges["title"]
    rng = Range(t.max * TITLE_SLIDE_SCALE, t.min)
    r = kit.fit(blocks, box, rng)
    if not r.fits:
        kit.overflow(("meta", "title"), "deck title does not fit the title slide", ["title"])
    slide.frames.append(kit.text_frame("title", box, blocks, r.size, [p.on_primary], on))
    box = Box(g.margin, box.bottom + 8, w, 60)
    blocks = [kit.block((Run(plain(o.meta.subtitle)),), space_after=0)]
    sub = kit.t.type.subtitle
    r = kit.fit(blocks, box, Range(sub.max, max(sub.min, L.BODY_FLOOR)))
    if not r.fits:
        kit.overflow(("meta", "subtitle"), "subtitle does not fit the title slide", ["subtitle"])
    slide.frames.append(kit.text_frame("subtitle", box, blocks, r.size, [p.on_primary], on))
    if "logo" in kit.images:
        area = Box(g.width - g.margin - 120, g.banner + 24, 120, 60)
        slide.frames.append(kit.picture("logo", "logo", area, logo_alt(kit), align="r"))
    slide.frames.append(
        kit.simple(
            "byline",
            Box(g.margin, box.bottom + 20, w, 22),
            byline(kit),
            14,
            p.on_primary_accent,
            on,
            bold=True,
        )
    )


def template_title(kit: Kit, slide: Slide, title_box: Box) -> None:
    """The title slide on a template: title and subtitle in the layout's placeholders."""
    o, g, p = kit.o, kit.g, kit.p
    assert kit.template is not None
    found = kit.title_area("title", plain(o.meta.title))
    title_box, size = found if found is not None else (title_box, 0.0)
    if not size:
        kit.overflow(("meta", "title"), "title does not fit the template's placeholder", ["title"])
        size = kit.ranges["title"].min
    color = kit.template.title_color or p.primary
    frame = kit.title_frame(
        title_box, plain(o.meta.title), size, color, kit.under(slide, title_box)
    )
    title_ph = kit.placeholder("title")
    assert title_ph is not None
    slide.frames.append(replace(frame, anchor="b", placeholder=key(title_ph)))
    sub_ph = kit.placeholder("title", "subtitle")
    below = title_box.bottom + 8
    if sub_ph is not None and sub_ph.box is not None:
        b = sub_ph.box  # kept on the slide, above the footer (some placeholders run off it)
        bottom = max(b.y + 20, min(b.bottom, g.footer_top - 30))
        sub_box = Box(b.x, b.y, min(b.w, g.width - b.x), round(bottom - b.y, 2))
        blocks = [kit.block((Run(plain(o.meta.subtitle)),), space_after=0)]
        sub = kit.t.type.subtitle
        r = kit.fit(blocks, sub_box, Range(sub.max, max(sub.min, L.BODY_FLOOR)))
        if not r.fits:
            kit.overflow(
                ("meta", "subtitle"),
                "subtitle does not fit the template's placeholder",
                ["subtitle"],
            )
        placeholder_bottom = sub_box.bottom
        if r.fits:  # the frame as high as its text, so the byline follows the text
            sub_box = Box(sub_box.x, sub_box.y, sub_box.w, round(min(sub_box.h, r.height + 2), 2))
        on = kit.under(slide, sub_box)
        frame2: TextFrame = kit.text_frame("subtitle", sub_box, blocks, r.size, [p.muted], on)
        slide.frames.append(replace(frame2, placeholder=key(sub_ph)))
        # Under the subtitle's text, unless a picture of the template is there: then under
        # the placeholder, as the template's designer left room.
        below = max(below, sub_box.bottom + 8)
        if kit.on_picture(slide, Box(title_box.x, below, title_box.w, 22)):
            below = max(below, placeholder_bottom + 8)
    box = Box(title_box.x, min(below, g.footer_top - 30), title_box.w, 22)
    slide.frames.append(
        kit.simple("byline", box, byline(kit), 14, p.secondary, kit.under(slide, box), bold=True)
    )
    if "logo" in kit.images:  # the theme asks for its logo (a template brings its own)
        area = Box(g.width - g.margin - 120, g.banner + 16, 120, 60)
        slide.frames.append(kit.picture("logo", "logo", area, logo_alt(kit), align="r"))


def logo_alt(kit: Kit) -> str:
    return kit.words("logo", author=plain(kit.o.meta.author))


# --------------------------------------------------------------------- key judgements


def key_judgements(kit: Kit) -> list[Draft]:
    """The key judgements, each with its confidence and the sections it rests on."""
    o, w = kit.o, kit.words
    rows: list[Item] = []
    notes = []
    for k, kj in enumerate(o.key_judgements):
        refs = section_refs(o, kj.sections)
        rows.append(JudgementItem(kj.text, kj.confidence, refs, k))
        note = "judgement_note_refs" if refs else "judgement_note"
        conf = w.confidence(kj.confidence)
        notes.append(w(note, number=k + 1, text=plain(kj.text), confidence=conf, refs=refs))
    text = w.colon(w("key_judgements")) + "\n" + "\n".join(notes)
    title, kicker, body = w("key_judgements"), w("bottom_line"), kit.g.body
    # As few slides as hold every judgement (a template's short body may need three).
    pages, n = [rows], 1
    while n < len(rows) and not all(
        Region(body, page, gap=L.JUDGEMENT_GAP).fits_at(kit, 0) for page in pages
    ):
        n += 1  # counted apart: five rows make three pages of two for n = 3 and for n = 4
        per = -(-len(rows) // n)
        pages = [rows[i : i + per] for i in range(0, len(rows), per)]
    return [
        Draft(
            "judgements",
            w.continued(title, k),
            w("opening"),
            text,
            ("key_judgements",),
            kicker,
            [Region(body, page, gap=L.JUDGEMENT_GAP)],
        )
        for k, page in enumerate(pages)
    ]


# ------------------------------------------------------------------------- what changed


def what_changed(kit: Kit) -> list[Draft]:
    """What changed since the older version the build was given (``--since``): judgements,
    assessments, sections, figures; one line when nothing a reader briefed on changed."""
    changes, w = kit.changes, kit.words
    assert changes is not None
    numbers = {s.id: i for i, s in enumerate(kit.o.sections, 1)}
    items = changes.briefed
    body = kit.g.body
    since = w.since(changes.since)
    if not items:
        title = w("consistent_title", since=since)
        line = w("consistent_line")
        blocks = [kit.block((Run(line),), space_after=0)]
        notes = f"{title}. {line}"
        return [
            Draft(
                "changes",
                title,
                w("opening"),
                notes,
                (),
                w("bottom_line"),
                [Region(body, [TextItem("body", blocks, [kit.p.text], "changes.body")])],
            )
        ]
    blocks = []
    described = [describe(c, numbers, w) for c in items]
    for lead, rest in described:
        runs = (Run(f"{w.colon(lead)} ", bold=True), Run(rest))
        blocks.append(kit.block(runs, space_after=L.POINT_GAP, indent=16))
    title = w("changes_title", since=since)
    notes = (
        w.colon(title) + "\n" + "\n".join(f"- {w.colon(lead)} {rest}" for lead, rest in described)
    )
    parts = split_even(kit, blocks, body.w, body.h, kit.ranges["body"].min)
    return [
        Draft(
            "changes",
            w.continued(title, k),
            w("opening"),
            notes,
            (),
            w("changes_kicker"),
            [Region(body, [TextItem("body", part, [kit.p.text], "changes.body", bullets=True)])],
        )
        for k, part in enumerate(parts)
    ]


# ------------------------------------------------------------------------------ agenda


def agenda(kit: Kit) -> list[Draft]:
    """The sections, numbered, in one or two columns, on as many slides as they need."""
    o, g, w = kit.o, kit.g, kit.words
    items = [f"{i:02d}  {plain(s.title)}" for i, s in enumerate(o.sections, 1)]
    notes = w.colon(w("agenda")) + "\n" + "\n".join(items)
    cols = 1 if len(items) <= 6 else 2
    width = (g.body.w - (cols - 1) * L.COLUMN_GAP) / cols

    def entry(i: int) -> Block:
        s = o.sections[i]
        return kit.block(
            (Run(f"{i + 1:02d}   ", bold=True), Run(plain(s.title))), space_after=L.PARA_GAP
        )

    def regions_for(chunk: list[int]) -> list[Region]:
        per = -(-len(chunk) // cols)
        out = []
        for c in range(cols):
            part = chunk[c * per : (c + 1) * per]
            if part:
                box = Box(g.margin + c * (width + L.COLUMN_GAP), g.body_top, width, g.body_height)
                out.append(
                    Region(
                        box,
                        [
                            TextItem(
                                "body", [entry(i) for i in part], [kit.p.text], f"agenda.col{c}"
                            )
                        ],
                    )
                )
        return out

    indexes = list(range(len(items)))
    for slides in range(1, len(items) + 1):
        per = -(-len(items) // slides)
        chunks = [indexes[k : k + per] for k in range(0, len(indexes), per)]
        pages = [regions_for(c) for c in chunks]
        if all(r.fits_at(kit, 0) for page in pages for r in page):
            break
    return [
        Draft(
            "agenda",
            w.continued(w("agenda"), k),
            w("opening"),
            notes,
            ("sections",),
            plain(o.meta.title),
            page,
        )
        for k, page in enumerate(pages)
    ]


# ----------------------------------------------------------------------------- summary


def summary(kit: Kit) -> tuple[list[Draft], bool]:
    """The executive summary; in a compact deck the agenda sits beside it when it fits there.

    Returns the slides and whether the agenda folded into them.
    """
    o, g, w = kit.o, kit.g, kit.words
    blocks = [kit.block(tuple(parse(p)), space_after=L.PARA_GAP) for p in paragraphs(o.summary)]
    title = w("summary")
    notes = o.summary
    aside: Region | None = None
    box = g.body
    if kit.mode == "compact":
        main, side = g.columns(1 - L.ASIDE_SHARE)
        entries = [
            kit.block((Run(f"{i}  ", bold=True), Run(plain(s.title))), space_after=0.3)
            for i, s in enumerate(o.sections, 1)
        ]
        items: list[Item] = [
            LabelItem(w("in_this_briefing")),
            TextItem("aside", entries, [kit.p.text], "agenda.body"),
        ]
        candidate = Region(side, items, gap=4)
        text = Region(main, [TextItem("lead", blocks, [kit.p.text], "summary.body")])
        if candidate.fits_at(kit, 0) and text.fits_at(kit, 0):
            aside, box = candidate, main
            notes += (
                "\n\n"
                + w.colon(w("in_this_briefing"))
                + "\n"
                + "\n".join(f"{i}. {plain(s.title)}" for i, s in enumerate(o.sections, 1))
            )
    parts = split_even(kit, blocks, box.w, box.h, kit.ranges["lead"].min)
    if len(parts) > 1:
        kit.note(("summary",), "summary text continues on a '(cont.)' slide", Severity.WARNING)
    out = []
    for k, part in enumerate(parts):
        regions = [Region(box, [TextItem("lead", part, [kit.p.text], "summary.body")])]
        if k == 0 and aside is not None:
            regions.append(aside)
        out.append(
            Draft(
                "summary",
                w.continued(title, k),
                w("opening"),
                notes if k == 0 else w("continued_notes", notes=notes),
                ("summary",),
                plain(o.meta.title),
                regions,
            )
        )
    return out, aside is not None

"""Section slides: one assessment section in, its slide group out.

``compact`` (the default): the key-points slide, titled with the section's assessment, with the
metric cards and the "looking ahead" panel beside the points; a second slide only for a declared
chart (its title the chart's takeaway) or for cards that do not fit beside the points. ``full``
adds a divider with an agenda tracker before the group.
"""

from __future__ import annotations

from dataclasses import replace

from deckgen.diagnostics import Severity
from deckgen.model import Box, ChartSpec, Shape, Slide
from deckgen.outline import Metric, Section
from deckgen.plan.changes import shown_old
from deckgen.plan.charts import chart_for
from deckgen.plan.content import value_text
from deckgen.plan.deck import layout as L
from deckgen.plan.deck.kit import Kit, Where, key
from deckgen.plan.deck.sizes import Range
from deckgen.plan.deck.stack import (
    CardItem,
    ChartItem,
    Draft,
    FigureItem,
    IndicatorItem,
    Item,
    LegendItem,
    PanelItem,
    Region,
    TextItem,
    split_even,
)
from deckgen.plan.wording import first_sentence
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.textfit import Block

BULLET_INDENT = 16.0


def point_blocks(kit: Kit, section: Section) -> list[Block]:
    """Each key point as one paragraph: its headline in bold, then its detail's first sentence
    (with ``--since``, "(changed)" after the headline of a point that changed)."""
    out = []
    for kp in section.key_points:
        head = parse(kp.headline, bold=True)
        if kit.changes is not None and kit.changes.point_changed(section.id, kp.headline):
            head = [*head, Run(f" {kit.words('changed_mark')}", italic=True)]
        sep = " " if kp.headline.rstrip()[-1:] in ".!?:" else ". "
        runs = (*head, Run(sep, bold=True), *first_sentence(parse(kp.detail)))
        out.append(kit.block(runs, space_after=L.POINT_GAP, indent=BULLET_INDENT))
    return out


def ahead_blocks(kit: Kit, text: str) -> list[Block]:
    return [kit.block(tuple(parse(p)), space_after=L.PARA_GAP) for p in paragraphs(text)]


def drafts(kit: Kit, n: int, s: Section, where: Where) -> list[Draft]:
    """The slide group of section ``n`` (1-based)."""
    w = kit.words
    name = plain(s.title)
    title = plain(s.assessment) if s.assessment else name
    if s.assessment is None:
        kit.note(
            where,
            "no assessment: the section's slide is titled with its name; an assessment "
            "(one sentence) states its point",
        )
    kicker = w("section_kicker", number=n, name=name)
    total = len(kit.o.sections)
    out: list[Draft] = []
    if kit.mode == "full":
        out.append(divider(kit, n, s, where))
    lead = f"{w('section_note', number=n, total=total, name=name)}\n\n{plain(s.lead)}"
    if s.notes:
        lead += f"\n\n{s.notes}"
    point_notes = "\n\n".join(
        f"{w.colon(plain(kp.headline))} {plain(kp.detail)}" for kp in s.key_points
    )
    ahead_label = w("looking_ahead")
    notes = f"{lead}\n\n{point_notes}\n\n{w.colon(ahead_label)} {plain(s.looking_ahead)}"
    metric_notes = "\n".join(
        w(
            "metric_note_target" if m.target else "metric_note",
            label=m.label,
            value=value_text(m),
            target=m.target,
            context=plain(m.context),
            source=m.source,
        )
        + was(kit, s, m)
        for m in s.metrics
    )
    if kit.changes is not None:
        changed_points = [
            c
            for c in kit.changes.items
            if c.area == "key_point" and c.section == s.id and c.kind == "changed"
        ]
        if changed_points:
            since = w("changed_since", since=w.since(kit.changes.since))
            notes += f"\n\n{w.colon(since)}\n" + "\n".join(
                f"- {w('was_quoted', subject=c.subject, old=w.quoted(plain(c.old or '')))}"
                for c in changed_points
            )
    figures = w.colon(w("figures"))
    if metric_notes:
        notes += f"\n\n{figures}\n{metric_notes}"

    left, right = kit.g.columns()
    body = kit.g.body
    p = kit.p
    points = point_blocks(kit, s)
    if s.assessment is None:
        # Without an assessment the title is the section's name: its lead frames the points.
        framing = kit.block(tuple(parse(s.lead, italic=True)), space_after=L.POINT_GAP)
        points = [framing, *points]
    rng: Range = kit.ranges["body"]
    parts = split_even(kit, points, left.w, left.h, rng.min)
    if len(parts) > 1:
        kit.note(
            (*where, "key_points"), "key points continue on a '(cont.)' slide", Severity.WARNING
        )
    chart = chart_for(s, kit.t, L.CHART_TEXT, kit.words)
    charted = {id(m) for m in s.chart_metrics()} if chart is not None else set()
    # Metrics the chart shows are not repeated as cards: its labels carry their values.
    rest = [(i, m) for i, m in enumerate(s.metrics) if id(m) not in charted]
    panel = PanelItem(ahead_label, ahead_blocks(kit, s.looking_ahead))
    key = f"section:{s.id}"
    figure = FigureItem(key, s.image.alt) if s.image is not None and key in kit.images else None
    statuses: list[str] = sorted({m.status for _, m in rest if m.status})
    legend: list[Item] = [LegendItem(statuses)] if statuses else []
    cards: list[Item] = [CardItem(m, i, changed(kit, s, m)) for i, m in rest]

    def column(items: list[Item]) -> Region:
        return Region(right, items, bottom=1)

    # What goes beside the key points, most wanted first; what does not fit at a comfortable
    # size moves to slides of its own: the chart first, then the cards (as indicator rows),
    # then the picture.
    lead_items: list[Item] = [figure] if figure else []
    chart_items: list[Item] = [ChartItem(chart, flex=chart_height(chart))] if chart else []
    region = column([*lead_items, *chart_items, *cards, *legend, panel])
    chart_alone = board = False
    if chart_items and not region.fits_at(kit, L.COMFORT):
        chart_alone, chart_items = True, []
        region = column([*lead_items, *cards, *legend, panel])
    if cards and not region.fits_at(kit, L.COMFORT):
        board = True  # the figures get slides of their own, as indicator rows
        region = column([*lead_items, *chart_items, panel])
        if chart_items and not region.fits_at(kit, L.COMFORT):
            chart_alone, chart_items = True, []
            region = column([*lead_items, panel])
    if figure and not region.fits_at(kit, 0):
        lead_items = []
        region = column([*chart_items, panel])
    panel_alone = not region.fits_at(kit, 0)
    if panel_alone:
        kit.note(
            (*where, "looking_ahead"), "looking ahead moved to a slide of its own", Severity.WARNING
        )
        region = column([])

    # The right column is on the first key-points slide only: the points that continue on
    # '(cont.)' slides take the body's whole width there (and on the first too when nothing
    # stands beside them), rather than leave half of each slide empty.
    if len(parts) > 1 or not region.items:
        kept = parts[:1] if region.items else []  # the first slide's, beside the column
        following = [b for part in parts[len(kept) :] for b in part]
        parts = kept + (split_even(kit, following, body.w, body.h, rng.min) if following else [])

    where_title = (*where, "assessment") if s.assessment else (*where, "title")
    for k, part in enumerate(parts):
        bullets = [b.indent > 0 for b in part]
        beside = k == 0 and bool(region.items)
        regions = [
            Region(
                left if beside else body,
                [TextItem("body", part, [p.text], "key_points.body", bullets=bullets)],
            )
        ]
        if k == 0 and region.items:
            regions.append(region)
        out.append(
            Draft(
                kind="key_points",
                title=w.continued(title, k),
                section=name,
                notes=notes if k == 0 else w("continued_notes", notes=notes),
                where=where_title,
                kicker=kicker,
                regions=regions,
            )
        )
    if panel_alone:
        pieces = split_even(kit, panel.blocks, body.w - 60, body.h - 80, rng.min)
        out += flow(
            kit,
            "ahead",
            name,
            (*where, "looking_ahead"),
            kicker,
            title,
            notes,
            [PanelItem(ahead_label, b) for b in pieces],
        )
    if figure and not lead_items:
        out.append(
            Draft(
                "picture",
                title,
                name,
                notes,
                (*where, "image"),
                kicker,
                [Region(body, [FigureItem(key, figure.alt, body.h)])],
            )
        )
    fig_notes = f"{title}\n\n{figures}\n{metric_notes}" if metric_notes else notes
    if chart is not None and chart_alone:
        out.append(
            Draft(
                "chart",
                chart.takeaway,
                name,
                fig_notes,
                (*where, "chart", "title"),
                kicker,
                # Alone, a chart takes the body, down to the least height it reads at.
                [Region(body, [ChartItem(chart, flex=chart_least(chart, body.h))])],
            )
        )
    if board:
        out += indicator_slides(kit, rest, where, title, kicker, name, fig_notes, statuses)
    return out


def changed(kit: Kit, s: Section, m: Metric) -> bool:
    """Whether ``m`` changed since the older version (``--since``)."""
    return kit.changes is not None and bool(kit.changes.metric(s.id, m.label))


def was(kit: Kit, s: Section, m: Metric) -> str:
    """For speaker notes: what the metric was in the older version, when it changed."""
    if kit.changes is None:
        return ""
    found = kit.changes.metric(s.id, m.label)
    if not found:
        return ""
    w = kit.words
    parts = [w("was", old=shown_old(c, w)) if c.kind != "added" else w("new") for c in found]
    since = w("changed_since", since=w.since(kit.changes.since))
    return f" {w.colon(since)} {w('list_semicolon').join(parts)}."


def even_parts(items: list[Item], parts: int) -> list[list[Item]]:
    """``items`` in ``parts`` consecutive runs whose lengths differ by at most one."""
    q, r = divmod(len(items), parts)
    out, k = [], 0
    for i in range(parts):
        size = q + (1 if i < r else 0)
        out.append(items[k : k + size])
        k += size
    return out


def chart_least(chart: ChartSpec, room: float) -> float:
    """The height a chart alone on its slide asks for: its comfortable height where the body
    has it, else the room there is, but never under ``CHART_LEAST`` (then the slide does not
    fit, which is an error naming the chart)."""
    return max(L.CHART_LEAST, min(chart_height(chart), room))


def chart_height(chart: ChartSpec) -> float:
    """The least height at which ``chart`` reads: room for each bar, or a plot of fixed size."""
    if chart.type in ("bar", "bullet"):
        return 70.0 + 30.0 * len(chart.values)
    return 190.0


def indicator_slides(
    kit: Kit,
    metrics: list[tuple[int, Metric]],
    where: Where,
    title: str,
    kicker: str,
    name: str,
    notes: str,
    statuses: list[str],
) -> list[Draft]:
    """A section's figures as indicator rows on slides of their own, shared out evenly."""
    body = kit.g.body
    legend: list[Item] = [LegendItem(statuses)] if statuses else []
    section = kit.o.sections[int(where[1])]
    rows: list[Item] = [IndicatorItem(m, i, changed(kit, section, m)) for i, m in metrics]
    for count in range(1, len(rows) + 1):
        regions = [Region(body, [*part, *legend]) for part in even_parts(rows, count)]
        if all(r.fits_at(kit, 0) for r in regions):
            break
    if len(regions) > 1:
        kit.note((*where, "metrics"), "metrics continue on a '(cont.)' slide", Severity.WARNING)
    return [
        Draft(
            "metrics",
            kit.words.continued(title, k),
            name,
            notes,
            (*where, "metrics"),
            kit.words("indicators", kicker=kicker),
            [r],
        )
        for k, r in enumerate(regions)
    ]


def flow(
    kit: Kit,
    kind: str,
    section: str,
    where: Where,
    kicker: str,
    title: str,
    notes: str,
    items: list[Item],
) -> list[Draft]:
    """One slide per item, the body region each, "(cont.)" after the first."""
    return [
        Draft(
            kind,
            kit.words.continued(title, k),
            section,
            notes,
            where,
            kicker,
            [Region(kit.g.body, [item])],
        )
        for k, item in enumerate(items)
    ]


# ---------------------------------------------------------------------------- dividers


def divider(kit: Kit, n: int, s: Section, where: Where) -> Draft:
    """The section divider of a ``full`` deck: number panel, title, lead and agenda tracker."""
    name = plain(s.title)
    total = len(kit.o.sections)
    notes = f"{kit.words('section_note', number=n, total=total, name=name)}\n\n{plain(s.lead)}"
    if s.notes:
        notes += f"\n\n{s.notes}"

    def paint(kit: Kit, slide: Slide) -> None:
        if kit.template is not None:
            template_divider(kit, slide, n, s, where)
        else:
            plain_divider(kit, slide, n, s, where)

    left = None if kit.template is not None else round(kit.g.width * 0.3) + kit.g.margin
    return Draft("divider", name, name, notes, where, heading=False, paint=paint, footer_left=left)


def plain_divider(kit: Kit, slide: Slide, n: int, s: Section, where: Where) -> None:
    g, p, total = kit.g, kit.p, len(kit.o.sections)
    panel_w = round(g.width * 0.3)
    slide.frames.append(
        Shape(
            "divider.panel",
            Box(0, g.banner, panel_w, g.height - 2 * g.banner),
            p.primary,
            decorative=True,
        )
    )
    num_box = Box(g.margin / 2, g.height * 0.25, panel_w - g.margin, g.height * 0.4)
    blocks = [kit.block((Run(f"{n:02d}", bold=True),), leading=1.0, space_after=0)]
    r = kit.fit(
        blocks, num_box, Range(kit.t.type.divider_number.max, kit.t.type.divider_number.min)
    )
    if not r.fits:
        kit.overflow(
            where, "the section number does not fit the divider's panel", ["divider_number"]
        )
    slide.frames.append(
        kit.text_frame(
            "divider.number",
            num_box,
            blocks,
            r.size,
            [p.on_primary_accent],
            p.primary,
            aligns=["ctr"],
            anchor="ctr",
        )
    )
    x = panel_w + g.margin
    w = g.width - x - g.margin
    key = f"section:{s.id}"
    if s.image is not None and key in kit.images:
        img_w = round(w * 0.42, 2)
        area = Box(x + w - img_w, g.height * 0.22, img_w, g.height * 0.5)
        slide.frames.append(kit.picture("section.image", key, area, s.image.alt))
        w = w - img_w - g.gap
    on = kit.background(slide)
    slide.frames.append(
        kit.simple(
            "kicker",
            Box(x, g.height * 0.22, w, 16),
            kit.words.upper("section_of", number=n, total=total),
            L.KICKER_SIZE + 1,
            p.secondary,
            on,
            bold=True,
        )
    )
    box = Box(x, g.height * 0.22 + 22, w, 100)
    title = kit.ranges["title"]
    blocks = [kit.block((Run(plain(s.title), bold=True),), space_after=0)]
    r = kit.fit(blocks, box, Range(title.max * 1.2, title.min))
    if not r.fits:
        kit.overflow((*where, "title"), "section title does not fit the divider", ["title"])
    slide.frames.append(kit.text_frame("title", box, blocks, r.size, [p.primary], on, anchor="b"))
    slide.frames.append(
        Shape(
            "rule",
            Box(x, box.bottom + 10, L.RULE_WIDTH, L.RULE_HEIGHT),
            p.accent,
            decorative=True,
        )
    )
    box = Box(x, box.bottom + 24, w, g.height * 0.78 - box.bottom - 24 - g.banner)
    blocks = [kit.block(tuple(parse(s.lead)), space_after=0)]
    sub = kit.t.type.subtitle
    r = kit.fit(blocks, box, Range(sub.max, max(sub.min, L.BODY_FLOOR)))
    if not r.fits:
        kit.overflow((*where, "lead"), "lead does not fit the divider", ["subtitle"])
    slide.frames.append(kit.text_frame("divider.lead", box, blocks, r.size, [p.muted], on))
    tracker(kit, slide, n, x, w)


def template_divider(kit: Kit, slide: Slide, n: int, s: Section, where: Where) -> None:
    """A divider on a template: kicker, title (in the layout's title placeholder), lead and
    tracker, in reading order from the top.

    The title keeps the placeholder's place and width, moved up only as far as the lead
    under it needs; when even that leaves no room, the lead stays in the speaker notes (said
    in a notice) rather than going above the title.
    """
    g, p, total = kit.g, kit.p, len(kit.o.sections)
    ph = kit.placeholder("divider")
    title_box = ph.box if ph is not None and ph.box is not None else g.title_box
    size = kit.title_fits(plain(s.title), title_box)
    if not size:
        kit.overflow((*where, "title"), "slide title does not fit in two lines", ["title"])
        size = kit.ranges["title"].min
    assert kit.template is not None
    color = kit.template.title_color or p.primary
    frame = kit.title_frame(title_box, plain(s.title), size, color, kit.background(slide))
    title_h = round(max(1, frame.lines) * frame.paras[0].line_pitch, 2)
    tracker_top = g.footer_top - 16 - 26
    top_most = max(g.body_top, g.banner + 4) + L.KICKER_HEIGHT + 4
    lead_x, lead_w = title_box.x, min(title_box.w, g.right - title_box.x)
    room = tracker_top - 12 - (top_most + title_h + 16)
    blocks = [kit.block(tuple(parse(s.lead)), space_after=0)]
    sub = kit.t.type.subtitle
    rng = Range(sub.max, max(sub.min, L.BODY_FLOOR))
    r = kit.fit(blocks, Box(lead_x, 0, lead_w, max(0.0, room)), rng)
    lead_h = r.height if r.fits else 0.0
    title_y = min(title_box.y, tracker_top - 12 - (lead_h + 16 if lead_h else 0) - title_h)
    title_y = round(max(top_most, title_y), 2)
    box = Box(title_box.x, title_y, title_box.w, title_h)
    on = kit.under(slide, box)
    frame = kit.title_frame(box, plain(s.title), size, color, on)
    kicker_box = Box(
        title_box.x, round(title_y - L.KICKER_HEIGHT - 4, 2), title_box.w, L.KICKER_HEIGHT
    )
    slide.frames.append(
        kit.simple(
            "kicker",
            kicker_box,
            kit.words("section_of", number=n, total=total).upper(),
            L.KICKER_SIZE,
            p.secondary,
            kit.under(slide, kicker_box),
            bold=True,
        )
    )
    slide.frames.append(frame if ph is None else replace(frame, placeholder=key(ph)))
    if r.fits:
        lead_box = Box(lead_x, round(title_y + title_h + 16, 2), lead_w, round(lead_h + 1, 2))
        slide.frames.append(
            kit.text_frame(
                "divider.lead", lead_box, blocks, r.size, [p.muted], kit.under(slide, lead_box)
            )
        )
    else:
        kit.note(
            (*where, "lead"),
            "no room for the lead under the divider's title in this layout; it is in the notes",
        )
    tracker(kit, slide, n, g.left, g.right - g.left)


def tracker(kit: Kit, slide: Slide, current: int, x: float, w: float) -> None:
    """A row of numbered squares, the current section highlighted: where we are in the deck.

    Long decks show a window of at most ``TRACKER_WINDOW`` sections around the current one,
    so every divider costs the same however many sections there are (linear decks).
    """
    g, p, total = kit.g, kit.p, len(kit.o.sections)
    first = max(1, min(current - L.TRACKER_WINDOW // 2, total - L.TRACKER_WINDOW + 1))
    last = min(total, first + L.TRACKER_WINDOW - 1)
    shown = last - first + 1
    step_gap = 6.0
    size = min(26.0, (w - (shown - 1) * step_gap) / shown)
    y = g.footer_top - 16 - size
    for k, i in enumerate(range(first, last + 1)):
        box = Box(round(x + k * (size + step_gap), 2), y, round(size, 2), round(size, 2))
        fill = p.accent if i == current else (p.secondary if i < current else p.surface)
        slide.frames.append(Shape(f"tracker.{i}", box, fill, decorative=True))
        if size >= 14:
            color = kit.on(fill) if i <= current else p.muted
            slide.frames.append(
                kit.simple(
                    f"tracker.{i}.label",
                    box,
                    str(i),
                    min(10.0, size * 0.42),
                    color,
                    fill,
                    bold=True,
                    align="ctr",
                    anchor="ctr",
                )
            )

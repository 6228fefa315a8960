"""The brief planner: a validated outline and a theme in, a :class:`BriefPlan` out (pure).

The brief is a flowing document, so the plan is an ordered list of typed blocks (cover, headings,
paragraphs as styled runs, tables as rows of cells, the chart as the deck's own
:class:`ChartSpec` with its labels already broken into lines, the "looking ahead" box, sources)
plus everything a writer needs to draw them: page geometry and the cover's frames, the running
header and footer in words, named text styles in points, colours and every spacing. Pagination is
left to the writer's layout engine; what may not be split or stranded is said here
(``keep_with_next``, tables that repeat their header). Writers translate; they decide nothing
about content, wording, size, colour or spacing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from deckgen.fonts import FontSet
from deckgen.model import (
    Block,
    Box,
    BriefPlan,
    Cell,
    Chart,
    Contents,
    Cover,
    Figure,
    Heading,
    KeyPointBlock,
    LookingAhead,
    PageBreak,
    PageGeometry,
    PreparedImage,
    SourceEntry,
    Sources,
    Spacing,
    Table,
    Text,
    TextStyle,
)
from deckgen.outline import Outline, Section
from deckgen.plan.catalogue import Words, sentence_case
from deckgen.plan.changes import Changes, describe, shown_old
from deckgen.plan.charts import chart_for, lay_out_labels
from deckgen.plan.content import (
    as_of,
    doc_meta,
    kind,
    section_refs,
    value_text,
    value_with_trend,
    words_of,
)
from deckgen.plan.glyphs import check_glyphs
from deckgen.plan.wording import first_sentence
from deckgen.richtext import Run, paragraphs, parse, plain
from deckgen.textfit import WIDTH_SAFETY
from deckgen.theme import Theme

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595.2756, 841.8898),
    "Letter": (612.0, 792.0),
}
LEADING = 1.38
FIGURE_MAX_HEIGHT = 240.0  # points: a picture never takes more than about a third of a page
CHART_SHARE = 0.8  # a chart's width, as a share of the text width
Runs = tuple[Run, ...]


# --- helpers -------------------------------------------------------------------------------


def headline_metric(section: Section) -> str:
    """The section's first metric as ``value unit — label`` ("" when it has none)."""
    if not section.metrics:
        return ""
    m = section.metrics[0]
    return f"{value_text(m)} \u2014 {m.label}"


def styles_for(theme: Theme) -> dict[str, TextStyle]:
    """Every named text style of the brief, scaled from the theme's body and heading sizes."""
    p = theme.palette
    body = theme.brief.body
    head = theme.brief.heading
    small = round(body * 0.84, 2)
    tiny = round(body * 0.74, 2)

    def st(size: float, color: str, **kw: Any) -> TextStyle:
        return TextStyle(size=size, leading=round(size * LEADING, 2), color=color, **kw)

    return {
        "cover_kicker": st(small, p.accent, bold=True, space_after=10),
        "cover_title": TextStyle(
            head * 1.9, round(head * 1.9 * 1.12, 2), p.on_primary, bold=True, space_after=14
        ),
        "cover_subtitle": st(round(body * 1.35, 2), p.on_primary, space_after=0),
        "cover_label": st(tiny, p.muted, bold=True, space_before=14),
        "cover_meta": st(round(body * 1.15, 2), p.text),
        "h1": TextStyle(
            head,
            round(head * 1.25, 2),
            p.primary,
            bold=True,
            space_before=head * 1.3,
            space_after=head * 0.45,
            keep_with_next=True,
        ),
        "h1_number": st(head, p.accent, bold=True),
        "assessment": st(
            round(body * 1.25, 2), p.primary, bold=True, space_after=body * 0.5, keep_with_next=True
        ),
        "lead": st(round(body * 1.14, 2), p.secondary, space_after=body * 0.9, keep_with_next=True),
        "judgement": st(round(body * 1.1, 2), p.text),
        "confidence": st(small, p.secondary, bold=True),
        "body": st(body, p.text, space_after=body * 0.7),
        "h2": st(
            round(body * 1.2, 2),
            p.primary,
            bold=True,
            space_before=body * 1.4,
            space_after=body * 0.6,
            keep_with_next=True,
        ),
        "kp_head": st(
            round(body * 1.05, 2),
            p.primary,
            bold=True,
            space_before=body * 0.5,
            space_after=body * 0.2,
            keep_with_next=True,
        ),
        "kp_body": st(body, p.text, space_after=body * 0.6),
        "table": TextStyle(small, round(small * 1.25, 2), p.text),
        "table_strong": TextStyle(small, round(small * 1.25, 2), p.text, bold=True),
        "table_head": TextStyle(tiny, round(tiny * 1.25, 2), p.on_primary, bold=True),
        "table_link": TextStyle(small, round(small * 1.25, 2), p.secondary, bold=True),
        "caption": st(
            small,
            p.primary,
            bold=True,
            space_before=body * 1.3,
            space_after=body * 0.4,
            keep_with_next=True,
        ),
        "ahead_title": st(small, p.ahead_rule, bold=True, space_after=body * 0.25),
        "ahead_body": st(body, p.text),
        "toc1": TextStyle(body, round(body * 1.3, 2), p.text),
        "toc_page": TextStyle(body, round(body * 1.3, 2), p.text, align="r"),
        "source": st(small, p.text, space_after=body * 0.5),
        "header": TextStyle(tiny, tiny * 1.2, p.muted),
        "footer": TextStyle(tiny, tiny * 1.2, p.muted),
        "banner": TextStyle(tiny, tiny * 1.2, p.on_banner, bold=True, align="ctr"),
    }


def colors_for(theme: Theme) -> dict[str, str]:
    """The theme colours the brief uses, by role."""
    p = theme.palette
    return {
        "primary": p.primary,
        "secondary": p.secondary,
        "accent": p.accent,
        "text": p.text,
        "muted": p.muted,
        "background": p.background,
        "surface": p.surface,
        "on_primary": p.on_primary,
        "ahead": p.ahead,
        "ahead_rule": p.ahead_rule,
        "banner": p.banner,
        "on_banner": p.on_banner,
        "rule": p.muted,
        "grid": p.surface,
        "green": p.status.green,
        "amber": p.status.amber,
        "red": p.status.red,
    }


def geometry_for(theme: Theme, classification: str | None) -> PageGeometry:
    width, height = PAGE_SIZES[theme.brief.page]
    body = theme.brief.body
    m = theme.brief.margin
    banner = round(body * 1.7, 2) if classification else 0.0
    panel = round(height * 0.46, 2)
    title_top = banner + m * 1.1
    title_bottom = banner + panel - m * 0.6
    meta_top = banner + panel + m * 0.7
    return PageGeometry(
        width=width,
        height=height,
        margin=m,
        banner=banner,
        header=round(body * 2.2, 2),
        footer=round(body * 2.2, 2),
        rule=0.5,
        cover_panel=panel,
        cover_title=Box(m, round(title_top, 2), width - 2 * m, round(title_bottom - title_top, 2)),
        cover_meta=Box(
            m,
            round(meta_top, 2),
            round((width - 2 * m) * 0.7, 2),
            round(height - banner - m - meta_top, 2),
        ),
        cover_strip=5.0,
    )


def spacing_for(theme: Theme) -> Spacing:
    """Every spacing of the brief, from the theme's body size (and fixed hairlines)."""
    body = theme.brief.body
    toc = body  # the contents entries' size
    return Spacing(
        cell_x=5.0,
        cell_top=4.0,
        cell_bottom=5.0,
        cell_rule=0.5,
        table_end_rule=0.8,
        table_before=round(body * 0.4, 2),
        judgement_pad=round(body * 0.6, 2),
        judgement_top_rule=1.2,
        contents_pad=round(toc * 0.45, 2),
        contents_dots=(0.4, 0.6, 2.4),
        contents_widths=(0.88, 0.12),
        ahead_x=round(body * 1.3, 2),
        ahead_y=round(body * 0.25, 2),
        ahead_top=round(body * 0.9, 2),
        ahead_bottom=round(body * 1.0, 2),
        ahead_rule=3.5,
        ahead_before=round(body * 1.2, 2),
        ahead_after=round(body * 0.6, 2),
        header_text=0.45,
        header_rule=0.7,
        footer_rule=0.75,
        footer_text=0.3,
        number_gap=3,
    )


# --- the planner ---------------------------------------------------------------------------


def _cell(text: str, style: str = "table", **kw: Any) -> Cell:
    return Cell((Run(text),), style, **kw)


STATUS_SHARE = 0.11  # the status column's share of the table, unless its words need more


def status_share(section: Section, theme: Theme, w: Words, fonts: FontSet, width: float) -> float:
    """The status column's share of a table ``width`` points wide: enough for its widest word
    after the dot on one line (a word is never broken; French words are longer), else
    :data:`STATUS_SHARE`."""
    size = styles_for(theme)["table"].size
    pad = 2 * spacing_for(theme).cell_x
    words = {w.status(m.status) for m in section.metrics if m.status}
    widest = max((fonts.width(f"\u25cf {word}", False, False, size) for word in words), default=0)
    # With the fit engine's margin for renderers' differences (Word and LibreOffice set the
    # Word brief's table text a little wider than reportlab does).
    need = (widest / (1 - WIDTH_SAFETY) + pad + 1) / width
    return round(max(STATUS_SHARE, need), 3)


def metrics_table(
    section: Section,
    theme: Theme,
    w: Words,
    changes: Changes | None = None,
    status: float = STATUS_SHARE,
) -> Table:
    """The section's metrics; a status column (dot and word) only when one has a status, its
    share of the width ``status`` (taken from the context column); with ``--since``, a changed
    value says what it was."""
    with_status = any(m.status for m in section.metrics)
    colors = theme.palette.status.model_dump()
    columns = ["col_measure", "col_value", "col_context", *(["col_status"] if with_status else [])]
    header = [w(c) for c in [*columns, "col_source"]]
    rows = []
    for m in section.metrics:
        value = [Run(value_with_trend(m), bold=True)]
        for c in changes.metric(section.id, m.label) if changes is not None else []:
            mark = w("new_mark") if c.kind == "added" else w("was_mark", old=shown_old(c, w))
            value.append(Run(f" {mark}", italic=True))
        cells = [
            _cell(m.label),
            Cell(tuple(value), "table"),
            Cell(tuple(parse(m.context)), "table"),
        ]
        if with_status:
            word_ = w.status(m.status) if m.status else "\u2014"
            cells.append(_cell(word_, mark=colors[m.status] if m.status else None))
        cells.append(_cell(m.source))
        rows.append(tuple(cells))
    context = round(0.38 - status, 3)
    widths = (0.23, 0.14, context, status, 0.25) if with_status else (0.25, 0.15, 0.32, 0.28)
    head = tuple(_cell(h, "table_head") for h in header)
    return Table(head, tuple(rows), widths, space_before=spacing_for(theme).table_before)


def _section_blocks(
    number: int,
    key: str,
    section: Section,
    theme: Theme,
    frame: float,
    width: float,
    fonts: FontSet,
    w: Words,
    images: Mapping[str, PreparedImage] | None = None,
    changes: Changes | None = None,
) -> list[Block]:
    out: list[Block] = [Heading(plain(section.title), key, number=str(number))]
    if section.assessment:
        out.append(Text(tuple(parse(section.assessment)), "assessment"))
    out.append(Text(tuple(parse(section.lead)), "lead"))
    image_key = f"section:{section.id}"
    if section.image is not None and images and image_key in images:
        aspect = images[image_key].aspect
        fig_w = min(width, FIGURE_MAX_HEIGHT * aspect)
        alt = section.image.alt
        out.append(Figure(image_key, alt, round(fig_w, 2), round(fig_w / aspect, 2), alt))
    for kp in section.key_points:
        head = tuple(parse(kp.headline, bold=True))
        if changes is not None and changes.point_changed(section.id, kp.headline):
            head = (*head, Run(f" {w('changed_mark')}", italic=True))
        out.append(KeyPointBlock(head, tuple(parse(kp.detail))))
    if section.metrics:
        status = status_share(section, theme, w, fonts, frame)
        out.append(metrics_table(section, theme, w, changes, status))
    size = theme.brief.body * 0.8
    spec = chart_for(section, theme, font_size=size, words=w)
    if spec is not None:
        bar = theme.brief.body * 2.2
        rows = len(spec.values) if spec.type in ("bar", "bullet") else 5
        height = round(bar * rows + theme.brief.body * 2.6, 2)
        out.append(
            Chart(
                spec=lay_out_labels(spec, width, fonts),
                width=width,
                height=height,
                caption=w("figure", number=number, caption=spec.takeaway),
            )
        )
    ahead = tuple(tuple(parse(p)) for p in paragraphs(section.looking_ahead))
    out.append(LookingAhead(w.upper("looking_ahead"), ahead))
    return out


def what_changed(outline: Outline, changes: Changes) -> list[Block]:
    """What changed since the older version (``--since``), or that judgements are consistent."""
    w = words_of(outline)
    numbers = {s.id: i for i, s in enumerate(outline.sections, 1)}
    out: list[Block] = [Heading(w("what_changed"), "changes")]
    items = changes.briefed
    since = w.since(changes.since)
    if not items:
        line = w("consistent_brief", since=since)
        return [*out, Text((Run(line),), "body")]
    out.append(Text((Run(w.colon(w("since", since=since))),), "body"))
    for c in items:
        lead, rest = describe(c, numbers, w)
        out.append(Text((Run("\u2022 "), Run(f"{w.colon(lead)} ", bold=True), Run(rest)), "body"))
    return out


def judgements_table(outline: Outline) -> Table:
    """The key judgements beside their confidence, in words, and the sections they rest on."""
    w = words_of(outline)
    rows = []
    for kj in outline.key_judgements:
        refs = section_refs(outline, kj.sections)
        left = [Run(sentence_case(w.confidence(kj.confidence)), bold=True)]
        if refs:
            left.append(Run(f"\n{refs}"))
        rows.append((Cell(tuple(left), "confidence"), Cell(tuple(parse(kj.text)), "judgement")))
    return Table((), tuple(rows), (0.2, 0.8), look="rules", split_rows=True)


def glance_table(outline: Outline, keys: list[str]) -> Table:
    """Per section: its number, title (linked), assessment and headline figure."""
    w = words_of(outline)
    header = ("", w("col_section"), w("col_assessment"), w("col_headline"))
    rows = []
    for i, (s, key) in enumerate(zip(outline.sections, keys, strict=True), 1):
        assessment = tuple(parse(s.assessment)) if s.assessment else first_sentence(parse(s.lead))
        rows.append(
            (
                _cell(str(i), "table_strong"),
                _cell(plain(s.title), "table_link", link=key),
                Cell(assessment, "table"),
                _cell(headline_metric(s) or "\u2014"),
            )
        )
    # An assessment or figure can be long: a row may split across pages.
    head = tuple(_cell(h, "table_head") for h in header)
    return Table(head, tuple(rows), (0.05, 0.25, 0.45, 0.25), split_rows=True)


def plan_brief(
    outline: Outline,
    theme: Theme,
    created: datetime,
    images: Mapping[str, PreparedImage] | None = None,
    fonts: FontSet | None = None,
    changes: Changes | None = None,
) -> BriefPlan:
    """Plan the whole brief; never raises on content, reports it as diagnostics.

    ``fonts`` measures chart labels (default: the theme's fonts); ``changes`` (``--since``) adds
    a "What changed" section after the key judgements and marks what changed.
    """
    meta = outline.meta
    w = words_of(outline)
    fonts = fonts or FontSet.of(theme.faces())
    page = geometry_for(theme, meta.classification)
    keys = [f"sec-{s.id}" for s in outline.sections]
    rows = [
        (w.upper("prepared_by"), plain(meta.author)),
        (w.upper("as_of_label"), w.date(meta.date)),
    ]
    if meta.classification:
        rows.append((w.upper("classification"), meta.classification))
    blocks: list[Block] = [
        Cover(kind(outline).upper(), plain(meta.title), plain(meta.subtitle), tuple(rows)),
        PageBreak(),
    ]
    if outline.key_judgements:
        blocks.append(Heading(w("key_judgements"), "judgements"))
        blocks.append(judgements_table(outline))
    if changes is not None:
        blocks += what_changed(outline, changes)
    blocks += [Heading(w("contents"), "contents", toc=False, bookmark=False), Contents()]
    blocks += [PageBreak(), Heading(w("summary"), "summary")]
    blocks += [Text(tuple(parse(p)), "body") for p in paragraphs(outline.summary)]
    blocks.append(Heading(w("glance"), "glance", level=2, toc=False, bookmark=False))
    blocks.append(glance_table(outline, keys))
    blocks.append(PageBreak())
    width = round(page.frame_width * CHART_SHARE, 2)
    for i, (section, key) in enumerate(zip(outline.sections, keys, strict=True), 1):
        blocks += _section_blocks(
            i, key, section, theme, page.frame_width, width, fonts, w, images, changes
        )

    blocks.append(Heading(w("conclusion"), "conclusion"))
    blocks += [Text(tuple(parse(p)), "body") for p in paragraphs(outline.conclusion.text)]
    ahead = tuple(tuple(parse(p)) for p in paragraphs(outline.conclusion.looking_ahead))
    blocks.append(LookingAhead(w.upper("looking_ahead"), ahead))
    if outline.sources:
        blocks.append(Heading(w("sources"), "sources"))
        blocks.append(
            Sources(
                tuple(
                    SourceEntry(str(i), s.title, s.publisher, s.date, s.url)
                    for i, s in enumerate(outline.sources, 1)
                )
            )
        )
    return BriefPlan(
        page=page,
        spacing=spacing_for(theme),
        styles=styles_for(theme),
        colors=colors_for(theme),
        meta=doc_meta(outline, created),
        running_title=plain(meta.title),
        footer=as_of(outline),
        page_label=w.template("page"),
        classification=meta.classification,
        blocks=blocks,
        diagnostics=check_glyphs(outline, theme),
        logo=_logo_box(page, images),
        logo_alt=w("logo", author=plain(meta.author)) if images and "logo" in images else "",
    )


def _logo_box(page: PageGeometry, images: Mapping[str, PreparedImage] | None) -> Box | None:
    """The cover logo: top right of the cover panel, at most 150 x 56 pt."""
    if not images or "logo" not in images:
        return None
    aspect = images["logo"].aspect
    w = min(150.0, 56.0 * aspect)
    h = w / aspect
    return Box(page.width - page.margin - w, page.banner + 28, round(w, 2), round(h, 2))

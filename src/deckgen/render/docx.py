"""The Word brief writer: a brief plan and its assets in, the bytes of an editable .docx out.

A translator from :class:`deckgen.model.BriefPlan` blocks to WordprocessingML, as the PDF writer
is to reportlab flowables: every word, size, colour, spacing and the order come from the plan,
and Word paginates. The plan's named text styles become real Word styles (Title, Heading 1 and
2, Normal, Caption, List, TOC 1, and one style per other role), so the navigation pane, the
table of contents and restyling work; tables are native with a repeating header row; charts
are the deck's own chart parts (the same chart XML and embedded workbook), editable in Word.
Output is byte-identical for identical input: dates pinned to the assets' time, ids counted.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Twips

from deckgen import model as bp
from deckgen.render import Assets
from deckgen.render import docx_ooxml as ox
from deckgen.render.docx_ooxml import NIL, Border, CellFormat
from deckgen.render.pptx_ooxml import chart_parts
from deckgen.richtext import Run

ALIGN = {"l": "left", "ctr": "center", "r": "right"}

# Plan roles set in Word's built-in styles (id, name as styles.xml spells it): the ones Word's
# navigation pane, contents, captions and style gallery know.
BUILT_IN = {
    "body": ("Normal", "Normal"),
    "h1": ("Heading1", "heading 1"),
    "h2": ("Heading2", "heading 2"),
    "cover_title": ("Title", "Title"),
    "cover_subtitle": ("Subtitle", "Subtitle"),
    "caption": ("Caption", "caption"),
    "toc1": ("TOC1", "toc 1"),
    "header": ("Header", "header"),
    "footer": ("Footer", "footer"),
    "source": ("List", "List"),
}
OUTLINE_LEVEL = {"h1": 0, "h2": 1}
# Roles that style part of a paragraph: character styles.
CHARACTER = {"h1_number": "Heading Number", "toc_page": "TOC Page Number"}
# Readable names for the brief's own paragraph styles (others: the role in title case).
NAMES = {
    "cover_meta": "Cover Detail",
    "kp_head": "Key Point",
    "kp_body": "Key Point Text",
    "table": "Table Text",
    "table_strong": "Table Text Strong",
    "table_head": "Table Heading",
    "ahead_title": "Looking Ahead Title",
    "ahead_body": "Looking Ahead Text",
    "banner": "Classification",
}
TOC_HEADING = ("TOCHeading", "TOC Heading")  # a heading kept out of the contents
NBSP = "\u00a0"


def write(plan: bp.BriefPlan, assets: Assets) -> bytes:
    """The .docx bytes of ``plan``."""
    return _Translator(plan, assets).build()


def style_name(role: str) -> tuple[str, str]:
    """The Word style (id, name) of plan role ``role``."""
    if role in BUILT_IN:
        return BUILT_IN[role]
    name = CHARACTER.get(role) or NAMES.get(role) or role.replace("_", " ").title()
    return name.replace(" ", ""), name


class _Translator:
    """Turns one plan into a python-docx document: styles, sections, body, parts."""

    def __init__(self, plan: bp.BriefPlan, assets: Assets) -> None:
        self.plan = plan
        self.assets = assets
        self.doc: Any = Document()
        self.part: Any = self.doc.part
        self.sp = plan.spacing
        self.colors = plan.colors
        self.width = plan.page.frame_width
        self.pending_break = False
        self.cover_open = False
        self.contents_title = ""
        self.shapes = 0  # drawing ids (wp:docPr), unique in the document
        self.charts = 0
        headings = plan.headings()
        self.bookmarks = {h.key: ox.bookmark_name(i, h.key) for i, h in enumerate(headings, 1)}
        self.bookmark_ids = {h.key: i for i, h in enumerate(headings, 1)}
        # The deepest level the contents list; a heading the plan keeps out of the contents
        # at or above it must not be a Heading style, or Word's contents would list it.
        self.toc_depth = max((h.level for h in headings if h.toc), default=1)

    # -- the document

    def build(self) -> bytes:
        meta = self.plan.meta
        ox.drop_template_extras(self.doc)
        ox.set_theme_fonts(self.doc, self.assets.fonts.family)
        ox.set_settings(self.doc, meta.language)
        ox.set_app_properties(self.doc)
        self._styles()
        body = self.doc.element.body
        sect = body.find(qn("w:sectPr"))
        for element in ox.body_elements(self._body()):
            sect.addprevious(element)
        self._sections()
        core = self.doc.core_properties
        created = self.assets.created.replace(tzinfo=None)
        core.title = meta.title
        core.subject = meta.subject
        core.author = meta.author
        core.keywords = meta.keywords
        core.language = meta.language
        core.last_modified_by = meta.author
        core.comments = meta.comment
        core.revision = 1
        core.created = created
        core.modified = created
        core.last_printed = created
        return ox.reproducible_bytes(self.doc, self.assets.created)

    # -- styles

    def _styles(self) -> None:
        styles = self.doc.styles.element
        body = self.plan.styles["body"]
        defaults = ox.doc_defaults_xml(self.assets.fonts.family, body.size, self.plan.meta.language)
        old = styles.find(qn("w:docDefaults"))
        old.getparent().replace(old, ox.element(defaults))
        for role, st in self.plan.styles.items():
            style_id, name = style_name(role)
            rpr = ox.rpr_xml(bold=st.bold, italic=st.italic, color=st.color, size=st.size)
            if role in CHARACTER:
                ox.replace_style(styles, ox.style_xml(style_id, name, kind="character", rpr=rpr))
                continue
            xml = ox.style_xml(
                style_id,
                name,
                based_on=None if role == "body" else "Normal",
                next_style="Normal" if role in OUTLINE_LEVEL else None,
                ppr=self._style_ppr(role, st),
                rpr=rpr,
                default=role == "body",
            )
            ox.replace_style(styles, xml)
        h1 = self.plan.styles["h1"]
        ox.replace_style(
            styles,
            ox.style_xml(
                *TOC_HEADING,
                based_on="Normal",
                next_style="Normal",
                ppr=self._style_ppr("", h1, outline=9),
                rpr=ox.rpr_xml(bold=h1.bold, italic=h1.italic, color=h1.color, size=h1.size),
            ),
        )

    def _style_ppr(self, role: str, st: bp.TextStyle, outline: int | None = None) -> str:
        extra: dict[str, Any] = {}
        before, after = st.space_before, st.space_after
        if role == "toc1":
            # The contents as the PDF draws them: page numbers flush right, each entry padded
            # above and below, a dotted rule under it (between entries too: Word groups
            # bordered paragraphs). The padding below is the rule's distance from the text.
            pad = self.sp.contents_pad
            width, _, _ = self.sp.contents_dots
            rule = Border(width, self.colors["rule"], "dotted", space=pad)
            extra = {"tab_right": self.width, "bottom": rule, "between": rule}
            before, after = pad, 0.0
        return ox.ppr_xml(
            keep_next=st.keep_with_next,
            keep_lines=st.keep_with_next,
            spacing=ox.spacing_xml(before, after, st.leading),
            align=ALIGN[st.align],
            outline=OUTLINE_LEVEL.get(role, outline),
            **extra,
        )

    # -- paragraphs and runs

    def _style_id(self, role: str) -> str:
        return style_name(role)[0]

    def _take_break(self) -> bool:
        pending, self.pending_break = self.pending_break, False
        return pending

    def _break_paragraph(self) -> str:
        """A page break before a table (a table row cannot carry one)."""
        return ox.page_break_xml() if self._take_break() else ""

    def _p(self, role: str, content: str, *, keep: bool = False, spacing: str = "") -> str:
        """A paragraph in the style of ``role``; the first after a page break starts a page."""
        ppr = ox.ppr_xml(
            style=self._style_id(role),
            keep_next=keep,
            page_break=self._take_break(),
            spacing=spacing,
        )
        return ox.paragraph_xml(ppr, content)

    @staticmethod
    def _runs(runs: Sequence[Run]) -> str:
        """Runs with their emphasis (added to the style's, as in the PDF: never taken away)."""
        return "".join(ox.run_xml(r.text, ox.rpr_xml(bold=r.bold, italic=r.italic)) for r in runs)

    def _spacing(self, role: str, before: float | None = None, after: float | None = None) -> str:
        st = self.plan.styles[role]
        return ox.spacing_xml(
            st.space_before if before is None else before,
            st.space_after if after is None else after,
            st.leading,
        )

    # -- the body

    def _body(self) -> str:
        handlers: dict[str, Callable[[Any, bool], str]] = {
            "cover": self._cover,
            "figure": self._figure,
            "page_break": self._page_break,
            "heading": self._heading,
            "text": lambda b, keep: self._p(b.style, self._runs(b.runs), keep=keep),
            "table": self._table,
            "contents": self._contents,
            "key_point": self._key_point,
            "chart": self._chart,
            "looking_ahead": self._ahead,
            "sources": self._sources,
        }
        out: list[str] = []
        blocks = self.plan.blocks
        for i, block in enumerate(blocks):
            if self.cover_open and block.kind != "page_break":
                out.append(self._end_cover())
            # The "looking ahead" box stays with the end of what precedes it.
            following = blocks[i + 1].kind if i + 1 < len(blocks) else None
            keep = following == "looking_ahead"
            xml = handlers[block.kind](block, keep)
            if block.kind == "heading" and following == "contents":
                self.contents_title = xml  # the contents' title goes inside its control
                continue
            out.append(xml)
        if self.cover_open:
            out.append(self._end_cover())
        return "".join(out)

    def _page_break(self, b: bp.PageBreak, keep: bool) -> str:
        if self.cover_open:  # the cover is a section of its own: its end is the page break
            return self._end_cover()
        self.pending_break = True
        return ""

    def _end_cover(self) -> str:
        """The end of the cover's section (its properties are set in :meth:`_sections`)."""
        self.cover_open = False
        ppr = ox.ppr_xml(
            spacing=ox.spacing_xml(0, 0, 0.05, "exact"), mark_size=1.0, sect="<w:sectPr/>"
        )
        return ox.paragraph_xml(ppr)

    def _cover(self, b: bp.Cover, keep: bool) -> str:
        """The cover panel (kicker, title, subtitle at its foot over the accent strip) as a
        full-width cell of the panel's height, then the rows; the logo placed on the page."""
        pg, c = self.plan.page, self.colors
        self.cover_open = True
        t = pg.cover_title
        panel = CellFormat(
            pg.width,
            fill=c["primary"],
            bottom=Border(pg.cover_strip, c["accent"]),
            margins=(
                t.y - pg.banner,
                t.x,
                pg.banner + pg.cover_panel - t.bottom,
                pg.width - t.right,
            ),
            valign="bottom",
        )
        head = (
            self._p("cover_kicker", ox.run_xml(b.kicker))
            + self._p("cover_title", ox.run_xml(b.title))
            + self._p("cover_subtitle", ox.run_xml(b.subtitle))
        )
        row = ox.row_xml([ox.cell_xml(panel, head)], height=pg.cover_panel)
        out = ox.table_xml([pg.width], (0, 0, 0, 0), [row])
        meta = pg.cover_meta
        indent = (meta.x, pg.width - meta.right)
        logo = self._logo()
        for i, (label, value) in enumerate(b.rows):
            # The first label starts at the top of the rows' frame, under the strip.
            top = meta.y - pg.banner - pg.cover_panel - pg.cover_strip if i == 0 else None
            ppr = ox.ppr_xml(
                style=self._style_id("cover_label"),
                keep_next=True,
                spacing=self._spacing("cover_label", before=top),
                indent=indent,
            )
            out += ox.paragraph_xml(ppr, (logo if i == 0 else "") + ox.run_xml(label))
            ppr = ox.ppr_xml(style=self._style_id("cover_meta"), indent=indent)
            out += ox.paragraph_xml(ppr, ox.run_xml(value))
        if not b.rows and logo:
            out += ox.paragraph_xml("", logo)
        return out

    def _logo(self) -> str:
        box = self.plan.logo
        image = self.assets.images.get("logo")
        if box is None or image is None:
            return ""
        rid, _ = self.part.get_or_add_image(io.BytesIO(image.data))
        self.shapes += 1
        xywh = (box.x, box.y, box.w, box.h)
        return ox.anchored_picture_xml(self.shapes, "logo", self.plan.logo_alt, rid, xywh)

    def _heading(self, b: bp.Heading, keep: bool) -> str:
        role = "h1" if b.level == 1 else "h2"
        style = self._style_id(role)
        if not b.toc and b.level <= self.toc_depth:
            style = TOC_HEADING[0]
        content = ox.run_xml(b.text)
        if b.number:
            number = ox.run_xml(b.number, ox.rpr_xml(style=self._style_id("h1_number")))
            content = number + ox.run_xml(NBSP * self.sp.number_gap) + content
        content = ox.bookmark_xml(self.bookmark_ids[b.key], self.bookmarks[b.key], content)
        ppr = ox.ppr_xml(style=style, page_break=self._take_break())
        return ox.paragraph_xml(ppr, content)

    def _key_point(self, b: bp.KeyPointBlock, keep: bool) -> str:
        head = self._p("kp_head", self._runs(b.headline))
        return head + self._p("kp_body", self._runs(b.detail), keep=keep)

    # -- tables

    def _cell(self, cell: bp.Cell, keep: bool = False) -> str:
        content = self._runs(cell.runs)
        if cell.link and cell.link in self.bookmarks:
            content = ox.internal_link_xml(self.bookmarks[cell.link], content)
        if cell.mark:  # the status: a dot in its colour, then its word
            content = ox.run_xml("\u25cf ", ox.rpr_xml(color=cell.mark)) + content
        ppr = ox.ppr_xml(style=self._style_id(cell.style), keep_next=keep)
        return ox.paragraph_xml(ppr, content)

    def _table(self, b: bp.Table, keep: bool) -> str:
        sp, c = self.sp, self.colors
        widths = ox.split_widths(self.width, b.widths)
        rows: list[str] = []
        last = len(b.rows) - 1

        def kept(i: int) -> bool:
            """Whether row ``i`` stays with the next: never one row alone at the foot or head
            of a page (as in the PDF), and the last row with what the plan keeps with it."""
            return (i == 0 and last > 0) or i == last - 1 or (keep and i == last)

        if b.look == "rules":
            pad = sp.judgement_pad
            margins = (pad, 0.0, pad, pad)
            for i, row in enumerate(b.rows):
                top = Border(sp.judgement_top_rule, c["primary"]) if i == 0 else None
                fmt = [
                    CellFormat(w, top=top, bottom=Border(sp.cell_rule, c["surface"]))
                    for w in widths
                ]
                cells = [
                    ox.cell_xml(f, self._cell(cell, kept(i)))
                    for f, cell in zip(fmt, row, strict=True)
                ]
                rows.append(ox.row_xml(cells, keep=not b.split_rows))
            table = ox.table_xml(widths, margins, rows)
            return self._break_paragraph() + table + ox.spacer_xml(pad * 2)
        margins = (sp.cell_top, sp.cell_x, sp.cell_bottom, sp.cell_x)
        if b.header:
            # Kept with the first row, and repeated on every page the table spans.
            cells = [
                ox.cell_xml(CellFormat(w, fill=c["primary"]), self._cell(cell, keep=True))
                for w, cell in zip(widths, b.header, strict=True)
            ]
            rows.append(ox.row_xml(cells, header=True))
        for i, row in enumerate(b.rows):
            rule = (
                Border(sp.table_end_rule, c["primary"])
                if i == last
                else Border(sp.cell_rule, c["surface"])
            )
            fill = c["surface"] if i % 2 == 1 else None
            cells = [
                ox.cell_xml(CellFormat(w, fill=fill, bottom=rule), self._cell(cell, kept(i)))
                for w, cell in zip(widths, row, strict=True)
            ]
            rows.append(ox.row_xml(cells, keep=not b.split_rows))
        before = self._break_paragraph()
        before += ox.spacer_xml(b.space_before, keep_next=True) if b.space_before else ""
        return before + ox.table_xml(widths, margins, rows)

    def _ahead(self, b: bp.LookingAhead, keep: bool) -> str:
        """A shaded one-cell table with a rule on its left edge, kept on one page."""
        sp, c = self.sp, self.colors
        texts: list[tuple[str, str]] = [("ahead_title", ox.run_xml(b.title))]
        texts += [("ahead_body", self._runs(p)) for p in b.paragraphs]
        paras = ""
        for i, (role, content) in enumerate(texts):
            st = self.plan.styles[role]
            first, final = i == 0, i == len(texts) - 1
            spacing = self._spacing(
                role,
                before=st.space_before + (0 if first else sp.ahead_y),
                after=st.space_after + (0 if final else sp.ahead_y),
            )
            ppr = ox.ppr_xml(style=self._style_id(role), keep_next=not final, spacing=spacing)
            paras += ox.paragraph_xml(ppr, content)
        cell = CellFormat(
            self.width,
            fill=c["ahead"],
            left=Border(sp.ahead_rule, c["ahead_rule"]),
            top=NIL,
            bottom=NIL,
            right=NIL,
            margins=(sp.ahead_top, sp.ahead_x, sp.ahead_bottom, sp.ahead_x),
        )
        table = ox.table_xml([self.width], (0, 0, 0, 0), [ox.row_xml([ox.cell_xml(cell, paras)])])
        return (
            self._break_paragraph()
            + ox.spacer_xml(sp.ahead_before, keep_next=True)
            + table
            + ox.spacer_xml(sp.ahead_after)
        )

    # -- contents, figures, charts, sources

    def _contents(self, b: bp.Contents, keep: bool) -> str:
        """A table-of-contents field Word fills when it opens the document; until then (and
        for readers that never compute fields) its result lists every contents heading,
        linked, with a page reference field. With its title, in Word's contents control."""
        entries = [h for h in self.plan.blocks if isinstance(h, bp.Heading) and h.toc]
        title, self.contents_title = self.contents_title, ""
        if not entries:
            return title
        page = ox.rpr_xml(style=self._style_id("toc_page"))
        out = ""
        for i, h in enumerate(entries):
            mark = self.bookmarks[h.key]
            link = ox.internal_link_xml(
                mark, ox.run_xml(h.label) + ox.TAB + ox.field_xml(f"PAGEREF {mark} \\h", "", page)
            )
            begin = (
                ox.field_begin_xml(f'TOC \\o "1-{self.toc_depth}" \\h \\z \\u') if i == 0 else ""
            )
            final = i == len(entries) - 1
            end = ox.FIELD_END if final else ""
            # On one page when it fits, as in the PDF: never a stub of entries over the page.
            out += self._p("toc1", begin + link + end, keep=not final)
        return ox.contents_xml(title + out)

    def _figure(self, b: bp.Figure, keep: bool) -> str:
        image = self.assets.images.get(b.image)
        if image is None:
            return ""
        rid, _ = self.part.get_or_add_image(io.BytesIO(image.data))
        self.shapes += 1
        size = (b.width, b.height)
        graphic = ox.picture_graphic(rid, b.image, size)
        drawing = ox.inline_xml(self.shapes, b.image, b.alt, size, graphic)
        ppr = ox.ppr_xml(
            keep_next=True, page_break=self._take_break(), spacing=ox.spacing_xml(0, 0, None)
        )
        caption = self._p("caption", ox.run_xml(b.caption), keep=keep)
        return ox.paragraph_xml(ppr, drawing) + caption

    def _chart(self, b: bp.Chart, keep: bool) -> str:
        """The caption, then the deck's own chart part (chart XML and workbook) inline."""
        self.charts += 1
        self.shapes += 1
        xml, workbook = chart_parts(
            b.spec, self.assets.fonts.family, self.assets.created, self.plan.meta.language
        )
        rid = ox.add_chart_part(self.part, self.charts, xml, workbook)
        size = (b.width, b.height)
        name = f"Chart {self.charts}"
        drawing = ox.inline_xml(self.shapes, name, b.spec.alt, size, ox.chart_graphic(rid))
        caption = self._p("caption", ox.run_xml(b.caption))
        ppr = ox.ppr_xml(keep_next=keep, spacing=ox.spacing_xml(0, 0, None))
        return caption + ox.paragraph_xml(ppr, drawing)

    def _sources(self, b: bp.Sources, keep: bool) -> str:
        out = ""
        link = ox.rpr_xml(color=self.colors["secondary"], underline=True)
        for e in b.entries:
            content = ox.run_xml(f"{e.number}.{NBSP}{NBSP}") + ox.run_xml(
                e.title, ox.rpr_xml(italic=True)
            )
            content += ox.run_xml(f". {e.publisher}, {e.date}.")
            if e.url:
                rid = self.part.relate_to(e.url, RT.HYPERLINK, is_external=True)
                content += ox.run_xml(" ") + ox.external_link_xml(rid, ox.run_xml(e.url, link))
            out += self._p("source", content)
        return out

    # -- sections and page furniture

    def _sections(self) -> None:
        """Page size, margins, headers and footers: the cover's section, then the body's."""
        pg = self.plan.page
        sections = list(self.doc.sections)
        for section in sections:
            section.page_width = Twips(ox.twips(pg.width))
            section.page_height = Twips(ox.twips(pg.height))
            # The banners sit at the paper's edges, in the header and footer.
            section.header_distance = Twips(0)
            section.footer_distance = Twips(0)
        body = sections[-1]
        body.left_margin = body.right_margin = Twips(ox.twips(pg.margin))
        body.top_margin = Twips(ox.twips(pg.frame_top))
        body.bottom_margin = Twips(ox.twips(pg.height - pg.frame_bottom))
        self._furniture(body, cover=False, margin=pg.margin)
        if len(sections) > 1:
            cover = sections[0]
            cover.left_margin = cover.right_margin = Twips(0)
            cover.top_margin = cover.bottom_margin = Twips(ox.twips(pg.banner))
            if self.plan.classification:
                self._furniture(cover, cover=True, margin=0.0)

    def _banner(self, margin: float) -> str:
        """The classification band: full page width (the indents reach over the margins)."""
        marking = self.plan.classification
        if not marking or self.plan.page.banner <= 0:
            return ""
        ppr = ox.ppr_xml(
            style=self._style_id("banner"),
            fill=self.colors["banner"],
            spacing=ox.spacing_xml(0, 0, self.plan.page.banner, "exact"),
            indent=(-margin, -margin),
        )
        return ox.paragraph_xml(ppr, ox.run_xml(marking))

    def _furniture(self, section: Any, *, cover: bool, margin: float) -> None:
        pg, sp = self.plan.page, self.sp
        banner = self._banner(margin)
        header, footer = banner, ""
        if not cover:
            # The running title on its baseline, then the accent rule under it.
            title = ox.ppr_xml(
                style=self._style_id("header"),
                bottom=Border(
                    pg.rule * 2,
                    self.colors["accent"],
                    space=pg.header * (sp.header_rule - sp.header_text),
                ),
                spacing=ox.spacing_xml(pg.margin * 0.5, 0, pg.header * sp.header_text, "exact"),
            )
            header += ox.paragraph_xml(title, ox.run_xml(self.plan.running_title))
            line = ox.ppr_xml(
                style=self._style_id("footer"),
                top=Border(pg.rule, self.colors["rule"]),
                tab_right=self.width,
                spacing=ox.spacing_xml(
                    0,
                    pg.margin * 0.5 + pg.footer * sp.footer_text,
                    pg.footer * (sp.footer_rule - sp.footer_text),
                    "exact",
                ),
            )
            footer = ox.paragraph_xml(
                line, ox.run_xml(self.plan.footer) + ox.TAB + self._page_label()
            )
        footer += banner
        for story, xml in ((section.header, header), (section.footer, footer)):
            story.is_linked_to_previous = False
            element = story._element
            for child in list(element):
                element.remove(child)
            for child in ox.story_elements(xml or ox.paragraph_xml("")):
                element.append(child)

    def _page_label(self) -> str:
        """``Page {page} of {total}`` with the blanks as PAGE and NUMPAGES fields."""
        out = ""
        for piece in re.split(r"(\{page\}|\{total\})", self.plan.page_label):
            if piece == "{page}":
                out += ox.field_xml("PAGE", "1")
            elif piece == "{total}":
                out += ox.field_xml("NUMPAGES", "1")
            else:
                out += ox.run_xml(piece)
        return out

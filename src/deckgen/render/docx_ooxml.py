"""WordprocessingML python-docx lacks: values in points and plain strings in, XML strings, parts
and a reproducible zip out.

Paragraphs, runs, fields, bookmarks, tables, drawings (charts and pictures) and styles are
written as strings in one go, in the element order the schema requires, and parsed once by the
writer; python-docx only hosts the package (parts, relationships, sections, core properties).
Everything here that touches python-docx internals or raw XML lives in this one module (pinned
to python-docx 1.2.0), so ``deckgen.render.docx`` stays a translator.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from deckgen.direction import is_rtl, needs_reordering

DECLS = nsdecls("w", "r", "wp", "a", "pic", "c")
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_ATTR = {'"': "&quot;"}
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


# --- units: the plan is in points; Word counts in twips, eighths, half-points and EMU --------


def twips(points: float) -> int:
    """Twentieths of a point: spacing, indents, widths, page geometry."""
    return round(points * 20)


def eighths(points: float) -> int:
    """Border width in eighths of a point, within the 2..96 Word allows."""
    return min(96, max(2, round(points * 8)))


def half_points(points: float) -> int:
    """Font size in half-points: Word sets type in half-point steps only."""
    return max(2, round(points * 2))


def emu(points: float) -> int:
    return round(points * 12700)


def attr(value: str) -> str:
    return escape(value, _ATTR)


# --- style and paragraph properties ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Border:
    """One border line: width in points, hex colour, Word's line style."""

    width: float
    color: str
    style: str = "single"
    space: float = 0.0  # between the line and the text, in points (Word keeps 0..31)

    def xml(self, side: str) -> str:
        space = min(31, max(0, round(self.space)))
        return (
            f'<w:{side} w:val="{self.style}" w:sz="{eighths(self.width)}" w:space="{space}"'
            f' w:color="{self.color}"/>'
        )


NIL = "nil"  # a border side drawn with no line


def _borders(tag: str, sides: Sequence[tuple[str, Border | str | None]]) -> str:
    """``sides`` in schema order; a side that is None is left unsaid, NIL is no line."""
    inner = ""
    for side, border in sides:
        if isinstance(border, Border):
            inner += border.xml(side)
        elif border == NIL:
            inner += f'<w:{side} w:val="nil"/>'
    return f"<w:{tag}>{inner}</w:{tag}>" if inner else ""


def spacing_xml(before: float, after: float, line: float | None, rule: str = "atLeast") -> str:
    """``w:spacing``: before and after in points; ``line`` the leading (None: single)."""
    pitch = f' w:line="{twips(line)}" w:lineRule="{rule}"' if line else ""
    return f'<w:spacing w:before="{twips(before)}" w:after="{twips(after)}"{pitch}/>'


def ppr_xml(
    *,
    style: str | None = None,
    keep_next: bool = False,
    keep_lines: bool = False,
    page_break: bool = False,
    top: Border | None = None,
    bottom: Border | None = None,
    between: Border | None = None,
    fill: str | None = None,
    tab_right: float | None = None,
    spacing: str = "",
    indent: tuple[float, float] | None = None,
    align: str | None = None,
    outline: int | None = None,
    mark_size: float | None = None,
    sect: str = "",
) -> str:
    """A ``w:pPr`` with its children in schema order (``""`` when there is nothing to say)."""
    parts = [
        f'<w:pStyle w:val="{style}"/>' if style else "",
        "<w:keepNext/>" if keep_next else "",
        "<w:keepLines/>" if keep_lines else "",
        "<w:pageBreakBefore/>" if page_break else "",
        _borders("pBdr", [("top", top), ("bottom", bottom), ("between", between)]),
        f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else "",
        f'<w:tabs><w:tab w:val="right" w:pos="{twips(tab_right)}"/></w:tabs>'
        if tab_right is not None
        else "",
        spacing,
        f'<w:ind w:left="{twips(indent[0])}" w:right="{twips(indent[1])}"/>' if indent else "",
        f'<w:jc w:val="{align}"/>' if align else "",
        f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "",
        f'<w:rPr><w:sz w:val="{half_points(mark_size)}"/></w:rPr>' if mark_size else "",
        sect,
    ]
    inner = "".join(parts)
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def rpr_xml(
    *,
    style: str | None = None,
    fonts: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    size: float | None = None,
    underline: bool = False,
    lang: str | None = None,
) -> str:
    """A ``w:rPr`` with its children in schema order (``""`` when there is nothing to say)."""
    face = attr(fonts) if fonts else ""
    parts = [
        f'<w:rStyle w:val="{style}"/>' if style else "",
        f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}"/>'
        if fonts
        else "",
        "<w:b/><w:bCs/>" if bold else "",
        "<w:i/><w:iCs/>" if italic else "",
        f'<w:color w:val="{color}"/>' if color else "",
        f'<w:sz w:val="{half_points(size)}"/><w:szCs w:val="{half_points(size)}"/>' if size else "",
        '<w:u w:val="single"/>' if underline else "",
        f'<w:lang w:val="{attr(lang)}"/>' if lang else "",
    ]
    inner = "".join(parts)
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def style_xml(
    style_id: str,
    name: str,
    *,
    kind: str = "paragraph",
    based_on: str | None = None,
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
    priority: int | None = None,
) -> str:
    """A ``w:style`` (shown in Word's style gallery: ``qFormat``)."""
    flag = ' w:default="1"' if default else ""
    return (
        f'<w:style {nsdecls("w")} w:type="{kind}"{flag} w:styleId="{style_id}">'
        f'<w:name w:val="{attr(name)}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + (f'<w:next w:val="{next_style}"/>' if next_style else "")
        + (f'<w:uiPriority w:val="{priority}"/>' if priority is not None else "")
        + f"<w:qFormat/>{ppr}{rpr}</w:style>"
    )


def replace_style(styles: Any, xml: str) -> None:
    """Put ``xml`` (one ``w:style``) in ``styles`` (``w:styles``), replacing one of its id.

    A built-in style of the template is replaced whole: its theme fonts, theme colours and
    borders would otherwise win over what the plan says.
    """
    new = parse_xml(xml)
    style_id = new.get(qn("w:styleId"))
    for old in styles.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == style_id:
            old.getparent().replace(old, new)
            return
    styles.append(new)


def doc_defaults_xml(family: str, size: float, lang: str) -> str:
    """Defaults of the whole document: the theme's family, body size and language; no
    paragraph leaves a single line at the foot or head of a page."""
    return (
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault>"
        f"{rpr_xml(fonts=family, size=size, lang=lang)}</w:rPrDefault>"
        "<w:pPrDefault><w:pPr><w:widowControl/>"
        f"{spacing_xml(0, 0, None)}</w:pPr></w:pPrDefault></w:docDefaults>"
    )


# --- runs, fields, links, bookmarks ---------------------------------------------------------


def text_xml(text: str) -> str:
    """Run content for ``text``: ``\\n`` becomes a line break, spaces are kept."""
    pieces = text.split("\n")
    out = []
    for i, piece in enumerate(pieces):
        if i:
            out.append("<w:br/>")
        if piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def run_xml(text: str, rpr: str = "") -> str:
    return f"<w:r>{rpr}{text_xml(text)}</w:r>" if text else ""


def field_xml(instruction: str, shown: str, rpr: str = "") -> str:
    """A complex field (``PAGE``, ``NUMPAGES``, ``PAGEREF``): Word computes it, ``shown`` is
    what a reader that does not compute fields displays."""
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run_xml(shown, rpr)}"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def field_begin_xml(instruction: str) -> str:
    """The opening of a field whose result spans paragraphs (the table of contents).

    ``w:dirty`` asks Word to compute it again when the document opens.
    """
    return (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
TAB = "<w:r><w:tab/></w:r>"


def contents_xml(paragraphs: str) -> str:
    """The table of contents as Word marks it: a content control Word offers to update."""
    return (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{paragraphs}</w:sdtContent>"
        "</w:sdt>"
    )


def internal_link_xml(bookmark: str, content: str) -> str:
    return f'<w:hyperlink w:anchor="{attr(bookmark)}" w:history="1">{content}</w:hyperlink>'


def external_link_xml(rid: str, content: str) -> str:
    return f'<w:hyperlink r:id="{rid}" w:history="1">{content}</w:hyperlink>'


def bookmark_xml(number: int, name: str, content: str) -> str:
    return (
        f'<w:bookmarkStart w:id="{number}" w:name="{attr(name)}"/>{content}'
        f'<w:bookmarkEnd w:id="{number}"/>'
    )


_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def bookmark_name(number: int, key: str) -> str:
    """A Word bookmark name for heading ``key``: hidden (a leading ``_``), at most 40
    characters of letters, digits and ``_``, unique by its number."""
    return f"_h{number}_{_NOT_NAME.sub('_', key)}"[:40]


def paragraph_xml(ppr: str, content: str = "") -> str:
    """A paragraph; right-to-left when its text is (its first strong character, the rule the
    planners follow): Word then sets it from the right, bullets and indents mirrored."""
    if needs_reordering(content) and is_rtl(unescape("".join(_TEXT.findall(content)))):
        ppr = _with_bidi(ppr)
    return f"<w:p>{ppr}{content}</w:p>"


_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
# The w:pPr children that come after w:bidi in the schema's sequence.
_AFTER_BIDI = re.compile(
    r"<w:(?:adjustRightInd|snapToGrid|spacing|ind|contextualSpacing|mirrorIndents|"
    r"suppressOverlap|jc|textDirection|textAlignment|textboxTightWrap|outlineLvl|divId|"
    r"cnfStyle|rPr|sectPr|pPrChange)\b|</w:pPr>"
)


def _with_bidi(ppr: str) -> str:
    if not ppr:
        return "<w:pPr><w:bidi/></w:pPr>"
    m = _AFTER_BIDI.search(ppr)
    assert m is not None  # a w:pPr ends in </w:pPr>
    return f"{ppr[: m.start()]}<w:bidi/>{ppr[m.start() :]}"


def page_break_xml() -> str:
    """A paragraph holding only a page break (before a table, which cannot carry one)."""
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def spacer_xml(height: float, *, keep_next: bool = False) -> str:
    """An empty paragraph exactly ``height`` points tall (vertical space between tables)."""
    height = max(height, 0.05)
    ppr = ppr_xml(
        keep_next=keep_next,
        spacing=spacing_xml(0, 0, height, "exact"),
        mark_size=min(height, 1.0),
    )
    return paragraph_xml(ppr)


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellFormat:
    """How one cell is drawn: width in points, fill, borders and (optionally) its margins."""

    width: float
    fill: str | None = None
    top: Border | str | None = None
    left: Border | str | None = None
    bottom: Border | str | None = None
    right: Border | str | None = None
    margins: tuple[float, float, float, float] | None = None  # top, left, bottom, right
    valign: str | None = None


def _margins(tag: str, margins: tuple[float, float, float, float]) -> str:
    top, left, bottom, right = margins
    return (
        f'<w:{tag}><w:top w:w="{twips(top)}" w:type="dxa"/>'
        f'<w:left w:w="{twips(left)}" w:type="dxa"/>'
        f'<w:bottom w:w="{twips(bottom)}" w:type="dxa"/>'
        f'<w:right w:w="{twips(right)}" w:type="dxa"/></w:{tag}>'
    )


def cell_xml(fmt: CellFormat, paragraphs: str) -> str:
    borders = _borders(
        "tcBorders",
        [("top", fmt.top), ("left", fmt.left), ("bottom", fmt.bottom), ("right", fmt.right)],
    )
    props = (
        f'<w:tcW w:w="{twips(fmt.width)}" w:type="dxa"/>{borders}'
        + (f'<w:shd w:val="clear" w:color="auto" w:fill="{fmt.fill}"/>' if fmt.fill else "")
        + (_margins("tcMar", fmt.margins) if fmt.margins else "")
        + (f'<w:vAlign w:val="{fmt.valign}"/>' if fmt.valign else "")
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs or paragraph_xml('')}</w:tc>"


def row_xml(
    cells: Iterable[str], *, header: bool = False, keep: bool = True, height: float = 0.0
) -> str:
    """A table row; ``header`` repeats it on every page (``w:tblHeader``), ``keep`` keeps it
    on one page (``w:cantSplit``), ``height`` fixes its height exactly."""
    props = (
        ("<w:cantSplit/>" if keep else "")
        + (f'<w:trHeight w:val="{twips(height)}" w:hRule="exact"/>' if height else "")
        + ("<w:tblHeader/>" if header else "")
    )
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def table_xml(
    widths: Sequence[float], margins: tuple[float, float, float, float], rows: Iterable[str]
) -> str:
    """A fixed-layout table of ``widths`` (points), no borders of its own, with ``margins``
    (top, left, bottom, right) as every cell's default padding."""
    total = sum(twips(w) for w in widths)
    none = "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{none}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/>{_margins("tblCellMar", margins)}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def split_widths(total: float, shares: Sequence[float]) -> list[float]:
    """Column widths in points from shares of ``total``, summing to ``total`` in twips."""
    widths = [total * s / sum(shares) for s in shares]
    widths[-1] = total - sum(widths[:-1])
    return widths


# --- drawings ------------------------------------------------------------------------------


def _doc_pr(shape_id: int, name: str, alt: str) -> str:
    return f'<wp:docPr id="{shape_id}" name="{attr(name)}" descr="{attr(alt)}"/>'


def _picture_graphic(rid: str, name: str, cx: int, cy: int) -> str:
    return (
        f'<a:graphic><a:graphicData uri="{_PICTURE_URI}"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="0" name="{attr(name)}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic>"
    )


def inline_xml(shape_id: int, name: str, alt: str, size: tuple[float, float], graphic: str) -> str:
    """A run holding an inline drawing of ``size`` points with alt text (``wp:docPr/@descr``)."""
    cx, cy = emu(size[0]), emu(size[1])
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f"{_doc_pr(shape_id, name, alt)}<wp:cNvGraphicFramePr/>{graphic}"
        "</wp:inline></w:drawing></w:r>"
    )


def chart_graphic(rid: str) -> str:
    return (
        f'<a:graphic><a:graphicData uri="{_CHART_URI}"><c:chart r:id="{rid}"/>'
        "</a:graphicData></a:graphic>"
    )


def picture_graphic(rid: str, name: str, size: tuple[float, float]) -> str:
    return _picture_graphic(rid, name, emu(size[0]), emu(size[1]))


def anchored_picture_xml(
    shape_id: int, name: str, alt: str, rid: str, box: tuple[float, float, float, float]
) -> str:
    """A run holding a picture placed at ``box`` (x, y, w, h in points from the page's
    top-left corner), in front of the text and not wrapping it (the cover's logo)."""
    x, y, w, h = (emu(v) for v in box)
    return (
        '<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"'
        ' relativeHeight="2" behindDoc="0" locked="0" layoutInCell="0" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f"{_doc_pr(shape_id, name, alt)}<wp:cNvGraphicFramePr/>"
        f"{_picture_graphic(rid, name, w, h)}</wp:anchor></w:drawing></w:r>"
    )


def add_chart_part(document_part: Any, number: int, chart: bytes, workbook: bytes) -> str:
    """Add ``word/charts/chart<number>.xml`` with its embedded workbook; return its rId.

    The chart XML refers to its data as relationship ``rId1`` (``c:externalData``), which is
    the workbook's relationship here because it is the chart part's first.
    """
    package = document_part.package
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, chart, package)
    book = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{number}.xlsx"),
        CT.SML_SHEET,
        workbook,
        package,
    )
    part.relate_to(book, RT.PACKAGE)
    rid: str = document_part.relate_to(part, RT.CHART)
    return rid


def element(xml: str) -> Any:
    """Parse one element that declares its own namespaces."""
    return parse_xml(xml)


def body_elements(xml: str) -> list[Any]:
    """Parse a run of block-level XML (paragraphs and tables) into elements."""
    return list(parse_xml(f"<w:body {DECLS}>{xml}</w:body>"))


def story_elements(xml: str) -> list[Any]:
    """Parse the paragraphs of a header or footer."""
    return list(parse_xml(f"<w:hdr {DECLS}>{xml}</w:hdr>"))


# --- the package ----------------------------------------------------------------------------


def drop_template_extras(document: Any) -> None:
    """Remove what python-docx's template carries that describes another document.

    The thumbnail shows a blank page; ``stylesWithEffects`` is a second copy of the styles
    for Word 2010 (Word rebuilds it); the custom XML is the template's bibliography store.
    Parts no relationship reaches are not saved.
    """
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_XML):
            del package.rels[rid]
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            del document.part.rels[rid]


def set_theme_fonts(document: Any, family: str) -> None:
    """Name ``family`` as the theme's major and minor Latin fonts, so that the template's
    styles that point at theme fonts (those the brief does not restyle) use it too."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.THEME:
            part = rel.target_part
            xml = part.blob.decode("utf-8")
            face = attr(family)
            xml = re.sub(
                r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rf'\g<1>{face}"', xml
            )
            part._blob = xml.encode("utf-8")


def set_settings(document: Any, lang: str) -> None:
    """Fields updated when Word opens the document (the table of contents, page numbers);
    current layout rules; the theme fonts' language; no preview picture (none is written)."""
    settings = document.settings.element
    for tag in ("w:updateFields", "w:savePreviewPicture"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(update)
    else:
        settings.append(update)
    # Word 2013 and later layout: a table's edge, not its text, sits on the margin, as in
    # the PDF (Word 2010 mode pulls tables left by their cell padding).
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.attrib.clear()
        theme_lang.set(qn("w:val"), lang)


def app_properties_xml() -> bytes:
    """``docProps/app.xml``: the application, and nothing from the template's last save."""
    return (
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'docPropsVTypes"><Application>deckgen</Application><DocSecurity>0</DocSecurity>'
        b"<ScaleCrop>false</ScaleCrop><Company/><LinksUpToDate>false</LinksUpToDate>"
        b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        b"<AppVersion>16.0000</AppVersion></Properties>"
    )


def set_app_properties(document: Any) -> None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_properties_xml()


def reproducible_bytes(document: Any, created: datetime) -> bytes:
    """Save ``document`` so that the same plan always gives the same bytes.

    python-docx stamps each zip member with the current time; the members are written again,
    in the same order, dated ``created`` (chart workbooks pin their own dates).
    """
    saved = io.BytesIO()
    document.save(saved)
    date = max((created.year, created.month, created.day, 0, 0, 0), (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, src.read(member.filename), compresslevel=6)
    return out.getvalue()

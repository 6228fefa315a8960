"""OOXML work python-pptx lacks or does slowly: linear slide and notes creation, finished slides
kept as bytes, sections, alt text, bullets, slide-number fields, theme fonts, charts and their
workbooks, .rels files and a reproducible zip.

Everything here touches python-pptx internals or raw XML, so it lives in this one module (pinned
to python-pptx 1.0.2) and the renderer stays a plain translator.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter
from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, XmlPart, _Relationship
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.parts.slide import NotesSlidePart, SlidePart

from deckgen.model import ChartSpec

P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
SECTION_EXT_URI = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = uuid.UUID("6f0b5c1e-9d43-4b4e-9a55-2f6f1c1f0d42")


def stable_guid(*parts: object) -> str:
    """A GUID in braces derived from ``parts``: the same input gives the same GUID."""
    return "{" + str(uuid.uuid5(_NS, "/".join(map(str, parts)))).upper() + "}"


class FastPartnames:
    """Replaces ``OpcPackage.next_partname``, which scans every part on every call.

    python-pptx asks for a fresh part name for each notes slide, chart and embedded workbook;
    scanning the whole package each time makes a deck quadratic in its length. This keeps a
    counter per template, seeded once from the parts that exist.
    """

    def __init__(self, package: Any) -> None:
        self.used = {str(p.partname) for p in package.iter_parts()}
        self.next: dict[str, int] = {}

    def __call__(self, tmpl: str) -> PackURI:
        n = self.next.get(tmpl, 1)
        while tmpl % n in self.used:
            n += 1
        name = tmpl % n
        self.used.add(name)
        self.next[tmpl] = n + 1
        return PackURI(name)


def make_linear(prs: Any) -> FastPartnames:
    """Install the linear part-name allocator on ``prs``'s package and return it."""
    names = FastPartnames(prs.part.package)
    prs.part.package.next_partname = names
    return names


def add_slide(
    prs: Any, layout: Any, names: FastPartnames, number: int, *, placeholders: bool = True
) -> Any:
    """Add a slide from ``layout`` in constant time (python-pptx's ``add_slide`` is linear).

    Same steps as ``Slides.add_slide`` without the scans: the slide relationship is added
    directly (each slide part is new, so no existing relationship can match) and the slide id
    is ``255 + number`` instead of the maximum of all ids plus one. Without ``placeholders``
    the layout's placeholders are not copied (they would only be removed again).
    """
    pres_part = prs.part
    slide_part = SlidePart.new(names("/ppt/slides/slide%d.xml"), pres_part.package, layout.part)
    rid = pres_part.rels._add_relationship(RT.SLIDE, slide_part)
    slide = slide_part.slide
    if placeholders:
        slide.shapes.clone_layout_placeholders(layout)
    prs.slides._sldIdLst._add_sldId(id=255 + number, rId=rid)
    slide.rid = rid  # for freeze_slide
    return slide


def freeze_slide(prs: Any, slide: Any) -> None:
    """Swap a finished slide's XML trees (slide, notes, charts) for their serialized bytes.

    python-pptx keeps every part as an lxml tree until the deck is saved, so memory grows by
    about 200 KB per slide (1,312 MB against 322 MB for a 5,005-slide deck). Once a slide is
    done nothing edits it again; each part is serialized now (the same bytes the save would
    write) into a plain :class:`Part` with the same name, content type and relationships, and
    every relationship that pointed at the old part is pointed at the new one. Only the slide's
    own relationships and the presentation's relationship to it can point there, so the cost
    per slide is constant.
    """
    old = slide.part
    swap = {old: _as_blob_part(old)}
    for rel in old.rels.values():
        swappable = rel.reltype in (RT.NOTES_SLIDE, RT.CHART) and not rel.is_external
        if swappable and isinstance(rel.target_part, XmlPart):
            swap[rel.target_part] = _as_blob_part(rel.target_part)
    for new in swap.values():
        for rid, rel in list(new.rels._rels.items()):
            if not rel.is_external and rel.target_part in swap:
                _retarget(new.rels, rid, swap[rel.target_part])
    _retarget(prs.part.rels, slide.rid, swap[old])


def _retarget(rels: Any, rid: str, target: Part) -> None:
    """Point relationship ``rid`` at ``target`` (a relationship caches its target: replace it)."""
    rel = rels._rels[rid]
    rels._rels[rid] = _Relationship(rels._base_uri, rid, rel.reltype, rel._target_mode, target)


def _as_blob_part(part: Any) -> Part:
    frozen = Part(part.partname, part.content_type, part.package, part.blob)
    frozen.__dict__["_rels"] = part._rels  # python-pptx caches ``_rels`` (a lazyproperty) there
    return frozen


def _paragraphs_xml(text: str, lang: str) -> str:
    lines = text.split("\n") or [""]
    return "".join(
        f'<a:p><a:r><a:rPr lang="{_attr(lang)}" dirty="0"/><a:t>{escape(t)}</a:t></a:r></a:p>'
        if t
        else "<a:p/>"
        for t in lines
    )


def set_notes(prs: Any, slide: Any, names: FastPartnames, text: str, lang: str) -> None:
    """Give ``slide`` a notes page holding ``text`` (in language ``lang``), written as XML in
    one step.

    python-pptx would scan the package for a part name and clone the notes master's
    placeholders object by object; the two placeholders a notes page needs are written here.
    """
    pres_part = prs.part
    master_part = pres_part.notes_master_part
    xml = (
        f"<p:notes {nsdecls('a', 'p', 'r')}><p:cSld><p:spTree>"
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
        '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr>'
        '<p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
        '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr>'
        '<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr>'
        "</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>"
        f"{_paragraphs_xml(text, lang)}</p:txBody></p:sp>"
        "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    )
    part = NotesSlidePart(
        names("/ppt/notesSlides/notesSlide%d.xml"),
        CT.PML_NOTES_SLIDE,
        pres_part.package,
        parse_xml(xml),
    )
    part.relate_to(master_part, RT.NOTES_MASTER)
    part.relate_to(slide.part, RT.SLIDE)
    slide.part.relate_to(part, RT.NOTES_SLIDE)


def set_sections(prs: Any, sections: list[tuple[str, list[int]]]) -> None:
    """Write PowerPoint sections (``p14:sectionLst``): name and slide indexes of each."""
    pres = prs.part._element
    ids = [int(e.get("id")) for e in pres.findall(f"{qn('p:sldIdLst')}/{qn('p:sldId')}")]
    ext_lst = pres.find(qn("p:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(pres, qn("p:extLst"))
    for old in ext_lst.findall(qn("p:ext")):
        if old.get("uri") == SECTION_EXT_URI:
            ext_lst.remove(old)
    ext = etree.SubElement(ext_lst, qn("p:ext"), uri=SECTION_EXT_URI)
    sec_lst = etree.SubElement(ext, f"{{{P14}}}sectionLst", nsmap={"p14": P14})
    for k, (name, indexes) in enumerate(sections):
        sec = etree.SubElement(
            sec_lst, f"{{{P14}}}section", name=name, id=stable_guid("section", k, name)
        )
        lst = etree.SubElement(sec, f"{{{P14}}}sldIdLst")
        for i in indexes:
            etree.SubElement(lst, f"{{{P14}}}sldId", id=str(ids[i]))


def set_alt_text(shape: Any, text: str) -> None:
    """Alt text of a shape or graphic frame (``p:cNvPr/@descr``)."""
    c_nv_pr = shape._element.find(f".//{qn('p:cNvPr')}")
    c_nv_pr.set("descr", text)


def slide_number_xml(run: str, slide_no: int) -> str:
    """Turn one run's XML into a ``slidenum`` field, which updates when slides move."""
    guid = stable_guid("slidenum", slide_no)
    return run.replace("<a:r>", f'<a:fld id="{guid}" type="slidenum">', 1).replace(
        "</a:r>", "</a:fld>"
    )


def set_theme_fonts(prs: Any, family: str) -> None:
    """Make the master theme's heading and body fonts ``family`` so text typed later matches."""
    for part in prs.part.package.iter_parts():
        if str(part.partname).startswith("/ppt/theme/theme"):
            root = etree.fromstring(part.blob)
            ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
            found: Any = root.xpath("//a:majorFont/a:latin | //a:minorFont/a:latin", namespaces=ns)
            for latin in found:
                latin.set("typeface", family)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def reproducible_bytes(prs: Any, created: datetime) -> bytes:
    """Save ``prs`` so that the same plan always gives the same bytes.

    Zip entries get a fixed date and order (chart workbooks pin their own dates, see
    :func:`chart_workbook`).
    """
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    package = prs.part.package
    parts = tuple(package.iter_parts())
    out = io.BytesIO()
    # python-pptx's own writer stamps each member with the current time; writing the same
    # members through a pinned writer compresses each part once instead of saving and re-zipping.
    _PinnedPackageWriter.write_pinned(out, package._rels, parts, stamp)
    return out.getvalue()


class _PinnedZipWriter:
    """The physical writer python-pptx's PackageWriter calls, with fixed member dates."""

    def __init__(self, stream: Any, stamp: str) -> None:
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
        date = (int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]), 0, 0, 0)
        self.date_time = max(date, (1980, 1, 1, 0, 0, 0))

    def __enter__(self) -> _PinnedZipWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.create_system = 3
        self.zip.writestr(info, blob, compresslevel=6)


class _PinnedPackageWriter(PackageWriter):
    """python-pptx's PackageWriter (same members, same order) on a pinned zip writer."""

    stamp = ""

    @classmethod
    def write_pinned(cls, stream: io.BytesIO, rels: Any, parts: Any, stamp: str) -> None:
        writer = cls(stream, rels, parts)
        writer.stamp = stamp
        writer._write()

    def _write(self) -> None:
        with _PinnedZipWriter(self._pkg_file, self.stamp) as pinned:
            phys: Any = pinned  # duck-types python-pptx's _PhysPkgWriter
            self._write_content_types_stream(phys)
            self._write_pkg_rels(phys)
            self._write_parts(phys)

    def _write_parts(self, phys_writer: Any) -> None:
        """Each part's blob and, when it has relationships, its .rels (written as a string)."""
        for part in self._parts:
            phys_writer.write(part.partname, part.blob)
            if part._rels:
                phys_writer.write(part.partname.rels_uri, rels_xml(part._rels))


_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ATTR_ESCAPES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def rels_xml(rels: Any) -> bytes:
    """A part's .rels, as python-pptx serializes it (rIds in numerical order), from strings.

    python-pptx builds an lxml tree per part to write the same bytes.
    """

    def order(rid: str) -> tuple[int, str]:
        return (int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0, rid)

    items = []
    for rid in sorted(rels.keys(), key=order):
        rel = rels[rid]
        mode = ' TargetMode="External"' if rel.is_external else ""
        target = escape(rel.target_ref, _ATTR_ESCAPES)
        items.append(f'<Relationship Id="{rid}" Type="{rel.reltype}" Target="{target}"{mode}/>')
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Relationships xmlns="{_RELS_NS}">{"".join(items)}</Relationships>'
    ).encode()


# --------------------------------------------------------------------------- shape XML
# python-pptx builds shapes one attribute at a time through XPath-heavy descriptors, which is
# most of the cost of a deck. These functions write the same DrawingML in one string per shape.


def _xfrm(x: int, y: int, w: int, h: int) -> str:
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _fill(color: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else "<a:noFill/>"


# PowerPoint's "Mark as decorative" (Office 2019 and 365): an extension of the shape's
# non-visual properties, which screen readers and the accessibility checker honour.
DECORATIVE_EXT_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_XML = (
    f'<a:extLst><a:ext uri="{DECORATIVE_EXT_URI}">'
    f'<adec:decorative xmlns:adec="{ADEC}" val="1"/></a:ext></a:extLst>'
)


def rect_xml(
    shape_id: int,
    name: str,
    box: tuple[int, int, int, int],
    fill: str,
    prst: str = "rect",
    *,
    decorative: bool = False,
) -> str:
    """A filled, unoutlined preset shape (``p:sp``), marked decorative as PowerPoint does."""
    nv = (
        f'<p:cNvPr id="{shape_id}" name={quoteattr(name)}>{DECORATIVE_XML}</p:cNvPr>'
        if decorative
        else f'<p:cNvPr id="{shape_id}" name={quoteattr(name)}/>'
    )
    return (
        f"<p:sp {nsdecls('a', 'p')}><p:nvSpPr>{nv}"
        "<p:cNvSpPr/><p:nvPr/></p:nvSpPr>"
        f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="{prst}"><a:avLst/></a:prstGeom>{_fill(fill)}'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


def run_xml(
    text: str,
    size_hundredths: int,
    bold: bool,
    italic: bool,
    color: str | None,
    font: str | None,
    lang: str,
) -> str:
    """One text run with size and weight explicit; colour and typeface unless inherited (None)."""
    b = ' b="1"' if bold else ' b="0"'
    i = ' i="1"' if italic else ""
    fill = _fill(color) if color else ""
    face = (
        f"<a:latin typeface={quoteattr(font)}/><a:cs typeface={quoteattr(font)}/>" if font else ""
    )
    return (
        f'<a:r><a:rPr lang="{lang}" sz="{size_hundredths}"{b}{i} dirty="0">{fill}{face}</a:rPr>'
        f"<a:t>{escape(text)}</a:t></a:r>"
    )


def break_xml(size_hundredths: int, lang: str) -> str:
    """A line break inside a paragraph (where the planner broke a balanced title)."""
    return f'<a:br><a:rPr lang="{lang}" sz="{size_hundredths}" dirty="0"/></a:br>'


def paragraph_xml(
    runs: str,
    *,
    align: str,
    line_pitch_hundredths: int,
    space_after_hundredths: int,
    bullet: tuple[str, int, str, str] | None = None,
    end_size: int = 1800,
    lang: str,
    rtl: bool = False,
) -> str:
    """A paragraph with explicit alignment, exact line pitch and space after.

    ``bullet`` is (character, hanging indent in EMU, colour, typeface); ``rtl`` sets a
    right-to-left base direction (PowerPoint then puts the bullet and indent on the right).
    """
    attrs = f' algn="{align}"' + (' rtl="1"' if rtl else "")
    bu = "<a:buNone/>"
    if bullet:
        char, indent, color, face = bullet
        attrs += f' marL="{indent}" indent="{-indent}"'
        bu = (
            f'<a:buClr><a:srgbClr val="{color}"/></a:buClr><a:buFont typeface={quoteattr(face)}/>'
            f"<a:buChar char={quoteattr(char)}/>"
        )
    return (
        f'<a:p><a:pPr{attrs}><a:lnSpc><a:spcPts val="{line_pitch_hundredths}"/></a:lnSpc>'
        '<a:spcBef><a:spcPts val="0"/></a:spcBef>'
        f'<a:spcAft><a:spcPts val="{space_after_hundredths}"/></a:spcAft>{bu}</a:pPr>'
        f'{runs}<a:endParaRPr lang="{_attr(lang)}" sz="{end_size}" dirty="0"/></a:p>'
    )


def body_xml(paragraphs: str, inset: int, anchor: str) -> str:
    """A text body: square wrap, fixed insets, anchor, and auto-fit off (the planner fitted it)."""
    return (
        f'<p:txBody><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}"'
        f' bIns="{inset}" anchor="{anchor}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        f"{paragraphs}</p:txBody>"
    )


def textbox_xml(
    shape_id: int, name: str, box: tuple[int, int, int, int], body: str, fill: str | None
) -> str:
    """A text box (``p:sp`` with ``txBox="1"``)."""
    return (
        f'<p:sp {nsdecls("a", "p")}><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(name)}/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill)}'
        f"</p:spPr>{body}</p:sp>"
    )


def title_xml(shape_id: int, box: tuple[int, int, int, int], body: str) -> str:
    """The slide's title placeholder, positioned explicitly (screen readers use it)."""
    return (
        f'<p:sp {nsdecls("a", "p")}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Title"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        '<p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>'
        f"<p:spPr>{_xfrm(*box)}</p:spPr>{body}</p:sp>"
    )


def remove_slides(prs: Any) -> None:
    """Drop the slides a template ships with (their parts are not saved once unrelated)."""
    sld_id_lst = prs.slides._sldIdLst
    for sld_id in list(sld_id_lst):
        prs.part.drop_rel(sld_id.rId)
        sld_id_lst.remove(sld_id)


def fill_placeholder(placeholder: Any, body: str) -> None:
    """Replace a placeholder's text body with ``body`` (a ``p:txBody`` string)."""
    sp = placeholder._element
    old = sp.find(qn("p:txBody"))
    new = parse_xml(body.replace("<p:txBody>", f"<p:txBody {nsdecls('a', 'p')}>", 1))
    if old is not None:
        sp.replace(old, new)
    else:
        sp.append(new)


def append_xml(slide: Any, shapes: list[str]) -> None:
    """Parse shapes' XML in one go and append them, in order, to the slide's shape tree."""
    if not shapes:
        return
    wrapper = parse_xml(f"<p:spTree {nsdecls('a', 'p')}>{''.join(shapes)}</p:spTree>")
    tree = slide.shapes._spTree
    for shape in list(wrapper):
        tree.append(shape)


# --------------------------------------------------------------------------- charts
# DrawingML charts written in one string: setting a dozen properties through python-pptx's chart
# API cost more than the rest of a chart slide. Axis ids are positive: the schema types them as
# unsigned ints, and a validator (openxml-audit) flags python-pptx's negative ones.

_CAT_AX, _VAL_AX = "500100001", "500100002"


def _attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute."""
    return escape(value, {'"': "&quot;"})


def _text_props(size: int, bold: bool = False, color: str | None = None, font: str = "") -> str:
    b = ' b="1"' if bold else ""
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
    latin = f'<a:latin typeface="{_attr(font)}"/>' if font else ""
    inner = f"{fill}{latin}"
    rpr = f'<a:defRPr sz="{size}"{b}>{inner}</a:defRPr>' if inner else f'<a:defRPr sz="{size}"{b}/>'
    return rpr


def _line(color: str | None, width: int = 0, dash: str = "") -> str:
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else "<a:noFill/>"
    w = f' w="{width}"' if width else ""
    d = f'<a:prstDash val="{dash}"/>' if dash else ""
    return f"<c:spPr><a:ln{w}>{fill}{d}</a:ln></c:spPr>"


def _ser(
    idx: int,
    column: str,
    name: str,
    n: int,
    categories_xml: str,
    values: list[float],
    number_format: str,
    sppr: str,
    extra: str = "",
    tail: str = "",
) -> str:
    """One series: its name in ``column``1, values in ``column``2.. of Sheet1."""
    vals = "".join(f'<c:pt idx="{i}"><c:v>{float(v)!r}</c:v></c:pt>' for i, v in enumerate(values))
    return (
        f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/><c:tx><c:strRef>'
        f"<c:f>Sheet1!${column}$1</c:f><c:strCache>"
        f'<c:ptCount val="1"/><c:pt idx="0"><c:v>{escape(name)}</c:v></c:pt></c:strCache>'
        f"</c:strRef></c:tx>{sppr}{extra}<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${n + 1}</c:f>"
        f'<c:strCache><c:ptCount val="{n}"/>{categories_xml}</c:strCache></c:strRef></c:cat>'
        f"<c:val><c:numRef><c:f>Sheet1!${column}$2:${column}${n + 1}</c:f><c:numCache>"
        f"<c:formatCode>{escape(number_format)}</c:formatCode>"
        f'<c:ptCount val="{n}"/>{vals}</c:numCache></c:numRef></c:val>{tail}</c:ser>'
    )


def _labels(size: int, formats: list[str], position: str) -> str:
    """A series' value labels, each point in its own number format (as the outline wrote it)."""
    txpr = (
        f"<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_text_props(size, bold=True)}</a:pPr>"
        "</a:p></c:txPr>"
    )
    shown = (
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
    )
    points = "".join(
        f'<c:dLbl><c:idx val="{i}"/><c:numFmt formatCode="{_attr(f)}" sourceLinked="0"/>'
        f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{txpr}<c:dLblPos val="{position}"/>'
        f"{shown}</c:dLbl>"
        for i, f in enumerate(formats)
    )
    return (
        f'<c:dLbls>{points}<c:numFmt formatCode="General" sourceLinked="0"/>'
        f"<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{txpr}"
        f'<c:dLblPos val="{position}"/>{shown}</c:dLbls>'
    )


def _group_labels(size: int, position: str) -> str:
    """The chart group's label defaults (each series' own labels override them)."""
    return (
        '<c:dLbls><c:numFmt formatCode="General" sourceLinked="0"/><c:txPr><a:bodyPr/>'
        f"<a:lstStyle/><a:p><a:pPr>{_text_props(size, bold=True)}</a:pPr></a:p></c:txPr>"
        f'<c:dLblPos val="{position}"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
        '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
        '<c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>'
    )


_NO_LABELS = '<c:dLbls><c:delete val="1"/></c:dLbls>'


def chart_xml(
    *,
    kind: str,
    title: str,
    series: str,
    target_series: str,
    categories: list[str],
    values: list[float],
    targets: list[float],
    color: str,
    target_color: str,
    number_format: str,
    formats: list[str],
    font: str,
    size: int,
    text_color: str,
    grid_color: str,
    axis_color: str,
    axis_min: float,
    axis_max: float,
    axis_step: float,
    gap_width: int,
    lang: str,
) -> bytes:
    """A chart part: ``bar`` (horizontal), ``column``, ``line`` or ``bullet``, values labelled.

    Each value is labelled in its own number format (``formats``, as the outline wrote it).
    One value series in ``color``; with ``targets`` a second series (``target_series``) drawn
    first, as
    a light bar the value bar overlaps completely (a dashed line in a line chart). ``size`` is
    in hundredths of a point; the title is one point larger and bold, value-axis labels one
    point smaller. The data are ``Sheet1`` of the workbook related as ``rId1``: categories in
    column A, values in B, targets in C, from row 2.
    """
    n = len(categories)
    cats = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(c)}</c:v></c:pt>' for i, c in enumerate(categories)
    )
    horizontal = kind in ("bar", "bullet")
    if title:
        title_rpr = (
            f'<a:rPr sz="{size + 100}" b="1"><a:solidFill><a:srgbClr val="{text_color}"/>'
            f'</a:solidFill><a:latin typeface="{_attr(font)}"/></a:rPr>'
        )
        head = (
            "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>"
            f"{title_rpr}<a:t>{escape(title)}</a:t></a:r></a:p></c:rich></c:tx><c:layout/>"
            '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        )
    else:
        head = '<c:autoTitleDeleted val="1"/>'
    axes = f'<c:axId val="{_CAT_AX}"/><c:axId val="{_VAL_AX}"/>'
    if kind == "line":
        marker = (
            f'<c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr>{_fill(color)}'
            f"<a:ln>{_fill(color)}</a:ln></c:spPr></c:marker>"
        )
        sers = ""
        if targets:
            sers += _ser(
                0,
                "C",
                target_series,
                n,
                cats,
                targets,
                number_format,
                _line(target_color, 22225, "dash"),
                '<c:marker><c:symbol val="none"/></c:marker>' + _NO_LABELS,
            )
        sers += _ser(
            1 if targets else 0,
            "B",
            series,
            n,
            cats,
            values,
            number_format,
            _line(color, 28575),
            marker + _labels(size, formats, "t"),
        )
        plot = (
            '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
            f'{sers}{_group_labels(size, "t")}<c:marker val="1"/>{axes}</c:lineChart>'
        )
    else:
        sers = ""
        if targets:
            sers += _ser(
                0,
                "C",
                target_series,
                n,
                cats,
                targets,
                number_format,
                f"<c:spPr>{_fill(target_color)}</c:spPr>",
                _NO_LABELS,
            )
        sers += _ser(
            1 if targets else 0,
            "B",
            series,
            n,
            cats,
            values,
            number_format,
            f"<c:spPr>{_fill(color)}</c:spPr>",
            _labels(size, formats, "outEnd"),
        )
        overlap = '<c:overlap val="100"/>' if targets else ""
        plot = (
            f'<c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/>'
            f'<c:grouping val="clustered"/><c:varyColors val="0"/>{sers}'
            f"{_group_labels(size, 'outEnd')}"
            f'<c:gapWidth val="{gap_width}"/>{overlap}{axes}</c:barChart>'
        )
    cat_pos, val_pos = ("l", "b") if horizontal else ("b", "l")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}"><c:date1904 val="0"/>'
        f"<c:chart>{head}<c:plotArea><c:layout/>{plot}"
        f'<c:catAx><c:axId val="{_CAT_AX}"/><c:scaling>'
        '<c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{cat_pos}"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
        f"{_line(axis_color)}<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_text_props(size)}"
        f'</a:pPr></a:p></c:txPr><c:crossAx val="{_VAL_AX}"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        f'<c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="{_VAL_AX}"/><c:scaling>'
        f'<c:orientation val="minMax"/><c:max val="{float(axis_max)!r}"/>'
        f'<c:min val="{float(axis_min)!r}"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{val_pos}"/><c:majorGridlines>{_line(grid_color)}</c:majorGridlines>'
        '<c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f"{_line(None)}<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_text_props(size - 100)}"
        f'</a:pPr></a:p></c:txPr><c:crossAx val="{_CAT_AX}"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/>'
        f'<c:majorUnit val="{float(axis_step)!r}"/></c:valAx></c:plotArea>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f"{_text_props(size, color=text_color, font=font)}</a:pPr>"
        f'<a:endParaRPr lang="{_attr(lang)}"/></a:p></c:txPr><c:externalData r:id="rId1">'
        '<c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
    ).encode()


def chart_frame_xml(
    shape_id: int, name: str, box: tuple[int, int, int, int], rid: str, alt: str
) -> str:
    """The graphic frame that shows chart part ``rid`` on a slide, with alt text."""
    x, y, w, h = box
    return (
        f"<p:graphicFrame {nsdecls('a', 'p', 'r')}><p:nvGraphicFramePr>"
        f'<p:cNvPr id="{shape_id}" name={quoteattr(name)} descr={quoteattr(alt)}/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f'</p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/>'
        f'</p:xfrm><a:graphic><a:graphicData uri="{_C}"><c:chart xmlns:c="{_C}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


def chart_workbook(
    series: str,
    categories: list[str],
    values: list[float],
    created: datetime,
    targets: list[float] | None = None,
    number_format: str = "General",
    target_series: str = "",
) -> bytes:
    """A chart's data as an Excel workbook, the layout python-pptx's charts refer to.

    Sheet1 holds the series name in B1, categories from A2, values from B2 and (when given)
    targets from C2, in ``number_format``. Text is written as text (never read as a formula,
    whatever it starts with), and the document dates are ``created``; XlsxWriter dates its
    in-memory zip members 1980-01-01, so the bytes are the same for the same input.
    """
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": created.replace(tzinfo=None)})
    sheet = book.add_worksheet()
    fmt = book.add_format({"num_format": number_format})
    for row, category in enumerate(categories, 1):
        sheet.write_string(row, 0, category)
    sheet.write_string(0, 1, series)
    for row, value in enumerate(values, 1):
        sheet.write_number(row, 1, value, fmt)
    if targets:
        sheet.write_string(0, 2, target_series)
        for row, value in enumerate(targets, 1):
            sheet.write_number(row, 2, value, fmt)
    # Wide enough to read the categories when someone edits the chart's data.
    sheet.set_column(0, 0, min(60, max([10, *(len(c) + 2 for c in categories)])))
    book.close()
    return out.getvalue()


def add_chart_part(slide: Any, chart_xml: bytes, workbook: bytes, names: FastPartnames) -> str:
    """Add a chart part (its data embedded as a workbook) to ``slide``; return its rId."""
    package = slide.part.package
    chart = Part(names("/ppt/charts/chart%d.xml"), CT.DML_CHART, package, chart_xml)
    book = EmbeddedXlsxPart(
        names(EmbeddedXlsxPart.partname_template), CT.SML_SHEET, package, workbook
    )
    chart.relate_to(book, RT.PACKAGE)  # rId1, as the chart XML's c:externalData says
    rid: str = slide.part.relate_to(chart, RT.CHART)
    return rid


def chart_parts(spec: ChartSpec, font: str, created: datetime, lang: str) -> tuple[bytes, bytes]:
    """The chart XML and embedded workbook of ``spec`` (text in language ``lang``), for every
    writer that embeds a native chart (the deck, the Word brief), so that a chart edited in
    either reads the same. Horizontal bars draw the first category at the bottom,
    so bar and bullet charts list their categories in reverse.
    """
    categories, values, targets = list(spec.categories), list(spec.values), list(spec.targets)
    formats = list(spec.formats)
    if spec.type in ("bar", "bullet"):
        categories, values, targets = categories[::-1], values[::-1], targets[::-1]
        formats = formats[::-1]
    xml = chart_xml(
        kind=spec.type,
        title=spec.title,
        series=spec.series,
        target_series=spec.target_series,
        categories=categories,
        values=values,
        targets=targets,
        color=spec.colors[0],
        target_color=spec.target_color,
        number_format=spec.number_format,
        formats=formats,
        font=font,
        size=round(spec.font_size * 100),
        text_color=spec.text_color,
        grid_color=spec.grid_color,
        axis_color=spec.axis_color,
        axis_min=spec.axis_min,
        axis_max=spec.axis_max,
        axis_step=spec.axis_step,
        gap_width=round(spec.gap * 100),
        lang=lang,
    )
    workbook = chart_workbook(
        spec.series,
        categories,
        values,
        created,
        targets or None,
        spec.number_format,
        spec.target_series,
    )
    return xml, workbook

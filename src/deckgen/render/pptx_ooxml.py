"""OOXML work python-pptx lacks: linear slide and notes creation, sections, alt text, bullets,
slide-number fields, theme fonts and a reproducible zip.

Everything here touches python-pptx internals or raw XML, so it lives in this one module (pinned
to python-pptx 1.0.2) and the renderer stays a plain translator.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import datetime
from typing import Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart

P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
SECTION_EXT_URI = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
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


def add_slide(prs: Any, layout: Any, names: FastPartnames, number: int) -> Any:
    """Add a slide from ``layout`` in constant time (python-pptx's ``add_slide`` is linear).

    Same steps as ``Slides.add_slide`` without the scans: the slide relationship is added
    directly (each slide part is new, so no existing relationship can match) and the slide id
    is ``255 + number`` instead of the maximum of all ids plus one.
    """
    pres_part = prs.part
    slide_part = SlidePart.new(names("/ppt/slides/slide%d.xml"), pres_part.package, layout.part)
    rid = pres_part.rels._add_relationship(RT.SLIDE, slide_part)
    slide = slide_part.slide
    slide.shapes.clone_layout_placeholders(layout)
    prs.slides._sldIdLst._add_sldId(id=255 + number, rId=rid)
    return slide


def set_notes(prs: Any, slide: Any, names: FastPartnames, text: str) -> None:
    """Give ``slide`` a notes page holding ``text`` without python-pptx's package scan."""
    pres_part = prs.part
    master_part = pres_part.notes_master_part
    part = NotesSlidePart._add_notes_slide_part(pres_part.package, slide.part, master_part)
    part.notes_slide.clone_master_placeholders(master_part.notes_master)
    slide.part.relate_to(part, RT.NOTES_SLIDE)
    frame = part.notes_slide.notes_text_frame
    if frame is not None:
        frame.text = text


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


def set_bullet(paragraph: Any, char: str, indent_emu: int, color: str, font: str) -> None:
    """A hanging bullet: ``marL``/``indent`` plus ``a:buClr``, ``a:buFont`` and ``a:buChar``."""
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(indent_emu))
    p_pr.set("indent", str(-indent_emu))
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    clr = etree.SubElement(p_pr, qn("a:buClr"))
    etree.SubElement(clr, qn("a:srgbClr"), val=color)
    etree.SubElement(p_pr, qn("a:buFont"), typeface=font)
    etree.SubElement(p_pr, qn("a:buChar"), char=char)
    _order_ppr(p_pr)


def _order_ppr(p_pr: Any) -> None:
    order = [
        "lnSpc",
        "spcBef",
        "spcAft",
        "buClrTx",
        "buClr",
        "buSzTx",
        "buSzPct",
        "buSzPts",
        "buFontTx",
        "buFont",
        "buNone",
        "buAutoNum",
        "buChar",
        "buBlip",
        "tabLst",
        "defRPr",
        "extLst",
    ]
    children = sorted(p_pr, key=lambda e: order.index(etree.QName(e).localname))
    for child in children:
        p_pr.append(child)


def slide_number_field(paragraph: Any, slide_no: int) -> None:
    """Turn the paragraph's single run into a ``slidenum`` field (updates when slides move)."""
    p = paragraph._p
    run = p.find(qn("a:r"))
    if run is None:
        return
    fld = etree.Element(qn("a:fld"), id=stable_guid("slidenum", slide_no), type="slidenum")
    for child in list(run):
        fld.append(child)
    p.replace(run, fld)


def remove_style(shape: Any) -> None:
    """Drop an autoshape's theme style reference (it adds a theme shadow and outline)."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


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


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _pin_workbook(blob: bytes, stamp: str) -> bytes:
    """Re-zip an embedded chart workbook with pinned dates (XlsxWriter stamps 'now')."""
    return _rezip(
        blob,
        stamp,
        lambda name, data: (
            _CORE_DATE.sub(rb"\g<1>" + stamp.encode() + rb"\g<3>", data)
            if name == "docProps/core.xml"
            else data
        ),
    )


def _rezip(blob: bytes, stamp: str, transform: Any) -> bytes:
    date_time = (int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]), 0, 0, 0)
    date_time = max(date_time, (1980, 1, 1, 0, 0, 0))
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        names.sort(key=lambda n: (n != "[Content_Types].xml", 0))  # stable: keeps python-pptx order
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, transform(name, src.read(name)), compresslevel=6)
    return out.getvalue()


def reproducible_bytes(prs: Any, created: datetime) -> bytes:
    """Save ``prs`` so that the same plan always gives the same bytes.

    Zip entries get a fixed date and order; embedded workbooks are re-zipped the same way with
    their own core dates pinned.
    """
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    for part in prs.part.package.iter_parts():
        if part.content_type == CT.SML_SHEET:
            part._blob = _pin_workbook(part.blob, stamp)
    raw = io.BytesIO()
    prs.save(raw)
    return _rezip(raw.getvalue(), stamp, lambda name, data: data)

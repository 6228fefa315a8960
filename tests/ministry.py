"""A "Ministry" corporate template, made in code: 16:9, a teal band at the top holding the
titles, a sand rule under it, Georgia titles and Verdana text in the theme's font scheme, the
ministry's logo at the bottom left, and teal title and section-header slides.

It is built from python-pptx's default master (which is 4:3): every box is stretched to 16:9,
the theme's colour and font schemes are replaced, and the band, rule and logo are added to the
master behind its placeholders, as a designer would draw them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Pt

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P}

TEAL = "0B4F57"  # dk2: the band, title and divider slides
SAND = "EADFC8"  # lt2
SAND_RULE = "C9A66B"  # accent2: the rule under the band
COLORS = {
    "dk1": "1F2A2E",
    "lt1": "FFFFFF",
    "dk2": TEAL,
    "lt2": SAND,
    "accent1": "0F7C86",
    "accent2": SAND_RULE,
    "accent3": "3D6E8C",
    "accent4": "8C4A2F",
    "accent5": "5E7D3A",
    "accent6": "6B5B95",
    "hlink": "0F7C86",
    "folHlink": "6B5B95",
}
MAJOR, MINOR = "Georgia", "Verdana"
BAND = 84.0  # points: the band's height; the rule lies under it
RULE = 5.0
LOGO = (24.0, 486.0, 96.0, 36.0)  # x, y, w, h in points: bottom left


def pt(v: float) -> int:
    return int(Emu(Pt(v)))


def logo_png() -> bytes:
    """The ministry's logo: a teal square with a sand emblem, as PNG."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (192, 72), "#" + TEAL)
    draw = ImageDraw.Draw(img)
    draw.rectangle((12, 12, 60, 60), fill="#" + SAND_RULE)
    draw.rectangle((72, 26, 180, 34), fill="#" + SAND)
    draw.rectangle((72, 42, 150, 48), fill="#" + SAND)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _theme(prs: Any) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(".//a:clrScheme", NS)
    scheme.set("name", "Ministry")
    for name, value in COLORS.items():
        el = scheme.find(f"a:{name}", NS)
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{A}}}srgbClr", val=value)
    fonts = root.find(".//a:fontScheme", NS)
    fonts.set("name", "Ministry")
    fonts.find("a:majorFont/a:latin", NS).set("typeface", MAJOR)
    fonts.find("a:minorFont/a:latin", NS).set("typeface", MINOR)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _stretch(element: Any, factor: float) -> None:
    for xfrm in element.iter(f"{{{A}}}xfrm"):
        off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
        if off is not None:
            off.set("x", str(round(int(off.get("x")) * factor)))
        if ext is not None:
            ext.set("cx", str(round(int(ext.get("cx")) * factor)))


def _place(sp: Any, x: float, y: float, w: float, h: float) -> None:
    sp.left, sp.top, sp.width, sp.height = pt(x), pt(y), pt(w), pt(h)


def _rect(tree: Any, shape_id: int, name: str, box: tuple[float, ...], color: str) -> None:
    xml = (
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{_xfrm(box)}'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
    )
    tree.insert(2, etree.fromstring(xml))


def _xfrm(box: tuple[float, ...]) -> str:
    x, y, w, h = (pt(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _picture(owner: Any, shape_id: int, name: str, descr: str, box: tuple[float, ...]) -> None:
    """Draw the ministry's logo picture at ``box`` on a master or layout, behind its slides."""
    _, rid = owner.part.get_or_add_image_part(io.BytesIO(logo_png()))
    owner._element.find("p:cSld/p:spTree", NS).append(
        etree.fromstring(
            f'<p:pic xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:nvPicPr>'
            f'<p:cNvPr id="{shape_id}" name="{name}" descr="{descr}"/>'
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/>'
            f'</p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
            f"</a:stretch></p:blipFill><p:spPr>{_xfrm(box)}"
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )
    )


def _background(layout: Any, scheme: str) -> None:
    c_sld = layout._element.find("p:cSld", NS)
    bg = etree.fromstring(
        f'<p:bg xmlns:p="{P}" xmlns:a="{A}"><p:bgPr><a:solidFill><a:schemeClr val="{scheme}"/>'
        "</a:solidFill><a:effectLst/></p:bgPr></p:bg>"
    )
    c_sld.insert(0, bg)


def _color(sp: Any, scheme: str) -> None:
    """Set the level-1 text of placeholder ``sp`` in a scheme colour (replacing any)."""
    body = sp._element.find("p:txBody", NS)
    lst = body.find("a:lstStyle", NS)
    if lst is None:
        lst = etree.SubElement(body, f"{{{A}}}lstStyle")
        body.insert(1, lst)
    lvl = lst.find("a:lvl1pPr", NS)
    if lvl is None:
        lvl = etree.SubElement(lst, f"{{{A}}}lvl1pPr")
    rpr = lvl.find("a:defRPr", NS)
    if rpr is None:
        rpr = etree.SubElement(lvl, f"{{{A}}}defRPr")
    for old in rpr.findall("a:solidFill", NS):
        rpr.remove(old)
    fill = etree.fromstring(
        f'<a:solidFill xmlns:a="{A}"><a:schemeClr val="{scheme}"/></a:solidFill>'
    )
    rpr.insert(0, fill)


def make_ministry(path: Path) -> Path:
    """Write the Ministry template to ``path`` (.pptx or .potx content, no slides)."""
    prs = Presentation()
    factor = 16 / 12  # python-pptx's master is 10 x 7.5 in; the Ministry's is 13.33 x 7.5 in
    prs.slide_width = Emu(round(prs.slide_width * factor))
    master = prs.slide_master
    _stretch(master._element, factor)
    for layout in master.slide_layouts:
        _stretch(layout._element, factor)
    _theme(prs)
    width = prs.slide_width / 12700
    # Titles white on the band, in the theme's heading font (Georgia), 28 pt.
    title_rpr = master._element.find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    title_rpr.set("sz", "2800")
    title_rpr.find("a:solidFill/a:schemeClr", NS).set("val", "bg1")
    for ph in master.placeholders:
        kind = ph.placeholder_format.type.name
        if kind == "TITLE":
            _place(ph, 40, 12, width - 80, BAND - 24)
        elif kind == "BODY":
            _place(ph, 40, BAND + RULE + 24, width - 80, 470 - (BAND + RULE + 24))
        elif kind == "DATE":
            _place(ph, 140, 492, 180, 28)
        elif kind == "FOOTER":
            _place(ph, 340, 492, width - 340 - 140, 28)
        elif kind == "SLIDE_NUMBER":
            _place(ph, width - 120, 492, 80, 28)
    tree = master._element.find("p:cSld/p:spTree", NS)
    _rect(tree, 90, "Ministry rule", (0, BAND, width, RULE), SAND_RULE)
    _rect(tree, 91, "Ministry band", (0, 0, width, BAND), TEAL)
    _picture(master, 92, "Ministry logo", "Logo of the Ministry", LOGO)
    for layout in master.slide_layouts:
        for ph in layout.placeholders:
            kind = ph.placeholder_format.type.name
            xfrm = ph._element.spPr.find("a:xfrm", NS)
            if kind == "TITLE" and layout.name != "Section Header" and xfrm is not None:
                ph._element.spPr.remove(xfrm)  # in the band, as the master places it
        if layout.name in ("Title Slide", "Section Header"):
            _background(layout, "tx2")
            for ph in layout.placeholders:
                if ph.placeholder_format.type.name in ("SUBTITLE", "BODY"):
                    _color(ph, "bg2")
    prs.save(path)
    return path


# A variant whose content layout has a short body in a corner, as LibreOffice's Midnightblue:
# the title centred under the band, the body 140 pt high to its lower right, a badge (a
# picture) at the bottom right, in the free area the body could take but not in the body.
CORNER_TITLE = (250.0, 110.0, 460.0, 150.0)
CORNER_BODY = (480.0, 272.0, 450.0, 140.0)
BADGE = (880.0, 430.0, 40.0, 40.0)


def make_short_body(path: Path) -> Path:
    """Write the Ministry template with a short, off-centre body on its content layout."""
    make_ministry(path)
    prs = Presentation(str(path))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type.name
        if kind == "TITLE":
            _place(ph, *CORNER_TITLE)
        elif kind in ("BODY", "OBJECT"):
            _place(ph, *CORNER_BODY)
    _picture(layout, 93, "Badge", "Badge", BADGE)
    prs.save(str(path))
    return path


# Where the master itself numbers the slides, in a shape of its own (not a placeholder, which
# shows only where a slide has one), as LibreOffice's templates do on a disc at the bottom right.
NUMBER_DISC = (880.0, 480.0, 48.0, 40.0)


def make_master_numbered(path: Path) -> Path:
    """Write the Ministry template with no slide-number placeholders and the number drawn by
    the master in a text shape of its own."""
    make_ministry(path)
    prs = Presentation(str(path))
    master = prs.slide_master
    for owner in (master, *master.slide_layouts):
        for ph in list(owner.placeholders):
            if ph.placeholder_format.type.name == "SLIDE_NUMBER":
                ph._element.getparent().remove(ph._element)
    master._element.find("p:cSld/p:spTree", NS).append(
        etree.fromstring(
            f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="94" name="Number"/>'
            '<p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>'
            f'{_xfrm(NUMBER_DISC)}<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{TEAL}"/></a:solidFill></p:spPr>'
            '<p:txBody><a:bodyPr/><a:p><a:pPr algn="ctr"/>'
            '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
            "<a:t>&lt;#&gt;</a:t></a:fld></a:p></p:txBody></p:sp>"
        )
    )
    prs.save(str(path))
    return path

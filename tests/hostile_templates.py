"""Hostile corporate templates, made at test time from python-pptx's default master.

Each builder returns the bytes of one template; ``MARK`` is planted in whatever must never reach
an output (comments, custom XML, tags, external links, the thumbnail), so a test can look for it
in every part of the deck. Nothing here is committed as a binary.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from collections.abc import Callable

from pptx import Presentation

MARK = "Hostile-Template-Marker-7f3a"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PPT_CT = "application/vnd.openxmlformats-officedocument.presentationml"
Parts = dict[str, bytes]


def base() -> bytes:
    """python-pptx's default master (4:3, eleven layouts, a thumbnail), no slides."""
    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


def rezip(data: bytes, edit: Callable[[Parts], None]) -> bytes:
    """``data`` with its members edited in place by ``edit``."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in parts.items():
            dst.writestr(name, blob)
    return out.getvalue()


def _rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def add_rel(
    parts: Parts, source: str, rid: str, rtype: str, target: str, external: bool = False
) -> None:
    """Add a relationship from ``source`` (a part name, or "" for the package)."""
    path = _rels_path(source) if source else "_rels/.rels"
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{mode}/>'
    parts[path] = parts[path].replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def add_type(parts: Parts, part: str, ctype: str) -> None:
    override = f'<Override PartName="/{part}" ContentType="{ctype}"/>'
    ct = "[Content_Types].xml"
    parts[ct] = parts[ct].replace(b"</Types>", override.encode() + b"</Types>")


def set_main_type(parts: Parts, ctype: str) -> None:
    ct = "[Content_Types].xml"
    parts[ct] = re.sub(
        rb'(PartName="/ppt/presentation.xml" ContentType=")[^"]+"',
        b"\\g<1>" + ctype.encode() + b'"',
        parts[ct],
    )


# -- active content: refused ----------------------------------------------------------------------


def macro_enabled(main: str = "presentation") -> bytes:
    """A .pptm (or with ``main="template"``, .potm): VBA project and macro-enabled main part."""

    def edit(parts: Parts) -> None:
        parts["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name = 'Evil'" * 20
        add_type(parts, "ppt/vbaProject.bin", "application/vnd.ms-office.vbaProject")
        add_rel(
            parts,
            "ppt/presentation.xml",
            "rIdVba",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
            "vbaProject.bin",
        )
        set_main_type(parts, f"application/vnd.ms-powerpoint.{main}.macroEnabled.main+xml")

    return rezip(base(), edit)


def activex() -> bytes:
    def edit(parts: Parts) -> None:
        parts["ppt/activeX/activeX1.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
            b'ax:classid="{8BD21D10-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStorage"/>'
        )
        add_type(parts, "ppt/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml")
        layout = "ppt/slideLayouts/slideLayout1.xml"
        add_rel(parts, layout, "rIdAx", OFFICE + "control", "../activeX/activeX1.xml")

    return rezip(base(), edit)


def ole_object() -> bytes:
    def edit(parts: Parts) -> None:
        parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
        add_type(
            parts,
            "ppt/embeddings/oleObject1.bin",
            "application/vnd.openxmlformats-officedocument.oleObject",
        )
        layout = "ppt/slideLayouts/slideLayout2.xml"
        add_rel(parts, layout, "rIdOle", OFFICE + "oleObject", "../embeddings/oleObject1.bin")

    return rezip(base(), edit)


# -- XML with DTDs and entities: refused ----------------------------------------------------------


def with_doctype(part: str, doctype: bytes, text: bytes = b"") -> bytes:
    """``part`` with ``doctype`` after its XML declaration and ``text`` in its first ``a:t``."""

    def edit(parts: Parts) -> None:
        xml = parts[part]
        decl, sep, rest = xml.partition(b"?>")
        xml = decl + sep + doctype + rest
        if text:
            xml = xml.replace(b"</p:spTree>", _text_shape(text) + b"</p:spTree>", 1)
        parts[part] = xml

    return rezip(base(), edit)


def _text_shape(text: bytes) -> bytes:
    return (
        b'<p:sp><p:nvSpPr><p:cNvPr id="99" name="x"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/>'
        b"<p:txBody><a:bodyPr/><a:p><a:r><a:t>" + text + b"</a:t></a:r></a:p></p:txBody></p:sp>"
    )


def entity_in_layout() -> bytes:
    return with_doctype(
        "ppt/slideLayouts/slideLayout6.xml",
        b'<!DOCTYPE p:sldLayout [<!ENTITY who "ENTITY-EXPANDED">]>',
        b"&who;",
    )


def billion_laughs() -> bytes:
    lol = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    return with_doctype("[Content_Types].xml", b"<!DOCTYPE Types [" + lol + b"]>")


def undefined_entity() -> bytes:
    def edit(parts: Parts) -> None:
        part = "ppt/slideLayouts/slideLayout6.xml"
        parts[part] = parts[part].replace(b"</p:spTree>", _text_shape(b"&nope;") + b"</p:spTree>")

    return rezip(base(), edit)


# -- zip bombs and broken zips: refused -----------------------------------------------------------


def with_member(name: str, size: int) -> bytes:
    """The base template plus (or with replaced) member ``name`` of ``size`` zero bytes."""
    with zipfile.ZipFile(io.BytesIO(base())) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for part, blob in parts.items():
            if part != name:
                dst.writestr(part, blob)
        with dst.open(name, "w", force_zip64=size > 2**31) as fh:
            chunk = b"\0" * (16 * 1024 * 1024)
            left = size
            while left:
                fh.write(chunk[: min(left, len(chunk))])
                left -= min(left, len(chunk))
    return out.getvalue()


def many_members(count: int = 6000, name_length: int = 0) -> bytes:
    """``count`` empty members more, their names ``name_length`` characters long (if given)."""

    def edit(parts: Parts) -> None:
        for i in range(count):
            name = f"ppt/media/dust{i}.bin"
            parts[name.rjust(name_length, "x")] = b""

    return rezip(base(), edit)


def lying_size() -> bytes:
    """A layout whose central directory entry claims 10 bytes; it inflates to its real size."""
    name = "ppt/slideLayouts/slideLayout1.xml"
    data = bytearray(base())
    struct.pack_into("<I", data, _central_entry(data, name) + 24, 10)  # uncompressed size
    return bytes(data)


def _central_entry(data: bytearray, name: str) -> int:
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at += 4


def duplicate_member() -> bytes:
    data = base()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
            dst.writestr("ppt/presentation.xml", src.read("ppt/presentation.xml"))
    return out.getvalue()


# -- what must never be copied: stripped, and the deck still builds -------------------------------


def leaky() -> bytes:
    """External links, comment authors, custom XML, custom properties, tags and a thumbnail,
    each carrying ``MARK``."""
    mark = MARK.encode()

    def edit(parts: Parts) -> None:
        parts["docProps/thumbnail.jpeg"] = b"\xff\xd8\xff\xe0" + mark + b"\0" * 64
        # A hyperlink on the master's title and a linked (not embedded) picture on a layout.
        master = "ppt/slideMasters/slideMaster1.xml"
        parts[master] = parts[master].replace(
            b'<p:cNvPr id="2" name="Title Placeholder 1"/>',
            b'<p:cNvPr id="2" name="Title Placeholder 1"><a:hlinkClick r:id="rIdExt"/></p:cNvPr>',
            1,
        )
        assert b"rIdExt" in parts[master]
        add_rel(parts, master, "rIdExt", OFFICE + "hyperlink", f"https://{MARK}.invalid/t", True)
        layout = "ppt/slideLayouts/slideLayout6.xml"
        picture = (
            b'<p:pic><p:nvPicPr><p:cNvPr id="98" name="pixel"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
            b'<p:blipFill><a:blip r:link="rIdPix"/><a:stretch><a:fillRect/></a:stretch>'
            b'</p:blipFill><p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="12700" cy="12700"/>'
            b'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )
        parts[layout] = parts[layout].replace(b"</p:spTree>", picture + b"</p:spTree>", 1)
        add_rel(parts, layout, "rIdPix", OFFICE + "image", f"https://{MARK}.invalid/p.png", True)
        # Comment authors (the comments themselves hang off slides, which a template drops).
        parts["ppt/commentAuthors.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            b'<p:cmAuthor id="0" name="' + mark + b'" initials="HT" lastIdx="1" clrIdx="0"/>'
            b"</p:cmAuthorLst>"
        )
        add_type(parts, "ppt/commentAuthors.xml", f"{PPT_CT}.commentAuthors+xml")
        pres = "ppt/presentation.xml"
        add_rel(parts, pres, "rIdCa", OFFICE + "commentAuthors", "commentAuthors.xml")
        # Custom XML and custom document properties.
        parts["customXml/item1.xml"] = b"<secret>" + mark + b"</secret>"
        add_rel(
            parts, "ppt/presentation.xml", "rIdCx", OFFICE + "customXml", "../customXml/item1.xml"
        )
        parts["docProps/custom.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
            b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
            b"<vt:lpwstr>" + mark + b"</vt:lpwstr></property></Properties>"
        )
        add_type(
            parts,
            "docProps/custom.xml",
            "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        )
        add_rel(parts, "", "rIdCp", OFFICE + "custom-properties", "docProps/custom.xml")
        # Tags (customer data) on the master.
        parts["ppt/tags/tag1.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<p:tagLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
            b'<p:tag name="OWNER" val="' + mark + b'"/></p:tagLst>'
        )
        add_type(parts, "ppt/tags/tag1.xml", f"{PPT_CT}.tags+xml")
        parts[master] = parts[master].replace(
            b"</p:spTree>",
            b'</p:spTree><p:custDataLst><p:tags r:id="rIdTag"/></p:custDataLst>',
            1,
        )
        assert b"rIdTag" in parts[master]
        add_rel(parts, master, "rIdTag", OFFICE + "tags", "../tags/tag1.xml")

    return rezip(base(), edit)


# -- structures that used to be internal errors: built, or refused by name ------------------------


def few_layouts(keep: tuple[str, ...] = ("Title Slide", "Title Only")) -> bytes:
    prs = Presentation()
    layouts = prs.slide_masters[0].slide_layouts
    for layout in list(layouts):
        if layout.name not in keep:
            layouts.remove(layout)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def second_master(layout_name: str = "Second Title Only") -> bytes:
    """A second slide master (a copy of the first, with its own theme) whose one layout is
    ``layout_name``, a copy of "Title Only"."""
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"

    def edit(parts: Parts) -> None:
        parts["ppt/theme/theme2.xml"] = parts["ppt/theme/theme1.xml"]
        add_type(
            parts, "ppt/theme/theme2.xml", "application/vnd.openxmlformats-officedocument.theme+xml"
        )
        layout = parts["ppt/slideLayouts/slideLayout6.xml"].replace(
            b'name="Title Only"', f'name="{layout_name}"'.encode()
        )
        assert layout_name.encode() in layout
        parts["ppt/slideLayouts/slideLayout12.xml"] = layout
        add_type(parts, "ppt/slideLayouts/slideLayout12.xml", f"{PPT_CT}.slideLayout+xml")
        parts["ppt/slideLayouts/_rels/slideLayout12.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
            b'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            b'Id="rId1" Type="' + (OFFICE + "slideMaster").encode() + b'" '
            b'Target="../slideMasters/slideMaster2.xml"/></Relationships>'
        )
        master = re.sub(
            rb"<p:sldLayoutIdLst>.*</p:sldLayoutIdLst>",
            b'<p:sldLayoutIdLst><p:sldLayoutId id="2147483700" r:id="rId1"/></p:sldLayoutIdLst>',
            parts["ppt/slideMasters/slideMaster1.xml"],
            flags=re.S,
        )
        parts["ppt/slideMasters/slideMaster2.xml"] = master
        add_type(parts, "ppt/slideMasters/slideMaster2.xml", f"{PPT_CT}.slideMaster+xml")
        parts["ppt/slideMasters/_rels/slideMaster2.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
            b'"http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="' + (OFFICE + "slideLayout").encode() + b'" '
            b'Target="../slideLayouts/slideLayout12.xml"/>'
            b'<Relationship Id="rId2" Type="' + (OFFICE + "theme").encode() + b'" '
            b'Target="../theme/theme2.xml"/></Relationships>'
        )
        add_rel(
            parts,
            "ppt/presentation.xml",
            "rIdM2",
            OFFICE + "slideMaster",
            "slideMasters/slideMaster2.xml",
        )
        pres = parts["ppt/presentation.xml"]
        parts["ppt/presentation.xml"] = re.sub(
            rb"(<p:sldMasterIdLst>.*?)(</p:sldMasterIdLst>)",
            b'\\1<p:sldMasterId id="2147483699" r:id="rIdM2"/>\\2',
            pres,
            flags=re.S,
        )
        assert p.encode() in parts["ppt/presentation.xml"]

    return rezip(base(), edit)


def without_slide_size() -> bytes:
    def edit(parts: Parts) -> None:
        parts["ppt/presentation.xml"] = re.sub(
            rb"<p:sldSz[^>]*/>", b"", parts["ppt/presentation.xml"]
        )

    return rezip(base(), edit)

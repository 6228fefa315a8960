"""A template file's bytes in, a checked and stripped OPC package (zip bytes) out.

Corporate templates come from outside, so they are opened as hostile input before python-pptx
sees them:

- the zip is bounded before anything is inflated: member count, each member's and the total
  uncompressed size, and the compression ratio, all from the central directory (Python's
  ``zipfile`` never inflates a member past its declared size, so the declared sizes bound the
  memory; a member that inflates further fails its CRC check and is refused);
- active content is refused with a located error naming the part: macro-enabled packages
  (``.pptm``/``.potm`` content types), VBA projects, ActiveX controls and OLE objects;
- every XML part is parsed without DTDs, entities or network access, and a part that declares a
  DOCTYPE (and so could declare entities) is refused;
- what the output must never inherit is dropped, with the references to it: the thumbnail,
  external relationships (``TargetMode="External"``), comments and their authors, custom XML,
  tags, custom properties, signatures and ribbon customisations; parts no longer reachable from
  the package's relationships are left out.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from deckgen.diagnostics import Diagnostic, InputError

MB = 1024 * 1024
# Bounds on the zip, checked on the central directory before any member is inflated. A
# corporate template has tens to a few hundred parts (python-pptx's default: 38; LibreOffice's
# 24 Impress templates saved as .potx: 40 to 120), pictures of a few MB and XML parts that
# compress 5 to 30 times; zip bombs have thousands of members or ratios in the thousands.
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 64 * MB
MAX_TOTAL_BYTES = 256 * MB
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1 * MB  # small parts may compress well (a blank layout's XML: 30x and more)
# The central directory: 46 bytes and the name per member; 5,000 members with long names.
MAX_DIRECTORY_BYTES = 4 * MB

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships/"
_MSO = "http://schemas.microsoft.com/office/"

POTX = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"

# Active content: what it is, by the end of a relationship type or a content type.
_ACTIVE_RELS = {
    "/vbaProject": "a VBA project (macros)",
    "/vbaProjectSignature": "a VBA project signature (macros)",
    "/oleObject": "an OLE object",
    "/control": "an ActiveX control",
    "/activeXControlBinary": "an ActiveX control",
}
_ACTIVE_TYPES = {
    "macroenabled": "a macro-enabled content type",
    "vbaproject": "a VBA project (macros)",
    "activex": "an ActiveX control",
    "oleobject": "an OLE object",
}
# Relationships never carried into an output, and the parts they lead to.
_DROPPED_RELS = {
    _PACKAGE + "metadata/thumbnail",
    _PACKAGE + "digital-signature/origin",
    _OFFICE + "custom-properties",
    _OFFICE + "customXml",
    _OFFICE + "customXmlProps",
    _OFFICE + "comments",
    _OFFICE + "commentAuthors",
    _OFFICE + "tags",
    _MSO + "2018/10/relationships/comments",
    _MSO + "2018/10/relationships/authors",
    _MSO + "2006/relationships/ui/extensibility",
    _MSO + "2007/relationships/ui/extensibility",
}
# Elements that exist only to point at a relationship: removed with it (other attributes that
# point at a dropped relationship are removed on their own).
_POINTERS = {
    "{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick",
    "{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkHover",
    "{http://schemas.openxmlformats.org/presentationml/2006/main}custData",
    "{http://schemas.openxmlformats.org/presentationml/2006/main}tags",
}


def _parser() -> etree.XMLParser:
    """No DTD loaded, no entity resolved, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
    )


@dataclass(slots=True)
class _Rel:
    id: str
    type: str
    target: str
    external: bool


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Checker:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, part: str, message: str) -> InputError:
        return InputError([Diagnostic(self.where, 0, 0, part, message)])


def _directory_bounded(data: bytes, check: _Checker) -> None:
    """Refuse a central directory too large to list, from the end record, before ``zipfile``
    builds an object per entry (a 100 MB file of bare entries would be two million of them)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return  # not a zip: zipfile says so
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == b"PK\x06\x07":
        at = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[at : at + 4] == b"PK\x06\x06" and at + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, at + 32)
    if entries > MAX_MEMBERS:
        raise check.fail("", f"zip has {entries} members; the limit is {MAX_MEMBERS}")
    if size > MAX_DIRECTORY_BYTES:
        raise check.fail("", f"zip directory is {size} bytes; the limit is {MAX_DIRECTORY_BYTES}")


def _bounded(zf: zipfile.ZipFile, check: _Checker) -> dict[str, zipfile.ZipInfo]:
    """The members by name, once the central directory is within every bound."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise check.fail("", f"zip has {len(infos)} members; the limit is {MAX_MEMBERS}")
    members: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name.lower() in seen:
            raise check.fail(name, "the zip holds this member twice")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise check.fail(name, "the member is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise check.fail(name, f"unsupported zip compression method {info.compress_type}")
        size = info.file_size
        if size > MAX_MEMBER_BYTES:
            raise check.fail(
                name, f"member inflates to {size} bytes; the limit is {MAX_MEMBER_BYTES}"
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise check.fail(
                name,
                f"member inflates {ratio} times ({info.compress_size} to {size} bytes); "
                f"the limit is {MAX_RATIO} (a zip bomb?)",
            )
        total += size
        if total > MAX_TOTAL_BYTES:
            raise check.fail(
                "", f"members inflate to more than {MAX_TOTAL_BYTES} bytes in all (the limit)"
            )
        if not name.endswith("/"):
            members[name] = info
    return members


def _content_types(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    defaults = {
        (el.get("Extension") or "").lower(): el.get("ContentType") or ""
        for el in root.iter(f"{{{CT_NS}}}Default")
    }
    overrides = {
        (el.get("PartName") or "").lstrip("/").lower(): el.get("ContentType") or ""
        for el in root.iter(f"{{{CT_NS}}}Override")
    }
    return defaults, overrides


def sanitize(data: bytes, where: str) -> bytes:
    """Check the template package ``data`` (named ``where`` in errors); return a safe copy.

    The copy is a ``.pptx`` package (a ``.potx`` main content type becomes a presentation's).
    Raises :class:`InputError` with a located diagnostic for anything refused.
    """
    check = _Checker(where)
    _directory_bounded(data, check)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise check.fail("", f"not a PowerPoint package (not a zip: {exc})") from None
    with zf:
        members = _bounded(zf, check)
        lower = {name.lower(): name for name in members}
        blobs: dict[str, bytes] = {}

        def read(name: str) -> bytes:
            if name not in blobs:
                try:
                    blobs[name] = zf.read(members[name])
                except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
                    raise check.fail(name, f"the member cannot be read ({exc})") from None
            return blobs[name]

        def parse(name: str) -> etree._Element:
            try:
                root = etree.fromstring(read(name), _parser())
            except etree.XMLSyntaxError as exc:
                raise check.fail(name, f"not well-formed XML ({exc})") from None
            info: Any = root.getroottree().docinfo  # (lxml-stubs lack DocInfo.doctype)
            if info.doctype or info.internalDTD is not None:
                raise check.fail(
                    name, "the part declares a DOCTYPE; templates may not use DTDs or entities"
                )
            return root

        if "[content_types].xml" not in lower:
            raise check.fail("", "not a PowerPoint package (no [Content_Types].xml)")
        ct_name = lower["[content_types].xml"]
        ct_root = parse(ct_name)
        defaults, overrides = _content_types(ct_root)

        def content_type(name: str) -> str:
            return overrides.get(name.lower()) or defaults.get(
                posixpath.splitext(name)[1].lstrip(".").lower(), ""
            )

        # Active content anywhere in the package is refused, reachable or not.
        for name in sorted(members):
            low = name.lower()
            if posixpath.basename(low).startswith("vbaproject") and low.endswith(".bin"):
                raise check.fail(name, _refusal("a VBA project (macros)"))
            if low.startswith("ppt/activex/"):
                raise check.fail(name, _refusal("an ActiveX control"))
            ctype = content_type(name).lower()
            for marker, what in _ACTIVE_TYPES.items():
                if marker in ctype:
                    raise check.fail(name, _refusal(f"{what} ({content_type(name)})"))
        for part, ctype in sorted(overrides.items()):
            for marker, what in _ACTIVE_TYPES.items():
                if marker in ctype.lower():
                    raise check.fail(part, _refusal(f"{what} ({ctype})"))

        # Every XML part is parsed safely; relationships are read and filtered.
        xml: dict[str, etree._Element] = {ct_name: ct_root}
        rels: dict[str, list[_Rel]] = {}
        for name in sorted(members):
            ctype = content_type(name).lower()
            is_xml = name.lower().endswith((".xml", ".rels", ".vml")) or ctype.endswith("xml")
            if is_xml and name != ct_name:
                xml[name] = parse(name)
            if name.lower().endswith(".rels"):
                found = []
                for el in xml[name].iter(f"{{{RELS_NS}}}Relationship"):
                    rel = _Rel(
                        el.get("Id") or "",
                        el.get("Type") or "",
                        el.get("Target") or "",
                        (el.get("TargetMode") or "") == "External",
                    )
                    for suffix, what in _ACTIVE_RELS.items():
                        if rel.type.endswith(suffix):
                            raise check.fail(name, _refusal(f"{what} ({rel.target})"))
                    found.append(rel)
                rels[name] = found

        # Walk from the package's relationships, dropping what the output must not inherit.
        keep: set[str] = {ct_name}
        dropped: dict[str, set[str]] = {}  # rels file -> ids removed from it
        queue = [("", "_rels/.rels")]
        while queue:
            source, rels_file = queue.pop()
            actual = lower.get(rels_file.lower())
            if actual is None or actual in keep:
                continue
            keep.add(actual)
            for rel in rels.get(actual, []):
                if rel.external or rel.type in _DROPPED_RELS:
                    dropped.setdefault(actual, set()).add(rel.id)
                    continue
                target = lower.get(_resolve(source, rel.target).lower())
                if target is None or target in keep:
                    continue
                keep.add(target)
                queue.append((target, _rels_name(target)))

        # Remove dropped relationships, and whatever in their source part pointed at them.
        changed: set[str] = set()
        for rels_file, ids in dropped.items():
            root = xml[rels_file]
            for el in list(root.iter(f"{{{RELS_NS}}}Relationship")):
                if el.get("Id") in ids:
                    root.remove(el)
            changed.add(rels_file)
            folder = posixpath.dirname(posixpath.dirname(rels_file))
            owner = lower.get(
                posixpath.join(folder, posixpath.basename(rels_file)[: -len(".rels")]).lower()
            )
            if owner is not None and owner in xml and _unpoint(xml[owner], ids):
                changed.add(owner)
        main = overrides.get("ppt/presentation.xml", "")
        if main == POTX:
            for el in ct_root.iter(f"{{{CT_NS}}}Override"):
                if el.get("ContentType") == POTX:
                    el.set("ContentType", PPTX)
            changed.add(ct_name)

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for name in sorted(keep):
                if name in changed:
                    blob = etree.tostring(
                        xml[name], xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                else:
                    blob = read(name)
                dst.writestr(name, blob)
        return out.getvalue()


def _refusal(what: str) -> str:
    return (
        f"the template holds {what}; deckgen accepts no macros, ActiveX controls or OLE "
        "objects in templates (save it as a .pptx or .potx without them)"
    )


def _unpoint(root: etree._Element, ids: set[str]) -> bool:
    """Remove the references to relationships ``ids`` from a part; True when anything went."""
    changed = False
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        refs = [a for a in map(str, el.attrib) if a.startswith(f"{{{R_NS}}}") and el.get(a) in ids]
        if not refs:
            continue
        changed = True
        parent = el.getparent()
        if el.tag in _POINTERS and parent is not None:
            parent.remove(el)
        else:
            for attr in refs:
                del el.attrib[attr]
    return changed

"""Reading a tagged PDF back with pikepdf: its structure tree, its pages' marked content, and
what PDF/UA-1 asks of both that a machine can check (without veraPDF, which is not here).

Shared by the brief's and the deck PDF's tests. Each check returns what it found wrong, so a
failing test names the page, operator or element.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

# Operators that put marks on the page: text showing, path painting, XObjects, shadings,
# inline images. Each must be inside real content (an MCID) or an artifact.
PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh", "EI"}


@dataclass
class Elem:
    """A structure element as read back: type, attributes, kids and its text content."""

    role: str
    obj: Any
    kids: list[Elem] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    annots: list[Any] = field(default_factory=list)

    def walk(self) -> Iterator[Elem]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def get(self, key: str) -> Any:
        return self.obj.get(key)

    def attributes(self) -> list[Any]:
        attrs = self.obj.get("/A")
        if attrs is None:
            return []
        return list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]


@dataclass
class Tagged:
    pdf: pikepdf.Pdf
    root: Elem
    pages: list[Any]

    def elements(self, role: str | None = None) -> list[Elem]:
        return [e for e in self.root.walk() if role is None or e.role == role]


def open_tagged(data: bytes | Path) -> Tagged:
    pdf = pikepdf.open(io.BytesIO(data) if isinstance(data, bytes) else data)
    pages = [p.obj for p in pdf.pages]
    index = {p.objgen: i for i, p in enumerate(pages)}
    tree = pdf.Root.StructTreeRoot

    def read(obj: Any, page: int | None) -> Elem:
        elem = Elem(str(obj.S)[1:], obj)
        pg = obj.get("/Pg")
        here = index[pg.objgen] if pg is not None else page
        kids = obj.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in items:
            if isinstance(kid, int):
                assert here is not None, "an MCID with no page"
                elem.mcids.append((here, int(kid)))
            elif kid.get("/Type") == "/MCR":
                elem.mcids.append((index[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                elem.annots.append(kid.Obj)
            else:
                elem.kids.append(read(kid, here))
        return elem

    (document,) = list(tree.K) if isinstance(tree.K, pikepdf.Array) else [tree.K]
    return Tagged(pdf, read(document, None), pages)


def page_marks(page: Any) -> tuple[list[str], list[int]]:
    """Problems with the page's marked content, and the MCIDs it uses, in order."""
    problems: list[str] = []
    mcids: list[int] = []
    stack: list[str] = []  # "artifact", "mcid" or "other" per open sequence
    for n, (operands, op) in enumerate(pikepdf.parse_content_stream(page)):
        name = str(op)
        if name in ("BMC", "BDC"):
            tag = str(operands[0])
            if tag == "/Artifact":
                kind = "artifact"
            elif name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                kind = "mcid" if "/MCID" in operands[1] else "other"
                if kind == "mcid":
                    mcids.append(int(operands[1].MCID))
            else:
                kind = "other"
            if {"artifact", "mcid"} & set(stack) and kind in ("artifact", "mcid"):
                problems.append(f"operator {n}: {kind} inside {stack}")
            stack.append(kind)
        elif name == "EMC":
            if not stack:
                problems.append(f"operator {n}: EMC without BMC/BDC")
            else:
                stack.pop()
        elif name in PAINT and not {"artifact", "mcid"} & set(stack):
            problems.append(f"operator {n}: {name} outside marked content")
    if stack:
        problems.append(f"{len(stack)} marked-content sequences left open")
    return problems, mcids


def problems(tagged: Tagged) -> list[str]:
    """Everything found wrong with the tagging, PDF/UA-1's machine-checkable part of it."""
    pdf, out = tagged.pdf, []
    root = pdf.Root
    if root.get("/MarkInfo", {}).get("/Marked") is not True:
        out.append("catalog: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        out.append("catalog: no /Lang")
    if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
        out.append("catalog: /DisplayDocTitle is not true")
    with pdf.open_metadata() as meta:
        if meta.get("pdfuaid:part") != "1":
            out.append("XMP: no pdfuaid:part 1")
        if not meta.get("dc:title"):
            out.append("XMP: no dc:title")
    # Every page's marked content is owned by the structure tree, once, or is an artifact.
    owned: dict[tuple[int, int], str] = {}
    for elem in tagged.root.walk():
        for key in elem.mcids:
            if key in owned:
                out.append(f"MCID {key} owned twice")
            owned[key] = elem.role
    parent_tree = dict(_numbers(root.StructTreeRoot.ParentTree))
    for i, page in enumerate(tagged.pages):
        found, mcids = page_marks(pikepdf.Page(page))
        out += [f"page {i + 1}: {p}" for p in found]
        for mcid in mcids:
            if (i, mcid) not in owned:
                out.append(f"page {i + 1}: MCID {mcid} is in no structure element")
        if len(set(mcids)) != len(mcids):
            out.append(f"page {i + 1}: an MCID is used twice")
        if mcids:
            key = page.get("/StructParents")
            entry = parent_tree.get(int(key)) if key is not None else None
            if entry is None or len(entry) != len(mcids):
                out.append(f"page {i + 1}: parent tree entry missing or short")
        annots = page.get("/Annots", [])
        if len(annots) and page.get("/Tabs") != "/S":
            out.append(f"page {i + 1}: annotations but no /Tabs /S")
        for a in annots:
            if a.get("/StructParent") is None:
                out.append(f"page {i + 1}: annotation {a.get('/Rect')} has no /StructParent")
            if not str(a.get("/Contents", "")):
                out.append(f"page {i + 1}: annotation {a.get('/Rect')} has no /Contents")
    for key in owned:
        page, mcid = key
        if mcid not in page_marks(pikepdf.Page(tagged.pages[page]))[1]:
            out.append(f"page {page + 1}: structure names MCID {mcid}, which the page lacks")
    for elem in tagged.root.walk():
        if elem.role == "Figure" and not str(elem.get("/Alt") or ""):
            out.append("a Figure without /Alt")
        if elem.annots and elem.role != "Link":
            out.append(f"an annotation in a {elem.role}, not in a Link")
        if elem.role == "Table":
            heads = [e for e in elem.walk() if e.role == "TH"]
            if not heads:
                out.append("a Table without header cells")
            for th in heads:
                scopes = [a.get("/Scope") for a in th.attributes() if a.get("/O") == "/Table"]
                if scopes not in (["/Column"], ["/Row"], ["/Both"]):
                    out.append(f"a TH without /Scope: {scopes}")
    levels = [int(e.role[1]) for e in tagged.root.walk() if e.role in {f"H{n}" for n in range(7)}]
    if levels and levels[0] != 1:
        out.append(f"the first heading is H{levels[0]}")
    out += [
        f"heading level skipped: H{a} to H{b}"
        for a, b in zip(levels, levels[1:], strict=False)
        if b > a + 1
    ]
    return out


def _numbers(tree: Any) -> Iterator[tuple[int, Any]]:
    """A number tree's entries (flat or with kids)."""
    nums = tree.get("/Nums")
    if nums is not None:
        items = list(nums)
        for k in range(0, len(items), 2):
            yield int(items[k]), items[k + 1]
    for kid in tree.get("/Kids", []):
        yield from _numbers(kid)


def struct_text(pdf: Path) -> list[tuple[str, str]]:
    """``pdfinfo -struct-text``'s elements: (type, text of its own content), in reading order.

    An element's text is all its quoted lines joined (a paragraph split over two pages has two);
    an element without text of its own (a ``Table``, a ``Sect``) has "".
    """
    import shutil
    import subprocess

    tool = shutil.which("pdfinfo")
    assert tool
    out = subprocess.run(
        [tool, "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    items: list[tuple[str, str]] = []
    for line in out.splitlines():
        stripped = line.strip()
        if stripped.startswith('"') and stripped.endswith('"') and items:
            role, text = items[-1]
            items[-1] = (role, text + stripped[1:-1])
        elif stripped and not stripped.startswith(("/", "Object ")):
            items.append((stripped.split()[0].rstrip(":"), ""))
    return items


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """``pdffonts``' table: one dict per font (name, type, emb, sub, uni)."""
    import shutil
    import subprocess

    tool = shutil.which("pdffonts")
    assert tool
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        *head, emb, sub, uni, _num, _gen = line.split()
        rows.append({"name": head[0], "emb": emb, "sub": sub, "uni": uni})
    return rows

"""Tagged PDF: a structure tree, grown while a reportlab canvas draws, in; the objects that make
the PDF tagged out (marked content, structure tree, parent tree, XMP metadata, PDF/UA-1 marks).

reportlab writes untagged PDF, so this module adds what PDF/UA-1 (ISO 14289-1) asks of a
document built on its canvas:

- every page's content is in exactly one marked-content sequence: real content as
  ``/P <</MCID n>> BDC ... EMC`` owned by a structure element, everything else (page furniture,
  rules, backgrounds, table grids) inside ``/Artifact``. A page *is* an artifact by default
  and a writer opens real content around what it draws (:meth:`Tagger.content`), so nothing
  a writer forgets to mark can end up untagged;
- a structure tree (:class:`Node`) in reading order, which is the order the writer creates
  nodes in, not the order it paints them (a slide's title is read first, wherever it sits in
  the z-order);
- link annotations inside ``Link`` elements (``/StructParent``, an ``OBJR``, ``/Contents``),
  ``/Tabs /S`` on every page, ``/MarkInfo``, ``/StructTreeRoot`` with its parent tree, and an
  XMP packet with the title, language and ``pdfuaid:part 1``; PDF 1.7.

The writers decide what each node is (their plans say what a block or frame is); this module
only knows PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from deckgen.model import DocMeta

ARTIFACT = "/Artifact BMC"
END = "EMC"
PDF_VERSION = (1, 7)


@dataclass(eq=False)
class Node:
    """A structure element: its standard type, and its kids in reading order.

    Kids are nodes, marked content (``(page, mcid)``) and annotations (``("annot", name,
    page)``), in the order they were added. ``alt`` is the alternate description (figures),
    ``actual`` the replacement text (a cell whose coloured dot is not to be read), ``attrs`` the
    attribute objects by owner (``{"Table": {"Scope": "/Column"}}``), ``contents`` the
    description a link annotation under this node gets.
    """

    role: str
    parent: Node | None = None
    alt: str | None = None
    actual: str | None = None
    title: str | None = None
    contents: str | None = None
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    kids: list[Node | tuple[int, int] | tuple[str, str, int]] = field(default_factory=list)
    keep: bool = False  # kept even when empty (a table cell keeps the table regular)

    def add(self, role: str, **kw: Any) -> Node:
        """A new child of this node, last among its kids."""
        node = Node(role, self, **kw)
        self.kids.append(node)
        return node

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def alive(self) -> bool:
        """Whether this node is written: something on a page belongs to it or to a node under
        it, or it is to be kept."""
        return self.keep or any(not isinstance(k, Node) or k.alive() for k in self.kids)


class Tagger:
    """Marked content and the structure tree of one document being drawn.

    Pages and link annotations share one key space in the parent tree, given out in the order
    they are finished (a page) or made (an annotation), so keys never depend on a page count
    known only at the end.
    """

    def __init__(self) -> None:
        self.root = Node("Document")
        self.page = 0  # the page being drawn, from 0
        self.marks: list[Node] = []  # the current page's owners, indexed by MCID
        self.page_keys: list[int] = []  # each finished page's /StructParents
        self.parents: dict[int, Node | list[Node]] = {}  # parent tree: key -> owner(s)
        self.next_key = 0
        self.open: Node | None = None

    # -- drawing

    @contextmanager
    def content(self, canv: Canvas, node: Node) -> Iterator[None]:
        """Draw real content owned by ``node``: one marked-content sequence with an MCID."""
        if self.open is not None:  # already inside ``node``'s parent content: one sequence
            yield
            return
        code = canv._code
        mcid = len(self.marks)
        self.marks.append(node)
        node.kids.append((self.page, mcid))
        code.append(END)  # the page's artifact ends here
        code.append(f"{PDFName(node.role)} <</MCID {mcid}>> BDC")
        self.open = node
        try:
            yield
        finally:
            self.open = None
            code.append(END)
            code.append(ARTIFACT)

    @contextmanager
    def artifact(self, canv: Canvas, kind: str, subtype: str | None = None) -> Iterator[None]:
        """Draw a typed artifact (``Pagination`` with ``Header`` or ``Footer``, ``Layout``)."""
        props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        code = canv._code
        code.append(END)
        code.append(f"/Artifact <<{props}>> BDC")
        try:
            yield
        finally:
            code.append(END)
            code.append(ARTIFACT)

    def link(self) -> Node | None:
        """The ``Link`` node being drawn (or one above it), which owns a new annotation."""
        node = self.open
        while node is not None and node.role != "Link":
            node = node.parent
        return node

    def annotation(self, node: Node, name: str) -> int:
        """Record an annotation made inside ``node``; its ``/StructParent`` key."""
        key = self.next_key
        self.next_key += 1
        self.parents[key] = node
        node.kids.append(("annot", name, self.page))
        return key

    def finish_page(self, code: list[str]) -> int:
        """Close the page's content (artifact by default); its ``/StructParents`` key."""
        code.insert(0, ARTIFACT)
        code.append(END)
        # Drop the empty artifacts left between two pieces of real content.
        i = 0
        while i < len(code) - 1:
            if code[i] == ARTIFACT and code[i + 1] == END:
                del code[i : i + 2]
            else:
                i += 1
        key = self.next_key
        self.next_key += 1
        self.parents[key] = list(self.marks)
        self.page_keys.append(key)
        self.page += 1
        self.marks = []
        return key

    # -- the document's objects

    def finish(self, canv: Canvas, meta: DocMeta) -> None:
        """Write the structure tree, parent tree, MarkInfo, XMP and version into ``canv``."""
        doc = canv._doc
        nodes = [n for n in self.root.walk() if n is self.root or n.alive()]
        kept = set(map(id, nodes))
        refs: dict[int, PDFObjectReference] = {}
        dicts: dict[int, _Dict] = {}
        for node in nodes:  # object numbers in reading order
            d = _Dict(Type="/StructElem", S=PDFName(node.role))
            dicts[id(node)] = d
            refs[id(node)] = doc.Reference(d)
        root = _Dict(Type="/StructTreeRoot")
        root_ref = doc.Reference(root)
        for node in nodes:
            d = dicts[id(node)]
            d["P"] = refs[id(node.parent)] if node.parent is not None else root_ref
            first = next((k for k in _pages(node)), None)
            if first is not None:
                d["Pg"] = _page(first)
            kids: list[Any] = []
            for kid in node.kids:
                if isinstance(kid, Node):
                    if id(kid) in kept:
                        kids.append(refs[id(kid)])
                elif kid[0] == "annot":
                    _, name, page = kid
                    obj = doc.refAnnotation(name)
                    kids.append(_Dict(Type="/OBJR", Obj=obj, Pg=_page(int(page))))
                else:
                    page, mcid = int(kid[0]), int(kid[1])
                    if page == first:
                        kids.append(mcid)
                    else:
                        kids.append(_Dict(Type="/MCR", Pg=_page(page), MCID=mcid))
            if kids:
                d["K"] = _Arr(kids)
            if node.alt is not None:
                d["Alt"] = PDFString(node.alt)
            if node.actual is not None:
                d["ActualText"] = PDFString(node.actual)
            if node.title is not None:
                d["T"] = PDFString(node.title)
            attrs = [
                _Dict(
                    O=PDFName(owner),
                    **{k: _Arr(v) if isinstance(v, list) else v for k, v in values.items()},
                )
                for owner, values in sorted(node.attrs.items())
            ]
            if attrs:
                d["A"] = attrs[0] if len(attrs) == 1 else _Arr(attrs)
        nums: list[Any] = []
        for key in sorted(self.parents):
            owner = self.parents[key]
            nums.append(key)
            if isinstance(owner, list):
                nums.append(_Arr([refs[id(n)] for n in owner]))
            else:
                nums.append(refs[id(owner)])
        root["K"] = _Arr([refs[id(self.root)]])
        root["ParentTree"] = _Dict(Nums=_Arr(nums))
        root["ParentTreeNextKey"] = self.next_key
        cat = doc.Catalog
        cat.StructTreeRoot = root
        cat.MarkInfo = _Dict(Marked="true")
        cat.Metadata = xmp_stream(meta)
        doc._pdfVersion = PDF_VERSION


class _Dict(PDFObject):  # type: ignore[misc]
    """A PDF dictionary written in one pass, keys in the order given.

    reportlab's own dictionary sorts its keys and sends every value through its generic
    formatter; with it, writing the Rutte brief's 600 structure elements took about 40 ms of
    the writer's 160 (cProfile). Values are numbers, names and keywords as ``str`` (written as
    they are), references, strings, and these dictionaries and arrays.
    """

    def __init__(self, **items: Any) -> None:
        self.items = items

    def __setitem__(self, key: str, value: Any) -> None:
        self.items[key] = value

    def format(self, document: Any) -> bytes:
        body = b" ".join(
            b"/%s %s" % (k.encode(), _value(v, document)) for k, v in self.items.items()
        )
        return b"<<" + body + b">>"


class _Arr(PDFObject):  # type: ignore[misc]
    """A PDF array written in one pass (see :class:`_Dict`)."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def format(self, document: Any) -> bytes:
        return b"[" + b" ".join(_value(v, document) for v in self.items) + b"]"


def _value(value: Any, document: Any) -> bytes:
    if isinstance(value, PDFObjectReference):
        return b"%d %d R" % document.idToObjectNumberAndVersion[value.name]
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, str):
        return value.encode("ascii")
    if isinstance(value, _Dict | _Arr):
        return value.format(document)
    out: bytes = pdfdoc.format(value, document)
    return out


def _page(index: int) -> PDFObjectReference:
    """The reference reportlab gives page ``index`` (from 0) when it adds the page."""
    return PDFObjectReference(f"Page{index + 1}")


def _pages(node: Node) -> Iterator[int]:
    for kid in node.kids:
        if isinstance(kid, tuple):
            yield int(kid[-1]) if kid[0] == "annot" else int(kid[0])


def tagged_page(page: Any, key: int) -> None:
    """Give a reportlab page its ``/StructParents`` key and ``/Tabs /S`` (annotations in
    structure order, PDF/UA-1 7.18.3)."""
    page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents", "Tabs"]
    page.StructParents = key
    page.Tabs = PDFName("S")


def mark_annotation(canv: Canvas, annotation: Any, name: str | None) -> tuple[Any, str | None]:
    """An annotation being added to ``canv``, tagged when it is made inside a ``Link`` node.

    Returns the annotation (a dictionary, so that it can carry ``/StructParent``) and the name
    to register it under.
    """
    tagger: Tagger | None = getattr(canv, "tagger", None)
    node = tagger.link() if tagger is not None else None
    if tagger is None or node is None:
        return annotation, name
    name = name or f"NUMBER{canv._annotationCount + 1}"
    if isinstance(annotation, pdfdoc.Annotation):
        annotation = annotation.Dict()
    annotation["StructParent"] = tagger.annotation(node, name)
    annotation["Contents"] = PDFString(node.contents or "")
    return annotation, name


# --- XMP ------------------------------------------------------------------------------------


def xmp_packet(meta: DocMeta) -> bytes:
    """The document's XMP metadata: Dublin Core, dates, producer and the PDF/UA-1 mark."""

    def t(value: str) -> str:
        return escape(value)

    keywords = f"<pdf:Keywords>{t(meta.keywords)}</pdf:Keywords>" if meta.keywords else ""
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{t(meta.subject)}</rdf:li></rdf:Alt>\
</dc:description>
   <dc:creator><rdf:Seq><rdf:li>{t(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{t(meta.language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{t(meta.created)}</xmp:CreateDate>
   <xmp:ModifyDate>{t(meta.created)}</xmp:ModifyDate>
   <xmp:CreatorTool>deckgen</xmp:CreatorTool>
   <pdf:Producer>deckgen (ReportLab)</pdf:Producer>{keywords}
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def xmp_stream(meta: DocMeta) -> PDFStream:
    """The catalog's ``/Metadata`` stream, uncompressed (so that tools can find it as text)."""
    d = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    return PDFStream(d, xmp_packet(meta), filters=[])


# --- the canvas -----------------------------------------------------------------------------


class _LineEnds(PDFTextObject):  # type: ignore[misc]
    """A text object that ends each line a paragraph draws with a space.

    reportlab drops the space where it breaks a line, so the text of a structure element read
    from its content ran the last word of a line into the first of the next ("as" and "NATO"
    as "asNATO", in ``pdfinfo -struct-text`` of the Rutte brief's cover). A space after the
    line's last glyph draws nothing, and lines are placed before they are drawn, so centred and
    right-aligned lines do not move.
    """

    def _textOut(self, text: str, TStar: int = 0) -> None:
        super()._textOut(f"{text} " if TStar else text, TStar)


def tagged(base: type[Canvas], tagger: Tagger, meta: DocMeta) -> type[Canvas]:
    """A subclass of canvas class ``base`` whose pages and annotations ``tagger`` marks, and
    which writes the structure tree when it saves."""

    class TaggedCanvas(base):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tagger = tagger
            self._doc._pdfVersion = PDF_VERSION

        def beginText(self, *args: Any, **kwargs: Any) -> Any:
            text = super().beginText(*args, **kwargs)
            text.__class__ = _LineEnds
            return text

        def showPage(self) -> None:
            key = tagger.finish_page(self._code)
            super().showPage()
            tagged_page(self._doc.Pages.pages[-1], key)

        def _addAnnotation(
            self, annotation: Any, name: str | None = None, addtopage: int = 1
        ) -> Any:
            annotation, name = mark_annotation(self, annotation, name)
            return super()._addAnnotation(annotation, name, addtopage)

        def save(self) -> None:
            if len(self._code):
                self.showPage()
            tagger.finish(self, meta)
            super().save()

    return TaggedCanvas

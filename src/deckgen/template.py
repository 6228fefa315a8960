"""Corporate templates: a .pptx or .potx file in, a plain description of its layouts out.

The planner never touches python-pptx, so this module reads the template once and hands the
planner a :class:`TemplateInfo` (slide size, layouts, placeholders with their boxes in points,
the theme's colour and font schemes, and the master's and layouts' artwork: backgrounds, solid
shapes and pictures). :func:`check_template` is the conformance check: every layout and
placeholder the theme maps must exist, or the build stops before anything is written, naming
what is missing and what there is. :func:`choose_layouts` picks layouts by their placeholder
types when the theme maps none.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS, read_input
from deckgen.model import Box

if TYPE_CHECKING:
    from deckgen.theme import TemplateSpec

EMU_PER_PT = 12700


@dataclass(frozen=True, slots=True)
class PlaceholderInfo:
    idx: int
    type: str  # e.g. TITLE, CENTER_TITLE, SUBTITLE, BODY
    name: str
    box: Box | None  # None when the placeholder inherits its position from the master


@dataclass(frozen=True, slots=True)
class Art:
    """A shape the master or layout draws under every slide: a solid fill or a picture."""

    box: Box
    fill: str | None = None  # RRGGBB of a solid rectangle or ellipse
    image: bytes | None = None  # a picture's bytes (PNG or JPEG as stored in the template)
    ellipse: bool = False
    opacity: float = 1.0  # a fill's alpha: the ground a text sees is it over what is below

    @property
    def key(self) -> str:
        """The picture's key among the prepared images (``template:<digest>``)."""
        return "template:" + hashlib.sha256(self.image or b"").hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class LayoutInfo:
    index: int
    name: str
    master: int
    placeholders: tuple[PlaceholderInfo, ...]
    type: str = ""  # the layout's declared kind (sldLayout/@type): title, obj, secHead, ...
    background: str | None = None  # RRGGBB of its (or its master's) solid background
    art: tuple[Art, ...] = ()  # master artwork (unless the layout hides it), then its own
    # The master or layout draws the slide number itself, in a shape that is no placeholder
    # (LibreOffice's Midnightblue, on its teal disc): a slide needs no number of its own.
    numbered: bool = False

    def placeholder(self, idx: int) -> PlaceholderInfo | None:
        return next((p for p in self.placeholders if p.idx == idx), None)

    def of_type(self, *types: str) -> PlaceholderInfo | None:
        """The first placeholder of one of ``types`` (TITLE, BODY, ...) that has a box."""
        return next((p for p in self.placeholders if p.type in types and p.box), None)


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """What the planner needs to know of a template, in points."""

    path: str
    width: float
    height: float
    layouts: tuple[LayoutInfo, ...] = field(default_factory=tuple)
    colors: dict[str, str] = field(default_factory=dict)  # dk1, lt1, dk2, lt2, accent1-6
    major: str = ""  # the theme's heading font (latin typeface), "" when it names none
    minor: str = ""  # the theme's body font
    title_font: str = ""  # the font the master's title style names (after +mj-lt/+mn-lt)
    body_font: str = ""  # the font the master's body style names
    title_color: str | None = None  # the colour the master's title style names

    def layout(self, name: str) -> LayoutInfo | None:
        return next((lay for lay in self.layouts if lay.name == name), None)


def open_presentation(path: Path) -> Any:
    """Open a .pptx or .potx with python-pptx, after checking and stripping it.

    The file must be a regular file within its size limit; its package is bounded, refused if
    it holds macros, ActiveX, OLE objects or DTDs, and stripped of what an output must not
    inherit (see :mod:`deckgen.template_package`) before python-pptx parses any of it.
    """
    from pptx import Presentation

    from deckgen.template_package import sanitize  # lxml: only when a template is opened

    data = read_input(path, limit=LIMITS["template"], what="template")
    package = sanitize(data, str(path))
    try:
        return Presentation(io.BytesIO(package))
    except Exception as exc:  # python-pptx raises many kinds on a broken package
        message = f"not a usable PowerPoint template ({type(exc).__name__}: {exc})"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)]) from None


def _box(shape: Any) -> Box | None:
    if shape.left is None or shape.width is None:
        return None
    return Box(
        shape.left / EMU_PER_PT,
        shape.top / EMU_PER_PT,
        shape.width / EMU_PER_PT,
        shape.height / EMU_PER_PT,
    )


def inspect_template(path: Path) -> TemplateInfo:
    """Read masters, layouts and placeholders (index, type, name, box) from a template."""
    prs = open_presentation(path)
    if prs.slide_width is None or prs.slide_height is None:
        message = "the presentation gives no slide size (p:sldSz)"
        raise InputError([Diagnostic(str(path), 0, 0, "ppt/presentation.xml", message)])
    try:
        info = _describe(prs, str(path))
    except Exception as exc:  # python-pptx's lazy parsing meets broken XML only here
        message = f"not a usable PowerPoint template ({type(exc).__name__}: {exc})"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)]) from None
    # PowerPoint's own bounds on the slide size: 1 to 56 inches a side.
    if not (72 <= info.width <= 4032 and 72 <= info.height <= 4032):
        message = f"slide size {info.width:g} x {info.height:g} pt is outside 72 to 4032 pt"
        raise InputError([Diagnostic(str(path), 0, 0, "", message)])
    return info


def _describe(prs: Any, path: str) -> TemplateInfo:
    layouts = []
    n = 0
    scheme: dict[str, str] = {}
    major = minor = title_font = body_font = ""
    title_color = None
    for m, master in enumerate(prs.slide_masters):
        master_boxes = {
            ph.placeholder_format.type: _box(ph) for ph in master.placeholders if _box(ph)
        }
        theme = _theme_xml(master)
        colors = _color_scheme(theme)
        fonts = _font_scheme(theme)
        cmap = _color_map(master._element)
        master_bg = _background(master._element, master.part, colors, cmap)
        master_art = _art(master, colors, cmap)
        master_numbered = _draws_number(master)
        if m == 0:
            scheme, (major, minor) = dict(colors), fonts
            # The roles the master maps (background 1, text 1, ...) resolved to colours.
            scheme.update({k: colors[v] for k, v in cmap.items() if v in colors and len(k) == 3})
            title_font, body_font = _style_fonts(master._element, fonts)
            title_color = _title_color(master._element, colors, cmap)
        for layout in master.slide_layouts:
            phs = []
            for ph in layout.placeholders:
                fmt = ph.placeholder_format
                kind = fmt.type.name if fmt.type is not None else "UNKNOWN"
                box = _box(ph) or master_boxes.get(fmt.type)
                phs.append(PlaceholderInfo(fmt.idx, kind, ph.name, box))
            el = layout._element
            shows_master = el.get("showMasterSp") not in ("0", "false")
            own_bg = _background(el, layout.part, colors, cmap)
            art = (master_art if shows_master else ()) + _art(layout, colors, cmap)
            layouts.append(
                LayoutInfo(
                    n,
                    layout.name,
                    m,
                    tuple(phs),
                    el.get("type") or "",
                    own_bg or master_bg,
                    art,
                    (master_numbered and shows_master) or _draws_number(layout),
                )
            )
            n += 1
    return TemplateInfo(
        path,
        prs.slide_width / EMU_PER_PT,
        prs.slide_height / EMU_PER_PT,
        tuple(layouts),
        scheme,
        major,
        minor,
        title_font,
        body_font,
        title_color,
    )


# --- the theme and the master's artwork, read as plain data ----------------------------------

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_THEME_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
SCHEME: tuple[str, ...] = ("dk1", "lt1", "dk2", "lt2", "hlink", "folHlink")
SCHEME += tuple(f"accent{i}" for i in range(1, 7))
# The master's colour map, when it gives none: background 1 is light 1, text 1 dark 1, ...
_DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}


def _theme_xml(master: Any) -> Any:
    from lxml import etree

    for rel in master.part.rels.values():
        if rel.reltype == _THEME_REL and not rel.is_external:
            from deckgen.template_package import _parser

            return etree.fromstring(rel.target_part.blob, _parser())
    return None


def _hex(value: str | None) -> str | None:
    if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.upper()
    return None


def _color_scheme(theme: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if theme is None:
        return out
    scheme = theme.find(f".//{_A}clrScheme")
    if scheme is None:
        return out
    for name in SCHEME:
        el = scheme.find(f"{_A}{name}")
        if el is None or not len(el):
            continue
        c = el[0]
        val = _hex(c.get("lastClr")) if c.tag == f"{_A}sysClr" else _hex(c.get("val"))
        if val:
            out[name] = val
    return out


def _font_scheme(theme: Any) -> tuple[str, str]:
    if theme is None:
        return "", ""
    out = []
    for kind in ("majorFont", "minorFont"):
        latin = theme.find(f".//{_A}fontScheme/{_A}{kind}/{_A}latin")
        out.append((latin.get("typeface") or "") if latin is not None else "")
    return out[0], out[1]


def _color_map(master_el: Any) -> dict[str, str]:
    cmap = dict(_DEFAULT_MAP)
    el = master_el.find(f"{_P}clrMap")
    if el is not None:
        cmap.update({k: v for k, v in el.attrib.items() if v in SCHEME})
    return cmap


def _color(
    el: Any, colors: dict[str, str], cmap: dict[str, str], see_through: bool = False
) -> str | None:
    """The RRGGBB of a colour element (srgbClr, sysClr, schemeClr, with lumMod/lumOff).

    A mostly see-through colour (alpha under 50 %) is None unless ``see_through`` (artwork,
    whose alpha is kept apart: :func:`_opacity`)."""
    if el is None:
        return None
    tag = el.tag.removeprefix(_A)
    if tag == "srgbClr":
        base = _hex(el.get("val"))
    elif tag == "sysClr":
        base = _hex(el.get("lastClr"))
    elif tag == "schemeClr":
        name = el.get("val") or ""
        base = colors.get(cmap.get(name, name))
    else:
        return None
    if base is None:
        return None
    alpha = el.find(f"{_A}alpha")
    if not see_through and alpha is not None and int(alpha.get("val") or 100000) < 50000:
        return None  # mostly see-through: not a ground text could be read on
    mod = el.find(f"{_A}lumMod")
    off = el.find(f"{_A}lumOff")
    if mod is not None or off is not None:
        import colorsys

        r, g, b = (int(base[i : i + 2], 16) / 255 for i in (0, 2, 4))
        h, light, s = colorsys.rgb_to_hls(r, g, b)
        if mod is not None:
            light *= int(mod.get("val") or 100000) / 100000
        if off is not None:
            light += int(off.get("val") or 0) / 100000
        light = min(1.0, max(0.0, light))
        r, g, b = colorsys.hls_to_rgb(h, light, s)
        base = f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
    return base


def _fill_color(sp_pr: Any) -> Any:
    """The colour element a shape's fill shows: solid, a gradient's first stop, a pattern's
    ground (None: no such fill)."""
    if sp_pr is None:
        return None
    for path in (f"{_A}solidFill", f"{_A}gradFill/{_A}gsLst/{_A}gs", f"{_A}pattFill/{_A}bgClr"):
        el = sp_pr.find(path)
        if el is not None and len(el):
            return el[0]
    return None


def _fill(
    sp_pr: Any, colors: dict[str, str], cmap: dict[str, str], see_through: bool = False
) -> str | None:
    """The colour a shape's fill shows: solid, a gradient's first stop, a pattern's ground."""
    el = _fill_color(sp_pr)
    return _color(el, colors, cmap, see_through) if el is not None else None


def _opacity(sp_pr: Any) -> float:
    """The alpha of a shape's fill colour, 0 to 1 (1: opaque)."""
    el = _fill_color(sp_pr)
    alpha = el.find(f"{_A}alpha") if el is not None else None
    if alpha is None:
        return 1.0
    try:
        return min(1.0, max(0.0, int(alpha.get("val") or 100000) / 100000))
    except ValueError:
        return 1.0


def _background(el: Any, part: Any, colors: dict[str, str], cmap: dict[str, str]) -> str | None:
    bg = el.find(f"{_P}cSld/{_P}bg")
    if bg is None:
        return None
    pr = bg.find(f"{_P}bgPr")
    if pr is not None:
        return _fill(pr, colors, cmap)
    ref = bg.find(f"{_P}bgRef")
    if ref is not None and len(ref):
        return _color(ref[0], colors, cmap)
    return None


def _xfrm_box(xfrm: Any) -> Box | None:
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{_A}off"), xfrm.find(f"{_A}ext")
    if off is None or ext is None:
        return None
    try:
        x, y = int(off.get("x")), int(off.get("y"))
        w, h = int(ext.get("cx")), int(ext.get("cy"))
    except (TypeError, ValueError):
        return None
    return Box(x / EMU_PER_PT, y / EMU_PER_PT, w / EMU_PER_PT, h / EMU_PER_PT)


MAX_ART = 200  # shapes read per master or layout: artwork, not content


def _draws_number(owner: Any) -> bool:
    """Whether a master's or layout's own shapes (not its placeholders, which show only where a
    slide has them) hold a slide-number field."""
    tree = owner._element.find(f"{_P}cSld/{_P}spTree")
    if tree is None:
        return False
    for el in list(tree)[:MAX_ART]:
        if el.tag != f"{_P}sp" or el.find(f"./*/{_P}nvPr/{_P}ph") is not None:
            continue
        if any(f.get("type") == "slidenum" for f in el.iter(f"{_A}fld")):
            return True
    return False


def _art(owner: Any, colors: dict[str, str], cmap: dict[str, str]) -> tuple[Art, ...]:
    """The solid shapes and pictures of a master's or layout's shape tree (not placeholders).

    Only what a preview can draw faithfully is kept: rectangles and ellipses with a solid (or
    gradient or pattern, by its main colour) fill, and PNG or JPEG pictures; groups, lines and
    free-form shapes are left out.
    """
    tree = owner._element.find(f"{_P}cSld/{_P}spTree")
    if tree is None:
        return ()
    out: list[Art] = []
    for el in list(tree)[:MAX_ART]:
        if el.find(f"./*/{_P}nvPr/{_P}ph") is not None:
            continue  # a placeholder: what slides fill, not artwork
        if el.tag == f"{_P}sp":
            pr = el.find(f"{_P}spPr")
            geom = pr.find(f"{_A}prstGeom") if pr is not None else None
            prst = geom.get("prst") if geom is not None else None
            if prst not in ("rect", "ellipse", "roundRect", "snip1Rect"):
                continue
            box = _xfrm_box(pr.find(f"{_A}xfrm"))
            fill = _fill(pr, colors, cmap, see_through=True)
            opacity = _opacity(pr)
            if box is not None and fill is not None and box.w > 0 and box.h > 0 and opacity > 0:
                out.append(Art(box, fill=fill, ellipse=prst == "ellipse", opacity=opacity))
        elif el.tag == f"{_P}pic":
            blip = el.find(f"{_P}blipFill/{_A}blip")
            box = _xfrm_box(el.find(f"{_P}spPr/{_A}xfrm"))
            rid = blip.get(f"{_R}embed") if blip is not None else None
            if box is None or not rid or rid not in owner.part.rels:
                continue
            rel = owner.part.rels[rid]
            if rel.is_external:
                continue
            blob = rel.target_part.blob
            if blob[:8] == b"\x89PNG\r\n\x1a\n" or blob[:3] == b"\xff\xd8\xff":
                out.append(Art(box, image=blob))
    return tuple(out)


def _style_fonts(master_el: Any, fonts: tuple[str, str]) -> tuple[str, str]:
    """The typefaces the master's title and body text are set in (theme fonts resolved)."""
    major, minor = fonts

    def resolve(face: str) -> str:
        if face.startswith("+mj"):
            return major
        if face.startswith("+mn"):
            return minor
        return face

    found = []
    for style, ph_types in (("titleStyle", ("title", "ctrTitle")), ("bodyStyle", ("body",))):
        face = ""
        for ph in master_el.iter(f"{_P}ph"):
            if (ph.get("type") or "body") in ph_types:
                sp = ph.getparent().getparent().getparent()
                latin = sp.find(f"{_P}txBody/{_A}lstStyle/{_A}lvl1pPr/{_A}defRPr/{_A}latin")
                if latin is not None and latin.get("typeface"):
                    face = latin.get("typeface")
                    break
        if not face:
            latin = master_el.find(f"{_P}txStyles/{_P}{style}/{_A}lvl1pPr/{_A}defRPr/{_A}latin")
            if latin is not None:
                face = latin.get("typeface") or ""
        found.append(resolve(face) or (major if style == "titleStyle" else minor))
    return found[0], found[1]


def _title_color(master_el: Any, colors: dict[str, str], cmap: dict[str, str]) -> str | None:
    """The colour of the master's title text (its placeholder's own style, else titleStyle)."""
    for ph in master_el.iter(f"{_P}ph"):
        if ph.get("type") in ("title", "ctrTitle"):
            sp = ph.getparent().getparent().getparent()
            fill = sp.find(f"{_P}txBody/{_A}lstStyle/{_A}lvl1pPr/{_A}defRPr/{_A}solidFill")
            if fill is not None and len(fill):
                return _color(fill[0], colors, cmap)
    fill = master_el.find(f"{_P}txStyles/{_P}titleStyle/{_A}lvl1pPr/{_A}defRPr/{_A}solidFill")
    if fill is not None and len(fill):
        return _color(fill[0], colors, cmap)
    return None


def template_keys(info: TemplateInfo) -> dict[str, Art]:
    """Every distinct picture of the template's artwork, by its key."""
    out: dict[str, Art] = {}
    for lay in info.layouts:
        for art in lay.art:
            if art.image is not None:
                out.setdefault(art.key, art)
    return out


# --- choosing layouts by their placeholders ----------------------------------------------------

TITLE_TYPES = ("TITLE", "CENTER_TITLE")
BODY_TYPES = ("BODY", "OBJECT")


def choose_layouts(info: TemplateInfo) -> dict[str, str]:
    """Layout names for the slide kinds, chosen by placeholder types (first master first).

    title: a centre title and a subtitle (else a title and a subtitle); content: a title and a
    body or object placeholder (else the layout declared title-only, else any layout with a
    title); divider: the layout declared a section header. A kind with no match is left out
    (``content`` stands in for it); a template with no titled layout at all gives ``{}``.
    """
    layouts = sorted(info.layouts, key=lambda lay: (lay.master, lay.index))

    def first(test: Any) -> str | None:
        return next((lay.name for lay in layouts if test(lay)), None)

    def titled(lay: LayoutInfo) -> bool:
        return lay.of_type(*TITLE_TYPES) is not None

    content = (
        first(lambda lay: titled(lay) and lay.of_type(*BODY_TYPES) and lay.type != "secHead")
        or first(lambda lay: titled(lay) and lay.type == "titleOnly")
        or first(lambda lay: titled(lay) and lay.of_type("SUBTITLE") is None)
        or first(titled)
    )
    if content is None:
        return {}
    out = {"content": content}
    title = first(
        lambda lay: lay.of_type("CENTER_TITLE") is not None and lay.of_type("SUBTITLE") is not None
    ) or first(lambda lay: titled(lay) and lay.of_type("SUBTITLE") is not None)
    if title:
        out["title"] = title
    divider = first(lambda lay: titled(lay) and lay.type == "secHead")
    if divider:
        out["divider"] = divider
    return out


def check_template(info: TemplateInfo, spec: TemplateSpec, where: str) -> None:
    """Raise :class:`InputError` unless every mapped layout and placeholder exists."""
    problems: list[Diagnostic] = []
    names = ", ".join(repr(lay.name) for lay in info.layouts)
    for kind, name in spec.layouts.items():
        layout = info.layout(name)
        if layout is None:
            problems.append(
                Diagnostic(
                    where,
                    0,
                    0,
                    f"template.layouts.{kind}",
                    f"layout {name!r} is not in {info.path}; it has: {names}",
                )
            )
            continue
        needed = {"title": spec.title_idx}
        if kind == "title" and spec.subtitle_idx is not None:
            needed["subtitle"] = spec.subtitle_idx
        for role, idx in needed.items():
            ph = layout.placeholder(idx)
            if ph is None or ph.box is None:
                have = ", ".join(f"{p.idx} ({p.type})" for p in layout.placeholders) or "none"
                problems.append(
                    Diagnostic(
                        where,
                        0,
                        0,
                        f"template.layouts.{kind}",
                        f"layout {name!r} has no {role} placeholder with index {idx}; "
                        f"its placeholders: {have}",
                    )
                )
    if problems:
        raise InputError(problems)


def template_spec(
    info: TemplateInfo, spec: TemplateSpec | None, path: Path
) -> tuple[TemplateSpec, tuple[str, ...]]:
    """The layouts the deck uses: the theme's mapping, and for each kind it does not name the
    layout :func:`choose_layouts` finds; with notices saying which were chosen.

    A template in which no layout has a title placeholder is an error (exit 1).
    """
    mapped: dict[str, str] = {str(k): v for k, v in (spec.layouts if spec else {}).items()}
    auto = {k: v for k, v in choose_layouts(info).items() if k not in mapped}
    if "content" not in mapped and "content" not in auto:
        names = ", ".join(repr(lay.name) for lay in info.layouts) or "none"
        message = (
            "no layout has a title placeholder, so no slide could carry its title "
            f"(layouts: {names})"
        )
        raise InputError([Diagnostic(str(path), 0, 0, "", message)])
    layouts: dict[str, str] = {**auto, **mapped}
    if spec is None:
        from deckgen.theme import TemplateSpec

        out = TemplateSpec.model_construct(file=path.name, layouts=layouts)
    else:
        out = spec.model_copy(update={"layouts": layouts})
    kinds = {"title": "title slide", "content": "content", "divider": "section dividers"}
    notes: tuple[str, ...] = ()
    if auto:
        chosen = "; ".join(
            f"{kinds[k]}: {auto[k]!r}" for k in ("title", "content", "divider") if k in auto
        )
        notes = (f"template layouts chosen by their placeholders: {chosen}",)
    return out, notes


def describe(info: TemplateInfo) -> str:
    """A human-readable listing for ``deckgen inspect-template``."""
    lines = [f"{info.path}: slide {info.width:g} x {info.height:g} pt"]
    for lay in info.layouts:
        lines.append(f"  layout {lay.index}: {lay.name!r} (master {lay.master})")
        for ph in lay.placeholders:
            where = (
                f"at {ph.box.x:.0f},{ph.box.y:.0f} size {ph.box.w:.0f}x{ph.box.h:.0f} pt"
                if ph.box
                else "inherits position"
            )
            lines.append(f"    idx {ph.idx:>3}  {ph.type:<14} {ph.name!r}  {where}")
    return "\n".join(lines)


def write_sample(path: Path) -> bytes:
    """An annotated deck: one slide per layout, each placeholder saying its index and type."""
    prs = open_presentation(path)
    for layout in prs.slide_layouts:
        slide = prs.slides.add_slide(layout)
        for ph in slide.placeholders:
            fmt = ph.placeholder_format
            if ph.has_text_frame:
                kind = fmt.type.name if fmt.type is not None else "?"
                ph.text_frame.text = f"idx {fmt.idx}: {kind} ({ph.name}) in layout {layout.name!r}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

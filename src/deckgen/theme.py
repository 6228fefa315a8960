"""Themes: a theme YAML file in, a validated :class:`Theme` (palette, fonts, sizes, page) out.

One theme drives both outputs; nothing about the look is decided outside it. Theme files are
loaded with the same safe loader and located diagnostics as outlines. The files a theme names
(fonts, logo, template) are found relative to the theme file, as :mod:`deckgen.project` says, once,
when the theme is loaded.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS, read_input
from deckgen.fonts import FontFiles, NotAFont, load_metrics, sidecar
from deckgen.project import NotFound, Project, builtin, project_here, shown, theme_asset, theme_file
from deckgen.yamlsafe import format_path, load_yaml

Hex = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{6}$")]
# Relative paths (``../fonts/House-Regular.ttf``), or a built-in file's plain name.
FontFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-][A-Za-z0-9._/-]*\.(ttf|otf)$")]
LogoFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-][A-Za-z0-9._/-]*\.(png|jpe?g)$")]
TemplateFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-][A-Za-z0-9._/-]*\.(pptx|potx)$")]
_FACES = ("regular", "bold", "italic", "bold_italic")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fonts(_Model):
    family: str = Field(min_length=1, max_length=64)
    regular: FontFile
    bold: FontFile
    italic: FontFile
    bold_italic: FontFile
    _paths: dict[str, Path] = PrivateAttr(default_factory=dict)  # set by load_theme

    def file(self, bold: bool, italic: bool) -> Path:
        """The font file of one face, as found when the theme was loaded."""
        face = {
            (False, False): "regular",
            (True, False): "bold",
            (False, True): "italic",
            (True, True): "bold_italic",
        }[(bold, italic)]
        name: str = getattr(self, face)
        return self._paths.get(face) or builtin("fonts") / name


class Status(_Model):
    green: Hex
    amber: Hex
    red: Hex


class Palette(_Model):
    primary: Hex
    secondary: Hex
    accent: Hex
    text: Hex
    muted: Hex
    background: Hex
    surface: Hex
    on_primary: Hex
    ahead: Hex
    ahead_rule: Hex
    banner: Hex
    on_banner: Hex
    status: Status
    chart: list[Hex] = Field(min_length=2, max_length=12)
    highlight: Hex | None = None  # accent on primary-coloured panels (default: accent)
    grid: Hex = "D9DEE5"  # chart gridlines
    axis: Hex = "9AA4B2"  # chart axis lines
    chart_target: Hex = "C9D3E0"  # the light bar behind a value that shows its target

    @property
    def on_primary_accent(self) -> str:
        return self.highlight or self.accent


class SlideGeometry(_Model):
    size: Literal["16:9", "4:3"] = "16:9"
    margin: float = Field(default=40, ge=12, le=96)
    gap: float = Field(default=16, ge=4, le=48)
    leading: float = Field(default=1.2, ge=1.0, le=1.6)  # line pitch as a multiple of size
    banner: float = Field(default=18, ge=10, le=40)  # classification band height

    @property
    def width(self) -> float:
        return 960.0 if self.size == "16:9" else 720.0

    @property
    def height(self) -> float:
        return 540.0


MAX_SIZE = 200  # points: the largest size any text may be set at


class SizeRange(_Model):
    max: float = Field(ge=6, le=MAX_SIZE)
    min: float = Field(ge=6, le=MAX_SIZE)

    @model_validator(mode="after")
    def _ordered(self) -> SizeRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is larger than max ({self.max:g})")
        return self


# The title slide sets the deck's title at this multiple of type.title.max (deckgen.plan.deck);
# the derived size must stay within MAX_SIZE too, so type.title.max is at most 142.8.
TITLE_SLIDE_SCALE = 1.4


class TypeScale(_Model):
    title: SizeRange
    subtitle: SizeRange
    body: SizeRange
    card_head: SizeRange
    card_body: SizeRange
    kpi_value: SizeRange
    small: SizeRange
    divider_number: SizeRange

    @field_validator("title")
    @classmethod
    def _title_slide_fits(cls, value: SizeRange) -> SizeRange:
        if value.max * TITLE_SLIDE_SCALE > MAX_SIZE:
            largest = math.floor(MAX_SIZE / TITLE_SLIDE_SCALE * 10) / 10
            raise ValueError(
                f"max {value.max:g} is too large: the title slide sets the title at "
                f"{TITLE_SLIDE_SCALE:g} x max = {value.max * TITLE_SLIDE_SCALE:g} pt, over the "
                f"{MAX_SIZE} pt limit (so max is at most {largest:g})"
            )
        return value


class Brief(_Model):
    page: Literal["A4", "Letter"] = "A4"
    margin: float = Field(default=56, ge=24, le=120)
    body: float = Field(default=10.5, ge=7, le=16)
    heading: float = Field(default=17, ge=10, le=32)


class PaletteOverride(_Model):
    """Palette roles a theme sets for templated decks, winning over the template's colours."""

    primary: Hex | None = None
    secondary: Hex | None = None
    accent: Hex | None = None
    text: Hex | None = None
    muted: Hex | None = None
    background: Hex | None = None
    surface: Hex | None = None
    on_primary: Hex | None = None
    ahead: Hex | None = None
    ahead_rule: Hex | None = None
    banner: Hex | None = None
    on_banner: Hex | None = None
    status: Status | None = None
    chart: list[Hex] | None = Field(default=None, min_length=2, max_length=12)
    highlight: Hex | None = None
    grid: Hex | None = None
    axis: Hex | None = None
    chart_target: Hex | None = None


class TemplateSpec(_Model):
    """A corporate slide master to build on, and which of its layouts each slide kind uses."""

    file: TemplateFile = Field(
        description="Template file, relative to the theme file (``--template`` may name another)."
    )
    layouts: dict[Literal["content", "title", "divider"], str] = Field(
        default_factory=dict,
        description="Layout name per slide kind; a kind not named is chosen by the layouts' "
        "placeholder types (content: title and body; title: centre title and subtitle; "
        "divider: section header).",
    )
    title_idx: int = Field(default=0, ge=0, description="Placeholder index of slide titles.")
    subtitle_idx: int | None = Field(
        default=1, ge=0, description="Placeholder index of the subtitle on the title layout."
    )
    palette: PaletteOverride = Field(
        default_factory=PaletteOverride,
        description="Colour roles that win over the template's own colour scheme.",
    )

    def layout_for(self, kind: str) -> str:
        if kind in ("title", "divider") and kind in self.layouts:
            return self.layouts[kind]
        return self.layouts["content"]


class Theme(_Model):
    """The look of both outputs."""

    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    fonts: Fonts
    palette: Palette
    slide: SlideGeometry = SlideGeometry()
    type: TypeScale
    brief: Brief = Brief()
    logo: LogoFile | None = Field(
        default=None,
        description="Logo file, relative to the theme file (or a built-in logo's name), shown on "
        "the title slide and cover.",
    )

    template: TemplateSpec | None = Field(
        default=None, description="Build the deck on a corporate .pptx/.potx slide master."
    )

    # Where the theme was read from and the files it names, as found when it was loaded.
    _file: Path | None = PrivateAttr(None)
    _logo: Path | None = PrivateAttr(None)
    _template: Path | None = PrivateAttr(None)
    # Titles' faces when they differ from the body's (a template's heading font), and what the
    # look of a templated deck was taken from (notices for the build).
    _heading: FontFiles | None = PrivateAttr(None)
    _margin: float = PrivateAttr(0.0)
    _origin: tuple[str, ...] = PrivateAttr(())

    @property
    def file(self) -> Path | None:
        """The theme file this theme was loaded from (None when built in code)."""
        return self._file

    def template_path(self) -> Path | None:
        if self.template is None:
            return None
        return self._template or builtin("templates") / self.template.file

    def logo_path(self) -> Path | None:
        if self.logo is None:
            return None
        return self._logo or builtin("logos") / self.logo

    def faces(self) -> FontFiles:
        """The theme's four font files and the family name the deck shows for them."""
        f = self.fonts
        return FontFiles(
            f.family,
            f.file(False, False),
            f.file(True, False),
            f.file(False, True),
            f.file(True, True),
            self._margin,
            self._heading,
        )

    def heading_faces(self) -> FontFiles:
        """The faces titles are set in: the body's unless a template names its own."""
        return self._heading or self.faces()

    def templated(
        self,
        palette: Palette,
        fonts: Fonts,
        margin: float,
        heading: FontFiles | None,
        origin: tuple[str, ...],
    ) -> Theme:
        """A copy of this theme in a template's colours and fonts (see deckgen.plan.look)."""
        out = self.model_copy(update={"palette": palette, "fonts": fonts})
        out._heading, out._margin, out._origin = heading, margin, origin
        return out

    @property
    def origin(self) -> tuple[str, ...]:
        """How a templated theme was derived (which font measures which), for notices."""
        return self._origin

    def font_files(self) -> list[Path]:
        f = self.fonts
        files = {f.file(b, i) for b in (False, True) for i in (False, True)}
        if self._heading is not None:
            h = self._heading
            files |= {h.regular, h.bold, h.italic, h.bold_italic}
        return sorted(files)

    def files(self) -> list[Path]:
        """Every asset file the theme draws on (for build hashing and depfiles)."""
        logo, template = self.logo_path(), self.template_path()
        extra = [p for p in (logo, template) if p is not None and p.is_file()]
        # A font's metrics sidecar is an input too: the planner measures with it.
        sidecars = [sidecar(f) for f in self.font_files() if sidecar(f).exists()]
        return sorted({*self.font_files(), *sidecars, *extra})


def load_theme(
    name_or_path: str | Path = "default",
    project: Project | None = None,
    *,
    need_template: bool = True,
) -> Theme:
    """Load a theme by name or by path and find the files it names; raise located errors.

    A name is looked up in ``project``'s ``assets/themes/`` (by default the project of the
    working directory), then among the built-in themes. ``need_template=False`` (the build was
    given ``--template``) lets a theme whose own template file is missing load.
    """
    if isinstance(name_or_path, Path) or str(name_or_path).endswith((".yaml", ".yml")):
        path = Path(name_or_path)
    else:
        here = project or project_here() or Project(Path.cwd().resolve())
        try:
            path = theme_file(str(name_or_path), here)
        except NotFound as unknown:
            raise InputError([Diagnostic("<theme>", 0, 0, "", str(unknown))]) from None
    data = read_input(
        path,
        limit=LIMITS["theme"],
        what="theme",
        locate=lambda message: Diagnostic(shown(path), 0, 0, "", message),
    )
    doc = load_yaml(data, shown(path))
    try:
        theme = Theme.model_validate(doc.data)
    except ValidationError as exc:
        invalid = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            line, col = doc.position(loc)
            ctx = err.get("ctx") or {}
            message = str(ctx["error"]) if err["type"] == "value_error" else str(err["msg"])
            invalid.append(Diagnostic(shown(path), line, col, format_path(loc), message))
        raise InputError(invalid) from None
    problems: list[Diagnostic] = []

    def find(raw: str, kind: str, what: str, *where: str | int) -> Path | None:
        try:
            return theme_asset(raw, kind, path, what)
        except NotFound as lost:
            line, col = doc.position(where)
            problems.append(Diagnostic(shown(path), line, col, format_path(where), str(lost)))
            return None

    for face in _FACES:
        found = find(getattr(theme.fonts, face), "fonts", "font file", "fonts", face)
        if found is not None:
            theme.fonts._paths[face] = found
    theme._file = path
    if theme.logo:
        theme._logo = find(theme.logo, "logos", "logo", "logo")
    if theme.template and need_template:
        theme._template = find(theme.template.file, "templates", "template", "template", "file")
    if problems:
        raise InputError(problems)
    # Each font must really be one, now rather than at the first measurement or PDF.
    for face, bold, italic in FACES:
        file = theme.fonts.file(bold, italic)
        try:
            load_metrics(file)
        except NotAFont as exc:
            line, col = doc.position(("fonts", face))
            problems.append(
                Diagnostic(shown(path), line, col, f"fonts.{face}", f"{file.name} {exc}")
            )
    if problems:
        raise InputError(problems)
    return theme


FACES = (
    ("regular", False, False),
    ("bold", True, False),
    ("italic", False, True),
    ("bold_italic", True, True),
)

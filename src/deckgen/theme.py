"""Themes: a theme YAML file in, a validated :class:`Theme` (palette, fonts, sizes, page) out.

One theme drives both outputs; nothing about the look is decided outside it. Theme files are
loaded with the same safe loader and located diagnostics as outlines.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.files import LIMITS, read_input
from deckgen.fonts import NotAFont, load_metrics, sidecar
from deckgen.yamlsafe import format_path, load_yaml

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
THEMES = ASSETS / "themes"
FONTS = ASSETS / "fonts"
LOGOS = ASSETS / "logos"
TEMPLATES = ASSETS / "templates"

Hex = Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{6}$")]
FontFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.(ttf|otf)$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fonts(_Model):
    family: str = Field(min_length=1, max_length=64)
    regular: FontFile
    bold: FontFile
    italic: FontFile
    bold_italic: FontFile

    def file(self, bold: bool, italic: bool) -> Path:
        name = {
            (False, False): self.regular,
            (True, False): self.bold,
            (False, True): self.italic,
            (True, True): self.bold_italic,
        }[(bold, italic)]
        return FONTS / name


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


class TemplateSpec(_Model):
    """A corporate slide master to build on, and which of its layouts each slide kind uses."""

    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.(pptx|potx)$")] = Field(
        description="Template file in assets/templates/ (``--template`` may name another)."
    )
    layouts: dict[Literal["content", "title", "divider"], str] = Field(
        description="Layout name per slide kind; 'content' is required and the default."
    )
    title_idx: int = Field(default=0, ge=0, description="Placeholder index of slide titles.")
    subtitle_idx: int | None = Field(
        default=1, ge=0, description="Placeholder index of the subtitle on the title layout."
    )

    @field_validator("layouts")
    @classmethod
    def _content_required(cls, value: dict[str, str]) -> dict[str, str]:
        if "content" not in value:
            raise ValueError("needs a 'content' layout (used for every slide kind not mapped)")
        return value

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
    logo: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.(png|jpe?g)$")] | None = Field(
        default=None, description="Logo file in assets/logos/, shown on the title slide and cover."
    )

    template: TemplateSpec | None = Field(
        default=None, description="Build the deck on a corporate .pptx/.potx slide master."
    )

    def template_path(self) -> Path | None:
        return TEMPLATES / self.template.file if self.template else None

    def font_files(self) -> list[Path]:
        f = self.fonts
        return sorted({FONTS / n for n in (f.regular, f.bold, f.italic, f.bold_italic)})

    def files(self) -> list[Path]:
        """Every asset file the theme draws on (for build hashing and depfiles)."""
        extra = [LOGOS / self.logo] if self.logo else []
        if self.template:
            extra.append(TEMPLATES / self.template.file)
        # A font's metrics sidecar is an input too: the planner measures with it.
        sidecars = [sidecar(f) for f in self.font_files() if sidecar(f).exists()]
        return sorted({*self.font_files(), *sidecars, *extra})


def theme_path(name: str) -> Path:
    return THEMES / f"{name}.yaml"


def load_theme(name_or_path: str | Path = "default") -> Theme:
    """Load a theme by name (from ``assets/themes``) or by path; raise located errors."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = theme_path(str(name_or_path))
    available = ", ".join(sorted(p.stem for p in THEMES.glob("*.yaml")))
    data = read_input(
        path, limit=LIMITS["theme"], what="theme", missing_hint=f"; themes: {available}"
    )
    doc = load_yaml(data, str(path))
    try:
        theme = Theme.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            line, col = doc.position(loc)
            ctx = err.get("ctx") or {}
            message = str(ctx["error"]) if err["type"] == "value_error" else str(err["msg"])
            problems.append(Diagnostic(str(path), line, col, format_path(loc), message))
        raise InputError(problems) from None
    missing = [p for p in theme.font_files() if not p.exists()]  # (a FIFO: refused below)
    if missing:
        raise InputError(
            [
                Diagnostic(str(path), 0, 0, "fonts", f"font file not found: {p.name}")
                for p in missing
            ]
        )
    # Each font must really be one, now rather than at the first measurement or PDF.
    problems = []
    for face, bold, italic in FACES:
        file = theme.fonts.file(bold, italic)
        try:
            load_metrics(file)
        except NotAFont as exc:
            line, col = doc.position(("fonts", face))
            problems.append(Diagnostic(str(path), line, col, f"fonts.{face}", f"{file.name} {exc}"))
    if problems:
        raise InputError(problems)
    return theme


FACES = (
    ("regular", False, False),
    ("bold", True, False),
    ("italic", False, True),
    ("bold_italic", True, True),
)

"""Themes: a theme YAML file in, a validated :class:`Theme` (palette, fonts, sizes, page) out.

One theme drives both outputs; nothing about the look is decided outside it. Theme files are
loaded with the same safe loader and located diagnostics as outlines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from deckgen.diagnostics import Diagnostic, InputError
from deckgen.fonts import sidecar
from deckgen.project import builtin
from deckgen.yamlsafe import format_path, load_yaml

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
        return builtin("fonts") / name


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


class SizeRange(_Model):
    max: float = Field(ge=6, le=200)
    min: float = Field(ge=6, le=200)


class TypeScale(_Model):
    title: SizeRange
    subtitle: SizeRange
    body: SizeRange
    card_head: SizeRange
    card_body: SizeRange
    kpi_value: SizeRange
    small: SizeRange
    divider_number: SizeRange


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
        return builtin("templates") / self.template.file if self.template else None

    def font_files(self) -> list[Path]:
        f = self.fonts
        return sorted({builtin("fonts") / n for n in (f.regular, f.bold, f.italic, f.bold_italic)})

    def files(self) -> list[Path]:
        """Every asset file the theme draws on (for build hashing and depfiles)."""
        extra = [builtin("logos") / self.logo] if self.logo else []
        if self.template:
            extra.append(builtin("templates") / self.template.file)
        # A font's metrics sidecar is an input too: the planner measures with it.
        sidecars = [sidecar(f) for f in self.font_files() if sidecar(f).exists()]
        return sorted({*self.font_files(), *sidecars, *extra})


def theme_path(name: str) -> Path:
    return builtin("themes") / f"{name}.yaml"


def load_theme(name_or_path: str | Path = "default") -> Theme:
    """Load a theme by name (from ``assets/themes``) or by path; raise located errors."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = theme_path(str(name_or_path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        available = ", ".join(sorted(p.stem for p in builtin("themes").glob("*.yaml")))
        raise InputError(
            [
                Diagnostic(
                    str(path), 0, 0, "", f"cannot read theme ({exc.strerror}); themes: {available}"
                )
            ]
        ) from None
    doc = load_yaml(data, str(path))
    try:
        theme = Theme.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            line, col = doc.position(loc)
            problems.append(Diagnostic(str(path), line, col, format_path(loc), str(err["msg"])))
        raise InputError(problems) from None
    missing = [p for p in theme.font_files() if not p.is_file()]
    if missing:
        raise InputError(
            [
                Diagnostic(str(path), 0, 0, "fonts", f"font file not found: {p.name}")
                for p in missing
            ]
        )
    return theme

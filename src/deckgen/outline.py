"""The outline: YAML bytes in, a validated :class:`Outline` (or every problem, located) out.

The format is documented field by field in README.md and as JSON Schema (``deckgen schema``).
Scalars arrive as the exact text the author wrote (see :mod:`deckgen.yamlsafe`); pydantic turns
the few typed fields (``schema``, ``date``) into values and checks every field, and this module
maps pydantic's error locations back to ``file:line:col``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from deckgen.diagnostics import Diagnostic, InputError, Severity
from deckgen.files import LIMITS, read_input
from deckgen.yamlsafe import Document, Limits, format_path, load_yaml

SCHEMA_VERSION = 1
MAX_SECTIONS = 50  # a briefing's limit; benchmarks lift it with ``max_sections``

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _clean_text(value: str) -> str:
    for ch in value:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            raise ValueError(f"contains a lone surrogate U+{ord(ch):04X}; not valid Unicode text")
        if cat == "Cc" and ch not in "\n\t":
            raise ValueError(f"contains the control character U+{ord(ch):04X}")
    return value.strip()


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
# Clean (strip) first, so that whitespace-only text counts as empty.
_CHECKS = (AfterValidator(_clean_text), AfterValidator(_nonempty))
Text24 = Annotated[str, Field(max_length=24), *_CHECKS]
Text40 = Annotated[str, Field(max_length=40), *_CHECKS]
Text60 = Annotated[str, Field(max_length=60), *_CHECKS]
Text90 = Annotated[str, Field(max_length=90), *_CHECKS]
ShortText = Annotated[str, Field(max_length=120), *_CHECKS]
Text200 = Annotated[str, Field(max_length=200), *_CHECKS]
Text400 = Annotated[str, Field(max_length=400), *_CHECKS]
Paragraph = Annotated[str, Field(max_length=4000), *_CHECKS]
LongText = Annotated[str, Field(max_length=20000), *_CHECKS]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Meta(_Model):
    """Who wrote the assessment, about what, as of when."""

    title: ShortText = Field(description="Title of the assessment.")
    subtitle: ShortText = Field(description="One-line subtitle shown under the title.")
    author: ShortText = Field(description="Organisation or unit that wrote the assessment.")
    date: IsoDate = Field(description="As-of date, ISO YYYY-MM-DD; also pins output dates.")
    classification: Text60 | None = Field(
        None, description="Marking shown as a banner on every slide and page, e.g. UNCLASSIFIED."
    )
    kind: Text60 | None = Field(
        None,
        description="What the document is, the brief cover's label, e.g. Leadership assessment "
        "(default: the language's generic word, Assessment).",
    )
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        "en",
        description="Language tag of the text (BCP 47), default en; the fixed words, dates and "
        "numbers follow it (catalogues: en, fr; any other falls back to English).",
    )
    theme: Slug | None = Field(
        None, description="Theme name from assets/themes/ (default: default)."
    )
    deck: Literal["compact", "full"] = Field(
        "compact",
        description="Deck shape: compact (at most two slides per section, the default) or full "
        "(adds a divider per section and a separate agenda). --deck overrides it.",
    )


class KeyPoint(_Model):
    """One finding: a short headline and the paragraph that supports it."""

    headline: Text90 = Field(description="Short headline, a few words.")
    detail: Paragraph = Field(description="Supporting paragraph; **bold** and *italic* allowed.")


class Metric(_Model):
    """One figure, kept exactly as written for display and read as a number when it is one."""

    label: Text60 = Field(description="What is measured.")
    value: Text24 = Field(
        description="The figure as displayed (e.g. 3.10, 32, Oct 2024); a number feeds charts."
    )
    unit: Text24 | None = Field(None, description="Unit shown after the value, e.g. % of GDP.")
    context: ShortText = Field(description="Scope of the figure, e.g. '2014 to late 2024'.")
    source: Text200 = Field(description="Where the figure comes from.")
    status: Literal["green", "amber", "red"] | None = Field(None, description="RAG status.")
    trend: Literal["up", "down", "flat"] | None = Field(None, description="Direction of change.")
    target: Annotated[str, Field(max_length=24, pattern=_NUMBER.pattern)] | None = Field(
        None,
        description="A comparison value in the metric's unit (a number, e.g. 2 for a "
        "'% of GDP' metric): shown on the card and drawn on the chart.",
    )

    @property
    def number(self) -> float | None:
        """The value as a number when the whole value is one (``1,200`` -> 1200.0), else None."""
        return as_number(self.value)

    @property
    def target_number(self) -> float | None:
        return as_number(self.target) if self.target is not None else None


def as_number(text: str) -> float | None:
    """``text`` as a number when the whole of it is one (``1,200`` -> 1200.0), else None."""
    if _NUMBER.match(text):
        return float(text.replace(",", ""))
    return None


def decimals(text: str) -> int:
    """How many decimals a number was written with (``3.10`` -> 2): charts label it so."""
    _, dot, frac = text.partition(".")
    return len(frac) if dot else 0


class ChartDecl(_Model):
    """A chart the author asks for: which metrics it compares and what it shows."""

    type: Literal["bar", "column", "line", "bullet"] = Field(
        "bar",
        description="bar (horizontal), column, line (values in order, e.g. over time) or bullet "
        "(each value against its target).",
    )
    metrics: list[Annotated[int, Field(ge=0, le=11)] | Text60] = Field(
        min_length=1,
        max_length=12,
        description="The metrics compared: their labels, or 0-based indexes into metrics.",
    )
    title: ShortText = Field(description="The takeaway sentence the chart supports.")

    @field_validator("metrics", mode="before")
    @classmethod
    def _indexes(cls, value: Any) -> Any:
        # Every scalar arrives as text: a bare number is an index, anything else a label.
        if isinstance(value, list):
            return [
                int(v) if isinstance(v, str) and re.fullmatch(r"[0-9]{1,2}", v) else v
                for v in value
            ]
        return value


class KeyJudgement(_Model):
    """One key judgement of the assessment, with the confidence the author holds it with."""

    text: Text200 = Field(description="The judgement, in one sentence.")
    confidence: Literal["low", "moderate", "high"] = Field(
        description="How well the evidence supports it: low, moderate or high."
    )
    sections: list[Slug] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of the sections the judgement rests on.",
    )


class SectionImage(_Model):
    """A picture for a section: a PNG or JPEG next to the outline (or in assets/)."""

    path: Text200 = Field(description="Relative path from the outline's folder, e.g. img/map.png.")
    alt: Text200 = Field(description="Alternative text read out by screen readers (required).")


class Section(_Model):
    """One numbered section of the assessment; becomes a slide group and a brief chapter."""

    id: Slug = Field(description="Unique slug, e.g. transition.")
    title: ShortText = Field(description="Section heading.")
    lead: Text400 = Field(description="One-sentence framing under the heading.")
    assessment: ShortText | None = Field(
        None,
        description="The section's message in one sentence: the title of its key-points slide "
        "and the lead sentence of the section in the brief.",
    )
    key_points: list[KeyPoint] = Field(min_length=1, max_length=12)
    metrics: list[Metric] = Field(default_factory=list, max_length=12)
    looking_ahead: Paragraph = Field(description="What comes next for this section.")
    notes: LongText | None = Field(None, description="Extra speaker notes.")
    image: SectionImage | None = Field(None, description="Optional picture shown with the section.")
    chart: ChartDecl | None = Field(
        None,
        description="A chart of some of the section's metrics; drawn only where declared.",
    )

    def chart_metrics(self) -> list[Metric]:
        """The metrics the declared chart names, in the order it names them (unknown skipped)."""
        if self.chart is None:
            return []
        out = []
        for ref in self.chart.metrics:
            m = self.metric(ref)
            if m is not None:
                out.append(m)
        return out

    def metric(self, ref: int | str) -> Metric | None:
        """The metric a chart names by 0-based index or by label."""
        if isinstance(ref, int):
            return self.metrics[ref] if ref < len(self.metrics) else None
        return next((m for m in self.metrics if m.label == ref), None)


class Conclusion(_Model):
    """The closing assessment."""

    text: LongText = Field(description="Closing text; paragraphs separated by blank lines.")
    looking_ahead: Paragraph = Field(description="What to watch next.")


class Source(_Model):
    """A cited source."""

    title: Text200
    publisher: ShortText
    date: Text40 = Field(description="Publication date as written, e.g. 2025 or 2025-01-20.")
    url: Annotated[str, Field(pattern=r"^(https?://|mailto:)\S+$", max_length=500)] | None = Field(
        None, description="https, http or mailto link."
    )


def _unique_ids(sections: list[Section]) -> list[Section]:
    seen: set[str] = set()
    for s in sections:
        if s.id in seen:
            raise ValueError(f"section id {s.id!r} is used twice; ids must be unique")
        seen.add(s.id)
    return sections


class Outline(_Model):
    """A whole assessment outline (format version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "deckgen outline", "$id": "outline.schema.json"},
    )

    schema_version: Literal[1] = Field(alias="schema", description="Format version; must be 1.")
    meta: Meta
    summary: LongText = Field(description="Executive summary; paragraphs separated by blank lines.")
    key_judgements: list[KeyJudgement] = Field(
        default_factory=list,
        description="3 to 6 key judgements with their confidence: the bottom line up front.",
        json_schema_extra={"minItems": 3, "maxItems": 6},
    )
    sections: Annotated[list[Section], AfterValidator(_unique_ids)] = Field(
        min_length=1, json_schema_extra={"maxItems": MAX_SECTIONS}
    )
    conclusion: Conclusion
    sources: list[Source] = Field(default_factory=list, max_length=100)

    @field_validator("sections")
    @classmethod
    def _section_limit(cls, sections: list[Section], info: ValidationInfo) -> list[Section]:
        limit = (info.context or {}).get("max_sections", MAX_SECTIONS)
        if len(sections) > limit:
            raise ValueError(f"has {len(sections)} sections; at most {limit} allowed")
        return sections

    @field_validator("key_judgements")
    @classmethod
    def _judgement_count(cls, items: list[KeyJudgement]) -> list[KeyJudgement]:
        if items and not 3 <= len(items) <= 6:
            raise ValueError(f"has {len(items)} key judgements; give 3 to 6 (or none)")
        return items

    _file: str = PrivateAttr("")
    _positions: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)

    @property
    def file(self) -> str:
        """The file the outline was read from (as given on the command line)."""
        return self._file

    def where(self, *path: str | int) -> tuple[int, int]:
        """1-based (line, col) of the value at ``path`` (e.g. ``"sections", 2, "title"``)."""
        while path:
            if path in self._positions:
                return self._positions[path]
            path = path[:-1]
        return (1, 1)

    def diagnostic(
        self, path: tuple[str | int, ...], message: str, *, warning: bool = True
    ) -> Diagnostic:
        """A diagnostic located at the value at ``path`` in this outline's file."""
        line, col = self.where(*path)
        severity = Severity.WARNING if warning else Severity.ERROR
        return Diagnostic(self._file, line, col, format_path(path), message, severity)


def _coerce_schema(data: Any) -> Any:
    # Every scalar arrives as text; the only integer in the format is the version.
    # ASCII digits only, and few: int() refuses "²" and 5,000-digit strings with a ValueError.
    version = data.get("schema") if isinstance(data, dict) else None
    if isinstance(version, str) and re.fullmatch(r"[0-9]{1,9}", version):
        return {**data, "schema": int(version)}
    return data


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that the mapping at ``loc`` is validated against."""
    model: Any = Outline
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if part not in fields:
            return None
        model = _innermost(fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _innermost(tp: Any) -> Any:
    while get_origin(tp) is not None:
        args = [a for a in get_args(tp) if a is not type(None)]
        if not args:
            break
        tp = args[0]
    return tp


_MESSAGES = {
    "missing": "required field is missing",
    "string_type": "expected text",
    "list_type": "expected a list (lines starting with '- ')",
    "model_type": "expected a mapping of 'key: value' lines",
    "model_attributes_type": "expected a mapping of 'key: value' lines",
    "dict_type": "expected a mapping of 'key: value' lines",
}


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "string_unicode":
        bad = next((c for c in str(err.get("input", "")) if 0xD800 <= ord(c) <= 0xDFFF), "?")
        return f"contains a lone surrogate U+{ord(bad):04X}; not valid Unicode text"
    if kind == "string_too_long":
        return f"text is longer than {ctx['max_length']} characters; shorten it"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} entries"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} entries; at most {ctx['max_length']} allowed"
    if kind == "literal_error":
        return f"expected one of {ctx['expected']}"
    if kind == "string_pattern_mismatch":
        return f"does not match the expected form {ctx['pattern']}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def _suggestion(loc: tuple[str | int, ...]) -> str | None:
    """The known key closest to the unknown key at ``loc``, when one is close enough."""
    model = _model_at(loc[:-1])
    if model is None:
        return None
    names = [f.alias or n for n, f in model.model_fields.items()]
    close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
    return close[0] if close else None


def _suggestions(errors: list[Any]) -> dict[tuple[str | int, ...], str | None]:
    """For each unknown key among ``errors``, the known key it was probably meant to be."""
    out: dict[tuple[str | int, ...], str | None] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            out[loc] = _suggestion(loc)
    return out


def validate(doc: Document, *, max_sections: int = MAX_SECTIONS) -> Outline:
    """Validate loaded YAML against the model; raise :class:`InputError` with every problem."""
    if not isinstance(doc.data, dict):
        raise InputError(
            [Diagnostic(doc.file, 1, 1, "", "expected a mapping at the top of the file")]
        )
    try:
        outline = Outline.model_validate(
            _coerce_schema(doc.data), context={"max_sections": max_sections}
        )
        outline._file = doc.file
        outline._positions = doc.values
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        # A misspelt key is said once: "unknown key 'titel'; did you mean 'title'?" stands for
        # the "required field is missing" that 'title' would otherwise get as well.
        meant = {loc[:-1] + (close,) for loc, close in _suggestions(errors).items() if close}
        for err in errors:
            loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
            message = _message(err)
            if err["type"] == "missing" and loc in meant:
                continue
            if err["type"] == "extra_forbidden":
                line, col = doc.key_position(loc)
                model = _model_at(loc[:-1])
                message = f"unknown key {loc[-1]!r}"
                if model is not None:
                    close = _suggestion(loc)
                    if close:
                        message += f"; did you mean {close!r}?"
                    else:
                        names = [f.alias or n for n, f in model.model_fields.items()]
                        message += f"; expected one of: {', '.join(names)}"
            else:
                line, col = doc.position(loc)
                if loc[-1:] == ("value",) and err["type"] == "string_type":
                    message = "expected a number or short text"
            problems.append(Diagnostic(doc.file, line, col, format_path(loc), message))
        raise InputError(problems) from None
    problems = cross_check(outline)
    if problems:
        raise InputError(problems)
    return outline


def cross_check(outline: Outline) -> list[Diagnostic]:
    """What one field cannot check alone: references between fields and declared charts.

    Key judgements must name sections that exist; a declared chart must name metrics that
    exist, each once, all numbers in one unit (a chart compares like with like), with a
    target for every metric of a bullet chart.
    """
    out: list[Diagnostic] = []

    def error(path: tuple[str | int, ...], message: str) -> None:
        out.append(outline.diagnostic(path, message, warning=False))

    ids = [s.id for s in outline.sections]
    for i, kj in enumerate(outline.key_judgements):
        for j, ref in enumerate(kj.sections):
            if ref not in ids:
                close = difflib.get_close_matches(ref, ids, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                error(("key_judgements", i, "sections", j), f"no section has the id {ref!r}{hint}")
    for i, s in enumerate(outline.sections):
        for j, m in enumerate(s.metrics):
            if m.target is not None and m.number is None:
                error(
                    ("sections", i, "metrics", j, "target"),
                    f"a target needs a number as the value; {m.value!r} is not one",
                )
        if s.chart is not None:
            out.extend(_check_chart(outline, i, s))
    return out


def _check_chart(outline: Outline, i: int, s: Section) -> list[Diagnostic]:
    assert s.chart is not None
    out: list[Diagnostic] = []
    at = ("sections", i, "chart", "metrics")

    def error(path: tuple[str | int, ...], message: str) -> None:
        out.append(outline.diagnostic(path, message, warning=False))

    chosen: list[tuple[int, Metric]] = []
    for j, ref in enumerate(s.chart.metrics):
        metric = s.metric(ref)
        if metric is None:
            if isinstance(ref, int):
                error((*at, j), f"no metric {ref}: the section has {len(s.metrics)} (from 0)")
            else:
                labels = [m.label for m in s.metrics]
                close = difflib.get_close_matches(ref, labels, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                error((*at, j), f"no metric of this section is labelled {ref!r}{hint}")
            continue
        if any(metric is m for _, m in chosen):
            error((*at, j), f"names the metric {metric.label!r} twice")
            continue
        chosen.append((j, metric))
    if len(chosen) < len(s.chart.metrics):
        return out
    for j, metric in chosen:
        if metric.number is None:
            error(
                (*at, j),
                f"the metric {metric.label!r} has the value {metric.value!r}, not a number; "
                "a chart compares numbers",
            )
    numeric = [(j, m) for j, m in chosen if m.number is not None]

    def unit(m: Metric) -> str:
        return repr(m.unit) if m.unit else "no unit"

    for j, metric in numeric[1:]:
        first = numeric[0][1]
        if (metric.unit or "") != (first.unit or ""):
            error(
                (*at, j),
                f"the metric {metric.label!r} is in {unit(metric)}, the first in {unit(first)}; "
                "a chart compares figures in one unit",
            )
    kind = s.chart.type
    if kind != "bullet" and len(chosen) < 2:
        error(at, f"a {kind} chart compares at least two metrics; name two or more")
    if kind == "bullet":
        for j, metric in chosen:
            if metric.target is None:
                error(
                    (*at, j),
                    f"a bullet chart shows each value against its target; "
                    f"the metric {metric.label!r} has no target",
                )
    return out


# A number with a currency before it or a unit after it: "3.5%", "EUR 40bn", "12 ships", "€40bn".
# Dates stay text: "OCT 2024" and "2024 Q3" are not a value and a unit.
_MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_CURRENCY = rf"[$€£¥]|(?!(?:{_MONTHS})\b)[A-Z]{{3}}(?=\s|\d)"
_WITH_UNIT = re.compile(
    rf"^(?P<pre>{_CURRENCY})?\s*(?P<num>[+-]?(\d{{1,3}}(,\d{{3}})+|\d+)(\.\d+)?)\s*"
    r"(?P<post>[%‰][^\d]*|(?!(?:Q[1-4]|H[12])$)[^\W\d_].*)?$"
)


def metric_warnings(outline: Outline) -> list[Diagnostic]:
    """A warning for each metric value with its unit written inside it.

    Such a value (``3.5%``) is not a number, so it silently drops out of the section's chart;
    the warning shows the split that keeps it in (``value: "3.5"``, ``unit: "%"``).
    """
    out = []
    for i, section in enumerate(outline.sections):
        for j, metric in enumerate(section.metrics):
            m = _WITH_UNIT.match(metric.value)
            if metric.number is not None or m is None or not (m["pre"] or m["post"]):
                continue
            unit = " ".join(p.strip() for p in (m["pre"], m["post"]) if p)
            if metric.unit and not metric.unit.startswith(unit):
                unit = f"{unit} {metric.unit}"
            elif metric.unit:
                unit = metric.unit
            message = (
                f"value {metric.value!r} has its unit inside it, so it is not read as a number "
                f'and is left out of the chart; write value: "{m["num"]}" and unit: "{unit}"'
            )
            out.append(outline.diagnostic(("sections", i, "metrics", j, "value"), message))
    return out


def load_outline(
    path: str | Path, *, limits: Limits | None = None, max_sections: int = MAX_SECTIONS
) -> Outline:
    """Read, parse and validate one outline file."""
    limits = limits or scaled_limits(max_sections)
    data = read_outline(path, limits.max_bytes)
    return parse_outline(data, str(path), limits=limits, max_sections=max_sections)


def read_outline(path: str | Path, limit: int = LIMITS["outline"]) -> bytes:
    """The bytes of an outline file; one that cannot be read (a FIFO, a device, a file over
    ``limit`` bytes: checked before reading) is an input error naming it."""
    return read_input(path, limit=limit)


def scaled_limits(max_sections: int) -> Limits:
    """The loader's limits for an outline of up to ``max_sections`` sections.

    A lifted section cap (benchmarks: ``deckgen build --max-sections N``) raises the size and
    node bounds in proportion, so that a long outline is not refused for being long; the depth
    bound stays.
    """
    base = Limits()
    scale = max(1, -(-max_sections // MAX_SECTIONS))
    return Limits(base.max_bytes * scale, base.max_depth, base.max_nodes * scale)


def parse_outline(
    data: bytes, file: str, *, limits: Limits | None = None, max_sections: int = MAX_SECTIONS
) -> Outline:
    """Parse and validate outline bytes; ``file`` names them in diagnostics.

    Without explicit ``limits``, the loader's bounds scale with ``max_sections``.
    """
    limits = limits or scaled_limits(max_sections)
    return validate(load_yaml(data, file, limits), max_sections=max_sections)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the outline format (for editors and ``deckgen schema``)."""
    schema = Outline.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema

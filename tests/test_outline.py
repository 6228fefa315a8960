"""The outline model: what validates, and how every problem is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.diagnostics import InputError
from deckgen.outline import json_schema, metric_warnings, parse_outline
from tests.conftest import MINIMAL, ROOT, RUTTE


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_outline(text.encode(), "o.yaml")
    return [d.format() for d in info.value.diagnostics]


def test_minimal_outline_validates_with_defaults() -> None:
    outline = parse_outline(MINIMAL.encode(), "o.yaml")
    assert outline.schema_version == 1
    assert outline.meta.language == "en"
    assert outline.meta.classification is None
    assert outline.sections[0].metrics == []
    assert str(outline.meta.date) == "2025-01-09"


def test_yaml11_scalars_stay_text() -> None:
    text = MINIMAL.replace("A headline", "NO").replace("The lead.", "3.10")
    outline = parse_outline(text.encode(), "o.yaml")
    assert outline.sections[0].key_points[0].headline == "NO"
    assert outline.sections[0].lead == "3.10"


def test_a_misspelt_key_is_said_once_with_did_you_mean() -> None:
    # Not also "meta.subtitle: required field is missing": that is the same mistake.
    assert errors(MINIMAL.replace("  subtitle:", "  subtitel:")) == [
        "o.yaml:4:3: meta.subtitel: unknown key 'subtitel'; did you mean 'subtitle'?",
    ]
    # A required field missing for another reason is still reported.
    assert errors(MINIMAL.replace("  subtitle: A subtitle\n", "  colour: red\n")) == [
        "o.yaml:3:3: meta.subtitle: required field is missing",
        "o.yaml:4:3: meta.colour: unknown key 'colour'; expected one of: title, subtitle, "
        "author, date, classification, language, theme",
    ]


def test_invalid_date_is_not_converted() -> None:
    assert errors(MINIMAL.replace("2025-01-09", "2025-02-30")) == [
        "o.yaml:6:9: meta.date: '2025-02-30' is not a real date"
    ]
    assert errors(MINIMAL.replace("2025-01-09", "9 Jan 2025")) == [
        "o.yaml:6:9: meta.date: expected an ISO date YYYY-MM-DD, got '9 Jan 2025'"
    ]


def test_all_errors_are_reported_at_once_in_file_order() -> None:
    bad = MINIMAL.replace("schema: 1", "schema: 2").replace("id: one", "id: One Two")
    bad = bad.replace("detail: A detail.", "detail: [a, b]")
    assert errors(bad) == [
        "o.yaml:1:9: schema: expected one of 1",
        "o.yaml:9:9: sections[0].id: does not match the expected form ^[a-z0-9]+(-[a-z0-9]+)*$",
        "o.yaml:14:17: sections[0].key_points[0].detail: expected text",
    ]


def test_metric_value_must_be_short_text_and_number_is_derived() -> None:
    metric = (
        "    metrics:\n      - label: Allies\n        value: {v}\n        context: c\n"
        "        source: s\n"
    )
    base = MINIMAL.replace("    looking_ahead: Next", metric + "    looking_ahead: Next")
    ok = parse_outline(base.format(v='"1,200"').encode(), "o.yaml")
    assert ok.sections[0].metrics[0].value == "1,200"
    assert ok.sections[0].metrics[0].number == 1200.0
    text = parse_outline(base.format(v="Oct 2024").encode(), "o.yaml")
    assert text.sections[0].metrics[0].number is None
    assert errors(base.format(v="[1, 2]")) == [
        "o.yaml:17:16: sections[0].metrics[0].value: expected a number or short text"
    ]


def test_duplicate_section_ids() -> None:
    two = MINIMAL.replace(
        "conclusion:", MINIMAL.split("sections:\n")[1].split("conclusion:")[0] + "conclusion:"
    )
    assert errors(two) == [
        "o.yaml:9:3: sections: section id 'one' is used twice; ids must be unique"
    ]


def test_control_characters_and_lone_surrogates_from_escapes() -> None:
    assert errors(MINIMAL.replace("A summary.", '"bell \\a here"')) == [
        "o.yaml:7:10: summary: contains the control character U+0007"
    ]
    assert errors(MINIMAL.replace("A summary.", '"half \\ud800 pair"')) == [
        "o.yaml:7:10: summary: contains a lone surrogate U+D800; not valid Unicode text"
    ]


def test_bad_link_scheme() -> None:
    src = (
        MINIMAL
        + "sources:\n  - title: t\n    publisher: p\n    date: '2025'\n"
        + "    url: javascript:alert(1)\n"
    )
    (msg,) = errors(src)
    assert msg.startswith("o.yaml:23:10: sources[0].url: does not match the expected form")


def test_top_level_must_be_a_mapping() -> None:
    assert errors("- a\n- b\n") == ["o.yaml:1:1: expected a mapping at the top of the file"]


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "outline.schema.json").read_text())
    assert committed == json_schema(), "run `make schema` to refresh schema/outline.schema.json"


def test_rutte_outline_counts() -> None:
    from deckgen.outline import load_outline

    outline = load_outline(RUTTE)
    assert len(outline.sections) == 12
    assert sum(len(s.key_points) for s in outline.sections) == 48
    metrics = [m for s in outline.sections for m in s.metrics]
    assert len(metrics) >= 24
    assert all(len(s.metrics) >= 2 for s in outline.sections)
    assert all(m.source for m in metrics)
    assert all(s.looking_ahead for s in outline.sections)


def test_outlines_point_editors_at_the_schema() -> None:
    for path in Path(ROOT / "outlines").glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/outline.schema.json", path


def metric(value: str, unit: str | None = None) -> str:
    unit_line = f"        unit: '{unit}'\n" if unit else ""
    return MINIMAL.replace(
        "    looking_ahead: Next",
        f"    metrics:\n      - label: L\n        value: '{value}'\n{unit_line}"
        "        context: c\n        source: s\n    looking_ahead: Next",
    )


@pytest.mark.parametrize(
    ("value", "unit", "split"),
    [
        ("3.5%", None, 'value: "3.5" and unit: "%"'),
        ("EUR 40bn", None, 'value: "40" and unit: "EUR bn"'),
        ("12 ships", None, 'value: "12" and unit: "ships"'),
        ("€40bn", None, 'value: "40" and unit: "€ bn"'),
        ("3.5%", "of GDP", 'value: "3.5" and unit: "% of GDP"'),
        ("3.5%", "% of GDP", 'value: "3.5" and unit: "% of GDP"'),
    ],
)
def test_a_metric_value_with_its_unit_inside_is_a_warning_showing_the_split(
    value: str, unit: str | None, split: str
) -> None:
    outline = parse_outline(metric(value, unit).encode(), "o.yaml")
    (warning,) = metric_warnings(outline)
    assert warning.format() == (
        f"o.yaml:17:16: warning: sections[0].metrics[0].value: value {value!r} has its unit "
        f"inside it, so it is not read as a number and is left out of the chart; write {split}"
    )


@pytest.mark.parametrize("value", ["3.5", "1,200", "Oct 2024", "OCT 2024", "2024 Q3", "10+", "n/a"])
def test_numbers_and_plain_text_values_are_fine(value: str) -> None:
    assert metric_warnings(parse_outline(metric(value).encode(), "o.yaml")) == []


def test_the_shipped_outlines_have_no_metric_warnings() -> None:
    from deckgen.outline import load_outline

    for path in Path(ROOT / "outlines").glob("*.yaml"):
        assert metric_warnings(load_outline(path)) == [], path

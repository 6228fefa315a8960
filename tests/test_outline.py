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
        "author, date, classification, kind, language, theme, deck",
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
    assert 3 <= len(outline.key_judgements) <= 6
    assert all(s.assessment for s in outline.sections)
    metrics = [m for s in outline.sections for m in s.metrics]
    assert all(m.source and m.context for m in metrics)
    assert all(s.looking_ahead for s in outline.sections)
    # Counts of items listed in one sentence are not metrics (issue "A deck that briefs").
    listing = {"measures", "items", "areas", "types", "approaches", "elements", "effects"}
    assert not [m.label for m in metrics if (m.unit or "") in listing]
    # A status only where the article's words support it: the context quotes them.
    assert all("'" in m.context for m in metrics if m.status)


# --- the briefing additions: key judgements, assessments, targets, declared charts -----------

SECTION = "  - id: one\n    title: First\n    lead: The lead.\n"


def with_metrics(metrics: str, chart: str = "") -> str:
    """MINIMAL whose only section has ``metrics`` (and ``chart``) YAML, indented as a section."""
    return MINIMAL.replace(
        "    looking_ahead: Next steps.\n",
        "    looking_ahead: Next steps.\n    metrics:\n" + metrics + chart,
    )


def metric(label: str, value: str, unit: str = "", target: str = "") -> str:
    out = f"      - label: {label}\n        value: '{value}'\n"
    if unit:
        out += f"        unit: '{unit}'\n"
    if target:
        out += f"        target: '{target}'\n"
    return out + "        context: c\n        source: s\n"


def test_briefing_fields_are_optional_and_validate() -> None:
    judgements = "key_judgements:\n" + "".join(
        f"  - text: Judgement {i}.\n    confidence: {c}\n    sections: [one]\n"
        for i, c in enumerate(["low", "moderate", "high"])
    )
    text = with_metrics(
        metric("A", "3.10", "%", "2") + metric("B", "2.5", "%"),
        "    chart:\n      type: bullet\n      metrics: [A]\n      title: A beats its target\n",
    )
    text = (
        text.replace("sections:\n", judgements + "sections:\n")
        .replace(
            "    lead: The lead.\n",
            "    lead: The lead.\n    assessment: The first section says so.\n",
        )
        .replace("  date: 2025-01-09\n", "  date: 2025-01-09\n  deck: full\n")
    )
    outline = parse_outline(text.encode(), "o.yaml")
    assert [kj.confidence for kj in outline.key_judgements] == ["low", "moderate", "high"]
    s = outline.sections[0]
    assert s.assessment == "The first section says so."
    assert s.metrics[0].target_number == 2.0
    assert s.chart is not None
    assert s.chart_metrics() == [s.metrics[0]]
    assert outline.meta.deck == "full"
    assert parse_outline(MINIMAL.encode(), "o.yaml").meta.deck == "compact"


def test_key_judgements_are_three_to_six_and_name_real_sections() -> None:
    two = "key_judgements:\n" + "  - text: J.\n    confidence: high\n" * 2
    assert errors(MINIMAL.replace("sections:\n", two + "sections:\n")) == [
        "o.yaml:9:3: key_judgements: has 2 key judgements; give 3 to 6 (or none)"
    ]
    three = "key_judgements:\n" + "  - text: J.\n    confidence: high\n    sections: [onee]\n" * 3
    assert errors(MINIMAL.replace("sections:\n", three + "sections:\n")) == [
        f"o.yaml:{line}:16: key_judgements[{i}].sections[0]: no section has the id 'onee'; "
        "did you mean 'one'?"
        for i, line in enumerate((11, 14, 17))
    ]
    bad = "key_judgements:\n" + "  - text: J.\n    confidence: certain\n" * 3
    assert (
        "expected one of 'low', 'moderate' or 'high'"
        in errors(MINIMAL.replace("sections:\n", bad + "sections:\n"))[0]
    )


def test_an_assessment_is_one_short_sentence() -> None:
    long = MINIMAL.replace(
        "    lead: The lead.\n", "    lead: The lead.\n    assessment: " + "x" * 121 + "\n"
    )
    assert errors(long) == [
        "o.yaml:12:17: sections[0].assessment: text is longer than 120 characters; shorten it"
    ]


def chart(kind: str, refs: str) -> str:
    return f"    chart:\n      type: {kind}\n      metrics: {refs}\n      title: The takeaway.\n"


def test_a_declared_chart_must_compare_numbers_in_one_unit() -> None:
    both = metric("A", "3", "years") + metric("B", "Oct 2024") + metric("C", "4", "days")
    found = errors(with_metrics(both, chart("bar", "[A, B, C, D, 9, A]")))
    assert found == [
        "o.yaml:33:26: sections[0].chart.metrics[3]: no metric of this section is labelled 'D'",
        "o.yaml:33:29: sections[0].chart.metrics[4]: no metric 9: the section has 3 (from 0)",
        "o.yaml:33:32: sections[0].chart.metrics[5]: names the metric 'A' twice",
    ]
    found = errors(with_metrics(both, chart("column", "[0, B, 2]")))
    assert found == [
        "o.yaml:33:20: sections[0].chart.metrics[1]: the metric 'B' has the value 'Oct 2024', "
        "not a number; a chart compares numbers",
        "o.yaml:33:23: sections[0].chart.metrics[2]: the metric 'C' is in 'days', the first in "
        "'years'; a chart compares figures in one unit",
    ]
    assert errors(with_metrics(metric("A", "3"), chart("line", "[A]"))) == [
        "o.yaml:23:16: sections[0].chart.metrics: a line chart compares at least two metrics; "
        "name two or more"
    ]
    assert errors(with_metrics(metric("A", "3"), chart("bullet", "[A]"))) == [
        "o.yaml:23:17: sections[0].chart.metrics[0]: a bullet chart shows each value against "
        "its target; the metric 'A' has no target"
    ]


def test_a_target_needs_a_number_on_both_sides() -> None:
    assert errors(with_metrics(metric("A", "Oct 2024", target="2"))) == [
        "o.yaml:19:17: sections[0].metrics[0].target: a target needs a number as the value; "
        "'Oct 2024' is not one"
    ]
    assert (
        "does not match the expected form"
        in errors(with_metrics(metric("A", "3", target="two")))[0]
    )


def test_outlines_point_editors_at_the_schema() -> None:
    for path in Path(ROOT / "outlines").glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/outline.schema.json", path


def one_metric(value: str, unit: str | None = None) -> str:
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
    outline = parse_outline(one_metric(value, unit).encode(), "o.yaml")
    (warning,) = metric_warnings(outline)
    assert warning.format() == (
        f"o.yaml:17:16: warning: sections[0].metrics[0].value: value {value!r} has its unit "
        f"inside it, so it is not read as a number and is left out of the chart; write {split}"
    )


@pytest.mark.parametrize("value", ["3.5", "1,200", "Oct 2024", "OCT 2024", "2024 Q3", "10+", "n/a"])
def test_numbers_and_plain_text_values_are_fine(value: str) -> None:
    assert metric_warnings(parse_outline(one_metric(value).encode(), "o.yaml")) == []


def test_the_shipped_outlines_have_no_metric_warnings() -> None:
    from deckgen.outline import load_outline

    for path in Path(ROOT / "outlines").glob("*.yaml"):
        assert metric_warnings(load_outline(path)) == [], path
